package lowp.optim;

import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * LP-SGD (seed 002 Algorithm 1, {@link LpSgd}): one-step updates against hand-computed values in an exact
 * fixed-point format, the exact two outcomes of stochastic rounding, C19 (Q = id is plain SGD bit for bit),
 * C20 (zero-gradient coordinates bit-unchanged; sparse path = dense path) and the per-step metrics table.
 */
class LpSgdTest {
    /** f(w) = g.w: every sample gradient is the constant g (one sample, so i_t = 0 always). */
    static Problem constantGradient(double[] g) {
        return new Problem() {
            @Override
            public int dim() {
                return g.length;
            }

            @Override
            public double loss(double[] w) {
                double s = 0;
                for (int i = 0; i < g.length; i++) {
                    s += g[i] * w[i];
                }
                return s;
            }

            @Override
            public void gradient(double[] w, double[] out) {
                System.arraycopy(g, 0, out, 0, g.length);
            }

            @Override
            public int samples() {
                return 1;
            }

            @Override
            public void sampleGradient(double[] w, int i, double[] out) {
                gradient(w, out);
            }
        };
    }

    @Test
    void oneStepFixedPointRneHandComputed() {
        // 4-bit fixed point, delta = 2^-3: the grid k/8, k = -8..7, i.e. [-1, 0.875]; alpha = 0.5
        FixedPointQuantizer q = FixedPointQuantizer.unitRange(4, Rounding.RNE, 0);
        assertEquals(0.125, q.delta());
        double[] w0 = {0.5, 0.375, 0.5, -0.25, 0.875, 0.25, -1};
        double[] g = {0.4375, 0.125, 0.125, 0.0625, -0.5, 0, 0.75};
        // u = w - 0.5 g:
        //  0.5 - 0.21875 = 0.28125 = 2.25 delta -> 2 delta = 0.25
        //  0.375 - 0.0625 = 0.3125 = 2.5 delta (tie) -> even 2 delta = 0.25
        //  0.5 - 0.0625 = 0.4375 = 3.5 delta (tie) -> even 4 delta = 0.5 = w (stagnated)
        //  -0.25 - 0.03125 = -0.28125 = -2.25 delta -> -0.25 = w (stagnated)
        //  0.875 + 0.25 = 1.125 > 0.875 -> saturates to 0.875 = w (stagnated, saturation)
        //  0.25 - 0 = 0.25: zero update, unchanged (not a stagnation)
        //  -1 - 0.375 = -1.375 < -1 -> saturates to -1 = w (stagnated, saturation)
        LpSgd.Result r = LpSgd.runDataset(constantGradient(g), q, 0.5, 1, 7, w0, 1, null, 1);
        assertArrayEquals(new double[] {0.25, 0.25, 0.5, -0.25, 0.875, 0.25, -1}, r.w());
        assertEquals(4, r.stagnatedCoords());
        assertEquals(2, r.saturations());
        assertEquals(0, r.frozenSteps());
        Metrics m = r.metrics();
        assertEquals(1, m.size());
        // loss g.w0 = 0.21875 + 0.046875 + 0.0625 - 0.015625 - 0.4375 + 0 - 0.75 = -0.875
        assertEquals(-0.875, m.column("loss")[0]);
        // ||g||^2 = 0.19140625 + 0.015625 + 0.015625 + 0.00390625 + 0.25 + 0 + 0.5625 = 1.0390625 (all exact)
        assertEquals(Math.sqrt(1.0390625), m.column("grad_norm")[0]);
        // Q(u) - u = -0.03125, -0.0625, 0.0625, 0.03125, -0.25, 0, 0.375; squares sum to 0.212890625 (exact)
        assertEquals(Math.sqrt(0.212890625), m.column("s_norm")[0]);
        assertEquals(4, m.column("stagnated")[0]);
        assertEquals(0, m.column("frozen")[0]);
        assertTrue(Double.isNaN(m.column("dist")[0]), "no known optimum");
    }

    @Test
    void oneStepStochasticRoundingHasExactlyTheTwoNeighbours() {
        // every coordinate: w = 0.5, g = 0.4375, alpha = 0.5 -> u = 0.28125 = 2.25 delta, between 0.25 and 0.375;
        // unbiased SR goes up with probability exactly 0.25. n coordinates = n independent draws (keys t*d + i).
        int n = 20000;
        double[] w0 = new double[n];
        double[] g = new double[n];
        java.util.Arrays.fill(w0, 0.5);
        java.util.Arrays.fill(g, 0.4375);
        FixedPointQuantizer q = FixedPointQuantizer.unitRange(4, Rounding.SR, 11);
        LpSgd.Result r = LpSgd.runDataset(constantGradient(g), q, 0.5, 1, 3, w0, 1);
        int up = 0;
        for (int i = 0; i < n; i++) {
            double v = r.w()[i];
            assertTrue(v == 0.25 || v == 0.375, "SR gives one of the two neighbours, got " + v);
            if (v == 0.375) {
                up++;
            }
            // the driver keys coordinate i of step 0 by 0*d + i
            assertEquals(q.apply(0.28125, i), v);
        }
        // exact two-sided Binomial(20000, 0.25) acceptance region with false-failure probability <= 1e-9
        int[] acc = binomialAcceptance(n, 0.25, 1e-9);
        assertTrue(up >= acc[0] && up <= acc[1], "up " + up + " outside [" + acc[0] + ", " + acc[1] + "]");
        // sanity of the region itself: about 5000 +- 6.1 sd (sd = 61.2)
        assertTrue(acc[0] > 4550 && acc[1] < 5450, acc[0] + ".." + acc[1]);
    }

    /** Largest [lo, hi] with P(X < lo) <= a/2 and P(X > hi) <= a/2 for X ~ Binomial(n, p), pmf in log space. */
    static int[] binomialAcceptance(int n, double p, double a) {
        double[] pmf = new double[n + 1];
        double lp = Math.log(p);
        double lq = Math.log1p(-p);
        double lf = 0; // log k!
        double[] logFact = new double[n + 1];
        for (int k = 1; k <= n; k++) {
            lf += Math.log(k);
            logFact[k] = lf;
        }
        for (int k = 0; k <= n; k++) {
            pmf[k] = Math.exp(logFact[n] - logFact[k] - logFact[n - k] + k * lp + (n - k) * lq);
        }
        int lo = 0;
        double tail = 0;
        while (tail + pmf[lo] <= a / 2) {
            tail += pmf[lo++];
        }
        int hi = n;
        tail = 0;
        while (tail + pmf[hi] <= a / 2) {
            tail += pmf[hi--];
        }
        return new int[] {lo, hi};
    }

    @Test
    void identityQuantizerIsPlainSgdBitForBitC19() {
        LinearRegression lin = Datasets.gaussianRegression(100, 6, 0.3, 5, 4);
        double alpha = 0.037;
        int steps = 500;
        LpSgd.Result lp = LpSgd.runDataset(lin, Quantizer.identity(), alpha, steps, 9, null, 1000);
        // plain SGD on the same sample stream (i_t = nextInt(n) of SplittableRandom(9)), binary64 policy
        double[] w = new double[6];
        double[] g = new double[6];
        SplittableRandom r = new SplittableRandom(9);
        for (int t = 0; t < steps; t++) {
            lin.sampleGradient(w, r.nextInt(lin.samples()), g);
            Sgd.step(w, g, alpha, Policy.fp64());
        }
        assertArrayEquals(w, lp.w());
        assertTrue(Problem.norm(w) > 0.1, "the run moved");
    }

    @Test
    void zeroGradientCoordinatesAreBitUnchangedC20() {
        // a 3-d regression plus a 4th coordinate that no sample's gradient touches (grad_3 = 0 in every step):
        // under SR its grid value must come back bit-unchanged from every quantization
        LinearRegression lin = Datasets.gaussianRegression(64, 3, 0.2, 3, 5);
        Problem p = new Problem() {
            @Override
            public int dim() {
                return 4;
            }

            @Override
            public double loss(double[] w) {
                return lin.loss(java.util.Arrays.copyOf(w, 3));
            }

            @Override
            public void gradient(double[] w, double[] g) {
                double[] g3 = new double[3];
                lin.gradient(java.util.Arrays.copyOf(w, 3), g3);
                System.arraycopy(g3, 0, g, 0, 3);
                g[3] = 0;
            }

            @Override
            public int samples() {
                return lin.samples();
            }

            @Override
            public void sampleGradient(double[] w, int i, double[] g) {
                double[] g3 = new double[3];
                lin.sampleGradient(java.util.Arrays.copyOf(w, 3), i, g3);
                System.arraycopy(g3, 0, g, 0, 3);
                g[3] = 0;
            }
        };
        for (double w3 : new double[] {-0.3828125, 0.0, 0.9921875}) { // -49/128, 0, 127/128 (the top grid point)
            double[] w0 = {0, 0, 0, w3};
            LpSgd.Result r = LpSgd.runDataset(p, FixedPointQuantizer.unitRange(8, Rounding.SR, 2), 0.05, 3000, 1, w0, 100);
            assertEquals(Double.doubleToRawLongBits(w3), Double.doubleToRawLongBits(r.w()[3]));
            assertNotEquals(0, r.w()[0], "the other coordinates moved");
        }
    }

    /**
     * Dense LP-SGD on the synthetic problem: the same random stream as the sparse path (support, signs, noise), but
     * the full d-vector x, x.w over all coordinates and Q applied to every coordinate (zero-gradient ones too).
     */
    static double[] denseSynthetic(SparseOnlineRegression p, Quantizer q, double alpha, long steps, long seed) {
        int d = p.d;
        double[] w = new double[d];
        double[] ws = p.optimum();
        SplittableRandom r = new SplittableRandom(seed);
        int[] idx = new int[p.s];
        double[] x = new double[d];
        for (long t = 0; t < steps; t++) {
            java.util.Arrays.fill(x, 0);
            p.sampleSupport(r, idx);
            for (int k = 0; k < p.s; k++) {
                x[idx[k]] = r.nextBoolean() ? 1.0 : -1.0;
            }
            double y = 0;
            double xw = 0;
            for (int i = 0; i < d; i++) {
                xw += x[i] * w[i];
                y += x[i] * ws[i];
            }
            y += p.beta * r.nextGaussian();
            double res = xw - y;
            for (int i = 0; i < d; i++) {
                w[i] = q.apply(w[i] - alpha * (x[i] * res), t * d + i);
            }
        }
        return w;
    }

    @Test
    void sparsePathEqualsDensePathC20() {
        SparseOnlineRegression p = new SparseOnlineRegression(64, 16, 0.2, 0.9, 0.001, 3);
        for (Quantizer q : new Quantizer[] {FixedPointQuantizer.unitRange(6, Rounding.SR, 5),
                FixedPointQuantizer.unitRange(8, Rounding.RNE, 0), Quantizer.identity()}) {
            double[] dense = denseSynthetic(p, q, 0.01, 3000, 8);
            LpSgd.Result sparse = LpSgd.runSparse(p, q, 0.01, 3000, 8, null);
            assertArrayEquals(dense, sparse.w(), q.name());
        }
    }

    @Test
    void metricsColumnsMatchAnIndependentStepByStepRun() {
        // RNE on a coarse grid with a small step: some steps are frozen, some move
        LinearRegression lin = Datasets.gaussianRegression(50, 3, 0.5, 2, 7);
        FixedPointQuantizer q = FixedPointQuantizer.unitRange(6, Rounding.RNE, 0); // delta = 1/32
        double alpha = 0.02;
        int steps = 300;
        LpSgd.Result r = LpSgd.runDataset(lin, q, alpha, steps, 2, null, 1, null, 1);
        Metrics m = r.metrics();
        assertEquals(steps, m.size());
        // reference: Algorithm 1 written out, w_{t+1,i} = Q(w_{t,i} - alpha g_i), key t*d + i, i_t = nextInt(n)
        double[] w = new double[3];
        double[] g = new double[3];
        double[] gf = new double[3];
        double[] ws = lin.optimum();
        SplittableRandom rnd = new SplittableRandom(2);
        int frozen = 0;
        int stagnated = 0;
        for (int t = 0; t < steps; t++) {
            double f = lin.loss(w);
            assertEquals(f, m.column("loss")[t]);
            assertEquals(f - lin.optimalLoss(), m.column("gap")[t]);
            lin.gradient(w, gf);
            assertEquals(Problem.norm(gf), m.column("grad_norm")[t]);
            assertEquals(Problem.dist(w, ws), m.column("dist")[t]);
            lin.sampleGradient(w, rnd.nextInt(50), g);
            double[] before = w.clone();
            int stag = 0;
            double e2 = 0;
            for (int i = 0; i < 3; i++) {
                double u = w[i] - alpha * g[i];
                w[i] = q.apply(u, (long) t * 3 + i);
                e2 += (w[i] - u) * (w[i] - u);
                if (w[i] == before[i] && u != before[i]) {
                    stag++;
                }
            }
            boolean fr = java.util.Arrays.equals(before, w);
            frozen += fr ? 1 : 0;
            stagnated += stag;
            assertEquals(stag, m.column("stagnated")[t], "t=" + t);
            assertEquals(fr ? 1 : 0, m.column("frozen")[t], "t=" + t);
            assertEquals(Math.sqrt(e2), m.column("s_norm")[t]);
        }
        assertArrayEquals(w, r.w());
        assertEquals(frozen, r.frozenSteps());
        assertEquals(stagnated, r.stagnatedCoords());
        assertTrue(frozen > 0 && frozen < steps, "the configuration has both frozen and moving steps: " + frozen);
        assertTrue(stagnated > frozen, "stagnated coordinates " + stagnated);
    }

    @Test
    void sparseMetricsAreConsistent() {
        SparseOnlineRegression p = new SparseOnlineRegression(64, 16, 0.2, 0.9, 0.001, 3);
        // 4-bit RNE with alpha = 0.01: updates alpha |x.r| mostly below delta/2 = 1/16 -> many stagnations
        LpSgd.Result r = LpSgd.runSparse(p, FixedPointQuantizer.unitRange(4, Rounding.RNE, 0), 0.01, 2000, 4, null, 1);
        Metrics m = r.metrics();
        assertEquals(2000, m.size());
        assertEquals(r.frozenSteps(), (long) java.util.Arrays.stream(m.column("frozen")).sum());
        assertEquals(r.stagnatedCoords(), (long) java.util.Arrays.stream(m.column("stagnated")).sum());
        assertTrue(r.frozenSteps() > 0);
        // gap column = 1/2 sum p_i (w_i - w*_i)^2 and dist, at w_0 = 0
        double[] ws = p.optimum();
        double gap0 = p.gap(new double[64]);
        assertEquals(gap0, m.column("gap")[0]);
        assertEquals(Problem.norm(ws), m.column("dist")[0]);
        // grad f(w) = diag(p)(w - w*): at w = 0 its norm is sqrt(sum p_i^2 w*_i^2)
        double s = 0;
        for (int i = 0; i < 64; i++) {
            s += p.inclusion(i) * p.inclusion(i) * ws[i] * ws[i];
        }
        assertEquals(Math.sqrt(s), m.column("grad_norm")[0], 1e-15 * Math.sqrt(s)); // summation order may differ
        // a frozen step is one with no coordinate change: its s_norm is the quantization error of that step,
        // and the next row's gap equals this row's gap
        double[] fr = m.column("frozen");
        double[] gap = m.column("gap");
        for (int t = 0; t + 1 < 2000; t++) {
            if (fr[t] == 1) {
                assertEquals(gap[t], gap[t + 1], "t=" + t);
            }
        }
    }

    /**
     * runSparse as implemented before it drew its samples through SparseOnlineRegression.sampleGradient: the draw
     * written out inline (support, one sign per support index, then beta N(0,1)), the residual r = x.w - (x.w* +
     * noise), u_i = w_i - alpha (x_i r), and the same gap / saturation / stagnation / frozen bookkeeping. Returns
     * {w_T, {noiseBall, meanGap, finalGap, saturations, stagnated, frozen}} and fills rows (t, gap, s_norm,
     * stagnated, frozen) every logEvery steps.
     */
    static double[][] previousRunSparse(SparseOnlineRegression prob, Quantizer q, double alpha, long steps, long seed,
                                        double[] w0, long logEvery, java.util.List<double[]> rows) {
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
        long sat = 0;
        long stagnated = 0;
        long frozen = 0;
        long t0 = steps / 2;
        for (long t = 0; t < steps; t++) {
            if ((t & 0xFFFF) == 0) {
                gap = prob.gap(w);
            }
            double rowGap = logEvery > 0 && t % logEvery == 0 ? prob.gap(w) : gap;
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
            double err2 = 0;
            int stag = 0;
            boolean changed = false;
            for (int k = 0; k < s; k++) {
                int i = idx[k];
                double u = w[i] - alpha * (sg[k] * res);
                double nw = q.apply(u, t * d + i);
                if (Math.abs(u) > q.maxValue()) {
                    sat++;
                }
                err2 += (nw - u) * (nw - u);
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
            if (logEvery > 0 && t % logEvery == 0) {
                rows.add(new double[] {t, rowGap, Math.sqrt(err2), stag, changed ? 0 : 1});
            }
        }
        return new double[][] {w, {half / (steps - t0), all / steps, prob.gap(w), sat, stagnated, frozen}};
    }

    @Test
    void runSparseThroughSampleGradientIsBitIdenticalToThePreviousLoop() {
        SparseOnlineRegression p = new SparseOnlineRegression(128, 16, 0.2, 0.9, 0.001, 5);
        double[] w0 = new double[128];
        java.util.Arrays.fill(w0, 0.875); // near the top of the [-1, 1) grids: some steps saturate
        Object[][] cases = {
            {FixedPointQuantizer.unitRange(6, Rounding.SR, 3), 70_000L, 0L, null},
            {FixedPointQuantizer.unitRange(8, Rounding.RNE, 0), 70_000L, 0L, w0},
            {FixedPointQuantizer.unitRange(4, Rounding.RNE, 0), 3_000L, 7L, w0},
            {Quantizer.identity(), 3_000L, 5L, null},
        };
        for (Object[] cs : cases) {
            Quantizer q = (Quantizer) cs[0];
            long steps = (Long) cs[1];
            long every = (Long) cs[2];
            double[] start = (double[]) cs[3];
            java.util.List<double[]> rows = new java.util.ArrayList<>();
            double[][] ref = previousRunSparse(p, q, 0.01, steps, 9, start, every, rows);
            LpSgd.Result r = LpSgd.runSparse(p, q, 0.01, steps, 9, start, every);
            String msg = q.name() + " steps=" + steps;
            assertArrayEquals(ref[0], r.w(), msg);
            assertEquals(Double.doubleToRawLongBits(ref[1][0]), Double.doubleToRawLongBits(r.noiseBall()), msg);
            assertEquals(Double.doubleToRawLongBits(ref[1][1]), Double.doubleToRawLongBits(r.meanGap()), msg);
            assertEquals(Double.doubleToRawLongBits(ref[1][2]), Double.doubleToRawLongBits(r.finalGap()), msg);
            assertEquals((long) ref[1][3], r.saturations(), msg);
            assertEquals((long) ref[1][4], r.stagnatedCoords(), msg);
            assertEquals((long) ref[1][5], r.frozenSteps(), msg);
            if (every > 0) {
                Metrics m = r.metrics();
                assertEquals(rows.size(), m.size(), msg);
                for (int k = 0; k < rows.size(); k++) {
                    double[] row = rows.get(k);
                    assertEquals(row[0], m.column("t")[k], msg);
                    assertEquals(row[1], m.column("gap")[k], msg);
                    assertEquals(row[2], m.column("s_norm")[k], msg);
                    assertEquals(row[3], m.column("stagnated")[k], msg);
                    assertEquals(row[4], m.column("frozen")[k], msg);
                }
            }
        }
        // the cases exercise what they are meant to: saturation from w0 = 0.875, stagnation on the 4-bit grid
        assertTrue(LpSgd.runSparse(p, FixedPointQuantizer.unitRange(8, Rounding.RNE, 0), 0.01, 70_000, 9, w0).saturations() > 0);
        assertTrue(LpSgd.runSparse(p, FixedPointQuantizer.unitRange(4, Rounding.RNE, 0), 0.01, 3_000, 9, w0).stagnatedCoords() > 0);
    }

    @Test
    void maxIterateNormHandComputed() {
        // constant gradient g = (1, 0), alpha = 2^-4, 8-bit fixed point (delta = 2^-7, so every w_t is on the grid):
        // w_t = (0.25 - t/16, 0). Over T = 6 steps ||w_t|| = 0.25, 0.1875, 0.125, 0.0625, 0, 0.0625, 0.125: the
        // maximum 0.25 is w_0's, so the maximum must include the start
        Quantizer q = FixedPointQuantizer.unitRange(8, Rounding.RNE, 0);
        LpSgd.Result r = LpSgd.runDataset(constantGradient(new double[] {1, 0}), q, 0.0625, 6, 1, new double[] {0.25, 0}, 1);
        assertArrayEquals(new double[] {-0.125, 0}, r.w());
        assertEquals(0.25, r.maxIterateNorm());
        // T = 10: w_10 = (-0.375, 0), the final iterate is the largest
        r = LpSgd.runDataset(constantGradient(new double[] {1, 0}), q, 0.0625, 10, 1, new double[] {0.25, 0}, 1);
        assertEquals(0.375, r.maxIterateNorm());
        // the sparse path does not track it
        SparseOnlineRegression p = new SparseOnlineRegression(64, 16, 0.2, 0.9, 0.001, 3);
        assertTrue(Double.isNaN(LpSgd.runSparse(p, q, 0.01, 10, 1, null).maxIterateNorm()));
    }

    @Test
    void maxIterateNormEqualsAnIndependentRun() {
        // Algorithm 1 written out (as in metricsColumnsMatchAnIndependentStepByStepRun) with SR, max_t ||w_t||
        // over t = 0..T taken with Problem.norm
        LinearRegression lin = Datasets.gaussianRegression(50, 3, 0.5, 2, 7);
        FixedPointQuantizer q = FixedPointQuantizer.unitRange(8, Rounding.SR, 4);
        double[] w = {0.5, -0.5, 0.25};
        LpSgd.Result r = LpSgd.runDataset(lin, q, 0.02, 400, 3, w, 10);
        double[] g = new double[3];
        SplittableRandom rnd = new SplittableRandom(3);
        double max = Problem.norm(w);
        for (int t = 0; t < 400; t++) {
            lin.sampleGradient(w, rnd.nextInt(50), g);
            for (int i = 0; i < 3; i++) {
                w[i] = q.apply(w[i] - 0.02 * g[i], (long) t * 3 + i);
            }
            max = Math.max(max, Problem.norm(w));
        }
        assertArrayEquals(w, r.w());
        assertEquals(max, r.maxIterateNorm());
        assertTrue(max > Problem.norm(new double[] {0.5, -0.5, 0.25}), "the run grows past ||w_0||: " + max);
    }
}
