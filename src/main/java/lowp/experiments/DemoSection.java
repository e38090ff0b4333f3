package lowp.experiments;

import java.io.PrintStream;

/** The optimizer section of the {@code demo} command (called reflectively): a short reproduction (< 5 s). */
public final class DemoSection {
    private DemoSection() {
    }

    /** Runs the section; returns whether every claim holds (the demo command exits 1 otherwise). */
    public static boolean run(PrintStream out) {
        return run(out, "bf16");
    }

    /** The section with another weight/update format (fp32 weights do not freeze: the claims then fail). */
    static boolean run(PrintStream out, String weights) {
        out.println("-- low-precision optimizers (seed 000): " + weights
                + " weight updates, round-to-nearest vs stochastic rounding");
        Outcome r = new DemoStagnation().run(weights);
        r.print(out);
        return r.allHold();
    }

    /** A shortened StagnationExperiment: 3000 steps, without the update-precision part. */
    static final class DemoStagnation {
        Outcome run(String wf) {
            Outcome out = new Outcome("demo: 3||w||^0.2 in R^40, " + wf + " normalized GD, eta=0.001, ||w0||=6");
            lowp.optim.PowerNorm f = new lowp.optim.PowerNorm(3, 0.2, 40);
            double[] w0 = PowerNormExperiment.start(6, 1);
            lowp.optim.Prec.of(wf, "rne", 0, 0).roundAll(w0);
            int K = 3000;
            double[] fin = new double[2];
            int[] frozen = new int[2];
            String[] modes = {"rne", "sr"};
            for (int i = 0; i < 2; i++) {
                lowp.optim.Policy pol = lowp.optim.Policy.parse("w=" + wf + "/" + modes[i] + ",u=" + wf + "/" + modes[i]
                        + ",g=bf16/rne,acc=fp32/rne,out=fp32", 1);
                lowp.optim.NormalizedGd.Result res = lowp.optim.NormalizedGd.run(f, w0,
                        new lowp.optim.NormalizedGd.Config().eta(0.001).iterations(K).rounding(pol).seed(1));
                fin[i] = res.f[K];
                frozen[i] = res.frozenSteps;
                out.line(wf + "/%s: f(w0) = %.4f -> f(w_%d) = %.4f, frozen steps %d", modes[i], res.f[0], K, res.f[K],
                        res.frozenSteps);
            }
            out.claim("round-to-nearest " + wf + " update freezes", frozen[0] == K);
            out.claim("stochastic rounding keeps descending", fin[1] < fin[0] - 0.1);
            return out;
        }
    }
}
