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
        assertEquals(0, VarianceParams.of(new FloatQuantizer(Format.parse("binary16:nosub"), Rounding.SR)).delta()
                .compareTo(pow2(-14)));
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
                for (int t = 0; t < 6; t++) {
                    // w near the start (toward zero end) of the gap, and random
                    double frac = t == 0 ? 1e-6 : r.nextDouble();
                    double w = g[i] >= 0 ? g[i] + (g[i + 1] - g[i]) * frac : g[i + 1] - (g[i + 1] - g[i]) * frac;
                    BigDecimal bw = new BigDecimal(w), lo = new BigDecimal(g[i]), hi = new BigDecimal(g[i + 1]);
                    BigDecimal var = bw.subtract(lo).multiply(hi.subtract(bw));
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
