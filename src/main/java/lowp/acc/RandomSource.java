package lowp.acc;

/**
 * Source of the 64-bit random words consumed by stochastic roundings inside accumulators. Counter-based:
 * the word for a given index is a pure function of (source, index), so results do not depend on threads.
 *
 * <p>Index convention used by {@link Dot} and {@link Gemm}: the word for the r-th rounding step (0-based,
 * every rounding step of the model counts, stochastic or not) of output element e (row-major index
 * {@code i*n + j}; 0 for a single dot) has index {@code (e << 36) + r} ({@link Lane#ELEMENT_SHIFT} = 36 bits
 * for the steps of one element; {@link Gemm} therefore requires m·n &lt; 2^27 so that the index stays below 2^63).
 */
@FunctionalInterface
public interface RandomSource {
    long word(long index);

    /**
     * lowp's counter-based RNG (docs/rng.md): the word for index i is
     * {@code lowp.rng.Philox.word(seed, stream, step, i)}. The default source of {@link AccContext} and
     * {@link Lane} is {@code philox(0, 0, 0)}.
     */
    static RandomSource philox(long seed, int stream, long step) {
        lowp.rng.Philox.stepWord(step);
        return index -> lowp.rng.Philox.word(seed, stream, step, index);
    }

    /** A fixed hash-based source (SplitMix64 finaliser of seed and index), cheaper than Philox. */
    static RandomSource splitMix(long seed) {
        return index -> mix(seed * 0x9E3779B97F4A7C15L + mix(index ^ 0x5DEECE66DL));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
