package lowp.optim;

import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** One-step updates against hand-computed values, reproducibility, and the error decomposition (C16, C17, C20). */
class DriversTest {
    @Test
    void plainSgdStepInBf16HandComputed() {
        Policy pol = Policy.parse("w=bf16/rne,u=bf16/rne", 1);
        double[] w = {1.0, 1.0, 1.0};
        double[] g = {1.0, 0x1p-6, 1.0};
        int stag = Sgd.step(w, g, 0x1p-4, pol);
        assertEquals(0.9375, w[0]); // 1 - 2^-4, representable
        // 1 - 2^-10: the bf16 neighbours are 1 - 2^-8 and 1; a quarter of the gap below 1 -> rne keeps 1.0
        assertEquals(1.0, w[1]);
        assertEquals(1, stag);
        // lr = 0.1: u = bf16(0.1) = 205/128 * 2^-4 = 0.10009765625; 1 - u = 0.89990234375 = 230.375 * 2^-8 -> 230 * 2^-8
        double[] w2 = {1.0};
        Sgd.step(w2, new double[] {1.0}, 0.1, pol);
        assertEquals(0.8984375, w2[0]);
    }

    @Test
    void momentumStepHandComputed() {
        Policy pol = Policy.parse("w=fp32,u=fp32,m=fp32", 1);
        double[] w = {1.0};
        double[] m = {0.0};
        Sgd.momentumStep(w, m, new double[] {1.0}, 0.25, 0.5, pol);
        assertEquals(1.0, m[0]);
        assertEquals(0.75, w[0]);
        Sgd.momentumStep(w, m, new double[] {1.0}, 0.25, 0.5, pol);
        assertEquals(1.5, m[0]); // 0.5*1 + 1
        assertEquals(0.375, w[0]); // 0.75 - 0.25*1.5
        // bf16 momentum: m = bf16(0.9 * bf16(1/3)) ... the product 0.9*m is one rounding into bf16
        Policy b = Policy.parse("w=fp32,u=fp32,m=bf16/rtz", 1);
        double[] m2 = {1.0};
        Sgd.momentumStep(new double[] {0}, m2, new double[] {0x1p-9}, 1, 0.5, b);
        assertEquals(0.5, m2[0]); // 0.5 + 2^-9 truncated to bf16 (spacing 2^-8 in [0.5,1)) -> 0.5
    }

    @Test
    void stochasticRoundingStepIsUnbiased() {
        // 1 - 2^-10 rounds to 1 - 2^-8 with probability exactly 1/4 under sr
        Policy pol = Policy.parse("w=bf16/sr,u=bf16/rne", 42);
        int n = 40000;
        int down = 0;
        for (int i = 0; i < n; i++) {
            double[] w = {1.0};
            Sgd.step(w, new double[] {0x1p-6}, 0x1p-4, pol);
            assertTrue(w[0] == 1.0 || w[0] == 1 - 0x1p-8);
            if (w[0] < 1) {
                down++;
            }
        }
        double sd = Math.sqrt(n * 0.25 * 0.75);
        assertTrue(Math.abs(down - n / 4.0) <= 6.1 * sd, "down " + down); // false-failure rate < 1.1e-9
    }

    @Test
    void sgdRunIsReproducible() {
        double[][] data = Datasets.gaussianMixture(400, 2, 2, 1, 1, 3);
        LogisticRegression lr = new LogisticRegression(data[0], data[1], 3, 1e-3);
        Sgd.Result a = Sgd.run(lr, new double[3], Policy.parse("w=bf16/sr,g=bf16,acc=e8m15,u=bf16/sr", 9), 0.1, 0.9, 3, 32, 5);
        Sgd.Result b = Sgd.run(lr, new double[3], Policy.parse("w=bf16/sr,g=bf16,acc=e8m15,u=bf16/sr", 9), 0.1, 0.9, 3, 32, 5);
        assertArrayEquals(a.w(), b.w());
        assertEquals(a.metrics().toCsv(), b.metrics().toCsv());
        Sgd.Result c = Sgd.run(lr, new double[3], Policy.parse("w=bf16/sr,g=bf16,acc=e8m15,u=bf16/sr", 10), 0.1, 0.9, 3, 32, 5);
        assertFalse(java.util.Arrays.equals(a.w(), c.w()), "another SR seed gives another trajectory");
        double[] loss = a.metrics().column("loss");
        assertTrue(loss[loss.length - 1] < loss[0], "training decreases the loss");
    }

    @Test
    void normalizedGdDecompositionIsExactC16C17() {
        PowerNorm f = new PowerNorm(3, 0.2, 40);
        SplittableRandom r = new SplittableRandom(8);
        double[] w0 = new double[40];
        for (int i = 0; i < 40; i++) {
            w0[i] = r.nextGaussian();
        }
        Prec.of("bf16", "rne", 0, 0).roundAll(w0);
        double eta = 0x1p-7; // eta * g-hat is exact in binary64
        Policy pol = Policy.parse("w=bf16/rne,u=fp64,g=bf16/rne,acc=fp32,out=fp32", 1);
        int[] steps = {0};
        NormalizedGd.run(f, w0, new NormalizedGd.Config().eta(eta).iterations(200).rounding(pol).listener(
                (k, w, gh, u, rr, s, wn) -> {
                    steps[0]++;
                    double uw = 0x1p-8; // bf16 unit roundoff
                    for (int i = 0; i < w.length; i++) {
                        BigDecimal wPrime = new BigDecimal(w[i]).subtract(new BigDecimal(eta).multiply(new BigDecimal(gh[i])));
                        // s is exact: w_{k+1} = w_k - eta g-hat + s (C16), g-hat = u + r
                        assertEquals(0, new BigDecimal(wn[i]).compareTo(wPrime.add(new BigDecimal(s[i]))), "identity");
                        // C17: |s_i| <= u_w |w'_i| for round-to-nearest
                        assertTrue(new BigDecimal(Math.abs(s[i])).compareTo(wPrime.abs().multiply(new BigDecimal(uw))) <= 0);
                        assertEquals(gh[i] - u[i], rr[i]);
                    }
                }));
        assertEquals(200, steps[0]);
    }

    @Test
    void injectedNoiseRunsAreReproducible() {
        PowerNorm f = new PowerNorm(3, 0.2, 40);
        double[] w0 = new double[40];
        w0[0] = 1;
        NormalizedGd.Result a = NormalizedGd.run(f, w0, new NormalizedGd.Config().eta(0.1).iterations(300).uniform(0.1, 0.01).seed(4));
        NormalizedGd.Result b = NormalizedGd.run(f, w0, new NormalizedGd.Config().eta(0.1).iterations(300).uniform(0.1, 0.01).seed(4));
        assertArrayEquals(a.f, b.f);
        assertTrue(a.rMax <= 0.1 * Math.sqrt(40) && a.sMax <= 0.01 * Math.sqrt(40));
        // exact normalized GD (no noise) from ||w0|| = 1 with eta = 0.1 walks straight to the origin's eta/2 ball
        NormalizedGd.Result e = NormalizedGd.run(f, w0, new NormalizedGd.Config().eta(0.1).iterations(30));
        // ||w_k|| = 1 - 0.1 k: min_k ||w_k|| <= eta/2 (some iterate lands within half a step of w* = 0)
        assertTrue(Math.pow(e.minF / 3, 5) <= 0.05, "min ||w|| = " + Math.pow(e.minF / 3, 5));
    }

    @Test
    void normalizedGdOneStepHandComputed() {
        // f = ||w||^0.5 (any c||w||^p: grad f is parallel to w), w0 = (3,4): u = w/||w|| = (0.6, 0.8);
        // eta = 0.5 => w1 = (3,4) - 0.5 (0.6,0.8) = (2.7, 3.6), ||w1|| = 4.5; w2 = (2.4, 3.2).
        // Tolerance: binary64 evaluation of c p ||w||^(p-2) w and of its normalization (a few ulps).
        PowerNorm f = new PowerNorm(1, 0.5, 2);
        NormalizedGd.Result r = NormalizedGd.run(f, new double[] {3, 4}, new NormalizedGd.Config().eta(0.5).iterations(1));
        assertEquals(2.7, r.w[0], 1e-15);
        assertEquals(3.6, r.w[1], 1e-15);
        assertEquals(5, r.dist[0]);
        assertEquals(4.5, r.dist[1], 1e-15);
        NormalizedGd.Result r2 = NormalizedGd.run(f, new double[] {3, 4}, new NormalizedGd.Config().eta(0.5).iterations(2));
        assertEquals(2.4, r2.w[0], 1e-15);
        assertEquals(3.2, r2.w[1], 1e-15);
        // projection onto the ball of radius 3 around w* = 0: (2.7, 3.6) * 3/4.5 = (1.8, 2.4)
        NormalizedGd.Result p = NormalizedGd.run(f, new double[] {3, 4},
                new NormalizedGd.Config().eta(0.5).iterations(1).ball(3));
        assertEquals(1.8, p.w[0], 1e-15);
        assertEquals(2.4, p.w[1], 1e-15);
        // a ball of radius 4.6 does not bind
        NormalizedGd.Result np = NormalizedGd.run(f, new double[] {3, 4},
                new NormalizedGd.Config().eta(0.5).iterations(1).ball(4.6));
        assertArrayEquals(r.w, np.w);
    }

    @Test
    void normalizedGdRoundingOneStepInBf16HandComputed() {
        // rounding mode, everything bf16/rne except the accumulator (fp32): w0 = (3,4) is exact in bf16.
        // g~ = w0 (PowerNorm's direction), g~.g~ = 25, sqrt = 5, g-hat = (0.6, 0.8) rounded to bf16:
        //   0.6 = 1.0011001100110011..b * 2^-1 -> 8 significand bits 1.0011010 (round up) = 0.6015625
        //   0.8 = 1.1001100110011..b * 2^-1 -> 1.1001101 (round up) = 0.80078125
        // eta = 0.5: u-product exact (0.30078125, 0.400390625); 3 - 0.30078125 = 2.69921875, in bf16 (spacing
        // 2^-6 in [2,4)) -> 172.75 * 2^-6 -> 173 * 2^-6 = 2.703125; 4 - 0.400390625 = 3.599609375 -> 230.375 * 2^-6
        // -> 230 * 2^-6 = 3.59375.
        Policy pol = Policy.parse("w=bf16/rne,g=bf16/rne,u=bf16/rne,acc=fp32,out=bf16", 1);
        NormalizedGd.Result r = NormalizedGd.run(new PowerNorm(1, 0.5, 2), new double[] {3, 4},
                new NormalizedGd.Config().eta(0.5).iterations(1).rounding(pol).metrics(true));
        assertEquals(2.703125, r.w[0]);
        assertEquals(3.59375, r.w[1]);
        Metrics m = r.metrics;
        // r = g-hat - u = (0.0015625, 0.00078125) (u = (0.6, 0.8) up to binary64 rounding);
        // s = w1 - (w0 - eta g-hat) = (2.703125 - 2.69921875, 3.59375 - 3.599609375) = (0.00390625, -0.005859375)
        assertEquals(Math.hypot(0.0015625, 0.00078125), m.column("r_norm")[0], 1e-15);
        assertEquals(Math.hypot(0.00390625, -0.005859375), m.column("s_norm")[0]);
        assertEquals(0, m.column("stagnated")[0]);
        assertEquals(5, m.column("dist")[0]);
    }

    @Test
    void projectedNormalizedGdStaysInTheBallAndSatisfiesTheorem41() {
        PowerNorm f = new PowerNorm(3, 0.2, 40);
        double[] w0 = new double[40];
        w0[3] = 0.9;
        double br = 0.05;
        double bs = 0.001;
        double R = br * Math.sqrt(40);
        double S = bs * Math.sqrt(40);
        double eta = 0.1;
        NormalizedGd.Result r = NormalizedGd.run(f, w0, new NormalizedGd.Config().eta(eta).iterations(3000)
                .uniform(br, bs).ball(1.0).seed(2).tailFrom(1500));
        for (double dist : r.dist) {
            assertTrue(dist <= 1.0 + 1e-12, "projection onto the ball of radius 1");
        }
        // Omega = ball of radius 1 around w* has diameter c = 2; liminf measured by the tail minimum
        lowp.bounds.Check k = lowp.bounds.QuasiConvexBounds.theorem41(3, 0.2, 0, eta, R, S, 2, r.minFTail);
        assertTrue(k.preconditionsMet(), k.toString());
        assertFalse(k.violated(), k.toString());
    }

    @Test
    void lpSgdIteratesStayOnTheGridC20() {
        LinearRegression lin = Datasets.gaussianRegression(200, 5, 0.1, 4, 2);
        FixedPointQuantizer q = FixedPointQuantizer.unitRange(8, Rounding.SR, 3);
        LpSgd.Result r = LpSgd.runDataset(lin, q, 0.01, 2000, 6, null, 50);
        for (double v : r.w()) {
            assertEquals(v, Math.rint(v * 128) / 128);
            assertTrue(v >= -1 && v <= 1 - 1.0 / 128);
        }
        LpSgd.Result r2 = LpSgd.runDataset(lin, FixedPointQuantizer.unitRange(8, Rounding.SR, 3), 0.01, 2000, 6, null, 50);
        assertArrayEquals(r.w(), r2.w());
        SparseOnlineRegression sp = new SparseOnlineRegression(64, 16, 0.2, 0.9, 0.001, 1);
        LpSgd.Result s = LpSgd.runSparse(sp, FixedPointQuantizer.unitRange(6, Rounding.SR, 1), 0.01, 20000, 2, null);
        for (double v : s.w()) {
            assertEquals(v, Math.rint(v * 32) / 32);
        }
        assertEquals(sp.gap(s.w()), s.finalGap());
    }

    @Test
    void sparseGeneratorC21() {
        SparseOnlineRegression p = new SparseOnlineRegression(64, 16, 0.2, 0.9, 0.001, 1);
        double sum = 0;
        for (int i = 0; i < 64; i++) {
            sum += p.inclusion(i);
            if (i > 0) {
                assertTrue(p.inclusion(i) <= p.inclusion(i - 1));
            }
        }
        assertEquals(16, sum, 1e-9);
        assertEquals(0.9, p.inclusion(0), 1e-12);
        assertEquals(0.001, p.inclusion(63), 1e-12);
        SplittableRandom r = new SplittableRandom(3);
        int n = 100000;
        int[] count = new int[64];
        int[] idx = new int[16];
        for (int t = 0; t < n; t++) {
            p.sampleSupport(r, idx);
            for (int k = 0; k < 16; k++) {
                if (k > 0) {
                    assertTrue(idx[k] > idx[k - 1], "exactly s distinct indices");
                }
                count[idx[k]]++;
            }
        }
        for (int i = 0; i < 64; i++) {
            double pi = p.inclusion(i);
            double sd = Math.sqrt(n * pi * (1 - pi));
            assertTrue(Math.abs(count[i] - n * pi) <= 6.1 * sd + 1e-9, "frequency of " + i);
        }
        lowp.bounds.ProblemConstants c = p.constants();
        assertEquals(16, c.L());
        assertEquals(64, c.L1());
        assertEquals(0.64, c.sigma() * c.sigma(), 1e-12);
        assertEquals(2.5532, c.sigma1(), 1e-4);
    }
}
