package lowp.optim;

import java.util.SplittableRandom;

/**
 * The synthetic sparse online linear regression of seed 002 (§3.12): each step draws x~ with exactly s
 * non-zeros, each +-1, coordinate i included with probability p_i (decreasing from p_1 to p_d, geometric
 * profile, sum = s, exact-s systematic (Madow) sampling), y~ ~ N(x~.w*, beta^2), w*_j ~ U[-1/2, 1/2].
 * Closed-form constants: mu = p_d, L = s, L1 = s sqrt(s), sigma^2 = beta^2 s, sigma1 = s beta sqrt(2/pi);
 * exact loss gap f(w) - f* = 1/2 sum_i p_i (w_i - w*_i)^2, f* = beta^2/2.
 */
public final class SparseOnlineRegression implements Problem {
    public final int d;
    public final int s;
    public final double beta;
    public final double p1;
    public final double pd;
    private final double[] p;
    private final double[] cum; // cum[i] = p_0 + ... + p_{i-1}, cum[d] = s
    private final double[] wStar;

    public SparseOnlineRegression(int d, int s, double beta, double p1, double pd, long seed) {
        if (s > d || s < 1) {
            throw new IllegalArgumentException("need 1 <= s <= d, got s=" + s + " d=" + d);
        }
        if (s / p1 > d || s / pd < d) {
            throw new IllegalArgumentException("infeasible p profile: need s/p1 <= d <= s/pd (s=" + s + ", d=" + d + ")");
        }
        this.d = d;
        this.s = s;
        this.beta = beta;
        this.p1 = p1;
        this.pd = pd;
        this.p = profile(d, s, p1, pd);
        this.cum = new double[d + 1];
        for (int i = 0; i < d; i++) {
            cum[i + 1] = cum[i] + p[i];
        }
        cum[d] = s;
        SplittableRandom r = new SplittableRandom(seed);
        wStar = new double[d];
        for (int i = 0; i < d; i++) {
            wStar[i] = r.nextDouble() - 0.5;
        }
    }

    /** p_i = pd + (p1-pd)(rho^i - rho^(d-1))/(1 - rho^(d-1)), rho by bisection so that sum p = s. */
    static double[] profile(int d, int s, double p1, double pd) {
        double lo = 1e-12;
        double hi = 1 - 1e-15;
        double[] p = new double[d];
        for (int it = 0; it < 200; it++) {
            double rho = 0.5 * (lo + hi);
            double sum = fill(p, rho, p1, pd);
            if (sum > s) {
                hi = rho;
            } else {
                lo = rho;
            }
        }
        fill(p, 0.5 * (lo + hi), p1, pd);
        return p;
    }

    private static double fill(double[] p, double rho, double p1, double pd) {
        int d = p.length;
        double last = Math.pow(rho, d - 1);
        double sum = 0;
        for (int i = 0; i < d; i++) {
            p[i] = pd + (p1 - pd) * (Math.pow(rho, i) - last) / (1 - last);
            sum += p[i];
        }
        return sum;
    }

    public double inclusion(int i) {
        return p[i];
    }

    /** Draws the support (sorted, exactly s distinct indices with inclusion probabilities p_i) into idx. */
    public void sampleSupport(SplittableRandom r, int[] idx) {
        double u = r.nextDouble();
        int pos = 0;
        for (int k = 0; k < s; k++) {
            double t = u + k;
            // first i with cum[i+1] > t
            int lo = pos;
            int hi = d - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cum[mid + 1] > t) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            idx[k] = lo;
            pos = lo + 1;
            if (pos > d - 1 && k < s - 1) {
                pos = d - 1;
            }
        }
    }

    @Override
    public int dim() {
        return d;
    }

    /** Expected loss E[1/2 (x.w - y)^2] = 1/2 sum p_i (w_i - w*_i)^2 + beta^2/2. */
    @Override
    public double loss(double[] w) {
        return gap(w) + optimalLoss();
    }

    public double gap(double[] w) {
        double g = 0;
        for (int i = 0; i < d; i++) {
            double t = w[i] - wStar[i];
            g += p[i] * t * t;
        }
        return 0.5 * g;
    }

    @Override
    public void gradient(double[] w, double[] g) {
        for (int i = 0; i < d; i++) {
            g[i] = p[i] * (w[i] - wStar[i]);
        }
    }

    @Override
    public double[] optimum() {
        return wStar.clone();
    }

    @Override
    public double optimalLoss() {
        return 0.5 * beta * beta;
    }

    public lowp.bounds.ProblemConstants constants() {
        double sigma = beta * Math.sqrt(s);
        return new lowp.bounds.ProblemConstants(d, pd, s, s * Math.sqrt(s), sigma, s * beta * Math.sqrt(2 / Math.PI),
                Problem.norm(wStar));
    }

    /**
     * One stochastic gradient sample at w, drawn exactly as LpSgd.runSparse draws its step (support, then one sign
     * per support index, then the label noise beta N(0,1)): idx receives the s support indices and vals the
     * gradient's nonzero values (x~^T w - y~) x~_idx[k]. Returns the residual x~^T w - y~.
     */
    public double sampleGradient(double[] w, SplittableRandom r, int[] idx, double[] vals) {
        sampleSupport(r, idx);
        double xw = 0;
        double xws = 0;
        for (int k = 0; k < s; k++) {
            vals[k] = r.nextBoolean() ? 1.0 : -1.0;
            xw += vals[k] * w[idx[k]];
            xws += vals[k] * wStar[idx[k]];
        }
        double res = xw - (xws + beta * r.nextGaussian());
        for (int k = 0; k < s; k++) {
            vals[k] *= res;
        }
        return res;
    }
}
