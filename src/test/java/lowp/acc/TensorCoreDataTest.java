package lowp.acc;

import lowp.format.Format;
import lowp.round.Env;
import lowp.round.Rounding;
import lowp.ref.RefOps;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shipped profile that has real-GPU data reproduces all 5000 dot products of it bit for bit, through
 * dotPacked and through the kernels Gemm uses (decoded fused-block kernel); line counts and K are pinned to the
 * data README (5000 lines, equal a/b/c/d lengths).
 * c is read as binary32; for fp16-output profiles it is first rounded to fp16 with RNE (the data
 * generator's convention: "c was considered always in fp32, if needs in fp16, roundtonearest was used").
 * H100 FP8 data was produced with C = 0 (wgmma), so c is 0 there.
 */
class TensorCoreDataTest {

    @TestFactory
    List<DynamicTest> profilesReproduceGpuData() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Profiles.Profile p : Profiles.all()) {
            if (p.validation == null) continue;
            tests.add(DynamicTest.dynamicTest(p.name + " vs " + p.validation, () -> check(p)));
        }
        return tests;
    }

    static int mismatches(Profiles.Profile p, StringBuilder first) throws Exception {
        Path d0 = TensorCoreData.ROOT.resolve(p.validation);
        String g0 = d0.getParent().getParent().getFileName().toString();
        return mismatchesC(p, first, g0.equals("H100") && d0.getParent().getFileName().toString().startsWith("E"));
    }

    /** Lines per file and K per (GPU, format), as the data README states them. */
    static final int LINES = 5000;

    static int readmeK(String gpu, String fmt) {
        if (gpu.equals("V100")) return 4;
        if (fmt.equals("tf32")) return 4;
        if (fmt.startsWith("E")) return 32;
        return gpu.equals("A100") ? 8 : 16;
    }

    static int mismatchesC(Profiles.Profile p, StringBuilder first, boolean cZero) throws Exception {
        Path d = TensorCoreData.ROOT.resolve(p.validation);
        Path dir = d.getParent();
        String gpu = dir.getParent().getFileName().toString();
        String fmt = dir.getFileName().toString();
        long[][] a = TensorCoreData.hexRows(dir.resolve("a_" + gpu + "_" + fmt + ".txt.gz"));
        long[][] b = TensorCoreData.hexRows(dir.resolve("b_" + gpu + "_" + fmt + ".txt.gz"));
        long[] c = TensorCoreData.binaries(dir.resolve("c_" + gpu + "_fp32.txt.gz"));
        long[] dv = TensorCoreData.binaries(d);
        // pin the data: a truncated or misaligned file must fail here, not pass on fewer lines
        assertEquals(LINES, dv.length, d + ": line count");
        assertEquals(LINES, a.length, "a file of " + d + ": line count");
        assertEquals(LINES, b.length, "b file of " + d + ": line count");
        assertEquals(LINES, c.length, "c file of " + d + ": line count");
        int kk = readmeK(gpu, fmt);
        for (int i = 0; i < LINES; i++) {
            assertEquals(kk, a[i].length, "a line " + (i + 1) + " of " + dir + ": K");
            assertEquals(kk, b[i].length, "b line " + (i + 1) + " of " + dir + ": K");
        }

        AccumulatorModel m = p.model;
        Format out = m.outputFormat();
        Lane lane = new Lane(null);
        int bad = 0;
        for (int i = 0; i < dv.length; i++) {
            long[] pa = new long[a[i].length];
            long[] pb = new long[b[i].length];
            for (int j = 0; j < pa.length; j++) {
                pa[j] = Packed.fromDouble(m.inputFormat(), Float.intBitsToFloat((int) a[i][j]));
                pb[j] = Packed.fromDouble(m.inputFormat(), Float.intBitsToFloat((int) b[i][j]));
            }
            long cb = cZero ? 0 : c[i];
            long cOut = RefOps.convert(Format.BINARY32, cb, out, new Env(Rounding.RNE));
            long pc = Packed.fromBits(out, cOut);
            lane.start(0);
            long r = m.dotPacked(pa, 0, 1, pb, 0, 1, pa.length, pc, lane);
            if (!same(r, dv[i])) {
                if (bad == 0) {
                    first.append(String.format("line %d: expected %08x got %08x", i + 1, dv[i], bits32(r)));
                }
                bad++;
            }
        }
        return bad;
    }

    static long bits32(long packed) {
        return Float.floatToRawIntBits((float) Packed.toDouble(packed)) & 0xFFFFFFFFL;
    }

    static boolean same(long packed, long gpuBits) {
        return bits32(packed) == gpuBits || (Packed.isNaN(packed) && Float.isNaN(Float.intBitsToFloat((int) gpuBits)));
    }

    @TestFactory
    List<DynamicTest> gemmKernelsReproduceGpuData() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Profiles.Profile p : Profiles.all()) {
            if (p.validation == null) continue;
            tests.add(DynamicTest.dynamicTest(p.name + " (Gemm kernels) vs " + p.validation, () -> checkGemm(p)));
        }
        return tests;
    }

    /**
     * The kernels {@link Gemm#gemmPacked} uses: each of the 5000 lines as a 1×1×K GEMM
     * (the public path, whichever kernel it picks), and the decoded kernel directly on every line it accepts
     * (fused profiles: all lines without NaN/Inf operands; each such profile must accept at least 99%).
     */
    private static void checkGemm(Profiles.Profile p) throws Exception {
        Assumptions.assumeTrue(TensorCoreData.present(),
                "../shared/data/tensor-core absent: real-GPU data test skipped");
        Path d = TensorCoreData.ROOT.resolve(p.validation);
        Path dir = d.getParent();
        String gpu = dir.getParent().getFileName().toString();
        String fmt = dir.getFileName().toString();
        boolean cZero = gpu.equals("H100") && fmt.startsWith("E");
        long[][] a = TensorCoreData.hexRows(dir.resolve("a_" + gpu + "_" + fmt + ".txt.gz"));
        long[][] b = TensorCoreData.hexRows(dir.resolve("b_" + gpu + "_" + fmt + ".txt.gz"));
        long[] c = TensorCoreData.binaries(dir.resolve("c_" + gpu + "_fp32.txt.gz"));
        long[] dv = TensorCoreData.binaries(d);
        assertEquals(LINES, dv.length);
        AccumulatorModel m = p.model;
        Format out = m.outputFormat();
        int badGemm = 0, badDecoded = 0, decoded = 0;
        StringBuilder first = new StringBuilder();
        Lane lane = new Lane(null);
        for (int i = 0; i < LINES; i++) {
            int k = a[i].length;
            long[] pa = new long[k];
            long[] pbt = new long[k];
            for (int j = 0; j < k; j++) {
                pa[j] = Packed.fromDouble(m.inputFormat(), Float.intBitsToFloat((int) a[i][j]));
                pbt[j] = Packed.fromDouble(m.inputFormat(), Float.intBitsToFloat((int) b[i][j]));
            }
            long pc = Packed.fromBits(out, RefOps.convert(Format.BINARY32, cZero ? 0 : c[i], out, new Env(Rounding.RNE)));
            long r = Gemm.gemmPacked(1, 1, k, pa, pbt, new long[] {pc}, m, new AccContext())[0];
            if (!same(r, dv[i])) {
                if (badGemm++ == 0) first.append(String.format("gemm line %d: expected %08x got %08x; ", i + 1, dv[i], bits32(r)));
            }
            if (m.hasDecodedKernel()) {
                int[][] dec = Gemm.decode(pa, pbt);
                if (dec != null) {
                    lane.start(0);
                    long rd = m.dotDecoded(dec[0], dec[1], 0, dec[2], dec[3], 0, k, pc, lane);
                    if (rd != Packed.NONE) {
                        decoded++;
                        if (!same(rd, dv[i]) && badDecoded++ == 0) {
                            first.append(String.format("decoded line %d: expected %08x got %08x; ", i + 1, dv[i], bits32(rd)));
                        }
                    }
                }
            }
        }
        assertEquals(0, badGemm + badDecoded, p.name + ": " + badGemm + " Gemm.gemmPacked and " + badDecoded
                + " dotDecoded mismatches; first " + first);
        if (m instanceof FusedBlockModel && m.hasDecodedKernel()) {
            assertTrue(decoded >= LINES * 99 / 100, p.name + ": decoded kernel ran on only " + decoded + " lines");
        }
    }

    private static void check(Profiles.Profile p) throws Exception {
        Assumptions.assumeTrue(TensorCoreData.present(),
                "../shared/data/tensor-core absent: real-GPU data test skipped");
        StringBuilder first = new StringBuilder();
        int bad = mismatches(p, first);
        assertEquals(0, bad, p.name + ": " + bad + " mismatches; first " + first);
    }
}
