package lowp.backend;

import lowp.acc.Profiles;
import lowp.format.Format;
import lowp.round.Rounding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GemmSpec#fromProfile}: the shipped named profiles as backend GEMM specs, and the CPU backend (lowp.acc
 * delegation and its own numerics) reproducing the first lines of the real tensor-core data with them.
 * The Aparapi and host-compiled CUDA runs of the same slices are in AparapiBackendTest / CudaHostNumericsTest
 * (they reuse their built kernel / binary).
 */
class ProfileGemmSpecTest {

    @Test
    void everyShippedProfileMaps() {
        for (Profiles.Profile p : Profiles.all()) {
            GemmSpec s = GemmSpec.fromProfile(p.name);
            assertEquals(p.model.inputFormat(), s.a, p.name);
            assertEquals(p.model.inputFormat(), s.b, p.name);
            assertEquals(p.model.outputFormat(), s.output(), p.name);
        }
    }

    @Test
    void mappingMatchesPublishedParameters() {
        // research/accumulators.md §1.4: Hopper fp16 k=16, F=25, fp32 output truncated (RZ).
        assertEquals(GemmSpec.fused(Format.BINARY16, Format.BINARY16, 16, 25, Format.BINARY32, Rounding.RTZ).toString(),
                GemmSpec.fromProfile("h100-fp16-fp32").toString());
        // Ampere bf16: k=8, F=24.
        assertEquals(GemmSpec.fused(Format.BFLOAT16, Format.BFLOAT16, 8, 24, Format.BINARY32, Rounding.RTZ).toString(),
                GemmSpec.fromProfile("A100-BF16-FP32").toString());
        // fp16 output: RNE into binary16.
        assertEquals(GemmSpec.fused(Format.BINARY16, Format.BINARY16, 16, 25, Format.BINARY16, Rounding.RNE).toString(),
                GemmSpec.fromProfile("h100-fp16-fp16").toString());
        // Hopper FP8: k=32, F=13, e8m13 accumulator in fp32; 2xAcc promotes into fp32 with RNE every 128.
        GemmSpec fp8 = GemmSpec.fused(Format.E4M3FN, Format.E4M3FN, 32, 13, Format.BINARY32, 13, Rounding.RTZ);
        assertEquals(fp8.toString(), GemmSpec.fromProfile("h100-e4m3-fp32").toString());
        assertEquals(fp8.promoted(128, Format.BINARY32, Rounding.RNE).toString(),
                GemmSpec.fromProfile("h100-e4m3-fp32-2xacc").toString());
    }

    @Test
    void unknownProfileIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmSpec.fromProfile("h900-fp16-fp32"));
        assertTrue(e.getMessage().contains("h900-fp16-fp32"), e.getMessage());
    }

    @Test
    void sequentialModelsMap() {
        GemmSpec s = GemmSpec.fromModel(lowp.acc.SequentialModel.fma(Format.BINARY16, Format.BINARY32, Rounding.RNE));
        assertEquals(GemmSpec.fma(Format.BINARY16, Format.BINARY16, Format.BINARY32, Rounding.RNE).toString(), s.toString());
        GemmSpec q = GemmSpec.fromModel(lowp.acc.SequentialModel.separate(Format.BFLOAT16, Format.BINARY32, Rounding.RTZ,
                Format.BINARY16, Rounding.SR));
        assertEquals(GemmSpec.sequential(Format.BFLOAT16, Format.BFLOAT16, Format.BINARY32, Rounding.RTZ, Format.BINARY16,
                Rounding.SR).toString(), q.toString());
    }

    @Test
    void cpuBackendReproducesTensorCoreData() throws Exception {
        Assumptions.assumeTrue(TensorCoreSlice.present(), "../shared/data/tensor-core absent: real-GPU data test skipped");
        // the profile list is the shipped one: all 21 validated profiles and the 4 2xAcc profiles over FP8 blocks
        long validated = lowp.acc.Profiles.all().stream().filter(p -> p.validation != null).count();
        assertEquals(21, validated, "validated shipped profiles");
        assertEquals(validated + 4, TensorCoreSlice.PROFILES.size(), TensorCoreSlice.PROFILES.keySet().toString());
        // all 5000 lines of every profile, one 1x1xK GEMM per line (~1.5 s each backend; data loading ~6 s)
        long tl = System.nanoTime();
        for (String p : TensorCoreSlice.PROFILES.keySet()) TensorCoreSlice.load(p);
        long t0 = System.nanoTime();
        CpuBackend cpu = new CpuBackend();
        assertEquals(List.of(), TensorCoreSlice.checkAll(cpu::gemm, TensorCoreSlice.ALL, 1),
                "CPU backend (lowp.acc delegation)");
        long t1 = System.nanoTime();
        CpuBackend own = CpuBackend.reference();
        assertEquals(List.of(), TensorCoreSlice.checkAll(own::gemm, TensorCoreSlice.ALL, 1),
                "CPU backend's own numerics (CpuMath)");
        System.out.printf("[ProfileGemmSpecTest] 5000 lines x %d profiles: load %.1f s, delegation %.1f s, CpuMath %.1f s%n",
                TensorCoreSlice.PROFILES.size(), (t0 - tl) / 1e9, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
        // and the 500-line subset as 100x100 block-diagonal GEMMs (multi-element outputs, off-diagonal +0 C)
        assertEquals(List.of(), TensorCoreSlice.checkAll(cpu::gemm), "CPU backend, block-diagonal GEMMs");
    }
}
