package lowp.quant;

import lowp.format.Format;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logarithmic / paper-FPQ grids and the (delta, zeta, eta) scan of Definition 1 (seed002.md). */
class GridAndVarianceTest {
    static BigDecimal pow2(int e) {
        return VarianceParams.pow2(e);
    }

    @Test
    void logarithmicGridByHand() {
        // delta = 1/8, zeta = 1/2, b = 3: q_i = (delta/zeta)((1+zeta)^i - 1) = (1.5^i - 1)/4
        GridQuantizer q = GridQuantizer.logarithmic(0.125, 0.5, 3, Rounding.SR);
        assertArrayEquals(new double[] {-65 / 64.0, -19 / 32.0, -5 / 16.0, -1 / 8.0, 0, 1 / 8.0, 5 / 16.0, 19 / 32.0},
                q.grid());
        VarianceParams v = VarianceParams.of(q);
        assertEquals(0, v.delta().compareTo(new BigDecimal("0.125")));
        assertEquals(0, v.zeta().compareTo(new BigDecimal("0.5")));
        // eta = zeta^2 / (4(1+zeta)) = 1/24, rounded up
        BigDecimal eta = v.eta();
        assertTrue(eta.compareTo(BigDecimal.ONE.divide(new BigDecimal(24), new MathContext(34))) >= 0);
        assertTrue(eta.subtract(BigDecimal.ONE.divide(new BigDecimal(24), new MathContext(40))).abs()
                .compareTo(new BigDecimal("1e-33")) < 0);
        // saturation and fixed points
        assertEquals(19 / 32.0, q.quantize(5.0, 0L));
        assertEquals(-65 / 64.0, q.quantize(-5.0, -1L));
        assertEquals(5 / 16.0, q.quantize(5 / 16.0, -1L));
    }

    @Test
    void logarithmicSrIsExactlyProportional() {
        GridQuantizer q = GridQuantizer.logarithmic(0.125, 0.5, 3, Rounding.SR);
        double[] g = q.grid();
        Random r = new Random(5);
        for (int i = 0; i < 100; i++) {
            int k = r.nextInt(g.length - 1);
            double x = g[k] + (g[k + 1] - g[k]) * r.nextDouble();
            if (x == g[k]) continue;
            boolean pos = x > 0;
            double away = pos ? g[k + 1] : g[k], near = pos ? g[k] : g[k + 1];
            BigInteger t = SrExact.threshold(u -> q.quantize(x, u) == away);
            // t = ceil(|x - near| * 2^64 / gap)
            BigDecimal num = new BigDecimal(x).subtract(new BigDecimal(near)).abs().multiply(new BigDecimal(SrExact.TWO64));
            BigDecimal[] qr = num.divideAndRemainder(new BigDecimal(g[k + 1]).subtract(new BigDecimal(g[k])));
            BigInteger want = qr[0].toBigIntegerExact().add(qr[1].signum() != 0 ? BigInteger.ONE : BigInteger.ZERO);
            assertEquals(want, t);
        }
    }

    @Test
    void deterministicModesOnAGrid() {
        double[] pts = {-2, -1, 0, 1, 3, 4};
        GridQuantizer rne = new GridQuantizer(pts, Rounding.RNE, null, null);
        assertEquals(1.0, rne.quantize(1.9));
        assertEquals(3.0, rne.quantize(2.1));
        assertEquals(3.0, rne.quantize(2.0));   // tie between index 3 (1) and index 4 (3): even index 4
        assertEquals(-2.0, rne.quantize(-1.5)); // tie between index 0 and 1: even index 0
        GridQuantizer rna = new GridQuantizer(pts, Rounding.RNA, null, null);
        assertEquals(-1.0, rna.quantize(-0.5));
        assertEquals(3.0, rna.quantize(2.0));
        assertEquals(1.0, new GridQuantizer(pts, Rounding.RTZ, null, null).quantize(2.9));
        assertEquals(-1.0, new GridQuantizer(pts, Rounding.RTZ, null, null).quantize(-1.9));
        assertEquals(3.0, new GridQuantizer(pts, Rounding.RUP, null, null).quantize(1.1));
        assertEquals(-2.0, new GridQuantizer(pts, Rounding.RDN, null, null).quantize(-1.1));
        assertEquals(4.0, rne.quantize(1e9));
        assertTrue(Double.isNaN(rne.quantize(Double.NaN)));
    }

    @Test
    void paperNormalFpqIsBinary16NormalsPlusZero() {
        GridQuantizer q = GridQuantizer.paperFloat(5, 10, 0, false, Rounding.SR);
        TreeSet<Double> want = new TreeSet<>();
        Format h = Format.BINARY16;
        for (long b = 0; b < 0x10000; b++) {
            if (h.isNaN(b) || h.isInf(b)) continue;
            double v = h.toDouble(b);
            if (v == 0 || Math.abs(v) >= Math.scalb(1.0, -14)) want.add(v == 0 ? 0.0 : v);
        }
        double[] w = want.stream().mapToDouble(Double::doubleValue).toArray();
        assertArrayEquals(w, q.grid());
    }

    /** Lemma 2 of seed 002 and §1.4: delta_normal = 4s/2^(2^(be-1)), delta_denormal = 8s/2^(2^(be-1)+bm), IEEE = half. */
    @Test
    void deltasOfFloatingPointSetsMatchSeed002() {
        int[][] cases = {{2, 3}, {3, 2}, {4, 3}, {5, 4}, {5, 10}};
        for (int[] c : cases) {
            int be = c[0], bm = c[1];
            for (int s : new int[] {0, -3, 2}) {
                BigDecimal zeta = pow2(-bm);
                VarianceParams vn = VarianceParams.of(GridQuantizer.paperFloat(be, bm, s, false, Rounding.SR));
                assertEquals(0, vn.delta().compareTo(pow2(2 + s - (1 << (be - 1)))), "normal " + be + "," + bm);
                assertEquals(0, vn.zeta().compareTo(zeta));
                VarianceParams vd = VarianceParams.of(GridQuantizer.paperFloat(be, bm, s, true, Rounding.SR));
                assertEquals(0, vd.delta().compareTo(pow2(3 + s - (1 << (be - 1)) - bm)), "denormal " + be + "," + bm);
            }
        }
        // IEEE binary16 with subnormals: delta = its subnormal spacing 2^-24 = delta_denormal / 2; without: 2^-14
        assertEquals(0, VarianceParams.of(new FloatQuantizer(Format.BINARY16, Rounding.SR)).delta().compareTo(pow2(-24)));
        // binary16:nosub is NOT unbiased (see notUnbiasedQuantizersAreRefused), so it has no parameters
        assertEquals(0, VarianceParams.of(FixedPointQuantizer.liDeSa(8, 5)).delta().compareTo(pow2(-5)));
        assertEquals(0, VarianceParams.of(FixedPointQuantizer.liDeSa(8, 5)).zeta().signum());
        // a linear grid with any delta: zeta = 0, delta = the spacing
        VarianceParams lin = VarianceParams.of(GridQuantizer.linear(0.375, 4, Rounding.SR));
        assertEquals(0, lin.delta().compareTo(new BigDecimal("0.375")));
    }

    /** Definition 1 checked exactly on samples, and delta is minimal: a slightly smaller delta fails somewhere. */
    @Test
    void definition1HoldsAndDeltaIsTight() {
        Quantizer[] qs = {
            GridQuantizer.logarithmic(0.125, 0.5, 3, Rounding.SR),
            GridQuantizer.logarithmic(0.01, 0.1, 5, Rounding.SR),
            GridQuantizer.paperFloat(2, 3, 0, true, Rounding.SR),
            GridQuantizer.paperFloat(3, 2, 0, false, Rounding.SR),
            new FloatQuantizer(Format.E2M1FN, Rounding.SR),
            new FloatQuantizer(Format.parse("e3m2fn"), Rounding.SR),
            FixedPointQuantizer.liDeSa(4, 2),
        };
        for (Quantizer q : qs) {
            double[] g = gridOf(q);
            VarianceParams v = VarianceParams.of(q);
            Random r = new Random(q.toString().hashCode());
            boolean tightSeen = false;
            BigDecimal smaller = v.delta().multiply(new BigDecimal("0.999"));
            for (int i = 0; i + 1 < g.length; i++) {
                for (int t = 0; t < 4; t++) {
                    // w near the start (toward zero end) of the gap, and random
                    double frac = t == 0 ? 1e-6 : r.nextDouble();
                    double w = g[i] >= 0 ? g[i] + (g[i + 1] - g[i]) * frac : g[i + 1] - (g[i + 1] - g[i]) * frac;
                    BigDecimal bw = new BigDecimal(w);
                    BigDecimal var = actualMeanSquareError(q, w);
                    for (double z : g) {
                        BigDecimal bz = new BigDecimal(z), d = bw.subtract(bz).abs();
                        BigDecimal rhs = v.delta().multiply(d).add(v.zeta().multiply(bz.abs()).multiply(d))
                                .add(v.eta().multiply(d).multiply(d));
                        assertTrue(var.compareTo(rhs) <= 0, q + " w=" + w + " z=" + z);
                        BigDecimal rhs2 = smaller.multiply(d).add(v.zeta().multiply(bz.abs()).multiply(d))
                                .add(v.eta().multiply(d).multiply(d));
                        if (var.compareTo(rhs2) > 0) tightSeen = true;
                    }
                }
            }
            assertTrue(tightSeen, "delta of " + q + " is not tight");
        }
    }

    /**
     * E[(Q(w) - w)^2] of the quantizer itself, exactly: its two outcomes (word 0 gives the upper one, word 2^64-1
     * the lower one) and the probability 2^-64 T of the first, T counted by threshold search over the words.
     * Also asserts the two outcomes bracket w and are w's grid neighbours' values when w is not on the grid.
     */
    static BigDecimal actualMeanSquareError(Quantizer q, double w) {
        double a = q.quantize(w, 0L), b = q.quantize(w, -1L);
        BigDecimal bw = new BigDecimal(w);
        if (a == b) {
            return new BigDecimal(a).subtract(bw).pow(2);
        }
        // T = the number of words giving a (a threshold: up iff unsigned word < T; SrExact/SrStatisticsTest
        // check the threshold shape), by binary search
        BigInteger lo = BigInteger.ZERO, hi = SrExact.TWO64;
        while (lo.compareTo(hi) < 0) {
            BigInteger mid = lo.add(hi).shiftRight(1);
            if (q.quantize(w, mid.longValue()) == a) lo = mid.add(BigInteger.ONE);
            else hi = mid;
        }
        BigInteger t = lo;
        BigDecimal p = new BigDecimal(t).divide(new BigDecimal(SrExact.TWO64));
        BigDecimal one = BigDecimal.ONE;
        BigDecimal da = new BigDecimal(a).subtract(bw), db = new BigDecimal(b).subtract(bw);
        return p.multiply(da.pow(2)).add(one.subtract(p).multiply(db.pow(2)));
    }

    @Test
    void notUnbiasedQuantizersAreRefused() {
        // binary16 without subnormals: sr sends every w in (0, 2^-14) to 0 (even word 0, the most "up" word,
        // gives 0), so E[Q(w)] = 0 != w and E(Q - w)^2 = w^2, which breaks Definition 1 for delta = 2^-14 at
        // w = 0.75 * 2^-14, z = 2^-14: w^2 = 0.5625 * 2^-28 > delta |w - z| + zeta |z||w - z| + eta |w - z|^2
        // = 2^-14 * 0.25 * 2^-14 + 2^-10 * 2^-14 * 0.25 * 2^-14 + (tiny) ~ 0.2502 * 2^-28.
        FloatQuantizer nosub = new FloatQuantizer(Format.parse("binary16:nosub"), Rounding.SR);
        double w = 0.75 * 0x1p-14;
        assertEquals(0.0, nosub.quantize(w, 0L));
        assertEquals(0, actualMeanSquareError(nosub, w).compareTo(new BigDecimal(w).pow(2)));
        refused(nosub, "no subnormals");
        refused(new FloatQuantizer(Format.BINARY16, Rounding.RNE), "deterministic");
        refused(new FloatQuantizer(Format.BINARY16, Rounding.RTZ), "deterministic");
        refused(new FloatQuantizer(Format.BINARY16, Rounding.SR_EQUAL), "sr-equal");
        refused(new FloatQuantizer(Format.BINARY16, Rounding.srBits(8)), "8 random bits");
        refused(new FloatQuantizer(Format.BINARY16, Rounding.SR, FloatQuantizer.Underflow.FLUSH,
                FloatQuantizer.Overflow.FORMAT), "FLUSH");
        refused(new FixedPointQuantizer(8, 4, true, Rounding.RNE, FixedPointQuantizer.OverflowMode.SATURATE),
                "deterministic");
        refused(GridQuantizer.logarithmic(0.125, 0.5, 3, Rounding.srBits(4)), "4 random bits");
        refused(BlockQuantizer.mx("mxfp4_e2m1", Rounding.SR), "block-scaled");
        refused(TensorScaledQuantizer.current(Format.E4M3FN, Rounding.SR), "tensor-scaled");
        // FLUSH really is biased: 0 < w < 2^-24 never becomes 2^-24 (word 0 is the most "up" word)
        FloatQuantizer flush = new FloatQuantizer(Format.BINARY16, Rounding.SR, FloatQuantizer.Underflow.FLUSH,
                FloatQuantizer.Overflow.FORMAT);
        assertEquals(0.0, flush.quantize(0.75 * 0x1p-24, 0L));
        // with GRADUAL underflow the same input goes up with probability 3/4 (T = 0.75 * 2^64 words)
        FloatQuantizer grad = new FloatQuantizer(Format.BINARY16, Rounding.SR);
        assertEquals(BigInteger.valueOf(3).shiftLeft(62),
                SrExact.threshold(u -> grad.quantize(0.75 * 0x1p-24, u) == 0x1p-24));
        // the overflow policy does not matter for Definition 1 (its range is [-max, max])
        VarianceParams.of(new FloatQuantizer(Format.BINARY16, Rounding.SR, FloatQuantizer.Underflow.GRADUAL,
                FloatQuantizer.Overflow.CLAMP));
    }

    private static void refused(Quantizer q, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VarianceParams.of(q));
        assertTrue(e.getMessage().contains("not unbiased because") && e.getMessage().contains(reason)
                && e.getMessage().contains(q.toString()), e.getMessage());
        assertNotNull(VarianceParams.unbiasedReason(q));
    }

    /** A block-scaled quantizer with a fixed scale 2^e: delta of the element grid times 2^e (hand-derived). */
    @Test
    void blockQuantizerPerScale() {
        // E2M1 points 0, 0.5, 1, 1.5, 2, 3, 4, 6; zeta = 2^-1: max over gaps of gap - zeta*m = 0.5 (at m = 0)
        BlockQuantizer mx = BlockQuantizer.mx("mxfp4_e2m1", Rounding.SR);
        VarianceParams v = VarianceParams.ofBlock(mx, 3);
        assertEquals(0, v.delta().compareTo(new BigDecimal(4)));
        assertEquals(0, v.zeta().compareTo(new BigDecimal("0.5")));
        VarianceParams v2 = VarianceParams.ofBlock(mx, -127);
        assertEquals(0, v2.delta().compareTo(pow2(-128)));
        // MXINT8: k/64, zeta = 0, delta = 2^-6 * 2^e
        assertEquals(0, VarianceParams.ofBlock(BlockQuantizer.mxint8(Rounding.SR, false), 2).delta()
                .compareTo(pow2(-4)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VarianceParams.ofBlock(mx, 128));
        assertTrue(e.getMessage().contains("outside the range"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> VarianceParams.ofBlock(BlockQuantizer.mx("mxfp4_e2m1", Rounding.RNE), 0));
        assertTrue(e.getMessage().contains("not unbiased because"), e.getMessage());
    }

    static double[] gridOf(Quantizer q) {
        if (q instanceof GridQuantizer) return ((GridQuantizer) q).grid();
        if (q instanceof FixedPointQuantizer) {
            FixedPointQuantizer f = (FixedPointQuantizer) q;
            int n = (int) (f.maxInteger() - f.minInteger() + 1);
            double[] g = new double[n];
            for (int i = 0; i < n; i++) g[i] = Math.scalb((double) (f.minInteger() + i), -f.fractionLength());
            return g;
        }
        Format f = ((FloatQuantizer) q).format();
        TreeSet<Double> s = new TreeSet<>();
        for (long b = 0; b <= (f.signBit() | f.magnitudeMask()); b++) {
            if (f.isNaN(b) || f.isInf(b)) continue;
            double v = f.toDouble(b);
            s.add(v == 0 ? 0.0 : v);
        }
        return s.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
