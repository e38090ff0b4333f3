package lowp.optim;

/**
 * A training objective f(w) = (1/n) sum_i f_i(w) (or an analytic function), with an exact (binary64)
 * full gradient, per-sample gradients and, where the problem defines one, a low-precision gradient
 * pipeline that runs every inner product through the policy's accumulator model.
 */
public interface Problem {
    int dim();

    /** f(w) in binary64. */
    double loss(double[] w);

    /** Full gradient in binary64 (the "exact" reference of the error decomposition). */
    void gradient(double[] w, double[] g);

    /** Number of component losses (0 for analytic / online problems). */
    default int samples() {
        return 0;
    }

    /** Gradient of f_i (binary64). */
    default void sampleGradient(double[] w, int i, double[] g) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no per-sample gradients");
    }

    /** Minimizer w* if known (else null). */
    default double[] optimum() {
        return null;
    }

    /** f(w*) if known (else NaN). */
    default double optimalLoss() {
        return Double.NaN;
    }

    /**
     * Gradient over the given rows (null: all rows) computed in the policy's gradient precision with the
     * policy's accumulator for every inner product. Default: exact gradient rounded elementwise.
     */
    default void lowPrecisionGradient(double[] w, int[] rows, Policy policy, double[] out) {
        if (rows != null) {
            throw new UnsupportedOperationException("minibatch gradients for " + getClass().getSimpleName());
        }
        gradient(w, out);
        policy.grad.roundAll(out);
    }

    /** Exact minibatch gradient over rows (binary64); null rows = full gradient. */
    default void batchGradient(double[] w, int[] rows, double[] out) {
        if (rows == null) {
            gradient(w, out);
            return;
        }
        java.util.Arrays.fill(out, 0);
        double[] gi = new double[out.length];
        for (int r : rows) {
            sampleGradient(w, r, gi);
            for (int j = 0; j < out.length; j++) {
                out[j] += gi[j];
            }
        }
        for (int j = 0; j < out.length; j++) {
            out[j] /= rows.length;
        }
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    static double norm1(double[] v) {
        double s = 0;
        for (double x : v) {
            s += Math.abs(x);
        }
        return s;
    }

    static double dist(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = a[i] - b[i];
            s += t * t;
        }
        return Math.sqrt(s);
    }

    /**
     * Row norms of the n x p row-major data x for the seed-002 smoothness constants:
     * {max_i ||x_i||_2^2, max_i ||x_i||_1 ||x_i||_2}.
     */
    static double[] maxRowNorms(double[] x, int n, int p) {
        double l = 0;
        double l1 = 0;
        for (int i = 0; i < n; i++) {
            double n2 = 0;
            double n1 = 0;
            for (int j = 0; j < p; j++) {
                double v = x[i * p + j];
                n2 += v * v;
                n1 += Math.abs(v);
            }
            l = Math.max(l, n2);
            l1 = Math.max(l1, n1 * Math.sqrt(n2));
        }
        return new double[] {l, l1};
    }

    /**
     * The seed-002 noise constants at w: {sigma, sigma1} = {sqrt((1/n) sum_i ||grad f~_i(w)||_2^2),
     * (1/n) sum_i ||grad f~_i(w)||_1} over the problem's samples.
     */
    static double[] gradientMoments(Problem f, double[] w) {
        int n = f.samples();
        double[] g = new double[f.dim()];
        double s2 = 0;
        double s1 = 0;
        for (int i = 0; i < n; i++) {
            f.sampleGradient(w, i, g);
            double gn = norm(g);
            s2 += gn * gn;
            s1 += norm1(g);
        }
        return new double[] {Math.sqrt(s2 / n), s1 / n};
    }
}
