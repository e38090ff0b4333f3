package lowp.optim;

/**
 * Binary logistic regression with labels y in {0,1}: f(w) = (1/n) sum_i [log(1+e^{z_i}) - y_i z_i]
 * + lambda/2 ||w||^2, z_i = x_i.w. w* by binary64 Newton iterations.
 */
public final class LogisticRegression implements Problem {
    private final double[] x;
    private final double[] y;
    private final int n;
    private final int d;
    private final double lambda;
    private double[] wStar;

    public LogisticRegression(double[] x, double[] y, int d, double lambda) {
        this.x = x;
        this.y = y;
        this.d = d;
        this.n = y.length;
        this.lambda = lambda;
    }

    @Override
    public int dim() {
        return d;
    }

    @Override
    public int samples() {
        return n;
    }

    public double[] data() {
        return x;
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    static double softplus(double z) {
        return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
    }

    private double z(double[] w, int i) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += x[i * d + j] * w[j];
        }
        return s;
    }

    @Override
    public double loss(double[] w) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double z = z(w, i);
            s += softplus(z) - y[i] * z;
        }
        double r = 0;
        for (double v : w) {
            r += v * v;
        }
        return s / n + 0.5 * lambda * r;
    }

    @Override
    public void gradient(double[] w, double[] g) {
        java.util.Arrays.fill(g, 0);
        for (int i = 0; i < n; i++) {
            double e = sigmoid(z(w, i)) - y[i];
            for (int j = 0; j < d; j++) {
                g[j] += e * x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            g[j] = g[j] / n + lambda * w[j];
        }
    }

    @Override
    public void sampleGradient(double[] w, int i, double[] g) {
        double e = sigmoid(z(w, i)) - y[i];
        for (int j = 0; j < d; j++) {
            g[j] = e * x[i * d + j] + lambda * w[j];
        }
    }

    /**
     * z_i through the accumulator (rounded to its output format), sigma(z_i) evaluated in binary64 and
     * rounded once to the gradient precision, e_i = sigma - y_i rounded, g_j = (X[:,j] . e) through the
     * accumulator, divided by |rows| (one rounding), plus lambda*w_j (rounded ops).
     */
    @Override
    public void lowPrecisionGradient(double[] w, int[] rows, Policy pol, double[] out) {
        int m = rows == null ? n : rows.length;
        double[] e = new double[m];
        for (int k = 0; k < m; k++) {
            int i = rows == null ? k : rows[k];
            double zi = pol.dot.dot(x, i * d, 1, w, 0, 1, d);
            e[k] = pol.grad.sub(pol.grad.round(sigmoid(zi)), y[i]);
        }
        double[] col = new double[m];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < m; k++) {
                col[k] = x[(rows == null ? k : rows[k]) * d + j];
            }
            double gj = pol.grad.div(pol.dot.dot(col, 0, 1, e, 0, 1, m), m);
            if (lambda != 0) {
                gj = pol.grad.add(gj, pol.grad.mul(lambda, w[j]));
            }
            out[j] = gj;
        }
    }

    @Override
    public double[] optimum() {
        if (wStar == null) {
            double[] w = new double[d];
            double[] g = new double[d];
            for (int it = 0; it < 100; it++) {
                gradient(w, g);
                double[][] h = new double[d][d];
                for (int i = 0; i < n; i++) {
                    double s = sigmoid(z(w, i));
                    double c = s * (1 - s);
                    for (int a = 0; a < d; a++) {
                        for (int b = 0; b < d; b++) {
                            h[a][b] += c * x[i * d + a] * x[i * d + b];
                        }
                    }
                }
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        h[a][b] /= n;
                    }
                    h[a][a] += lambda;
                }
                double[] step = LinAlg.choleskySolve(h, g);
                double sz = 0;
                for (int a = 0; a < d; a++) {
                    w[a] -= step[a];
                    sz += step[a] * step[a];
                }
                if (sz < 1e-30) {
                    break;
                }
            }
            wStar = w;
        }
        return wStar.clone();
    }

    @Override
    public double optimalLoss() {
        return loss(optimum());
    }

    /**
     * Seed-002 constants (extraction §3.12, binary logistic regression with f~_i = log(1+e^{z_i}) - y_i z_i
     * + lambda/2 ||w||^2): the per-sample Hessian is phi(1-phi) x_i x_i^T + lambda I with phi(1-phi) <= 1/4, so
     * L = max_i ||x_i||_2^2 / 4 + lambda (Assumption 1 is per sample, hence the max) and
     * L1 = max_i ||x_i||_1 ||x_i||_2 / 4 + lambda sqrt(d) (||x x^T v||_1 <= ||x||_1 ||x||_2 ||v||_2,
     * ||v||_1 <= sqrt(d) ||v||_2); mu = lambda (the regularizer's strong convexity, a global lower bound;
     * 0 without regularization); sigma = sqrt((1/n) sum_i ||grad f~_i(w*)||_2^2) and
     * sigma1 = (1/n) sum_i ||grad f~_i(w*)||_1 at w* = {@link #optimum()} (Newton).
     */
    public lowp.bounds.ProblemConstants constants() {
        double[] ws = optimum();
        double[] rows = Problem.maxRowNorms(x, n, d);
        double[] sig = Problem.gradientMoments(this, ws);
        return new lowp.bounds.ProblemConstants(d, lambda, rows[0] / 4 + lambda, rows[1] / 4 + lambda * Math.sqrt(d),
                sig[0], sig[1], Problem.norm(ws));
    }
}
