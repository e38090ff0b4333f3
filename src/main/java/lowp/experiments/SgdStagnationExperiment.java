package lowp.experiments;

import lowp.backend.Backend;
import lowp.backend.CpuBackend;
import lowp.optim.Datasets;
import lowp.optim.LogisticRegression;
import lowp.optim.Metrics;
import lowp.optim.Policy;
import lowp.optim.Prec;
import lowp.optim.Problem;
import lowp.optim.Sgd;

import java.util.SplittableRandom;

/**
 * The SGD baselines of issue 7 on seed 000's stagnation effect (§4.7b with minibatch SGD instead of NGD):
 * logistic regression on a non-separable 2-D Gaussian mixture (bf16 data, bias feature), minibatch SGD and SGD
 * with momentum (beta = 0.875), lr = 2^-6, bf16 gradients with a 15-bit accumulator. Weights in fp32, bf16 with
 * round-to-nearest, or bf16 with stochastic rounding. Near w* the step lr * g is below half a bf16 ulp of the
 * weights, so round-to-nearest updates stagnate while stochastic rounding keeps descending in expectation.
 * Every update runs through {@link Sgd#run(Problem, double[], Policy, double, double, int, int, long, Backend)}
 * on the backend of {@code --backend} (cpu = {@link CpuBackend} by default); all backends give the same bits.
 */
public final class SgdStagnationExperiment implements Experiment {
    static final double LR = 0x1p-6;
    static final double BETA = 0.875;

    @Override
    public String name() {
        return "seed000-sgd-stagnation";
    }

    @Override
    public String description() {
        return "minibatch SGD / momentum on logistic regression: bf16 round-to-nearest weights stagnate, SR descends";
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
    public boolean acceptsBackend() {
        return true;
    }

    @Override
    public Outcome run(Options o) {
        Backend be = o.backend;
        CpuBackend own = be == null ? new CpuBackend() : null;
        try {
            return run(o, be == null ? own : be);
        } finally {
            if (own != null) {
                own.close();
            }
        }
    }

    private Outcome run(Options o, Backend be) {
        Outcome out = new Outcome(name());
        int n = o.full ? 4096 : 1024;
        int epochs = o.full ? 60 : 30;
        int batch = 32;
        double[][] data = Datasets.gaussianMixture(n, 2, 2, 1.0, 1.0, o.seed);
        LogisticRegression lr = new LogisticRegression(Datasets.rounded(data[0], Prec.of("bf16", "rne", 0, 0)), data[1], 3,
                1e-3);
        double[] ws = lr.optimum();
        double fs = lr.optimalLoss();
        SplittableRandom r = new SplittableRandom(o.seed + 5);
        double[] v = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
        double nv = Problem.norm(v);
        double[] w0 = new double[3];
        for (int j = 0; j < 3; j++) {
            w0[j] = ws[j] + 0.5 * v[j] / nv;
        }
        Prec.of("bf16", "rne", 0, 0).roundAll(w0);
        out.line("N=%d, w*=(%.4f, %.4f, %.4f), f*=%.6f, f(w0)-f*=%.4g, lr=2^-6, batch %d, %d epochs, backend %s", n, ws[0],
                ws[1], ws[2], fs, lr.loss(w0) - fs, batch, epochs, be.name());
        String[][] cfg = {
            {"fp32", "w=fp32,g=fp32,u=fp32,m=fp32,acc=fp32"},
            {"bf16 rne", "w=bf16/rne,g=bf16,u=fp32,m=fp32,acc=e8m15"},
            {"bf16 sr", "w=bf16/sr,g=bf16,u=fp32,m=fp32,acc=e8m15"},
        };
        double[] betas = {0, BETA};
        double[][] gap = new double[betas.length][cfg.length];
        long[][] stag = new long[betas.length][cfg.length];
        Metrics m = new Metrics("beta", "config", "final_gap", "stagnated");
        for (int b = 0; b < betas.length; b++) {
            for (int i = 0; i < cfg.length; i++) {
                Sgd.Result res = Sgd.run(lr, w0, Policy.parse(cfg[i][1], o.seed), LR, betas[b], epochs, batch, o.seed, be);
                out.tables.put("sgd_beta" + b + "_config" + i, res.metrics());
                gap[b][i] = lr.loss(res.w()) - fs;
                stag[b][i] = res.stagnated();
                m.add(betas[b], i, gap[b][i], stag[b][i]);
                out.line("beta=%-5s %-8s final f-f*=%.4g, stagnated coordinate updates %d", betas[b], cfg[i][0], gap[b][i],
                        stag[b][i]);
            }
        }
        out.tables.put("sgd_final", m);
        for (int b = 0; b < betas.length; b++) {
            String tag = betas[b] == 0 ? "SGD" : "momentum " + betas[b];
            out.value("final_gap_beta" + b + "_fp32", gap[b][0]);
            out.value("final_gap_beta" + b + "_bf16_rne", gap[b][1]);
            out.value("final_gap_beta" + b + "_bf16_sr", gap[b][2]);
            out.claim(String.format("%s: bf16 round-to-nearest weights stagnate far from w* (f-f* %.3g >= 4x fp32's %.3g)",
                    tag, gap[b][1], gap[b][0]), gap[b][1] >= 4 * gap[b][0]);
            out.claim(String.format("%s: bf16 stochastic rounding keeps descending (f-f* %.3g <= half of round-to-nearest's %.3g)",
                    tag, gap[b][2], gap[b][1]), gap[b][2] <= 0.5 * gap[b][1]);
        }
        return out;
    }
}
