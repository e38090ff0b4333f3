package lowp.bounds;

import lowp.format.Format;
import lowp.round.Mode;
import lowp.round.Rounding;

/**
 * Seed 000's error constants from a number format and a rounding rule (extraction seed000.md §1.4, §1.6, §1.7,
 * §3 table): the unit roundoff u = 2^-t (t = fraction bits + 1), machine epsilon eps_M = 2u, the per-operation
 * relative error delta_0 (u for round-to-nearest; eps_M for stochastic, directed and round-to-odd rounding, i.e.
 * any faithful rounding), the a-priori R = c_ops delta_0^(g) (normalized gradient of unit norm) and
 * S = delta_0^(w) sup||w'||, the model variances d sigma_s^2 (SR: at most u_w^2 sup||w'||^2; RN, uniform
 * model: sum ulp(w'_i)^2 / 12) and d sigma_r^2 (SR: at most c_ops u_g^2 for a unit-norm gradient), and
 * Higham's gamma_n for an accumulator. All relative-error statements hold in the normal range only.
 */
public final class RoundoffConstants {
    private RoundoffConstants() {
    }

    /** u = 2^-(fraction bits + 1) = beta^(1-t)/2. */
    public static double unitRoundoff(Format f) {
        return Math.scalb(1.0, -f.manBits() - 1);
    }

    /** eps_M = beta^(1-t) = 2u (the paper's delta_0). */
    public static double machineEpsilon(Format f) {
        return Math.scalb(1.0, -f.manBits());
    }

    /** True for the round-to-nearest modes (error at most half an ulp, hence at most u|x|). */
    public static boolean toNearest(Rounding r) {
        return r.mode() == Mode.RNE || r.mode() == Mode.RNA;
    }

    /** delta_0: u for round-to-nearest, eps_M = 2u otherwise (SR and directed modes: error below one ulp). */
    public static double delta0(Format f, Rounding r) {
        return toNearest(r) ? unitRoundoff(f) : machineEpsilon(f);
    }

    /** A-priori R = c_ops delta_0^(g) for a normalized (unit-norm) gradient computed in (f, r). */
    public static double aPrioriR(Format g, Rounding r, double cOps) {
        return QuasiConvexBounds.aPrioriR(cOps, delta0(g, r));
    }

    /** A-priori S = delta_0^(w) sup||w'_{k+1}|| for weights stored in (f, r). */
    public static double aPrioriS(Format w, Rounding r, double supWPrime) {
        return QuasiConvexBounds.aPrioriS(delta0(w, r), supWPrime);
    }

    /** SR model bound d sigma_s^2 <= u_w^2 sup||w'||^2 (variance of one SR rounding <= ulp^2/4 <= u^2 x^2). */
    public static double dSigmaS2StochasticBound(Format w, double supWPrime) {
        double u = unitRoundoff(w);
        return u * u * supWPrime * supWPrime;
    }

    /** SR model bound d sigma_r^2 <= c_ops u_g^2 for a unit-norm gradient after c_ops independent SR roundings. */
    public static double dSigmaR2StochasticBound(Format g, double cOps) {
        double u = unitRoundoff(g);
        return cOps * u * u;
    }

    /** ulp(x) in f: 2^(max(floor(log2|x|), emin) - fraction bits) (the subnormal spacing below the normal range). */
    public static double ulp(Format f, double x) {
        int e = x == 0 ? f.emin() : Math.max(Math.getExponent(x), f.emin());
        return Math.scalb(1.0, e - f.manBits());
    }

    /** RN uniform error model: d sigma_s^2 ~ sum_i ulp(w'_i)^2 / 12. */
    public static double dSigmaS2NearestUniform(Format w, double[] wPrime) {
        double s = 0;
        for (double x : wPrime) {
            double q = ulp(w, x);
            s += q * q;
        }
        return s / 12;
    }

    /** Higham's gamma_n = n u / (1 - n u) for a length-n recursive sum in f (round to nearest); +inf if n u >= 1. */
    public static double gammaN(int n, Format acc) {
        double u = unitRoundoff(acc);
        return n * u >= 1 ? Double.POSITIVE_INFINITY : QuasiConvexBounds.gammaN(n, u);
    }
}
