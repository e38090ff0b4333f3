package lowp.optim;

/**
 * Multiclass softmax regression: W (K x p, flattened row-major, d = K p), f = (1/n) sum_i
 * -log softmax(W x_i)_{y_i} + lambda/2 ||W||_F^2. w* by binary64 gradient descent with step 1/L
 * (L <= max||x||^2/2 + lambda) until the gradient norm is below 1e-10 or the iteration cap.
 */
public final class SoftmaxRegression implements Problem {
    private final double[] x;
    private final int[] y;
    private final int n;
    private final int p;
    private final int k;
    private final double lambda;
    private double[] wStar;

    public SoftmaxRegression(double[] x, int[] y, int p, int classes, double lambda) {
        this.x = x;
        this.y = y;
        this.p = p;
        this.k = classes;
        this.n = y.length;
        this.lambda = lambda;
    }

    @Override
    public int dim() {
        return k * p;
    }

    @Override
    public int samples() {
        return n;
    }

    private void probs(double[] w, int i, double[] pi) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int j = 0; j < p; j++) {
                s += w[c * p + j] * x[i * p + j];
            }
            pi[c] = s;
            mx = Math.max(mx, s);
        }
        double z = 0;
        for (int c = 0; c < k; c++) {
            pi[c] = Math.exp(pi[c] - mx);
            z += pi[c];
        }
        for (int c = 0; c < k; c++) {
            pi[c] /= z;
        }
    }

    @Override
    public double loss(double[] w) {
        double[] pi = new double[k];
        double s = 0;
        for (int i = 0; i < n; i++) {
            probs(w, i, pi);
            s -= Math.log(pi[y[i]]);
        }
        double r = 0;
        for (double v : w) {
            r += v * v;
        }
        return s / n + 0.5 * lambda * r;
    }

    @Override
    public void sampleGradient(double[] w, int i, double[] g) {
        double[] pi = new double[k];
        probs(w, i, pi);
        for (int c = 0; c < k; c++) {
            double e = pi[c] - (y[i] == c ? 1 : 0);
            for (int j = 0; j < p; j++) {
                g[c * p + j] = e * x[i * p + j] + lambda * w[c * p + j];
            }
        }
    }

    @Override
    public void gradient(double[] w, double[] g) {
        java.util.Arrays.fill(g, 0);
        double[] pi = new double[k];
        for (int i = 0; i < n; i++) {
            probs(w, i, pi);
            for (int c = 0; c < k; c++) {
                double e = pi[c] - (y[i] == c ? 1 : 0);
                for (int j = 0; j < p; j++) {
                    g[c * p + j] += e * x[i * p + j];
                }
            }
        }
        for (int q = 0; q < g.length; q++) {
            g[q] = g[q] / n + lambda * w[q];
        }
    }

    /**
     * Logits W x_i through the accumulator (one dot per class), softmax evaluated in binary64 from those
     * logits and rounded once per class into the gradient precision, e_ic = pi_ic - [y_i = c] rounded, then
     * g_cj = (X[:,j] . e_c) through the accumulator, divided by |rows|, plus lambda W_cj (rounded ops).
     */
    @Override
    public void lowPrecisionGradient(double[] w, int[] rows, Policy pol, double[] out) {
        int m = rows == null ? n : rows.length;
        double[][] e = new double[k][m];
        double[] z = new double[k];
        for (int r = 0; r < m; r++) {
            int i = rows == null ? r : rows[r];
            double mx = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                z[c] = pol.dot.dot(w, c * p, 1, x, i * p, 1, p);
                mx = Math.max(mx, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[c] - mx);
            }
            for (int c = 0; c < k; c++) {
                double pi = pol.grad.round(Math.exp(z[c] - mx) / sum);
                e[c][r] = pol.grad.sub(pi, y[i] == c ? 1 : 0);
            }
        }
        double[] col = new double[m];
        for (int j = 0; j < p; j++) {
            for (int r = 0; r < m; r++) {
                col[r] = x[(rows == null ? r : rows[r]) * p + j];
            }
            for (int c = 0; c < k; c++) {
                double g = pol.grad.div(pol.dot.dot(col, 0, 1, e[c], 0, 1, m), m);
                if (lambda != 0) {
                    g = pol.grad.add(g, pol.grad.mul(lambda, w[c * p + j]));
                }
                out[c * p + j] = g;
            }
        }
    }

    @Override
    public double[] optimum() {
        if (wStar == null) {
            double lmax = 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < p; j++) {
                    s += x[i * p + j] * x[i * p + j];
                }
                lmax = Math.max(lmax, s);
            }
            double step = 1 / (lmax / 2 + lambda);
            double[] w = new double[dim()];
            double[] g = new double[dim()];
            for (int it = 0; it < 20000; it++) {
                gradient(w, g);
                if (Problem.norm(g) < 1e-10) {
                    break;
                }
                for (int q = 0; q < w.length; q++) {
                    w[q] -= step * g[q];
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
     * Seed-002 constants (extraction §3.12, multiclass softmax, d = K p): the per-sample Hessian acts as
     * V -> (J V x_i) x_i^T + lambda V with J = diag(pi) - pi pi^T, ||J||_2 <= 1/2 and ||J u||_1 <= ||u||_2/sqrt(2),
     * so L = max_i ||x_i||_2^2 / 2 + lambda and L1 = max_i ||x_i||_1 ||x_i||_2 / sqrt(2) + lambda sqrt(d);
     * mu = lambda (global lower bound; 0 without regularization, where f is shift-invariant across classes);
     * sigma = sqrt((1/n) sum_i ||grad f~_i(W*)||_2^2), sigma1 = (1/n) sum_i ||grad f~_i(W*)||_1 at
     * W* = {@link #optimum()}.
     */
    public lowp.bounds.ProblemConstants constants() {
        double[] ws = optimum();
        double[] rows = Problem.maxRowNorms(x, n, p);
        double[] sig = Problem.gradientMoments(this, ws);
        return new lowp.bounds.ProblemConstants(dim(), lambda, rows[0] / 2 + lambda, rows[1] / Math.sqrt(2) + lambda * Math.sqrt(dim()),
                sig[0], sig[1], Problem.norm(ws));
    }
}
