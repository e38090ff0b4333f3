package lowp.quant;

import lowp.format.Format;
import lowp.rng.RandomKey;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Same seed, same bits for 1, 2 and 7 threads, on arrays that really run as many chunks: the production
 * {@link Parallel#forRange} with its chunk size lowered to about 1000 elements ({@link Parallel#withChunk}), so
 * arrays of ~9000 elements (not a multiple of the chunk or of the block size) are split into 9-10 chunks.
 * Elementwise quantizers are compared with the scalar path element by element (word = key.word(index0 + i));
 * block quantizers, whose scalar call is a block of one, with the unchunked single-thread call (the default
 * chunk of 65536 makes a 9001-element array one chunk run on the caller).
 */
class ThreadCountReproducibilityTest {
    static final int N = 9001;
    static final int SMALL_CHUNK = 1000;
    static final int[] THREADS = {1, 2, 7};
    static final int SRC_OFF = 3, DST_OFF = 5;
    static final long INDEX0 = 777;
    static final RandomKey KEY = RandomKey.of(0x5EED_2026L, 4, 9);

    /** Inputs over many binades (target subnormal, normal, overflow ranges), zeros, exact grid values. */
    static double[] inputs(long seed, boolean specials, double maxMag) {
        return inputs(seed, specials, maxMag, N + SRC_OFF);
    }

    static double[] inputs(long seed, boolean specials, double maxMag, int length) {
        Random r = new Random(seed);
        double[] x = new double[length];
        for (int i = 0; i < x.length; i++) {
            int k = r.nextInt(20);
            double v;
            if (k == 0) v = 0.0;
            else if (k == 1) v = -0.0;
            else if (k == 2) v = Math.scalb((double) r.nextInt(64), r.nextInt(20) - 10); // often exact
            else v = Math.scalb(1 + r.nextDouble(), r.nextInt(46) - 32);
            if (r.nextBoolean()) v = -v;
            if (Math.abs(v) > maxMag) v = Math.copySign(maxMag * r.nextDouble(), v);
            x[i] = v;
        }
        if (specials) {
            x[100] = Double.NaN;
            x[4000] = Double.POSITIVE_INFINITY;
            x[8000] = Double.NEGATIVE_INFINITY;
        }
        return x;
    }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    /** A quantizer and whether its values fit floats, its inputs may hold NaN/Inf. */
    record Case(Quantizer q, boolean floatValues, boolean specials, double maxMag) {
    }

    static List<Case> elementwise() {
        List<Case> cs = new ArrayList<>();
        cs.add(new Case(new FloatQuantizer(Format.BINARY16, Rounding.SR), true, true, 1e300));
        cs.add(new Case(new FloatQuantizer(Format.BFLOAT16, Rounding.srBits(8)), true, true, 1e300));
        cs.add(new Case(new FloatQuantizer(Format.E4M3FN, Rounding.SR, FloatQuantizer.Underflow.FLUSH,
                FloatQuantizer.Overflow.CLAMP), true, true, 1e300));
        cs.add(new Case(new FloatQuantizer(Format.E5M2, Rounding.RNE), true, true, 1e300));
        cs.add(new Case(new FixedPointQuantizer(16, 8, true, Rounding.SR, FixedPointQuantizer.OverflowMode.SATURATE),
                true, true, 1e300));
        cs.add(new Case(new FixedPointQuantizer(12, 4, true, Rounding.srBits(8), FixedPointQuantizer.OverflowMode.WRAP),
                true, true, 1e300));
        cs.add(new Case(GridQuantizer.logarithmic(0.01, 0.1, 8, Rounding.SR), false, false, 1e300));
        cs.add(new Case(GridQuantizer.linear(0.375, 10, Rounding.srBits(8)), true, false, 1e300));
        return cs;
    }

    @Test
    void elementwiseQuantizersAcrossChunks() {
        for (Case c : elementwise()) {
            Quantizer q = c.q();
            double[] x = inputs(q.toString().hashCode(), c.specials(), c.maxMag());
            float[] xf = toFloat(x);
            // scalar references
            double[] wantD = new double[N];
            long[] wantBitsD = new long[N], wantBitsF = new long[N];
            double[] wantF = new double[N];
            for (int i = 0; i < N; i++) {
                long w = q.isStochastic() ? KEY.word(INDEX0 + i) : 0L;
                wantD[i] = q.quantize(x[SRC_OFF + i], w);
                wantF[i] = q.quantize(xf[SRC_OFF + i], w);
                wantBitsD[i] = q.encode(x[SRC_OFF + i], w);
                wantBitsF[i] = q.encode(xf[SRC_OFF + i], w);
            }
            Parallel.withChunk(SMALL_CHUNK, () -> {
                assertTrue(Parallel.chunks(N, q.alignment()) >= 9);
                for (int t : THREADS) {
                    String at = q + " threads=" + t;
                    double[] yd = new double[N + DST_OFF];
                    q.quantize(x, SRC_OFF, yd, DST_OFF, N, KEY, INDEX0, t);
                    long[] bd = new long[N + DST_OFF];
                    q.encode(x, SRC_OFF, bd, DST_OFF, N, KEY, INDEX0, t);
                    long[] bf = new long[N + DST_OFF];
                    q.encode(xf, SRC_OFF, bf, DST_OFF, N, KEY, INDEX0, t);
                    float[] yf = c.floatValues() ? new float[N + DST_OFF] : null;
                    if (yf != null) q.quantize(xf, SRC_OFF, yf, DST_OFF, N, KEY, INDEX0, t);
                    for (int i = 0; i < N; i++) {
                        sameBits(wantD[i], yd[DST_OFF + i], at + " double values, element " + i);
                        assertEquals(wantBitsD[i], bd[DST_OFF + i], at + " double->bits, element " + i);
                        assertEquals(wantBitsF[i], bf[DST_OFF + i], at + " float->bits, element " + i);
                        if (yf != null) {
                            sameBits((float) wantF[i], yf[DST_OFF + i], at + " float values, element " + i);
                        }
                    }
                }
            });
        }
    }

    static List<BlockQuantizer> blockQuantizers() {
        return List.of(
                BlockQuantizer.mx("mxfp8_e4m3", Rounding.SR),
                BlockQuantizer.mx("mxfp4_e2m1", Rounding.srBits(8)),
                BlockQuantizer.mx("mxfp6_e3m2", Rounding.RNE),
                BlockQuantizer.mxint8(Rounding.SR, false),
                BlockQuantizer.nvfp4(Rounding.SR));
    }

    @Test
    void blockQuantizersAcrossChunks() {
        for (BlockQuantizer q : blockQuantizers()) {
            double[] x = inputs(q.toString().hashCode(), true, 1e30);
            float[] xf = toFloat(x);
            // unchunked single-thread references (default chunk: one chunk, run on the caller)
            assertEquals(1, Parallel.chunks(N, q.alignment()));
            double[] wantD = new double[N + DST_OFF];
            q.quantize(x, SRC_OFF, wantD, DST_OFF, N, KEY, INDEX0, 1);
            float[] wantF = new float[N + DST_OFF];
            q.quantize(xf, SRC_OFF, wantF, DST_OFF, N, KEY, INDEX0, 1);
            Parallel.withChunk(SMALL_CHUNK, () -> {
                assertTrue(Parallel.chunks(N, q.alignment()) >= 9);
                assertTrue(N % q.alignment() != 0, "the last block must be partial");
                for (int t : THREADS) {
                    String at = q + " threads=" + t;
                    double[] yd = new double[N + DST_OFF];
                    q.quantize(x, SRC_OFF, yd, DST_OFF, N, KEY, INDEX0, t);
                    float[] yf = new float[N + DST_OFF];
                    q.quantize(xf, SRC_OFF, yf, DST_OFF, N, KEY, INDEX0, t);
                    for (int i = 0; i < N + DST_OFF; i++) {
                        sameBits(wantD[i], yd[i], at + " double values, position " + i);
                        sameBits(wantF[i], yf[i], at + " float values, position " + i);
                    }
                }
            });
        }
    }

    /** quantizeBlocks (values, element bits, scale bits) along the middle axis and the last axis. */
    @Test
    void blocksAlongAnAxisAcrossChunks() {
        int[][] shapes = {{3, 100, 37}, {301, 45, 1}}; // units 3*4*37 = 444, 301*2 = 602
        for (BlockQuantizer q : blockQuantizers()) {
            for (int[] sh : shapes) {
                int outer = sh[0], len = sh[1], inner = sh[2];
                int n = outer * len * inner;
                int units = outer * ((len + q.blockSize() - 1) / q.blockSize()) * inner;
                double[] x = inputs(q.toString().hashCode() + n, true, 1e30, n);
                double[] wantV = new double[n];
                long[] wantE = new long[n], wantS = new long[units];
                q.quantizeBlocks(x, outer, len, inner, wantV, wantE, wantS, KEY, 1);
                Parallel.withChunk(50, () -> {
                    assertTrue(Parallel.chunks(units, 1) >= 9);
                    for (int t : THREADS) {
                        String at = q + " shape " + outer + "x" + len + "x" + inner + " threads=" + t;
                        double[] v = new double[n];
                        long[] e = new long[n], s = new long[units];
                        q.quantizeBlocks(x, outer, len, inner, v, e, s, KEY, t);
                        for (int i = 0; i < n; i++) {
                            sameBits(wantV[i], v[i], at + " value " + i);
                            assertEquals(wantE[i], e[i], at + " element bits " + i);
                        }
                        for (int u = 0; u < units; u++) assertEquals(wantS[u], s[u], at + " scale " + u);
                    }
                });
            }
        }
    }

    /** Tensor-scaled (current amax) quantization: the amax pass and the element pass both chunked. */
    @Test
    void tensorScaledAcrossChunks() {
        double[] x = inputs(99, false, 1e6);
        TensorScaledQuantizer ref = TensorScaledQuantizer.current(Format.E4M3FN, Rounding.SR);
        double[] want = new double[N + DST_OFF];
        ref.quantize(x, SRC_OFF, want, DST_OFF, N, KEY, INDEX0, 1);
        Parallel.withChunk(SMALL_CHUNK, () -> {
            for (int t : THREADS) {
                TensorScaledQuantizer q = TensorScaledQuantizer.current(Format.E4M3FN, Rounding.SR);
                double[] y = new double[N + DST_OFF];
                q.quantize(x, SRC_OFF, y, DST_OFF, N, KEY, INDEX0, t);
                for (int i = 0; i < N + DST_OFF; i++) sameBits(want[i], y[i], "threads=" + t + " position " + i);
            }
        });
    }

    static void sameBits(double want, double got, String what) {
        if (Double.doubleToRawLongBits(want) != Double.doubleToRawLongBits(got)) {
            fail(what + ": want " + want + " got " + got);
        }
    }

    static void sameBits(float want, float got, String what) {
        if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got)) {
            fail(what + ": want " + want + " got " + got);
        }
    }
}
