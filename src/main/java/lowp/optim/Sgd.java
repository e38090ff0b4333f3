package lowp.optim;

import java.util.SplittableRandom;

/**
 * Plain SGD and SGD with (heavy-ball) momentum in any precision policy:
 * g = the problem's low-precision (minibatch) gradient; plain: w_i = fl_w(w_i - fl_u(lr g_i));
 * momentum: m_i = fl_m(beta m_i + g_i) (one rounding of the exact value), w_i = fl_w(w_i - fl_u(lr m_i)) —
 * the semantics of lowp.backend's fused step ({@link BackendStep} runs it there). batch = 0 means full batch.
 * Per-epoch metrics: loss, exact gradient norm, distance to w*, stagnated coordinates (a non-zero update
 * that left the stored weight unchanged).
 */
public final class Sgd {
    private Sgd() {
    }

    public record Result(double[] w, Metrics metrics, long stagnated) {
    }

    /** One plain step in place; returns the number of stagnated coordinates. */
    public static int step(double[] w, double[] g, double lr, Policy pol) {
        int stag = 0;
        for (int i = 0; i < w.length; i++) {
            double upd = pol.update.mul(lr, g[i]);
            double nw = pol.weights.sub(w[i], upd);
            if (nw == w[i] && upd != 0) {
                stag++;
            }
            w[i] = nw;
        }
        return stag;
    }

    /** One momentum step in place (m updated); returns the number of stagnated coordinates. */
    public static int momentumStep(double[] w, double[] m, double[] g, double lr, double beta, Policy pol) {
        int stag = 0;
        for (int i = 0; i < w.length; i++) {
            m[i] = pol.momentum.fma(beta, m[i], g[i]);
            double upd = pol.update.mul(lr, m[i]);
            double nw = pol.weights.sub(w[i], upd);
            if (nw == w[i] && upd != 0) {
                stag++;
            }
            w[i] = nw;
        }
        return stag;
    }

    public static Result run(Problem p, double[] w0, Policy pol, double lr, double beta, int epochs, int batch,
                             long seed) {
        int d = p.dim();
        double[] w = w0.clone();
        pol.weights.roundAll(w);
        double[] m = new double[d];
        double[] g = new double[d];
        double[] ge = new double[d];
        double[] ws = p.optimum();
        double fs = p.optimalLoss();
        Metrics met = new Metrics("epoch", "loss", "gap", "grad_norm", "dist", "stagnated");
        SplittableRandom r = new SplittableRandom(seed);
        int n = p.samples();
        long stagAll = 0;
        for (int e = 0; e <= epochs; e++) {
            p.gradient(w, ge);
            double f = p.loss(w);
            met.add(e, f, f - fs, Problem.norm(ge), ws == null ? Double.NaN : Problem.dist(w, ws), e == 0 ? 0 : stagAll);
            if (e == epochs) {
                break;
            }
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            int bs = batch <= 0 || batch >= n ? n : batch;
            for (int start = 0; start + bs <= n; start += bs) {
                int[] rows = bs == n ? null : java.util.Arrays.copyOfRange(perm, start, start + bs);
                p.lowPrecisionGradient(w, rows, pol, g);
                stagAll += beta == 0 ? step(w, g, lr, pol) : momentumStep(w, m, g, lr, beta, pol);
            }
        }
        return new Result(w, met, stagAll);
    }
}
