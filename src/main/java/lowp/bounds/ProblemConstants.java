package lowp.bounds;

/**
 * Problem constants of seed 002 §3: dimension d, strong convexity mu, Lipschitz L (l2) and L1 (l1-from-l2),
 * gradient size at the optimum sigma (l2, root mean square) and sigma1 (mean l1), and ||w*||_2.
 */
public record ProblemConstants(int d, double mu, double L, double L1, double sigma, double sigma1, double wStarNorm) {
    public double kappa() {
        return L / mu;
    }

    public double kappa1() {
        return L1 / mu;
    }

    /** Jensen sanity relations (check C33): sigma1 <= sqrt(d) sigma and L1 <= sqrt(d) L (with slack for estimates). */
    public boolean sane(double relTol) {
        double sd = Math.sqrt(d);
        return sigma1 <= sd * sigma * (1 + relTol) && L1 <= sd * L * (1 + relTol);
    }
}
