package lowp.optim;

import java.util.SplittableRandom;

/**
 * LP-SGD of seed 002 (Algorithm 1): w_{t+1} = Q(w_t - alpha grad f~_{i_t}(w_t)). The gradient, the product
 * and the subtraction are binary64 (the paper's "full precision"), then each coordinate is quantized once;
 * the random word of coordinate i at step t is keyed by t*d + i. Q = id gives plain SGD on the same sample
 * stream. Reported noise ball: the mean loss gap over the second half of the iterates w_{T/2}..w_{T-1}
 * (the measured side of Theorems 1/3, E f(w-bar) - f* restricted to the stationary half).
 */
public final class LpSgd {
    private LpSgd() {
    }

    public record Result(double noiseBall, double meanGap, double finalGap, long saturations, double[] w) {
    }

    /**
     * Sparse fast path for the synthetic online problem: O(s) per step, the loss gap tracked exactly
     * (incrementally, re-summed every 2^16 steps). Metrics rows (t, gap) every {@code logEvery} steps if m != null.
     */
    public static Result runSparse(SparseOnlineRegression prob, Quantizer q, double alpha, long steps, long seed,
                                   double[] w0, Metrics m, long logEvery) {
        int d = prob.d;
        int s = prob.s;
        double[] w = w0 == null ? new double[d] : w0.clone();
        double[] ws = prob.optimum();
        double[] p = new double[d];
        for (int i = 0; i < d; i++) {
            p[i] = prob.inclusion(i);
        }
        SplittableRandom r = new SplittableRandom(seed);
        int[] idx = new int[s];
        double[] sg = new double[s];
        double gap = prob.gap(w);
        double half = 0;
        double all = 0;
        long saturations = 0;
        double max = q.maxValue();
        long t0 = steps / 2;
        for (long t = 0; t < steps; t++) {
            if ((t & 0xFFFF) == 0) {
                gap = prob.gap(w);
            }
            if (m != null && logEvery > 0 && t % logEvery == 0) {
                m.add(t, gap);
            }
            all += gap;
            if (t >= t0) {
                half += gap;
            }
            prob.sampleSupport(r, idx);
            double xw = 0;
            double xws = 0;
            for (int k = 0; k < s; k++) {
                sg[k] = r.nextBoolean() ? 1.0 : -1.0;
                xw += sg[k] * w[idx[k]];
                xws += sg[k] * ws[idx[k]];
            }
            double res = xw - (xws + prob.beta * r.nextGaussian());
            long base = t * d;
            for (int k = 0; k < s; k++) {
                int i = idx[k];
                double u = w[i] - alpha * (sg[k] * res);
                double nw = q.apply(u, base + i);
                if (Math.abs(u) > max) {
                    saturations++;
                }
                double a = w[i] - ws[i];
                double b = nw - ws[i];
                gap += 0.5 * p[i] * (b * b - a * a);
                w[i] = nw;
            }
        }
        double fin = prob.gap(w);
        return new Result(half / (steps - t0), all / steps, fin, saturations, w);
    }

    /** Dataset path: i_t uniform with replacement; gap f(w_t) - f* evaluated every evalEvery steps in the second half. */
    public static Result runDataset(Problem prob, Quantizer q, double alpha, long steps, long seed, double[] w0,
                                    long evalEvery) {
        return runDataset(prob, q, alpha, steps, seed, w0, evalEvery, null);
    }

    /**
     * Dataset path with a custom measured quantity (null: the loss gap f(w_t) - f*), e.g. ||grad f(w_t)||^2 for
     * the non-convex theorems; meanGap/noiseBall then hold its mean over all / second-half evaluated iterates,
     * and {@code saturations} counts pre-quantization values beyond the representable range.
     */
    public static Result runDataset(Problem prob, Quantizer q, double alpha, long steps, long seed, double[] w0,
                                    long evalEvery, java.util.function.ToDoubleFunction<double[]> metric) {
        int d = prob.dim();
        double[] w = w0 == null ? new double[d] : w0.clone();
        double[] g = new double[d];
        double fs = prob.optimalLoss();
        SplittableRandom r = new SplittableRandom(seed);
        double half = 0;
        long nHalf = 0;
        double all = 0;
        long nAll = 0;
        long sat = 0;
        double max = q.maxValue();
        for (long t = 0; t < steps; t++) {
            if (t % evalEvery == 0) {
                double gp = metric == null ? prob.loss(w) - fs : metric.applyAsDouble(w);
                all += gp;
                nAll++;
                if (t >= steps / 2) {
                    half += gp;
                    nHalf++;
                }
            }
            prob.sampleGradient(w, r.nextInt(prob.samples()), g);
            for (int i = 0; i < d; i++) {
                double u = w[i] - alpha * g[i];
                if (Math.abs(u) > max) {
                    sat++;
                }
                w[i] = q.apply(u, t * d + i);
            }
        }
        double fin = metric == null ? prob.loss(w) - fs : metric.applyAsDouble(w);
        return new Result(half / Math.max(1, nHalf), all / Math.max(1, nAll), fin, sat, w);
    }
}
