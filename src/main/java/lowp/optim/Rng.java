package lowp.optim;

/**
 * Counter-based random words for stochastic rounding: {@code word(seed, stream, counter)} is a pure
 * function (SplitMix64 finalizer over a keyed counter), so a run is reproducible from its seed and the
 * word used for coordinate i at step t does not depend on evaluation order. Stand-in until lowp.rng.Philox
 * is wired in; any change of generator changes SR results but not their distribution.
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
        return mix(mix(seed * 0x9E3779B97F4A7C15L + stream) + counter * 0xD1B54A32D192ED03L);
    }

    /** A uniform double in [0,1) from a word (53 bits). */
    public static double unit(long word) {
        return (word >>> 11) * 0x1.0p-53;
    }
}
