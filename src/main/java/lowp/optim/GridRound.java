package lowp.optim;

import lowp.round.Env;

/**
 * Rounds a double once to an integer multiple of 2^q under any {@link lowp.round.Rounding}: a thin adapter over
 * {@link lowp.quant.FixedPointQuantizer} (signed, 53-bit word, fraction length -q), with env's rounding and
 * random word ({@code |x|} must be below 2^(q+52)).
 */
public final class GridRound {
    private final int q;
    private final double limit;

    public GridRound(int q) {
        this.q = q;
        this.limit = Math.scalb(1.0, q + 52);
    }

    public int quantumExp() {
        return q;
    }

    /** round(x / 2^q) * 2^q under env's rule (|x| must be below 2^(q+52)). */
    public double round(double x, Env env) {
        if (!(Math.abs(x) < limit)) {
            throw new IllegalArgumentException("value " + x + " outside the grid range 2^" + (q + 52));
        }
        lowp.quant.FixedPointQuantizer f = new lowp.quant.FixedPointQuantizer(54, -q, true, env.rounding,
                lowp.quant.FixedPointQuantizer.OverflowMode.SATURATE);
        return Math.scalb((double) f.toInteger(x, env.random), q); // |k| <= 2^52: exact
    }
}
