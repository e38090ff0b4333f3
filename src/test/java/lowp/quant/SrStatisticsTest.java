package lowp.quant;

import lowp.format.Format;
import lowp.ref.RefOps;
import lowp.rng.RandomKey;
import lowp.round.Env;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stochastic rounding of FloatQuantizer, exactly: probabilities as exact counts of random words (all 2^64 via
 * the threshold for sr, all 2^N top-bit patterns for srN), so E[Q(x)] = x and Var = (x - lo)(hi - x) are
 * checked as exact BigDecimal identities; then frequency tests with the real Philox words against the exact
 * probability with a rigorous Chernoff interval, family-wise false-failure probability &lt;= 1e-9.
 */
class SrStatisticsTest {
    static final String[] FORMATS = {"binary16", "bfloat16", "e4m3fn", "e5m2", "e2m1fn", "binary16:nosub", "e4m3fnuz"};

    static long ref(Format f, Rounding r, double x) {
        Env env = new Env(r);
        return RefOps.fromDouble(f, x, env);
    }

    /** Inputs: random values across the format's range incl. subnormal and below-subnormal regions. */
    static List<Double> inputs(Format f, long seed, int count) {
        Random r = new Random(seed);
        List<Double> xs = new ArrayList<>();
        double maxF = f.toDouble(f.maxFiniteBits());
        while (xs.size() < count) {
            int e = f.minQuantumExp() - 3 + r.nextInt(f.emax() - f.minQuantumExp() + 3);
            double x = Math.scalb(1 + r.nextDouble(), e);
            if (x >= maxF) continue;
            xs.add(r.nextBoolean() ? x : -x);
        }
        return xs;
    }

    @Test
    void srProbabilityIsExactlyTheFractionUnbiasedWithExactVariance() {
        for (String fs : FORMATS) {
            Format f = Format.parse(fs);
            FloatQuantizer q = new FloatQuantizer(f, Rounding.SR);
            for (double x : inputs(f, fs.hashCode(), 60)) {
                long lo = ref(f, Rounding.RTZ, x);
                long hi = ref(f, x > 0 ? Rounding.RUP : Rounding.RDN, x);
                if (lo == hi) continue; // exact
                BigDecimal vx = new BigDecimal(x).abs();
                BigDecimal vlo = f.toBigDecimal(lo).abs(), vhi = f.toBigDecimal(hi).abs();
                for (int k = 0; k < 3; k++) { // every result is one of the two neighbours
                    long b = q.encode(x, new Random(k).nextLong());
                    assertTrue(b == lo || b == hi);
                }
                BigInteger t = SrExact.threshold(u -> q.encode(x, u) == hi);
                BigDecimal frac = vx.subtract(vlo).divide(vhi.subtract(vlo)); // exact: dyadic
                assertEquals(SrExact.ceilScaled(frac), t, () -> fs + " x=" + x);
                BigDecimal scaled = frac.multiply(new BigDecimal(SrExact.TWO64));
                if (scaled.stripTrailingZeros().scale() <= 0) { // fraction has <= 64 bits: exactly unbiased
                    BigDecimal p = new BigDecimal(t).divide(new BigDecimal(SrExact.TWO64));
                    BigDecimal gap = vhi.subtract(vlo);
                    BigDecimal mean = vlo.add(p.multiply(gap));
                    assertEquals(0, mean.compareTo(vx), () -> "E[Q(x)] != x for " + fs + " x=" + x);
                    BigDecimal var = p.multiply(BigDecimal.ONE.subtract(p)).multiply(gap).multiply(gap);
                    BigDecimal want = vx.subtract(vlo).multiply(vhi.subtract(vx));
                    assertEquals(0, var.compareTo(want), () -> "variance for " + fs + " x=" + x);
                }
            }
        }
    }

    @Test
    void srNHasTheDocumentedExactBias() {
        for (String fs : FORMATS) {
            Format f = Format.parse(fs);
            for (int n : new int[] {1, 2, 3, 5, 8, 11}) {
                FloatQuantizer q = new FloatQuantizer(f, Rounding.srBits(n));
                for (double x : inputs(f, fs.hashCode() + n, 12)) {
                    long lo = ref(f, Rounding.RTZ, x);
                    long hi = ref(f, x > 0 ? Rounding.RUP : Rounding.RDN, x);
                    if (lo == hi) continue;
                    BigDecimal vx = new BigDecimal(x).abs();
                    BigDecimal vlo = f.toBigDecimal(lo).abs(), vhi = f.toBigDecimal(hi).abs();
                    BigDecimal gap = vhi.subtract(vlo);
                    BigDecimal frac = vx.subtract(vlo).divide(gap);
                    int c = SrExact.countTopBits(u -> q.encode(x, u) == hi, n, (long) n * 31 + fs.hashCode());
                    BigInteger want = frac.multiply(BigDecimal.valueOf(1L << n))
                            .setScale(0, java.math.RoundingMode.FLOOR).toBigIntegerExact();
                    assertEquals(want.intValueExact(), c, () -> fs + " sr" + n + " x=" + x);
                    // bias E[Q] - x = (c/2^N - frac) * gap, in (-2^-N gap, 0]
                    BigDecimal p = BigDecimal.valueOf(c).divide(BigDecimal.valueOf(1L << n));
                    BigDecimal bias = p.subtract(frac).multiply(gap);
                    assertTrue(bias.signum() <= 0);
                    assertTrue(bias.negate().compareTo(gap.divide(BigDecimal.valueOf(1L << n))) < 0);
                }
            }
        }
    }

    @Test
    void srEqualIsOneHalfAndUsesTheTopBit() {
        for (String fs : FORMATS) {
            Format f = Format.parse(fs);
            FloatQuantizer q = new FloatQuantizer(f, Rounding.SR_EQUAL);
            for (double x : inputs(f, fs.hashCode() + 99, 30)) {
                long lo = ref(f, Rounding.RTZ, x);
                long hi = ref(f, x > 0 ? Rounding.RUP : Rounding.RDN, x);
                if (lo == hi) continue;
                int c = SrExact.countTopBits(u -> q.encode(x, u) == hi, 1, 5);
                assertEquals(1, c); // exactly one of the two top-bit values: probability 1/2
                assertEquals(hi, q.encode(x, Long.MIN_VALUE));
                assertEquals(lo, q.encode(x, Long.MAX_VALUE));
            }
        }
    }

    @Test
    void exactValuesNeverChange() {
        Random r = new Random(3);
        for (String fs : FORMATS) {
            Format f = Format.parse(fs);
            for (String rs : new String[] {"sr", "sr-equal", "sr1", "sr8", "rto"}) {
                FloatQuantizer q = new FloatQuantizer(f, Rounding.parse(rs));
                for (long bits = 0; bits <= f.magnitudeMask(); bits += 1 + (f.magnitudeMask() >> 9)) {
                    long p = bits | (r.nextBoolean() ? f.signBit() : 0);
                    if (f.isNaN(p) || f.isInf(p) || f.isZero(p)) continue;
                    double v = f.toDouble(p);
                    for (int k = 0; k < 4; k++) {
                        assertEquals(p, q.encode(v, r.nextLong()), () -> fs + " " + rs + " " + v);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ frequency tests with Philox words

    /** Number of binomial checks below; each gets alpha = 1e-9 / CHECKS (family-wise false failure <= 1e-9). */
    static final int CHECKS = 8;
    static final double ALPHA = 1e-9 / CHECKS;

    private static void frequency(String fs, String rs, double x, BigDecimal pExact, int n, long seed) {
        Format f = Format.parse(fs);
        FloatQuantizer q = new FloatQuantizer(f, Rounding.parse(rs));
        double[] a = new double[n];
        java.util.Arrays.fill(a, x);
        q.quantize(a, a, RandomKey.of(seed, 11, 3), 2);
        double hi = f.toDouble(ref(f, x > 0 ? Rounding.RUP : Rounding.RDN, x));
        double lo = f.toDouble(ref(f, Rounding.RTZ, x));
        long k = 0;
        for (double v : a) {
            assertTrue(v == hi || v == lo);
            if (v == hi) k++;
        }
        long[] iv = SrExact.interval(n, pExact.doubleValue(), ALPHA);
        long kk = k;
        assertTrue(k >= iv[0] && k <= iv[1], () -> fs + " " + rs + " x=" + x + ": " + kk + " ups of " + n
                + ", expected in [" + iv[0] + ", " + iv[1] + "] (p = " + pExact + ")");
    }

    @Test
    void frequenciesWithPhiloxWordsMatchExactProbabilities() {
        int n = 1 << 20;
        // binary16 grid at 1: spacing 2^-10. x = 1 + 0.3 * 2^-10 is not dyadic; use exact dyadic fractions.
        double ulp = Math.scalb(1.0, -10);
        // p = 3/8
        frequency("binary16", "sr", 1 + 0.375 * ulp, new BigDecimal("0.375"), n, 1);
        // p = 1/2 + 0.99/256 rounded to a double fraction; sr is proportional, sr8 truncates to 1/2
        double f1 = 0.5 + 253.0 / 65536; // = 0.5 + 0.99/256 approx, exactly dyadic
        frequency("binary16", "sr", 1 + f1 * ulp, new BigDecimal(f1), n, 2);
        double f2 = 255.99609375 / 256; // 0.99998474..., floor(f2*256)/256 = 255/256
        frequency("binary16", "sr8", 1 + f2 * ulp, new BigDecimal(255).divide(new BigDecimal(256)), n, 3);
        frequency("binary16", "sr", 1 + f2 * ulp, new BigDecimal(f2), n, 4);
        // sr-equal: 1/2
        frequency("e4m3fn", "sr-equal", 1.0 + 0.01, new BigDecimal("0.5"), n, 5);
        // below the smallest binary16 subnormal: 0.25 of it goes up with probability 1/4 (GRADUAL policy)
        frequency("binary16", "sr", Math.scalb(0.25, -24), new BigDecimal("0.25"), n, 6);
        // negative input: symmetric, p = 0.625 of going away from zero
        frequency("bfloat16", "sr", -(1 + 0.625 * Math.scalb(1.0, -7)), new BigDecimal("0.625"), n, 7);
        // e2m1: 1.3 between 1.0 and 1.5: p = 0.6 (not dyadic: exact p is ceil(f 2^64)/2^64, within 2^-64)
        frequency("e2m1fn", "sr", 1.3, new BigDecimal(1.3).subtract(BigDecimal.ONE).divide(new BigDecimal("0.5")), n, 8);
    }

    @Test
    void intervalRejectsABiasedCount() {
        // sanity of the acceptance interval itself: p = 0.5, n = 2^20: the interval is about +-3.3k around 524288
        long[] iv = SrExact.interval(1 << 20, 0.5, ALPHA);
        assertTrue(iv[0] > 518000 && iv[0] < 524288 && iv[1] < 530600 && iv[1] > 524288, iv[0] + " " + iv[1]);
    }

    @Test
    void differentSeedsStepsAndStreamsGiveDifferentBits() {
        FloatQuantizer q = new FloatQuantizer(Format.BINARY16, Rounding.SR);
        double[] x = new double[4096];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
        long[] a = q.encode(x, RandomKey.of(1, 0, 0), 1);
        long[] b = q.encode(x, RandomKey.of(2, 0, 0), 1);
        long[] c = q.encode(x, RandomKey.of(1, 0, 1), 1);
        long[] d = q.encode(x, RandomKey.of(1, 1, 0), 1);
        long[] a2 = q.encode(x, RandomKey.of(1, 0, 0), 2);
        assertTrue(java.util.Arrays.equals(a, a2));
        assertTrue(!java.util.Arrays.equals(a, b) && !java.util.Arrays.equals(a, c) && !java.util.Arrays.equals(a, d));
    }
}
