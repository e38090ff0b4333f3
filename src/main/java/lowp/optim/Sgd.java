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
        return run(p, w0, pol, lr, beta, epochs, batch, seed, null);
    }

    /**
     * The policy's update as a {@link lowp.backend.StepSpec}: gradient format/rounding = the policy's g (the
     * gradient is already in it, so Q_g is exact), update = u, weights = w, momentum = m (if beta != 0). lr and
     * beta must be binary32 values and every format must be a backend arithmetic format (at most 32 bits): an
     * IllegalArgumentException names what does not fit. The RNG step of each update is its update counter.
     */
    public static lowp.backend.StepSpec stepSpec(Policy pol, double lr, double beta, lowp.backend.RngKey key) {
        if ((float) lr != lr || (float) beta != beta) {
            throw new IllegalArgumentException("backend step: lr=" + lr + " and beta=" + beta + " must be binary32 values");
        }
        return new lowp.backend.StepSpec(pol.grad.format, pol.grad.rounding, pol.update.format, pol.update.rounding,
                pol.weights.format, pol.weights.rounding, beta == 0 ? null : pol.momentum.format,
                beta == 0 ? null : pol.momentum.rounding, (float) lr, (float) beta, key);
    }

    /**
     * {@link #run(Problem, double[], Policy, double, double, int, int, long)} with every update run through
     * {@code backend}'s fused gradient step ({@link BackendStep}); null = the CPU driver. Gradients and metrics
     * stay on the CPU. With deterministic roundings the trajectory is bit-identical to the CPU driver's (tested
     * with the cpu and, where OpenCL is present, the aparapi backend); stochastic roundings draw the backend's
     * Philox words (seed = the run's seed, step = update counter) instead of the policy's streams. Stagnated
     * coordinates: unchanged weights whose update Q_u(lr * direction), recomputed with the policy, is non-zero.
     */
    public static Result run(Problem p, double[] w0, Policy pol, double lr, double beta, int epochs, int batch,
                             long seed, lowp.backend.Backend backend) {
        lowp.backend.StepSpec spec0 = backend == null ? null : stepSpec(pol, lr, beta, new lowp.backend.RngKey(seed, 0, 0));
        long updates = 0;
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
                if (backend == null) {
                    stagAll += beta == 0 ? step(w, g, lr, pol) : momentumStep(w, m, g, lr, beta, pol);
                } else {
                    lowp.backend.StepSpec spec = new lowp.backend.StepSpec(spec0.g(), spec0.gRounding(), spec0.u(),
                            spec0.uRounding(), spec0.w(), spec0.wRounding(), spec0.v(), spec0.vRounding(), spec0.lr(),
                            spec0.beta(), new lowp.backend.RngKey(seed, 0, updates & 0xFFFFFFFFL));
                    double[] before = w.clone();
                    BackendStep.step(backend, spec, w, g, beta == 0 ? null : m);
                    for (int i = 0; i < d; i++) {
                        if (w[i] == before[i] && pol.update.mul(lr, beta == 0 ? g[i] : m[i]) != 0) {
                            stagAll++;
                        }
                    }
                }
                updates++;
            }
        }
        return new Result(w, met, stagAll);
    }
}
