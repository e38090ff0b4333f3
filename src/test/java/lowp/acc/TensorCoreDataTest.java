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

/**
 * Every shipped profile that has real-GPU data reproduces all 5000 dot products of it bit for bit.
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

    static int mismatchesC(Profiles.Profile p, StringBuilder first, boolean cZero) throws Exception {
        Path d = TensorCoreData.ROOT.resolve(p.validation);
        Path dir = d.getParent();
        String gpu = dir.getParent().getFileName().toString();
        String fmt = dir.getFileName().toString();
        long[][] a = TensorCoreData.hexRows(dir.resolve("a_" + gpu + "_" + fmt + ".txt.gz"));
        long[][] b = TensorCoreData.hexRows(dir.resolve("b_" + gpu + "_" + fmt + ".txt.gz"));
        long[] c = TensorCoreData.binaries(dir.resolve("c_" + gpu + "_fp32.txt.gz"));
        long[] dv = TensorCoreData.binaries(d);

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
            long got = Float.floatToRawIntBits((float) Packed.toDouble(r)) & 0xFFFFFFFFL;
            if (got != dv[i] && !(Packed.isNaN(r) && Float.isNaN(Float.intBitsToFloat((int) dv[i])))) {
                if (bad == 0) {
                    first.append(String.format("line %d: expected %08x got %08x", i + 1, dv[i], got));
                }
                bad++;
            }
        }
        return bad;
    }

    private static void check(Profiles.Profile p) throws Exception {
        Assumptions.assumeTrue(TensorCoreData.present(),
                "../shared/data/tensor-core absent: real-GPU data test skipped");
        StringBuilder first = new StringBuilder();
        int bad = mismatches(p, first);
        assertEquals(0, bad, p.name + ": " + bad + " mismatches; first " + first);
    }
}
