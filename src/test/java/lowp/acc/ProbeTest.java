package lowp.acc;

import lowp.format.Format;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hardware probe values of research/accumulators.md §1.5 (CUDA suite of Fasi, Higham, Mikaitis,
 * Pranesh, run on V100 and T4/A100). Each expectation is the hardware value; the comments give the hand
 * derivation under the fused-block model (E = alignment exponent, unit = 2^(E-F)).
 */
class ProbeTest {
    static final AccumulatorModel V100 = Profiles.get("v100-fp16-fp32");
    static final AccumulatorModel A100 = Profiles.get("a100-fp16-fp32");
    static final double U24 = Math.scalb(1.0, -24);
    static final double U23 = Math.scalb(1.0, -23);

    static double d(AccumulatorModel m, double[] a, double[] b, double c) {
        return Dot.dot(a, b, c, m);
    }

    @Test
    void productsAreExact() {
        double x = 1 - Math.scalb(1.0, -11);
        double want = 1 - Math.scalb(1.0, -10) + Math.scalb(1.0, -22);
        assertEquals(want, d(V100, new double[] {x}, new double[] {x}, 0));
        assertEquals(want, d(A100, new double[] {x}, new double[] {x}, 0));
    }

    @Test
    void largestFirstNoGuardBits() {
        // V100 F=23: unit 2^-23, c = -(2^23 - 1/2) units truncates to -(2^23 - 1): 2^-23. A100 F=24: exact 2^-24.
        assertEquals(U23, d(V100, new double[] {1}, new double[] {1}, -(1 - U24)));
        assertEquals(U24, d(A100, new double[] {1}, new double[] {1}, -(1 - U24)));
    }

    @Test
    void normalisationInAddition() {
        // E = -1 (c), V100 unit 2^-24: 2^24 - 1 + 4 -> 1 + 3*2^-24, RZ -> 1 + 2^-23 (A100: 1 + 3*2^-24 too)
        double[] a = {1, 1, 1, 1};
        double[] b = {U24, U24, U24, U24};
        assertEquals(1 + U23, d(V100, a, b, 1 - U24));
        assertEquals(1 + U23, d(A100, a, b, 1 - U24));
    }

    @Test
    void normalisationInSubtraction() {
        // V100: -2^-24 truncates to 0 at unit 2^-23, c to -(2^23 - 1) units: 2^-23. A100: exact 0.
        double[] a = {1, 1};
        double[] b = {1, -U24};
        assertEquals(U23, d(V100, a, b, -1 + U24));
        assertEquals(0.0, d(A100, a, b, -1 + U24));
    }

    @Test
    void carryBits() {
        double[] a = {1, 1, 1, 1};
        double[] b = {1, 1.5, 1.75, 1.875};
        assertEquals(8.0, d(V100, a, b, 1.875));
        assertEquals(8.0, d(A100, a, b, 1.875));
    }

    @Test
    void roundTowardZero() {
        double small = U23 + U24;
        assertEquals(2.0, d(V100, new double[] {1, 1}, new double[] {2, small}, 0));
        assertEquals(-2.0, d(V100, new double[] {1, 1}, new double[] {-2, -small}, 0));
        assertEquals(2.0, d(A100, new double[] {1, 1}, new double[] {2, small}, 0));
        assertEquals(-2.0, d(A100, new double[] {1, 1}, new double[] {-2, -small}, 0));
        // 4 + 1 + 2^-22 + 2^-23 = 5 + 3*2^-23: RZ at ulp 2^-21 -> 5
        double c = 1 + Math.scalb(1.0, -22) + U23;
        assertEquals(5.0, d(V100, new double[] {1, 1, 1, 1}, new double[] {1, 1, 1, 1}, c));
        assertEquals(5.0, d(A100, new double[] {1, 1, 1, 1}, new double[] {1, 1, 1, 1}, c));
    }

    @Test
    void fp16OutputIsRoundToNearest() {
        // 2^-25 + 2^-26 = 0.75 * 2^-24 -> nearest fp16 subnormal 2^-24
        double[] a = {U24, U24};
        double[] b = {0.5, 0.25};
        assertEquals(U24, d(Profiles.get("v100-fp16-fp16"), a, b, 0));
        assertEquals(U24, d(Profiles.get("a100-fp16-fp16"), a, b, 0));
    }

    @Test
    void nonMonotonic() {
        // V100: c = 1 - 2^-24 gives 1 + 2^-23 (above); c = 1 aligns at E = 0 where each 2^-24 product truncates to 0.
        double[] a = {1, 1, 1, 1};
        double[] b = {U24, U24, U24, U24};
        double lower = d(V100, a, b, 1 - U24);
        double higher = d(V100, a, b, 1);
        assertEquals(1 + U23, lower);
        assertEquals(1.0, higher);
        assertTrue(higher < lower);
    }

    @Test
    void e8m13AccumulatorTruncatesTenBits() {
        // H100 FP8: c with 23 fraction bits passes a zero product block and comes out with its low 10 bits
        // cleared (SageAttention2 measurement quoted in research §1.6).
        AccumulatorModel h = Profiles.get("h100-e4m3-fp32");
        float c = Float.intBitsToFloat(0x3F9FFFFF);
        double got = d(h, new double[] {0}, new double[] {0}, c);
        assertEquals(Float.intBitsToFloat(0x3F9FFC00), (float) got);
        assertEquals(Format.BINARY32, h.outputFormat());
    }

    @Test
    void allZeroBlockWithoutParticipatingZeroCIsPositiveZero() {
        // c = 0 excluded from the alignment (MATLAB-TC style) and only zero products: nothing to align, +0
        FusedBlockModel m = new FusedBlockModel(Format.BINARY16, Format.BINARY32, 4, 24, 23,
                lowp.round.Rounding.RTZ, FusedBlockModel.Align.TRUNC_MAGNITUDE, false, Integer.MIN_VALUE);
        double d = d(m, new double[] {0, -0.0, 1, 0}, new double[] {5, 1, 0, -0.0}, 0);
        assertEquals(0, Double.doubleToRawLongBits(d));
        // one non-zero product still aligns on itself: exact 2^-24 * 2^-24 (products are exact)
        assertEquals(Math.scalb(1.0, -48), d(m, new double[] {0, U24}, new double[] {1, U24}, 0));
    }
}
