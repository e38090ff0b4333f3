package lowp.bounds;

/**
 * Bound checkers for seed 000 (Cacciola et al., "On the convergence of SGD in low-precision number
 * formats"): Gamma and Theorem 4.1, Theorem 4.2 (finite K; corrected rate c0^2/(2 eta K), printed c0/(2 eta K)
 * kept for comparison), Theorem 4.3 (stochastic), Corollary 4.1.1 (corrected eta_2 = sqrt(S(2c-S)/(1-R^2))),
 * Corollary 4.3.1, Lemma 7.1's closed form, the Hu et al. baseline, and a-priori R, S, sigma's.
 */
public final class QuasiConvexBounds {
    private QuasiConvexBounds() {
    }

    /** Gamma(c) = max{eta/2 [1 + (R+S/eta)^2], eta/2 [1 - (R+S/eta)^2] + c (R+S/eta)}. */
    public static double gamma(double eta, double R, double S, double c) {
        double re = R + S / eta;
        return Math.max(eta / 2 * (1 + re * re), eta / 2 * (1 - re * re) + c * re);
    }

    /** Stochastic radius Gamma_s = eta/2 (1 + d sigma_r^2) + d sigma_s^2 / (2 eta). */
    public static double gammaS(double eta, double dSigmaR2, double dSigmaS2) {
        return eta / 2 * (1 + dSigmaR2) + dSigmaS2 / (2 * eta);
    }

    /**
     * Theorem 4.1: liminf f(w_k) <= f* + L Gamma(c)^p. Preconditions: R < 1 (stated) and R + S/eta < 1 (what
     * the proof uses); flagged vacuous when Gamma(c) >= c (every point of Omega satisfies it).
     */
    public static Check theorem41(double L, double p, double fStar, double eta, double R, double S, double c,
                                  double measured) {
        double g = gamma(eta, R, S, c);
        Check k = new Check("seed000 Theorem 4.1 (deterministic, projected)", fStar + L * Math.pow(g, p), measured)
                .term("Gamma(c)", g).term("R+S/eta", R + S / eta);
        k.require("R < 1", R < 1, String.format("R=%.4g", R));
        k.require("R + S/eta < 1", R + S / eta < 1, String.format("R+S/eta=%.4g", R + S / eta));
        if (g >= c) {
            k.note("vacuous: Gamma(c) >= c (diameter)");
        }
        return k;
    }

    /** Theorem 4.2 (no projection, finite K): min_{k<K} f(w_k) <= f* + L [Gamma(c0) + rate]^p. */
    public static Check theorem42(double L, double p, double fStar, double eta, double R, double S, double c0, long K,
                                  boolean corrected, double measured) {
        double g = gamma(eta, R, S, c0);
        double rate = corrected ? c0 * c0 / (2 * eta * K) : c0 / (2 * eta * K);
        Check k = new Check("seed000 Theorem 4.2 (finite K, " + (corrected ? "corrected c0^2" : "printed c0") + ")",
                fStar + L * Math.pow(g + rate, p), measured).term("Gamma(c0)", g).term("rate", rate);
        k.require("R + S/eta < 1", R + S / eta < 1, String.format("R+S/eta=%.4g", R + S / eta));
        return k;
    }

    /**
     * Theorem 4.3: liminf f(w_k) <= f* + L Gamma_s^p a.s. Its hypothesis (Def. 4.1 / the statement) is i.i.d.
     * zero-mean errors r_k, s_k uncorrelated with g-hat_k: only injected noise meets it by construction
     * ({@code iidErrors} = true). Real rounding errors (deterministic for RN; SR errors scale with |w| and are not
     * identically distributed) get the precondition "i.i.d. zero-mean errors (Def. 4.1)" reported as not met, so a
     * bound computed for them is a heuristic and exceeding it is never counted as a violation of the proven
     * theorem. Also checked from measurements: zero-mean, uncorrelated update errors (|E<s, g-hat>| <= 0.1
     * sqrt(E||s||^2); NaN = not measured) and the iterate not stagnating (fewer than half of the steps frozen).
     */
    public static Check theorem43(double L, double p, double fStar, double eta, double dSigmaR2, double dSigmaS2,
                                  double meanSG, double frozenFraction, boolean iidErrors, double measured) {
        double gs = gammaS(eta, dSigmaR2, dSigmaS2);
        Check k = new Check("seed000 Theorem 4.3 (stochastic)", fStar + L * Math.pow(gs, p), measured)
                .term("Gamma_s", gs).term("d sigma_r^2", dSigmaR2).term("d sigma_s^2", dSigmaS2);
        k.require(IID_PRECONDITION, iidErrors, iidErrors ? "injected i.i.d. noise"
                : "real rounding errors: not i.i.d. (the bound is a heuristic here, not a proven statement)");
        double scale = Math.sqrt(Math.max(dSigmaS2, 0));
        boolean uncorrelated = Double.isNaN(meanSG) || Math.abs(meanSG) <= 0.1 * scale;
        k.require("E<s_k, g_k> = 0 (zero-mean, uncorrelated update error)", uncorrelated,
                String.format("mean <s,g>=%.4g vs sqrt(d sigma_s^2)=%.4g", meanSG, scale));
        k.require("iterate not frozen (RN stagnation)", !(frozenFraction >= 0.5),
                String.format("frozen fraction of steps=%.3f", frozenFraction));
        return k;
    }

    /** Name of Theorem 4.3's i.i.d.-error precondition (Def. 4.1). */
    public static final String IID_PRECONDITION = "i.i.d. zero-mean errors (Def. 4.1)";

    /** True if every precondition of the check other than the i.i.d. one holds (the measured conditions). */
    public static boolean measuredConditionsMet(Check k) {
        return k.preconditions.stream().filter(pc -> !pc.name().equals(IID_PRECONDITION)).allMatch(Check.Precondition::met);
    }

    /** Corollary 4.1.1 candidates and the optimal eta. */
    public record Cor411(double eta1, double eta2, double eta2Paper, double eta3, double etaOpt, double gammaOpt,
                         double etaNumeric, double gammaNumeric, double gammaAtPaperEta2) {
    }

    public static Cor411 corollary411(double R, double S, double c) {
        double e1 = S / Math.sqrt(1 + R * R);
        double e2 = Math.sqrt(S * (2 * c - S) / (1 - R * R));
        double e2p = Math.sqrt(S * (c - 2 * S) / (1 - R * R));
        double e3 = (c - S) / R;
        double opt = e2 < e3 ? e2 : (e1 > e3 ? e1 : e3);
        // numeric argmin of the convex G(eta) by golden section on log(eta)
        double lo = Math.log(1e-9);
        double hi = Math.log(Math.max(10 * e3, 10));
        double gr = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < 300; i++) {
            double a = hi - gr * (hi - lo);
            double b = lo + gr * (hi - lo);
            if (gAB(Math.exp(a), R, S, c) < gAB(Math.exp(b), R, S, c)) {
                hi = b;
            } else {
                lo = a;
            }
        }
        double en = Math.exp(0.5 * (lo + hi));
        return new Cor411(e1, e2, e2p, e3, opt, gAB(opt, R, S, c), en, gAB(en, R, S, c), gAB(e2p, R, S, c));
    }

    /** The proof's G(eta) = max(A, B) (equals Gamma with the products expanded). */
    public static double gAB(double eta, double R, double S, double c) {
        double a = eta / 2 * (1 + R * R) + S * S / (2 * eta) + S * R;
        double b = eta / 2 * (1 - R * R) - S * S / (2 * eta) - R * S + R * c + S * c / eta;
        return Math.max(a, b);
    }

    /** Corollary 4.3.1: {eta* = sqrt(d sigma_s^2/(d sigma_r^2 + 1)), Gamma_s(eta*) = sqrt(d sigma_s^2 (1 + d sigma_r^2))}. */
    public static double[] corollary431(double dSigmaR2, double dSigmaS2) {
        return new double[] {Math.sqrt(dSigmaS2 / (dSigmaR2 + 1)), Math.sqrt(dSigmaS2 * (1 + dSigmaR2))};
    }

    /** Lemma 7.1 closed form: max{eta(1+R^2) + 2R sqrt(eta^2 + C^2 - 2 eta B) - 2B, eta(R^2 - 1)}. */
    public static double lemma71(double eta, double R, double B, double C) {
        return Math.max(eta * (1 + R * R) + 2 * R * Math.sqrt(eta * eta + C * C - 2 * eta * B) - 2 * B,
                eta * (R * R - 1));
    }

    /** Hu et al. (2015) baseline radius R c + eta/2 (1+R)^2 (S = 0), always >= Gamma(c). */
    public static double huBaseline(double eta, double R, double c) {
        return R * c + eta / 2 * (1 + R) * (1 + R);
    }

    /** Injected uniform noise U(-B,B)^d: {worst-case norm B sqrt(d), d sigma^2 = d B^2/3}. */
    public static double[] injected(double B, int d) {
        return new double[] {B * Math.sqrt(d), d * B * B / 3};
    }

    /** A-priori R = c_ops * delta0_g (normalized gradient, unit norm). */
    public static double aPrioriR(double cOps, double delta0g) {
        return cOps * delta0g;
    }

    /** A-priori S = delta0_w * sup ||w'||. */
    public static double aPrioriS(double delta0w, double supW) {
        return delta0w * supW;
    }

    /** gamma_n = n u / (1 - n u) (Higham's recursive-summation constant). */
    public static double gammaN(int n, double u) {
        return n * u / (1 - n * u);
    }
}
