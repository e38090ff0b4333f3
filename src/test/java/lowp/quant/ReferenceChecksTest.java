package lowp.quant;

import lowp.format.Format;
import lowp.format.Kind;
import lowp.ref.RefOps;
import lowp.rng.RandomKey;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Mode;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Independent reference checks (BigDecimal / the BigInteger reference lowp.ref, never the code under test) for
 * the FLUSH and CLAMP edge policies, block quantizers (MX FP, MXINT8, NVFP4) under every rounding including
 * sr-equal, rup, rdn and rto, E8M0 scale clamping at both ends, and grid quantizers (random, logarithmic and a
 * non-dyadic linear grid; ties on both sides of 0).
 */
class ReferenceChecksTest {
    static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);
    static final BigDecimal TWO64D = new BigDecimal(TWO64);
    static final String[] ROUNDINGS = {"rne", "rna", "rtz", "rup", "rdn", "rto", "sr", "sr-equal", "sr1", "sr3",
        "sr8", "sr13", "sr20", "sr45", "sr62"};

    // ------------------------------------------------------------------ FLUSH / CLAMP vs lowp.ref

    /**
     * Expected bits by definition (docs/quantizers.md): RefOps.fromDouble with the same word, then FLUSH maps a
     * finite non-zero x with |x| below the format's smallest positive value to a zero of x's sign, and CLAMP maps
     * a finite x whose reference rounding overflowed (OVERFLOW flag) to ±max.
     */
    static long expected(Format f, Rounding rd, double x, long w, FloatQuantizer.Underflow u, FloatQuantizer.Overflow o) {
        boolean neg = Double.doubleToRawLongBits(x) < 0;
        if (u == FloatQuantizer.Underflow.FLUSH && f.kind() != Kind.E8M0 && Double.isFinite(x) && x != 0
                && new BigDecimal(x).abs().compareTo(f.toBigDecimal(f.minPositiveBits())) < 0) {
            return f.zeroBits(neg);
        }
        Env env = new Env(rd);
        env.random = w;
        long r = RefOps.fromDouble(f, x, env);
        if (o == FloatQuantizer.Overflow.CLAMP && Double.isFinite(x) && (env.flags & Flags.OVERFLOW) != 0
                && !(neg && !f.signed())) {
            return (neg ? f.signBit() : 0) | f.maxFiniteBits();
        }
        return r;
    }

    @Test
    void flushAndClampMatchTheReference() {
        Random r = new Random(20261207);
        for (String fs : FloatQuantizerProperties.FORMATS) {
            Format f = Format.parse(fs);
            BigDecimal minPos = f.toBigDecimal(f.minPositiveBits());
            for (String rs : ROUNDINGS) {
                Rounding rd = Rounding.parse(rs);
                for (FloatQuantizer.Underflow u : FloatQuantizer.Underflow.values()) {
                    for (FloatQuantizer.Overflow o : FloatQuantizer.Overflow.values()) {
                        FloatQuantizer q = new FloatQuantizer(f, rd, u, o);
                        for (int i = 0; i < 24; i++) {
                            double x;
                            switch (i % 4) {
                                case 0: x = minPos.doubleValue() * r.nextDouble() * 2; break; // around min positive
                                case 1: x = f.toBigDecimal(f.maxFiniteBits()).doubleValue() * (0.9 + r.nextDouble() * 0.3); break;
                                default: x = FloatQuantizerProperties.interesting(f, r);
                            }
                            if (r.nextBoolean()) x = -x;
                            long w = r.nextLong();
                            final double xx = x;
                            assertEquals(expected(f, rd, x, w, u, o), q.encode(x, w),
                                    () -> q + " x=" + xx + " w=" + Long.toHexString(w));
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ grid reference (magnitudes)

    /**
     * Rounds the exact value a (a &gt;= 0) onto the magnitude grid g (ascending, g[0] = 0) with rule r for an
     * element of sign neg, by definition: above g[last] saturate; RNE/RNA nearest (ties: even index / away),
     * RTZ/RUP/RDN by direction, RTO the odd-index neighbour, SR up iff U * gap &lt; dist * 2^64, SR_EQUAL up
     * iff U &gt;= 2^63, srN up iff floor(dist 2^N / gap) + (U &gt;&gt; 64-N) &gt;= 2^N.
     */
    static int refIndex(BigDecimal a, BigDecimal[] g, Rounding r, boolean neg, long u) {
        int last = g.length - 1;
        if (a.compareTo(g[last]) >= 0) return last;
        int i = 0;
        while (g[i + 1].compareTo(a) <= 0) i++;
        BigDecimal dist = a.subtract(g[i]);
        if (dist.signum() == 0) return i;
        BigDecimal gap = g[i + 1].subtract(g[i]);
        BigInteger uu = new BigInteger(Long.toUnsignedString(u));
        boolean up;
        switch (r.mode()) {
            case RNE:
            case RNA: {
                int c = dist.multiply(BigDecimal.valueOf(2)).compareTo(gap);
                up = c > 0 || (c == 0 && (r.mode() == Mode.RNA || i % 2 == 1));
                break;
            }
            case RTZ: up = false; break;
            case RUP: up = !neg; break;
            case RDN: up = neg; break;
            case RTO: up = i % 2 == 0; break;
            case SR: up = new BigDecimal(uu).multiply(gap).compareTo(dist.multiply(TWO64D)) < 0; break;
            case SR_EQUAL: up = uu.testBit(63); break;
            case SR_BITS: {
                int n = r.randomBits();
                BigInteger fl = dist.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(n)))
                        .divide(gap, 0, RoundingMode.FLOOR).toBigIntegerExact();
                up = fl.add(uu.shiftRight(64 - n)).compareTo(BigInteger.ONE.shiftLeft(n)) >= 0;
                break;
            }
            default: throw new AssertionError(r);
        }
        return up ? i + 1 : i;
    }

    static BigDecimal pow2(int e) {
        return VarianceParams.pow2(e);
    }

    /** Non-negative finite magnitudes of a small float format, ascending. */
    static BigDecimal[] floatGrid(Format f) {
        java.util.TreeSet<BigDecimal> s = new java.util.TreeSet<>();
        for (long b = 0; b <= f.magnitudeMask(); b++) {
            if (f.isNaN(b) || f.isInf(b)) continue;
            s.add(f.toBigDecimal(b).abs());
        }
        return s.toArray(new BigDecimal[0]);
    }

    /** k/64 for k = 0..kmax. */
    static BigDecimal[] intGrid(int kmax) {
        BigDecimal[] g = new BigDecimal[kmax + 1];
        for (int k = 0; k <= kmax; k++) g[k] = BigDecimal.valueOf(k).divide(BigDecimal.valueOf(64));
        return g;
    }

    // ------------------------------------------------------------------ block quantizers

    /** Reference block: element values and the scale's E8M0 exponent (power-of-two rules) or value (AMAX). */
    record Ref(double[] values, BigDecimal scale) {
    }

    /**
     * @param pos magnitude grid for non-negative elements, neg for negative ones (MXINT8 two's complement: 128/64)
     */
    static Ref refBlock(double[] v, long[] w, BigDecimal[] pos, BigDecimal[] neg, Rounding r, BlockQuantizer q,
                        boolean integer) {
        BigDecimal emaxV = pos[pos.length - 1];
        BigDecimal amax = BigDecimal.ZERO;
        for (double d : v) {
            if (!Double.isFinite(d)) throw new IllegalStateException("non-finite input " + Arrays.toString(v));
            amax = amax.max(new BigDecimal(d).abs());
        }
        Format sf = q.scaleFormat();
        BigDecimal minS = sf.toBigDecimal(sf.minPositiveBits()), maxS = sf.toBigDecimal(sf.maxFiniteBits());
        BigDecimal scale;
        if (amax.signum() == 0) {
            scale = minS;
        } else if (q.scaleRule() == BlockQuantizer.ScaleRule.AMAX) {
            // amax / max_elem rounded to nearest (ties even) into the scale grid, clamped to max
            BigDecimal[] sg = floatGrid(sf);
            scale = sg[refIndexScaled(amax, emaxV, sg, Rounding.RNE, false, 0)]; // saturates at the max scale
        } else {
            int fl = 0;
            while (pow2(fl).compareTo(amax) > 0) fl--;
            while (pow2(fl + 1).compareTo(amax) <= 0) fl++;
            int emaxE = 0;
            while (pow2(emaxE + 1).compareTo(emaxV) <= 0) emaxE++;
            int se = fl - emaxE;
            if (q.scaleRule() == BlockQuantizer.ScaleRule.POW2_UP) {
                se = fl - emaxE - 2;
                while (amax.compareTo(emaxV.multiply(pow2(se))) > 0) se++;
            }
            scale = pow2(se);
            if (scale.compareTo(minS) < 0) scale = minS;
            if (scale.compareTo(maxS) > 0) scale = maxS;
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            boolean ng = Double.doubleToRawLongBits(v[i]) < 0;
            BigDecimal[] g = ng ? neg : pos;
            BigDecimal m;
            if (scale.signum() == 0) {
                m = BigDecimal.ZERO;
            } else {
                // |x| / scale rounded onto g, compared in the scaled domain (exact for any scale)
                m = g[refIndexScaled(new BigDecimal(v[i]).abs(), scale, g, r, ng, w[i])].multiply(scale);
            }
            double d = m.doubleValue();
            out[i] = ng && !(integer && d == 0) ? -d : d; // integer elements have no -0
        }
        return new Ref(out, scale);
    }

    /** refIndex of |x| / scale, exactly, without dividing (grid scaled by the scale instead). */
    static int refIndexScaled(BigDecimal ax, BigDecimal scale, BigDecimal[] g, Rounding r, boolean neg, long u) {
        BigDecimal[] s = new BigDecimal[g.length];
        for (int i = 0; i < g.length; i++) s[i] = g[i].multiply(scale);
        return refIndex(ax, s, r, neg, u);
    }

    static double[] block(Random r, int k, int e0) {
        double[] v = new double[k];
        for (int i = 0; i < k; i++) {
            switch (r.nextInt(6)) {
                case 0: v[i] = 0; break;
                case 1: v[i] = Math.scalb((double) (r.nextInt(256) - 128), e0 - 7); break; // on grid points and ties
                default: v[i] = r.nextGaussian() * Math.scalb(1.0, e0 + r.nextInt(8) - 6);
            }
        }
        return v;
    }

    @Test
    void blockQuantizersUnderEveryRoundingMatchTheReference() {
        Random r = new Random(77);
        String[] rs = {"rne", "rna", "rtz", "rup", "rdn", "rto", "sr", "sr-equal", "sr4"};
        for (String rname : rs) {
            Rounding rd = Rounding.parse(rname);
            List<BlockQuantizer> qs = new ArrayList<>();
            qs.add(BlockQuantizer.mxint8(rd, false));
            qs.add(BlockQuantizer.mxint8(rd, true));
            qs.add(BlockQuantizer.mx("mxfp8_e4m3", rd));
            qs.add(BlockQuantizer.mx("mxfp4_e2m1", rd));
            qs.add(BlockQuantizer.mx("mxfp6_e3m2", rd));
            qs.add(new BlockQuantizer(Format.E2M1FN, rd, Format.E4M3FN, 16, BlockQuantizer.ScaleRule.AMAX, Rounding.RNE));
            qs.add(new BlockQuantizer(Format.E3M2FN, rd, Format.E8M0FNU, 8, BlockQuantizer.ScaleRule.POW2_UP, null));
            for (BlockQuantizer q : qs) {
                BigDecimal[] pos, neg;
                boolean isInt = q.elementQuantizer() instanceof FixedPointQuantizer;
                if (isInt) {
                    pos = intGrid(127);
                    neg = q.toString().contains("symmetric") ? intGrid(127) : intGrid(128);
                } else {
                    pos = neg = floatGrid(((FloatQuantizer) q.elementQuantizer()).format());
                }
                int k = q.blockSize();
                for (int rep = 0; rep < 12; rep++) {
                    int e0 = rep < 2 ? (rep == 0 ? 140 : -140) : r.nextInt(40) - 20; // E8M0 ends: 2^+-140
                    if (q.scaleFormat() != Format.E8M0FNU && rep < 2) e0 = rep == 0 ? 12 : -12;
                    double[] x = block(r, k, e0);
                    RandomKey key = RandomKey.of(r.nextLong(), 3, rep);
                    double[] y = new double[k];
                    long[] eb = new long[k], sb = new long[1];
                    q.quantizeBlocks(x, 1, k, 1, y, eb, sb, key, 1);
                    long[] w = new long[k];
                    for (int j = 0; j < k; j++) w[j] = key.word(j);
                    Ref want = refBlock(x, w, pos, neg, rd, q, isInt);
                    assertEquals(0, q.scaleFormat().toBigDecimal(sb[0]).compareTo(want.scale()),
                            q + " scale of block " + Arrays.toString(x));
                    for (int j = 0; j < k; j++) {
                        assertEquals(Double.doubleToRawLongBits(want.values()[j]), Double.doubleToRawLongBits(y[j]),
                                q + " element " + j + " x=" + x[j] + " scale " + want.scale());
                    }
                }
            }
        }
    }

    /**
     * Bits out for float[] input: several blocks per call (inner axis 1, a short last block), element and scale
     * bits checked against refBlock of each block, the element bits decoded independently (Format for float
     * elements, two's complement k/64 for MXINT8), float values by raw bits; 1 and 2 threads agree.
     */
    @Test
    void floatBlocksBitsOutMatchTheReference() {
        Random r = new Random(4711);
        for (String rname : new String[] {"rne", "rtz", "sr", "sr4"}) {
            Rounding rd = Rounding.parse(rname);
            BlockQuantizer[] qs = {BlockQuantizer.mxint8(rd, false), BlockQuantizer.mx("mxfp8_e5m2", rd),
                BlockQuantizer.mx("mxfp4_e2m1", rd),
                new BlockQuantizer(Format.E2M1FN, rd, Format.E4M3FN, 16, BlockQuantizer.ScaleRule.AMAX, Rounding.RNE)};
            for (BlockQuantizer q : qs) {
                boolean isInt = q.elementQuantizer() instanceof FixedPointQuantizer;
                BigDecimal[] pos = isInt ? intGrid(127) : floatGrid(((FloatQuantizer) q.elementQuantizer()).format());
                BigDecimal[] neg = isInt ? intGrid(128) : pos;
                int k = q.blockSize(), nb = 3, len = nb * k - 5;
                float[] x = new float[len];
                for (int b = 0; b < nb; b++) {
                    double[] v = block(r, k, r.nextInt(30) - 15);
                    for (int j = 0; j < k && b * k + j < len; j++) x[b * k + j] = (float) v[j];
                }
                RandomKey key = RandomKey.of(r.nextLong(), 5, 1);
                float[] y = new float[len], y2 = new float[len];
                long[] eb = new long[len], sb = new long[nb], eb2 = new long[len], sb2 = new long[nb];
                q.quantizeBlocks(x, 1, len, 1, y, eb, sb, key, 1);
                q.quantizeBlocks(x, 1, len, 1, y2, eb2, sb2, key, 2);
                assertArrayEquals(eb, eb2);
                assertArrayEquals(sb, sb2);
                for (int b = 0; b < nb; b++) {
                    int cnt = Math.min(k, len - b * k);
                    double[] v = new double[cnt];
                    long[] w = new long[cnt];
                    for (int j = 0; j < cnt; j++) {
                        v[j] = x[b * k + j];
                        w[j] = key.word(b * k + j);
                    }
                    Ref want = refBlock(v, w, pos, neg, rd, q, isInt);
                    assertEquals(0, q.scaleFormat().toBigDecimal(sb[b]).compareTo(want.scale()), q + " scale " + b);
                    for (int j = 0; j < cnt; j++) {
                        int i = b * k + j;
                        long bits = eb[i];
                        BigDecimal elemV = isInt ? BigDecimal.valueOf((byte) bits).divide(BigDecimal.valueOf(64))
                                : ((FloatQuantizer) q.elementQuantizer()).format().toBigDecimal(bits);
                        assertEquals(0, elemV.multiply(want.scale()).compareTo(new BigDecimal(want.values()[j])),
                                q + " bits of element " + i + " x=" + x[i]);
                        assertEquals(Float.floatToRawIntBits((float) want.values()[j]), Float.floatToRawIntBits(y[i]),
                                q + " value of element " + i + " x=" + x[i]);
                        if (!isInt) { // the sign bit of a float element keeps the sign of a zero result
                            int signBit = ((FloatQuantizer) q.elementQuantizer()).format().width() - 1;
                            assertEquals(Float.floatToRawIntBits(x[i]) < 0, ((bits >>> signBit) & 1) == 1,
                                    q + " sign of element " + i);
                        }
                    }
                }
            }
        }
    }

    /** E8M0 scale clamping at both ends (hand-derived codes) for the MX and POW2_UP rules. */
    @Test
    void e8m0ScaleClampsAtBothEnds() {
        for (BlockQuantizer.ScaleRule rule : new BlockQuantizer.ScaleRule[] {BlockQuantizer.ScaleRule.MX,
            BlockQuantizer.ScaleRule.POW2_UP}) {
            BlockQuantizer q = new BlockQuantizer(Format.E4M3FN, Rounding.RNE, Format.E8M0FNU, 32, rule, null);
            double[] big = new double[32], tiny = new double[32];
            big[0] = 0x1p140;
            big[1] = 0x1p120;
            tiny[0] = 0x1p-140;
            tiny[1] = -0x1.8p-133;
            long[] sb = new long[1];
            double[] y = new double[32];
            // floor(log2 2^140) - 8 = 132 > 127: clamped to 2^127 (code 254); 2^140 / 2^127 = 8192 > 448 -> 448
            q.quantizeBlocks(big, 1, 32, 1, y, null, sb, null, 1);
            assertEquals(254, sb[0]);
            assertEquals(448 * 0x1p127, y[0]);
            assertEquals(0x1p120, y[1]); // 2^-7 in E4M3 (normal): exact
            // floor(log2 2^-140) - 8 < -127: clamped to 2^-127 (code 0); 2^-140 / 2^-127 = 2^-13 is below half
            // the smallest E4M3 subnormal 2^-9 -> 0; -1.5*2^-133 / 2^-127 = -1.5*2^-6 = -0.0234375: E4M3
            // subnormals k*2^-9: 12*2^-9 exactly -> -1.5*2^-133
            q.quantizeBlocks(tiny, 1, 32, 1, y, null, sb, null, 1);
            assertEquals(0, sb[0]);
            assertEquals(0.0, y[0]);
            assertEquals(-0x1.8p-133, y[1]);
        }
    }

    // ------------------------------------------------------------------ grid quantizer

    /** Reference for a full (signed) sorted grid p: the GridQuantizer contract, by definition. */
    static double refGrid(double[] p, double x, Rounding r, long u) {
        int n = p.length;
        if (x <= p[0]) return p[0];
        if (x >= p[n - 1]) return p[n - 1];
        BigDecimal bx = new BigDecimal(x);
        int i = 0;
        while (new BigDecimal(p[i + 1]).compareTo(bx) <= 0) i++;
        BigDecimal lo = new BigDecimal(p[i]), hi = new BigDecimal(p[i + 1]);
        if (bx.compareTo(lo) == 0) return p[i];
        boolean pos = x > 0;
        int awayI = pos ? i + 1 : i, nearI = pos ? i : i + 1;
        BigDecimal gap = hi.subtract(lo);
        BigDecimal dist = pos ? bx.subtract(lo) : hi.subtract(bx); // from the toward-zero neighbour
        BigInteger uu = new BigInteger(Long.toUnsignedString(u));
        boolean away;
        switch (r.mode()) {
            case RUP: return p[i + 1];
            case RDN: return p[i];
            case RTZ: return p[nearI];
            case RTO: return (i + 1) % 2 == 1 ? p[i + 1] : p[i];
            case RNE:
            case RNA: {
                int c = dist.multiply(BigDecimal.valueOf(2)).compareTo(gap);
                away = c > 0 || (c == 0 && (r.mode() == Mode.RNA || awayI % 2 == 0));
                break;
            }
            case SR: away = new BigDecimal(uu).multiply(gap).compareTo(dist.multiply(TWO64D)) < 0; break;
            case SR_EQUAL: away = uu.testBit(63); break;
            case SR_BITS: {
                int nb = r.randomBits();
                BigInteger fl = dist.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(nb)))
                        .divide(gap, 0, RoundingMode.FLOOR).toBigIntegerExact();
                away = fl.add(uu.shiftRight(64 - nb)).compareTo(BigInteger.ONE.shiftLeft(nb)) >= 0;
                break;
            }
            default: throw new AssertionError(r);
        }
        return away ? p[awayI] : p[nearI];
    }

    @Test
    void gridQuantizersMatchTheReference() {
        Random r = new Random(5150);
        for (String rs : ROUNDINGS) {
            Rounding rd = Rounding.parse(rs);
            double[] rnd = new double[17];
            for (int i = 0; i < rnd.length; i++) rnd[i] = Math.scalb(r.nextGaussian(), r.nextInt(6) - 3);
            GridQuantizer[] gs = {
                GridQuantizer.linear(0.1, 5, rd),                // non-dyadic: k * 0.1 rounded to doubles
                GridQuantizer.logarithmic(0.01, 0.1, 6, rd),
                new GridQuantizer(rnd, rd, null, "random"),       // no zero point, straddles 0
                new GridQuantizer(new double[] {-7, -4, -3, -1, 0, 2, 3, 6}, rd, null, "ints"),
            };
            for (GridQuantizer g : gs) {
                double[] p = g.grid();
                for (int t = 0; t < 150; t++) {
                    int i = r.nextInt(p.length - 1);
                    double x;
                    switch (t % 5) {
                        case 0: x = p[i] + (p[i + 1] - p[i]) / 2; break;   // midpoint (a tie when exact)
                        case 1: x = p[i]; break;
                        case 2: x = (r.nextBoolean() ? 1.5 : -1.5) * p[r.nextBoolean() ? 0 : p.length - 1]; break;
                        default: x = p[i] + (p[i + 1] - p[i]) * r.nextDouble();
                    }
                    long u = t % 7 == 0 ? (r.nextBoolean() ? 0 : -1) : r.nextLong();
                    final double xx = x;
                    assertEquals(Double.doubleToRawLongBits(refGrid(p, x, rd, u)), Double.doubleToRawLongBits(
                            g.quantize(x, u)), () -> g + " x=" + xx + " u=" + Long.toHexString(u));
                }
            }
        }
    }

    /**
     * NaN policy of GridQuantizer.encode: NAN_CODE (-1) per element, also inside arrays split over threads (no
     * exception part way); decode(NAN_CODE) is NaN; the other elements are the reference's grid indices.
     */
    @Test
    void gridEncodeGivesNanCodePerElement() {
        Random r = new Random(99);
        for (String rs : new String[] {"rne", "sr", "rto"}) {
            Rounding rd = Rounding.parse(rs);
            GridQuantizer g = GridQuantizer.logarithmic(0.01, 0.1, 6, rd);
            double[] p = g.grid();
            int n = 3 * 65536 + 17; // several Parallel chunks
            double[] x = new double[n];
            float[] xf = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = i % 1000 == 3 ? Double.NaN : (float) (r.nextGaussian() * 0.3);
                xf[i] = (float) x[i];
            }
            RandomKey key = RandomKey.of(12, 1, 0);
            for (int t : new int[] {1, 2, 7}) {
                long[] b = g.encode(x, key, t), bf = g.encode(xf, key, t);
                assertArrayEquals(b, bf);
                for (int i = 0; i < n; i++) {
                    if (Double.isNaN(x[i])) {
                        assertEquals(GridQuantizer.NAN_CODE, b[i], "NaN element " + i);
                        assertTrue(Double.isNaN(g.decode(b[i])));
                    } else if (i % 37 == 0 || t == 1 && i % 7 == 0) {
                        double want = refGrid(p, x[i], rd, rd.isStochastic() ? key.word(i) : 0);
                        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(p[(int) b[i]]),
                                rs + " element " + i + " x=" + x[i]);
                    } else {
                        assertTrue(b[i] >= 0 && b[i] < p.length, "index " + b[i]);
                    }
                }
            }
            assertTrue(Double.isNaN(g.quantize(Double.NaN, 0)));
            assertThrows(IllegalArgumentException.class, () -> g.decode(p.length));
            assertThrows(IllegalArgumentException.class, () -> g.decode(-2));
        }
    }
}
