package lowp.optim;

import lowp.round.Env;
import lowp.round.Rounding;

/**
 * Linear (fixed-point) quantization dom(delta, b) of seed 002 §1.1 with delta = 2^k: the 2^b points
 * -delta*2^(b-1) .. delta*(2^(b-1)-1) (two's complement), deterministic saturation outside the range, and
 * any rounding rule inside it (sr = the paper's unbiased randomized rounding).
 */
public final class FixedPointQuantizer implements Quantizer {
    private final int bits;
    private final int log2Delta;
    private final double delta;
    private final double lo;
    private final double hi;
    private final GridRound grid;
    private final Rounding rounding;
    private final Env env;
    private final long seed;

    public FixedPointQuantizer(int bits, int log2Delta, Rounding rounding, long seed) {
        if (bits < 1 || bits > 52) {
            throw new IllegalArgumentException("fixed-point bits " + bits + " out of range 1..52");
        }
        this.bits = bits;
        this.log2Delta = log2Delta;
        this.delta = Math.scalb(1.0, log2Delta);
        this.lo = -Math.scalb(delta, bits - 1);
        this.hi = (Math.scalb(1.0, bits - 1) - 1) * delta;
        this.grid = new GridRound(log2Delta);
        this.rounding = rounding;
        this.env = new Env(rounding);
        this.seed = seed;
    }

    /** b bits covering [-1, 1): delta = 2^-(b-1) (the paper's "range -1 to 1"). */
    public static FixedPointQuantizer unitRange(int bits, Rounding rounding, long seed) {
        return new FixedPointQuantizer(bits, -(bits - 1), rounding, seed);
    }

    public double delta() {
        return delta;
    }

    public double min() {
        return lo;
    }

    @Override
    public double apply(double x, long index) {
        if (x <= lo) {
            return lo;
        }
        if (x >= hi) {
            return hi;
        }
        if (rounding.isStochastic()) {
            env.random = Rng.word(seed, 7, index);
        }
        return grid.round(x, env);
    }

    @Override
    public String name() {
        return "fixed" + bits + "(delta=2^" + log2Delta + ")/" + rounding;
    }

    @Override
    public boolean stochastic() {
        return rounding.isStochastic();
    }

    @Override
    public VarianceParams params() {
        return new VarianceParams(delta, 0, 0);
    }

    @Override
    public double maxValue() {
        return hi;
    }
}
