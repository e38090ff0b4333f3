package lowp.acc;

import lowp.acc.bounds.BoundResult;
import lowp.acc.bounds.ErrorBounds;
import lowp.format.Format;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Error-bound checkers on many random dot products per model: deterministic bounds are never violated;
 * the probabilistic SR bound fails no more often than its stated probability allows (exact binomial test).
 */
class BoundsTest {
    static final int TRIES = Boolean.getBoolean("lowp.exhaustive") ? 2000 : 150;

    /** Random values of f: |v| in [2^-6, 2^6), random sign, occasionally zero or tiny. */
    static double value(Format f, Random r) {
        double v;
        int pick = r.nextInt(40);
        if (pick == 0) return 0;
        double mag = pick == 1 ? Math.scalb(1.0, f.emin() - 2) : Math.scalb(1 + r.nextDouble(), r.nextInt(12) - 6);
        long bits = lowp.ref.RefOps.fromDouble(f, r.nextBoolean() ? -mag : mag, lowp.round.Env.rne());
        v = f.toDouble(bits);
        return v;
    }

    record Stats(int applicable, int violations, double minSlackRatio) {
    }

    static Stats run(AccumulatorModel m, int maxN, long seed,
                     java.util.function.BiFunction<double[][], AccContext, BoundResult> check) {
        Random r = new Random(seed);
        int applicable = 0;
        int violations = 0;
        double minRatio = Double.MAX_VALUE;
        for (int t = 0; t < TRIES; t++) {
            int n = 1 + r.nextInt(maxN);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = value(m.inputFormat(), r);
                y[i] = value(m.inputFormat(), r);
            }
            double c = r.nextInt(4) == 0 ? 0 : value(m.outputFormat(), r);
            AccContext ctx = new AccContext().random(RandomSource.splitMix(r.nextLong()));
            BoundResult b = check.apply(new double[][] {x, y, {c}}, ctx);
            if (!b.applicable) continue;
            applicable++;
            if (b.violated()) violations++;
            if (b.bound.signum() > 0) {
                minRatio = Math.min(minRatio, b.slack().divide(b.bound, MathContext.DECIMAL64).doubleValue());
            }
        }
        return new Stats(applicable, violations, minRatio);
    }

    static void deterministic(String what, AccumulatorModel m, int maxN,
                              java.util.function.BiFunction<double[][], AccContext, BoundResult> check) {
        Stats s = run(m, maxN, what.hashCode(), check);
        assertEquals(0, s.violations, what + ": " + m);
        assertTrue(s.applicable >= TRIES / 2, what + ": bound applicable in only " + s.applicable + " runs");
    }

    @Test
    void recursiveBounds() {
        List<SequentialModel> models = List.of(
                SequentialModel.separate(Format.BINARY16, Format.BINARY16, Rounding.RNE, Format.BINARY16, Rounding.RNE),
                SequentialModel.separate(Format.E4M3FN, Format.BINARY16, Rounding.RTZ, Format.BFLOAT16, Rounding.RTZ),
                SequentialModel.fma(Format.BFLOAT16, Format.BFLOAT16, Rounding.RNE),
                SequentialModel.fma(Format.BINARY16, Format.BINARY16, Rounding.SR),
                SequentialModel.fma(Format.BINARY16, Format.parse("e5m7"), Rounding.RUP),
                SequentialModel.fma(Format.BINARY16, Format.parse("bf16:nosub"), Rounding.srBits(2)));
        for (SequentialModel m : models) {
            deterministic("recursive", m, 60, (v, ctx) -> ErrorBounds.recursive(m, v[0], v[1], v[2][0], ctx));
            deterministic("a posteriori", m, 60, (v, ctx) -> ErrorBounds.aPosteriori(m, v[0], v[1], v[2][0], ctx));
        }
    }

    @Test
    void pairwiseBounds() {
        for (Rounding r : new Rounding[] {Rounding.RNE, Rounding.RTZ, Rounding.SR}) {
            SequentialModel m = new SequentialModel(Format.BINARY16, null, null, Format.BFLOAT16, r,
                    SequentialModel.Order.PAIRWISE, false);
            deterministic("pairwise " + r, m, 200, (v, ctx) -> ErrorBounds.pairwise(m, v[0], v[1], v[2][0], ctx));
            SequentialModel m2 = new SequentialModel(Format.BINARY16, Format.BINARY16, r, Format.BINARY16, r,
                    SequentialModel.Order.PAIRWISE, false);
            deterministic("pairwise separate " + r, m2, 200,
                    (v, ctx) -> ErrorBounds.pairwise(m2, v[0], v[1], v[2][0], ctx));
        }
    }

    @Test
    void blockedBounds() {
        List<ChunkedModel> models = List.of(
                new ChunkedModel(SequentialModel.fma(Format.BINARY16, Format.BFLOAT16, Rounding.RNE), 8,
                        Format.BFLOAT16, Rounding.RNE),
                new ChunkedModel(SequentialModel.separate(Format.E4M3FN, Format.BINARY16, Rounding.RNE,
                        Format.BINARY16, Rounding.RTZ), 16, Format.BINARY32, Rounding.RNE),
                new ChunkedModel(SequentialModel.fma(Format.BFLOAT16, Format.BFLOAT16, Rounding.SR), 5,
                        Format.BFLOAT16, Rounding.SR));
        for (ChunkedModel m : models) {
            deterministic("blocked", m, 150, (v, ctx) -> ErrorBounds.blocked(m, v[0], v[1], v[2][0], ctx));
        }
    }

    @Test
    void tensorCoreTraceBound() {
        List<FusedBlockModel> models = new ArrayList<>();
        for (Profiles.Profile p : Profiles.all()) {
            if (p.model instanceof FusedBlockModel) models.add((FusedBlockModel) p.model);
        }
        models.add(new FusedBlockModel(Format.BINARY16, Format.BINARY32, 4, 6, 10, Rounding.RNE,
                FusedBlockModel.Align.FLOOR, false, Integer.MIN_VALUE));
        for (FusedBlockModel m : models) {
            deterministic("tensor-core", m, 100, (v, ctx) -> ErrorBounds.tensorCore(m, v[0], v[1], v[2][0], ctx));
        }
    }

    /** Smallest v with P(Binomial(trials, p) > v) <= 1e-9, computed with 40-digit decimal arithmetic. */
    static int binomialThreshold(int trials, double p) {
        MathContext mc = new MathContext(40);
        BigDecimal bp = new BigDecimal(p);
        BigDecimal q = BigDecimal.ONE.subtract(bp);
        BigDecimal pmf = q.pow(trials, mc); // P(X = 0)
        BigDecimal cdf = pmf;
        BigDecimal target = BigDecimal.ONE.subtract(new BigDecimal("1e-9"));
        int v = 0;
        while (cdf.compareTo(target) < 0) {
            // P(X = v+1) = P(X = v) * (trials - v)/(v + 1) * p/q
            pmf = pmf.multiply(BigDecimal.valueOf(trials - v)).multiply(bp)
                    .divide(BigDecimal.valueOf(v + 1).multiply(q), mc);
            cdf = cdf.add(pmf);
            v++;
        }
        return v;
    }

    @Test
    void stochasticRoundingProbabilisticBound() {
        Format acc = Format.BINARY16;
        SequentialModel m = SequentialModel.fma(Format.BINARY16, acc, Rounding.SR);
        Random r = new Random(11);
        int trials = TRIES * 2;
        int n = 512;
        double alpha = 0.05;
        double lambda = ErrorBounds.lambdaFor(n, alpha, acc);
        int violations = 0;
        int applicable = 0;
        for (int t = 0; t < trials; t++) {
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                // positive terms in [1/4, 1): the sum grows, every rounding is normal-range
                x[i] = Format.BINARY16.toDouble(0x3400 + r.nextInt(0x800));
                y[i] = 1;
            }
            BoundResult b = ErrorBounds.stochastic(m, x, y, 0, lambda,
                    new AccContext().random(RandomSource.splitMix(r.nextLong())));
            assertTrue(b.failureProbability <= alpha * (1 + 1e-12), "stated probability " + b.failureProbability);
            if (!b.applicable) continue;
            applicable++;
            if (b.violated()) violations++;
        }
        assertEquals(trials, applicable);
        int threshold = binomialThreshold(trials, alpha);
        assertTrue(violations <= threshold, violations + " violations > " + threshold + " allowed at P(fail) = " + alpha);
        // sanity of the threshold computation: Binomial(300, 0.05) has mean 15; 1e-9 tail lies near 45
        assertTrue(binomialThreshold(300, 0.05) > 30 && binomialThreshold(300, 0.05) < 60);
    }

    @Test
    void roundTowardZeroIsOneSided() {
        // research §5.4: non-negative addends with RZ output never exceed the exact sum
        AccumulatorModel m = Profiles.get("h100-fp16-fp32");
        Random r = new Random(5);
        for (int t = 0; t < 200; t++) {
            int n = 1 + r.nextInt(64);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = Math.abs(value(Format.BINARY16, r));
                y[i] = Math.abs(value(Format.BINARY16, r));
            }
            double d = Dot.dot(x, y, 0, m);
            BigDecimal exact = BigDecimal.ZERO;
            for (int i = 0; i < n; i++) exact = exact.add(new BigDecimal(x[i]).multiply(new BigDecimal(y[i])));
            assertTrue(new BigDecimal(d).compareTo(exact) <= 0);
        }
    }

    // ---- hand-derived cases: the error is close to the bound, so a bound that is too tight (u not doubled)
    // fails "error <= bound" and a bound that is far too loose fails "error > bound / 2" ----

    static BigDecimal p2(int e) {
        return e >= 0 ? new BigDecimal(java.math.BigInteger.ONE.shiftLeft(e))
                : BigDecimal.ONE.divide(new BigDecimal(java.math.BigInteger.ONE.shiftLeft(-e)));
    }

    static void assertNear(BigDecimal want, BigDecimal got, String what) {
        BigDecimal diff = want.subtract(got).abs();
        assertTrue(diff.compareTo(want.abs().multiply(new BigDecimal("1e-40"))) <= 0,
                what + ": want " + want + " got " + got);
    }

    static void assertTight(BoundResult b, BigDecimal wantError, String what) {
        assertTrue(b.applicable, what + ": " + b);
        assertEquals(0, wantError.compareTo(b.error), what + ": error " + b.error + " want " + wantError);
        assertTrue(b.error.compareTo(b.bound) <= 0, what + ": violated " + b);
        assertTrue(b.error.multiply(BigDecimal.valueOf(2)).compareTo(b.bound) > 0, what + ": bound loose " + b);
    }

    /**
     * fp16 FMA chain, round toward zero, c = 1, 50 terms t = 2^-10 - 2^-20 (an fp16 value: 1.111111111b·2^-11)
     * times 1. The accumulator stays in [1, 2) where the ulp is 2^-10, and 1 + t < 1 + 2^-10, so every add
     * rounds back to 1: ŝ = 1, error = 50 t exactly (≈ 0.04878). With u = 2^(1-11) = 2^-10 (RZ doubles u) and
     * η = 2^-24 (one smallest fp16 subnormal):
     *   a posteriori: u Σ|T̂_i| + 2nη = 50·2^-10 + 100·2^-24 (all partial sums are 1)  ≈ 0.04883, ratio 0.9989;
     *   a priori: γ_50(u)(|c| + Σ|t|) + 2nη = (50/974)(1 + 50 t) + 100·2^-24  ≈ 0.05384, ratio 0.906.
     * With u = 2^-11 (not doubled) both bounds would be about half the error.
     */
    @Test
    void roundTowardZeroChainNearlyAttainsTheBound() {
        SequentialModel m = SequentialModel.fma(Format.BINARY16, Format.BINARY16, Rounding.RTZ);
        int n = 50;
        double t = 0x1p-10 - 0x1p-20;
        assertEquals(t, Format.BINARY16.toDouble(lowp.ref.RefOps.fromDouble(Format.BINARY16, t, lowp.round.Env.rne())));
        double[] x = new double[n];
        double[] y = new double[n];
        java.util.Arrays.fill(x, t);
        java.util.Arrays.fill(y, 1);
        BigDecimal err = BigDecimal.valueOf(n).multiply(new BigDecimal(t));
        BigDecimal eta2n = p2(-24).multiply(BigDecimal.valueOf(2L * n));

        BoundResult post = ErrorBounds.aPosteriori(m, x, y, 1, new AccContext());
        assertTight(post, err, "a posteriori");
        assertNear(BigDecimal.valueOf(n).multiply(p2(-10)).add(eta2n), post.bound, "a posteriori bound");

        BoundResult pri = ErrorBounds.recursive(m, x, y, 1, new AccContext());
        assertTight(pri, err, "a priori");
        BigDecimal gamma50 = BigDecimal.valueOf(50).divide(BigDecimal.valueOf(974), new MathContext(80));
        assertNear(gamma50.multiply(BigDecimal.ONE.add(err)).add(eta2n), pri.bound, "a priori bound");
    }

    /**
     * The mirror case for round-up: c = 1, 50 terms 2^-20 (fp16 subnormal) times 1. Each add rounds
     * 1 + i·2^-10 + 2^-20 up to 1 + (i+1)·2^-10, so ŝ = 1 + 50·2^-10, error = 50(2^-10 - 2^-20) again;
     * partial sums T̂_i = 1 + i·2^-10, Σ = 50 + 1275·2^-10:
     *   a posteriori bound = 2^-10 (50 + 1275·2^-10) + 100·2^-24 ≈ 0.05004 (ratio 0.975);
     *   a priori bound = γ_50(2^-10)(1 + 50·2^-20) + 100·2^-24 ≈ 0.05134 (ratio 0.950).
     * SR on the same input: the a priori bound must use the same doubled u (its value is fixed, whatever the
     * random words) and hold.
     */
    @Test
    void roundUpChainNearlyAttainsTheBoundAndSrUsesTheSameU() {
        int n = 50;
        double t = 0x1p-20;
        double[] x = new double[n];
        double[] y = new double[n];
        java.util.Arrays.fill(x, t);
        java.util.Arrays.fill(y, 1);
        BigDecimal err = BigDecimal.valueOf(n).multiply(p2(-10).subtract(p2(-20)));
        BigDecimal eta2n = p2(-24).multiply(BigDecimal.valueOf(2L * n));
        BigDecimal gamma50 = BigDecimal.valueOf(50).divide(BigDecimal.valueOf(974), new MathContext(80));
        BigDecimal priBound = gamma50.multiply(BigDecimal.ONE.add(BigDecimal.valueOf(n).multiply(p2(-20)))).add(eta2n);

        SequentialModel up = SequentialModel.fma(Format.BINARY16, Format.BINARY16, Rounding.RUP);
        BoundResult post = ErrorBounds.aPosteriori(up, x, y, 1, new AccContext());
        assertTight(post, err, "RUP a posteriori");
        assertNear(p2(-10).multiply(BigDecimal.valueOf(50).add(BigDecimal.valueOf(1275).multiply(p2(-10)))).add(eta2n),
                post.bound, "RUP a posteriori bound");
        BoundResult pri = ErrorBounds.recursive(up, x, y, 1, new AccContext());
        assertTight(pri, err, "RUP a priori");
        assertNear(priBound, pri.bound, "RUP a priori bound");

        SequentialModel sr = SequentialModel.fma(Format.BINARY16, Format.BINARY16, Rounding.SR);
        for (long seed = 1; seed <= 20; seed++) {
            BoundResult b = ErrorBounds.recursive(sr, x, y, 1, new AccContext().random(RandomSource.splitMix(seed)));
            assertTrue(b.applicable && !b.violated(), b.toString());
            assertNear(priBound, b.bound, "SR a priori bound (u = 2^-10)");
        }
    }

    /**
     * n = 512 fp16 SR FMA chain, x_i = 1/2, y_i = 1, c = 0, α = 0.05. Every partial sum i/2 ≤ 256 is an fp16
     * value, so the error is exactly 0 whatever the random words. Deterministic: γ_512(2^-10) = 0.5/0.5 = 1,
     * bound = 1·256 + 2·512·2^-24 = 256 + 2^-14 exactly. Probabilistic (Higham–Mary, δ = 2^-10):
     * λ = sqrt(2 ln(2n/α))/(1-δ) ≈ 4.460, γ̃ = exp(λ√n δ + nδ²/(1-δ)) - 1 ≈ 0.1041, bound = 256 γ̃ ≈ 26.65,
     * failure probability 2n exp(-λ²(1-δ)²/2) = α. The probabilistic bound is about 10 times tighter.
     */
    @Test
    void probabilisticBoundIsTighterThanDeterministicAtN512() {
        SequentialModel m = SequentialModel.fma(Format.BINARY16, Format.BINARY16, Rounding.SR);
        int n = 512;
        double alpha = 0.05;
        double[] x = new double[n];
        double[] y = new double[n];
        java.util.Arrays.fill(x, 0.5);
        java.util.Arrays.fill(y, 1);
        BoundResult det = ErrorBounds.recursive(m, x, y, 0, new AccContext().random(RandomSource.splitMix(3)));
        assertEquals(0, BigDecimal.valueOf(256).add(p2(-14)).compareTo(det.bound), det.toString());
        assertEquals(0, det.error.signum());

        double delta = 0x1p-10;
        double lambdaHand = Math.sqrt(2 * Math.log(2.0 * n / alpha)) / (1 - delta);
        double lambda = ErrorBounds.lambdaFor(n, alpha, Format.BINARY16);
        assertEquals(lambdaHand, lambda, 1e-12 * lambdaHand);
        BoundResult pr = ErrorBounds.stochastic(m, x, y, 0, lambda, new AccContext().random(RandomSource.splitMix(3)));
        double gHand = Math.expm1(lambdaHand * Math.sqrt(n) * delta + n * delta * delta / (1 - delta));
        assertEquals(256 * gHand, pr.bound.doubleValue(), 1e-9 * 256 * gHand);
        assertTrue(pr.bound.doubleValue() > 26.6 && pr.bound.doubleValue() < 26.7, pr.toString());
        assertEquals(alpha, pr.failureProbability, 1e-12);
        assertEquals(0, pr.error.signum());
        assertTrue(pr.bound.multiply(BigDecimal.valueOf(9)).compareTo(det.bound) < 0,
                "probabilistic " + pr.bound + " not well below deterministic " + det.bound);
    }

    /**
     * h100-fp16-fp32 (k = 16, F = 25, RZ fp32 output), c = 1, 4 blocks of 16 products
     * (2^-13 - 2^-24)·2^-12 = 2^-25 - 2^-36 (both factors fp16). Each block aligns to c's exponent 0, so every
     * product lies below the kept unit 2^-25 and truncates to 0: the block sum is 1, the output 1, chained
     * 4 times: error = 64(2^-25 - 2^-36). Trace bound (research §5.4) per block: m_j = 17 addends (c counts),
     * alignment 17·2^-25, rounding 2^-23·(|exact block| + 17·2^-25), subnormal quantum 2^-149; total
     * ≈ 4·21·2^-25, error/bound ≈ 64/84 = 0.76.
     */
    @Test
    void tensorCoreTraceBoundNearlyAttainedByTruncation() {
        FusedBlockModel m = (FusedBlockModel) Profiles.get("h100-fp16-fp32");
        assertEquals(16, m.blockSize());
        assertEquals(25, m.fractionBits());
        int n = 64;
        double[] x = new double[n];
        double[] y = new double[n];
        java.util.Arrays.fill(x, 0x1p-13 - 0x1p-24);
        java.util.Arrays.fill(y, 0x1p-12);
        BigDecimal prod = p2(-25).subtract(p2(-36));
        BoundResult b = ErrorBounds.tensorCore(m, x, y, 1, new AccContext());
        assertTight(b, BigDecimal.valueOf(n).multiply(prod), "trace bound");
        BigDecimal align = BigDecimal.valueOf(17).multiply(p2(-25));
        BigDecimal blockExact = BigDecimal.ONE.add(BigDecimal.valueOf(16).multiply(prod));
        BigDecimal perBlock = align.add(p2(-23).multiply(blockExact.add(align))).add(p2(-149));
        assertNear(perBlock.multiply(BigDecimal.valueOf(4)), b.bound, "trace bound value");
    }

    /**
     * One-sided random case: non-negative fp16 addends under the RZ profile, so truncation and output
     * rounding errors add up instead of cancelling. Besides 0 violations, the bound must be reached to within
     * a factor of 2 on some input (slack/bound &lt; 0.5; measured 0.32 with this seed): a bound twice too
     * loose fails.
     */
    @Test
    void tensorCoreTraceBoundIsNotVacuousOnOneSidedSums() {
        FusedBlockModel m = (FusedBlockModel) Profiles.get("h100-fp16-fp32");
        Random r = new Random(17);
        double minRatio = 1;
        for (int t = 0; t < 200; t++) {
            int n = 1 + r.nextInt(64);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = Math.abs(value(Format.BINARY16, r));
                y[i] = Math.abs(value(Format.BINARY16, r));
            }
            BoundResult b = ErrorBounds.tensorCore(m, x, y, 0, new AccContext());
            assertTrue(b.applicable && !b.violated(), b.toString());
            if (b.bound.signum() > 0) {
                minRatio = Math.min(minRatio, b.slack().divide(b.bound, MathContext.DECIMAL64).doubleValue());
            }
        }
        assertTrue(minRatio < 0.5, "trace bound never within 2x of the error: min slack ratio " + minRatio);
    }
}
