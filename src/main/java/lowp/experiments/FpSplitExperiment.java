package lowp.experiments;

import lowp.bounds.LowPrecisionSgdBounds;
import lowp.bounds.ProblemConstants;
import lowp.optim.Metrics;
import lowp.optim.PaperFloatQuantizer;
import lowp.optim.Quantizer;
import lowp.optim.SparseOnlineRegression;
import lowp.round.Rounding;

/**
 * Seed 002 Fig. 3(a): normal FPQ with b_e + b_m = 15 (a 16-bit float with its sign bit) on the synthetic
 * problem at d = 256: the empirical noise ball is smallest at b_e = 5, and Theorem 5's interval rounds to 5.
 * All b_e share the sample stream and the SR random words (common random numbers), so the small differences
 * between neighbouring b_e are resolved.
 */
public final class FpSplitExperiment implements Experiment {
    @Override
    public String name() {
        return "seed002-fp-split";
    }

    @Override
    public String description() {
        return "best exponent width of a 16-bit float (b_e+b_m=15, normal FPQ, SR) on the synthetic problem: b_e = 5";
    }

    @Override
    public String formatOption() {
        return "FPQ mode: normal, denormal or ieee";
    }

    @Override
    public Outcome run(Options o) {
        Outcome out = new Outcome(name());
        int b = 15;
        int d = 256;
        int[] bes = o.full ? new int[] {2, 3, 4, 5, 6, 7, 8, 9} : new int[] {3, 4, 5, 6, 7, 8};
        long steps = o.full ? 3_000_000 : 600_000;
        Rounding r = Rounding.parse(o.rounding == null ? "sr" : o.rounding);
        PaperFloatQuantizer.Mode mode = PaperFloatQuantizer.Mode.NORMAL;
        if (o.format != null) {
            try {
                mode = PaperFloatQuantizer.Mode.valueOf(o.format.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad --format '" + o.format
                        + "' for seed002-fp-split (expected the FPQ mode: normal, denormal or ieee)");
            }
        }
        Metrics m = new Metrics("b_e", "b_m", "noise_ball", "thm3_ball");
        SparseOnlineRegression prob = new SparseOnlineRegression(d, 16, 0.2, NoiseBall.P1, NoiseBall.PD, o.seed);
        ProblemConstants c = prob.constants();
        int best = -1;
        double bestV = Double.POSITIVE_INFINITY;
        double fp64 = NoiseBall.measure(d, 16, 0.2, Quantizer.identity(), steps, 1, o.seed, o.full);
        for (int be : bes) {
            Quantizer q = new PaperFloatQuantizer(be, b - be, 0, mode, r, o.seed);
            double v = NoiseBall.measureShared(prob, q, steps, o.seed, o.full);
            double bound = LowPrecisionSgdBounds.theorem3Ball(c, q.params());
            m.add(be, b - be, v, bound);
            out.line("b_e=%d b_m=%2d  noise ball %.6g   (fp64 SGD %.6g)   Thm 3 asymptotic bound %.4g", be, b - be, v,
                    fp64, bound);
            if (v < bestV) {
                bestV = v;
                best = be;
            }
        }
        out.tables.put("noise_ball_vs_be", m);
        double[] iv = LowPrecisionSgdBounds.theorem5Interval(b, 1, c);
        int thm3Best = LowPrecisionSgdBounds.bestExponentTheorem3(b, 1, c, mode == PaperFloatQuantizer.Mode.DENORMAL);
        out.line("Theorem 5 interval for b=%d: [%.3f, %.3f]; integer argmin of the Theorem 3 ball: %d", b, iv[0], iv[1],
                thm3Best);
        out.value("best_be", best);
        out.value("thm5_lo", iv[0]);
        out.value("thm5_hi", iv[1]);
        out.claim("the empirical best exponent width of a 16-bit float (" + mode.name().toLowerCase() + " FPQ) is b_e = 5 (got "
                + best + ")", best == 5);
        out.claim(String.format("Theorem 5's interval [%.3f, %.3f] rounds to b_e = 5", iv[0], iv[1]),
                Math.round(iv[0]) == 5 && Math.round(iv[1]) == 5);
        return out;
    }
}
