package lowp.bounds;

import lowp.optim.Problem;

import java.util.SplittableRandom;

/**
 * Reproducible Hölder (p, L) envelope fit of seed 000 §2.8: h(rho) = max over random unit directions u of
 * f(w* + rho u) - f*; for each p in a grid, L(p) = max_rho h(rho)/rho^p (the smallest L making L rho^p an
 * upper envelope); pick the p minimizing sum_rho (L(p) rho^p - h(rho)). Valid only on [rhoMin, rhoMax].
 */
public final class HolderFit {
    private HolderFit() {
    }

    public record Fit(double p, double L) {
    }

    public static Fit fit(Problem f, double[] wStar, double fStar, double rhoMin, double rhoMax, int nRho, int nDirs,
                          double[] pGrid, long seed) {
        int d = wStar.length;
        double[] rho = new double[nRho];
        double[] h = new double[nRho];
        SplittableRandom r = new SplittableRandom(seed);
        double[][] dirs = new double[nDirs][d];
        for (double[] u : dirs) {
            double n = 0;
            for (int j = 0; j < d; j++) {
                u[j] = r.nextGaussian();
                n += u[j] * u[j];
            }
            n = Math.sqrt(n);
            for (int j = 0; j < d; j++) {
                u[j] /= n;
            }
        }
        double[] w = new double[d];
        for (int i = 0; i < nRho; i++) {
            rho[i] = rhoMin * Math.pow(rhoMax / rhoMin, nRho == 1 ? 0 : i / (nRho - 1.0));
            double mx = Double.NEGATIVE_INFINITY;
            for (double[] u : dirs) {
                for (int j = 0; j < d; j++) {
                    w[j] = wStar[j] + rho[i] * u[j];
                }
                mx = Math.max(mx, f.loss(w) - fStar);
            }
            h[i] = mx;
        }
        double bestP = Double.NaN;
        double bestL = Double.NaN;
        double bestErr = Double.POSITIVE_INFINITY;
        for (double p : pGrid) {
            double L = 0;
            for (int i = 0; i < nRho; i++) {
                L = Math.max(L, h[i] / Math.pow(rho[i], p));
            }
            double err = 0;
            for (int i = 0; i < nRho; i++) {
                err += L * Math.pow(rho[i], p) - h[i];
            }
            if (err < bestErr) {
                bestErr = err;
                bestP = p;
                bestL = L;
            }
        }
        return new Fit(bestP, bestL);
    }

    /** p grid lo, lo+step, ..., hi. */
    public static double[] grid(double lo, double hi, double step) {
        int n = (int) Math.round((hi - lo) / step) + 1;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = lo + i * step;
        }
        return g;
    }
}
