package lowp.bounds;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Golden values from ../shared/research/seed000.md (§3.2–3.7, checks C8–C11). */
class QuasiConvexBoundsTest {
    @Test
    void gammaAndTheorem41C8() {
        assertEquals(0.175601, QuasiConvexBounds.gamma(0.1, 0.0632, 0.00632, 1), 1e-6);
        Check k = QuasiConvexBounds.theorem41(3, 0.2, 0, 0.1, 0.0632, 0.00632, 1, Double.NaN);
        assertEquals(2.11849, k.bound, 1e-5);
        assertTrue(k.preconditionsMet());
        assertEquals(0.05, QuasiConvexBounds.gamma(0.1, 0, 0, 1), 0); // R=S=0: eta/2
        assertEquals(0.3 * 2, QuasiConvexBounds.gamma(1e-12, 0.3, 0, 2), 1e-9); // -> cR as eta -> 0
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 1000; i++) {
            double eta = r.nextDouble();
            double R = r.nextDouble() * 0.9;
            double c = r.nextDouble() * 10;
            assertTrue(QuasiConvexBounds.gamma(eta, R, r.nextDouble() * 0.1, c) >= eta / 2);
            assertTrue(QuasiConvexBounds.huBaseline(eta, R, c) >= QuasiConvexBounds.gamma(eta, R, 0, c) - 1e-15);
        }
        // C21: R + S/eta >= 1 -> not applicable, never a numeric pass of a violated theorem
        Check bad = QuasiConvexBounds.theorem41(3, 0.2, 0, 0.001, 0.01, 0.05, 1, 100);
        assertFalse(bad.preconditionsMet());
        assertFalse(bad.violated());
        assertTrue(bad.status().contains("not applicable"));
    }

    @Test
    void theorem42CorrectedAndPrinted() {
        Check c = QuasiConvexBounds.theorem42(3, 0.2, 0, 0.1, 0.0632, 0.00632, 5, 1500, true, Double.NaN);
        Check p = QuasiConvexBounds.theorem42(3, 0.2, 0, 0.1, 0.0632, 0.00632, 5, 1500, false, Double.NaN);
        assertEquals(0.681201, c.terms.get("Gamma(c0)"), 1e-6);
        assertEquals(2.84316, c.bound, 1e-5);
        assertEquals(2.79175, p.bound, 1e-5);
    }

    @Test
    void corollary411CorrectedEta2C9() {
        double[][] vec = {
            {0.0632, 0.00632, 1, 0.00630742, 0.112475, 0.0791526, 15.7228, 0.174826, 0.181812},
            {0.05, 0.01, 2, 0.00998752, 0.2, 0.140889, 39.8, 0.299, 0.311369},
            {0.2, 0.05, 1, 0.049029, 0.318689, 0.216506, 4.75, 0.495941, 0.51909},
            {0.01, 0.001, 10, 0.00099995, 0.141425, 0.099995, 999.9, 0.241401, 0.249983},
        };
        for (double[] v : vec) {
            QuasiConvexBounds.Cor411 r = QuasiConvexBounds.corollary411(v[0], v[1], v[2]);
            assertEquals(v[3], r.eta1(), 1e-6 * Math.max(1, v[3]) + 1e-8);
            assertEquals(v[4], r.eta2(), 1e-6);
            assertEquals(v[5], r.eta2Paper(), 1e-6);
            assertEquals(v[6], r.eta3(), 1e-4);
            assertEquals(v[4], r.etaOpt(), 1e-6);
            assertEquals(v[7], r.gammaOpt(), 1e-6);
            assertEquals(v[8], r.gammaAtPaperEta2(), 1e-6);
            assertTrue(r.gammaAtPaperEta2() > r.gammaOpt());
            assertEquals(r.etaOpt(), r.etaNumeric(), 1e-5 * r.etaOpt(), "numeric argmin = rule");
            assertEquals(QuasiConvexBounds.gamma(r.etaOpt(), v[0], v[1], v[2]), r.gammaOpt(), 1e-12);
        }
    }

    @Test
    void corollary431AndTheorem43C10() {
        double[] inj = QuasiConvexBounds.injected(0.1, 40);
        double[] s1 = QuasiConvexBounds.injected(0.1, 40);
        double[] s2 = QuasiConvexBounds.injected(0.01, 40);
        assertEquals(0.1 * Math.sqrt(40), inj[0], 1e-15);
        double[] a = QuasiConvexBounds.corollary431(s1[1], s1[1]);
        assertEquals(0.342997, a[0], 1e-6);
        assertEquals(0.38873, a[1], 1e-5);
        double[] b = QuasiConvexBounds.corollary431(s1[1], s2[1]);
        assertEquals(0.0342997, b[0], 1e-7);
        assertEquals(0.038873, b[1], 1e-6);
        assertEquals(b[1], QuasiConvexBounds.gammaS(b[0], s1[1], s2[1]), 1e-15);
        // eta* minimizes Gamma_s
        for (double f : new double[] {0.9, 0.99, 1.01, 1.1}) {
            assertTrue(QuasiConvexBounds.gammaS(b[0] * f, s1[1], s2[1]) > b[1]);
        }
        // §4.2 table: bound f* + 3 Gamma_s^0.2 for d=40, Br=0.1, Bs=0.01
        double[][] t = {{0.01, 0.0723333, 1.77414}, {0.0348, 0.0388771, 1.56697}, {0.1, 0.0633333, 1.72762},
            {0.5, 0.284667, 2.33340}};
        for (double[] row : t) {
            Check k = QuasiConvexBounds.theorem43(3, 0.2, 0, row[0], s1[1], s2[1], Double.NaN, 0, true, Double.NaN);
            assertEquals(row[1], k.terms.get("Gamma_s"), 1e-6);
            assertEquals(row[2], k.bound, 1e-5);
        }
        // Br = Bs = 0.1 column of the §4.2 table (Gamma_s, bound): the paper's own setting ranks eta = 0.1 and 0.5
        // better than 0.0348 (the extraction's inconsistency note)
        double[][] t2 = {{0.01, 6.67233, 4.38507}, {0.0348, 1.93543, 3.42355}, {0.1, 0.723333, 2.81183},
            {0.343, 0.388730, 2.48342}, {0.5, 0.416667, 2.51813}};
        for (double[] row : t2) {
            Check k = QuasiConvexBounds.theorem43(3, 0.2, 0, row[0], s1[1], s1[1], Double.NaN, 0, true, Double.NaN);
            assertEquals(row[1], k.terms.get("Gamma_s"), 1e-5, "eta " + row[0]);
            assertEquals(row[2], k.bound, 1e-5, "eta " + row[0]);
        }
        // Br = 0.1, Bs = 0.01 at eta = 0.343: Gamma_s 0.196310, bound 2.16626
        Check k343 = QuasiConvexBounds.theorem43(3, 0.2, 0, 0.343, s1[1], s2[1], Double.NaN, 0, true, Double.NaN);
        assertEquals(0.196310, k343.terms.get("Gamma_s"), 1e-6);
        assertEquals(2.16626, k343.bound, 1e-5);
    }

    @Test
    void theorem43RealRoundingIsNotAProvenCase() {
        // same numbers, injected i.i.d. noise vs real rounding; measured value above the bound in both
        double sr2 = 40 * 0.01 / 3;
        double ss2 = 40 * 1e-4 / 3;
        Check inj = QuasiConvexBounds.theorem43(3, 0.2, 0, 0.0348, sr2, ss2, Double.NaN, 0, true, 10);
        Check rnd = QuasiConvexBounds.theorem43(3, 0.2, 0, 0.0348, sr2, ss2, 0.0, 0, false, 10);
        assertEquals(inj.bound, rnd.bound, "the formula is the same");
        assertTrue(inj.preconditionsMet());
        assertTrue(inj.violated(), "exceeding the proven bound with injected i.i.d. noise is a violation");
        assertFalse(rnd.preconditionsMet());
        assertFalse(rnd.violated(), "real rounding: a heuristic bound, its exceedance is not a proven-bound violation");
        assertEquals(1, rnd.violatedPreconditions().size());
        assertTrue(rnd.violatedPreconditions().get(0).startsWith(QuasiConvexBounds.IID_PRECONDITION));
        assertTrue(QuasiConvexBounds.measuredConditionsMet(rnd));
        // the measured conditions still work on their own: correlated s and frozen iterates are reported as well
        Check bad = QuasiConvexBounds.theorem43(3, 0.2, 0, 0.0348, sr2, ss2, 1.0, 0.6, false, 10);
        assertEquals(3, bad.violatedPreconditions().size());
        assertFalse(QuasiConvexBounds.measuredConditionsMet(bad));
        // frozen fraction edge: 0.4999 met, 0.5 not
        assertTrue(QuasiConvexBounds.theorem43(3, 0.2, 0, 0.0348, sr2, ss2, Double.NaN, 0.4999, true, 0).preconditionsMet());
        assertFalse(QuasiConvexBounds.theorem43(3, 0.2, 0, 0.0348, sr2, ss2, Double.NaN, 0.5, true, 0).preconditionsMet());
    }

    @Test
    void lemma71NumericMaxNeverExceedsClosedFormC11() {
        SplittableRandom r = new SplittableRandom(11);
        for (int inst = 0; inst < 200; inst++) {
            double eta = 0.05 + r.nextDouble();
            double R = r.nextDouble() * 0.9;
            double C = 0.5 + 3 * r.nextDouble();
            double B = r.nextDouble() * C * 0.95;
            double closed = QuasiConvexBounds.lemma71(eta, R, B, C);
            // d = 2, g = e1: random feasible (w, r); w on the circle of radius <= C with <g,w> >= B
            double best = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < 4000; s++) {
                double rad = C * Math.sqrt(r.nextDouble());
                double th = 2 * Math.PI * r.nextDouble();
                double w1 = rad * Math.cos(th);
                double w2 = rad * Math.sin(th);
                if (w1 < B) {
                    continue;
                }
                double rr = R * Math.sqrt(r.nextDouble());
                double ph = 2 * Math.PI * r.nextDouble();
                double g1 = 1 + rr * Math.cos(ph);
                double g2 = rr * Math.sin(ph);
                double f = eta * (g1 * g1 + g2 * g2) - 2 * (w1 * g1 + w2 * g2);
                best = Math.max(best, f);
            }
            assertTrue(best <= closed + 1e-12, "sampled max " + best + " > closed form " + closed);
        }
    }

    @Test
    void holderFitRecoversKnownExponents() {
        // f = 3||w||^0.2 satisfies the Hölder condition with equality: p = 0.2, L = 3
        lowp.optim.PowerNorm f = new lowp.optim.PowerNorm(3, 0.2, 5);
        HolderFit.Fit a = HolderFit.fit(f, new double[5], 0, 0.01, 3, 20, 16, HolderFit.grid(0.1, 3, 0.1), 1);
        assertEquals(0.2, a.p(), 1e-9);
        assertEquals(3, a.L(), 1e-9);
        // a quadratic 1/2 w^T diag(1,4) w: p = 2, L = lambda_max/2 = 2 (approached from below by random directions)
        lowp.optim.Problem q = new lowp.optim.Problem() {
            public int dim() { return 2; }
            public double loss(double[] w) { return 0.5 * (w[0] * w[0] + 4 * w[1] * w[1]); }
            public void gradient(double[] w, double[] g) { g[0] = w[0]; g[1] = 4 * w[1]; }
        };
        HolderFit.Fit b = HolderFit.fit(q, new double[2], 0, 0.01, 3, 20, 64, HolderFit.grid(0.1, 3, 0.1), 2);
        assertEquals(2, b.p(), 1e-9);
        assertTrue(b.L() <= 2 && b.L() > 1.9, "L " + b.L());
    }
}
