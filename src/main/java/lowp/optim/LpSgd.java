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

    /**
     * noiseBall: mean measured quantity over the second half; meanGap: over all evaluated iterates; finalGap: at
     * w_T; saturations: pre-quantization values beyond the representable range; stagnatedCoords: coordinate
     * updates with u_i != w_i that Q rounded back to w_i; frozenSteps: steps with w_{t+1} == w_t (every
     * coordinate bit-unchanged); metrics: the per-step table (null unless logEvery > 0); maxIterateNorm: max over
     * t = 0..T of ||w_t||_2 (the measured side of Assumption 6, ||w_t|| <= R0), recorded by the dataset path (NaN on
     * the sparse path, which never forms the full norm to stay O(s) per step).
     */
    public record Result(double noiseBall, double meanGap, double finalGap, long saturations, double[] w,
                         long stagnatedCoords, long frozenSteps, Metrics metrics, double maxIterateNorm) {
    }

    /**
     * Columns of the per-step table. Row t describes w_t and the step t -> t+1: loss f(w_t) (NaN on the sparse
     * path: only the gap is tracked), gap f(w_t) - f*, grad_norm ||grad f(w_t)||_2 (full, exact gradient), dist
     * ||w_t - w*||_2, s_norm ||Q(u_t) - u_t||_2 (the quantization error injected by the step, u_t = w_t - alpha
     * grad f~(w_t); the gradient itself is binary64, so LP-SGD has no r_k), stagnated (coordinates with
     * u_i != w_i left unchanged by Q), frozen (1 if w_{t+1} == w_t).
     */
    public static final String[] COLUMNS = {"t", "loss", "gap", "grad_norm", "dist", "s_norm", "stagnated", "frozen"};

    /** {@link #runSparse(SparseOnlineRegression, Quantizer, double, long, long, double[], long)} without metrics. */
    public static Result runSparse(SparseOnlineRegression prob, Quantizer q, double alpha, long steps, long seed,
                                   double[] w0) {
        return runSparse(prob, q, alpha, steps, seed, w0, 0);
    }

    /**
     * Sparse fast path for the synthetic online problem: O(s) per step, the loss gap tracked exactly
     * (incrementally, re-summed every 2^16 steps). Coordinates outside the sample's support have a zero
     * gradient and are not touched (bit-identical to quantizing w_i - 0 for w_i on the grid). A metrics row
     * ({@link #COLUMNS}) every {@code logEvery} steps if logEvery > 0.
     */
    public static Result runSparse(SparseOnlineRegression prob, Quantizer q, double alpha, long steps, long seed,
                                   double[] w0, long logEvery) {
        int d = prob.d;
        int s = prob.s;
        double[] w = w0 == null ? new double[d] : w0.clone();
        double[] ws = prob.optimum();
        double[] p = new double[d];
        for (int i = 0; i < d; i++) {
            p[i] = prob.inclusion(i);
        }
        Metrics m = logEvery > 0 ? new Metrics(COLUMNS) : null;
        double[] gfull = m == null ? null : new double[d];
        SplittableRandom r = new SplittableRandom(seed);
        int[] idx = new int[s];
        double[] sg = new double[s];
        double gap = prob.gap(w);
        double half = 0;
        double all = 0;
        long saturations = 0;
        long stagnated = 0;
        long frozen = 0;
        double max = q.maxValue();
        long t0 = steps / 2;
        for (long t = 0; t < steps; t++) {
            if ((t & 0xFFFF) == 0) {
                gap = prob.gap(w);
            }
            boolean log = m != null && t % logEvery == 0;
            double rowGap = gap;
            double rowGn = 0;
            double rowDist = 0;
            if (log) {
                prob.gradient(w, gfull);
                rowGap = prob.gap(w);
                rowGn = Problem.norm(gfull);
                rowDist = Problem.dist(w, ws);
            }
            all += gap;
            if (t >= t0) {
                half += gap;
            }
            prob.sampleGradient(w, r, idx, sg); // sg[k] = (x~.w - y~) x~_idx[k]
            long base = t * d;
            double err2 = 0;
            int stag = 0;
            boolean changed = false;
            for (int k = 0; k < s; k++) {
                int i = idx[k];
                double u = w[i] - alpha * sg[k];
                double nw = q.apply(u, base + i);
                if (Math.abs(u) > max) {
                    saturations++;
                }
                double e = nw - u;
                err2 += e * e;
                if (nw == w[i]) {
                    if (u != w[i]) {
                        stag++;
                    }
                } else {
                    changed = true;
                }
                double a = w[i] - ws[i];
                double b = nw - ws[i];
                gap += 0.5 * p[i] * (b * b - a * a);
                w[i] = nw;
            }
            stagnated += stag;
            if (!changed) {
                frozen++;
            }
            if (log) {
                m.add(t, Double.NaN, rowGap, rowGn, rowDist, Math.sqrt(err2), stag, changed ? 0 : 1);
            }
        }
        double fin = prob.gap(w);
        return new Result(half / (steps - t0), all / steps, fin, saturations, w, stagnated, frozen, m, Double.NaN);
    }

    /** Dataset path: i_t uniform with replacement; gap f(w_t) - f* evaluated every evalEvery steps in the second half. */
    public static Result runDataset(Problem prob, Quantizer q, double alpha, long steps, long seed, double[] w0,
                                    long evalEvery) {
        return runDataset(prob, q, alpha, steps, seed, w0, evalEvery, null, 0);
    }

    /** The dataset path with a custom measured quantity and no metrics table. */
    public static Result runDataset(Problem prob, Quantizer q, double alpha, long steps, long seed, double[] w0,
                                    long evalEvery, java.util.function.ToDoubleFunction<double[]> metric) {
        return runDataset(prob, q, alpha, steps, seed, w0, evalEvery, metric, 0);
    }

    /**
     * Dataset path with a custom measured quantity (null: the loss gap f(w_t) - f*), e.g. ||grad f(w_t)||^2 for
     * the non-convex theorems; meanGap/noiseBall then hold its mean over all / second-half evaluated iterates,
     * and {@code saturations} counts pre-quantization values beyond the representable range. A metrics row
     * ({@link #COLUMNS}; gap and dist NaN where the problem has no known optimum) every {@code logEvery} steps
     * if logEvery > 0.
     */
    public static Result runDataset(Problem prob, Quantizer q, double alpha, long steps, long seed, double[] w0,
                                    long evalEvery, java.util.function.ToDoubleFunction<double[]> metric,
                                    long logEvery) {
        int d = prob.dim();
        double[] w = w0 == null ? new double[d] : w0.clone();
        double[] g = new double[d];
        double fs = prob.optimalLoss();
        double[] ws = prob.optimum();
        Metrics m = logEvery > 0 ? new Metrics(COLUMNS) : null;
        double[] gfull = m == null ? null : new double[d];
        SplittableRandom r = new SplittableRandom(seed);
        double half = 0;
        long nHalf = 0;
        double all = 0;
        long nAll = 0;
        long sat = 0;
        long stagnated = 0;
        long frozen = 0;
        double max = q.maxValue();
        double maxNorm2 = 0;
        for (double v : w) {
            maxNorm2 += v * v;
        }
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
            boolean log = m != null && t % logEvery == 0;
            double rowF = 0;
            double rowGn = 0;
            if (log) {
                rowF = prob.loss(w);
                prob.gradient(w, gfull);
                rowGn = Problem.norm(gfull);
            }
            double rowDist = log && ws != null ? Problem.dist(w, ws) : Double.NaN;
            prob.sampleGradient(w, r.nextInt(prob.samples()), g);
            double err2 = 0;
            int stag = 0;
            boolean changed = false;
            double norm2 = 0;
            for (int i = 0; i < d; i++) {
                double u = w[i] - alpha * g[i];
                if (Math.abs(u) > max) {
                    sat++;
                }
                double nw = q.apply(u, t * d + i);
                double e = nw - u;
                err2 += e * e;
                if (nw == w[i]) {
                    if (u != w[i]) {
                        stag++;
                    }
                } else {
                    changed = true;
                }
                w[i] = nw;
                norm2 += nw * nw;
            }
            maxNorm2 = Math.max(maxNorm2, norm2);
            stagnated += stag;
            if (!changed) {
                frozen++;
            }
            if (log) {
                m.add(t, rowF, rowF - fs, rowGn, rowDist, Math.sqrt(err2), stag, changed ? 0 : 1);
            }
        }
        double fin = metric == null ? prob.loss(w) - fs : metric.applyAsDouble(w);
        return new Result(half / Math.max(1, nHalf), all / Math.max(1, nAll), fin, sat, w, stagnated, frozen, m,
                Math.sqrt(maxNorm2));
    }
}
