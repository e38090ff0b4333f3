package lowp.experiments;

import lowp.bounds.Check;
import lowp.bounds.HolderFit;
import lowp.bounds.QuasiConvexBounds;
import lowp.optim.Datasets;
import lowp.optim.LogisticRegression;
import lowp.optim.Metrics;
import lowp.optim.NormalizedGd;
import lowp.optim.Policy;
import lowp.optim.Prec;
import lowp.optim.Problem;

import java.util.SplittableRandom;

/**
 * Seed 000 Experiment B substitute (Figs 5–8, §4.7c): full-batch normalized GD on logistic regression over a
 * non-separable 2-D Gaussian mixture (bf16 data, bias feature), Hölder (p, L) fitted by the §2.8 envelope,
 * Theorem 4.3 evaluated with the empirical d sigma_r^2, d sigma_s^2 of the measured r_k, s_k. Configurations:
 * all fp32; bf16 gradients with a 15- or 10-bit accumulator and fp32 weights (s ~ 0); bf16 gradients and bf16
 * weights with stochastic rounding (s != 0). The bound is heuristic here (normalized gradients with
 * deterministic rounding errors are not the i.i.d. zero-mean errors of Theorem 4.3).
 */
public final class LogisticTrainingExperiment implements Experiment {
    @Override
    public String name() {
        return "seed000-logistic";
    }

    @Override
    public String description() {
        return "logistic regression NGD in bf16: accumulator width and weight precision in the Theorem 4.3 bound";
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
        int n = o.full ? 10000 : 4096;
        int K = o.full ? 600 : 300;
        double eta = 0.01;
        double[][] data = Datasets.gaussianMixture(n, 2, 2, 1.0, 1.0, o.seed);
        LogisticRegression lr = new LogisticRegression(Datasets.rounded(data[0], Prec.of("bf16", "rne", 0, 0)), data[1], 3, 0);
        double[] ws = lr.optimum();
        double fs = lr.optimalLoss();
        HolderFit.Fit fit = HolderFit.fit(lr, ws, fs, 0.02, 3, 24, 32, HolderFit.grid(0.5, 3, 0.1), o.seed);
        out.line("N=%d, f*=%.6f, Hölder fit on [0.02, 3]: p=%.2f L=%.4g (paper on MNIST-2PC: p=1.6, L=0.85)", n, fs,
                fit.p(), fit.L());
        SplittableRandom r = new SplittableRandom(o.seed + 3);
        double[] v = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
        double nv = Problem.norm(v);
        double[] w0 = new double[3];
        for (int j = 0; j < 3; j++) {
            w0[j] = ws[j] + 0.3 * v[j] / nv;
        }
        Prec.of("bf16", "rne", 0, 0).roundAll(w0);
        String[][] cfg = {
            {"fp32", "w=fp32,u=fp32,g=fp32,acc=fp32,out=fp32"},
            {"bf16 g acc15, fp32 w", "w=fp32,u=fp32,g=bf16,acc=e8m15,out=bf16"},
            {"bf16 g acc10, fp32 w", "w=fp32,u=fp32,g=bf16,acc=e8m10,out=bf16"},
            {"bf16 g acc15, bf16 w (sr)", "w=bf16/sr,u=bf16/sr,g=bf16,acc=e8m15,out=bf16"},
        };
        Metrics m = new Metrics("config", "d_sigma_r2", "d_sigma_s2", "gamma_s", "tail_mean_gap", "thm43_bound");
        double[] sr2 = new double[cfg.length];
        double[] ss2 = new double[cfg.length];
        double[] gs = new double[cfg.length];
        for (int i = 0; i < cfg.length; i++) {
            NormalizedGd.Result res = NormalizedGd.run(lr, w0, new NormalizedGd.Config().eta(eta).iterations(K)
                    .rounding(Policy.parse(cfg[i][1], o.seed)).seed(o.seed).tailFrom(K / 2).metrics(true));
            out.tables.put("ngd_steps_config" + i, res.metrics);
            sr2[i] = res.rMeanSq;
            ss2[i] = res.sMeanSq;
            gs[i] = QuasiConvexBounds.gammaS(eta, sr2[i], ss2[i]);
            Check k = QuasiConvexBounds.theorem43(fit.L(), fit.p(), fs, eta, sr2[i], ss2[i], res.meanSG,
                    res.frozenSteps / (double) K, false, res.minFTail);
            k.note(cfg[i][0] + " (heuristic: real rounding errors are not the i.i.d. errors of Def. 4.1)");
            out.checks.add(k);
            m.add(i, sr2[i], ss2[i], gs[i], res.tailMeanF - fs, k.bound - fs);
            out.line("%-26s d sigma_r^2=%.3g d sigma_s^2=%.3g Gamma_s=%.6g tail mean f-f*=%.3g bound-f*=%.3g max||r||=%.3g",
                    cfg[i][0], sr2[i], ss2[i], gs[i], res.tailMeanF - fs, k.bound - fs, res.rMax);
        }
        out.tables.put("logistic_ngd", m);
        double[] excess = new double[cfg.length];
        for (int i = 0; i < cfg.length; i++) {
            excess[i] = fit.L() * Math.pow(gs[i], fit.p()); // bound - f*
        }
        out.value("bound_excess_fp32", excess[0]);
        out.value("bound_excess_bf16g_acc15", excess[1]);
        out.value("bound_excess_bf16w", excess[3]);
        out.line("note: near w* the gradient is a cancelling sum, so the bf16 rounding of the logits z_i and of sigma(z_i)"
                + " dominates r_k; the accumulator width changes d sigma_r^2 only x%.2f here (the isolated accumulator"
                + " effect is seed000-accumulator)", sr2[2] / sr2[1]);
        out.claim(String.format("gradient precision barely moves the Theorem 4.3 bound: bf16 gradients (acc 15 / acc 10) with fp32"
                + " weights stay within 10%% of the fp32 bound (x%.3f, x%.3f)", excess[1] / excess[0], excess[2] / excess[0]),
                excess[1] <= 1.1 * excess[0] && excess[2] <= 1.1 * excess[0]);
        double fromWeights = excess[3] / excess[1] - 1;
        double fromGradients = excess[1] / excess[0] - 1;
        out.claim(String.format("weight-update precision matters more than gradient precision: bf16 (sr) weights raise the"
                + " bound by +%.1f%%, bf16 gradients by +%.1f%%", 100 * fromWeights, 100 * fromGradients),
                fromWeights >= 2 * fromGradients && fromWeights > 0);
        out.claim(String.format("bf16 weight updates raise d sigma_s^2 by orders of magnitude over fp32 weights (x%.2g)",
                ss2[3] / ss2[1]), ss2[3] >= 1e3 * ss2[1]);
        return out;
    }
}
