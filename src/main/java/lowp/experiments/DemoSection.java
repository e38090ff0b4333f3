package lowp.experiments;

import java.io.PrintStream;

/** The optimizer section of the {@code demo} command (called reflectively): a short reproduction (< 5 s). */
public final class DemoSection {
    private DemoSection() {
    }

    public static void run(PrintStream out) {
        out.println("-- low-precision optimizers (seed 000): bf16 weight updates, round-to-nearest vs stochastic rounding");
        Options o = new Options();
        o.full = false;
        Outcome r = new DemoStagnation().run(o);
        r.print(out);
    }

    /** A shortened StagnationExperiment: 3000 steps, without the update-precision part. */
    static final class DemoStagnation {
        Outcome run(Options o) {
            Outcome out = new Outcome("demo: 3||w||^0.2 in R^40, bf16 normalized GD, eta=0.001, ||w0||=6");
            lowp.optim.PowerNorm f = new lowp.optim.PowerNorm(3, 0.2, 40);
            double[] w0 = PowerNormExperiment.start(6, 1);
            lowp.optim.Prec.of("bf16", "rne", 0, 0).roundAll(w0);
            int K = 3000;
            double[] fin = new double[2];
            int[] frozen = new int[2];
            String[] modes = {"rne", "sr"};
            for (int i = 0; i < 2; i++) {
                lowp.optim.Policy pol = lowp.optim.Policy.parse("w=bf16/" + modes[i] + ",u=bf16/" + modes[i]
                        + ",g=bf16/rne,acc=fp32/rne,out=fp32", 1);
                lowp.optim.NormalizedGd.Result res = lowp.optim.NormalizedGd.run(f, w0,
                        new lowp.optim.NormalizedGd.Config().eta(0.001).iterations(K).rounding(pol).seed(1));
                fin[i] = res.f[K];
                frozen[i] = res.frozenSteps;
                out.line("bf16/%s: f(w0) = %.4f -> f(w_%d) = %.4f, frozen steps %d", modes[i], res.f[0], K, res.f[K],
                        res.frozenSteps);
            }
            out.claim("round-to-nearest bf16 update freezes", frozen[0] == K);
            out.claim("stochastic rounding keeps descending", fin[1] < fin[0] - 0.1);
            return out;
        }
    }
}
