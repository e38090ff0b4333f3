package lowp.quant;

import lowp.format.Format;
import lowp.ref.RefOps;
import lowp.rng.RandomKey;
import lowp.round.Env;
import lowp.round.Rounding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Exhaustive (behind -Dlowp.exhaustive=true, profile -Pexhaustive): every binary16 and every bfloat16 value,
 * as double and as float input, quantized by the array kernels into the 8-bit and 16-bit formats in every
 * rounding mode, equals the BigInteger reference with the element's Philox word.
 */
class ExhaustiveQuantizeTest {
    @Test
    void everyHalfAndBfloat16ValueInEveryMode() {
        Assumptions.assumeTrue(Boolean.getBoolean("lowp.exhaustive"), "exhaustive test: run with -Pexhaustive");
        String[] targets = {"e4m3fn", "e5m2", "e4m3fnuz", "e5m2fnuz", "e3m2fn", "e2m3fn", "e2m1fn", "binary16",
            "bfloat16", "e5m2:sat", "binary16:nosub"};
        String[] modes = {"rne", "rna", "rtz", "rup", "rdn", "rto", "sr", "sr-equal", "sr3", "sr8"};
        for (Format src : new Format[] {Format.BINARY16, Format.BFLOAT16}) {
            int n = 1 << 16;
            double[] x = new double[n];
            float[] xf = new float[n];
            for (int b = 0; b < n; b++) {
                x[b] = src.toDouble(b);
                xf[b] = (float) x[b];
            }
            RandomKey key = RandomKey.of(2024, 1, 1);
            for (String ts : targets) {
                Format t = Format.parse(ts);
                for (String ms : modes) {
                    Rounding r = Rounding.parse(ms);
                    FloatQuantizer q = new FloatQuantizer(t, r);
                    long[] bits = q.encode(x, key, 2);
                    long[] bitsF = q.encode(xf, key, 2);
                    for (int b = 0; b < n; b++) {
                        Env env = new Env(r);
                        env.random = r.isStochastic() ? key.word(b) : 0;
                        long want = RefOps.fromDouble(t, x[b], env);
                        if (want != bits[b] || want != bitsF[b]) {
                            assertEquals(want, bits[b], src + " 0x" + Integer.toHexString(b) + " -> " + ts + " " + ms);
                            assertEquals(want, bitsF[b], src + " 0x" + Integer.toHexString(b) + " -> " + ts + " " + ms);
                        }
                    }
                }
            }
        }
    }
}
