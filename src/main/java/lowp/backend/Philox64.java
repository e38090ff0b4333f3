package lowp.backend;

/**
 * The 64-bit random word of a stochastic rounding: lowp.rng.Philox (docs/rng.md) of (seed, stream, step, index).
 * The Aparapi kernel and kernels/lowp_numerics.h re-implement the same function; the backend tests pin them
 * to this one bit for bit.
 */
public final class Philox64 {
    private Philox64() {
    }

    public static long word(long seed, int stream, long step, long index) {
        return lowp.rng.Philox.word(seed, stream, step, index);
    }

    public static long word(RngKey key, long index) {
        return lowp.rng.Philox.word(key.seed(), key.stream(), key.step(), index);
    }
}
