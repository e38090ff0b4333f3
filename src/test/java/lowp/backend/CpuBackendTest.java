package lowp.backend;

import lowp.format.Format;
import lowp.ref.RefOps;
import lowp.round.Env;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The CPU backend against the BigInteger/BigDecimal reference (lowp.ref) and against hardware-verified
 * tensor-core probe results (../shared/research/accumulators.md §1.5).
 */
class CpuBackendTest {
    static final CpuBackend CPU = new CpuBackend();

    @Test
    void quantizeEqualsReferenceAllModes() {
        double[] x = Fixtures.doubles(17, 1500);
        RngKey key = new RngKey(77, 4, 9);
        List<String> bad = new ArrayList<>();
        for (String f : Fixtures.QUANT_FORMATS) {
            Format fmt = Format.parse(f);
            for (String m : Fixtures.MODES) {
                Rounding r = Rounding.parse(m);
                int[] got = CPU.quantize(new QuantSpec(fmt, r, key), x);
                for (int i = 0; i < x.length; i++) {
                    Env env = new Env(r);
                    env.random = Philox64.word(key, i);
                    long want = RefOps.fromDouble(fmt, x[i], env);
                    if (want != (got[i] & 0xFFFFFFFFL)) {
                        bad.add(f + "/" + m + " x=" + x[i] + " ref=" + Long.toHexString(want) + " cpu=" + Integer.toHexString(got[i]));
                        break;
                    }
                }
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void quantizeFloatsEqualsReference() {
        float[] x = Fixtures.floats(5, 1000);
        for (String f : List.of("fp16", "bf16", "e4m3fn", "e2m1fn", "e8m0fnu")) {
            for (String m : List.of("rne", "rup", "sr", "sr4")) {
                Format fmt = Format.parse(f);
                Rounding r = Rounding.parse(m);
                RngKey key = new RngKey(3, 3, 3);
                int[] got = CPU.quantize(new QuantSpec(fmt, r, key), x);
                for (int i = 0; i < x.length; i++) {
                    Env env = new Env(r);
                    env.random = Philox64.word(key, i);
                    long want = RefOps.convert(Format.BINARY32, Float.floatToRawIntBits(x[i]) & 0xFFFFFFFFL, fmt, env);
                    assertEquals(want, got[i] & 0xFFFFFFFFL, f + "/" + m + " x=" + x[i]);
                }
            }
        }
    }

    // ------------------------------------------------------------------ GEMM vs an exact reference

    /** Finite non-zero patterns near 1 (no specials, no zeros), so BigDecimal can hold everything. */
    static int[] finite(Format f, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            long ef = f.bias() + r.nextInt(-3, 3);
            p[i] = (int) f.pack(r.nextBoolean(), ef, r.nextLong() & ((1L << f.manBits()) - 1));
        }
        return p;
    }

    static BigDecimal val(Format f, long bits) {
        return f.toBigDecimal(bits);
    }

    static long q(Format f, BigDecimal v, Rounding r) {
        return RefOps.fromBigDecimal(f, v, new Env(r));
    }

    /** Reference of the sequential / fma / promoted models for deterministic roundings (no zero results expected). */
    static long refSequential(GemmSpec s, int[] a, int[] b, int i, int j, int n, int k) {
        long outer = 0, acc = 0;
        int chunk = s.promoteEvery > 0 ? s.promoteEvery : k;
        for (int k0 = 0; k0 < k; k0 += chunk) {
            acc = 0;
            for (int kk = k0; kk < Math.min(k, k0 + chunk); kk++) {
                BigDecimal p = val(s.a, a[i * k + kk] & 0xFFFFFFFFL).multiply(val(s.b, b[kk * n + j] & 0xFFFFFFFFL));
                if (s.fma) {
                    acc = q(s.acc, p.add(val(s.acc, acc)), s.accRounding);
                } else {
                    long pb = q(s.prod, p, s.prodRounding);
                    acc = q(s.acc, val(s.prod, pb).add(val(s.acc, acc)), s.accRounding);
                }
            }
            if (s.promoteEvery > 0) outer = q(s.outer, val(s.outer, outer).add(val(s.acc, acc)), s.outerRounding);
        }
        return s.promoteEvery > 0 ? outer : acc;
    }

    @Test
    void sequentialModelsEqualReference() {
        Format fp16 = Format.BINARY16, bf16 = Format.BFLOAT16, fp32 = Format.BINARY32, e4m3 = Format.E4M3FN;
        List<GemmSpec> specs = new ArrayList<>();
        for (Rounding r : List.of(Rounding.RNE, Rounding.RNA, Rounding.RTZ, Rounding.RUP, Rounding.RTO)) {
            specs.add(GemmSpec.sequential(fp16, fp16, fp16, r, fp16, r));
            specs.add(GemmSpec.sequential(e4m3, bf16, fp32, Rounding.RNE, bf16, r));
            specs.add(GemmSpec.fma(bf16, bf16, fp16, r));
            specs.add(GemmSpec.fma(e4m3, e4m3, Format.parse("e5m6"), r).promoted(8, fp32, Rounding.RNE));
        }
        int m = 3, n = 4, k = 40;
        for (GemmSpec s : specs) {
            int[] a = finite(s.a, 1, m * k), b = finite(s.b, 2, k * n);
            int[] d = CPU.gemm(s, m, n, k, a, b, null);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    long want = refSequential(s, a, b, i, j, n, k);
                    long got = d[i * n + j] & 0xFFFFFFFFL;
                    // an exact zero sum is +0 in the reference (BigDecimal) and in the model for these modes
                    assertEquals(want, got, s + " element " + i + "," + j);
                }
            }
        }
    }

    // ------------------------------------------------------------------ tensor-core probes (accumulators.md §1.5)

    static int h(double v) {
        return (int) RefOps.fromDouble(Format.BINARY16, v, Env.rne());
    }

    static int f32(double v) {
        return Float.floatToRawIntBits((float) v);
    }

    /** One block: k products a_i*b_i (fp16), c (fp32 or fp16), returns d's bits. */
    static int block(int kBlock, int fBits, Format out, Rounding r, double[] as, double[] bs, double c) {
        int k = as.length;
        int[] a = new int[k], b = new int[k];
        for (int i = 0; i < k; i++) {
            a[i] = h(as[i]);
            b[i] = h(bs[i]);
        }
        int cb = out == Format.BINARY32 ? f32(c) : h(c);
        GemmSpec s = GemmSpec.fused(Format.BINARY16, Format.BINARY16, kBlock, fBits, out, r);
        return CPU.gemm(s, 1, 1, k, a, b, new int[] {cb})[0];
    }

    static double p2(int e) {
        return Math.scalb(1.0, e);
    }

    /** The delegating dotBatch (lowp.acc lanes) against the reference GEMM (CpuMath), every case, with and without C. */
    @Test
    void dotBatchEqualsReferenceGemm() throws Exception {
        assertEquals(List.of(), DotBatchCases.mismatches(CPU::dotBatch, CpuBackend.reference()));
        assertEquals(List.of(), DotBatchCases.edges(CPU::dotBatch, CpuBackend.reference()));
        assertEquals(List.of(), DotBatchCases.manyLines(CPU::dotBatch, CpuBackend.reference()));
    }

    /** The reference dotBatch (CpuMath) against the delegating GEMM (lowp.acc.Gemm). */
    @Test
    void referenceDotBatchEqualsLibraryGemm() throws Exception {
        CpuBackend ref = CpuBackend.reference();
        assertEquals(List.of(), DotBatchCases.mismatches(ref::dotBatch, CPU));
        assertEquals(List.of(), DotBatchCases.edges(ref::dotBatch, CPU));
        assertEquals(List.of(), DotBatchCases.manyLines(ref::dotBatch, CPU));
    }

    /** The real tensor-core data subset through the CPU dotBatch (both paths) equals the GPUs' outputs. */
    @Test
    void dotBatchTensorCoreData() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TensorCoreSlice.present(),
                "../shared/data/tensor-core absent: real-GPU data test skipped");
        assertEquals(List.of(), TensorCoreSlice.checkAllDots(CPU::dotBatch), "cpu dotBatch vs the GPUs' outputs");
        assertEquals(List.of(), TensorCoreSlice.checkAllDots(CpuBackend.reference()::dotBatch),
                "reference dotBatch vs the GPUs' outputs");
    }

    @Test
    void dotBatchRejectsBadShapes() {
        GemmSpec s = GemmSpec.fromProfile("h100-fp16-fp32");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CPU.dotBatch(s, 2, 3, new int[6], new int[5], null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CPU.dotBatch(s, 2, 3, new int[6], new int[6], new int[3]));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CPU.dotBatch(s, 1, 1 << 19, new int[1 << 19], new int[1 << 19], null));
    }

    @Test
    void tensorCoreProbesV100AndA100() {
        Format fp32 = Format.BINARY32;
        double u = 1 - p2(-11);
        // products exact: (1-2^-11)^2, c = 0
        assertEquals(f32(1 - p2(-10) + p2(-22)), block(4, 23, fp32, Rounding.RTZ, new double[] {u, 0, 0, 0}, new double[] {u, 0, 0, 0}, 0));
        // largest-first, no guard bits: 1*1 + c = -(1-2^-24): V100 2^-23, A100 2^-24
        assertEquals(f32(p2(-23)), block(4, 23, fp32, Rounding.RTZ, new double[] {1, 0, 0, 0}, new double[] {1, 0, 0, 0}, -(1 - p2(-24))));
        assertEquals(f32(p2(-24)), block(8, 24, fp32, Rounding.RTZ, new double[] {1, 0, 0, 0, 0, 0, 0, 0}, new double[] {1, 0, 0, 0, 0, 0, 0, 0}, -(1 - p2(-24))));
        // normalisation in addition: 4 x (1*2^-24), c = 1-2^-24 -> 1+2^-23 (both)
        double t = p2(-24);
        assertEquals(f32(1 + p2(-23)), block(4, 23, fp32, Rounding.RTZ, new double[] {1, 1, 1, 1}, new double[] {t, t, t, t}, 1 - p2(-24)));
        // normalisation in subtraction: 1*1, 1*(-2^-24), c = -1+2^-24: V100 2^-23, A100 0
        assertEquals(f32(p2(-23)), block(4, 23, fp32, Rounding.RTZ, new double[] {1, 1, 0, 0}, new double[] {1, -t, 0, 0}, -1 + p2(-24)));
        assertEquals(0, block(8, 24, fp32, Rounding.RTZ, new double[] {1, 1, 0, 0, 0, 0, 0, 0}, new double[] {1, -t, 0, 0, 0, 0, 0, 0}, -1 + p2(-24)));
        // carry bits: 1*1 + 1*1.5 + 1*1.75 + 1*1.875 + c = 1.875 -> 8
        assertEquals(f32(8), block(4, 23, fp32, Rounding.RTZ, new double[] {1, 1, 1, 1}, new double[] {1, 1.5, 1.75, 1.875}, 1.875));
        // RZ positive / negative: 1*2 + 1*(2^-23+2^-24) -> 2 ; negated -> -2
        double small = p2(-23) + p2(-24);
        assertEquals(f32(2), block(4, 23, fp32, Rounding.RTZ, new double[] {1, 1, 0, 0}, new double[] {2, small, 0, 0}, 0));
        assertEquals(f32(-2), block(4, 23, fp32, Rounding.RTZ, new double[] {1, 1, 0, 0}, new double[] {-2, -small, 0, 0}, 0));
        // RZ on normalisation: 4 x (1*1), c = 1+2^-22+2^-23 -> 5
        assertEquals(f32(5), block(4, 23, fp32, Rounding.RTZ, new double[] {1, 1, 1, 1}, new double[] {1, 1, 1, 1}, 1 + p2(-22) + p2(-23)));
        // fp16 output is RN: 2^-24*2^-1 + 2^-24*2^-2 -> 2^-24
        assertEquals(h(p2(-24)), block(4, 23, Format.BINARY16, Rounding.RNE, new double[] {t, t, 0, 0}, new double[] {0.5, 0.25, 0, 0}, 0));
        // non-monotonic: 4 x (1*2^-24) with c = 1-2^-24 gives 1+2^-23, with c = 1 gives 1
        assertEquals(f32(1), block(4, 23, fp32, Rounding.RTZ, new double[] {1, 1, 1, 1}, new double[] {t, t, t, t}, 1));
    }

    @Test
    void fusedChainsBlocksAndPromotes() {
        // two blocks of k=2, F=23: ((c + p0 + p1) -> d0) + p2 + p3 -> d1; all exact here: 1+2+3+4+0.5 = 10.5
        Format fp32 = Format.BINARY32;
        int[] a = {h(1), h(2), h(3), h(4)}, b = {h(1), h(1), h(1), h(1)};
        GemmSpec s = GemmSpec.fused(Format.BINARY16, Format.BINARY16, 2, 23, fp32, Rounding.RTZ);
        assertEquals(f32(10.5), CPU.gemm(s, 1, 1, 4, a, b, new int[] {f32(0.5)})[0]);
        GemmSpec p = s.promoted(2, fp32, Rounding.RNE);
        assertEquals(f32(10.5), CPU.gemm(p, 1, 1, 4, a, b, new int[] {f32(0.5)})[0]);
    }

    // ------------------------------------------------------------------ gradient step vs reference

    @Test
    void stepEqualsReference() {
        int n = 500;
        SplittableRandom rnd = new SplittableRandom(4);
        float[] g = new float[n];
        for (int i = 0; i < n; i++) g[i] = (float) Math.scalb(rnd.nextDouble(-1, 1), rnd.nextInt(-4, 4));
        Format bf16 = Format.BFLOAT16, fp16 = Format.BINARY16, e5m2 = Format.E5M2;
        for (Rounding r : List.of(Rounding.RNE, Rounding.RTZ, Rounding.RUP, Rounding.RNA)) {
            StepSpec s = StepSpec.momentum(e5m2, fp16, bf16, fp16, r, 0.1f, 0.9f, null);
            int[] w = finite(bf16, 8, n), v = finite(fp16, 9, n);
            int[] w0 = w.clone(), v0 = v.clone();
            CPU.step(s, w, g, v);
            for (int i = 0; i < n; i++) {
                long gq = RefOps.fromDouble(e5m2, g[i], new Env(r));
                BigDecimal nv = new BigDecimal((double) 0.9f).multiply(val(fp16, v0[i])).add(val(e5m2, gq));
                long vb = q(fp16, nv, r);
                long ub = q(fp16, new BigDecimal((double) 0.1f).multiply(val(fp16, vb)), r);
                long wb = q(bf16, val(bf16, w0[i]).subtract(val(fp16, ub)), r);
                assertEquals(vb, v[i] & 0xFFFFFFFFL, "momentum " + r + " i=" + i);
                assertEquals(wb, w[i] & 0xFFFFFFFFL, "weight " + r + " i=" + i);
            }
        }
    }

    /**
     * Stochastic rounding in the gradient step is exact: each of the four roundings equals the reference
     * rounding of the exact value with the Philox word of its index (4i, 4i+1, 4i+2, 4i+3). Tiny gradients
     * make w - u sums whose exponents differ by more than 64 (the sticky path of the 128-bit sum).
     */
    @Test
    void stochasticStepEqualsReference() {
        int n = 400;
        SplittableRandom rnd = new SplittableRandom(6);
        float[] g = new float[n];
        for (int i = 0; i < n; i++) g[i] = (float) Math.scalb(rnd.nextDouble(-1, 1), rnd.nextInt(-60, 4));
        Format bf16 = Format.BFLOAT16, fp16 = Format.BINARY16, e5m2 = Format.E5M2;
        RngKey key = new RngKey(12, 3, 5);
        for (Rounding r : List.of(Rounding.SR, Rounding.parse("sr6"), Rounding.SR_EQUAL)) {
            StepSpec s = new StepSpec(e5m2, r, Format.BINARY32, r, bf16, r, fp16, r, 0.1f, 0.9f, key);
            int[] w = finite(bf16, 18, n), v = finite(fp16, 19, n);
            int[] w0 = w.clone(), v0 = v.clone();
            CpuBackend.reference().step(s, w, g, v);
            for (int i = 0; i < n; i++) {
                Env e0 = new Env(r);
                e0.random = Philox64.word(key, 4L * i);
                long gq = RefOps.fromDouble(e5m2, g[i], e0);
                BigDecimal nv = new BigDecimal((double) 0.9f).multiply(val(fp16, v0[i])).add(val(e5m2, gq));
                long vb = qr(fp16, nv, r, Philox64.word(key, 4L * i + 1));
                long ub = qr(Format.BINARY32, new BigDecimal((double) 0.1f).multiply(val(fp16, vb)), r, Philox64.word(key, 4L * i + 2));
                long wb = qr(bf16, val(bf16, w0[i]).subtract(val(Format.BINARY32, ub)), r, Philox64.word(key, 4L * i + 3));
                assertEquals(vb, v[i] & 0xFFFFFFFFL, "momentum " + r + " i=" + i);
                assertEquals(wb, w[i] & 0xFFFFFFFFL, "weight " + r + " i=" + i);
            }
        }
    }

    static long qr(Format f, BigDecimal v, Rounding r, long word) {
        Env e = new Env(r);
        e.random = word;
        return RefOps.fromBigDecimal(f, v, e);
    }
}
