package lowp.bounds;

import lowp.format.Format;
import lowp.optim.NormalizedGd;
import lowp.optim.Policy;
import lowp.optim.PowerNorm;
import lowp.optim.Prec;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Seed 000 constants from a format's unit roundoff; hand values from seed000.md §1.6 and §1.4/§1.7. */
class RoundoffConstantsTest {
    @Test
    void unitRoundoffTable16() {
        // §1.6: u = beta^(1-t)/2 with t = fraction bits + 1; delta_0 (paper) = beta^(1-t)
        assertEquals(3.90625e-3, RoundoffConstants.unitRoundoff(Format.BFLOAT16));
        assertEquals(7.8125e-3, RoundoffConstants.machineEpsilon(Format.BFLOAT16));
        assertEquals(4.8828125e-4, RoundoffConstants.unitRoundoff(Format.BINARY16));
        assertEquals(9.765625e-4, RoundoffConstants.machineEpsilon(Format.BINARY16));
        assertEquals(5.9604645e-8, RoundoffConstants.unitRoundoff(Format.BINARY32), 1e-15);
        assertEquals(1.5258789e-5, RoundoffConstants.unitRoundoff(Format.parse("e8m15")), 1e-12);
        assertEquals(4.8828125e-4, RoundoffConstants.unitRoundoff(Format.parse("e8m10")));
        assertEquals(1.110223e-16, RoundoffConstants.unitRoundoff(Format.BINARY64), 1e-22);
    }

    @Test
    void delta0DependsOnTheRounding() {
        // u for round-to-nearest, eps_M = 2u for stochastic and directed rounding (§3 table, "delta_0")
        double u = 0x1p-8;
        assertEquals(u, RoundoffConstants.delta0(Format.BFLOAT16, Rounding.RNE));
        assertEquals(u, RoundoffConstants.delta0(Format.BFLOAT16, Rounding.RNA));
        for (Rounding r : new Rounding[] {Rounding.SR, Rounding.SR_EQUAL, Rounding.RTZ, Rounding.RUP, Rounding.RDN,
                Rounding.RTO, Rounding.srBits(8)}) {
            assertEquals(2 * u, RoundoffConstants.delta0(Format.BFLOAT16, r), r.toString());
        }
        // agrees with the policy-level Prec.delta0
        assertEquals(Prec.of("fp16", "sr", 0, 0).delta0(), RoundoffConstants.delta0(Format.BINARY16, Rounding.SR));
        assertEquals(Prec.of("fp16", "rne", 0, 0).delta0(), RoundoffConstants.delta0(Format.BINARY16, Rounding.RNE));
    }

    @Test
    void aPrioriRSAndGammaN() {
        // R = c_ops delta_0^(g): c = 3, bf16 RN -> 3 * 2^-8 = 0.01171875; S = delta_0^(w) sup||w'||: fp32 RN, 6 -> 6 * 2^-24
        assertEquals(0.01171875, QuasiConvexBounds.aPrioriR(3, 0x1p-8));
        assertEquals(0.01171875, RoundoffConstants.aPrioriR(Format.BFLOAT16, Rounding.RNE, 3));
        assertEquals(0.0234375, RoundoffConstants.aPrioriR(Format.BFLOAT16, Rounding.SR, 3));
        assertEquals(6 * 0x1p-24, QuasiConvexBounds.aPrioriS(0x1p-24, 6));
        assertEquals(6 * 0x1p-24, RoundoffConstants.aPrioriS(Format.BINARY32, Rounding.RNE, 6));
        // "with an fp32 update it is about 6e-8 ||w||" (§3 table)
        assertEquals(5.96e-8, RoundoffConstants.aPrioriS(Format.BINARY32, Rounding.RNE, 1), 1e-10);
        // gamma_n = n u / (1 - n u): n = 100, u = 2^-8 -> (100/256)/(156/256) = 100/156
        assertEquals(100.0 / 156, QuasiConvexBounds.gammaN(100, 0x1p-8), 1e-15);
        assertEquals(100.0 / 156, RoundoffConstants.gammaN(100, Format.BFLOAT16), 1e-15);
        // n = 2^15 terms into a 15-bit accumulator (u = 2^-16): n u = 1/2 -> gamma = 1; n u >= 1 -> infinite
        assertEquals(1.0, RoundoffConstants.gammaN(1 << 15, Format.parse("e8m15")));
        assertEquals(Double.POSITIVE_INFINITY, RoundoffConstants.gammaN(256, Format.BFLOAT16));
    }

    @Test
    void sigmaModels() {
        // SR: d sigma_s^2 <= u_w^2 sup||w'||^2: bf16, ||w'|| = 4 -> 2^-16 * 16 = 2^-12
        assertEquals(0x1p-12, RoundoffConstants.dSigmaS2StochasticBound(Format.BFLOAT16, 4));
        // SR: d sigma_r^2 <= c u_g^2: c = 5, fp16 -> 5 * 2^-22
        assertEquals(5 * 0x1p-22, RoundoffConstants.dSigmaR2StochasticBound(Format.BINARY16, 5));
        // RN uniform: sum ulp^2/12; bf16 ulp(1) = 2^-7, ulp(3) = 2^-6, ulp(-0.75) = 2^-8 -> (2^-14 + 2^-12 + 2^-16)/12
        assertEquals((0x1p-14 + 0x1p-12 + 0x1p-16) / 12,
                RoundoffConstants.dSigmaS2NearestUniform(Format.BFLOAT16, new double[] {1, 3, -0.75}));
        // below the normal range the spacing is the subnormal one: fp16 emin = -14, ulp = 2^-24
        assertEquals(0x1p-24, RoundoffConstants.ulp(Format.BINARY16, 0x1p-20));
        assertEquals(0x1p-24, RoundoffConstants.ulp(Format.BINARY16, 0));
    }

    @Test
    void aPrioriSBoundsTheMeasuredUpdateErrorOfARealRun() {
        // NGD on 3||w||^0.2 in R^40 with bf16 weights (RN and SR) and an exact update product (u = fp64): s_k is then
        // the weight rounding alone, |s_i| <= delta_0^(w) |w'_i|, so max||s_k|| <= delta_0^(w) sup||w'||
        // (sup||w'|| <= sup||w|| + eta, ||g-hat|| ~ 1); SR's d sigma_s^2 stays below u_w^2 sup||w'||^2.
        PowerNorm f = new PowerNorm(3, 0.2, 40);
        SplittableRandom r = new SplittableRandom(4);
        double[] w0 = new double[40];
        for (int i = 0; i < 40; i++) {
            w0[i] = r.nextGaussian();
        }
        Prec.of("bf16", "rne", 0, 0).roundAll(w0);
        double eta = 0.01;
        for (String mode : new String[] {"rne", "sr"}) {
            Policy pol = Policy.parse("w=bf16/" + mode + ",u=fp64,g=bf16,acc=fp32,out=fp32", 3);
            NormalizedGd.Result res = NormalizedGd.run(f, w0, new NormalizedGd.Config().eta(eta).iterations(400)
                    .rounding(pol).tailFrom(0));
            double supW = 0;
            for (double x : res.dist) {
                supW = Math.max(supW, x);
            }
            Rounding rr = Rounding.parse(mode);
            double sBound = RoundoffConstants.aPrioriS(Format.BFLOAT16, rr, supW + 1.01 * eta);
            assertTrue(res.sMax <= sBound, mode + ": " + res.sMax + " > " + sBound);
            assertTrue(res.sMax > sBound / 100, mode + ": the bound is not vacuous here: " + res.sMax + " vs " + sBound);
            if (mode.equals("sr")) {
                assertTrue(res.sMeanSq <= RoundoffConstants.dSigmaS2StochasticBound(Format.BFLOAT16, supW + 1.01 * eta));
            }
        }
    }
}
