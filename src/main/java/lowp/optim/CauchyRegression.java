package lowp.optim;

import java.util.SplittableRandom;

/**
 * A smooth non-convex finite sum for the seed-002 non-convex theorems: f_i(w) = sum_j log(1 + (w_j - a_ij)^2),
 * f = (1/n) sum_i f_i. Each gradient coordinate 2x/(1+x^2) lies in [-1, 1] and each Hessian entry
 * 2(1-x^2)/(1+x^2)^2 in [-1/4, 2], so globally: L = 2, E||grad f_i||_2^2 <= d (sigma^2, sigma_0^2 <= d) and
 * E||grad f_i||_1 <= d (sigma_1 <= d); f >= 0 = a valid lower bound for f*.
 */
public final class CauchyRegression implements Problem {
    private final double[] a;
    private final int n;
    private final int d;

    public CauchyRegression(int n, int d, double spread, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        this.n = n;
        this.d = d;
        this.a = new double[n * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = spread * r.nextGaussian();
        }
    }

    @Override
    public int dim() {
        return d;
    }

    @Override
    public int samples() {
        return n;
    }

    @Override
    public double loss(double[] w) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double x = w[j] - a[i * d + j];
                s += Math.log1p(x * x);
            }
        }
        return s / n;
    }

    @Override
    public void gradient(double[] w, double[] g) {
        java.util.Arrays.fill(g, 0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double x = w[j] - a[i * d + j];
                g[j] += 2 * x / (1 + x * x);
            }
        }
        for (int j = 0; j < d; j++) {
            g[j] /= n;
        }
    }

    @Override
    public void sampleGradient(double[] w, int i, double[] g) {
        for (int j = 0; j < d; j++) {
            double x = w[j] - a[i * d + j];
            g[j] = 2 * x / (1 + x * x);
        }
    }

    /** max |a_ij|: every coordinate's gradient points toward the data, so SGD iterates started inside
     * [-M, M]^d stay within one step plus one quantum of that box (Assumption 6 a priori). */
    public double maxAbsData() {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** A lower bound of f* (f >= 0). */
    @Override
    public double optimalLoss() {
        return 0;
    }
}
