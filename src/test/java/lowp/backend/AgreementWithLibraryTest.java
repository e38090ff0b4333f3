package lowp.backend;

import lowp.format.Format;
import lowp.quant.FloatQuantizer;
import lowp.rng.RandomKey;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The CPU backend's quantization equals lowp.quant's array quantizer (same Philox keys and indices). */
class AgreementWithLibraryTest {
    @Test
    void quantizeEqualsFloatQuantizer() {
        double[] x = Fixtures.doubles(99, 3000);
        float[] xf = Fixtures.floats(98, 3000);
        CpuBackend cpu = CpuBackend.reference();
        for (String f : List.of("fp16", "bf16", "e4m3fn", "e5m2", "e2m1fn", "e4m3fnuz", "tf32")) {
            for (String m : List.of("rne", "rtz", "rup", "sr", "sr-equal", "sr8")) {
                Format fmt = Format.parse(f);
                Rounding r = Rounding.parse(m);
                FloatQuantizer q = new FloatQuantizer(fmt, r);
                RngKey key = new RngKey(0xABCDEFL, 3, 17);
                RandomKey rk = RandomKey.of(key.seed(), key.stream(), key.step());
                long[] want = q.encode(x, rk, 1);
                int[] got = cpu.quantize(new QuantSpec(fmt, r, key), x);
                long[] wantF = q.encode(xf, rk, 1);
                int[] gotF = cpu.quantize(new QuantSpec(fmt, r, key), xf);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(want[i], got[i] & 0xFFFFFFFFL, f + "/" + m + " x=" + x[i]);
                    assertEquals(wantF[i], gotF[i] & 0xFFFFFFFFL, f + "/" + m + " float x=" + xf[i]);
                }
            }
        }
    }
}
