package lowp.experiments;

import lowp.bounds.Check;
import lowp.bounds.LowPrecisionSgdBounds;
import lowp.bounds.ProblemConstants;
import lowp.optim.Datasets;
import lowp.optim.FixedPointQuantizer;
import lowp.optim.LinearRegression;
import lowp.optim.LogQuantizer;
import lowp.optim.LpSgd;
import lowp.optim.PaperFloatQuantizer;
import lowp.optim.Problem;
import lowp.optim.Quantizer;
import lowp.round.Rounding;

/**
 * Seed 002 check C26: where their preconditions hold, the bounds hold. A small well-conditioned dense
 * Gaussian-design linear regression (n = 256, d = 4) with exact constants (L = max||x||^2, L1 = max
 * ||x||_1||x||_2, mu = lambda_min(H), sigma and sigma1 at w*), LP-SGD with stochastic rounding and a step
 * size meeting Theorem 1's alpha < mu/(2L^2) (fixed point) and Theorem 3's proof condition
 * zeta L + (1+eta) alpha L^2 <= mu/2 (logarithmic and 16-bit floating-point quantization). Measured:
 * (1/T) sum_t (f(w_t) - f*) averaged over seeds (= E f(w-bar_T) - f*).
 */
public final class BoundsValidExperiment implements Experiment {
    @Override
    public String name() {
        return "seed002-bounds-valid";
    }

    @Override
    public String description() {
        return "Theorems 1 and 3 hold where their preconditions do (well-conditioned regression; fixed, log, FP quantizers)";
    }

    @Override
    public Outcome run(Options o) {
        Outcome out = new Outcome(name());
        LinearRegression lin = Datasets.gaussianRegression(256, 4, 0.5, 4, o.seed);
        ProblemConstants c = lin.constants();
        double[] ws = lin.optimum();
        double dist0 = Problem.norm(ws);
        out.line("constants: mu=%.4g L=%.4g L1=%.4g sigma=%.4g sigma1=%.4g ||w*||=%.4g kappa=%.4g", c.mu(), c.L(), c.L1(),
                c.sigma(), c.sigma1(), c.wStarNorm(), c.kappa());
        long T = o.full ? 400_000 : 100_000;
        int seeds = o.full ? 8 : 3;
        Rounding sr = Rounding.SR;
        boolean allOk = true;
        // Theorem 1: fixed point, delta = 2^-6, 12 bits (range +-32 holds w*), w0 = 0 on the grid
        double a1 = 0.5 * c.mu() / (2 * c.L() * c.L());
        Quantizer fx = new FixedPointQuantizer(12, -6, sr, o.seed);
        double m1 = measure(lin, fx, a1, T, seeds, o.seed);
        Check k1 = LowPrecisionSgdBounds.theorem1(c, a1, T, dist0, fx.params().delta(), m1);
        out.checks.add(k1);
        allOk &= k1.preconditionsMet() && k1.holds();
        // Theorem 3: zeta = mu/(4L) log quantization, and FPQ e5m10 where 2^-10 L <= mu/4
        double zeta = c.mu() / (4 * c.L());
        Quantizer lq = new LogQuantizer(0x1p-8, zeta, 12, sr, o.seed);
        Quantizer[] nl = {lq, new PaperFloatQuantizer(5, 10, 0, PaperFloatQuantizer.Mode.NORMAL, sr, o.seed)};
        for (Quantizer q : nl) {
            Quantizer.VarianceParams p = q.params();
            double a3 = 0.5 * (c.mu() / 2 - p.zeta() * c.L()) / ((1 + p.eta()) * c.L() * c.L());
            if (!(a3 > 0)) {
                out.line("%s: zeta L >= mu/2, Theorem 3 cannot apply", q.name());
                allOk = false;
                continue;
            }
            double m3 = measure(lin, q, a3, T, seeds, o.seed);
            Check k3 = LowPrecisionSgdBounds.theorem3(c, a3, T, dist0, p, m3);
            k3.note(q.name() + ", alpha=" + String.format("%.4g", a3));
            out.checks.add(k3);
            allOk &= k3.preconditionsMet() && k3.holds();
        }
        out.claim("Theorems 1 and 3 hold with all preconditions met (fixed point, log and FP16 quantizers, SR)", allOk);
        return out;
    }

    private static double measure(LinearRegression lin, Quantizer q, double alpha, long T, int seeds, long seed) {
        double s = 0;
        for (int k = 0; k < seeds; k++) {
            s += LpSgd.runDataset(lin, q, alpha, T, seed * 31 + k, null, 1).meanGap();
        }
        return s / seeds;
    }
}
