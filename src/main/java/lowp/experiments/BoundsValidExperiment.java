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
    public String formatOption() {
        return null;
    }

    @Override
    public String roundingOption() {
        return null;
    }

    @Override
    public Outcome run(Options o) {
        Outcome out = new Outcome(name());
        LinearRegression lin = Datasets.gaussianRegression(256, 4, 0.5, 4, o.seed);
        ProblemConstants c = lin.constants();
        double[] ws = lin.optimum();
        int d0 = ws.length;
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
        Check k1 = LowPrecisionSgdBounds.requireGridStart(
                LowPrecisionSgdBounds.theorem1(c, a1, T, dist0, fx.params().delta(), m1), fx, new double[d0], ws);
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
            Check k3 = LowPrecisionSgdBounds.requireGridStart(LowPrecisionSgdBounds.theorem3(c, a3, T, dist0, p, m3),
                    q, new double[d0], ws); // measure() starts at w0 = 0
            k3.note(q.name() + ", alpha=" + String.format("%.4g", a3));
            out.checks.add(k3);
            allOk &= k3.preconditionsMet() && k3.holds();
        }
        out.claim("Theorems 1 and 3 hold with all preconditions met (fixed point, log and FP16 quantizers, SR)", allOk);

        // Theorems 2 and 4 (non-convex) on f_i(w) = sum_j log(1 + (w_j - a_ij)^2): global L = 2,
        // sigma_0^2 <= d, sigma1 <= d; f* >= 0 replaces f* (a larger, still valid bound); measured E||grad f||^2
        int d = 4;
        lowp.optim.CauchyRegression cr = new lowp.optim.CauchyRegression(64, d, 2, o.seed);
        double L = 2;
        double[] w0 = new double[d];
        java.util.Arrays.fill(w0, 3);
        double f0 = cr.loss(w0);
        java.util.function.ToDoubleFunction<double[]> gradSq = w -> {
            double[] g = new double[d];
            cr.gradient(w, g);
            double s2 = 0;
            for (double v : g) {
                s2 += v * v;
            }
            return s2;
        };
        long T2 = o.full ? 200_000 : 50_000;
        boolean nonConvexOk = true;
        {
            double a2 = 0.05;
            Quantizer q = new FixedPointQuantizer(12, -6, sr, o.seed); // range +-32, no saturation expected
            double meas = 0;
            long sat = 0;
            for (int k = 0; k < seeds; k++) {
                LpSgd.Result res = LpSgd.runDataset(cr, q, a2, T2, o.seed * 17 + k, w0, 10, gradSq);
                meas += res.meanGap() / seeds;
                sat += res.saturations();
            }
            Check k2 = LowPrecisionSgdBounds.theorem2(a2, T2, f0, d, d, q.params().delta(), L, meas);
            LowPrecisionSgdBounds.requireNoSaturation(k2, sat);
            k2.note("f_i = sum_j log(1+(w_j-a_ij)^2), d=4, f* >= 0, sigma_0^2 = sigma1 = d (global)");
            out.checks.add(k2);
            nonConvexOk &= k2.preconditionsMet() && k2.holds();
        }
        {
            Quantizer q = new PaperFloatQuantizer(5, 10, 0, PaperFloatQuantizer.Mode.NORMAL, sr, o.seed);
            Quantizer.VarianceParams p = q.params();
            double a4 = 0.5 / (2 * (1 + p.eta()) * L);
            double meas = 0;
            long sat = 0;
            double maxNorm = 0;
            for (int k = 0; k < seeds; k++) {
                LpSgd.Result res = LpSgd.runDataset(cr, q, a4, T2, o.seed * 19 + k, w0, 10, gradSq);
                meas += res.meanGap() / seeds;
                sat += res.saturations();
                maxNorm = Math.max(maxNorm, res.maxIterateNorm());
            }
            // Assumption 6 a priori: each coordinate's gradient points toward the data, |step| <= alpha < 1 and SR
            // moves at most one quantum (< 1 here), so |w_j| <= max(max|a_ij|, |w0_j|) + 1 for all t
            double R0 = Math.sqrt(d) * (Math.max(cr.maxAbsData(), 3) + 1);
            Check k4 = LowPrecisionSgdBounds.theorem4(a4, T2, f0, d, d, p, L, R0, meas);
            LowPrecisionSgdBounds.requireNoSaturation(k4, sat);
            LowPrecisionSgdBounds.requireBoundedIterates(k4, R0, maxNorm);
            out.value("thm4_max_iterate_norm", maxNorm);
            out.value("thm4_R0", R0);
            out.line("Theorem 4 run: max_t ||w_t|| = %.4g over %d seeds (w0 = 3 1, ||w0|| = %.4g), R0 = %.4g", maxNorm,
                    seeds, Problem.norm(w0), R0);
            k4.note("FPQ e5m10 normal, R0 = sqrt(d) (max(max|a_ij|, |w0_j|) + 1) (Assumption 6, a priori box)");
            out.checks.add(k4);
            nonConvexOk &= k4.preconditionsMet() && k4.holds();
        }
        out.claim("Theorems 2 and 4 (non-convex) hold with their preconditions met (fixed point and FP16, SR)", nonConvexOk);
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
