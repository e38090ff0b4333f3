package lowp.quant;

import lowp.rng.RandomKey;
import lowp.round.Rounding;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FixedPointQuantizer against an independent BigDecimal reference written from the definitions. */
class FixedPointQuantizerProperties {
    static final BigDecimal TWO64 = new BigDecimal(BigInteger.ONE.shiftLeft(64));

    static BigDecimal pow2(int e) {
        return e >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(e))
                : BigDecimal.ONE.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
    }

    /** Reference: the integer k of the quantized value. */
    static long reference(double x, int w, int f, boolean signed, Rounding r, FixedPointQuantizer.OverflowMode o,
                          long u) {
        BigInteger kMin = signed ? BigInteger.ONE.shiftLeft(w - 1).negate() : BigInteger.ZERO;
        BigInteger kMax = signed ? BigInteger.ONE.shiftLeft(w - 1).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(w).subtract(BigInteger.ONE);
        if (Double.isNaN(x)) return 0;
        boolean neg = x < 0;
        if (Double.isInfinite(x)) return (neg ? kMin : kMax).longValueExact();
        BigDecimal m = new BigDecimal(x).abs().multiply(pow2(f));
        BigInteger k = m.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
        BigDecimal frac = m.subtract(new BigDecimal(k));
        if (frac.signum() != 0) {
            boolean up;
            BigDecimal half = new BigDecimal("0.5");
            BigDecimal uu = new BigDecimal(new BigInteger(Long.toUnsignedString(u)));
            switch (r.mode()) {
                case RNE: up = frac.compareTo(half) > 0 || (frac.compareTo(half) == 0 && k.testBit(0)); break;
                case RNA: up = frac.compareTo(half) >= 0; break;
                case RTZ: up = false; break;
                case RUP: up = !neg; break;
                case RDN: up = neg; break;
                case RTO: up = !k.testBit(0); break;
                case SR: up = uu.compareTo(frac.multiply(TWO64)) < 0; break;
                case SR_EQUAL: up = u < 0; break;
                case SR_BITS: {
                    int n = r.randomBits();
                    BigInteger fl = frac.multiply(pow2(n)).setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
                    up = fl.add(BigInteger.valueOf(u >>> (64 - n))).compareTo(BigInteger.ONE.shiftLeft(n)) >= 0;
                    break;
                }
                default: throw new AssertionError();
            }
            if (up) k = k.add(BigInteger.ONE);
        }
        BigInteger v = neg ? k.negate() : k;
        if (v.compareTo(kMin) >= 0 && v.compareTo(kMax) <= 0) return v.longValueExact();
        if (o == FixedPointQuantizer.OverflowMode.SATURATE) return (v.compareTo(kMin) < 0 ? kMin : kMax).longValueExact();
        BigInteger mod = v.mod(BigInteger.ONE.shiftLeft(w));
        if (signed && mod.testBit(w - 1)) mod = mod.subtract(BigInteger.ONE.shiftLeft(w));
        return mod.longValueExact();
    }

    @Provide
    Arbitrary<String> roundings() {
        return Arbitraries.of(FloatQuantizerProperties.ROUNDINGS);
    }

    static double input(Random r, int w, int f) {
        switch (r.nextInt(8)) {
            case 0: return Double.longBitsToDouble(r.nextLong());
            case 1: {
                double[] sp = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                    Double.MIN_VALUE, -Double.MAX_VALUE, 1e300};
                return sp[r.nextInt(sp.length)];
            }
            default: {
                // near grid points k * 2^-f, k up to a bit beyond the range
                long k = r.nextLong() >> (64 - Math.min(62, w + 1));
                double v = Math.scalb((double) k, -f);
                switch (r.nextInt(4)) {
                    case 0: return v;
                    case 1: return v + Math.scalb(r.nextDouble(), -f);
                    case 2: return v + Math.scalb(0.5, -f);
                    default: return Math.nextUp(v);
                }
            }
        }
    }

    @Property(tries = 400)
    void matchesReference(@ForAll @IntRange(min = 1, max = 62) int w, @ForAll @IntRange(min = -30, max = 90) int f,
                          @ForAll boolean signed, @ForAll("roundings") String rs,
                          @ForAll FixedPointQuantizer.OverflowMode o, @ForAll long seed) {
        Rounding r = Rounding.parse(rs);
        FixedPointQuantizer q = new FixedPointQuantizer(w, f, signed, r, o);
        Random rnd = new Random(seed);
        for (int i = 0; i < 40; i++) {
            double x = input(rnd, w, f);
            long u = rnd.nextLong();
            long want = reference(x, w, f, signed, r, o, u);
            assertEquals(want, q.toInteger(x, u), () -> q + " x=" + x + " u=" + Long.toHexString(u));
            assertEquals(want & ((1L << w) - 1), q.encode(x, u));
            if (w <= 53 && w - f <= 1023) {
                assertEquals(Double.doubleToRawLongBits(Math.scalb((double) want, -f)), // integers have no -0: +0.0
                        Double.doubleToRawLongBits(q.quantize(x, u)), () -> q + " x=" + x);
            }
        }
    }

    @Property(tries = 60)
    void arraysMatchScalar(@ForAll @IntRange(min = 2, max = 24) int w, @ForAll @IntRange(min = -4, max = 20) int f,
                           @ForAll("roundings") String rs, @ForAll long seed) {
        FixedPointQuantizer q = new FixedPointQuantizer(w, f, true, Rounding.parse(rs),
                FixedPointQuantizer.OverflowMode.SATURATE);
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(2000);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = input(rnd, w, f);
        RandomKey key = RandomKey.of(seed, 5, 9);
        for (int t : new int[] {1, 2, 7}) {
            double[] y = new double[n];
            q.quantize(x, 0, y, 0, n, key, 10, t);
            long[] b = q.encode(x, key, t);
            for (int i = 0; i < n; i++) {
                long wd = q.isStochastic() ? key.word(10 + i) : 0;
                assertEquals(Double.doubleToRawLongBits(q.quantize(x[i], wd)), Double.doubleToRawLongBits(y[i]));
                assertEquals(q.encode(x[i], q.isStochastic() ? key.word(i) : 0), b[i]);
            }
        }
    }

    @Test
    void liDeSaGridByHand() {
        // b = 3, delta = 2^-2: dom = {-1, -0.75, ..., 0.75}; SR inside, clamp outside
        FixedPointQuantizer q = FixedPointQuantizer.liDeSa(3, 2);
        assertEquals(-1.0, q.quantize(-5.0, 0L));
        assertEquals(0.75, q.quantize(0.8, -1L));   // outside the range: clamp whatever the word
        assertEquals(0.75, q.quantize(0.8, 0L));
        // 0.3 = 0.25 + 0.05: up with probability 0.2 -> the word threshold is ceil(0.2 * 2^64)
        BigInteger t = SrExact.threshold(u -> q.quantize(0.3, u) == 0.5);
        BigDecimal frac = new BigDecimal(0.3).subtract(new BigDecimal("0.25")).multiply(new BigDecimal(4));
        assertEquals(SrExact.ceilScaled(frac), t);
        assertEquals(0.5, q.quantize(0.5, 12345L)); // grid points are fixed points
        assertEquals(-0.25, q.quantize(-0.25, -1L));
        assertEquals(0b101, q.encode(-0.75, 0L)); // two's complement of -3
        assertEquals(-0.75, q.decode(0b101));
    }

    @Test
    void wrapAndUnsignedByHand() {
        FixedPointQuantizer u8 = new FixedPointQuantizer(8, 0, false, Rounding.RNE, FixedPointQuantizer.OverflowMode.WRAP);
        assertEquals(4.0, u8.quantize(260.0));
        assertEquals(255.0, u8.quantize(-1.0));
        assertEquals(0.0, u8.quantize(Double.NaN));
        assertEquals(255.0, u8.quantize(Double.POSITIVE_INFINITY));
        FixedPointQuantizer s8 = new FixedPointQuantizer(8, 4, true, Rounding.RNE, FixedPointQuantizer.OverflowMode.WRAP);
        assertEquals(-8.0, s8.quantize(8.0));   // 128/16 wraps to -128/16
        assertEquals(2.5, s8.quantize(2.53125)); // 40.5 -> 40 (even)
        FixedPointQuantizer sat = new FixedPointQuantizer(8, 4, true, Rounding.RNE,
                FixedPointQuantizer.OverflowMode.SATURATE);
        assertEquals(127 / 16.0, sat.quantize(8.0));
        assertEquals(-8.0, sat.quantize(-1e9));
        assertThrows(IllegalArgumentException.class, () -> new FixedPointQuantizer(63, 0, true, Rounding.RNE,
                FixedPointQuantizer.OverflowMode.WRAP));
    }

    @Test
    void srIsExactlyUnbiasedOnTheGrid() {
        FixedPointQuantizer q = new FixedPointQuantizer(16, 8, true, Rounding.SR, FixedPointQuantizer.OverflowMode.SATURATE);
        Random r = new Random(11);
        for (int i = 0; i < 200; i++) {
            double x = (r.nextDouble() - 0.5) * 200;
            double lo = Math.floor(x * 256) / 256, hi = lo + 1 / 256.0;
            if (lo == x) continue;
            double away = x > 0 ? hi : lo;
            BigInteger t = SrExact.threshold(u -> q.quantize(x, u) == away);
            BigDecimal gap = new BigDecimal(hi).subtract(new BigDecimal(lo));
            BigDecimal frac = new BigDecimal(Math.abs(x)).subtract(new BigDecimal(Math.abs(x > 0 ? lo : hi))).divide(gap);
            assertEquals(SrExact.ceilScaled(frac), t);
            // x*256 has at most 52 fraction bits: E[Q] = x exactly, Var = (x - lo)(hi - x)
            BigDecimal p = new BigDecimal(t).divide(new BigDecimal(SrExact.TWO64));
            BigDecimal near = new BigDecimal(x > 0 ? lo : hi), far = new BigDecimal(away);
            BigDecimal mean = near.add(p.multiply(far.subtract(near)));
            assertEquals(0, mean.compareTo(new BigDecimal(x)));
            BigDecimal var = p.multiply(BigDecimal.ONE.subtract(p)).multiply(gap).multiply(gap);
            assertEquals(0, var.compareTo(new BigDecimal(x).subtract(new BigDecimal(lo))
                    .multiply(new BigDecimal(hi).subtract(new BigDecimal(x)))));
            assertTrue(p.signum() > 0);
        }
    }
}
