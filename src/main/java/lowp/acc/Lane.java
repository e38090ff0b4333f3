package lowp.acc;

import lowp.format.Format;
import lowp.round.Env;
import lowp.round.Rounder;
import lowp.round.Rounding;

/**
 * Per-thread working state of one output element's computation: the rounding environment (flags are
 * OR-accumulated), the random source and the rounding-step counter that indexes it. Not thread-safe.
 */
public final class Lane {
    public final Env env = new Env(Rounding.RNE);
    /** Scratch for kernels that compute four outputs at once. */
    final long[] scratch4 = new long[4];
    final RandomSource rng;
    long base;

    public Lane(RandomSource rng) {
        this.rng = rng == null ? RandomSource.philox(0, 0, 0) : rng;
    }

    /** Starts output element {@code element} (row-major index; 0 for a single dot). */
    public void start(long element) {
        base = element << ELEMENT_SHIFT;
    }

    /** Bits of the random-word index reserved for the rounding steps of one output element. */
    public static final int ELEMENT_SHIFT = 36;

    /**
     * One rounding step of the model under rounding r; {@code step} is the step's number in the model's
     * documented numbering, the random word (stochastic r only) is {@code rng.word((element << 36) + step)}.
     */
    long round(Format f, Rounding r, long step, boolean neg, long sig, int exp, boolean sticky) {
        Env e = env;
        e.rounding = r;
        if (r.isStochastic()) {
            e.random = rng.word(base + step);
        }
        return Rounder.round(f, neg, sig, exp, sticky, e);
    }

    /** The random word a stochastic rounding at {@code step} of the current element consumes. */
    public long word(long step) {
        return rng.word(base + step);
    }
}
