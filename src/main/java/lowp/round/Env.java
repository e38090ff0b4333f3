package lowp.round;

/**
 * Mutable per-thread rounding environment: the rounding rule, tininess detection, the accumulated
 * exception flags and, for stochastic modes, the 64-bit random word the next rounding consumes.
 * Not thread-safe: use one per thread.
 */
public final class Env {
    public Rounding rounding;
    public Tininess tininess;
    /** Accumulated (OR-ed) {@link Flags}. */
    public int flags;
    /** Random word consumed by the next stochastic rounding (the caller sets it, e.g. from Philox). */
    public long random;

    public Env(Rounding rounding) {
        this(rounding, Tininess.AFTER);
    }

    public Env(Rounding rounding, Tininess tininess) {
        this.rounding = rounding;
        this.tininess = tininess;
    }

    public static Env rne() {
        return new Env(Rounding.RNE);
    }

    /** Returns the flags and clears them. */
    public int takeFlags() {
        int f = flags;
        flags = 0;
        return f;
    }
}
