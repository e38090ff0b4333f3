package lowp.optim;

import java.util.SplittableRandom;

/** Synthetic data sets with fixed seeds. */
public final class Datasets {
    private Datasets() {
    }

    /** Gaussian design x ~ N(0, diag(scale)), y = x.w0 + noise N(0, noise^2), w0_j ~ U[-1,1]. */
    public static LinearRegression gaussianRegression(int n, int d, double noise, double condition, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w0 = new double[d];
        for (int j = 0; j < d; j++) {
            w0[j] = 2 * r.nextDouble() - 1;
        }
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double sc = d == 1 ? 1 : Math.pow(condition, -0.5 * j / (d - 1.0));
                double v = sc * r.nextGaussian();
                x[i * d + j] = v;
                s += v * w0[j];
            }
            y[i] = s + noise * r.nextGaussian();
        }
        return new LinearRegression(x, y, d);
    }

    /**
     * Non-separable Gaussian mixture (a stand-in for MNIST principal components): {@code classes} classes
     * with means on a circle of radius {@code sep} (2 classes: +-(1, 0.5) sep), identity covariance times
     * {@code std}, a bias feature 1 appended, so rows have dim+1 entries. Labels 0..classes-1.
     */
    public static double[][] gaussianMixture(int n, int classes, int dim, double sep, double std, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int p = dim + 1;
        double[] x = new double[n * p];
        double[] lab = new double[n];
        double[][] means = new double[classes][dim];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < dim; j++) {
                if (classes == 2) {
                    means[c][j] = (c == 0 ? 1 : -1) * sep * (j == 0 ? 1 : j == 1 ? 0.5 : 0);
                } else {
                    double ang = 2 * Math.PI * c / classes;
                    means[c][j] = sep * (j == 0 ? Math.cos(ang) : j == 1 ? Math.sin(ang) : 0);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(classes);
            lab[i] = c;
            for (int j = 0; j < dim; j++) {
                x[i * p + j] = means[c][j] + std * r.nextGaussian();
            }
            x[i * p + dim] = 1;
        }
        return new double[][] {x, lab};
    }

    /** Rounds every entry into a precision (e.g. the data in bf16). */
    public static double[] rounded(double[] v, Prec prec) {
        double[] o = v.clone();
        prec.roundAll(o);
        return o;
    }
}
