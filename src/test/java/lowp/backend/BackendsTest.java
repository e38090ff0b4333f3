package lowp.backend;

import lowp.format.Format;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Selection and fallback: best() always returns a working backend and explains every skipped one. */
class BackendsTest {
    static boolean cudaPresent() {
        try (Backend b = CudaBackend.open()) {
            return true;
        } catch (BackendUnavailableException e) {
            return false;
        }
    }

    @Test
    void bestWorksAndExplainsSkips() {
        try (Backend b = Backends.best()) {
            List<Backends.Status> tried = Backends.lastSkipped();
            Backends.Status chosen = tried.get(tried.size() - 1);
            assertTrue(chosen.available());
            assertEquals(b.name(), chosen.name());
            for (Backends.Status s : tried.subList(0, tried.size() - 1)) {
                assertFalse(s.available());
                assertFalse(s.detail().isBlank(), "a skipped backend needs a reason: " + s);
            }
            assertEquals("cuda", tried.get(0).name(), "CUDA is tried first");
            if (!b.name().equals("cuda")) {
                String why = tried.get(0).detail();
                System.out.println("[BackendsTest] CUDA skipped: " + why);
                assertTrue(why.contains("libcuda") || why.contains("device") || why.contains("PTX") || why.contains("driver"), why);
            }
            // it works: same bits as the CPU backend
            // hand-derived: 1/3 -> 0x3555; -65519 < -65520 midpoint -> -max 0xFBFF; 1e-6 = 16.78 * 2^-24 -> 17 = 0x0011
            double[] x = {1.0, 1.0 / 3, -65519.0, 1e-6, Double.NaN};
            QuantSpec s = new QuantSpec(Format.BINARY16, Rounding.RNE);
            assertArrayEquals(new CpuBackend().quantize(s, x), b.quantize(s, x));
            assertArrayEquals(new int[] {0x3C00, 0x3555, 0xFBFF, 0x0011, 0x7E00}, b.quantize(s, x));
        }
    }

    @Test
    void forcingCudaWithoutCudaIsAClearError() {
        if (cudaPresent()) {
            System.out.println("[BackendsTest] CUDA present: forced-cuda error path not exercised");
            return;
        }
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.open("cuda"));
        assertTrue(e.getMessage().startsWith("cuda backend unavailable: "), e.getMessage());
        assertFalse(e.reason().isBlank());
    }

    @Test
    void forcingByName() {
        try (Backend b = Backends.open("cpu")) {
            assertEquals("cpu", b.name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open("tpu"));
        assertTrue(e.getMessage().contains("'tpu'"), e.getMessage());
    }

    @Test
    void probeReportsEveryBackend() {
        Map<String, Backends.Status> p = Backends.probe();
        assertEquals(List.of("cuda", "aparapi", "cpu"), List.copyOf(p.keySet()));
        assertTrue(p.get("cpu").available());
        for (Backends.Status s : p.values()) assertFalse(s.detail().isBlank(), s.toString());
    }

    @Test
    void specsRejectBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new QuantSpec(Format.BINARY64, Rounding.RNE));
        assertThrows(IllegalArgumentException.class,
                () -> GemmSpec.fused(Format.BINARY16, Format.BINARY16, 16, 25, Format.BINARY32, Rounding.RTZ).promoted(24, Format.BINARY32, Rounding.RNE));
        assertThrows(IllegalArgumentException.class, () -> GemmSpec.fma(Format.BINARY16, Format.BINARY16, Format.E8M0FNU, Rounding.RNE));
        GemmSpec s = GemmSpec.fma(Format.BINARY16, Format.BINARY16, Format.BINARY32, Rounding.RNE);
        assertThrows(IllegalArgumentException.class, () -> new CpuBackend().gemm(s, 2, 2, 2, new int[3], new int[4], null));
        assertThrows(IllegalArgumentException.class, () -> new RngKey(0, 0, -1));
    }
}
