package lowp.optim;

/**
 * Counter-based random words for stochastic rounding: {@code word(seed, stream, counter)} is the project's
 * Philox4x32-10 word {@link lowp.rng.Philox#word}(seed, stream, step 0, element index = counter) (docs/rng.md),
 * a pure function, so a run is reproducible from its seed and the word used for coordinate i at step t
 * (counter t*d + i) does not depend on evaluation order or threads.
 */
public final class Rng {
    private Rng() {
    }

    /** SplitMix64 finalizer (a bijection of 64-bit words). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The random word for (seed, stream, counter). */
    public static long word(long seed, long stream, long counter) {
        return lowp.rng.Philox.word(seed, (int) stream, 0, counter);
    }

    /** A uniform double in [0,1) from a word (53 bits). */
    public static double unit(long word) {
        return (word >>> 11) * 0x1.0p-53;
    }
}
