package lowp.quant;

import lowp.format.Format;
import lowp.ref.RefOps;
import lowp.rng.RandomKey;
import lowp.round.Env;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TensorScaledQuantizerTest {
    @Test
    void currentScalingByHand() {
        TensorScaledQuantizer q = TensorScaledQuantizer.current(Format.E4M3FN, Rounding.RNE);
        double[] x = {1000, 1, -3};
        double[] y = new double[3];
        q.quantize(x, y, null);
        // smallest power of two X with 1000 / X <= 448 is 4: 250 -> 256 (spacing 16), 0.25, -0.75 exact
        assertEquals(4.0, q.lastScale());
        assertArrayEquals(new double[] {1024, 1, -3}, y);
        TensorScaledQuantizer m1 = new TensorScaledQuantizer(Format.E4M3FN, Rounding.RNE, 1,
                TensorScaledQuantizer.Amax.CURRENT, 1, TensorScaledQuantizer.HistoryAlgo.MAX);
        m1.quantize(x, y, null);
        assertEquals(8.0, m1.lastScale()); // 1000 / X <= 224
        assertArrayEquals(new double[] {1024, 1, -3}, y); // 125 -> 128 (spacing 8)
    }

    @Test
    void delayedScalingUsesTheHistory() {
        TensorScaledQuantizer q = new TensorScaledQuantizer(Format.E4M3FN, Rounding.RNE, 0,
                TensorScaledQuantizer.Amax.DELAYED, 2, TensorScaledQuantizer.HistoryAlgo.MAX);
        double[] y = new double[1];
        q.quantize(new double[] {1000}, y, null);   // no history: X = 1, 1000 saturates to 448
        assertEquals(1.0, q.lastScale());
        assertEquals(448.0, y[0]);
        q.quantize(new double[] {10}, y, null);     // X from 1000: 4; 10 / 4 = 2.5 exact
        assertEquals(4.0, q.lastScale());
        assertEquals(10.0, y[0]);
        q.quantize(new double[] {0.001}, y, null);  // history {1000, 10}: max 1000 -> X = 4
        assertEquals(4.0, q.lastScale());
        q.quantize(new double[] {1}, y, null);      // history {10, 0.001}: max 10 -> 10 / X <= 448: X = 2^-5
        assertEquals(Math.scalb(1.0, -5), q.lastScale());
        TensorScaledQuantizer r = new TensorScaledQuantizer(Format.E5M2, Rounding.RNE, 0,
                TensorScaledQuantizer.Amax.DELAYED, 4, TensorScaledQuantizer.HistoryAlgo.MOST_RECENT);
        r.quantize(new double[] {1e6}, y, null);
        r.quantize(new double[] {1}, y, null);
        r.quantize(new double[] {1}, y, null);      // most recent amax 1 -> 1 / X <= 57344: X = 2^-15
        assertEquals(Math.scalb(1.0, -15), r.lastScale());
    }

    @Test
    void arraysMatchTheReferenceForAnyThreadCount() {
        Random rnd = new Random(4);
        for (String rs : new String[] {"rne", "sr", "sr8"}) {
            Rounding rd = Rounding.parse(rs);
            TensorScaledQuantizer q = TensorScaledQuantizer.current(Format.E5M2, rd);
            int n = 200_000;
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = rnd.nextGaussian() * 1e-3;
            RandomKey key = RandomKey.of(77, 2, 1);
            double[] y1 = new double[n], y2 = new double[n], y7 = new double[n];
            q.quantize(x, y1, key, 1);
            q.quantize(x, y2, key, 2);
            q.quantize(x, y7, key, 7);
            assertArrayEquals(y1, y2);
            assertArrayEquals(y1, y7);
            double sx = q.lastScale();
            for (int i = 0; i < n; i += 101) {
                Env env = new Env(rd);
                env.random = rd.isStochastic() ? key.word(i) : 0;
                long b = RefOps.fromDouble(Format.E5M2, x[i] / sx, env); // x / X is exact (power of two)
                double want = Format.E5M2.isNaN(b) || Format.E5M2.isInf(b)
                        ? Math.copySign(57344.0, x[i]) * sx : Format.E5M2.toDouble(b) * sx;
                assertEquals(want, y1[i], 0.0, "element " + i);
            }
        }
    }
}
