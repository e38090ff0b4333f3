package lowp.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Gradients against central differences, reference solvers, accumulator datapath facts (C5, C6). */
class ProblemsTest {
    static void checkGradient(Problem p, double[] w) {
        double[] g = new double[p.dim()];
        p.gradient(w, g);
        for (int j = 0; j < w.length; j++) {
            double h = 1e-6;
            double[] a = w.clone();
            double[] b = w.clone();
            a[j] += h;
            b[j] -= h;
            double fd = (p.loss(a) - p.loss(b)) / (2 * h);
            assertEquals(fd, g[j], 1e-6 * (1 + Math.abs(fd)), p.getClass().getSimpleName() + " coordinate " + j);
        }
    }

    @Test
    void gradientsAndOptima() {
        LinearRegression lin = Datasets.gaussianRegression(300, 4, 0.3, 10, 1);
        double[][] mix = Datasets.gaussianMixture(500, 2, 2, 1, 1, 2);
        LogisticRegression log = new LogisticRegression(mix[0], mix[1], 3, 1e-2);
        double[][] mix3 = Datasets.gaussianMixture(300, 3, 2, 2, 1, 3);
        int[] lab = new int[300];
        for (int i = 0; i < 300; i++) {
            lab[i] = (int) mix3[1][i];
        }
        SoftmaxRegression soft = new SoftmaxRegression(mix3[0], lab, 3, 3, 1e-2);
        Problem[] ps = {lin, log, soft, new PowerNorm(3, 0.2, 5)};
        for (Problem p : ps) {
            double[] w = new double[p.dim()];
            for (int j = 0; j < w.length; j++) {
                w[j] = 0.3 * Math.sin(j + 1);
            }
            checkGradient(p, w);
            double[] ws = p.optimum();
            double[] g = new double[p.dim()];
            p.gradient(ws, g);
            assertTrue(Problem.norm(g) < 1e-8, p.getClass().getSimpleName() + " optimum gradient " + Problem.norm(g));
            assertTrue(p.loss(w) >= p.optimalLoss());
        }
        // per-sample gradients average to the full gradient
        double[] w = {0.1, -0.2, 0.3};
        double[] full = new double[3];
        log.gradient(w, full);
        double[] avg = new double[3];
        log.batchGradient(w, java.util.stream.IntStream.range(0, 500).toArray(), avg);
        for (int j = 0; j < 3; j++) {
            assertEquals(full[j], avg[j], 1e-12);
        }
        // the binary64 policy pipeline equals the exact gradient up to summation order
        double[] lp = new double[3];
        log.lowPrecisionGradient(w, null, Policy.fp64(), lp);
        for (int j = 0; j < 3; j++) {
            assertEquals(full[j], lp[j], 1e-12);
        }
        double[] ws = {0.2, -0.1, 0.05, 0.3, 0.1, -0.2, 0.0, 0.1, 0.2};
        double[] sf = new double[9];
        double[] sl = new double[9];
        soft.gradient(ws, sf);
        soft.lowPrecisionGradient(ws, null, Policy.fp64(), sl);
        double[] sb = new double[9];
        soft.lowPrecisionGradient(ws, null, Policy.parse("g=bf16,acc=e8m15,out=bf16", 0), sb);
        for (int j = 0; j < 9; j++) {
            assertEquals(sf[j], sl[j], 1e-12);
            assertEquals(sb[j], Prec.of("bf16", "rne", 0, 0).round(sb[j]), "bf16 pipeline output is bf16");
            assertEquals(sf[j], sb[j], 0.05 * Problem.norm(sf) + 1e-3, "bf16 gradient close to the exact one");
        }
        lowp.bounds.ProblemConstants c = lin.constants();
        assertTrue(c.mu() > 0 && c.mu() <= c.L() && c.sane(1e-12));
    }

    @Test
    void accumulatorDatapathC5C6() {
        // C6 swamping: 2^13 ones summed in an 11-bit accumulator (10 fraction bits) under RN stop at 2^11
        double[] ones = new double[1 << 13];
        java.util.Arrays.fill(ones, 1.0);
        SequentialDot acc11 = new SequentialDot(null, Prec.of("e8m10", "rne", 0, 0), Prec.of("fp32", "rne", 0, 0));
        assertEquals(2048.0, acc11.sum(ones, ones.length));
        SequentialDot acc16 = new SequentialDot(null, Prec.of("e8m15", "rne", 0, 0), Prec.of("fp32", "rne", 0, 0));
        assertEquals(8192.0, acc16.sum(ones, ones.length));
        // C5: a bf16 x bf16 product is exact with 15 fraction bits, not always with 10
        double a = 1 + 127.0 / 128; // 8 significant bits
        double b = 1 + 125.0 / 128;
        Prec p15 = Prec.of("e8m15", "rne", 0, 0);
        Prec p10 = Prec.of("e8m10", "rne", 0, 0);
        assertEquals(a * b, p15.mul(a, b));
        assertNotEquals(a * b, p10.mul(a, b));
        assertEquals(a * b, acc16.dot(new double[] {a}, new double[] {b}));
        // stochastic rounding in a tiny accumulator keeps the expected sum (no swamping bias)
        SequentialDot sr = new SequentialDot(null, Prec.of("e8m10", "sr", 5, 1), Prec.of("fp32", "rne", 0, 0));
        double s = sr.sum(ones, ones.length);
        // the SR partial sums form a martingale with mean 8192; the first 2048 additions are exact and each later
        // rounding error is below one ulp of the partial sum, which stays below 2^14 unless the deviation already
        // exceeds 8192 (ulp <= 8): Azuma with c_i = 8 over 6144 steps, P(|S - 8192| >= t) <= 2 exp(-t^2/(2 sum c_i^2))
        // < 1e-9 for t = 4200, still far from round-to-nearest's stagnation at 2048 (off by 6144)
        double c2 = 6144 * 64.0;
        assertTrue(2 * Math.exp(-4200.0 * 4200 / (2 * c2)) < 1e-9);
        assertTrue(Math.abs(s - 8192) <= 4200, "SR sum " + s + " far from 8192 (RN gives 2048)");
    }

    @Test
    void policyParsingNamesBadValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Policy.parse("w=bf17", 0));
        assertTrue(e.getMessage().contains("bf17"));
        e = assertThrows(IllegalArgumentException.class, () -> Policy.parse("q=bf16", 0));
        assertTrue(e.getMessage().contains("q"));
        e = assertThrows(IllegalArgumentException.class, () -> Policy.parse("w=bf16/rnd", 0));
        assertTrue(e.getMessage().contains("rnd"));
    }

    @Test
    void metricsCsvAndJson() {
        Metrics m = new Metrics("k", "loss");
        m.add(0, 0.5);
        m.add(1, 0.25);
        assertEquals("k,loss\n0,0.5000000000\n1,0.2500000000\n", m.toCsv());
        assertArrayEquals(new double[] {0.5, 0.25}, m.column("loss"));
        java.util.Map<String, Object> j = new java.util.LinkedHashMap<>();
        j.put("a", 1);
        j.put("b", "x\"y");
        j.put("c", java.util.List.of(true, 2.5));
        assertEquals("{\"a\": 1, \"b\": \"x\\\"y\", \"c\": [true, 2.500000000]}", Metrics.toJson(j));
    }

    /**
     * C21 by Monte Carlo (fixed seed, N = 10^6 draws of the generator at w*, d = 1024, s = 16, beta = 0.2). At w*
     * the gradient is -beta Z x~ with Z ~ N(0,1) and x~ a +-1 vector on s indices, so ||g||^2 = s beta^2 Z^2 (mean
     * 0.64, sd s beta^2 sqrt 2 = 0.905, SE 9.1e-4) and ||g||_1 = s beta |Z| (mean s beta sqrt(2/pi) = 2.5532, sd
     * s beta sqrt(1 - 2/pi) = 1.93, SE 1.9e-3). The extraction's 1% tolerance is 7 SE and 13 SE respectively
     * (false-failure probability < 1e-11). Inclusion frequencies and the off-diagonal E[x_0 x_1] within 5 SE.
     */
    @Test
    void sparseGeneratorMonteCarloC21() {
        int d = 1024;
        int s = 16;
        SparseOnlineRegression prob = new SparseOnlineRegression(d, s, 0.2, 0.9, 0.001, 5);
        double[] ws = prob.optimum();
        java.util.SplittableRandom r = new java.util.SplittableRandom(77);
        int[] idx = new int[s];
        double[] g = new double[s];
        int n = 1_000_000;
        double s2 = 0;
        double s1 = 0;
        long c0 = 0;
        long cLast = 0;
        double x01 = 0;
        for (int t = 0; t < n; t++) {
            double res = prob.sampleGradient(ws, r, idx, g);
            for (int k = 1; k < s; k++) {
                assertTrue(idx[k] > idx[k - 1], "exactly s distinct support indices");
            }
            double n2 = 0;
            double n1 = 0;
            for (int k = 0; k < s; k++) {
                assertEquals(Math.abs(res), Math.abs(g[k]), 0);
                n2 += g[k] * g[k];
                n1 += Math.abs(g[k]);
            }
            s2 += n2;
            s1 += n1;
            c0 += idx[0] == 0 ? 1 : 0;
            cLast += idx[s - 1] == d - 1 ? 1 : 0;
            if (idx[0] == 0 && idx[1] == 1 && res != 0) {
                x01 += Math.signum(g[0]) * Math.signum(g[1]);
            }
        }
        assertEquals(0.64, s2 / n, 0.01 * 0.64);
        assertEquals(16 * 0.2 * Math.sqrt(2 / Math.PI), s1 / n, 0.01 * 2.5532);
        assertEquals(2.5532, 16 * 0.2 * Math.sqrt(2 / Math.PI), 5e-5);
        double p0 = prob.inclusion(0);
        double pd = prob.inclusion(d - 1);
        assertEquals(p0, (double) c0 / n, 5 * Math.sqrt(p0 * (1 - p0) / n));
        assertEquals(pd, (double) cLast / n, 5 * Math.sqrt(pd * (1 - pd) / n));
        // the product of the two signs is +-1 with mean 0: SE <= 1/sqrt(n)
        assertEquals(0, x01 / n, 5 / Math.sqrt(n));
        // L = s and L1 = s sqrt(s) exactly
        assertEquals(16, prob.constants().L(), 0);
        assertEquals(64, prob.constants().L1(), 0);
    }
}
