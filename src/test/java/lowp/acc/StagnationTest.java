package lowp.acc;

import lowp.format.Format;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stagnation under round-to-nearest (research §5.3, reproduced there in exact arithmetic) and its absence
 * under stochastic rounding.
 */
class StagnationTest {

    static double sumOnes(Format f, Rounding r, int n, long seed) {
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        AccumulatorModel m = SequentialModel.fma(f, f, r);
        return Dot.dot(ones, ones, 0, m, new AccContext().random(RandomSource.philox(seed, 7, 0)));
    }

    @Test
    void onesStallUnderRne() {
        assertEquals(2048.0, sumOnes(Format.BINARY16, Rounding.RNE, 5000, 0));
        assertEquals(256.0, sumOnes(Format.BFLOAT16, Rounding.RNE, 1000, 0));
        assertEquals(16.0, sumOnes(Format.E4M3FN, Rounding.RNE, 100, 0));
        assertEquals(8.0, sumOnes(Format.E5M2, Rounding.RNE, 100, 0));
        assertEquals(2048.0, sumOnes(Format.TF32, Rounding.RNE, 5000, 0));
        // the stall point is exactly reached: one term fewer is still exact
        assertEquals(2047.0, sumOnes(Format.BINARY16, Rounding.RNE, 2047, 0));
        assertEquals(255.0, sumOnes(Format.BFLOAT16, Rounding.RNE, 255, 0));
    }

    @Test
    void harmonicSeriesStagnates() {
        // terms 1/k rounded to the format (RNE), summed in the format (RNE): research §5.3 table
        assertEquals(7.0859375, harmonic(Format.BINARY16, 2000));
        assertEquals(5.0625, harmonic(Format.BFLOAT16, 1000));
        assertEquals(harmonic(Format.BINARY16, 512), harmonic(Format.BINARY16, 2000));
        assertTrue(harmonic(Format.BINARY16, 511) < harmonic(Format.BINARY16, 512));
        assertEquals(harmonic(Format.BFLOAT16, 64), harmonic(Format.BFLOAT16, 1000));
    }

    static double harmonic(Format f, int n) {
        double[] x = new double[n];
        double[] y = new double[n];
        lowp.round.Env env = new lowp.round.Env(Rounding.RNE);
        for (int k = 1; k <= n; k++) {
            long bits = lowp.ref.RefOps.fromBigDecimal(f, java.math.BigDecimal.ONE.divide(
                    java.math.BigDecimal.valueOf(k), java.math.MathContext.DECIMAL128), env);
            // 1/k to 34 digits then rounded: same as rounding 1/k itself unless 1/k is within 1e-34 relative of a
            // rounding boundary, impossible for a format with at most 11 bits and k <= 2000 (boundaries are
            // dyadic with at most 13 bits, 1/k is not dyadic unless k is a power of two, which is exact).
            x[k - 1] = f.toDouble(bits);
            y[k - 1] = 1;
        }
        return Dot.dot(x, y, 0, SequentialModel.fma(f, f, Rounding.RNE));
    }

    /**
     * fp16 SR: the first 2048 ones are exact; each of the next 1000 adds 1 to an even s in [2048, 4096),
     * which SR rounds to s + 2 with probability 1/2 or to s, independently (distinct counter-based words).
     * So the sum is 2048 + 2B, B ~ Binomial(1000, 1/2). Hoeffding: P(|B - 500| > 110) <= 2 exp(-2*110^2/1000)
     * = 1.1e-10 per seed; 3 seeds: false-failure rate below 3.3e-10. RNE stays at 2048.
     */
    @Test
    void stochasticRoundingDoesNotStall() {
        for (long seed = 1; seed <= 3; seed++) {
            double s = sumOnes(Format.BINARY16, Rounding.SR, 3048, seed);
            double b = (s - 2048) / 2;
            assertEquals(Math.rint(b), b, "sum must be 2048 + an even number");
            assertTrue(Math.abs(b - 500) <= 110, "B = " + b + " for seed " + seed);
        }
        assertEquals(2048.0, sumOnes(Format.BINARY16, Rounding.RNE, 3048, 1));
    }

    /** P(|X - n/2| > d) for X ~ Binomial(n, 1/2), exactly (BigInteger binomial coefficients). */
    static double binomialTail(int n, int d) {
        java.math.BigInteger count = java.math.BigInteger.ZERO;
        java.math.BigInteger coef = java.math.BigInteger.ONE; // C(n, b)
        for (int b = 0; b <= n; b++) {
            if (Math.abs(2 * b - n) > 2 * d) count = count.add(coef);
            coef = coef.multiply(java.math.BigInteger.valueOf(n - b)).divide(java.math.BigInteger.valueOf(b + 1));
        }
        return new java.math.BigDecimal(count).divide(new java.math.BigDecimal(java.math.BigInteger.ONE.shiftLeft(n)),
                java.math.MathContext.DECIMAL64).doubleValue();
    }

    /**
     * bf16 SR (8-bit precision): the first 256 ones are exact; each of the next 100 adds 1 to an even s in
     * [256, 512) (ulp 2), which SR rounds to s + 2 or s with probability 1/2 each, independently (distinct
     * counter-based words); 100 steps cannot leave [256, 512). So the sum is 256 + 2B, B ~ Binomial(100, 1/2).
     * Assert |B - 50| <= 30: exact false-failure probability 2.7e-10 per seed, 8.1e-10 for the 3 fixed seeds.
     * RNE stays at 256.
     */
    @Test
    void stochasticRoundingDoesNotStallBf16() {
        double tail = binomialTail(100, 30);
        assertTrue(tail < 3e-10, "stated rate " + tail);
        for (long seed = 1; seed <= 3; seed++) {
            double s = sumOnes(Format.BFLOAT16, Rounding.SR, 356, seed);
            double b = (s - 256) / 2;
            assertEquals(Math.rint(b), b, "sum must be 256 + an even number: " + s);
            assertTrue(Math.abs(b - 50) <= 30, "B = " + b + " for seed " + seed);
        }
        assertEquals(256.0, sumOnes(Format.BFLOAT16, Rounding.RNE, 356, 1));
    }

    /**
     * e4m3 SR (4-bit precision): the first 16 ones are exact; each of the next 7 adds 1 to an even s in [16, 32)
     * (ulp 2): s + 2 or s with probability 1/2 each; 7 steps reach at most 30. So each run gives 16 + 2B_t,
     * B_t ~ Binomial(7, 1/2), and 20 runs with distinct seeds give T = Σ B_t ~ Binomial(140, 1/2) (RNE: T = 0).
     * Assert |T - 70| <= 35: exact false-failure probability 8.3e-10 (fixed seeds 1..20).
     */
    @Test
    void stochasticRoundingDoesNotStallE4m3() {
        double tail = binomialTail(140, 35);
        assertTrue(tail < 9e-10, "stated rate " + tail);
        int t = 0;
        for (long seed = 1; seed <= 20; seed++) {
            double s = sumOnes(Format.E4M3FN, Rounding.SR, 23, seed);
            double b = (s - 16) / 2;
            assertTrue(b == Math.rint(b) && b >= 0 && b <= 7, "sum must be 16 + 2B, 0 <= B <= 7: " + s);
            t += (int) b;
            assertEquals(16.0, sumOnes(Format.E4M3FN, Rounding.RNE, 23, seed));
        }
        assertTrue(Math.abs(t - 70) <= 35, "T = " + t);
    }
}
