package lowp.experiments;

import lowp.bounds.Check;
import lowp.bounds.QuasiConvexBounds;
import lowp.bounds.RoundoffConstants;
import lowp.optim.Metrics;
import lowp.optim.NormalizedGd;
import lowp.optim.Policy;
import lowp.optim.PowerNorm;
import lowp.optim.Prec;

/**
 * Seed 000 §4.7(b), check C20 and C18 with real rounding: f = 3||w||^0.2 in R^40, normalized GD in bf16
 * (gradient direction, norm accumulated in fp32, weights in bf16). With round-to-nearest weight updates and
 * eta = 0.001 from ||w0|| ~ 6 every update is below half an ulp: the iterate freezes (s_k = eta g-hat_k,
 * perfectly correlated), Theorem 4.3 is flagged inapplicable and its formula is exceeded, Theorem 4.1 is
 * vacuous (R + S/eta >= 1). The same run with stochastic rounding converges and satisfies Theorem 4.3.
 * Update precision: bf16 weights inject orders of magnitude more d sigma_s^2 than fp32 weights (C18).
 */
public final class StagnationExperiment implements Experiment {
    @Override
    public String name() {
        return "seed000-stagnation";
    }

    @Override
    public String description() {
        return "bf16 normalized GD on 3||w||^0.2: round-to-nearest update freezes, stochastic rounding converges";
    }

    @Override
    public String formatOption() {
        return "weight and update format (default bf16)";
    }

    @Override
    public String roundingOption() {
        return null;
    }

    @Override
    public Outcome run(Options o) {
        Outcome out = new Outcome(name());
        String wf = o.format == null ? "bf16" : o.format;
        PowerNorm f = new PowerNorm(3, 0.2, 40);
        int K = o.full ? 12_000 : 9_000;
        double eta = 0.001;
        double[] w0 = PowerNormExperiment.start(6, o.seed);
        Prec.of(wf, "rne", 0, 0).roundAll(w0);
        Metrics cmp = new Metrics("k", "f_rne", "f_sr");
        NormalizedGd.Result[] res = new NormalizedGd.Result[2];
        String[] modes = {"rne", "sr"};
        for (int i = 0; i < 2; i++) {
            Policy pol = Policy.parse("w=" + wf + "/" + modes[i] + ",u=" + wf + "/" + modes[i] + ",g=bf16/rne,acc=fp32/rne,out=fp32",
                    o.seed);
            res[i] = NormalizedGd.run(f, w0, new NormalizedGd.Config().eta(eta).iterations(K).rounding(pol)
                    .seed(o.seed).tailFrom(K / 2).metrics(true));
            out.tables.put("ngd_" + modes[i] + "_steps", res[i].metrics);
        }
        for (int k = 0; k <= K; k += 10) {
            cmp.add(k, res[0].f[k], res[1].f[k]);
        }
        out.tables.put("rne_vs_sr", cmp);
        NormalizedGd.Result rn = res[0];
        NormalizedGd.Result sr = res[1];
        Check t43rn = QuasiConvexBounds.theorem43(3, 0.2, 0, eta, rn.rMeanSq, rn.sMeanSq, rn.meanSG, rn.frozenSteps / (double) K,
                false, rn.minFTail);
        Check t41rn = QuasiConvexBounds.theorem41(3, 0.2, 0, eta, rn.rMax, rn.sMax, 6, rn.minFTail);
        Check t43sr = QuasiConvexBounds.theorem43(3, 0.2, 0, eta, sr.rMeanSq, sr.sMeanSq, sr.meanSG, sr.frozenSteps / (double) K,
                false, sr.minFTail);
        out.checks.add(t43rn);
        out.checks.add(t41rn);
        out.checks.add(t43sr);
        out.line("%s/rne: f(w0)=%.4f f(w_K)=%.4f frozen steps %d/%d, R^=%.4g S^=%.4g (S/eta=%.3g), d sigma_s^2=%.3g, <s,g>=%.3g",
                wf, rn.f[0], rn.f[K], rn.frozenSteps, K, rn.rMax, rn.sMax, rn.sMax / eta, rn.sMeanSq, rn.meanSG);
        out.line("%s/sr : f(w0)=%.4f f(w_K)=%.4f tail mean f=%.4f, min tail f=%.4f, d sigma_r^2=%.3g d sigma_s^2=%.3g",
                wf, sr.f[0], sr.f[K], sr.tailMeanF, sr.minFTail, sr.rMeanSq, sr.sMeanSq);
        out.value("f_rne_final", rn.f[K]);
        out.value("f_sr_final", sr.f[K]);
        out.claim(String.format("round-to-nearest %s update freezes: w_K == w_0 (f stays %.4f, %d/%d frozen steps)", wf,
                rn.f[K], rn.frozenSteps, K), rn.frozenSteps == K && rn.f[K] == rn.f[0]);
        out.claim("the Theorem 4.3 checker flags its assumptions violated (E<s,g> != 0, frozen) and reports no pass",
                !QuasiConvexBounds.measuredConditionsMet(t43rn) && !t43rn.holds() && !t43rn.violated());
        out.claim("Theorem 4.1 is flagged vacuous for the frozen run (R + S/eta >= 1)", !t41rn.preconditionsMet());
        out.claim(String.format("stochastic rounding converges: f drops from %.3f to %.3f (< half)", sr.f[0], sr.f[K]),
                sr.f[K] < 0.5 * sr.f[0]);
        out.claim("with stochastic rounding the measured conditions of Theorem 4.3 hold (zero-mean uncorrelated s_k, not"
                + " frozen) and so does its formula (min_{k>=K/2} f <= bound with empirical sigmas; heuristic: rounding"
                + " errors are not the i.i.d. errors of Def. 4.1)",
                QuasiConvexBounds.measuredConditionsMet(t43sr) && t43sr.holds() && !t43sr.preconditionsMet());

        // a-priori R and S from the formats' unit roundoff (seed000.md §1.4: R ~ c_ops delta_0^(g), S = delta_0^(w) sup||w'||)
        // against the measured maxima. s_k = [fl_w(w') - w'] + [eta g-hat - fl_u(eta g-hat)] carries the weight and the
        // update-product roundings, so S <= delta_0^(w) sup||w'|| + delta_0^(u) eta sup||g-hat||, sup||w'|| <= sup||w|| +
        // eta sup||g-hat||, and ||g-hat|| <= 1.1 (bf16 normalization of a unit vector).
        lowp.format.Format wFmt = lowp.format.Format.parse(wf);
        lowp.format.Format gFmt = lowp.format.Format.BFLOAT16;
        for (int i = 0; i < 2; i++) {
            lowp.round.Rounding rr = lowp.round.Rounding.parse(modes[i]);
            double supW = 0;
            for (double x : res[i].dist) {
                supW = Math.max(supW, x); // w* = 0
            }
            double sBound = RoundoffConstants.aPrioriS(wFmt, rr, supW + 1.1 * eta)
                    + RoundoffConstants.delta0(wFmt, rr) * 1.1 * eta;
            double rApriori = RoundoffConstants.aPrioriR(gFmt, lowp.round.Rounding.RNE, 2);
            out.line("%s/%s a-priori (delta_0^(w)=%.4g, delta_0^(g)=%.4g): S <= %.4g vs measured S^=%.4g; R ~ 2 delta_0^(g) = %.4g"
                    + " vs measured R^=%.4g", wf, modes[i], RoundoffConstants.delta0(wFmt, rr),
                    RoundoffConstants.delta0(gFmt, lowp.round.Rounding.RNE), sBound, res[i].sMax, rApriori, res[i].rMax);
            out.value("s_apriori_" + modes[i], sBound);
            out.claim(String.format("%s/%s: measured max ||s_k|| = %.4g <= a-priori S from the unit roundoff = %.4g", wf,
                    modes[i], res[i].sMax, sBound), res[i].sMax <= sBound);
        }

        // C18: update precision dominates (near the optimum, eta = 0.0348)
        double[] wn = PowerNormExperiment.start(0.2, o.seed + 1);
        Prec.of("bf16", "rne", 0, 0).roundAll(wn);
        double[] s2 = new double[2];
        double[] bounds = new double[2];
        String[] wfmt = {"bf16/sr", "fp32/sr"};
        for (int i = 0; i < 2; i++) {
            Policy pol = Policy.parse("w=" + wfmt[i] + ",u=" + wfmt[i] + ",g=bf16/rne,acc=fp32/rne,out=fp32", o.seed);
            NormalizedGd.Result r = NormalizedGd.run(f, wn, new NormalizedGd.Config().eta(0.0348).iterations(3000)
                    .rounding(pol).seed(o.seed).tailFrom(1000));
            s2[i] = r.sMeanSq;
            bounds[i] = QuasiConvexBounds.gammaS(0.0348, r.rMeanSq, r.sMeanSq);
            out.line("eta=0.0348, bf16 gradients, weights %s: d sigma_r^2=%.3g d sigma_s^2=%.3g Gamma_s=%.6g tail f=%.4f",
                    wfmt[i], r.rMeanSq, r.sMeanSq, bounds[i], r.tailMeanF);
        }
        out.value("dsigma_s2_bf16", s2[0]);
        out.value("dsigma_s2_fp32", s2[1]);
        out.claim(String.format("update precision dominates: d sigma_s^2 with bf16 weights / fp32 weights = %.3g >= 1e3",
                s2[0] / s2[1]), s2[0] / s2[1] >= 1e3);
        return out;
    }
}
