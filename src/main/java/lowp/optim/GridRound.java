package lowp.optim;

import lowp.format.Format;
import lowp.format.Kind;
import lowp.round.Env;

/**
 * Rounds a double once to an integer multiple of 2^q under any {@link lowp.round.Rounding}, through
 * {@link lowp.round.Rounder}: the grid k*2^q with |k| &lt; 2^52 is exactly the subnormal range of the
 * binary64-shaped format with emin = q + 52, so rounding into that format is rounding to the grid.
 */
public final class GridRound {
    private final int q;
    private final Format grid;
    private final double limit;

    public GridRound(int q) {
        this.q = q;
        this.grid = Format.of(11, 52, -q - 51, Kind.IEEE, false, true);
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
        long b = ExactRound.round(grid, x, env);
        long sig = grid.sigOf(b);
        if (sig == 0) {
            return 0.0;
        }
        double v = Math.scalb((double) sig, grid.expOf(b));
        return grid.isNegative(b) ? -v : v;
    }
}
