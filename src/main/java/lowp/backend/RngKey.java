package lowp.backend;

/**
 * Key of the counter-based random stream that stochastic roundings draw from: a 64-bit seed, a 32-bit
 * stream id (tensor id) and a step in [0, 2^32). The word of a rounding is Philox4x32-10 of
 * (seed, stream, step, index) as specified in docs/rng.md; the index of each rounding is fixed by the
 * operation (see docs/gpu.md), never by thread or block ids.
 */
public record RngKey(long seed, int stream, long step) {
    public RngKey {
        if (step < 0 || step > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("bad step " + step + ": the RNG step must be in [0, 2^32)");
        }
    }

    public static final RngKey DEFAULT = new RngKey(0, 0, 0);

    public RngKey withStream(int s) {
        return new RngKey(seed, s, step);
    }
}
