package lowp.backend;

import lowp.format.Format;
import lowp.round.Rounding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * CUDA on a real GPU equals the CPU backend bit for bit (quantize all formats/modes, every GEMM model, the
 * gradient step). Skips with the reason where CUDA is unavailable; bench/gpu/run-gpu-checks.sh runs it on an
 * NVIDIA machine.
 */
class CudaBackendTest {
    static CudaBackend cuda;
    static final CpuBackend CPU = new CpuBackend();

    @BeforeAll
    static void open() {
        try {
            cuda = CudaBackend.open();
        } catch (BackendUnavailableException e) {
            System.out.println("[CudaBackendTest] skipped: " + e.getMessage());
            Assumptions.abort(e.getMessage());
        }
    }

    @AfterAll
    static void close() {
        if (cuda != null) cuda.close();
    }

    @Test
    void quantize() {
        double[] x = Fixtures.doubles(7, 20000);
        float[] xf = Fixtures.floats(8, 20000);
        for (String f : Fixtures.QUANT_FORMATS) {
            for (String m : Fixtures.MODES) {
                QuantSpec s = new QuantSpec(Format.parse(f), Rounding.parse(m), new RngKey(0x1234_5678_9ABCL, 5, 11));
                assertArrayEquals(CPU.quantize(s, x), cuda.quantize(s, x), f + "/" + m);
                assertArrayEquals(CPU.quantize(s, xf), cuda.quantize(s, xf), f + "/" + m + " float");
            }
        }
        QuantSpec s = new QuantSpec(Format.BFLOAT16, Rounding.SR, new RngKey(1, 2, 3));
        float[][] xs = {xf, new float[0], Fixtures.floats(9, 333)};
        int[][] got = cuda.quantizeBatch(s, xs), want = CPU.quantizeBatch(s, xs);
        for (int j = 0; j < xs.length; j++) assertArrayEquals(want[j], got[j]);
    }

    @Test
    void gemm() {
        int m = 33, n = 47, k = 130;
        for (GemmSpec s : AparapiBackendTest.gemmSpecs()) {
            int[] a = Fixtures.patterns(s.a, 11, m * k), b = Fixtures.patterns(s.b, 12, k * n);
            int[] c = Fixtures.patterns(s.output(), 13, m * n);
            assertArrayEquals(CPU.gemm(s, m, n, k, a, b, c), cuda.gemm(s, m, n, k, a, b, c), s.toString());
            assertArrayEquals(CPU.gemm(s, m, n, k, a, b, null), cuda.gemm(s, m, n, k, a, b, null), s + " without C");
        }
    }

    @Test
    void tensorCoreData() throws Exception {
        Assumptions.assumeTrue(TensorCoreSlice.present(), "../shared/data/tensor-core absent: real-GPU data test skipped");
        // all 5000 lines of every validated profile (and the 2xAcc ones), 100 lines per block-diagonal GEMM
        assertEquals(List.of(), TensorCoreSlice.checkAll(cuda::gemm, TensorCoreSlice.ALL, TensorCoreSlice.CHUNK),
                "CUDA GEMM with GemmSpec.fromProfile vs the GPUs' outputs");
    }

    /** lowp_dot_batch through JCuda == the CPU backend's GEMM per line (DotBatchCases), and on the real data. */
    @Test
    void dotBatch() throws Exception {
        assertEquals(List.of(), DotBatchCases.mismatches(cuda::dotBatch, CPU));
        assertEquals(List.of(), DotBatchCases.edges(cuda::dotBatch, CPU));
        assertEquals(List.of(), DotBatchCases.manyLines(cuda::dotBatch, CPU));
        if (TensorCoreSlice.present()) {
            assertEquals(List.of(), TensorCoreSlice.checkAllDots(cuda::dotBatch), "CUDA dotBatch vs the GPUs' outputs");
        }
    }

    @Test
    void step() {
        int n = 50000;
        float[] g = Fixtures.floats(21, n);
        Format bf16 = Format.BFLOAT16, fp16 = Format.BINARY16, e5m2 = Format.E5M2;
        for (StepSpec s : List.of(StepSpec.sgd(bf16, bf16, bf16, Rounding.SR, 0.01f, new RngKey(5, 1, 17)),
                StepSpec.momentum(e5m2, fp16, bf16, fp16, Rounding.parse("sr8"), 0.05f, 0.9f, new RngKey(8, 2, 4)))) {
            int[] w = Fixtures.patterns(s.w(), 31, n), v = s.hasMomentum() ? Fixtures.patterns(s.v(), 32, n) : null;
            int[] w1 = w.clone(), w2 = w.clone(), v1 = v == null ? null : v.clone(), v2 = v == null ? null : v.clone();
            CPU.step(s, w1, g, v1);
            cuda.step(s, w2, g, v2);
            assertArrayEquals(w1, w2);
            if (v != null) assertArrayEquals(v1, v2);
        }
    }
}
