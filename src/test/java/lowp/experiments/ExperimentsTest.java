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
    /** Paper-scale sizes, as lowp.experiments.Options reads them (-Pexhaustive sets it). */
    static final boolean FULL = Boolean.getBoolean("lowp.exhaustive");
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
            // C22: 6-bit reference 3.22e-2 (same 3% tolerance as the 8-bit series)
            assertEquals(3.22e-2, (double) o.values.get("noise_ball_fixed6_d" + d), 0.03 * 3.22e-2);
        }
        assertTrue(o.claims.stream().anyMatch(c -> c.text().startsWith("noise ball decreases with bits (C24)")));
        assertTrue((double) o.values.get("ratio_fixed6") <= 1.05);
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
        // seed000.md §4.7a stationary rows: Gamma_s and the quick simulation's tail mean ||w|| and tail mean f
        // {Br, Bs, eta, tail mean ||w||, Gamma_s, tail mean 3||w||^0.2}
        double[][] rows = {{0.1, 0.1, 0.343, 0.38859, 0.38873, 2.4819}, {0.1, 0.01, 0.5, 0.28459, 0.28467, 2.3303},
                {0, 0.01, 0.1, 0.05666, 0.05667, 1.6873}};
        for (double[] r : rows) {
            String key = String.format("Br=%.2g,Bs=%.2g,eta=%.3g", r[0], r[1], r[2]);
            assertEquals(r[4], (double) o.values.get("gamma_s_" + key), 5e-6, key);
            assertEquals(r[3], (double) o.values.get("tail_mean_norm_" + key), 0.01 * r[3], key);
            assertEquals(r[5], (double) o.values.get("tail_mean_f_" + key), 0.01 * r[5], key);
        }
    }

    @Test
    void seed000Stagnation() {
        Outcome o = run("seed000-stagnation");
        assertTrue((double) o.values.get("f_rne_final") > 4); // frozen at ||w|| ~ 6: 3*6^0.2 = 4.29
        int K = FULL ? 12_000 : 9_000; // the experiment's documented step counts
        // per-step NGD tables (NormalizedGd.COLUMNS) of the RN and SR runs
        lowp.optim.Metrics rn = o.tables.get("ngd_rne_steps");
        lowp.optim.Metrics sr = o.tables.get("ngd_sr_steps");
        assertEquals(K, rn.size());
        assertEquals(K, sr.size());
        double[] f = rn.column("f");
        double[] frozen = rn.column("frozen");
        double[] stag = rn.column("stagnated");
        double[] s = rn.column("s_norm");
        for (int k = 0; k < K; k++) {
            // RN: w never changes, so f is constant, every step is frozen and all 40 coordinates (g-hat_i != 0) stagnate
            assertEquals(f[0], f[k]);
            assertEquals(1, frozen[k]);
            assertEquals(40, stag[k]);
            // a frozen step's update error is s_k = eta g-hat_k: ||s_k|| = eta ||g-hat_k||, and ||g-hat|| = 1 up to
            // the bf16 roundings of the normalization (<= ~1.2%)
            assertEquals(0.001, s[k], 0.001 * 0.02);
        }
        // SR moves: frozen rows are exactly the rows whose f and dist do not change; few of them
        double[] fs = sr.column("f");
        double[] ds = sr.column("dist");
        double[] frs = sr.column("frozen");
        int nFrozen = 0;
        for (int k = 0; k + 1 < K; k++) {
            if (frs[k] == 1) {
                nFrozen++;
                assertEquals(fs[k], fs[k + 1]);
                assertEquals(ds[k], ds[k + 1]);
            }
        }
        assertTrue(nFrozen < K / 2, "SR frozen steps " + nFrozen);
        // the r_norm / s_norm columns are the vectors behind the Theorem 4.3 check's empirical sigmas (tail k >= K/2)
        lowp.bounds.Check t43sr = o.checks.get(2);
        assertEquals(t43sr.terms.get("d sigma_r^2"), tailMeanSq(sr.column("r_norm"), K / 2), 1e-12 * t43sr.terms.get("d sigma_r^2"));
        assertEquals(t43sr.terms.get("d sigma_s^2"), tailMeanSq(sr.column("s_norm"), K / 2), 1e-12 * t43sr.terms.get("d sigma_s^2"));
    }

    /** Mean of v_k^2 over k >= from (tolerance at the call sites: the sqrt/square round trip, relative 1e-12). */
    static double tailMeanSq(double[] v, int from) {
        double s = 0;
        for (int k = from; k < v.length; k++) {
            s += v[k] * v[k];
        }
        return s / (v.length - from);
    }

    @Test
    void seed000LogisticTraining() {
        Outcome o = run("seed000-logistic");
        // every Theorem 4.3 check here is on real rounding: reported as not proven (Def. 4.1), so never "violated"
        assertEquals(4, o.checks.size());
        for (lowp.bounds.Check c : o.checks) {
            assertFalse(c.preconditionsMet(), c.toString());
            assertTrue(c.violatedPreconditions().stream().anyMatch(v -> v.startsWith("i.i.d. zero-mean errors")));
        }
        lowp.optim.Metrics summary = o.tables.get("logistic_ngd");
        for (int i = 0; i < 4; i++) {
            lowp.optim.Metrics m = o.tables.get("ngd_steps_config" + i);
            assertEquals(FULL ? 600 : 300, m.size()); // the experiment's documented K
            double r2 = summary.column("d_sigma_r2")[i];
            double s2 = summary.column("d_sigma_s2")[i];
            assertEquals(r2, tailMeanSq(m.column("r_norm"), m.size() / 2), 1e-12 * r2);
            assertEquals(s2, tailMeanSq(m.column("s_norm"), m.size() / 2), 1e-12 * s2);
            double[] st = m.column("stagnated");
            double[] fr = m.column("frozen");
            for (int k = 0; k < m.size(); k++) {
                assertTrue(st[k] >= 0 && st[k] <= 3);
                if (fr[k] == 1) {
                    assertEquals(m.column("f")[k], m.column("f")[k + 1 < m.size() ? k + 1 : k]);
                }
            }
        }
        // fp32 weights move the 3 weights by eta = 0.01 g-hat >> ulp: no stagnation in the fp32 configuration
        assertEquals(0, java.util.Arrays.stream(o.tables.get("ngd_steps_config0").column("stagnated")).sum());
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
        // Theorem 4's Assumption 6 is checked against the run's measured max_t ||w_t||: at least ||w_0|| = ||3 1_4||
        // = 6, and at most the a priori R0 = sqrt(4) (max(max|a_ij|, 3) + 1) >= 8
        lowp.bounds.Check t4 = o.checks.get(4);
        assertTrue(t4.theorem.contains("4"), t4.theorem);
        lowp.bounds.Check.Precondition a6 = t4.preconditions.stream()
                .filter(p -> p.name().contains("Assumption 6")).findFirst().orElseThrow();
        assertTrue(a6.met(), a6.detail());
        double maxNorm = (Double) o.values.get("thm4_max_iterate_norm");
        double r0 = (Double) o.values.get("thm4_R0");
        assertTrue(maxNorm >= 6 && maxNorm <= r0 && r0 >= 8, maxNorm + " vs R0 " + r0);
        assertTrue(a6.detail().contains(String.format("%.6g", maxNorm)), a6.detail());
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
    void cliFailingClaimExitsOneAndDefaultOutput(@TempDir Path dir) throws Exception {
        // fp32 weights do not freeze under round-to-nearest (the audit's case): claims fail -> exit 1; without --out
        // the CSV + summary go to out/NAME under the lowp.out folder
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        String prop = System.getProperty("lowp.out");
        int rc;
        try {
            System.setProperty("lowp.out", dir.toString());
            System.setOut(new PrintStream(buf, true));
            rc = Main.execute("experiment", "seed000-stagnation", "--format", "fp32");
        } finally {
            System.setOut(old);
            if (prop == null) {
                System.clearProperty("lowp.out");
            } else {
                System.setProperty("lowp.out", prop);
            }
        }
        String out = buf.toString();
        assertEquals(1, rc, out);
        assertTrue(out.contains("claim: round-to-nearest fp32 update freezes"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("claim: ") && l.endsWith(": fails")), out);
        java.util.List<String> lines = out.lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("claim: "), "output ends with the claim lines");
        Path d = dir.resolve("seed000-stagnation");
        assertTrue(Files.readString(d.resolve("summary.json")).contains("\"holds\": false"));
        assertTrue(Files.readString(d.resolve("summary.txt")).contains(": fails"));
        java.util.List<String> csv = Files.readAllLines(d.resolve("ngd_rne_steps.csv"));
        assertEquals("k,f,grad_norm,dist,r_norm,s_norm,stagnated,frozen", csv.get(0));
        assertEquals(1 + (FULL ? 12_000 : 9_000), csv.size());
        assertTrue(Files.exists(d.resolve("rne_vs_sr.csv")));
    }

    @Test
    void cliRejectsFormatAndRoundingWhereAReproductionFixesThem() {
        String[][] bad = {
            {"seed002-bounds-valid", "--format", "fixed8"},
            {"seed002-bounds-valid", "--rounding", "rne"},
            {"seed000-logistic", "--format", "bf16"},
            {"seed000-power-norm", "--rounding", "sr"},
            {"seed000-stagnation", "--rounding", "sr"},
        };
        for (String[] b : bad) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream oldErr = System.err;
            int rc;
            try {
                System.setErr(new PrintStream(err, true));
                String[] args = new String[b.length + 2];
                args[0] = "experiment";
                System.arraycopy(b, 0, args, 1, b.length);
                args[b.length + 1] = "--no-out";
                rc = Main.execute(args);
            } finally {
                System.setErr(oldErr);
            }
            assertEquals(2, rc, String.join(" ", b));
            assertTrue(err.toString().contains("takes no " + b[1]), err.toString());
        }
    }

    @Test
    void demoSectionIsShort() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertTrue(DemoSection.run(new PrintStream(buf, true)));
        String s = buf.toString();
        assertTrue(s.contains("claim: round-to-nearest bf16 update freezes: holds"), s);
        assertTrue(s.contains("claim: stochastic rounding keeps descending: holds"), s);
    }

    @Test
    void demoSectionReportsFailingClaims() {
        // fp32 weights: round-to-nearest does not freeze, so the section's first claim fails and run returns false
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertFalse(DemoSection.run(new PrintStream(buf, true), "fp32"));
        assertTrue(buf.toString().contains("claim: round-to-nearest fp32 update freezes: fails"), buf.toString());
    }
}
