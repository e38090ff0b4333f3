package lowp.backend;

import lowp.format.Format;
import lowp.round.Rounding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The CUDA kernels' numerics on the host: kernels/host/lowp_host.cpp compiles the real kernels/*.cu (with
 * lowp_numerics.h / lowp_ops.h) with g++, runs every launch grid as loops, and must equal the Java CPU backend
 * bit for bit on quantize (all modes incl. SR), GEMM (every model) and the gradient step. Without g++: skips
 * locally, fails in CI ({@link CiStrict}).
 */
class CudaHostNumericsTest {
    static Path exe;
    static Path dir;
    static final CpuBackend CPU = new CpuBackend();

    @BeforeAll
    static void build() throws Exception {
        dir = Files.createDirectories(Paths.get("target", "lowp-host"));
        exe = dir.resolve("lowp_host");
        Path src = Paths.get("kernels", "host", "lowp_host.cpp");
        if (!Files.exists(src)) {
            CiStrict.missing("CudaHostNumericsTest", "kernels/host/lowp_host.cpp not found (run from the project root)");
        }
        Process p;
        try {
            p = new ProcessBuilder("g++", "-O1", "-std=c++17", "-Wall", "-Wextra", "-Werror", "-o", exe.toString(), src.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            CiStrict.missing("CudaHostNumericsTest", "g++ not found (" + e.getMessage() + ")");
            return;
        }
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "host build of the CUDA kernels failed:\n" + log);
    }

    static int[] run(String op, ByteBuffer job, int outInts) throws Exception {
        Path in = Files.createTempFile(dir, op, ".in"), out = Files.createTempFile(dir, op, ".out");
        try {
            Files.write(in, java.util.Arrays.copyOf(job.array(), job.position()));
            Process p = new ProcessBuilder(exe.toString(), op, in.toString(), out.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            assertEquals(0, p.exitValue(), "lowp_host " + op + ": " + log);
            ByteBuffer r = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(4L * outInts, r.remaining(), "result size of " + op);
            int[] v = new int[outInts];
            r.asIntBuffer().get(v);
            return v;
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    static ByteBuffer buf(long bytes) {
        return ByteBuffer.allocate((int) bytes + 4096).order(ByteOrder.LITTLE_ENDIAN);
    }

    static void ints(ByteBuffer b, int[] v) {
        for (int x : v) b.putInt(x);
    }

    static void key(ByteBuffer b, RngKey k) {
        b.putLong(k.seed()).putInt(k.stream()).putInt((int) k.step());
    }

    static int[] hostQuantize(QuantSpec s, double[] x) throws Exception {
        ByteBuffer b = buf(8L * x.length);
        b.putInt(x.length).putInt(1).putInt(0).putInt(x.length);
        ints(b, Specs.desc(s.format()));
        ints(b, Specs.rdesc(s.rounding()));
        key(b, s.key());
        for (double d : x) b.putLong(Double.doubleToRawLongBits(d));
        return run("quantize_f64", b, x.length);
    }

    static int[][] hostQuantizeBatch(QuantSpec s, float[][] xs) throws Exception {
        int total = 0;
        for (float[] x : xs) total += x.length;
        ByteBuffer b = buf(4L * total + 4L * xs.length);
        b.putInt(total).putInt(xs.length);
        int off = 0;
        b.putInt(0);
        for (float[] x : xs) b.putInt(off += x.length);
        ints(b, Specs.desc(s.format()));
        ints(b, Specs.rdesc(s.rounding()));
        key(b, s.key());
        for (float[] x : xs) for (float f : x) b.putInt(Float.floatToRawIntBits(f));
        int[] flat = run("quantize_f32", b, total);
        int[][] r = new int[xs.length][];
        off = 0;
        for (int j = 0; j < xs.length; j++) {
            r[j] = java.util.Arrays.copyOfRange(flat, off, off + xs[j].length);
            off += xs[j].length;
        }
        return r;
    }

    static int[] hostGemm(GemmSpec s, int m, int n, int k, int[] a, int[] b, int[] c) throws Exception {
        ByteBuffer bb = buf(4L * (a.length + b.length + m * n) + 1024);
        bb.putInt(m).putInt(n).putInt(k).putInt(c != null ? 1 : 0);
        ints(bb, s.formatDescs());
        ints(bb, s.params());
        key(bb, s.key);
        ints(bb, a);
        ints(bb, b);
        if (c != null) ints(bb, c);
        return run("gemm", bb, m * n);
    }

    static int[] hostDot(GemmSpec s, int count, int k, int[] a, int[] b, int[] c) throws Exception {
        ByteBuffer bb = buf(4L * (a.length + b.length + count) + 1024);
        bb.putInt(count).putInt(k).putInt(c != null ? 1 : 0);
        ints(bb, s.formatDescs());
        ints(bb, s.params());
        key(bb, s.key);
        ints(bb, a);
        ints(bb, b);
        if (c != null) ints(bb, c);
        return run("dot", bb, count);
    }

    /** kernels/gemm.cu's lowp_dot_batch on the host == the CPU backend's GEMM per line (2000 lines: grid-stride). */
    @Test
    void dotBatchEqualsCpuGemm() throws Exception {
        assertEquals(List.of(), DotBatchCases.mismatches(CudaHostNumericsTest::hostDot, CPU));
        assertEquals(List.of(), DotBatchCases.edges(CudaHostNumericsTest::hostDot, CPU));
        assertEquals(List.of(), DotBatchCases.manyLines(CudaHostNumericsTest::hostDot, CPU));
    }

    @Test
    void dotBatchTensorCoreData() throws Exception {
        Assumptions.assumeTrue(TensorCoreSlice.present(), "../shared/data/tensor-core absent: real-GPU data test skipped");
        assertEquals(List.of(), TensorCoreSlice.checkAllDots(CudaHostNumericsTest::hostDot),
                "host-compiled CUDA dotBatch with GemmSpec.fromProfile vs the GPUs' outputs");
    }

    @Test
    void quantizeAllFormatsAndModes() throws Exception {
        double[] x = Fixtures.doubles(7, Fixtures.scale(1500));
        List<String> bad = new ArrayList<>();
        for (String f : Fixtures.QUANT_FORMATS) {
            for (String m : Fixtures.MODES) {
                QuantSpec s = new QuantSpec(Format.parse(f), Rounding.parse(m), new RngKey(0xFEDC_BA98_7654_3210L, 6, 12));
                int[] want = CPU.quantize(s, x), got = hostQuantize(s, x);
                for (int i = 0; i < x.length; i++) {
                    if (want[i] != got[i]) {
                        bad.add(f + "/" + m + " x=" + x[i] + " cpu=" + Integer.toHexString(want[i]) + " cuda-host=" + Integer.toHexString(got[i]));
                        break;
                    }
                }
            }
        }
        assertEquals(List.of(), bad);
    }

    /**
     * e8m0fnu under rne: 2^-128, the tie between 2^-127 (0x00) and the zero the format lacks, goes up like every
     * e8m0 tie (docs/formats.md §5); just below it rounds to zero, i.e. NaN 0xFF; 1.5 * 2^-127 ties up to 0x01.
     */
    @Test
    void e8m0BelowRangeTieGoesUp() throws Exception {
        double h = Math.scalb(1.0, -128);
        double[] x = {h, Math.nextDown(h), Math.nextUp(h), 1.5 * Math.scalb(1.0, -127)};
        QuantSpec s = new QuantSpec(Format.E8M0FNU, Rounding.RNE);
        int[] want = {0x00, 0xFF, 0x00, 0x01};
        assertArrayEquals(want, CPU.quantize(s, x), "cpu");
        assertArrayEquals(want, hostQuantize(s, x), "kernel");
    }

    @Test
    void quantizeFloatBatches() throws Exception {
        float[][] xs = {Fixtures.floats(1, 700), Fixtures.floats(2, 33), new float[0], Fixtures.floats(3, 300)};
        for (String m : List.of("rne", "rdn", "sr", "sr-equal", "sr12")) {
            QuantSpec s = new QuantSpec(Format.E5M2, Rounding.parse(m), new RngKey(5, 40, 2));
            int[][] got = hostQuantizeBatch(s, xs);
            int[][] want = CPU.quantizeBatch(s, xs);
            for (int j = 0; j < xs.length; j++) assertArrayEquals(want[j], got[j], m + " array " + j);
        }
    }

    @Test
    void gemmAllModels() throws Exception {
        int m = 6, n = 5, k = Fixtures.scale(70);
        for (GemmSpec s : AparapiBackendTest.gemmSpecs()) {
            int[] a = Fixtures.patterns(s.a, 21, m * k), b = Fixtures.patterns(s.b, 22, k * n);
            int[] c = Fixtures.patterns(s.output(), 23, m * n);
            assertArrayEquals(CPU.gemm(s, m, n, k, a, b, c), hostGemm(s, m, n, k, a, b, c), s.toString());
            assertArrayEquals(CPU.gemm(s, m, n, k, a, b, null), hostGemm(s, m, n, k, a, b, null), s + " without C");
        }
        // a shape that is not a multiple of the 16x16 tile and K not a multiple of the block
        GemmSpec s = GemmSpec.fused(Format.BINARY16, Format.BINARY16, 16, 25, Format.BINARY32, Rounding.RTZ);
        int[] a = Fixtures.patterns(s.a, 1, 17 * 37), b = Fixtures.patterns(s.b, 2, 37 * 19);
        assertArrayEquals(CPU.gemm(s, 17, 19, 37, a, b, null), hostGemm(s, 17, 19, 37, a, b, null));
        // tall and thin (matrix-vector): 3000 x 1 outputs on 7 blocks of 128 threads, each thread several rows
        GemmSpec sr = GemmSpec.fma(Format.BFLOAT16, Format.BFLOAT16, Format.BINARY16, Rounding.SR);
        int[] at = Fixtures.patterns(sr.a, 3, 3000 * 9), bt = Fixtures.patterns(sr.b, 4, 9);
        assertArrayEquals(CPU.gemm(sr, 3000, 1, 9, at, bt, null), hostGemm(sr, 3000, 1, 9, at, bt, null), "3000x1x9 " + sr);
    }

    @Test
    void tensorCoreDataProfiles() throws Exception {
        Assumptions.assumeTrue(TensorCoreSlice.present(), "../shared/data/tensor-core absent: real-GPU data test skipped");
        assertEquals(List.of(), TensorCoreSlice.checkAll(CudaHostNumericsTest::hostGemm),
                "host-compiled CUDA GEMM with GemmSpec.fromProfile vs the GPUs' outputs");
    }

    @Test
    void gradientStep() throws Exception {
        int n = Fixtures.scale(2000);
        float[] g = Fixtures.floats(41, n);
        for (int i = 0; i < n; i += 2) g[i] = (float) (g[i] * 1e-25);
        Format fp16 = Format.BINARY16, bf16 = Format.BFLOAT16, e4m3 = Format.E4M3FN, e5m2 = Format.E5M2;
        List<StepSpec> specs = List.of(
                StepSpec.sgd(bf16, bf16, bf16, Rounding.SR, 0.01f, new RngKey(5, 1, 17)),
                StepSpec.sgd(e4m3, e5m2, fp16, Rounding.parse("sr6"), 3e-3f, new RngKey(-1, 7, 0xFFFFFFFFL)),
                StepSpec.momentum(bf16, bf16, bf16, fp16, Rounding.SR, 0.05f, 0.9f, new RngKey(8, 2, 4)),
                new StepSpec(e5m2, Rounding.RNE, fp16, Rounding.SR_EQUAL, Format.parse("e8m7:nosub"), Rounding.RTZ,
                        Format.BINARY32, Rounding.RDN, -0.5f, 0.99f, new RngKey(1, 1, 1)));
        for (StepSpec s : specs) {
            int[] w = Fixtures.patterns(s.w(), 51, n);
            int[] v = s.hasMomentum() ? Fixtures.patterns(s.v(), 52, n) : null;
            ByteBuffer b = buf(16L * n + 1024);
            b.putInt(n);
            ints(b, s.formatDescs());
            ints(b, s.params());
            key(b, s.key());
            ints(b, w);
            for (float f : g) b.putInt(Float.floatToRawIntBits(f));
            if (v != null) ints(b, v);
            int[] got = run("step", b, v != null ? 2 * n : n);
            int[] w1 = w.clone(), v1 = v == null ? null : v.clone();
            CPU.step(s, w1, g, v1);
            assertArrayEquals(w1, java.util.Arrays.copyOfRange(got, 0, n), "weights " + s);
            if (v != null) assertArrayEquals(v1, java.util.Arrays.copyOfRange(got, n, 2 * n), "momentum " + s);
        }
    }
}
