package lowp.optim;

import lowp.backend.Backend;
import lowp.backend.StepSpec;
import lowp.format.Format;
import lowp.round.Env;

/**
 * Runs the SGD / momentum update of {@link Sgd} through a {@link lowp.backend.Backend}'s fused gradient step
 * (CPU, Aparapi or CUDA; every backend gives the same bits). Values travel as bit patterns of the spec's
 * formats; g must hold binary32 values. With deterministic rounding the result is bit-identical to
 * {@link Sgd#step} / {@link Sgd#momentumStep} with the same formats (tested); stochastic rounding draws the
 * backend's Philox words instead of the policy streams.
 */
public final class BackendStep {
    private BackendStep() {
    }

    public static void step(Backend backend, StepSpec spec, double[] w, double[] g, double[] v) {
        int[] wb = toBits(spec.w(), w);
        float[] gf = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            gf[i] = (float) g[i];
            if (gf[i] != g[i]) {
                throw new IllegalArgumentException("gradient value " + g[i] + " is not a binary32 value");
            }
        }
        int[] vb = spec.hasMomentum() ? toBits(spec.v(), v) : null;
        backend.step(spec, wb, gf, vb);
        fromBits(spec.w(), wb, w);
        if (vb != null) {
            fromBits(spec.v(), vb, v);
        }
    }

    static int[] toBits(Format f, double[] x) {
        int[] b = new int[x.length];
        Env env = Env.rne();
        for (int i = 0; i < x.length; i++) {
            long bits = ExactRound.round(f, x[i], env);
            if (ExactRound.value(f, bits) != x[i]) {
                throw new IllegalArgumentException("value " + x[i] + " is not in " + f);
            }
            b[i] = (int) bits;
        }
        return b;
    }

    static void fromBits(Format f, int[] b, double[] x) {
        long mask = f.width() == 64 ? -1L : (1L << f.width()) - 1;
        for (int i = 0; i < b.length; i++) {
            x[i] = ExactRound.value(f, b[i] & mask);
        }
    }
}
