package lowp.optim;

import java.util.SplittableRandom;

/**
 * Normalized (quasi-)subgradient descent of seed 000 (§2.1–2.3, 2.7), with optional projection onto a
 * ball and three error sources:
 * <ul>
 * <li>{@link Noise#UNIFORM}: injected r_k ~ U(-Br,Br)^d, s_k ~ U(-Bs,Bs)^d, w_{k+1} = w_k - eta(u_k + r_k) + s_k
 * in binary64 (the paper's synthetic experiment);</li>
 * <li>{@link Noise#ADVERSARIAL}: r_k = -R v/||v||, v = w_k - eta u_k - w*, and s_k of norm S pointing away
 * from w* (§3.7);</li>
 * <li>{@link Noise#ROUNDING}: real low precision through a {@link Policy}: g~ = the problem's low-precision
 * gradient, g-hat = g~ / sqrt(g~.g~) (dot through the accumulator, sqrt and divisions in the gradient
 * precision), w_{k+1} = fl_w(w_k - fl_u(eta g-hat)). The decomposition w_{k+1} = w_k - eta(u_k + r_k) + s_k is
 * measured: u_k = g/||g|| from the binary64 gradient at the same stored w_k, r_k = g-hat - u_k,
 * s_k = (w_{k+1} - w_k) + eta g-hat (each coordinate from an error-free TwoSum/fma expansion, rounded once to
 * binary64 for the norms).</li>
 * </ul>
 * Stagnation = coordinates with g-hat_i != 0 whose stored value did not change; a frozen step is one where no
 * coordinate changed.
 */
public final class NormalizedGd {
    private NormalizedGd() {
    }

    public enum Noise { NONE, UNIFORM, ADVERSARIAL, ROUNDING }

    /**
     * Columns of the per-step table ({@link Config#metrics(boolean)}). Row k describes w_k and the step k -> k+1:
     * f(w_k), ||grad f(w_k)|| (binary64), ||w_k - w*||, ||r_k||, ||s_k|| (after projection: s_k is measured before
     * it), stagnated (coordinates with g-hat_i != 0 whose stored value did not change; rounding mode only) and
     * frozen (1 if w_{k+1} == w_k bit for bit).
     */
    public static final String[] COLUMNS = {"k", "f", "grad_norm", "dist", "r_norm", "s_norm", "stagnated", "frozen"};

    public static final class Config {
        public double eta = 0.01;
        public int iterations = 1500;
        public Noise noise = Noise.NONE;
        public double br;
        public double bs;
        public double rAdv;
        public double sAdv;
        public double ballRadius = Double.POSITIVE_INFINITY;
        public Policy policy;
        public long seed = 1;
        /** First iteration index of the tail window (stationary statistics). */
        public int tailFrom = -1;
        public boolean recordMetrics;
        /** Optional per-step observer (vectors are reused: copy what you keep). */
        public StepListener listener;

        public Config eta(double v) { eta = v; return this; }
        public Config iterations(int v) { iterations = v; return this; }
        public Config uniform(double r, double s) { noise = Noise.UNIFORM; br = r; bs = s; return this; }
        public Config adversarial(double r, double s) { noise = Noise.ADVERSARIAL; rAdv = r; sAdv = s; return this; }
        public Config rounding(Policy p) { noise = Noise.ROUNDING; policy = p; return this; }
        public Config ball(double radius) { ballRadius = radius; return this; }
        public Config seed(long v) { seed = v; return this; }
        public Config tailFrom(int v) { tailFrom = v; return this; }
        public Config metrics(boolean v) { recordMetrics = v; return this; }
        public Config listener(StepListener l) { listener = l; return this; }
    }

    /** Sees every step: w_k, g-hat_k, u_k, r_k, s_k and w_{k+1}. */
    public interface StepListener {
        void step(int k, double[] w, double[] gHat, double[] u, double[] r, double[] s, double[] wNext);
    }

    public static final class Result {
        /** f(w_k), k = 0..K. */
        public double[] f;
        /** ||w_k - w*||, k = 0..K. */
        public double[] dist;
        public double rMax;
        public double sMax;
        /** Tail means of ||r_k||^2 and ||s_k||^2 (the empirical d sigma_r^2, d sigma_s^2). */
        public double rMeanSq;
        public double sMeanSq;
        /** Tail mean of <s_k, g-hat_k> (zero for the Thm 4.3 assumptions). */
        public double meanSG;
        public double tailMeanF;
        public double tailMeanDist;
        public double minF;
        public double minFTail;
        public long stagnatedCoords;
        public int frozenSteps;
        public double[] w;
        public Metrics metrics;
        public int tailFrom;
    }

    public static Result run(Problem prob, double[] w0, Config c) {
        int d = prob.dim();
        int K = c.iterations;
        int tail = c.tailFrom < 0 ? K / 2 : c.tailFrom;
        double[] ws = prob.optimum();
        double[] w = w0.clone();
        double[] g = new double[d];
        double[] u = new double[d];
        double[] gh = new double[d];
        double[] gl = new double[d];
        double[] r = new double[d];
        double[] s = new double[d];
        double[] nw = new double[d];
        SplittableRandom rnd = new SplittableRandom(c.seed);
        Result res = new Result();
        res.tailFrom = tail;
        res.f = new double[K + 1];
        res.dist = new double[K + 1];
        if (c.recordMetrics) {
            res.metrics = new Metrics(COLUMNS);
        }
        double sumR = 0;
        double sumS = 0;
        double sumSG = 0;
        int nTail = 0;
        res.minF = Double.POSITIVE_INFINITY;
        res.minFTail = Double.POSITIVE_INFINITY;
        double sumF = 0;
        double sumD = 0;
        for (int k = 0; k <= K; k++) {
            double fk = prob.loss(w);
            double dk = Problem.dist(w, ws);
            res.f[k] = fk;
            res.dist[k] = dk;
            res.minF = Math.min(res.minF, fk);
            if (k >= tail) {
                res.minFTail = Math.min(res.minFTail, fk);
                if (k < K) {
                    sumF += fk;
                    sumD += dk;
                }
            }
            if (k == K) {
                break;
            }
            prob.gradient(w, g);
            double gn = Problem.norm(g);
            if (gn == 0) {
                for (int i = 0; i < d; i++) {
                    u[i] = 0;
                }
            } else {
                for (int i = 0; i < d; i++) {
                    u[i] = g[i] / gn;
                }
            }
            int stag = 0;
            switch (c.noise) {
                case NONE:
                case UNIFORM:
                case ADVERSARIAL: {
                    if (c.noise == Noise.UNIFORM) {
                        for (int i = 0; i < d; i++) {
                            r[i] = c.br * (2 * rnd.nextDouble() - 1);
                            s[i] = c.bs * (2 * rnd.nextDouble() - 1);
                        }
                    } else if (c.noise == Noise.ADVERSARIAL) {
                        double[] v = new double[d];
                        for (int i = 0; i < d; i++) {
                            v[i] = w[i] - c.eta * u[i] - ws[i];
                        }
                        double vn = Problem.norm(v);
                        for (int i = 0; i < d; i++) {
                            r[i] = vn == 0 ? 0 : -c.rAdv * v[i] / vn;
                        }
                        for (int i = 0; i < d; i++) {
                            v[i] = w[i] - c.eta * (u[i] + r[i]) - ws[i];
                        }
                        vn = Problem.norm(v);
                        for (int i = 0; i < d; i++) {
                            s[i] = vn == 0 ? 0 : c.sAdv * v[i] / vn;
                        }
                    } else {
                        java.util.Arrays.fill(r, 0);
                        java.util.Arrays.fill(s, 0);
                    }
                    for (int i = 0; i < d; i++) {
                        gh[i] = u[i] + r[i];
                        nw[i] = w[i] - c.eta * gh[i] + s[i];
                    }
                    break;
                }
                case ROUNDING: {
                    Policy pol = c.policy;
                    prob.lowPrecisionGradient(w, null, pol, gl);
                    double n2 = pol.dot.dot(gl, gl);
                    double nrm = pol.grad.sqrt(n2);
                    for (int i = 0; i < d; i++) {
                        gh[i] = nrm == 0 ? 0 : pol.grad.div(gl[i], nrm);
                        r[i] = gh[i] - u[i];
                        nw[i] = pol.weights.sub(w[i], pol.update.mul(c.eta, gh[i]));
                        s[i] = updateError(nw[i], w[i], c.eta, gh[i]);
                        if (nw[i] == w[i] && gh[i] != 0) {
                            stag++;
                        }
                    }
                    break;
                }
                default:
                    throw new AssertionError();
            }
            if (Double.isFinite(c.ballRadius)) {
                double dn = Problem.dist(nw, ws);
                if (dn > c.ballRadius) {
                    for (int i = 0; i < d; i++) {
                        double v = ws[i] + c.ballRadius * (nw[i] - ws[i]) / dn;
                        nw[i] = c.noise == Noise.ROUNDING ? c.policy.weights.round(v) : v;
                    }
                }
            }
            double rn = Problem.norm(r);
            double sn = Problem.norm(s);
            res.rMax = Math.max(res.rMax, rn);
            res.sMax = Math.max(res.sMax, sn);
            res.stagnatedCoords += stag;
            boolean frozen = java.util.Arrays.equals(nw, w);
            if (c.noise == Noise.ROUNDING && frozen) {
                res.frozenSteps++;
            }
            if (k >= tail) {
                sumR += rn * rn;
                sumS += sn * sn;
                double sg = 0;
                for (int i = 0; i < d; i++) {
                    sg += s[i] * gh[i];
                }
                sumSG += sg;
                nTail++;
            }
            if (res.metrics != null) {
                res.metrics.add(k, fk, gn, dk, rn, sn, stag, frozen ? 1 : 0);
            }
            if (c.listener != null) {
                c.listener.step(k, w, gh, u, r, s, nw);
            }
            System.arraycopy(nw, 0, w, 0, d);
        }
        res.rMeanSq = sumR / Math.max(1, nTail);
        res.sMeanSq = sumS / Math.max(1, nTail);
        res.meanSG = sumSG / Math.max(1, nTail);
        res.tailMeanF = sumF / Math.max(1, K - tail);
        res.tailMeanDist = sumD / Math.max(1, K - tail);
        res.w = w;
        return res;
    }

    /** s = (wNew - w) + eta*gh, from exact two-sum / fma pieces, rounded once at the end. */
    static double updateError(double wNew, double w, double eta, double gh) {
        double a = wNew - w;
        double bv = a - wNew;
        double aErr = (wNew - (a - bv)) + (-w - bv); // TwoSum error of wNew + (-w)
        double p = eta * gh;
        double pe = Math.fma(eta, gh, -p);
        double hi = a + p;
        double bb = hi - a;
        double hiErr = (a - (hi - bb)) + (p - bb);
        return hi + (hiErr + aErr + pe);
    }
}
