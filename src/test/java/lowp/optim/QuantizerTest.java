package lowp.optim;

import lowp.optim.PaperFloatQuantizer.Mode;
import lowp.optim.Quantizer.VarianceParams;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Seed 002 quantizer checks C1–C12 (exact point sets, variance bounds, unbiasedness). */
class QuantizerTest {
    /** Two-sided 6.1-sigma threshold: false-failure probability below 1.1e-9 per check (normal approximation). */
    static final double Z = 6.1;

    @Test
    void fixedPointDomainAndSaturationC1C3() {
        FixedPointQuantizer q = new FixedPointQuantizer(4, -2, Rounding.SR, 1);
        assertEquals(-2.0, q.min());
        assertEquals(1.75, q.maxValue());
        assertEquals(-2.0, q.apply(-7, 0));
        assertEquals(1.75, q.apply(3, 0));
        int count = 0;
        for (int k = -8; k <= 7; k++) {
            double v = k * 0.25;
            for (int i = 0; i < 50; i++) {
                assertEquals(v, q.apply(v, i), "grid points are fixed points");
            }
            count++;
        }
        assertEquals(16, count);
        // every output is one of the two neighbours
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 10000; i++) {
            double x = -2 + 3.75 * r.nextDouble();
            double y = q.apply(x, i);
            double lo = Math.floor(x * 4) / 4;
            assertTrue(y == lo || y == lo + 0.25, x + " -> " + y);
        }
        assertEquals(0.25, new FixedPointQuantizer(4, -2, Rounding.RNE, 0).apply(0.3, 0));
    }

    @Test
    void stochasticRoundingIsUnbiasedC2() {
        Quantizer[] qs = {
            FixedPointQuantizer.unitRange(8, Rounding.SR, 9),
            new PaperFloatQuantizer(3, 2, 0, Mode.NORMAL, Rounding.SR, 9),
            new PaperFloatQuantizer(3, 2, 0, Mode.DENORMAL, Rounding.SR, 9),
            new PaperFloatQuantizer(3, 2, 0, Mode.IEEE, Rounding.SR, 9),
            new LogQuantizer(0.01, 0.1, 6, Rounding.SR, 9),
        };
        double[] xs = {0.3, -0.0123, 0.07, 0.2001, 0.001};
        int n = 100000;
        for (Quantizer q : qs) {
            for (double x : xs) {
                double lo = Double.NaN;
                double hi = Double.NaN;
                long up = 0;
                for (int i = 0; i < n; i++) {
                    double y = q.apply(x, i);
                    if (Double.isNaN(lo)) {
                        lo = y;
                    }
                    if (y != lo) {
                        hi = y;
                    }
                }
                // find the bracket, then count
                double a = lo;
                double b = Double.isNaN(hi) ? lo : hi;
                double qlo = Math.min(a, b);
                double qhi = Math.max(a, b);
                if (qlo == qhi) {
                    assertEquals(x, qlo, q.name() + " constant output must be x");
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    if (q.apply(x, i) == qhi) {
                        up++;
                    }
                }
                double p = (x - qlo) / (qhi - qlo);
                double sd = Math.sqrt(n * p * (1 - p));
                assertTrue(Math.abs(up - n * p) <= Z * sd, q.name() + " x=" + x + " up=" + up + " expected " + n * p);
            }
        }
    }

    static double exactVar(double w, double[] pts) {
        double a = Math.abs(w);
        for (int i = 0; i + 1 < pts.length; i++) {
            if (pts[i] <= a && a <= pts[i + 1]) {
                return (a - pts[i]) * (pts[i + 1] - a);
            }
        }
        return 0;
    }

    @Test
    void fpPointSetsC8C9() {
        for (int be = 2; be <= 4; be++) {
            for (int bm = 1; bm <= 3; bm++) {
                int ne = 1 << be;
                int nm = 1 << bm;
                PaperFloatQuantizer n = new PaperFloatQuantizer(be, bm, 0, Mode.NORMAL, Rounding.RNE, 0);
                PaperFloatQuantizer dn = new PaperFloatQuantizer(be, bm, 0, Mode.DENORMAL, Rounding.RNE, 0);
                PaperFloatQuantizer ie = new PaperFloatQuantizer(be, bm, 0, Mode.IEEE, Rounding.RNE, 0);
                assertEquals(1 + nm * (ne - 2), n.nonNegativePoints().length);
                assertEquals(nm * (ne - 2), dn.nonNegativePoints().length);
                assertEquals(nm * (ne - 1), ie.nonNegativePoints().length);
                assertEquals(4.0 / Math.pow(2, ne / 2), n.minPositive());
                assertEquals(8.0 / Math.pow(2, ne / 2 + bm), dn.minPositive());
                assertEquals((2 - Math.pow(2, -bm)) * Math.pow(2, ne / 2 - 1), n.maxValue());
                assertEquals(n.maxValue(), dn.maxValue());
            }
        }
        PaperFloatQuantizer h = new PaperFloatQuantizer(5, 10, 0, Mode.NORMAL, Rounding.RNE, 0);
        assertEquals(0x1p-14, h.minPositive());
        assertEquals(65504.0, h.maxValue());
        assertEquals(0x1p-23, new PaperFloatQuantizer(5, 10, 0, Mode.DENORMAL, Rounding.RNE, 0).minPositive());
        assertEquals(0x1p-24, new PaperFloatQuantizer(5, 10, 0, Mode.IEEE, Rounding.RNE, 0).minPositive());
        // paper-normal points equal the binary16 normals (+0): spot check against Float.float16ToFloat-free table
        double[] pts = h.nonNegativePoints();
        assertEquals(1 + 1024 * 30, pts.length);
        assertEquals(1 + 0x1p-10, pts[2] / 0x1p-14);
        // stochastic flush below the smallest normal goes to 0 or delta_normal only
        PaperFloatQuantizer hs = new PaperFloatQuantizer(5, 10, 0, Mode.NORMAL, Rounding.SR, 4);
        for (int i = 0; i < 1000; i++) {
            double y = hs.apply(0x1p-16, i);
            assertTrue(y == 0 || y == 0x1p-14);
        }
        // scale factor s = 2: every point doubles
        PaperFloatQuantizer s2 = new PaperFloatQuantizer(3, 2, 1, Mode.NORMAL, Rounding.RNE, 0);
        PaperFloatQuantizer s1 = new PaperFloatQuantizer(3, 2, 0, Mode.NORMAL, Rounding.RNE, 0);
        double[] a = s1.nonNegativePoints();
        double[] b = s2.nonNegativePoints();
        for (int i = 0; i < a.length; i++) {
            assertEquals(2 * a[i], b[i]);
        }
    }

    @Test
    void gapCriterionAndDefinition1C6C7() {
        for (Mode mode : Mode.values()) {
            for (int be = 2; be <= 5; be++) {
                for (int bm = 1; bm <= 4; bm++) {
                    for (int sExp = -1; sExp <= 1; sExp++) {
                        PaperFloatQuantizer q = new PaperFloatQuantizer(be, bm, sExp, mode, Rounding.SR, 0);
                        VarianceParams p = q.params();
                        double[] pts = q.nonNegativePoints();
                        double maxGap = 0;
                        for (int i = 0; i + 1 < pts.length; i++) {
                            maxGap = Math.max(maxGap, pts[i + 1] - pts[i] - p.zeta() * pts[i]);
                        }
                        assertEquals(p.delta(), maxGap, q.name() + ": gap criterion holds with equality");
                        if (be <= 3) {
                            checkDefinition1(pts, p, q.name());
                        }
                    }
                }
            }
        }
        LogQuantizer lq = new LogQuantizer(0.01, 0.5, 6, Rounding.SR, 0);
        double[] lp = new double[32];
        for (int i = 0; i < 32; i++) {
            lp[i] = lq.point(i);
        }
        checkDefinition1(lp, lq.params(), "log");
    }

    static void checkDefinition1(double[] pts, VarianceParams p, String name) {
        for (int i = 0; i + 1 < pts.length; i++) {
            for (int k = 1; k < 16; k++) {
                double w = pts[i] + (pts[i + 1] - pts[i]) * k / 16;
                double var = (w - pts[i]) * (pts[i + 1] - w);
                for (double zz : pts) {
                    for (double z : new double[] {zz, -zz}) {
                        double dz = Math.abs(w - z);
                        double rhs = p.delta() * dz + p.zeta() * Math.abs(z) * dz + p.eta() * dz * dz;
                        assertTrue(var <= rhs * (1 + 1e-12), name + " w=" + w + " z=" + z);
                    }
                }
            }
        }
    }

    @Test
    void etaIsTightC12() {
        // b_m = 3, b_e = 5: at w = q 2(1+zeta)/(2+zeta), z = 0, var = eta w^2 (up to delta w) for large q
        PaperFloatQuantizer q = new PaperFloatQuantizer(5, 3, 0, Mode.NORMAL, Rounding.SR, 0);
        VarianceParams p = q.params();
        double zeta = p.zeta();
        double y = 10;
        double base = Math.pow(2, y);
        double w = base * 2 * (1 + zeta) / (2 + zeta);
        double var = exactVar(w, q.nonNegativePoints());
        double ratio = var / (p.delta() * w + p.eta() * w * w);
        assertTrue(ratio > 0.99 && ratio <= 1, "ratio " + ratio);
        assertTrue(var > p.delta() * w + 0.99 * p.eta() * w * w, "0.99 eta fails Definition 1");
    }

    @Test
    void logPointsC10() {
        LogQuantizer q = new LogQuantizer(0.01, 0.1, 8, Rounding.SR, 0);
        double qi = 0;
        for (int i = 0; i < 128; i++) {
            assertEquals(qi, q.point(i), Math.ulp(qi) * 64 + 1e-18);
            qi = qi + 0.01 + 0.1 * qi;
        }
        LogQuantizer lin = new LogQuantizer(0.25, 0, 4, Rounding.RNE, 0);
        assertEquals(1.75, lin.maxValue());
        assertEquals(-2.0, lin.apply(-5, 0));
        assertEquals(0.5, lin.apply(0.55, 0));
    }

    @Test
    void formatQuantizerAdapterIsOneRounding() {
        SplittableRandom r = new SplittableRandom(12);
        for (String f : new String[] {"bf16", "fp16", "e4m3fn", "e5m2"}) {
            for (String rd : new String[] {"rne", "rtz", "sr"}) {
                lowp.format.Format fmt = lowp.format.Format.parse(f);
                FloatQuantizer q = new FloatQuantizer(fmt, Rounding.parse(rd), 77);
                for (int i = 0; i < 2000; i++) {
                    double x = Math.scalb(r.nextGaussian(), r.nextInt(30) - 15);
                    lowp.round.Env env = new lowp.round.Env(Rounding.parse(rd));
                    env.random = Rng.word(77, 17, i);
                    double want = ExactRound.value(fmt, lowp.ref.RefOps.fromDouble(fmt, x, env));
                    assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(q.apply(x, i)), f + " " + rd + " " + x);
                }
            }
        }
    }

    /** The optimizer quantizers are adapters: the lowp.quant quantizer's result for the same word, bit for bit. */
    @Test
    void adaptersAreLowpQuantBitForBit() {
        SplittableRandom r = new SplittableRandom(21);
        Rounding[] rs = {Rounding.SR, Rounding.srBits(8), Rounding.SR_EQUAL, Rounding.RNE, Rounding.RNA,
            Rounding.RTZ, Rounding.RUP, Rounding.RDN, Rounding.RTO};
        for (Rounding rd : rs) {
            FixedPointQuantizer fx = new FixedPointQuantizer(12, -6, rd, 5);
            lowp.quant.FixedPointQuantizer qfx = new lowp.quant.FixedPointQuantizer(12, 6, true, rd,
                    lowp.quant.FixedPointQuantizer.OverflowMode.SATURATE);
            LogQuantizer lg = new LogQuantizer(0.01, 0.1, 8, rd, 6);
            lowp.quant.GridQuantizer qlg = lowp.quant.GridQuantizer.logarithmic(0.01, 0.1, 8, rd);
            Quantizer parsedLog = Quantizers.parse("log:0.01,0.1,8", rd, 6);
            Quantizer parsedFx = Quantizers.parse("fixed:s12.6", rd, 5);
            // the paper's sets agree with lowp.quant's explicit grids except for rne ties and rto (the grid
            // quantizer uses the grid index's parity, the FPQ the mantissa's, as the format does)
            boolean tiesDiffer = rd.mode() == lowp.round.Mode.RNE || rd.mode() == lowp.round.Mode.RTO;
            PaperFloatQuantizer[] fpq = new PaperFloatQuantizer[2];
            lowp.quant.GridQuantizer[] gpq = new lowp.quant.GridQuantizer[2];
            for (int d = 0; d < 2; d++) {
                fpq[d] = new PaperFloatQuantizer(3, 2, 1, d == 0 ? Mode.NORMAL : Mode.DENORMAL, rd, 8);
                gpq[d] = lowp.quant.GridQuantizer.paperFloat(3, 2, 1, d == 1, rd);
            }
            for (int i = 0; i < 1500; i++) {
                double x = Math.scalb(r.nextDouble() * 2 - 1, r.nextInt(16) - 8);
                if (i % 5 == 0) x = Math.scalb((double) r.nextInt(4096) - 2048, -6 - r.nextInt(3)); // grid, ties
                long w7 = Rng.word(5, 7, i), w13 = Rng.word(6, 13, i), w11 = Rng.word(8, 11, i);
                bits(qfx.quantize(x, w7), fx.apply(x, i), fx.name() + " " + x);
                bits(qfx.quantize(x, w7), parsedFx.apply(x, i), "fixed:s12.6 " + x);
                bits(qlg.quantize(x, w13), lg.apply(x, i), lg.name() + " " + x);
                bits(qlg.quantize(x, w13), parsedLog.apply(x, i), "log:0.01,0.1,8 " + x);
                for (int d = 0; d < 2; d++) {
                    double want = gpq[d].quantize(x, w11), got = fpq[d].apply(x, i);
                    if (tiesDiffer && want != got) {
                        // rne: only at an exact midpoint; rto: odd index vs odd mantissa, the two neighbours of x
                        double lo = Math.min(want, got), hi = Math.max(want, got);
                        if (rd.mode() == lowp.round.Mode.RNE) {
                            assertEquals(x, lo + (hi - lo) / 2, fpq[d].name() + " differs off a tie at " + x);
                        } else {
                            assertTrue(lo < x && x < hi, fpq[d].name() + " " + x + ": " + want + " vs " + got);
                        }
                    } else {
                        assertEquals(want == 0 ? 0.0 : want, got == 0 ? 0.0 : got, fpq[d].name() + " " + x);
                    }
                }
            }
        }
        // the optimizer's log grid is lowp.quant's (the exact recursion rounded once), not expm1/log1p's
        LogQuantizer lg = new LogQuantizer(0.01, 0.1, 8, Rounding.SR, 0);
        double[] g = lowp.quant.GridQuantizer.logarithmic(0.01, 0.1, 8, Rounding.SR).grid();
        for (int i = 0; i <= 128; i++) {
            bits(i == 128 ? -g[0] : g[128 + i], lg.point(i), "point " + i);
        }
        assertEquals(0, new java.math.BigDecimal(lg.maxValue()).compareTo(new java.math.BigDecimal(g[255])));
    }

    static void bits(double want, double got, String what) {
        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), what + ": " + want + " vs " + got);
    }

    @Test
    void oneSpecGrammar() {
        // lowp.quant's grammar with the rounding given separately
        assertTrue(Quantizers.parse("binary16,flush", Rounding.SR, 0) instanceof FloatQuantizer);
        assertEquals(0.0, Quantizers.parse("binary16,flush", Rounding.SR, 0).apply(0x1p-25, 0));
        assertEquals(0x1p-6, ((FixedPointQuantizer) Quantizers.parse("fixed:s12.6", Rounding.SR, 0)).delta());
        assertEquals(31.984375, Quantizers.parse("fixed:s12.6", Rounding.SR, 0).maxValue()); // (2^11 - 1) / 64
        // the former optimizer-only forms are refused with the new spelling
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Quantizers.parse("fixed:12:-6", Rounding.SR, 0));
        assertTrue(e.getMessage().contains("fixed:sB.F"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Quantizers.parse("log:8:0.01:0.1", Rounding.SR, 0));
        assertTrue(e.getMessage().contains("log:DELTA,ZETA,B"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Quantizers.parse("mxfp4_e2m1", Rounding.SR, 0));
        assertTrue(e.getMessage().contains("not an elementwise quantizer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Quantizers.parse("fixed:u8.4", Rounding.SR, 0));
        assertTrue(e.getMessage().contains("signed and saturating"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Quantizers.parse("binary16/sr", Rounding.SR, 0));
        assertTrue(e.getMessage().contains("binary16/sr"), e.getMessage());
    }

    @Test
    void parseSpecs() {
        assertEquals("fixed8(delta=2^-7)/sr", Quantizers.parse("fixed8", Rounding.SR, 0).name());
        assertTrue(Quantizers.parse("fpq:5:10:denormal", Rounding.SR, 0).name().contains("denormal"));
        assertTrue(Quantizers.parse("bf16", Rounding.RNE, 0) instanceof FloatQuantizer);
        assertThrows(IllegalArgumentException.class, () -> Quantizers.parse("fpq:x", Rounding.SR, 0));
    }
}
