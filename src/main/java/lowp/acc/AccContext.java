package lowp.acc;

/**
 * Options and results of a {@link Dot} / {@link Gemm} call: thread count, the random source for stochastic
 * roundings, and (output) the OR of the IEEE flags raised. Results never depend on {@link #threads}.
 */
public final class AccContext {
    /** Worker threads for GEMM (1 = the calling thread only). */
    public int threads = 1;
    /** Random words for stochastic roundings (counter-based: see {@link RandomSource}). */
    public RandomSource random = RandomSource.philox(0, 0, 0);
    /** Output: OR of the {@link lowp.round.Flags} raised by the call. */
    public int flags;

    public AccContext() {
    }

    public AccContext threads(int t) {
        if (t < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + t);
        }
        this.threads = t;
        return this;
    }

    public AccContext random(RandomSource r) {
        this.random = r;
        return this;
    }
}
