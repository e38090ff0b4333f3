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
}
