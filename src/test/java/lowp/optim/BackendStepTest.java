package lowp.optim;

import lowp.backend.CpuBackend;
import lowp.backend.RngKey;
import lowp.backend.StepSpec;
import lowp.format.Format;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The CPU driver's SGD / momentum steps equal lowp.backend's fused gradient step bit for bit (deterministic modes). */
class BackendStepTest {
    @Test
    void sgdAndMomentumMatchTheFusedBackendStep() {
        SplittableRandom r = new SplittableRandom(6);
        String[][] cfgs = {{"bf16", "bf16", "bf16", "bf16"}, {"fp16", "fp32", "bf16", "fp32"}, {"e4m3fn", "fp16", "fp16", "bf16"}};
        try (CpuBackend be = new CpuBackend()) {
            for (String[] c : cfgs) {
                for (String rd : new String[] {"rne", "rtz"}) {
                    Format gf = Format.parse(c[0]);
                    Format uf = Format.parse(c[1]);
                    Format wf = Format.parse(c[2]);
                    Format vf = Format.parse(c[3]);
                    Rounding rr = Rounding.parse(rd);
                    Policy pol = Policy.parse("w=" + c[2] + "/" + rd + ",u=" + c[1] + "/" + rd + ",m=" + c[3] + "/" + rd, 0);
                    Prec gp = Prec.of(c[0], "rne", 0, 0);
                    int n = 500;
                    double[] w = new double[n];
                    double[] g = new double[n];
                    double[] v = new double[n];
                    for (int i = 0; i < n; i++) {
                        w[i] = pol.weights.round(r.nextGaussian());
                        g[i] = gp.round(r.nextGaussian() * 0.1);
                        v[i] = pol.momentum.round(r.nextGaussian() * 0.1);
                    }
                    float lr = 0.0123f;
                    float beta = 0.9f;
                    double[] w1 = w.clone();
                    Sgd.step(w1, g, lr, pol);
                    double[] w2 = w.clone();
                    BackendStep.step(be, new StepSpec(gf, rr, uf, rr, wf, rr, null, null, lr, 0f, RngKey.DEFAULT), w2, g, null);
                    assertArrayEquals(w1, w2, "sgd " + String.join(",", c) + " " + rd);
                    double[] w3 = w.clone();
                    double[] v3 = v.clone();
                    Sgd.momentumStep(w3, v3, g, lr, beta, pol);
                    double[] w4 = w.clone();
                    double[] v4 = v.clone();
                    BackendStep.step(be, new StepSpec(gf, rr, uf, rr, wf, rr, vf, rr, lr, beta, RngKey.DEFAULT), w4, g, v4);
                    assertArrayEquals(v3, v4, "momentum buffer " + String.join(",", c) + " " + rd);
                    assertArrayEquals(w3, w4, "momentum weights " + String.join(",", c) + " " + rd);
                }
            }
        }
    }
}
