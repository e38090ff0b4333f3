package lowp.optim;

import lowp.acc.SequentialModel;
import lowp.format.Format;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The package's own sequential datapath agrees bit for bit with lowp.acc's SequentialModel (two implementations). */
class AccModelDotTest {
    @Test
    void sequentialDotMatchesAccSequentialModel() {
        SplittableRandom r = new SplittableRandom(4);
        Prec bf = Prec.of("bf16", "rne", 0, 0);
        for (String acc : new String[] {"e8m10", "e8m15", "fp32"}) {
            Format af = Format.parse(acc);
            SequentialModel m = SequentialModel.separate(Format.BINARY32, af, Rounding.RNE, af, Rounding.RNE);
            AccModelDot theirs = new AccModelDot(m, Prec.of("bf16", "rne", 0, 0));
            SequentialDot ours = new SequentialDot(Prec.of(acc, "rne", 0, 0), Prec.of(acc, "rne", 0, 0),
                    Prec.of("bf16", "rne", 0, 0));
            for (int t = 0; t < 200; t++) {
                int n = 1 + r.nextInt(300);
                double[] x = new double[n];
                double[] y = new double[n];
                for (int i = 0; i < n; i++) {
                    x[i] = bf.round(r.nextGaussian());
                    y[i] = bf.round(r.nextGaussian() * 3);
                }
                assertEquals(Double.doubleToRawLongBits(ours.dot(x, y)), Double.doubleToRawLongBits(theirs.dot(x, y)),
                        acc + " n=" + n);
            }
        }
    }

    /**
     * Policy {@code dot=PROFILE}: inner products through a tensor-core profile. Hand derivation for
     * h100-fp16-fp32 (fused blocks, products exact, every addend truncated to 2^(E-25) with E the largest
     * exponent, one RZ normalisation into fp32): x = (1, 2^-12), y = (1, 1.5*2^-12), fp16 values. Exact dot
     * 1 + 1.5*2^-24 = 1 + 3*2^-25; E = 0, the second product 3*2^-25 is a multiple of 2^-25 and kept; RZ into
     * fp32 (ulp 2^-23 at 1) gives 1.0. A sequential fp32 RNE accumulator instead rounds 1 + 3*2^-25 up to
     * 1 + 2^-23 (3*2^-25 is above half an ulp, 2^-24).
     */
    @Test
    void policyDotProfileRunsTheTensorCoreModel() {
        double[] x = {1, 0x1p-12};
        double[] y = {1, 0x1.8p-12};
        Policy tc = Policy.parse("g=fp32,dot=h100-fp16-fp32", 0);
        Policy seq = Policy.parse("g=fp32,acc=fp32", 0);
        assertEquals(1.0, tc.dot.dot(x, y));
        assertEquals(1 + 0x1p-23, seq.dot.dot(x, y));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Policy.parse("g=fp32,dot=no-such-gpu", 0), "unknown profile named");
        IllegalArgumentException both = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Policy.parse("g=fp32,acc=fp32,dot=h100-fp16-fp32", 0));
        org.junit.jupiter.api.Assertions.assertTrue(both.getMessage().contains("dot=PROFILE replaces acc"), both.getMessage());
    }
}
