package lowp.optim;

import lowp.format.Format;
import lowp.format.Kind;
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
 * A thin adapter over lowp.quant: inputs are first saturated to [-max, max] (max is a point of the set), then
 * rounded once by a {@link lowp.quant.FloatQuantizer} into the format whose values in range are the set
 * (NORMAL: the format without subnormals for |x| &gt;= delta_normal, and a {@link lowp.quant.FixedPointQuantizer}
 * with step delta_normal, i.e. the grid {0, ±delta_normal}, below it). Random words: {@code Rng.word(seed, 11,
 * index)}. Under sr, srN, rtz, rup, rdn and rna the results equal {@link lowp.quant.GridQuantizer#paperFloat}'s
 * bit for bit (tested); rne and rto ties follow the format (even / odd mantissa), where the grid quantizer uses
 * the grid index's parity.
 */
public final class PaperFloatQuantizer implements Quantizer {
    public enum Mode { NORMAL, DENORMAL, IEEE }

    /** Rng stream of this quantizer's random words. */
    static final int STREAM = 11;

    private final int be;
    private final int bm;
    private final int sExp;
    private final Mode mode;
    private final Rounding rounding;
    private final Format fmt; // the format whose finite values (in range) are the point set
    private final double max;
    private final double minNormal;
    private final lowp.quant.FloatQuantizer main;
    private final lowp.quant.FixedPointQuantizer flush; // NORMAL mode below the smallest normal
    private final long seed;
    private VarianceParams params;

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
        this.max = normal.toDouble(normal.maxFiniteBits());
        this.minNormal = Math.scalb(1.0, normal.emin());
        this.fmt = mode == Mode.DENORMAL ? Format.of(be, bm, stdBias - sExp - 1, Kind.IEEE, true, true) : normal;
        this.main = new lowp.quant.FloatQuantizer(fmt, rounding);
        this.flush = mode == Mode.NORMAL ? new lowp.quant.FixedPointQuantizer(2, -normal.emin(), true, rounding,
                lowp.quant.FixedPointQuantizer.OverflowMode.SATURATE) : null;
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
        long w = rounding.isStochastic() ? Rng.word(seed, STREAM, index) : 0L;
        if (flush != null && Math.abs(x) < minNormal) {
            return flush.quantize(x, w);
        }
        return main.quantize(x, w);
    }

    /**
     * Lemma 2: delta_normal = 4s/2^(2^(b_e-1)), delta_denormal = 8s/2^(2^(b_e-1)+b_m); IEEE: half of the latter;
     * zeta = 2^-b_m; computed by lowp.quant.VarianceParams on the point set under sr.
     */
    @Override
    public synchronized VarianceParams params() {
        if (params == null) {
            lowp.quant.Quantizer g = mode == Mode.IEEE ? new lowp.quant.FloatQuantizer(fmt, Rounding.SR)
                    : lowp.quant.GridQuantizer.paperFloat(be, bm, sExp, mode == Mode.DENORMAL, Rounding.SR);
            params = Quantizers.paramsOfSrGrid(g);
        }
        return params;
    }

    @Override
    public double maxValue() {
        return max;
    }

    public double minPositive() {
        if (mode == Mode.NORMAL) {
            return minNormal;
        }
        return fmt.toDouble(fmt.minPositiveBits());
    }

    /** All non-negative points, ascending (for checks; 2^(b_e+b_m) at most). */
    public double[] nonNegativePoints() {
        java.util.TreeSet<Double> pts = new java.util.TreeSet<>();
        pts.add(0.0);
        for (long b = 1; b <= fmt.maxFiniteBits(); b++) {
            if (fmt.isNaN(b) || fmt.isInf(b)) {
                continue;
            }
            double v = fmt.toDouble(b);
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

    public Mode mode() {
        return mode;
    }

    public int scaleExp() {
        return sExp;
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
