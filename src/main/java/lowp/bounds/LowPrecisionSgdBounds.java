package lowp.bounds;

import lowp.optim.Quantizer.VarianceParams;

/**
 * Bound checkers for seed 002 (Li & De Sa, "Dimension-free bounds for low-precision training"):
 * Theorems 1–4, the prior bound (1), Lemma 2 parameters, Theorems 5–7 (Theorem 6 both as printed and in
 * the corrected W_{-1} form) and the Table 1 / Appendix B bits-needed formulas (explicit forms of the
 * extraction §3.10). Each theorem returns a {@link Check}: bound, terms, preconditions (stated and
 * proof-consistent), measured value.
 */
public final class LowPrecisionSgdBounds {
    private LowPrecisionSgdBounds() {
    }

    /** Theorem 1 (linear quantization, convex); T = Long.MAX_VALUE or dist0 = 0 gives the T -> infinity ball. */
    public static Check theorem1(ProblemConstants c, double alpha, double T, double dist0, double delta,
                                 double measured) {
        double init = Double.isInfinite(T) ? 0 : dist0 * dist0 / (2 * alpha * T);
        double sgd = alpha * c.sigma() * c.sigma() / 2;
        double quant = delta * c.sigma1() / 2;
        double l1 = delta * delta * c.L1() * c.L1() / (4 * c.mu());
        Check k = new Check("seed002 Theorem 1 (linear LP-SGD, convex)", init + sgd + quant + l1, measured)
                .term("init", init).term("alpha*sigma^2/2", sgd).term("delta*sigma1/2", quant)
                .term("delta^2*L1^2/(4mu)", l1);
        double lim = c.mu() / (2 * c.L() * c.L());
        k.require("alpha < mu/(2L^2)", alpha < lim, String.format("alpha=%.4g, mu/(2L^2)=%.4g", alpha, lim));
        return k;
    }

    /** Prior dimension-dependent bound (1) of Li et al.: (1+log(T+1)) smax^2/(2 mu T) + smax delta sqrt(d)/2. */
    public static double priorBound(double T, double mu, double sigmaMax, double delta, int d) {
        double first = Double.isInfinite(T) ? 0 : (1 + Math.log(T + 1)) * sigmaMax * sigmaMax / (2 * mu * T);
        return first + sigmaMax * delta * Math.sqrt(d) / 2;
    }

    /** Theorem 2 (linear, non-convex): E||grad f(w-bar)||^2 bound. */
    public static Check theorem2(double alpha, double T, double f0gap, double sigma0sq, double sigma1, double delta,
                                 double L, double measured) {
        double init = Double.isInfinite(T) ? 0 : 2 / (2 * alpha - alpha * alpha * L) * f0gap / T;
        double ball = (alpha * sigma0sq * L + L * delta * sigma1) / (2 - alpha * L);
        Check k = new Check("seed002 Theorem 2 (linear LP-SGD, non-convex)", init + ball, measured)
                .term("init", init).term("noise ball", ball);
        k.require("alpha < 2/L", alpha < 2 / L, String.format("alpha=%.4g, 2/L=%.4g", alpha, 2 / L));
        return k;
    }

    /** Theorem 3 (NLQ / FP, convex). Reports the stated zeta < mu/L and the proof's zeta L + (1+eta) alpha L^2 <= mu/2. */
    public static Check theorem3(ProblemConstants c, double alpha, double T, double dist0, VarianceParams q,
                                 double measured) {
        double init = Double.isInfinite(T) ? 0 : dist0 * dist0 / (2 * alpha * T);
        double a = ((1 + q.eta()) * alpha * c.sigma() * c.sigma() + q.delta() * c.sigma1()
                + q.zeta() * c.sigma() * c.wStarNorm()) / 2;
        double b = q.delta() * c.L1() + q.zeta() * c.L() * c.wStarNorm() + q.zeta() * c.sigma();
        double bb = b * b / (4 * c.mu());
        Check k = new Check("seed002 Theorem 3 (NLQ/FP LP-SGD, convex)", init + a + bb, measured)
                .term("init", init).term("A/2", a).term("B^2/(4mu)", bb);
        k.require("zeta < mu/L (stated)", q.zeta() < c.mu() / c.L(),
                String.format("zeta=%.4g, mu/L=%.4g", q.zeta(), c.mu() / c.L()));
        double lhs = q.zeta() * c.L() + (1 + q.eta()) * alpha * c.L() * c.L();
        k.require("zeta L + (1+eta) alpha L^2 <= mu/2 (proof)", lhs <= c.mu() / 2,
                String.format("lhs=%.4g, mu/2=%.4g", lhs, c.mu() / 2));
        return k;
    }

    /** Asymptotic (T -> inf, alpha -> 0) Theorem 3 ball: A/2 + B^2/(4 mu). */
    public static double theorem3Ball(ProblemConstants c, VarianceParams q) {
        double a = (q.delta() * c.sigma1() + q.zeta() * c.sigma() * c.wStarNorm()) / 2;
        double b = q.delta() * c.L1() + q.zeta() * c.L() * c.wStarNorm() + q.zeta() * c.sigma();
        return a + b * b / (4 * c.mu());
    }

    /** Theorem 4 (NLQ / FP, non-convex). */
    public static Check theorem4(double alpha, double T, double f0gap, double sigma0sq, double sigma1, VarianceParams q,
                                 double L, double R0, double measured) {
        double init = Double.isInfinite(T) ? 0 : 2 * f0gap / (alpha * T);
        double sgd = alpha * sigma0sq * L;
        double quant = L * q.delta() * sigma1;
        double zr = 0.5 * Math.pow(L * q.zeta() * R0, 2);
        Check k = new Check("seed002 Theorem 4 (NLQ/FP LP-SGD, non-convex)", init + sgd + quant + zr, measured)
                .term("init", init).term("alpha sigma0^2 L", sgd).term("L delta sigma1", quant)
                .term("(L zeta R0)^2/2", zr);
        double lim = 1 / (2 * (q.eta() + 1) * L);
        k.require("alpha < 1/(2(1+eta)L)", alpha < lim, String.format("alpha=%.4g, limit=%.4g", alpha, lim));
        return k;
    }

    /**
     * Theorem 4's general free-C form (extraction seed002.md §3.6, the proof's Young's inequality with a free C > 0):
     * E||grad f(w-bar_T)||^2 <= 2/(2a - (eta'+C)a^2 L) (f0-f*)/T + (a s0^2 L + L delta s1)/(2 - (eta'+C) a L)
     * + L (zeta R0)^2 / (4C (2a - (eta'+C) a^2 L)), with eta' = 1 + eta (extraction line 427, "The appendix writes
     * eta' = 1 + eta in place of (1 + eta)"; at C = 1/(aL) - eta' this gives the proof's 1 - (eta+1) a L, line 460).
     * Valid for C > 0 and 2 - (eta'+C) a L > 0 (then both denominators are positive, a > 0); otherwise the
     * precondition is reported violated and the bound is +infinity (no bound), the formula's value kept as a term.
     * T = infinity drops the (f0-f*)/T term.
     */
    public static Check theorem4FreeC(double alpha, double T, double f0gap, double sigma0sq, double sigma1,
                                      VarianceParams q, double L, double R0, double C, double measured) {
        double etaP = 1 + q.eta();
        double den2 = 2 - (etaP + C) * alpha * L; // 2 - (eta'+C) a L
        double den1 = alpha * den2;                // 2a - (eta'+C) a^2 L
        double init = Double.isInfinite(T) ? 0 : 2 / den1 * f0gap / T;
        double noise = (alpha * sigma0sq * L + L * q.delta() * sigma1) / den2;
        double zr = L * Math.pow(q.zeta() * R0, 2) / (4 * C * den1);
        double value = init + noise + zr;
        boolean ok = alpha > 0 && C > 0 && den2 > 0;
        Check k = new Check("seed002 Theorem 4, free-C form (NLQ/FP LP-SGD, non-convex)",
                ok ? value : Double.POSITIVE_INFINITY, measured)
                .term("C", C).term("eta'", etaP).term("init", init).term("noise ball", noise)
                .term("zeta R0 term", zr).term("formula value", value);
        k.require("alpha > 0", alpha > 0, String.format("alpha=%.4g", alpha));
        k.require("C > 0", C > 0, String.format("C=%.6g", C));
        k.require("2 - (eta'+C) alpha L > 0 (positive denominators)", den2 > 0,
                String.format("2 - (eta'+C) alpha L = %.6g (C=%.6g, eta'=%.6g, alpha L=%.6g)", den2, C, etaP, alpha * L));
        if (!ok) {
            k.note("free-C form not valid at this C: bound reported as +infinity");
        }
        return k;
    }

    /**
     * Theorem 4's free-C form minimised over C > 0 (extraction §3.6: "a checker can minimize this general form over
     * C > 0 numerically"). Writing A = 2 - eta' a L, B = a L, K = 2(f0-f*)/(aT) + a s0^2 L + L delta s1 and
     * M = L (zeta R0)^2/(4a), the form is f(C) = K/(A - BC) + M/(C (A - BC)) on the valid interval 0 < C < A/B.
     * Both summands are convex there (1/(A-BC) is convex increasing; C(A-BC) is concave and positive, so its
     * reciprocal is convex), hence f is convex, so unimodal; unimodality survives the monotone change of variable
     * u = ln C used by the golden-section search. f'(C) has the sign of K B C^2 + 2 M B C - M A, whose positive
     * root is C* = (-MB + sqrt((MB)^2 + ABKM))/(KB) (the extraction's x with C1 = K, C2 = M; erratum 8: the paper
     * writes (a s0 + delta s1) for a s0^2 L + delta s1 L, and its C1 omits the finite-T term 2(f0-f*)/(aT)); at
     * A/(2B) the sign is that of K A^2/(4B) >= 0, so C* lies in (0, A/(2B)], the search interval's upper end.
     * Reported terms: the numerical argmin, C* (exact stationary point), the closed-form approximation
     * A/(2B) = 1/(aL) - eta'/2 (the K -> 0 limit of C*), and the proof's choice 1/(aL) - eta'.
     * With M = 0 (zeta = 0 or R0 = 0) the infimum K/A is approached as C -> 0+ and is returned as the bound.
     */
    public static Check theorem4BestC(double alpha, double T, double f0gap, double sigma0sq, double sigma1,
                                      VarianceParams q, double L, double R0, double measured) {
        double etaP = 1 + q.eta();
        double A = 2 - etaP * alpha * L;
        double B = alpha * L;
        double cApprox = A / (2 * B); // = 1/(alpha L) - eta'/2
        double cProof = 1 / (alpha * L) - etaP;
        String name = "seed002 Theorem 4, free-C form minimised over C (NLQ/FP LP-SGD, non-convex)";
        if (!(alpha > 0 && L > 0 && A > 0)) {
            Check k = new Check(name, Double.POSITIVE_INFINITY, measured).term("C approx A/(2B)", cApprox);
            k.require("eta' alpha L < 2 (some C > 0 valid)", false,
                    String.format("eta' alpha L = %.6g", etaP * alpha * L));
            return k;
        }
        double K = (Double.isInfinite(T) ? 0 : 2 * f0gap / (alpha * T)) + alpha * sigma0sq * L + L * q.delta() * sigma1;
        double M = L * Math.pow(q.zeta() * R0, 2) / (4 * alpha);
        double cStar = K > 0 ? (-M * B + Math.sqrt(M * B * M * B + A * B * K * M)) / (K * B) : cApprox;
        Check best;
        double cBest;
        if (M == 0) {
            cBest = 0;
            best = new Check(name, K / A, measured).term("init", Double.isInfinite(T) ? 0 : 2 * f0gap / (alpha * T) / A)
                    .term("noise ball", (alpha * sigma0sq * L + L * q.delta() * sigma1) / A).term("zeta R0 term", 0);
            best.note("zeta R0 = 0: infimum K/A approached as C -> 0+");
        } else {
            double lo = Math.log(cApprox * 1e-16);
            double hi = Math.log(cApprox);
            double g = (Math.sqrt(5) - 1) / 2;
            double x1 = hi - g * (hi - lo);
            double x2 = lo + g * (hi - lo);
            double f1 = freeC(alpha, T, f0gap, sigma0sq, sigma1, q, L, R0, Math.exp(x1));
            double f2 = freeC(alpha, T, f0gap, sigma0sq, sigma1, q, L, R0, Math.exp(x2));
            for (int i = 0; i < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(hi)); i++) {
                if (f1 <= f2) {
                    hi = x2;
                    x2 = x1;
                    f2 = f1;
                    x1 = hi - g * (hi - lo);
                    f1 = freeC(alpha, T, f0gap, sigma0sq, sigma1, q, L, R0, Math.exp(x1));
                } else {
                    lo = x1;
                    x1 = x2;
                    f1 = f2;
                    x2 = lo + g * (hi - lo);
                    f2 = freeC(alpha, T, f0gap, sigma0sq, sigma1, q, L, R0, Math.exp(x2));
                }
            }
            cBest = f1 <= f2 ? Math.exp(x1) : Math.exp(x2);
            Check at = theorem4FreeC(alpha, T, f0gap, sigma0sq, sigma1, q, L, R0, cBest, measured);
            best = new Check(name, at.bound, measured).term("init", at.terms.get("init"))
                    .term("noise ball", at.terms.get("noise ball")).term("zeta R0 term", at.terms.get("zeta R0 term"));
        }
        best.term("C (numerical argmin)", cBest).term("C* exact stationary point", cStar)
                .term("C approx A/(2B) = 1/(alpha L) - eta'/2", cApprox).term("C proof = 1/(alpha L) - eta'", cProof)
                .term("eta'", etaP);
        best.require("eta' alpha L < 2 (some C > 0 valid)", true, String.format("eta' alpha L = %.6g", etaP * alpha * L));
        return best;
    }

    private static double freeC(double alpha, double T, double f0gap, double sigma0sq, double sigma1,
                                VarianceParams q, double L, double R0, double C) {
        return theorem4FreeC(alpha, T, f0gap, sigma0sq, sigma1, q, L, R0, C, Double.NaN).bound;
    }

    /** Lemma 2: (delta, zeta, eta) of normal / paper-denormal FPQ with scale s. */
    public static VarianceParams lemma2(int be, int bm, double s, boolean denormal) {
        double zeta = Math.scalb(1.0, -bm);
        double delta = denormal ? 8 * s / Math.pow(2, Math.pow(2, be - 1) + bm) : 4 * s / Math.pow(2, Math.pow(2, be - 1));
        return VarianceParams.of(delta, zeta);
    }

    /** Theorem 5: the interval [lo, hi] (sorted) containing the optimal b_e for normal FPQ, convex. */
    public static double[] theorem5Interval(int b, double s, ProblemConstants c) {
        double x1 = Math.log(2 * Math.log(2) * s * c.sigma1() / (c.sigma() * c.wStarNorm())) / Math.log(2);
        double x2 = Math.log(2 * Math.log(2) * s * c.L1() / (c.L() * c.wStarNorm() + c.sigma())) / Math.log(2);
        double e1 = log2(2 * x1 + 2 * b);
        double e2 = log2(2 * x2 + 2 * b);
        return new double[] {Math.min(e1, e2), Math.max(e1, e2)};
    }

    /** Theorem 6 as printed: n_e = 1 - (2/ln2) W0(e sigma ||w*|| / (8 s sigma1)) (wrong; kept for comparison). */
    public static double theorem6PrintedNe(double sigma, double sigma1, double wNorm, double s) {
        return 1 - 2 / Math.log(2) * LambertW.w0(Math.E * sigma * wNorm / (8 * s * sigma1));
    }

    /**
     * Theorem 6 corrected: roots of dA/dn_e = 0 are n_e = (2/ln2)(1 - W(-e sigma ||w*||/(8 s sigma1))); returns
     * {n_e from W0 (local max), n_e from W_{-1} (local min)}, or null when the argument is below -1/e (no
     * root: the paper's rule then picks b_e = 2).
     */
    public static double[] theorem6CorrectedNe(double sigma, double sigma1, double wNorm, double s) {
        double arg = Math.E * sigma * wNorm / (8 * s * sigma1);
        if (arg > Math.exp(-1)) {
            return null;
        }
        double k = 2 / Math.log(2);
        return new double[] {k * (1 - LambertW.w0(-arg)), k * (1 - LambertW.wm1(-arg))};
    }

    /** Theorem 6 corrected b_e (log2 of the W_{-1} root), or 2 when no root exists. */
    public static double theorem6CorrectedBe(double sigma, double sigma1, double wNorm, double s) {
        double[] r = theorem6CorrectedNe(sigma, sigma1, wNorm, s);
        return r == null ? 2 : log2(r[1]);
    }

    /** Theorem 7 (normal FPQ, non-convex): n_e = (2/ln2) W0((ln2)^2 s sigma1 2^(2b) / (L R0^2)). Returns {n_e, b_e}. */
    public static double[] theorem7(int b, double s, double sigma1, double L, double R0) {
        double ln2 = Math.log(2);
        double ne = 2 / ln2 * LambertW.w0(ln2 * ln2 * s * sigma1 * Math.pow(2, 2.0 * b) / (L * R0 * R0));
        return new double[] {ne, log2(ne)};
    }

    /** Theorem 4's asymptotic ball for normal FPQ as a function of continuous n_e (for numerical minimization). */
    public static double theorem7Objective(double ne, int b, double s, double sigma1, double L, double R0) {
        double C = Math.pow(2, b);
        return 4 * s * L * sigma1 / Math.pow(Math.sqrt(2), ne) + L * L * R0 * R0 * ne * ne / (2 * C * C);
    }

    /** Integer b_e in [2, b-1] minimizing the asymptotic Theorem 3 ball with the exact Lemma 2 parameters. */
    public static int bestExponentTheorem3(int b, double s, ProblemConstants c, boolean denormal) {
        int best = 2;
        double bv = Double.POSITIVE_INFINITY;
        for (int be = 2; be <= b - 1; be++) {
            double v = theorem3Ball(c, lemma2(be, b - be, s, denormal));
            if (v < bv) {
                bv = v;
                best = be;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- bits needed (Table 1 / Appendix B)

    /** Table 1 row values (big-O arguments, log2 of them, constants dropped). */
    public static java.util.Map<String, Double> table1(double R, double eps, ProblemConstants c, double sigmaMax,
                                                      double L) {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("prior convex log2(R smax sqrt(d)/eps)", log2(R * sigmaMax * Math.sqrt(c.d()) / eps));
        m.put("dimension-free convex log2(R sigma1/eps)", log2(R * c.sigma1() / eps));
        m.put("dimension-free non-convex log2(L R sigma1/eps)", log2(L * R * c.sigma1() / eps));
        m.put("log-quant convex log2(R sigma/eps log(1+sigma1/sigma))",
                log2(R * c.sigma() / eps * Math.log(1 + c.sigma1() / c.sigma())));
        m.put("log-quant non-convex log2(L R/sqrt(eps) log(1+sigma1/sqrt(eps)))",
                log2(L * R / Math.sqrt(eps) * Math.log(1 + c.sigma1() / Math.sqrt(eps))));
        return m;
    }

    /** Explicit Theorem 1 bits: delta_max from delta sigma1/2 + delta^2 L1^2/(4mu) = eps, b = 1 + ceil(log2(R/delta + 1)). */
    public static int bitsTheorem1(double eps, double R, ProblemConstants c) {
        double dmax = 2 * c.mu() / (c.L1() * c.L1())
                * (-c.sigma1() / 2 + Math.sqrt(c.sigma1() * c.sigma1() / 4 + eps * c.L1() * c.L1() / c.mu()));
        return bitsForDelta(R, dmax);
    }

    /** Explicit prior-bound bits: delta_max = 2 eps / (smax sqrt d). */
    public static int bitsPrior(double eps, double R, double sigmaMax, int d) {
        return bitsForDelta(R, 2 * eps / (sigmaMax * Math.sqrt(d)));
    }

    /** Explicit Theorem 2 bits: delta_max = 2 eps / (L sigma1). */
    public static int bitsTheorem2(double eps, double R, double L, double sigma1) {
        return bitsForDelta(R, 2 * eps / (L * sigma1));
    }

    static int bitsForDelta(double R, double delta) {
        return 1 + (int) Math.ceil(log2(R / delta + 1));
    }

    /**
     * Explicit log-quantization bits (Theorem 3, alpha -> 0): smallest b whose minimum over zeta (subject to
     * zeta L <= mu/2) of the asymptotic ball with delta = zeta R/((1+zeta)^(2^(b-1)-1) - 1) is <= eps; -1 if none <= 62.
     */
    public static int bitsLogTheorem3(double eps, double R, ProblemConstants c) {
        for (int b = 2; b <= 62; b++) {
            double n = Math.pow(2, b - 1) - 1;
            double best = Double.POSITIVE_INFINITY;
            double zmax = c.mu() / (2 * c.L());
            for (int i = 0; i <= 400; i++) {
                double zeta = zmax * Math.pow(10, -12.0 * i / 400);
                double delta = zeta * R / Math.expm1(n * Math.log1p(zeta));
                if (!(delta > 0) || Double.isInfinite(delta)) {
                    continue;
                }
                best = Math.min(best, theorem3Ball(c, VarianceParams.of(delta, zeta)));
            }
            if (best <= eps) {
                return b;
            }
        }
        return -1;
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    // ---- one-step lemmas and gradient-moment facts (checks C15-C18 of the extraction) ----

    private static void requireOnGrid(Check k, String what, lowp.optim.Quantizer q, double[] x) {
        int off = -1;
        for (int i = 0; i < x.length && off < 0; i++) {
            if (q.apply(x[i], i) != x[i]) { // a point of D is a fixed point of Q under every rounding rule
                off = i;
            }
        }
        k.require(what, off < 0, off < 0 ? "" : String.format("coordinate %d = %.17g is not a point of %s", off,
                x[off], q.name()));
    }

    private static void requireInRange(Check k, lowp.optim.Quantizer q, double[] wStar) {
        // saturation is deterministic: Q(+-huge) are the range's end points (fixed point is asymmetric)
        double max = q.apply(Double.MAX_VALUE, 0);
        double min = q.apply(-Double.MAX_VALUE, 0);
        int off = -1;
        for (int i = 0; i < wStar.length && off < 0; i++) {
            if (!(wStar[i] > min && wStar[i] < max)) {
                off = i;
            }
        }
        k.require("w* inside the representable range (implicit)", off < 0, off < 0 ? ""
                : String.format("w*_%d = %.6g not inside (%.6g, %.6g)", off, wStar[off], min, max));
    }

    /**
     * Lemma 3 (C15): for w on the grid dom(delta, b)^d, E||Q(w+v) - w*||^2 <= ||w+v-w*||^2 + delta ||v||_1.
     * Preconditions: w in D^d (Q(w) = w) and the implicit w* strictly inside the range [-max, max] (clamping then
     * only moves points towards w*).
     */
    public static Check lemma3(lowp.optim.Quantizer q, double delta, double[] w, double[] v, double[] wStar,
                               double measured) {
        double dist = 0;
        double v1 = 0;
        for (int i = 0; i < w.length; i++) {
            double e = w[i] + v[i] - wStar[i];
            dist += e * e;
            v1 += Math.abs(v[i]);
        }
        Check k = new Check("seed002 Lemma 3 (linear quantization, one step)", dist + delta * v1, measured)
                .term("||w+v-w*||^2", dist).term("delta*||v||_1", delta * v1);
        requireOnGrid(k, "w in dom(delta,b)^d", q, w);
        requireInRange(k, q, wStar);
        return k;
    }

    /**
     * Lemma 5 (C16): for any w and v in D^d, E||Q(w) - w*||^2 <= ||w-w*||^2 + delta||w-v||_1
     * + zeta||v||_2||w-v||_2 + eta||w-v||_2^2 with the Definition-1 parameters p of Q. Preconditions: v in D^d,
     * w* strictly inside the range.
     */
    public static Check lemma5(lowp.optim.Quantizer q, VarianceParams p, double[] w, double[] v, double[] wStar,
                               double measured) {
        double dist = 0;
        double l1 = 0;
        double l2 = 0;
        double vn = 0;
        for (int i = 0; i < w.length; i++) {
            double e = w[i] - wStar[i];
            dist += e * e;
            double u = w[i] - v[i];
            l1 += Math.abs(u);
            l2 += u * u;
            vn += v[i] * v[i];
        }
        double t1 = p.delta() * l1;
        double t2 = p.zeta() * Math.sqrt(vn) * Math.sqrt(l2);
        double t3 = p.eta() * l2;
        Check k = new Check("seed002 Lemma 5 (NLQ/log/FP quantization, one step)", dist + t1 + t2 + t3, measured)
                .term("||w-w*||^2", dist).term("delta*||w-v||_1", t1).term("zeta*||v||*||w-v||", t2)
                .term("eta*||w-v||^2", t3);
        requireOnGrid(k, "v in D^d", q, v);
        requireInRange(k, q, wStar);
        return k;
    }

    /**
     * Lemma 4 (Johnson and Zhang eq. 8; C17): E_i||grad f_i(w) - grad f_i(w*)||^2 <= 2L (f(w) - f(w*)), with L of
     * Assumption 1 (per-sample smoothness). The proof needs every f_i convex (extraction §3.2), so that is its
     * precondition; the lemma is stated but not used by the paper's proofs.
     */
    public static Check lemma4(double L, double fGap, boolean eachConvex, double measured) {
        Check k = new Check("seed002 Lemma 4 (gradient-difference variance)", 2 * L * fGap, measured)
                .term("f(w)-f*", fGap);
        k.require("each f_i convex", eachConvex, eachConvex ? "" : "a non-convex f_i: g_i need not be minimal at w*");
        return k;
    }

    /**
     * Second-moment fact used in the proofs of Theorems 1 and 3 (C18), at distance dist = ||w - w*||_2. What
     * follows from Assumptions 1 and 4 is Minkowski's sqrt(E||grad f_i(w)||^2) <= L dist + sigma, i.e. the bound
     * (L dist + sigma)^2, which is what this check uses. The extraction's form L^2 dist^2 + sigma^2 drops the cross
     * term 2 E[(grad f_i(w) - grad f_i(w*))^T grad f_i(w*)], which vanishes only when the per-sample noise is
     * uncorrelated with the design (as in the synthetic generator); on a finite data set it can fail (the test
     * LemmasTest shows a two-sample counterexample). It is reported as the term "paper form".
     */
    public static Check gradientSecondMoment(ProblemConstants c, double dist, double measured) {
        double b = c.L() * dist + c.sigma();
        return new Check("seed002 E||grad f_i(w)||^2 <= (L||w-w*|| + sigma)^2", b * b, measured)
                .term("paper form L^2||w-w*||^2+sigma^2", c.L() * c.L() * dist * dist + c.sigma() * c.sigma());
    }

    /** l1 moment fact (C18): E||grad f_i(w)||_1 <= L1 ||w - w*||_2 + sigma1 (triangle inequality + Assumptions 2, 4). */
    public static Check gradientL1Moment(ProblemConstants c, double dist, double measured) {
        return new Check("seed002 E||grad f_i(w)||_1 <= L1||w-w*|| + sigma1", c.L1() * dist + c.sigma1(), measured);
    }

    // ---- implicit preconditions of Theorems 1-4 (extraction §3.3-3.6), added to a theorem's Check ----

    /**
     * Theorems 1 and 3 (through Lemmas 3 and 5): w0 in D^d (Q(w0) = w0) and w* strictly inside the representable
     * range. Adds both to k and returns it.
     */
    public static Check requireGridStart(Check k, lowp.optim.Quantizer q, double[] w0, double[] wStar) {
        requireOnGrid(k, "w0 in D^d (implicit)", q, w0);
        requireInRange(k, q, wStar);
        return k;
    }

    /**
     * Theorems 2 and 4: no saturation (the proofs use E[Q(u)] = u), given the number of quantizations of the run
     * whose input lay outside [min, max] of the format.
     */
    public static Check requireNoSaturation(Check k, long saturatedQuantizations) {
        return k.require("no saturation (implicit: E[Q(u)] = u)", saturatedQuantizations == 0,
                saturatedQuantizations == 0 ? "" : saturatedQuantizations + " quantizations saturated");
    }

    /**
     * Theorem 4, Assumption 6: ||w_t||_2 <= R0 for every t, compared with the largest iterate norm measured over the
     * run (the theorem assumes it for all iterates, so the maximum is the quantity to compare).
     */
    public static Check requireBoundedIterates(Check k, double R0, double maxMeasuredNorm) {
        return k.require("||w_t|| <= R0 for all t (Assumption 6)", maxMeasuredNorm <= R0,
                String.format("max_t ||w_t|| = %.6g, R0 = %.6g", maxMeasuredNorm, R0));
    }

    /** Count of values of u outside the range of q (those Q saturates), for {@link #requireNoSaturation}. */
    public static long saturated(lowp.optim.Quantizer q, double[] u) {
        double max = q.apply(Double.MAX_VALUE, 0);
        double min = q.apply(-Double.MAX_VALUE, 0);
        long n = 0;
        for (double x : u) {
            n += x > max || x < min ? 1 : 0;
        }
        return n;
    }
}
