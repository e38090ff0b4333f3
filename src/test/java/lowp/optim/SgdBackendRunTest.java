package lowp.optim;

import lowp.backend.AparapiBackend;
import lowp.backend.Backend;
import lowp.backend.BackendUnavailableException;
import lowp.backend.CpuBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Sgd.run with its updates through lowp.backend's fused gradient step equals the CPU driver bit for bit
 * (deterministic roundings): the cpu backend always, the aparapi (OpenCL) backend where a platform is installed
 * (skipped otherwise).
 */
class SgdBackendRunTest {
    static final String[] POLICIES = {
        "w=bf16/rne,g=bf16,u=bf16/rne,m=bf16/rne,acc=e8m15",
        "w=fp16/rtz,g=bf16,u=fp32/rtz,m=fp32/rtz,acc=fp32",
        "w=fp32,g=fp16,u=bf16,m=bf16,acc=e8m10",
    };

    static void assertSameRuns(Backend be) {
        double[][] data = Datasets.gaussianMixture(256, 2, 2, 1, 1, 3);
        LogisticRegression lr = new LogisticRegression(data[0], data[1], 3, 1e-3);
        for (String spec : POLICIES) {
            for (double beta : new double[] {0, 0.875}) {
                Sgd.Result cpu = Sgd.run(lr, new double[] {0.5, -0.25, 0}, Policy.parse(spec, 1), 0.125, beta, 3, 16, 7);
                Sgd.Result dev = Sgd.run(lr, new double[] {0.5, -0.25, 0}, Policy.parse(spec, 1), 0.125, beta, 3, 16, 7, be);
                assertArrayEquals(cpu.w(), dev.w(), spec + " beta=" + beta);
                assertEquals(cpu.metrics().toCsv(), dev.metrics().toCsv(), spec + " beta=" + beta);
                assertEquals(cpu.stagnated(), dev.stagnated(), spec + " beta=" + beta);
                assertFalse(java.util.Arrays.equals(cpu.w(), new double[] {0.5, -0.25, 0}), "the run moved");
            }
        }
    }

    @Test
    void cpuBackendEqualsCpuDriver() {
        try (CpuBackend be = new CpuBackend()) {
            assertSameRuns(be);
        }
    }

    @Test
    void aparapiBackendEqualsCpuDriverWhereOpenClIsPresent() {
        AparapiBackend be;
        try {
            be = AparapiBackend.open();
        } catch (BackendUnavailableException e) {
            Assumptions.abort("no OpenCL platform: " + e.getMessage());
            return;
        }
        try {
            assertSameRuns(be);
        } finally {
            be.close();
        }
    }

    @Test
    void specMappingAndErrors() {
        Policy pol = Policy.parse("w=bf16/sr,g=fp16,u=fp32/rtz,m=bf16/rna", 1);
        lowp.backend.StepSpec s = Sgd.stepSpec(pol, 0.25, 0.5, lowp.backend.RngKey.DEFAULT);
        assertEquals(lowp.format.Format.BINARY16, s.g());
        assertEquals(lowp.format.Format.BINARY32, s.u());
        assertEquals(lowp.round.Rounding.RTZ, s.uRounding());
        assertEquals(lowp.format.Format.BFLOAT16, s.w());
        assertEquals(lowp.round.Rounding.SR, s.wRounding());
        assertEquals(lowp.round.Rounding.RNA, s.vRounding());
        assertEquals(0.25f, s.lr());
        assertNull(Sgd.stepSpec(pol, 0.25, 0, lowp.backend.RngKey.DEFAULT).v(), "no momentum buffer for beta = 0");
        assertThrows(IllegalArgumentException.class, () -> Sgd.stepSpec(pol, 0.1, 0, lowp.backend.RngKey.DEFAULT),
                "0.1 is not a binary32 value");
        assertThrows(IllegalArgumentException.class, () -> Sgd.stepSpec(Policy.fp64(), 0.25, 0, lowp.backend.RngKey.DEFAULT),
                "binary64 is not a backend format");
    }
}
