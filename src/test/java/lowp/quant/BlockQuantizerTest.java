package lowp.quant;

import lowp.format.Format;
import lowp.rng.RandomKey;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Block-scaled (MX) quantization against hand derivations and an independent reference that scans the small
 * element / scale grids exactly (BigDecimal) and applies the rounding rule by definition.
 */
class BlockQuantizerTest {
    static final BigDecimal TWO64 = new BigDecimal(BigInteger.ONE.shiftLeft(64));

    @Test
    void mxfp4ByHand() {
        BlockQuantizer q = BlockQuantizer.mx("mxfp4_e2m1", Rounding.RNE);
        double[] x = new double[32];
        x[0] = 0.1; x[1] = 1; x[2] = 3; x[3] = 5.5; x[4] = -7; x[5] = 0.3; x[6] = 2.5; x[7] = -0.25;
        double[] y = new double[32];
        long[] eb = new long[32];
        long[] sb = new long[1];
        q.quantizeBlocks(x, 1, 32, 1, y, eb, sb, null, 1);
        // amax 7: floor(log2 7) = 2 = emax(E2M1) -> X = 1 (E8M0 code 127); grid 0 .5 1 1.5 2 3 4 6
        assertEquals(127, sb[0]);
        assertArrayEquals(new double[] {0, 1, 3, 6, -6, 0.5, 2, -0.0}, java.util.Arrays.copyOf(y, 8));
        // 0.3 -> 0.5 (nearer than 0), 2.5 tie between 2 and 3 -> even code (2 = 0b0100), -0.25 tie 0 / 0.5 -> -0
        assertEquals(0b1111, eb[4]); // -6 = -1.5 * 2^2: sign 1, exponent field 11 (bias 1), mantissa 1
        assertEquals(0b0111, eb[3]);
    }

    @Test
    void mxfp8ScaleRuleClampsWhilePow2UpDoesNot() {
        double[] x = new double[32];
        x[0] = 1000; x[1] = 1;
        BlockQuantizer mx = BlockQuantizer.mx("mxfp8_e4m3", Rounding.RNE);
        double[] y = new double[32];
        long[] sb = new long[1];
        mx.quantizeBlocks(x, 1, 32, 1, y, null, sb, null, 1);
        // floor(log2 1000) = 9, emax(E4M3) = 8 -> X = 2; 1000/2 = 500 > 448 -> clamped: 896
        assertEquals(128, sb[0]);
        assertEquals(896.0, y[0]);
        assertEquals(1.0, y[1]);
        BlockQuantizer up = new BlockQuantizer(Format.E4M3FN, Rounding.RNE, Format.E8M0FNU, 32,
                BlockQuantizer.ScaleRule.POW2_UP, null);
        up.quantizeBlocks(x, 1, 32, 1, y, null, sb, null, 1);
        // smallest power of two X with 1000 / X <= 448 is 4: 250 -> 256 (spacing 16 in [128, 256)) -> 1024
        assertEquals(129, sb[0]);
        assertEquals(1024.0, y[0]);
    }

    @Test
    void zeroNanAndMxint8Blocks() {
        BlockQuantizer q = BlockQuantizer.mx("mxfp8_e5m2", Rounding.RNE);
        double[] z = new double[32];
        z[3] = -0.0;
        double[] y = new double[32];
        long[] sb = new long[1];
        q.quantizeBlocks(z, 1, 32, 1, y, null, sb, null, 1);
        assertEquals(0, sb[0]); // all-zero block: smallest scale, code 0
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(y[3]));
        z[5] = Double.NaN;
        q.quantizeBlocks(z, 1, 32, 1, y, null, sb, null, 1);
        assertEquals(0xFF, sb[0]);
        assertTrue(Double.isNaN(y[0]));
        // MXINT8: amax 3 -> floor(log2 3) = 1, emax 0 -> X = 2; 3/2 = 1.5 = 96/64; -4/2 = -2 = -128/64
        BlockQuantizer i8 = BlockQuantizer.mxint8(Rounding.RNE, false);
        double[] v = new double[32];
        v[0] = 3; v[1] = -4 + 1e-9; v[2] = 0.01;
        long[] eb = new long[32];
        // amax = 4 - 1e-9: floor(log2) = 1 -> X = 2
        i8.quantizeBlocks(v, 1, 32, 1, y, eb, sb, null, 1);
        assertEquals(128, sb[0]);
        assertEquals(3.0, y[0]);
        assertEquals(-4.0, y[1]);        // -128/64 * 2 (two's complement end)
        assertEquals(0x80, eb[1]);
        assertEquals(0.0, y[2]);         // 0.01 / 2 * 64 = 0.32 -> 0
        BlockQuantizer s8 = BlockQuantizer.mxint8(Rounding.RNE, true);
        s8.quantizeBlocks(v, 1, 32, 1, y, eb, sb, null, 1);
        assertEquals(-127 / 32.0, y[1]); // symmetric clamp
    }

    // ------------------------------------------------------------ independent reference

    /** Non-negative finite values of a small format, exact. */
    static BigDecimal[] grid(Format f) {
        TreeSet<BigDecimal> s = new TreeSet<>();
        for (long b = 0; b <= f.magnitudeMask(); b++) {
            if (f.isNaN(b) || f.isInf(b)) continue;
            s.add(f.toBigDecimal(b).abs());
        }
        return s.toArray(new BigDecimal[0]);
    }

    /** Rounds |num/den| (den > 0) onto the grid with rule r and word u, saturating; returns the magnitude. */
    static BigDecimal refRound(BigDecimal num, BigDecimal den, BigDecimal[] g, Rounding r, boolean neg, long u) {
        BigDecimal a = num.abs();
        BigDecimal max = g[g.length - 1];
        if (a.compareTo(max.multiply(den)) >= 0) return max;
        int i = 0;
        while (g[i + 1].multiply(den).compareTo(a) <= 0) i++;
        BigDecimal lo = g[i], hi = g[i + 1];
        BigDecimal dist = a.subtract(lo.multiply(den));
        if (dist.signum() == 0) return lo;
        BigDecimal gapD = hi.subtract(lo).multiply(den);
        BigDecimal[] qr = dist.multiply(TWO64).divideAndRemainder(gapD);
        BigInteger f64 = qr[0].toBigIntegerExact();
        boolean sticky = qr[1].signum() != 0;
        BigInteger half = BigInteger.ONE.shiftLeft(63);
        boolean up;
        switch (r.mode()) {
            case RNE: {
                int c = f64.compareTo(half);
                up = c > 0 || (c == 0 && (sticky || i % 2 == 1)); // odd index: lo's code is odd (codes are grid order)
                break;
            }
            case RNA: up = f64.compareTo(half) >= 0; break;
            case RTZ: up = false; break;
            case SR: {
                BigInteger uu = new BigInteger(Long.toUnsignedString(u));
                up = uu.compareTo(f64) < 0 || (uu.equals(f64) && sticky);
                break;
            }
            case SR_BITS: {
                int n = r.randomBits();
                up = f64.shiftRight(64 - n).add(BigInteger.valueOf(u >>> (64 - n))).compareTo(BigInteger.ONE.shiftLeft(n)) >= 0;
                break;
            }
            default: throw new AssertionError(r);
        }
        return up ? hi : lo;
    }

    /** Reference value of a block (elements v, words w). */
    static double[] refBlock(double[] v, long[] w, Format ef, Rounding r, Format sf, BlockQuantizer.ScaleRule rule) {
        BigDecimal[] eg = grid(ef);
        BigDecimal emaxV = eg[eg.length - 1];
        double amax = 0;
        for (double d : v) amax = Math.max(amax, Math.abs(d));
        BigDecimal scale;
        if (amax == 0) {
            scale = sf.toBigDecimal(sf.minPositiveBits());
        } else if (rule == BlockQuantizer.ScaleRule.AMAX) {
            scale = refRound(new BigDecimal(amax), emaxV, grid(sf), Rounding.RNE, false, 0);
        } else {
            // floor(log2 amax) by BigDecimal comparison
            BigDecimal a = new BigDecimal(amax);
            int fl = 0;
            while (pow2(fl).compareTo(a) > 0) fl--;
            while (pow2(fl + 1).compareTo(a) <= 0) fl++;
            int emaxE = 0;
            while (pow2(emaxE + 1).compareTo(emaxV) <= 0) emaxE++;
            int se = fl - emaxE;
            if (rule == BlockQuantizer.ScaleRule.POW2_UP) {
                se = fl - emaxE - 2;
                while (a.compareTo(emaxV.multiply(pow2(se))) > 0) se++;
            }
            BigDecimal minS = sf.toBigDecimal(sf.minPositiveBits()), maxS = sf.toBigDecimal(sf.maxFiniteBits());
            scale = pow2(se);
            if (scale.compareTo(minS) < 0) scale = minS;
            while (scale.compareTo(maxS) > 0) scale = scale.divide(BigDecimal.valueOf(2));
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            boolean neg = Double.doubleToRawLongBits(v[i]) < 0;
            BigDecimal m = scale.signum() == 0 ? BigDecimal.ZERO
                    : refRound(new BigDecimal(v[i]), scale, eg, r, neg, w[i]).multiply(scale);
            double d = m.doubleValue();
            out[i] = neg ? -d : d;
        }
        return out;
    }

    static BigDecimal pow2(int e) {
        return VarianceParams.pow2(e);
    }

    static double[] randomBlock(Random r, int k) {
        double[] v = new double[k];
        int e0 = r.nextInt(40) - 20;
        for (int i = 0; i < k; i++) {
            switch (r.nextInt(6)) {
                case 0: v[i] = 0; break;
                case 1: v[i] = Math.scalb(r.nextInt(64) - 32, e0 - 3); break; // on/near grid points
                default: v[i] = r.nextGaussian() * Math.scalb(1.0, e0 + r.nextInt(8) - 4);
            }
        }
        return v;
    }

    @Test
    void mxTypesMatchTheReference() {
        String[][] types = {{"mxfp8_e4m3", "e4m3fn"}, {"mxfp8_e5m2", "e5m2"}, {"mxfp6_e3m2", "e3m2fn"},
            {"mxfp6_e2m3", "e2m3fn"}, {"mxfp4_e2m1", "e2m1fn"}};
        Random r = new Random(42);
        for (String[] t : types) {
            for (String rs : new String[] {"rne", "rna", "rtz", "sr", "sr4"}) {
                Rounding rd = Rounding.parse(rs);
                BlockQuantizer q = BlockQuantizer.mx(t[0], rd);
                for (int rep = 0; rep < 6; rep++) {
                    int n = 32 * (1 + r.nextInt(3)) + r.nextInt(32);
                    double[] x = new double[n];
                    for (int b = 0; b < n; b += 32) {
                        double[] blk = randomBlock(r, Math.min(32, n - b));
                        System.arraycopy(blk, 0, x, b, blk.length);
                    }
                    RandomKey key = RandomKey.of(r.nextLong(), 1, 2);
                    double[] y = new double[n];
                    q.quantize(x, y, key, 2);
                    for (int b = 0; b < n; b += 32) {
                        int cnt = Math.min(32, n - b);
                        double[] blk = java.util.Arrays.copyOfRange(x, b, b + cnt);
                        long[] w = new long[cnt];
                        for (int j = 0; j < cnt; j++) w[j] = key.word(b + j);
                        double[] want = refBlock(blk, w, Format.parse(t[1]), rd, Format.E8M0FNU, BlockQuantizer.ScaleRule.MX);
                        for (int j = 0; j < cnt; j++) {
                            assertEquals(Double.doubleToRawLongBits(want[j]), Double.doubleToRawLongBits(y[b + j]),
                                    t[0] + " " + rs + " element " + (b + j) + " x=" + x[b + j]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void generalCaseNvfp4AndPow2UpMatchTheReference() {
        Random r = new Random(7);
        BlockQuantizer nv = BlockQuantizer.nvfp4(Rounding.RNE);
        BlockQuantizer nvSr = new BlockQuantizer(Format.E2M1FN, Rounding.SR, Format.E4M3FN, 16,
                BlockQuantizer.ScaleRule.AMAX, Rounding.RNE);
        BlockQuantizer up = new BlockQuantizer(Format.E3M2FN, Rounding.RNE, Format.E8M0FNU, 8,
                BlockQuantizer.ScaleRule.POW2_UP, null);
        for (BlockQuantizer q : new BlockQuantizer[] {nv, nvSr, up}) {
            int k = q.blockSize();
            Format ef = ((FloatQuantizer) q.elementQuantizer()).format();
            Rounding rd = ((FloatQuantizer) q.elementQuantizer()).rounding();
            for (int rep = 0; rep < 40; rep++) {
                double[] x = randomBlock(r, k);
                RandomKey key = RandomKey.of(rep, 0, 0);
                double[] y = new double[k];
                q.quantize(x, y, key);
                long[] w = new long[k];
                for (int j = 0; j < k; j++) w[j] = key.word(j);
                double[] want = refBlock(x, w, ef, rd, q.scaleFormat(), q.scaleRule());
                for (int j = 0; j < k; j++) {
                    assertEquals(Double.doubleToRawLongBits(want[j]), Double.doubleToRawLongBits(y[j]),
                            q + " element " + j + " x=" + x[j]);
                }
            }
        }
    }

    @Test
    void anyAxisEqualsTheContiguousCase() {
        // tensor [outer=3, len=70, inner=5], blocks of 32 along the middle axis, deterministic rounding
        int outer = 3, len = 70, inner = 5;
        Random r = new Random(9);
        double[] x = new double[outer * len * inner];
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian() * 10;
        BlockQuantizer q = BlockQuantizer.mx("mxfp6_e2m3", Rounding.RNE);
        double[] y = new double[x.length];
        int nb = (len + 31) / 32;
        long[] sb = new long[outer * nb * inner];
        q.quantizeBlocks(x, outer, len, inner, y, null, sb, null, 2);
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double[] col = new double[len];
                for (int j = 0; j < len; j++) col[j] = x[(o * len + j) * inner + i];
                double[] cy = new double[len];
                q.quantize(col, cy, null);
                for (int j = 0; j < len; j++) {
                    assertEquals(Double.doubleToRawLongBits(cy[j]), Double.doubleToRawLongBits(y[(o * len + j) * inner + i]));
                }
                long[] csb = new long[nb];
                q.quantizeBlocks(col, 1, len, 1, null, null, csb, null, 1);
                for (int b = 0; b < nb; b++) assertEquals(csb[b], sb[(o * nb + b) * inner + i]);
            }
        }
        // stochastic: the word of element (o, j, i) is key.word(flat index), whatever the threads
        BlockQuantizer s = BlockQuantizer.mx("mxfp4", Rounding.SR);
        RandomKey key = RandomKey.of(5, 6, 7);
        double[] y1 = new double[x.length], y7 = new double[x.length];
        s.quantizeBlocks(x, outer, len, inner, y1, null, null, key, 1);
        s.quantizeBlocks(x, outer, len, inner, y7, null, null, key, 7);
        assertArrayEquals(y1, y7);
        assertThrows(IllegalArgumentException.class, () -> s.quantizeBlocks(x, outer, len, inner, y1, null, null, null, 1));
    }

    @Test
    void floatArraysAndInPlace() {
        BlockQuantizer q = BlockQuantizer.mx("mxfp8_e4m3", Rounding.SR);
        Random r = new Random(1);
        float[] xf = new float[100];
        double[] xd = new double[100];
        for (int i = 0; i < 100; i++) {
            xf[i] = (float) r.nextGaussian();
            xd[i] = xf[i];
        }
        RandomKey key = RandomKey.of(3);
        float[] yf = new float[100];
        q.quantize(xf, yf, key, 2);
        q.quantize(xd, key); // in place
        for (int i = 0; i < 100; i++) assertEquals(Double.doubleToRawLongBits(xd[i]), Double.doubleToRawLongBits(yf[i]));
    }

    @Test
    void amaxRuleWithE8m0ScalesAtTheRangeEnds() {
        BlockQuantizer q = new BlockQuantizer(Format.E4M3FN, Rounding.RNE, Format.E8M0FNU, 4,
                BlockQuantizer.ScaleRule.AMAX, Rounding.RUP);
        long[] sb = new long[1];
        double[] y = new double[4];
        // amax 1000: 1000 / 448 = 2.23 -> rounded up to 4 (code 129): 1000 / 4 = 250 -> 256 -> 1024
        q.quantizeBlocks(new double[] {1000, 1, 0, -2}, 1, 4, 1, y, null, sb, null, 1);
        assertEquals(129, sb[0]);
        assertArrayEquals(new double[] {1024, 1, 0, -2}, y);
        // amax 1e-300: the ratio is far below 2^-127: the smallest scale (code 0), elements underflow to 0
        q.quantizeBlocks(new double[] {1e-300, 0, 0, 0}, 1, 4, 1, y, null, sb, null, 1);
        assertEquals(0, sb[0]);
        assertEquals(0.0, y[0]);
        // amax 1e300: beyond 2^127 * 448: the largest scale (code 254), elements saturate
        q.quantizeBlocks(new double[] {1e300, 0, 0, 0}, 1, 4, 1, y, null, sb, null, 1);
        assertEquals(254, sb[0]);
        assertEquals(448 * Math.scalb(1.0, 127), y[0]);
    }
}
