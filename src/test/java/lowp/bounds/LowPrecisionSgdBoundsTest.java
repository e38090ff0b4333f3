package lowp.bounds;

import lowp.optim.Quantizer.VarianceParams;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Golden values from ../shared/research/seed002.md (checks C27–C33, §3.9, §4.2–4.5). */
class LowPrecisionSgdBoundsTest {
    /** The paper's synthetic problem constants (s=16, beta=0.2, p_d=0.001) at d=1024, ||w*|| = sqrt(d/12). */
    static ProblemConstants synthetic(int d) {
        return new ProblemConstants(d, 1e-3, 16, 64, 0.8, 16 * 0.2 * Math.sqrt(2 / Math.PI), Math.sqrt(d / 12.0));
    }

    @Test
    void theorem1TermsC28() {
        ProblemConstants c = synthetic(1024);
        assertEquals(2.5532, c.sigma1(), 1e-4);
        Check k8 = LowPrecisionSgdBounds.theorem1(c, 0.01, Double.POSITIVE_INFINITY, 0, 0x1p-7, Double.NaN);
        assertEquals(0.0032, k8.terms.get("alpha*sigma^2/2"), 1e-12);
        assertEquals(0.009974, k8.terms.get("delta*sigma1/2"), 1e-6);
        assertEquals(62.5, k8.terms.get("delta^2*L1^2/(4mu)"), 1e-9);
        Check k6 = LowPrecisionSgdBounds.theorem1(c, 0.01, Double.POSITIVE_INFINITY, 0, 0x1p-5, Double.NaN);
        assertEquals(0.03989, k6.terms.get("delta*sigma1/2"), 1e-5);
        assertEquals(1000, k6.terms.get("delta^2*L1^2/(4mu)"), 1e-9);
        // C27: the paper's own alpha violates alpha < mu/(2L^2) = 1.95e-6
        assertFalse(k8.preconditionsMet());
        assertTrue(k8.violatedPreconditions().get(0).contains("alpha < mu/(2L^2)"));
        assertEquals(1.953125e-6, c.mu() / (2 * c.L() * c.L()), 1e-12);
        // a measured value above the bound with a violated precondition is not a theorem violation
        assertFalse(k8.withMeasured(1e9).violated());
    }

    @Test
    void theorem3PreconditionForHalfPrecisionMnistC27() {
        // MNIST constants: mu ~ 1e-4 (lambda), L = 37.41: zeta = 2^-10 is not < mu/L
        ProblemConstants c = new ProblemConstants(784, 1e-4, 37.41, 685.27, 2.38, 29.11, 3);
        Check k = LowPrecisionSgdBounds.theorem3(c, 1e-4, Double.POSITIVE_INFINITY, 0,
                LowPrecisionSgdBounds.lemma2(5, 10, 1, false), Double.NaN);
        assertFalse(k.preconditionsMet());
        assertEquals(2, k.violatedPreconditions().size());
    }

    @Test
    void theorem5IntervalC29() {
        double[] iv = LowPrecisionSgdBounds.theorem5Interval(16, 1, synthetic(1024));
        assertEquals(4.901, iv[0], 1e-3);
        assertEquals(4.931, iv[1], 1e-3);
        ProblemConstants mnist = new ProblemConstants(784, 1e-4, 37.41, 685.27, 2.38, 29.11, 3);
        double[] im = LowPrecisionSgdBounds.theorem5Interval(16, 1, mnist);
        assertEquals(5.209, im[0], 1e-3);
        assertEquals(5.252, im[1], 1e-3);
        // table of §4.4: d=256, b=7 -> [3.79, 3.86]; d=1024, b=15 -> [4.80, 4.83]
        double[] i7 = LowPrecisionSgdBounds.theorem5Interval(7, 1, synthetic(256));
        assertEquals(3.79, i7[0], 5e-3);
        assertEquals(3.86, i7[1], 5e-3);
        double[] i15 = LowPrecisionSgdBounds.theorem5Interval(15, 1, synthetic(1024));
        assertEquals(4.80, i15[0], 5e-3);
        assertEquals(4.83, i15[1], 5e-3);
    }

    @Test
    void theorem7C30MatchesNumericalMinimum() {
        double[] r = LowPrecisionSgdBounds.theorem7(16, 1, 29.11, 37.41, 10);
        assertEquals(40.268, r[0], 1e-3);
        assertEquals(5.332, r[1], 1e-3);
        // numerical minimization of S(n_e) by a fine scan
        double best = 0;
        double bv = Double.POSITIVE_INFINITY;
        for (double ne = 2; ne < 200; ne += 1e-4) {
            double v = LowPrecisionSgdBounds.theorem7Objective(ne, 16, 1, 29.11, 37.41, 10);
            if (v < bv) {
                bv = v;
                best = ne;
            }
        }
        assertEquals(r[0], best, 1e-3);
    }

    @Test
    void theorem6CorrectedC31() {
        double[] ne = LowPrecisionSgdBounds.theorem6CorrectedNe(0.1, 10, 1, 1);
        assertNotNull(ne);
        assertEquals(2.895, ne[0], 1e-3);
        assertEquals(25.19, ne[1], 1e-2);
        assertEquals(0.99, LowPrecisionSgdBounds.theorem6PrintedNe(0.1, 10, 1, 1), 5e-3);
        // both corrected roots are stationary points of A(n_e) = 8 s sigma1 n_e/(C sqrt2^n_e) + sigma ||w*|| n_e/C
        for (double x : ne) {
            double h = 1e-5;
            double dA = (a6(x + h) - a6(x - h)) / (2 * h);
            assertEquals(0, dA, 1e-7);
        }
        assertTrue(a6(ne[1]) < a6(ne[1] - 1) && a6(ne[1]) < a6(ne[1] + 1), "W_-1 root is a local minimum");
        assertTrue(a6(ne[0]) > a6(ne[0] - 0.5) && a6(ne[0]) > a6(ne[0] + 0.5), "W_0 root is a local maximum");
        // synthetic d=1024: argument e sigma ||w*|| / (8 sigma1) = 0.98 > 1/e -> no root, b_e = 2
        ProblemConstants c = synthetic(1024);
        assertEquals(0.98, Math.E * c.sigma() * c.wStarNorm() / (8 * c.sigma1()), 5e-3);
        assertNull(LowPrecisionSgdBounds.theorem6CorrectedNe(c.sigma(), c.sigma1(), c.wStarNorm(), 1));
        assertEquals(2, LowPrecisionSgdBounds.theorem6CorrectedBe(c.sigma(), c.sigma1(), c.wStarNorm(), 1));
    }

    private static double a6(double ne) {
        double C = 65536;
        return 8 * 10 * ne / (C * Math.pow(Math.sqrt(2), ne)) + 0.1 * ne / C;
    }

    @Test
    void lemma2AndLambertW() {
        VarianceParams p = LowPrecisionSgdBounds.lemma2(5, 10, 1, false);
        assertEquals(0x1p-14, p.delta());
        assertEquals(0x1p-10, p.zeta());
        assertEquals(1.0 / (4 * 1024 * 1025), p.eta(), 1e-20);
        assertEquals(0x1p-23, LowPrecisionSgdBounds.lemma2(5, 10, 1, true).delta());
        assertTrue(p.eta() < p.zeta() / 4); // C11
        for (double x : new double[] {-0.3, -0.1, -1e-3, 1e-3, 0.5, 1, 10, 1e7}) {
            double w = LambertW.w0(x);
            assertEquals(x, w * Math.exp(w), 1e-12 * Math.max(1, Math.abs(x)));
            if (x < 0) {
                double v = LambertW.wm1(x);
                assertTrue(v <= -1);
                assertEquals(x, v * Math.exp(v), 1e-12);
            }
        }
    }

    @Test
    void bitsNeededC32() {
        ProblemConstants a = synthetic(64);
        ProblemConstants b = new ProblemConstants(4096, a.mu(), a.L(), a.L1(), a.sigma(), a.sigma1(), a.wStarNorm());
        int prev = Integer.MAX_VALUE;
        for (double eps : new double[] {1e-3, 1e-2, 1e-1, 1}) {
            int bits = LowPrecisionSgdBounds.bitsTheorem1(eps, 1, a);
            assertTrue(bits <= prev, "b_min decreases as eps grows");
            prev = bits;
            assertEquals(bits, LowPrecisionSgdBounds.bitsTheorem1(eps, 1, b), "Theorem 1 bits do not depend on d");
        }
        int p64 = LowPrecisionSgdBounds.bitsPrior(1e-2, 1, 1, 64);
        int p4096 = LowPrecisionSgdBounds.bitsPrior(1e-2, 1, 1, 4096);
        assertEquals(3, p4096 - p64, "prior-bound bits grow by log2(sqrt(4096/64)) = 3");
        // the explicit delta_max makes the asymptotic Theorem 1 ball exactly eps
        double eps = 0.05;
        double dmax = 2 * a.mu() / (a.L1() * a.L1())
                * (-a.sigma1() / 2 + Math.sqrt(a.sigma1() * a.sigma1() / 4 + eps * a.L1() * a.L1() / a.mu()));
        assertEquals(eps, dmax * a.sigma1() / 2 + dmax * dmax * a.L1() * a.L1() / (4 * a.mu()), 1e-12);
        assertTrue(LowPrecisionSgdBounds.bitsLogTheorem3(10, 1, a) > 0);
        assertTrue(a.sane(0) && b.sane(0)); // C33
    }
}
