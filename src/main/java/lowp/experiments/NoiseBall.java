package lowp.experiments;

import lowp.optim.LpSgd;
import lowp.optim.Quantizer;
import lowp.optim.SparseOnlineRegression;
import lowp.round.Rounding;

/** Shared runner for the seed-002 synthetic noise-ball measurements. */
final class NoiseBall {
    private NoiseBall() {
    }

    static final double ALPHA = 0.01;
    static final double P1 = 0.9;
    static final double PD = 0.001;

    /**
     * Mean second-half loss gap over {@code seeds} independent runs (problem seed fixed by d and seed). Short
     * mode starts at w0 = RNE-quantized w* (already in the noise ball, so the transient 1/(alpha p_d) = 10^5 is
     * skipped); full mode starts at w0 = 0 as in the paper. Deterministic rounding always starts at w0 = 0: a
     * round-to-nearest iterate placed at the rounded w* would simply stay frozen there.
     */
    static double measure(int d, int s, double beta, Quantizer q, long steps, int seeds, long seed, boolean fromZero) {
        fromZero |= !q.stochastic() && !q.name().equals("fp64");
        double sum = 0;
        for (int k = 0; k < seeds; k++) {
            SparseOnlineRegression prob = new SparseOnlineRegression(d, s, beta, P1, PD, seed * 1000003L + k);
            double[] w0 = new double[d];
            if (!fromZero) {
                double[] ws = prob.optimum();
                Quantizer det = rne(q);
                for (int i = 0; i < d; i++) {
                    w0[i] = det.apply(ws[i], i);
                }
            }
            sum += LpSgd.runSparse(prob, q, ALPHA, steps, seed * 7919L + k, w0).noiseBall();
        }
        return sum / seeds;
    }

    /** One run on a given problem (common random numbers across quantizers: same data and SR streams). */
    static double measureShared(SparseOnlineRegression prob, Quantizer q, long steps, long seed, boolean fromZero) {
        fromZero |= !q.stochastic();
        int d = prob.d;
        double[] w0 = new double[d];
        if (!fromZero) {
            double[] ws = prob.optimum();
            for (int i = 0; i < d; i++) {
                w0[i] = q.apply(ws[i], -1 - i);
            }
        }
        return LpSgd.runSparse(prob, q, ALPHA, steps, seed * 7919L, w0).noiseBall();
    }

    /** The same point set with round-to-nearest (for placing w0 on the grid). */
    static Quantizer rne(Quantizer q) {
        if (q.name().equals("fp64")) {
            return q;
        }
        if (q instanceof lowp.optim.PaperFloatQuantizer) {
            return q; // w0 placed with the quantizer itself (its own rounding); see measureShared
        }
        return SpecCache.get(q, Rounding.RNE);
    }
}
