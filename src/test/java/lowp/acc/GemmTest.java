package lowp.acc;

import lowp.format.Format;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GEMM: element (i,j) is the model's dot with element index i*n+j; thread count never changes a bit. */
class GemmTest {

    static double[] randomValues(Format f, int len, Random r) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) {
            long bits;
            do {
                bits = r.nextLong() & f.magnitudeMask() | (r.nextBoolean() ? f.signBit() : 0);
                // keep finite values of moderate size
            } while (f.isNaN(bits) || f.isInf(bits) || Math.abs(f.toDouble(bits)) > 64 || Math.abs(f.toDouble(bits)) < 1e-3);
            v[i] = f.toDouble(bits);
        }
        return v;
    }

    @Test
    void threadCountDoesNotChangeResults() {
        Random r = new Random(7);
        int m = 13, n = 11, k = 70;
        AccumulatorModel[] models = {
                SequentialModel.separate(Format.BINARY16, Format.BINARY16, Rounding.SR, Format.BINARY16, Rounding.SR),
                Profiles.get("h100-fp16-fp32"),
                Profiles.get("h100-e4m3-fp32-2xacc"),
                new ChunkedModel(SequentialModel.fma(Format.BFLOAT16, Format.BFLOAT16, Rounding.SR), 8,
                        Format.BINARY32, Rounding.RNE)};
        for (AccumulatorModel model : models) {
            Format in = model.inputFormat();
            double[] a = randomValues(in, m * k, r);
            double[] b = randomValues(in, k * n, r);
            double[] c = new double[m * n];
            for (int i = 0; i < c.length; i++) c[i] = (float) (r.nextGaussian());
            if (model.outputFormat() == Format.BINARY16) {
                for (int i = 0; i < c.length; i++) c[i] = Format.BINARY16.toDouble(
                        lowp.ref.RefOps.fromDouble(Format.BINARY16, c[i], lowp.round.Env.rne()));
            }
            double[] d1 = Gemm.gemm(m, n, k, a, b, c, model, new AccContext().threads(1));
            for (int t : new int[] {2, 3, 5}) {
                double[] dt = Gemm.gemm(m, n, k, a, b, c, model, new AccContext().threads(t));
                assertArrayEquals(d1, dt, model + " threads=" + t);
            }
            // element (i, j) == the single dot with element index i*n + j
            int i = 5, j = 7;
            double[] row = java.util.Arrays.copyOfRange(a, i * k, i * k + k);
            double[] col = new double[k];
            for (int q = 0; q < k; q++) col[q] = b[q * n + j];
            long[] pr = new long[k];
            long[] pc = new long[k];
            for (int q = 0; q < k; q++) {
                pr[q] = Packed.fromDouble(in, row[q]);
                pc[q] = Packed.fromDouble(in, col[q]);
            }
            Lane lane = new Lane(new AccContext().random);
            lane.start((long) i * n + j);
            long want = model.dotPacked(pr, 0, 1, pc, 0, 1, k, Packed.fromDouble(model.outputFormat(), c[i * n + j]), lane);
            assertEquals(Packed.toDouble(want), d1[i * n + j], model.toString());
        }
    }

    /**
     * The four-column RNE kernel's three loops (checked with exactness bookkeeping, checked without it once the
     * lane holds INEXACT, reduced for rows with an overflow bound) depend on which rows a thread has already
     * done; values and flags must not: every element equals the general path's dot, the flags equal the OR of
     * the general path's, for 1, 2, 3 and 5 threads. Rows mix [-1, 1) values (bounded), rows scaled by 64 (no
     * bound; row 3 against column 0 overflows), and tiny values (inexact subnormal products).
     */
    @Test
    void rneKernelLoopsAgreeAcrossThreadCounts() {
        Random r = new Random(11);
        int m = 37, n = 23, k = 300;
        SequentialModel model = SequentialModel.separate(Format.BINARY16, Format.BINARY16, Rounding.RNE, Format.BINARY16,
                Rounding.RNE);
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        for (int i = 0; i < m; i++) {
            double scale = i % 5 == 3 ? 64 : 1;
            for (int q = 0; q < k; q++) {
                double v = (r.nextInt(2048) - 1024) / 1024.0 * scale;
                if (i % 7 == 2 && q % 3 == 0) { // 2^-14 .. 2^-13 with a full significand: tiny, inexact products
                    v = (1024 + r.nextInt(1024)) * 0x1p-24 * (r.nextBoolean() ? 1 : -1);
                }
                if (i == 3) v = 256; // against column 0 (all in [0.75, 1)): a sum near 300 * 224 > 65504
                a[i * k + q] = v;
            }
        }
        for (int q = 0; q < b.length; q++) b[q] = (r.nextInt(2048) - 1024) / 1024.0 * (q % 11 == 0 ? 32 : 1);
        for (int q = 0; q < k; q++) b[q * n] = (768 + r.nextInt(256)) / 1024.0;
        int wantFlags = 0;
        double[] want = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long[] pr = new long[k];
                long[] pc = new long[k];
                for (int q = 0; q < k; q++) {
                    pr[q] = Packed.fromDouble(Format.BINARY16, a[i * k + q]);
                    pc[q] = Packed.fromDouble(Format.BINARY16, b[q * n + j]);
                }
                Lane lane = new Lane(null);
                lane.start((long) i * n + j);
                want[i * n + j] = Packed.toDouble(model.dotPacked(pr, 0, 1, pc, 0, 1, k, Packed.POS_ZERO, lane));
                wantFlags |= lane.env.flags;
            }
        }
        assertEquals(lowp.round.Flags.INEXACT | lowp.round.Flags.UNDERFLOW | lowp.round.Flags.OVERFLOW, wantFlags,
                "the data reach every case");
        for (int t : new int[] {1, 2, 3, 5}) {
            AccContext ctx = new AccContext().threads(t);
            double[] d = Gemm.gemm(m, n, k, a, b, null, model, ctx);
            for (int e = 0; e < d.length; e++) {
                assertEquals(Double.doubleToRawLongBits(want[e]), Double.doubleToRawLongBits(d[e]), "element " + e + " threads=" + t);
            }
            assertEquals(wantFlags, ctx.flags, "flags, threads=" + t);
        }
    }

    @Test
    void rejectsValuesOutsideTheInputFormat() {
        AccumulatorModel m = Profiles.get("a100-fp16-fp32");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(1, 1, 1, new double[] {0.1}, new double[] {1}, null, m, new AccContext()));
        assertEquals(true, e.getMessage().contains("0.1"));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(2, 1, 1, new double[] {1}, new double[] {1}, null, m, new AccContext()));
    }

    /** The documented limits (docs/accumulators.md: element index << 36): m·n < 2^27 and k < 2^19. */
    @Test
    void sizeLimitsAreEnforcedWithTheShape() {
        AccumulatorModel m = SequentialModel.fma(Format.BINARY16, Format.BINARY32, Rounding.SR);
        // m·n = 2^14 · 2^13 = 2^27: rejected before anything is allocated
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemmPacked(1 << 14, 1 << 13, 1, new long[1 << 14], new long[1 << 13], null, m, new AccContext()));
        assertTrue(e.getMessage().contains("16384x8192x1") && e.getMessage().contains("2^27"), e.getMessage());
        // k = 2^19
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemmPacked(1, 1, 1 << 19, new long[1 << 19], new long[1 << 19], null, m, new AccContext()));
        assertTrue(e.getMessage().contains("1x1x524288") && e.getMessage().contains("2^19"), e.getMessage());
        // the double entry point checks too
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(1 << 14, 1 << 13, 0, new double[0], new double[0], null, m, new AccContext()));
        assertTrue(e.getMessage().contains("16384x8192x0"), e.getMessage());
        // just inside: k = 2^19 - 1 runs (a 1x1 product of ones: 2^19 - 1 exactly in fp32)
        long one = Packed.fromDouble(Format.BINARY16, 1.0);
        long[] a = new long[(1 << 19) - 1];
        java.util.Arrays.fill(a, one);
        long d = Gemm.gemmPacked(1, 1, a.length, a, a, null, m, new AccContext())[0];
        assertEquals((1 << 19) - 1, Packed.toDouble(d));
    }

    /**
     * FusedBlockModel's exact block sum is a long: k products below 2^(F+2) units plus c need (k+1)·2^(F+2) < 2^63.
     * At F = 40 the largest block is k = 2^21 - 2. That block, filled with the largest fp16 significand
     * (2 - 2^-10)² at one exponent, sums to n·(2 - 2^-10)², about 2^63 - 2^53 units: exact, then RZ to fp32.
     */
    @Test
    void fusedBlockSumCannotOverflow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FusedBlockModel(Format.BINARY16, Format.BINARY32, (1 << 21) - 1, 40, 23, Rounding.RTZ));
        assertTrue(e.getMessage().contains("k = 2097151") && e.getMessage().contains("F = 40")
                && e.getMessage().contains("2097150"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new FusedBlockModel(Format.BINARY16, Format.BINARY32, 1 << 30, 33, 23, Rounding.RTZ)); // 2^30·2^35 = 2^65
        int k = (1 << 21) - 2;
        FusedBlockModel m = new FusedBlockModel(Format.BINARY16, Format.BINARY32, k, 40, 23, Rounding.RTZ);
        double v = 2 - 0x1p-10;
        double[] x = new double[k];
        java.util.Arrays.fill(x, v);
        // exact: k·2047²/2^20; RZ to 24 bits
        java.math.BigInteger s = java.math.BigInteger.valueOf(k).multiply(java.math.BigInteger.valueOf(2047L * 2047));
        int drop = s.bitLength() - 24;
        double want = s.shiftRight(drop).doubleValue() * Math.scalb(1.0, drop - 20);
        assertEquals(want, Dot.dot(x, x, 0, m));
        long[] p = new long[k];
        java.util.Arrays.fill(p, Packed.fromDouble(Format.BINARY16, v));
        // the decoded kernel Gemm uses (Gemm itself stops at k < 2^19)
        int[][] dec = Gemm.decode(p, p);
        Lane lane = new Lane(null);
        lane.start(0);
        assertEquals(want, Packed.toDouble(m.dotDecoded(dec[0], dec[1], 0, dec[2], dec[3], 0, k, Packed.POS_ZERO, lane)));
    }
}
