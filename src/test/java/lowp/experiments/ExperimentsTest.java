package lowp.experiments;

import lowp.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every reproduction runs at its default (short) size and every claim of the papers it asserts holds; paper
 * sizes with -Dlowp.exhaustive=true. Reference numbers are the extractions' (seed000.md §4.7, seed002.md §4.6).
 */
class ExperimentsTest {
    static Outcome run(String name) {
        Outcome o = Experiments.get(name).run(new Options().seed(1));
        StringBuilder sb = new StringBuilder();
        o.summary.forEach(s -> sb.append(s).append('\n'));
        o.claims.forEach(c -> sb.append(c).append('\n'));
        for (Outcome.Claim c : o.claims) {
            assertTrue(c.holds(), name + ": claim fails: " + c.text() + "\n" + sb);
        }
        assertFalse(o.claims.isEmpty());
        for (lowp.bounds.Check c : o.checks) {
            assertFalse(c.violated(), "proven bound violated with preconditions met: " + c);
        }
        return o;
    }

    @Test
    void seed002DimensionFree() {
        Outcome o = run("seed002-dimension-free");
        // extraction §4.6: 8-bit 5.64e-3, fp64 1.74e-3 (T = 3e6); our short runs sit within 3% of them
        for (int d : new int[] {64, 256, 1024, 4096}) {
            assertEquals(5.64e-3, (double) o.values.get("noise_ball_d" + d), 0.03 * 5.64e-3);
            assertEquals(1.74e-3, (double) o.values.get("noise_ball_fp64_d" + d), 0.03 * 1.74e-3);
        }
    }

    @Test
    void seed002Sigma1() {
        Outcome o = run("seed002-sigma1");
        assertTrue((double) o.values.get("lp_growth") > 30, "extraction: x45 over s = 2..64");
    }

    @Test
    void seed002FpSplit() {
        Outcome o = run("seed002-fp-split");
        assertEquals(5, o.values.get("best_be"));
    }

    @Test
    void seed000PowerNorm() {
        Outcome o = run("seed000-power-norm");
        assertEquals(0.0388771, (double) o.values.get("gamma_s"), 1e-7);
    }

    @Test
    void seed000Stagnation() {
        Outcome o = run("seed000-stagnation");
        assertTrue((double) o.values.get("f_rne_final") > 4); // frozen at ||w|| ~ 6: 3*6^0.2 = 4.29
    }

    @Test
    void seed000LogisticTraining() {
        run("seed000-logistic");
    }

    @Test
    void seed000Accumulator() {
        run("seed000-accumulator");
    }

    @Test
    void seed002BoundsValidWherePreconditionsHold() {
        Outcome o = run("seed002-bounds-valid");
        assertEquals(5, o.checks.size()); // Thm 1, Thm 3 (log, FP16), Thm 2, Thm 4
        for (lowp.bounds.Check c : o.checks) {
            assertTrue(c.preconditionsMet() && c.holds(), c.toString());
        }
    }

    @Test
    void cliListsRunsAndReportsClaims(@TempDir Path dir) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true));
            rc = Main.execute("experiment", "--list");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc);
        for (Experiment e : Experiments.all()) {
            assertTrue(buf.toString().contains(e.name()));
        }
        buf.reset();
        try {
            System.setOut(new PrintStream(buf, true));
            rc = Main.execute("experiment", "seed000-accumulator", "--out", dir.toString(), "--seed", "3");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString();
        assertEquals(0, rc, out);
        assertTrue(out.contains("claim: 10-bit accumulator is much worse"));
        assertTrue(out.lines().filter(l -> l.startsWith("claim: ")).allMatch(l -> l.endsWith(": holds")));
        assertTrue(Files.exists(dir.resolve("r2_vs_accumulator.csv")));
        assertTrue(Files.readString(dir.resolve("summary.json")).contains("\"holds\": true"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        try {
            System.setErr(new PrintStream(err, true));
            rc = Main.execute("experiment", "no-such-thing");
        } finally {
            System.setErr(oldErr);
        }
        assertEquals(2, rc);
        assertTrue(err.toString().contains("no-such-thing"));
    }

    @Test
    void demoSectionIsShort() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DemoSection.run(new PrintStream(buf, true));
        String s = buf.toString();
        assertTrue(s.contains("claim: round-to-nearest bf16 update freezes: holds"), s);
        assertTrue(s.contains("claim: stochastic rounding keeps descending: holds"), s);
    }
}
