package lowp.optim;

/** The quasi-convex f(w) = c ||w||^p of seed 000 (Hölder with L = c, order p; w* = 0, f* = 0). */
public final class PowerNorm implements Problem {
    public final double c;
    public final double p;
    private final int d;

    public PowerNorm(double c, double p, int d) {
        this.c = c;
        this.p = p;
        this.d = d;
    }

    @Override
    public int dim() {
        return d;
    }

    @Override
    public double loss(double[] w) {
        return c * Math.pow(Problem.norm(w), p);
    }

    @Override
    public void gradient(double[] w, double[] g) {
        double n = Problem.norm(w);
        double k = n == 0 ? 0 : c * p * Math.pow(n, p - 2);
        for (int i = 0; i < d; i++) {
            g[i] = k * w[i];
        }
    }

    /** The low-precision gradient direction: w itself cast to the gradient precision (grad f is parallel to w). */
    @Override
    public void lowPrecisionGradient(double[] w, int[] rows, Policy policy, double[] out) {
        for (int i = 0; i < d; i++) {
            out[i] = policy.grad.round(w[i]);
        }
    }

    @Override
    public double[] optimum() {
        return new double[d];
    }

    @Override
    public double optimalLoss() {
        return 0;
    }
}
