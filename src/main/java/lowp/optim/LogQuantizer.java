package lowp.optim;

import lowp.round.Mode;
import lowp.round.Rounding;

import java.math.BigDecimal;

/**
 * Logarithmic quantization of seed 002 §1.3: q_0 = 0, q_{i+1} - q_i = delta + zeta q_i, i.e.
 * q_i = delta/zeta ((1+zeta)^i - 1) (one canonical binary64 table), 2^(b-1) non-negative points
 * q_0..q_{2^(b-1)-1} and negatives -q_1..-q_{2^(b-1)}; saturation outside. Stochastic rounding goes up
 * with probability (x - q_i)/(q_{i+1} - q_i), decided exactly against the 64-bit random word (BigDecimal
 * only when the double estimate is too close to call); rne rounds to the nearer point (ties to even index).
 */
public final class LogQuantizer implements Quantizer {
    private final double delta;
    private final double zeta;
    private final int bits;
    private final double[] q; // q[0..n], n = 2^(b-1)
    private final Rounding rounding;
    private final long seed;

    public LogQuantizer(double delta, double zeta, int bits, Rounding rounding, long seed) {
        if (bits < 2 || bits > 24) {
            throw new IllegalArgumentException("log quantizer bits " + bits + " out of range 2..24");
        }
        if (!(delta > 0) || !(zeta >= 0)) {
            throw new IllegalArgumentException("log quantizer needs delta > 0 and zeta >= 0");
        }
        Mode m = rounding.mode();
        if (!(m == Mode.SR || m == Mode.RNE)) {
            throw new IllegalArgumentException("log quantizer supports rounding sr or rne, got " + rounding);
        }
        this.delta = delta;
        this.zeta = zeta;
        this.bits = bits;
        int n = 1 << (bits - 1);
        q = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            q[i] = zeta == 0 ? i * delta : delta / zeta * Math.expm1(i * Math.log1p(zeta));
        }
        this.rounding = rounding;
        this.seed = seed;
    }

    public double point(int i) {
        return q[i];
    }

    @Override
    public double apply(double x, long index) {
        int n = q.length - 1;
        boolean neg = x < 0;
        double a = Math.abs(x);
        double top = neg ? q[n] : q[n - 1];
        if (a >= top) {
            return neg ? -top : top;
        }
        int i = java.util.Arrays.binarySearch(q, a);
        if (i >= 0) {
            return x;
        }
        int hiIdx = -i - 1;
        int loIdx = hiIdx - 1;
        double lo = q[loIdx];
        double hi = q[hiIdx];
        boolean up;
        if (rounding.mode() == Mode.RNE) {
            int c = compareMid(a, lo, hi);
            up = c > 0 || (c == 0 && (loIdx & 1) == 1);
        } else {
            long w = Rng.word(seed, 13, index);
            up = srUp(a, lo, hi, w);
        }
        double r = up ? hi : lo;
        return neg ? -r : r;
    }

    private static int compareMid(double a, double lo, double hi) {
        BigDecimal two = BigDecimal.valueOf(2);
        return new BigDecimal(a).multiply(two).compareTo(new BigDecimal(lo).add(new BigDecimal(hi)));
    }

    /** up iff U < (a-lo)/(hi-lo) with U = unsigned(w)/2^64. */
    static boolean srUp(double a, double lo, double hi, long w) {
        double p = (a - lo) / (hi - lo);
        double u = Math.scalb((double) (w >>> 11), -53);
        if (Math.abs(u - p) > 1e-9) {
            return u < p;
        }
        BigDecimal uu = new BigDecimal(Long.toUnsignedString(w));
        BigDecimal lhs = uu.multiply(new BigDecimal(hi).subtract(new BigDecimal(lo)));
        BigDecimal rhs = new BigDecimal(a).subtract(new BigDecimal(lo)).multiply(new BigDecimal(java.math.BigInteger.ONE.shiftLeft(64)));
        return lhs.compareTo(rhs) < 0;
    }

    @Override
    public String name() {
        return "log" + bits + "(delta=" + delta + ",zeta=" + zeta + ")/" + rounding;
    }

    @Override
    public boolean stochastic() {
        return rounding.isStochastic();
    }

    @Override
    public VarianceParams params() {
        return VarianceParams.of(delta, zeta);
    }

    @Override
    public double maxValue() {
        return q[q.length - 2];
    }
}
