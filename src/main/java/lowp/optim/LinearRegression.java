package lowp.optim;

/**
 * f(w) = (1/n) sum_i 1/2 (x_i.w - y_i)^2 on a data set (rows of X, row-major n x d). w* and f* by a
 * binary64 normal-equation (Cholesky) solve; seed-002 constants in closed form (§3.12).
 */
public final class LinearRegression implements Problem {
    private final double[] x;
    private final double[] y;
    private final int n;
    private final int d;
    private double[] wStar;
    private double fStar = Double.NaN;

    public LinearRegression(double[] x, double[] y, int d) {
        this.x = x;
        this.y = y;
        this.d = d;
        this.n = y.length;
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

    public double[] targets() {
        return y;
    }

    double residual(double[] w, int i) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += x[i * d + j] * w[j];
        }
        return s - y[i];
    }

    @Override
    public double loss(double[] w) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double r = residual(w, i);
            s += 0.5 * r * r;
        }
        return s / n;
    }

    @Override
    public void gradient(double[] w, double[] g) {
        java.util.Arrays.fill(g, 0);
        for (int i = 0; i < n; i++) {
            double r = residual(w, i);
            for (int j = 0; j < d; j++) {
                g[j] += r * x[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            g[j] /= n;
        }
    }

    @Override
    public void sampleGradient(double[] w, int i, double[] g) {
        double r = residual(w, i);
        for (int j = 0; j < d; j++) {
            g[j] = r * x[i * d + j];
        }
    }

    /** Residuals x_i.w - y_i through the accumulator, then X^T r / |rows| through it again. */
    @Override
    public void lowPrecisionGradient(double[] w, int[] rows, Policy pol, double[] out) {
        int m = rows == null ? n : rows.length;
        double[] r = new double[m];
        for (int k = 0; k < m; k++) {
            int i = rows == null ? k : rows[k];
            r[k] = pol.grad.sub(pol.dot.dot(x, i * d, 1, w, 0, 1, d), y[i]);
        }
        double[] col = new double[m];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < m; k++) {
                col[k] = x[(rows == null ? k : rows[k]) * d + j];
            }
            out[j] = pol.grad.div(pol.dot.dot(col, 0, 1, r, 0, 1, m), m);
        }
    }

    public double[][] hessian() {
        double[][] h = new double[d][d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    h[a][b] += x[i * d + a] * x[i * d + b];
                }
            }
        }
        for (double[] row : h) {
            for (int b = 0; b < d; b++) {
                row[b] /= n;
            }
        }
        return h;
    }

    @Override
    public double[] optimum() {
        if (wStar == null) {
            double[] b = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    b[j] += x[i * d + j] * y[i];
                }
            }
            for (int j = 0; j < d; j++) {
                b[j] /= n;
            }
            wStar = LinAlg.choleskySolve(hessian(), b);
        }
        return wStar.clone();
    }

    @Override
    public double optimalLoss() {
        if (Double.isNaN(fStar)) {
            fStar = loss(optimum());
        }
        return fStar;
    }

    /** Seed-002 constants: L = max||x||^2, L1 = max ||x||_1 ||x||_2, mu = lambda_min(H), sigma, sigma1 at w*. */
    public lowp.bounds.ProblemConstants constants() {
        double l = 0;
        double l1 = 0;
        double s2 = 0;
        double s1 = 0;
        double[] ws = optimum();
        for (int i = 0; i < n; i++) {
            double n2 = 0;
            double n1 = 0;
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j];
                n2 += v * v;
                n1 += Math.abs(v);
            }
            l = Math.max(l, n2);
            l1 = Math.max(l1, n1 * Math.sqrt(n2));
            double r = residual(ws, i);
            s2 += r * r * n2;
            s1 += Math.abs(r) * n1;
        }
        double mu = LinAlg.symmetricEigenvalues(hessian())[0];
        return new lowp.bounds.ProblemConstants(d, mu, l, l1, Math.sqrt(s2 / n), s1 / n, Problem.norm(ws));
    }
}
