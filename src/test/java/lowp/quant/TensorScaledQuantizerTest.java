package lowp.quant;

import lowp.format.Format;
import lowp.ref.RefOps;
import lowp.rng.RandomKey;
import lowp.round.Env;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * The test's own current-scaling exponent: the smallest e with amax &lt;= 57344 * 2^e (E5M2's max, margin 0),
     * found by a scan with exact BigDecimal comparisons (no use of the quantizer's scaleExpFor / lastScale).
     */
    static int e5m2ScaleExp(double amax) {
        BigDecimal a = new BigDecimal(amax), max = new BigDecimal(57344);
        for (int e = -200; e <= 200; e++) {
            BigDecimal lim = e >= 0 ? max.multiply(new BigDecimal(BigInteger.TWO.pow(e)))
                    : max.divide(new BigDecimal(BigInteger.TWO.pow(-e)));
            if (a.compareTo(lim) <= 0) {
                assertTrue(e > -200, "scan started too high");
                return e;
            }
        }
        throw new AssertionError("amax " + amax + " out of the scanned range");
    }

    /** Reference element bits of x under scale 2^e: RefOps rounds x * 2^-e (exact) once; overflow clamps. */
    static long refBits(double x, int e, Rounding rd, long word) {
        Env env = new Env(rd);
        env.random = rd.isStochastic() ? word : 0;
        long b = RefOps.fromDouble(Format.E5M2, Math.scalb(x, -e), env);
        if (Format.E5M2.isInf(b)) b = Format.E5M2.maxFiniteBits() | (b & (1L << 7)); // CLAMP: +-57344
        return b;
    }

    static double refValue(long bits, int e) {
        double v = Format.E5M2.toDouble(bits);
        return v == 0 ? v : Math.scalb(v, e); // keeps -0.0
    }

    @Test
    void arraysMatchTheReferenceForAnyThreadCount() {
        Random rnd = new Random(4);
        for (String rs : new String[] {"rne", "sr", "sr8", "rtz"}) {
            Rounding rd = Rounding.parse(rs);
            TensorScaledQuantizer q = TensorScaledQuantizer.current(Format.E5M2, rd);
            int n = 200_000; // several Parallel chunks
            double[] x = new double[n];
            float[] xf = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = rnd.nextGaussian() * 1e-3;
                if (i % 997 == 0) x[i] = i % 2 == 0 ? -0.0 : 0.0;
                if (i % 1009 == 0) x[i] = -1e-30; // rounds to -0 (or -min) after scaling
                xf[i] = (float) x[i];
            }
            double amax = 0, amaxF = 0;
            for (int i = 0; i < n; i++) {
                amax = Math.max(amax, Math.abs(x[i]));
                amaxF = Math.max(amaxF, Math.abs((double) xf[i]));
            }
            int e = e5m2ScaleExp(amax), ef = e5m2ScaleExp(amaxF);
            RandomKey key = RandomKey.of(77, 2, 1);
            for (int threads : new int[] {1, 2, 7}) {
                double[] y = new double[n];
                float[] yf = new float[n];
                q.quantize(x, y, key, threads);
                assertEquals(e, q.lastScaleExp(), "scale exponent");
                q.quantize(xf, yf, key, threads);
                TensorScaledQuantizer.Encoded bd = q.encodeTensor(x, key, threads);
                TensorScaledQuantizer.Encoded bf = q.encodeTensor(xf, key, threads);
                assertEquals(e, bd.scaleExp);
                assertEquals(ef, bf.scaleExp);
                for (int i = 0; i < n; i++) {
                    long w = key.word(i);
                    long want = refBits(x[i], e, rd, w), wantF = refBits(xf[i], ef, rd, w);
                    if (want != bd.bits[i] || wantF != bf.bits[i]
                            || Double.doubleToRawLongBits(refValue(want, e)) != Double.doubleToRawLongBits(y[i])
                            || Float.floatToRawIntBits((float) refValue(wantF, ef)) != Float.floatToRawIntBits(yf[i])
                            || Double.doubleToRawLongBits(q.decode(bd.bits[i], bd.scaleExp))
                            != Double.doubleToRawLongBits(y[i])) {
                        throw new AssertionError(rs + " threads=" + threads + " element " + i + " x=" + x[i]
                                + ": bits " + bd.bits[i] + "/" + bf.bits[i] + " want " + want + "/" + wantF
                                + ", value " + y[i] + "/" + yf[i] + " want " + refValue(want, e));
                    }
                }
            }
        }
    }

    /** Scalar bits: a tensor of one element (current scaling takes the scale from |x| itself). */
    @Test
    void scalarEncodeIsTheOneElementTensor() {
        Random rnd = new Random(9);
        for (String rs : new String[] {"rne", "sr", "rup"}) {
            Rounding rd = Rounding.parse(rs);
            TensorScaledQuantizer q = TensorScaledQuantizer.current(Format.E5M2, rd);
            assertEquals(8, q.width());
            for (int t = 0; t < 400; t++) {
                double x = Math.scalb(rnd.nextGaussian(), rnd.nextInt(80) - 40);
                long w = rnd.nextLong();
                int e = e5m2ScaleExp(Math.abs(x));
                long want = refBits(x, e, rd, w);
                assertEquals(want, q.encode(x, w), rs + " x=" + x);
                assertEquals(Double.doubleToRawLongBits(refValue(want, e)),
                        Double.doubleToRawLongBits(q.quantize(x, w)), rs + " x=" + x);
            }
            assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(q.quantize(-0.0, 0)));
        }
    }
}
