package lowp.optim;

import lowp.format.Format;
import lowp.format.Kind;
import lowp.round.Env;
import lowp.round.Rounding;

/**
 * Floating-point quantization FPQ of seed 002 §1.5 with b_e exponent bits, b_m mantissa bits and scale
 * s = 2^sExp (bias = standard bias - sExp), saturating at +-max, no Inf/NaN. Modes:
 * <ul>
 * <li>{@link Mode#NORMAL}: {0} and the normal numbers; values below the smallest normal delta_normal round
 * (stochastically, under sr) between 0 and delta_normal — a stochastic flush, not IEEE's;</li>
 * <li>{@link Mode#DENORMAL}: the paper's "denormal" set: the lowest normal binade is replaced by a uniform
 * binade with spacing 2^(3-n_e/2)/n_m — NOT IEEE gradual underflow (smallest value twice IEEE's);</li>
 * <li>{@link Mode#IEEE}: IEEE-754 subnormals (the lowest normal binade kept, subnormal spacing 2^(emin-b_m)).</li>
 * </ul>
 * Every value is rounded once (Rounder / GridRound) from the binary64 input.
 */
public final class PaperFloatQuantizer implements Quantizer {
    public enum Mode { NORMAL, DENORMAL, IEEE }

    private final int be;
    private final int bm;
    private final int sExp;
    private final Mode mode;
    private final Rounding rounding;
    private final Format fmt; // the format whose finite values (in range) are the point set
    private final double max;
    private final double minNormal;
    private final GridRound flush;
    private final Env env;
    private final long seed;

    public PaperFloatQuantizer(int be, int bm, int sExp, Mode mode, Rounding rounding, long seed) {
        if (be < 2 || bm < 1) {
            throw new IllegalArgumentException("FPQ needs b_e >= 2 and b_m >= 1, got b_e=" + be + " b_m=" + bm);
        }
        this.be = be;
        this.bm = bm;
        this.sExp = sExp;
        this.mode = mode;
        this.rounding = rounding;
        int stdBias = (1 << (be - 1)) - 1;
        Format normal = Format.of(be, bm, stdBias - sExp, Kind.IEEE, true, mode != Mode.NORMAL);
        this.max = ExactRound.value(normal, normal.maxFiniteBits());
        this.minNormal = Math.scalb(1.0, normal.emin());
        this.fmt = mode == Mode.DENORMAL ? Format.of(be, bm, stdBias - sExp - 1, Kind.IEEE, true, true) : normal;
        this.flush = new GridRound(normal.emin());
        this.env = new Env(rounding);
        this.seed = seed;
    }

    @Override
    public double apply(double x, long index) {
        if (x >= max) {
            return max;
        }
        if (x <= -max) {
            return -max;
        }
        if (rounding.isStochastic()) {
            env.random = Rng.word(seed, 11, index);
        }
        if (mode == Mode.NORMAL && Math.abs(x) < minNormal) {
            return flush.round(x, env);
        }
        return ExactRound.value(fmt, ExactRound.round(fmt, x, env));
    }

    /** Lemma 2: delta_normal = 4s/2^(2^(b_e-1)), delta_denormal = 8s/2^(2^(b_e-1)+b_m); IEEE: half of the latter. */
    @Override
    public VarianceParams params() {
        double s = Math.scalb(1.0, sExp);
        double dn = 4 * s * Math.scalb(1.0, -(1 << (be - 1)));
        double dd = 8 * s * Math.scalb(1.0, -((1 << (be - 1)) + bm));
        double zeta = Math.scalb(1.0, -bm);
        double delta = mode == Mode.NORMAL ? dn : mode == Mode.DENORMAL ? dd : dd / 2;
        return VarianceParams.of(delta, zeta);
    }

    @Override
    public double maxValue() {
        return max;
    }

    public double minPositive() {
        if (mode == Mode.NORMAL) {
            return minNormal;
        }
        return ExactRound.value(fmt, fmt.minPositiveBits());
    }

    /** All non-negative points, ascending (for checks; 2^(b_e+b_m) at most). */
    public double[] nonNegativePoints() {
        java.util.TreeSet<Double> pts = new java.util.TreeSet<>();
        pts.add(0.0);
        for (long b = 1; b <= fmt.maxFiniteBits(); b++) {
            if (fmt.isNaN(b) || fmt.isInf(b)) {
                continue;
            }
            double v = ExactRound.value(fmt, b);
            if (v <= max && (mode != Mode.NORMAL || v >= minNormal)) {
                pts.add(v);
            }
        }
        return pts.stream().mapToDouble(Double::doubleValue).toArray();
    }

    public int expBits() {
        return be;
    }

    public int manBits() {
        return bm;
    }

    @Override
    public String name() {
        return "fpq(be=" + be + ",bm=" + bm + (sExp != 0 ? ",s=2^" + sExp : "") + "," + mode.name().toLowerCase()
                + ")/" + rounding;
    }

    @Override
    public boolean stochastic() {
        return rounding.isStochastic();
    }
}
