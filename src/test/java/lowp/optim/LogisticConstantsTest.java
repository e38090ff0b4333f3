package lowp.optim;

import lowp.bounds.ProblemConstants;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Seed-002 constants (extraction §3.12) of the logistic and softmax problems: hand-derived values on 2–3 sample
 * data sets, and an empirical check that sampled per-sample gradient-difference ratios never exceed L and L1.
 */
class LogisticConstantsTest {
    static final double SQ2 = Math.sqrt(2);

    /**
     * d = 2, three samples: x1 = (1,2) y=1, x2 = (1,2) y=0, x3 = (0,2.5) with the soft label y=1/2, lambda = 0.1.
     * At w = 0 every phi = 1/2, so the sample gradients are (phi - y) x: (-1/2)(1,2), (1/2)(1,2) and 0 — they sum
     * to 0 and w* = 0 (unique: lambda > 0). Hand values:
     * ||x1||^2 = 5, ||x3||^2 = 6.25 -> L = 6.25/4 + 0.1 = 1.6625;
     * ||x1||_1 ||x1||_2 = 3 sqrt5 = 6.708 > ||x3||_1 ||x3||_2 = 6.25 -> L1 = 3 sqrt5 / 4 + 0.1 sqrt2;
     * mu = lambda = 0.1;
     * sigma^2 = (5/4 + 5/4 + 0) / 3 = 5/6; sigma1 = (3/2 + 3/2 + 0) / 3 = 1; ||w*|| = 0.
     */
    @Test
    void logisticThreeSamplesSymmetricOptimum() {
        LogisticRegression lr = new LogisticRegression(new double[] {1, 2, 1, 2, 0, 2.5}, new double[] {1, 0, 0.5}, 2, 0.1);
        ProblemConstants c = lr.constants();
        assertEquals(2, c.d());
        assertEquals(6.25 / 4 + 0.1, c.L(), 1e-15);
        assertEquals(3 * Math.sqrt(5) / 4 + 0.1 * SQ2, c.L1(), 1e-15);
        assertEquals(0.1, c.mu(), 0);
        assertEquals(Math.sqrt(5.0 / 6), c.sigma(), 1e-15);
        assertEquals(1, c.sigma1(), 1e-15);
        assertEquals(0, c.wStarNorm(), 0);
        assertTrue(c.sane(0));
    }

    /**
     * d = 1, three samples with x = 2 and y = 1, 1, 0, lambda = 0: f(w) = (1/3) sum softplus(2w) - y_i 2w, so
     * f'(w) = (2/3)(3 phi(2w) - 2) = 0 at phi = 2/3, w* = ln(2)/2. Sample gradients (phi - y) 2 at w*: -2/3, -2/3,
     * 4/3 -> sigma^2 = (4/9 + 4/9 + 16/9)/3 = 8/9, sigma = 2 sqrt2 / 3, sigma1 = (2/3 + 2/3 + 4/3)/3 = 8/9;
     * L = 4/4 = 1, L1 = (2 * 2)/4 = 1, mu = lambda = 0.
     */
    @Test
    void logisticOneDimensionNontrivialOptimum() {
        LogisticRegression lr = new LogisticRegression(new double[] {2, 2, 2}, new double[] {1, 1, 0}, 1, 0);
        ProblemConstants c = lr.constants();
        assertEquals(Math.log(2) / 2, lr.optimum()[0], 1e-14);
        assertEquals(Math.log(2) / 2, c.wStarNorm(), 1e-14);
        assertEquals(1, c.L(), 0);
        assertEquals(1, c.L1(), 0);
        assertEquals(0, c.mu(), 0);
        assertEquals(2 * SQ2 / 3, c.sigma(), 1e-13);
        assertEquals(8.0 / 9, c.sigma1(), 1e-13);
    }

    /**
     * K = 2 classes, p = 1 feature x = 1 for all three samples, y = 0, 0, 1, lambda = 0. pi_0 = sigma(w0 - w1); the
     * gradient is (pi_0 - 2/3)(1, -1), zero at w0 - w1 = ln 2, and gradient descent from 0 keeps w0 + w1 = 0, so
     * W* = (ln2/2, -ln2/2). Sample gradients (pi - e_y) x at W*: y=0: (-1/3, 1/3) twice, y=1: (2/3, -2/3) ->
     * sigma^2 = (2/9 + 2/9 + 8/9)/3 = 4/9, sigma = 2/3; sigma1 = (2/3 + 2/3 + 4/3)/3 = 8/9. d = K p = 2,
     * L = 1/2 + 0, L1 = 1*1/sqrt2, mu = 0. (W* from the solver's stopping rule ||grad|| < 1e-10: |u - ln 2| <=
     * 1e-10 / (sqrt2 * 2/9) ~ 3e-10, hence the 1e-9 tolerances.)
     */
    @Test
    void softmaxTwoClassesNontrivialOptimum() {
        SoftmaxRegression sm = new SoftmaxRegression(new double[] {1, 1, 1}, new int[] {0, 0, 1}, 1, 2, 0);
        ProblemConstants c = sm.constants();
        double[] ws = sm.optimum();
        assertEquals(Math.log(2) / 2, ws[0], 1e-9);
        assertEquals(-Math.log(2) / 2, ws[1], 1e-9);
        assertEquals(2, c.d());
        assertEquals(0.5, c.L(), 0);
        assertEquals(1 / SQ2, c.L1(), 1e-15);
        assertEquals(0, c.mu(), 0);
        assertEquals(2.0 / 3, c.sigma(), 1e-9);
        assertEquals(8.0 / 9, c.sigma1(), 1e-9);
        assertEquals(Math.log(2) / SQ2, c.wStarNorm(), 1e-9);
    }

    /**
     * K = 3, p = 2, x = (1,2) for all three samples with labels 0, 1, 2, lambda = 0.2: at W = 0, pi = (1/3,1/3,1/3)
     * and the sample gradients (pi - e_y) x^T sum to 0, so W* = 0. Each sample gradient has squared norm
     * (4/9 + 1/9 + 1/9) * 5 = 10/3 and l1 norm (2/3 + 1/3 + 1/3) * 3 = 4: sigma = sqrt(10/3), sigma1 = 4. d = 6,
     * L = 5/2 + 0.2, L1 = 3 sqrt5 / sqrt2 + 0.2 sqrt6, mu = 0.2.
     */
    @Test
    void softmaxThreeClassesSymmetricOptimum() {
        SoftmaxRegression sm = new SoftmaxRegression(new double[] {1, 2, 1, 2, 1, 2}, new int[] {0, 1, 2}, 2, 3, 0.2);
        ProblemConstants c = sm.constants();
        assertEquals(6, c.d());
        assertEquals(2.7, c.L(), 1e-15);
        assertEquals(3 * Math.sqrt(5) / SQ2 + 0.2 * Math.sqrt(6), c.L1(), 1e-14);
        assertEquals(0.2, c.mu(), 0);
        assertEquals(Math.sqrt(10.0 / 3), c.sigma(), 1e-14);
        assertEquals(4, c.sigma1(), 1e-14);
        assertEquals(0, c.wStarNorm(), 0);
    }

    /**
     * Largest ratios ||grad f_i(a) - grad f_i(b)||_q / ||a - b||_2 (q = 2, 1) over every sample i and 200 random
     * pairs (fixed seed): a = w* + scale * N(0, I), scale in {0.1, 1, 10}, b = a + h v with v a random unit vector
     * and h in {1e-3, 1e-1, 10}. Floating-point allowance: the gradients are evaluated in binary64 with components
     * of magnitude at most ~10 here, each within a few ulps (< 1e-13 absolute); divided by h >= 1e-3 the computed
     * ratio can exceed the true one by < 1e-10, so the check is ratio <= bound + 1e-9 and nothing more.
     */
    static double[] maxRatios(Problem p, long seed) {
        int d = p.dim();
        SplittableRandom r = new SplittableRandom(seed);
        double[] ws = p.optimum();
        double[] ga = new double[d];
        double[] gb = new double[d];
        double m2 = 0;
        double m1 = 0;
        double[] scales = {0.1, 1, 10};
        double[] hs = {1e-3, 1e-1, 10};
        for (int k = 0; k < 200; k++) {
            double[] a = new double[d];
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                a[j] = ws[j] + scales[k % 3] * r.nextGaussian();
                v[j] = r.nextGaussian();
            }
            double nv = Problem.norm(v);
            double h = hs[(k / 3) % 3];
            double[] b = new double[d];
            for (int j = 0; j < d; j++) {
                b[j] = a[j] + h * v[j] / nv;
            }
            double dist = Problem.dist(a, b);
            for (int i = 0; i < p.samples(); i++) {
                p.sampleGradient(a, i, ga);
                p.sampleGradient(b, i, gb);
                double[] diff = new double[d];
                for (int j = 0; j < d; j++) {
                    diff[j] = ga[j] - gb[j];
                }
                m2 = Math.max(m2, Problem.norm(diff) / dist);
                m1 = Math.max(m1, Problem.norm1(diff) / dist);
            }
        }
        return new double[] {m2, m1};
    }

    /** The ratio at the bound's tight point: h = 1e-4 along direction v from point a for sample i. */
    static double[] ratioAt(Problem p, int i, double[] a, double[] v, double h) {
        int d = p.dim();
        double nv = Problem.norm(v);
        double[] b = new double[d];
        for (int j = 0; j < d; j++) {
            b[j] = a[j] + h * v[j] / nv;
        }
        double[] ga = new double[d];
        double[] gb = new double[d];
        p.sampleGradient(a, i, ga);
        p.sampleGradient(b, i, gb);
        double[] diff = new double[d];
        for (int j = 0; j < d; j++) {
            diff[j] = ga[j] - gb[j];
        }
        double dist = Problem.dist(a, b);
        return new double[] {Problem.norm(diff) / dist, Problem.norm1(diff) / dist};
    }

    @Test
    void sampledGradientDifferencesNeverExceedTheBounds() {
        double[][] mix = Datasets.gaussianMixture(60, 2, 2, 1, 1, 5);
        LogisticRegression lr = new LogisticRegression(mix[0], mix[1], 3, 1e-2);
        ProblemConstants c = lr.constants();
        double[] m = maxRatios(lr, 11);
        assertTrue(m[0] <= c.L() + 1e-9, "logistic l2 ratio " + m[0] + " vs L " + c.L());
        assertTrue(m[1] <= c.L1() + 1e-9, "logistic l1 ratio " + m[1] + " vs L1 " + c.L1());
        // the L bound is attained: at w = 0 (phi = 1/2, phi(1-phi) = 1/4) along x_i of the largest-norm sample the
        // ratio is (phi(h||x||) - 1/2)||x|| / h + lambda = ||x||^2/4 + lambda - O(h^2 ||x||^4)
        int imax = 0;
        double best = -1;
        for (int i = 0; i < lr.samples(); i++) {
            double s = 0;
            for (int j = 0; j < 3; j++) {
                s += mix[0][i * 3 + j] * mix[0][i * 3 + j];
            }
            if (s > best) {
                best = s;
                imax = i;
            }
        }
        double[] xi = java.util.Arrays.copyOfRange(mix[0], imax * 3, imax * 3 + 3);
        double[] t = ratioAt(lr, imax, new double[3], xi, 1e-4);
        assertEquals(c.L(), t[0], 1e-3 * c.L(), "L is tight at z = 0 along x_i");
        assertTrue(t[0] <= c.L() + 1e-9 && t[1] <= c.L1() + 1e-9);

        double[][] mix3 = Datasets.gaussianMixture(45, 3, 2, 2, 1, 6);
        int[] lab = new int[45];
        for (int i = 0; i < 45; i++) {
            lab[i] = (int) mix3[1][i];
        }
        SoftmaxRegression sm = new SoftmaxRegression(mix3[0], lab, 3, 3, 1e-2);
        ProblemConstants cs = sm.constants();
        double[] ms = maxRatios(sm, 12);
        assertTrue(ms[0] <= cs.L() + 1e-9, "softmax l2 ratio " + ms[0] + " vs L " + cs.L());
        assertTrue(ms[1] <= cs.L1() + 1e-9, "softmax l1 ratio " + ms[1] + " vs L1 " + cs.L1());
        assertTrue(ms[0] > 0.1 * cs.L(), "the sample reaches the bound's scale: " + ms[0] / cs.L());

        // two classes at W = 0: J = diag(1/2,1/2) - 1/4 11^T has eigenvalue 1/2 along (1,-1), so along
        // V = (1,-1) x^T the ratio tends to ||x||^2/2 + lambda = L (one sample, so the max is that sample's)
        SoftmaxRegression two = new SoftmaxRegression(new double[] {1, 2}, new int[] {0}, 2, 2, 1e-2);
        double[] t2 = ratioAt(two, 0, new double[4], new double[] {1, 2, -1, -2}, 1e-4);
        ProblemConstants c2 = two.constants();
        assertEquals(c2.L(), t2[0], 1e-3 * c2.L(), "softmax L is tight for two classes at pi = (1/2, 1/2)");
        assertTrue(t2[0] <= c2.L() + 1e-9 && t2[1] <= c2.L1() + 1e-9);
    }
}
