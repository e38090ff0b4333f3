package lowp.experiments;

import lowp.optim.Datasets;
import lowp.optim.LogisticRegression;
import lowp.optim.Metrics;
import lowp.optim.Policy;
import lowp.optim.Prec;
import lowp.optim.Problem;

import java.util.SplittableRandom;

/**
 * Seed 000 Figs 7–8 / check C19: logistic regression on a non-separable 2-D Gaussian mixture (MNIST-2PC
 * stand-in, N = 10000, bias feature), data and weights bf16-representable, full-batch gradient in bf16 with
 * every inner product accumulated sequentially in an accumulator with 10, 15 or 23 (fp32) fraction bits.
 * The gradient error r = g-hat - u (normalized low-precision gradient minus the exact unit gradient at the
 * same point) is 100x+ larger in ||r||^2 with a 10-bit accumulator, while 15 bits matches fp32.
 */
public final class AccumulatorExperiment implements Experiment {
    @Override
    public String name() {
        return "seed000-accumulator";
    }

    @Override
    public String description() {
        return "logistic regression, bf16 gradients: 10-bit accumulator >= 100x worse in ||r||^2, 15-bit matches fp32";
    }

    @Override
    public String formatOption() {
        return "gradient format (default bf16)";
    }

    @Override
    public Outcome run(Options o) {
        Outcome out = new Outcome(name());
        int n = 10000; // C19's setting (N >= 2^12); the MNIST size N = 60000 is reported in --full mode, not asserted
        String rounding = o.rounding == null ? "rne" : o.rounding;
        String g = o.format == null ? "bf16" : o.format;
        double[][] data = Datasets.gaussianMixture(n, 2, 2, 1.0, 1.0, o.seed);
        Prec in = Prec.of(g, "rne", 0, 0);
        LogisticRegression lr = new LogisticRegression(Datasets.rounded(data[0], in), data[1], 3, 0);
        double[] ws = lr.optimum();
        out.line("N=%d, w* = (%.4f, %.4f, %.4f), f* = %.5f", n, ws[0], ws[1], ws[2], lr.optimalLoss());
        String[] accs = {"e8m10", "e8m15", "fp32"};
        int[] fracBits = {10, 15, 23};
        double[] rhos = {1, 0.1};
        int dirs = 8;
        Metrics m = new Metrics("acc_fraction_bits", "rho", "mean_r2");
        double[][] mean = new double[accs.length][rhos.length];
        SplittableRandom rnd = new SplittableRandom(o.seed + 17);
        double[][][] points = new double[rhos.length][dirs][];
        for (int ri = 0; ri < rhos.length; ri++) {
            for (int k = 0; k < dirs; k++) {
                double[] v = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
                double nv = Problem.norm(v);
                double[] w = new double[3];
                for (int j = 0; j < 3; j++) {
                    w[j] = ws[j] + rhos[ri] * v[j] / nv;
                }
                in.roundAll(w);
                points[ri][k] = w;
            }
        }
        double[] gl = new double[3];
        double[] ge = new double[3];
        for (int a = 0; a < accs.length; a++) {
            Policy pol = Policy.parse("g=" + g + "/" + rounding + ",acc=" + accs[a] + "/" + rounding + ",out=" + g + "/"
                    + rounding, o.seed);
            for (int ri = 0; ri < rhos.length; ri++) {
                double sum = 0;
                for (int k = 0; k < dirs; k++) {
                    double[] w = points[ri][k];
                    lr.lowPrecisionGradient(w, null, pol, gl);
                    double nrm = pol.grad.sqrt(pol.dot.dot(gl, gl));
                    lr.gradient(w, ge);
                    double ne = Problem.norm(ge);
                    double r2 = 0;
                    for (int j = 0; j < 3; j++) {
                        double r = pol.grad.div(gl[j], nrm) - ge[j] / ne;
                        r2 += r * r;
                    }
                    sum += r2;
                }
                mean[a][ri] = sum / dirs;
                m.add(fracBits[a], rhos[ri], mean[a][ri]);
                out.line("accumulator %-6s (%2d fraction bits), rho=%-4s: mean ||r||^2 = %.3g", accs[a], fracBits[a],
                        rhos[ri], mean[a][ri]);
            }
        }
        out.tables.put("r2_vs_accumulator", m);
        // C19 asserts >= 100x at rho = 1 (its reference point); closer to w* the bf16 elementwise roundings
        // (z_i, sigma(z_i), the normalization) set a floor shared by every accumulator, so >= 10x is asserted there
        boolean worse = mean[0][0] >= 100 * mean[1][0] && mean[0][1] >= 10 * mean[1][1];
        boolean match = true;
        for (int ri = 0; ri < rhos.length; ri++) {
            match &= mean[1][ri] <= 2 * mean[2][ri] && mean[2][ri] <= 2 * mean[1][ri];
        }
        out.value("r2_acc10_rho1", mean[0][0]);
        out.value("r2_acc15_rho1", mean[1][0]);
        out.value("r2_fp32_rho1", mean[2][0]);
        out.claim(String.format("10-bit accumulator is much worse: mean ||r||^2 >= 100x the 15-bit one at rho=1 (x%.0f), >= 10x at rho=0.1 (x%.0f)",
                mean[0][0] / mean[1][0], mean[0][1] / mean[1][1]), worse);
        out.claim(String.format("15-bit accumulator matches fp32 within 2x (ratio %.3f at rho=1)", mean[1][0] / mean[2][0]),
                match);
        if (o.full) {
            // N = 60000 ~ 2^15.9 (MNIST): partial sums reach 2^16 times the addends, so a 16-bit significand swamps
            double[][] big = Datasets.gaussianMixture(60000, 2, 2, 1.0, 1.0, o.seed);
            LogisticRegression lb = new LogisticRegression(Datasets.rounded(big[0], in), big[1], 3, 0);
            double[] wb = lb.optimum();
            for (int a = 0; a < accs.length; a++) {
                Policy pol = Policy.parse("g=" + g + "/" + rounding + ",acc=" + accs[a] + "/" + rounding + ",out=" + g + "/"
                        + rounding, o.seed);
                double sum = 0;
                SplittableRandom rb = new SplittableRandom(o.seed + 18);
                for (int k = 0; k < dirs; k++) {
                    double[] v = {rb.nextGaussian(), rb.nextGaussian(), rb.nextGaussian()};
                    double nv = Problem.norm(v);
                    double[] w = new double[3];
                    for (int j = 0; j < 3; j++) {
                        w[j] = wb[j] + v[j] / nv;
                    }
                    in.roundAll(w);
                    lb.lowPrecisionGradient(w, null, pol, gl);
                    double nrm = pol.grad.sqrt(pol.dot.dot(gl, gl));
                    lb.gradient(w, ge);
                    double ne = Problem.norm(ge);
                    for (int j = 0; j < 3; j++) {
                        double r = pol.grad.div(gl[j], nrm) - ge[j] / ne;
                        sum += r * r;
                    }
                }
                out.line("N=60000 (not asserted): accumulator %-6s rho=1: mean ||r||^2 = %.3g", accs[a], sum / dirs);
            }
        }
        return out;
    }
}
