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

    // ------------------------------------------------------------------ hand-derived Theorem 2/3/4 values
    // Every expected number below is worked out by hand from the formula of seed002.md §3.4–3.6 written in the
    // comment; the tolerance only covers binary64 evaluation of the formula (relative 1e-12).

    private static void near(double expected, double actual) {
        assertEquals(expected, actual, 1e-12 * Math.abs(expected), () -> "expected " + expected + " got " + actual);
    }

    @Test
    void theorem2HandDerived() {
        // E||grad f(w-bar)||^2 <= 2/(2a - a^2 L) (f0-f*)/T + (a s0^2 L + L delta s1)/(2 - a L)
        // a=0.1, L=1, T=100, f0-f*=1, s0^2=1, s1=2, delta=0.01:
        //   init = 2/(0.2-0.01)/100 = 2/19 = 0.105263...; ball = (0.1 + 0.02)/1.9 = 0.12/1.9 = 6/95 = 0.063158...
        //   total = 10/95 + 6/95 = 16/95 = 0.168421...
        Check k = LowPrecisionSgdBounds.theorem2(0.1, 100, 1, 1, 2, 0.01, 1, 0.2);
        near(2.0 / 19, k.terms.get("init"));
        near(6.0 / 95, k.terms.get("noise ball"));
        near(16.0 / 95, k.bound);
        assertTrue(k.preconditionsMet());
        assertFalse(k.holds(), "0.2 > 16/95");
        assertTrue(k.violated(), "a measurement above a proven bound with its preconditions met is a violation");
        // T -> infinity drops the init term: ball only
        near(6.0 / 95, LowPrecisionSgdBounds.theorem2(0.1, Double.POSITIVE_INFINITY, 1, 1, 2, 0.01, 1, Double.NaN).bound);
        // alpha -> 0 limit of the ball is L delta s1 / 2 = 0.01 (here a = 1e-9: (1e-9 + 0.02)/(2 - 1e-9))
        assertEquals(0.01, LowPrecisionSgdBounds.theorem2(1e-9, Double.POSITIVE_INFINITY, 1, 1, 2, 0.01, 1, Double.NaN).bound, 1e-9);
    }

    @Test
    void theorem2PreconditionEdge() {
        // alpha < 2/L with L = 4: threshold 0.5
        assertTrue(LowPrecisionSgdBounds.theorem2(0.4999, 10, 1, 1, 1, 0.01, 4, Double.NaN).preconditionsMet());
        Check above = LowPrecisionSgdBounds.theorem2(0.5001, 10, 1, 1, 1, 0.01, 4, 1e9);
        assertFalse(above.preconditionsMet());
        assertTrue(above.violatedPreconditions().get(0).startsWith("alpha < 2/L"));
        assertFalse(above.violated(), "exceeding a bound whose precondition fails is not a theorem violation");
        assertFalse(LowPrecisionSgdBounds.theorem2(0.5, 10, 1, 1, 1, 0.01, 4, Double.NaN).preconditionsMet(),
                "the condition is strict");
    }

    /** mu=1, L=2, L1=3, sigma=0.5, sigma1=1, ||w*||=2 (d=10): small round numbers for hand evaluation. */
    private static final ProblemConstants TOY = new ProblemConstants(10, 1, 2, 3, 0.5, 1, 2);

    @Test
    void theorem3AndBallHandDerived() {
        // delta=0.01, zeta=0.1 => eta = zeta^2/(4(1+zeta)) = 0.01/4.4 = 1/440
        VarianceParams q = VarianceParams.of(0.01, 0.1);
        near(1.0 / 440, q.eta());
        // bound = |w0-w*|^2/(2aT) + ((1+eta) a s^2 + delta s1 + zeta s |w*|)/2 + (delta L1 + zeta L |w*| + zeta s)^2/(4 mu)
        // a=0.01, T=1000, |w0-w*|=1:
        //   init = 1/(2*0.01*1000) = 0.05
        //   A/2  = ((441/440)*0.01*0.25 + 0.01 + 0.1*0.5*2)/2 = (0.0025*441/440 + 0.11)/2 = 0.05625284090909...
        //   B    = 0.01*3 + 0.1*2*2 + 0.1*0.5 = 0.03 + 0.4 + 0.05 = 0.48;  B^2/(4 mu) = 0.2304/4 = 0.0576
        //   total = 0.16385284090909...
        double aHalf = (0.0025 * 441 / 440 + 0.11) / 2;
        Check k = LowPrecisionSgdBounds.theorem3(TOY, 0.01, 1000, 1, q, Double.NaN);
        near(0.05, k.terms.get("init"));
        near(aHalf, k.terms.get("A/2"));
        near(0.0576, k.terms.get("B^2/(4mu)"));
        near(0.05 + aHalf + 0.0576, k.bound);
        assertEquals(0.16385284090909, k.bound, 1e-13);
        // both preconditions hold: zeta=0.1 < mu/L=0.5; zeta L + (1+eta) a L^2 = 0.2 + 0.04*441/440 = 0.2401 <= 0.5
        assertTrue(k.preconditionsMet(), k.toString());
        // asymptotic ball (T -> inf, a -> 0): (delta s1 + zeta s |w*|)/2 + B^2/(4mu) = 0.11/2 + 0.0576 = 0.1126
        near(0.1126, LowPrecisionSgdBounds.theorem3Ball(TOY, q));
        // T -> infinity keeps the (1+eta) a s^2 term: 0.1126 + 0.0025*441/880
        near(0.1126 + 0.0025 * 441 / 880,
                LowPrecisionSgdBounds.theorem3(TOY, 0.01, Double.POSITIVE_INFINITY, 1, q, Double.NaN).bound);
    }

    @Test
    void theorem3BallSyntheticFp16HandDerived() {
        // synthetic d=1024 (mu=1e-3, L=16, L1=64, sigma=0.8, sigma1=3.2 sqrt(2/pi)=2.553229, |w*|=sqrt(1024/12)=9.237604)
        // with Lemma 2 normal FPQ (b_e=5, b_m=10, s=1): delta = 4/2^16 = 2^-14, zeta = 2^-10.
        //   delta s1 = 2.553229 * 2^-14 = 1.558368e-4;  zeta s |w*| = 0.8 * 9.237604 / 1024 = 7.216878e-3
        //   A/2 = (1.558368e-4 + 7.216878e-3)/2 = 3.686358e-3
        //   B = 64*2^-14 + 16*9.237604/1024 + 0.8/1024 = 3.90625e-3 + 0.1443376 + 7.8125e-4 = 0.1490251
        //   B^2/(4mu) = 0.02220847/0.004 = 5.552118;  ball = 5.555804 (hand rounding: 1e-6 relative)
        double ball = LowPrecisionSgdBounds.theorem3Ball(synthetic(1024), LowPrecisionSgdBounds.lemma2(5, 10, 1, false));
        assertEquals(5.555804, ball, 5.555804 * 1e-6);
    }

    @Test
    void theorem3PreconditionEdges() {
        VarianceParams q = VarianceParams.of(0.01, 0.1);
        // proof condition zeta L + (1+eta) a L^2 <= mu/2  <=>  a <= (0.5 - 0.2)/(4*441/440) = 132/1764 = 0.0748299...
        assertTrue(LowPrecisionSgdBounds.theorem3(TOY, 0.0748, 1000, 1, q, Double.NaN).preconditionsMet());
        Check a = LowPrecisionSgdBounds.theorem3(TOY, 0.0749, 1000, 1, q, Double.NaN);
        assertEquals(1, a.violatedPreconditions().size());
        assertTrue(a.violatedPreconditions().get(0).startsWith("zeta L + (1+eta) alpha L^2 <= mu/2"));
        // stated zeta < mu/L = 0.5: at zeta = 0.4999 the stated condition holds but the proof's (zeta L = 0.9998 > 0.5)
        // does not; at 0.5001 both fail. With a -> 0 the proof's condition is zeta <= mu/(2L) = 0.25.
        Check z1 = LowPrecisionSgdBounds.theorem3(TOY, 1e-12, 1000, 1, VarianceParams.of(0.01, 0.4999), Double.NaN);
        assertEquals(1, z1.violatedPreconditions().size());
        assertTrue(z1.violatedPreconditions().get(0).startsWith("zeta L + (1+eta)"));
        Check z2 = LowPrecisionSgdBounds.theorem3(TOY, 1e-12, 1000, 1, VarianceParams.of(0.01, 0.5001), Double.NaN);
        assertEquals(2, z2.violatedPreconditions().size());
        assertTrue(z2.violatedPreconditions().get(0).startsWith("zeta < mu/L"));
        assertTrue(LowPrecisionSgdBounds.theorem3(TOY, 1e-12, 1000, 1, VarianceParams.of(0.01, 0.2499), Double.NaN)
                .preconditionsMet());
        assertFalse(LowPrecisionSgdBounds.theorem3(TOY, 1e-12, 1000, 1, VarianceParams.of(0.01, 0.2501), Double.NaN)
                .preconditionsMet());
    }

    @Test
    void theorem4HandDerived() {
        // bound = 2(f0-f*)/(a T) + a s0^2 L + L delta s1 + (L zeta R0)^2/2
        // a=0.1, T=100, f0-f*=1, s0^2=1, s1=2, delta=0.01, zeta=0.1, L=1, R0=5:
        //   0.2 + 0.1 + 0.02 + 0.5*(0.5)^2 = 0.2 + 0.1 + 0.02 + 0.125 = 0.445
        Check k = LowPrecisionSgdBounds.theorem4(0.1, 100, 1, 1, 2, VarianceParams.of(0.01, 0.1), 1, 5, 0.44);
        near(0.2, k.terms.get("init"));
        near(0.1, k.terms.get("alpha sigma0^2 L"));
        near(0.02, k.terms.get("L delta sigma1"));
        near(0.125, k.terms.get("(L zeta R0)^2/2"));
        near(0.445, k.bound);
        assertTrue(k.preconditionsMet());
        assertTrue(k.holds());
        // T -> infinity: 0.1 + 0.02 + 0.125 = 0.245
        near(0.245, LowPrecisionSgdBounds.theorem4(0.1, Double.POSITIVE_INFINITY, 1, 1, 2, VarianceParams.of(0.01, 0.1),
                1, 5, Double.NaN).bound);
    }

    @Test
    void theorem4PreconditionEdge() {
        // alpha < 1/(2(1+eta)L) with eta = 1/440, L = 1: 440/882 = 0.4988662...
        VarianceParams q = VarianceParams.of(0.01, 0.1);
        assertTrue(LowPrecisionSgdBounds.theorem4(0.4988, 100, 1, 1, 2, q, 1, 5, Double.NaN).preconditionsMet());
        Check above = LowPrecisionSgdBounds.theorem4(0.4989, 100, 1, 1, 2, q, 1, 5, 1e9);
        assertFalse(above.preconditionsMet());
        assertFalse(above.violated());
        // with zeta = 0 (eta = 0) the limit is 1/(2L) = 0.5 for L = 1
        VarianceParams lin = VarianceParams.of(0.01, 0);
        assertTrue(LowPrecisionSgdBounds.theorem4(0.4999, 100, 1, 1, 2, lin, 1, 5, Double.NaN).preconditionsMet());
        assertFalse(LowPrecisionSgdBounds.theorem4(0.5001, 100, 1, 1, 2, lin, 1, 5, Double.NaN).preconditionsMet());
    }

    @Test
    void theorem1PreconditionEdge() {
        // alpha < mu/(2L^2) = 1/8 for TOY (mu=1, L=2)
        assertTrue(LowPrecisionSgdBounds.theorem1(TOY, 0.1249, 100, 1, 0.01, Double.NaN).preconditionsMet());
        assertFalse(LowPrecisionSgdBounds.theorem1(TOY, 0.1251, 100, 1, 0.01, Double.NaN).preconditionsMet());
        // value: 1/(2*0.1249*100) + 0.1249*0.25/2 + 0.01*1/2 + 1e-4*9/4
        near(1 / 24.98 + 0.1249 * 0.125 + 0.005 + 0.000225,
                LowPrecisionSgdBounds.theorem1(TOY, 0.1249, 100, 1, 0.01, Double.NaN).bound);
    }

    // ------------------------------------------------------------------ Table 1 / Appendix B helpers

    @Test
    void table1HandValues() {
        // R=4, eps=0.25, d=16, sigma=1, sigma1=2, sigma_max=1, L=2
        ProblemConstants c = new ProblemConstants(16, 1, 2, 3, 1, 2, 4);
        java.util.Map<String, Double> t = LowPrecisionSgdBounds.table1(4, 0.25, c, 1, 2);
        java.util.Iterator<Double> it = t.values().iterator();
        assertEquals(5, t.size());
        near(6, it.next()); // prior: log2(R smax sqrt(d)/eps) = log2(4*1*4/0.25) = log2 64
        near(5, it.next()); // dimension-free convex: log2(R s1/eps) = log2(4*2/0.25) = log2 32
        near(6, it.next()); // non-convex: log2(L R s1/eps) = log2(2*4*2/0.25) = log2 64
        near(4 + Math.log(Math.log(3)) / Math.log(2), it.next()); // log2((4*1/0.25) ln(1+2/1)) = 4 + log2 ln 3
        near(4 + Math.log(Math.log(5)) / Math.log(2), it.next()); // log2((2*4/0.5) ln(1+2/0.5)) = 4 + log2 ln 5
    }

    @Test
    void bitsTheorem2HandValues() {
        // delta_max = 2 eps/(L s1) = 2*0.01/(1*2) = 0.01; linear grid delta = R/(2^(b-1)-1) must be <= 0.01 with R=1:
        // b=8 gives 1/127 = 0.00787 <= 0.01, b=7 gives 1/63 = 0.0159 > 0.01  =>  8 bits
        assertEquals(8, LowPrecisionSgdBounds.bitsTheorem2(0.01, 1, 1, 2));
        // eps 4x larger (delta_max = 0.04): b=6 gives 1/31 = 0.0323 <= 0.04, b=5 gives 1/15 > 0.04  =>  6 bits
        assertEquals(6, LowPrecisionSgdBounds.bitsTheorem2(0.04, 1, 1, 2));
        // exact edge: delta_max = 1/127 exactly (eps = L s1/(2*127) with L=1, s1=2) still needs 8 bits, not 9
        assertEquals(8, LowPrecisionSgdBounds.bitsTheorem2(1.0 / 127, 1, 1, 2));
    }

    /** Asymptotic Theorem 3 ball (seed002 §3.5) written out, with delta = zeta R/((1+zeta)^(2^(b-1)-1) - 1) (§3.10). */
    private static double logBall(ProblemConstants c, double R, int b, double zeta) {
        double n = Math.pow(2, b - 1) - 1;
        // (1+zeta)^n - 1 evaluated as expm1(n log1p(zeta)): pow(1+zeta, n) - 1 cancels catastrophically for tiny zeta
        double delta = zeta * R / Math.expm1(n * Math.log1p(zeta));
        double a = delta * c.sigma1() + zeta * c.sigma() * c.wStarNorm();
        double bb = delta * c.L1() + zeta * c.L() * c.wStarNorm() + zeta * c.sigma();
        return a / 2 + bb * bb / (4 * c.mu());
    }

    /** Independent minimization over zeta in (0, mu/(2L)] on a finer log grid than the code's. */
    private static double minLogBall(ProblemConstants c, double R, int b) {
        double zmax = c.mu() / (2 * c.L());
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 6000; i++) {
            double z = zmax * Math.pow(10, -12.0 * i / 6000);
            double v = logBall(c, R, b, z);
            if (v > 0 && Double.isFinite(v)) {
                best = Math.min(best, v);
            }
        }
        return best;
    }

    @Test
    void bitsLogTheorem3IsTheSmallestSufficientWidth() {
        ProblemConstants[] cs = {TOY, synthetic(256)};
        double[][] epss = {{1, 0.3, 0.1, 0.03}, {30, 10}};
        for (int j = 0; j < cs.length; j++) {
            for (double eps : epss[j]) {
                int b = LowPrecisionSgdBounds.bitsLogTheorem3(eps, 1, cs[j]);
                assertTrue(b >= 3, "eps " + eps);
                assertTrue(minLogBall(cs[j], 1, b) <= eps, "ball <= eps at b=" + b + " (eps " + eps + ")");
                assertTrue(minLogBall(cs[j], 1, b - 1) > eps, "ball > eps at b-1=" + (b - 1) + " (eps " + eps + ")");
            }
        }
    }

    @Test
    void bestExponentTheorem3() {
        // extraction §4.4: with the exact Lemma 2 parameters the integer argmin of the Theorem 3 ball is 5 for b in
        // [12,20] at d=1024
        for (int b = 12; b <= 20; b++) {
            assertEquals(5, LowPrecisionSgdBounds.bestExponentTheorem3(b, 1, synthetic(1024), false), "b=" + b);
        }
        // At d=256, b=20 it is 6, not 5 (the extraction's "every case" does not cover this one): hand evaluation of
        // the ball (delta = 4/2^(2^(be-1)), zeta = 2^-(20-be)): be=5 -> 9.70e-3, be=6 -> 5.31e-3, be=7 -> 2.10e-2.
        assertEquals(6, LowPrecisionSgdBounds.bestExponentTheorem3(20, 1, synthetic(256), false));
        ProblemConstants c = synthetic(256);
        assertEquals(9.70e-3, LowPrecisionSgdBounds.theorem3Ball(c, LowPrecisionSgdBounds.lemma2(5, 15, 1, false)), 1e-5);
        assertEquals(5.31e-3, LowPrecisionSgdBounds.theorem3Ball(c, LowPrecisionSgdBounds.lemma2(6, 14, 1, false)), 1e-5);
    }

    // ------------------------------------------------------------------ Theorem 4 free-C form (§3.6)

    @Test
    void theorem4FreeCAtProofChoiceEqualsIntermediate() {
        // alpha=0.1, L=1, T=100, f0-f*=1, sigma0^2=1, sigma1=2, delta=0.01, zeta=0.1, R0=5, eta=0 so eta'=1+eta=1.
        // Proof's C = 1/(alpha L) - eta' = 10 - 1 = 9, so (eta'+C) alpha L = 1:
        //   init  = 2/(2*0.1 - 0.1) * 1/100          = 0.2
        //   noise = (0.1*1*1 + 1*0.01*2)/(2 - 1)     = 0.12
        //   zeta  = 1*(0.1*5)^2/(4*9*(0.2 - 0.1))    = 0.25/3.6 = 5/72
        //   total = 0.32 + 5/72 = 701/1800 = 0.389444...
        // The intermediate expression: 1/(0.5*0.1*100) + 0.1 + 0.02 + 1*0.25/(4(1 - (0+1)*0.1)) = 0.2 + 0.12 + 5/72.
        // Both sides are floating-point formula evaluations, so equality is to 1e-12 relative (near), not exact.
        VarianceParams q = new VarianceParams(0.01, 0.1, 0);
        Check k = LowPrecisionSgdBounds.theorem4FreeC(0.1, 100, 1, 1, 2, q, 1, 5, 9, Double.NaN);
        assertTrue(k.preconditionsMet());
        near(0.2, k.terms.get("init"));
        near(0.12, k.terms.get("noise ball"));
        near(5.0 / 72, k.terms.get("zeta R0 term"));
        near(701.0 / 1800, k.bound);
        double a = 0.1, L = 1, T = 100, gap = 1, s0 = 1, s1 = 2, d = 0.01, z = 0.1, eta = 0, R0 = 5;
        double intermediate = gap / (0.5 * a * T) + a * s0 * L + L * d * s1
                + L * L * Math.pow(z * R0, 2) / (4 * (1 - (eta + 1) * a * L));
        near(intermediate, k.bound);
        // with Lemma 1's eta = zeta^2/(4(1+zeta)) = 1/440: eta' = 441/440, C = 10 - 441/440 = 3959/440;
        // zeta term = 0.25/(4*0.1*3959/440) = 275/3959 = L^2 (zeta R0)^2/(4(1 - (1/440+1)*0.1)); total 0.32 + 275/3959
        VarianceParams q1 = VarianceParams.of(0.01, 0.1);
        near(1.0 / 440, q1.eta());
        Check k1 = LowPrecisionSgdBounds.theorem4FreeC(0.1, 100, 1, 1, 2, q1, 1, 5, 10 - 441.0 / 440, Double.NaN);
        assertTrue(k1.preconditionsMet());
        near(275.0 / 3959, k1.terms.get("zeta R0 term"));
        near(0.32 + 275.0 / 3959, k1.bound);
    }

    @Test
    void theorem4BestCBelowPrintedAndFreeC() {
        VarianceParams q = VarianceParams.of(0.01, 0.1); // eta = 1/440
        Check printed = LowPrecisionSgdBounds.theorem4(0.1, 100, 1, 1, 2, q, 1, 5, Double.NaN);
        near(0.445, printed.bound);
        Check best = LowPrecisionSgdBounds.theorem4BestC(0.1, 100, 1, 1, 2, q, 1, 5, Double.NaN);
        assertTrue(best.preconditionsMet());
        assertTrue(best.bound <= printed.bound, best.bound + " > " + printed.bound);
        // valid C: 0 < C < A/B = 20 - 441/440 = 18.998
        for (double c : new double[] {0.01, 0.5, 1, 2, 4, 4.5, 8, 10 - 441.0 / 440, 9.4, 15, 18.9}) {
            Check f = LowPrecisionSgdBounds.theorem4FreeC(0.1, 100, 1, 1, 2, q, 1, 5, c, Double.NaN);
            assertTrue(f.preconditionsMet(), "C=" + c);
            assertTrue(best.bound <= f.bound, "C=" + c + ": " + best.bound + " > " + f.bound);
        }
        // closed-form approximate optimum A/(2B) = 1/(alpha L) - eta'/2 = 10 - 441/880
        near(10 - 441.0 / 880, best.terms.get("C approx A/(2B) = 1/(alpha L) - eta'/2"));
        // the numerical argmin is the exact stationary point: K = 0.32, M = 0.625, A = 2 - 0.1*441/440, B = 0.1,
        // C* = (-MB + sqrt((MB)^2 + ABKM))/(KB) (about 4.44 here, well below A/(2B): K is not small)
        double A = 2 - 0.1 * 441 / 440, B = 0.1, K = 0.32, M = 0.625;
        double cStar = (-M * B + Math.sqrt(M * B * M * B + A * B * K * M)) / (K * B);
        assertEquals(cStar, best.terms.get("C* exact stationary point"), 1e-12 * cStar);
        assertEquals(cStar, best.terms.get("C (numerical argmin)"), 1e-6 * cStar);
        assertEquals((K * cStar + M) / (cStar * (A - B * cStar)), best.bound, 1e-12);
        assertTrue(cStar > 4.4 && cStar < 4.5, "C* = " + cStar);
        // T -> infinity and a case where the zeta term dominates (K small): argmin near A/(2B)
        Check inf = LowPrecisionSgdBounds.theorem4BestC(0.1, Double.POSITIVE_INFINITY, 1, 1, 2, q, 1, 5, Double.NaN);
        assertTrue(inf.bound <= LowPrecisionSgdBounds.theorem4(0.1, Double.POSITIVE_INFINITY, 1, 1, 2, q, 1, 5,
                Double.NaN).bound);
        Check zd = LowPrecisionSgdBounds.theorem4BestC(0.1, Double.POSITIVE_INFINITY, 1, 1e-8, 1e-8,
                VarianceParams.of(1e-8, 0.1), 1, 5, Double.NaN);
        assertEquals(zd.terms.get("C approx A/(2B) = 1/(alpha L) - eta'/2"), zd.terms.get("C (numerical argmin)"), 1e-3);
        // zeta = 0: no zeta term, infimum K/A as C -> 0+ (A = 2 - alpha L = 1.9, K = 0.32)
        Check lin = LowPrecisionSgdBounds.theorem4BestC(0.1, 100, 1, 1, 2, VarianceParams.of(0.01, 0), 1, 5, Double.NaN);
        near(0.32 / 1.9, lin.bound);
    }

    @Test
    void theorem4FreeCInvalidCReportsPrecondition() {
        VarianceParams q = new VarianceParams(0.01, 0.1, 0); // eta' = 1
        // 2 - (eta'+C) alpha L = 2 - 21*0.1 = -0.1 <= 0 at C = 20
        Check bad = LowPrecisionSgdBounds.theorem4FreeC(0.1, 100, 1, 1, 2, q, 1, 5, 20, 1e9);
        assertFalse(bad.preconditionsMet());
        assertFalse(bad.violated());
        assertEquals(1, bad.violatedPreconditions().size());
        assertTrue(bad.violatedPreconditions().get(0).contains("2 - (eta'+C) alpha L > 0"));
        assertEquals(Double.POSITIVE_INFINITY, bad.bound);
        // C <= 0
        Check neg = LowPrecisionSgdBounds.theorem4FreeC(0.1, 100, 1, 1, 2, q, 1, 5, -1, Double.NaN);
        assertTrue(neg.violatedPreconditions().get(0).startsWith("C > 0"));
        // no valid C at all: eta' alpha L = 2.5 >= 2
        Check none = LowPrecisionSgdBounds.theorem4BestC(2.5, 100, 1, 1, 2, q, 1, 5, Double.NaN);
        assertFalse(none.preconditionsMet());
        assertTrue(none.violatedPreconditions().get(0).contains("eta' alpha L < 2"));
    }
}
