package lowp.format;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The decode layer ({@code Format.classify/toBigDecimal/isNaN/isSignalingNaN/isInf/maxFinite/minNormal/
 * minSubnormal/nextUp/nextDown}) feeds both the fast path and the reference, so fast == reference cannot catch a
 * bug in it. This property compares it with an independent test-only decoder written from the kind definitions
 * of issue 3 ("Semantics to implement") over every code of random formats of at most 12 bits (random E, M, kind,
 * bias, sat, nosub). Tries: jqwik's default (1000), 20000 with -Pexhaustive.
 *
 * <p>The definitions, as the decoder below implements them. A pattern is sign (absent for e8m0), E exponent
 * bits, M fraction bits. Finite values: exponent field 0 is subnormal, (-1)^s 0.f 2^(1-bias) (zero when f = 0,
 * and always a zero of that sign with {@code :nosub}); otherwise (-1)^s 1.f 2^(field-bias).
 * <ul>
 *   <li>IEEE: all-ones exponent is Inf (f = 0) or NaN (f != 0), quiet iff the top fraction bit is set;</li>
 *   <li>FN: no Inf; only S.1..1.1..1 is NaN (quiet); the all-ones exponent otherwise holds finite values;</li>
 *   <li>FNUZ: no Inf; the only NaN is 1.0..0.0..0 (the would-be -0), quiet; default bias 2^(E-1);</li>
 *   <li>MX: no Inf, no NaN, every code finite;</li>
 *   <li>E8M0: unsigned, M = 0, value 2^(code-bias), all-ones = NaN, no zero, no subnormals.</li>
 * </ul>
 */
class FormatDecodeProperties {

    /** One decoded code: class name (as FpClass) and, for finite codes, the exact value. */
    static final class Code {
        final FpClass cls;
        final BigDecimal value; // null for NaN / Inf
        final boolean negative;
        final boolean signalling;

        Code(FpClass cls, BigDecimal value, boolean negative, boolean signalling) {
            this.cls = cls;
            this.value = value;
            this.negative = negative;
            this.signalling = signalling;
        }
    }

    private static final java.util.Map<Integer, BigDecimal> POW2 = new java.util.concurrent.ConcurrentHashMap<>();

    static BigDecimal pow2(int e) {
        return POW2.computeIfAbsent(e, x -> x >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(x))
                : new BigDecimal(BigInteger.valueOf(5).pow(-x), -x)); // 2^-n = 5^n / 10^n
    }

    /** The decoder from the definitions (no use of Format). */
    static Code decode(int e, int m, int bias, Kind k, boolean sub, long b) {
        long expOnes = (1L << e) - 1;
        long fracOnes = (1L << m) - 1;
        boolean s = k != Kind.E8M0 && ((b >>> (e + m)) & 1) == 1;
        long ef = (b >>> m) & expOnes;
        long fr = b & fracOnes;
        switch (k) {
            case IEEE:
                if (ef == expOnes) {
                    if (fr == 0) return new Code(FpClass.INFINITE, null, s, false);
                    return new Code(FpClass.NAN, null, s, (fr >>> (m - 1)) == 0);
                }
                break;
            case FN:
                if (ef == expOnes && fr == fracOnes) return new Code(FpClass.NAN, null, s, false);
                break;
            case FNUZ:
                if (s && ef == 0 && fr == 0) return new Code(FpClass.NAN, null, true, false);
                break;
            case E8M0:
                if (ef == expOnes) return new Code(FpClass.NAN, null, false, false);
                return new Code(FpClass.NORMAL, pow2((int) ef - bias), false, false);
            case MX:
                break;
            default:
                throw new AssertionError(k);
        }
        BigDecimal v;
        FpClass c;
        if (ef == 0) {
            if (fr == 0 || !sub) {
                c = FpClass.ZERO;
                v = BigDecimal.ZERO;
            } else {
                c = FpClass.SUBNORMAL;
                v = new BigDecimal(fr).multiply(pow2(1 - bias - m));
            }
        } else {
            c = FpClass.NORMAL;
            v = new BigDecimal(fr + (1L << m)).multiply(pow2((int) ef - bias - m));
        }
        return new Code(c, s ? v.negate() : v, s, false);
    }

    /** Whether the definitions allow the format (Format.of must accept exactly these). */
    static boolean valid(int e, int m, Kind k, boolean sub, int bias) {
        if (k == Kind.IEEE && (e < 2 || m < 1)) return false; // no room for Inf and NaN
        if (k == Kind.E8M0 && m != 0) return false;
        boolean mxShape = (e == 3 && m == 2) || (e == 2 && m == 3) || (e == 2 && m == 1);
        if (k == Kind.FN && mxShape) return false; // that spelling names the MX type
        int width = k == Kind.E8M0 ? e : 1 + e + m;
        for (long b = 0; b < (1L << width); b++) { // needs a positive finite non-zero value
            Code c = decode(e, m, bias, k, sub, b);
            if (c.value != null && c.value.signum() > 0) return true;
        }
        return false;
    }

    @Property
    void decodeMatchesDefinitions(@ForAll long seed) {
        Random r = new Random(seed);
        int e = 1 + r.nextInt(8);
        int m = r.nextInt(12 - e); // 1 + E + M <= 12
        Kind k = Kind.values()[r.nextInt(Kind.values().length)];
        if (k == Kind.E8M0) m = 0;
        int defBias = (1 << (e - 1)) - 1 + (k == Kind.FNUZ ? 1 : 0);
        int bias = r.nextInt(3) == 0 ? defBias + r.nextInt(2 * e + 9) - e - 4 : r.nextBoolean() ? defBias : -defBias;
        boolean sat = r.nextInt(3) == 0;
        boolean sub = r.nextInt(3) != 0;
        Format f;
        try {
            f = Format.of(e, m, bias, k, sat, sub);
        } catch (IllegalArgumentException ex) {
            if (valid(e, m, k, sub, bias)) fail("Format.of rejected a valid format: " + ex.getMessage());
            return;
        }
        String name = f.toString();
        if (!valid(e, m, k, sub, bias)) fail("Format.of accepted " + name);
        assertEquals(defBias, Format.defaultBias(e, k), name);
        int width = k == Kind.E8M0 ? e : 1 + e + m;
        assertEquals(width, f.width(), name);
        assertEquals(k == Kind.MX || sat, f.saturating(), name);
        assertEquals(k == Kind.IEEE, f.hasInf(), name);
        assertEquals(k != Kind.MX, f.hasNaN(), name);

        long n = 1L << width;
        Code[] codes = new Code[(int) n];
        TreeSet<BigDecimal> values = new TreeSet<>(); // distinct finite values (one zero)
        BigDecimal max = null;
        BigDecimal minNormal = null;
        BigDecimal minPositive = null;
        for (long b = 0; b < n; b++) {
            Code c = decode(e, m, bias, k, sub, b);
            codes[(int) b] = c;
            if (c.cls != f.classify(b) || (c.cls == FpClass.NAN) != f.isNaN(b) || c.signalling != f.isSignalingNaN(b)
                    || (c.cls == FpClass.INFINITE) != f.isInf(b) || (c.cls == FpClass.ZERO) != f.isZero(b)) {
                fail(name + " code " + f.hex(b) + ": want " + c.cls + (c.signalling ? " (signalling)" : "") + ", got "
                        + f.classify(b) + " isNaN " + f.isNaN(b) + " isSignalingNaN " + f.isSignalingNaN(b)
                        + " isInf " + f.isInf(b) + " isZero " + f.isZero(b));
            }
            if (c.value == null) {
                continue;
            }
            BigDecimal got = f.toBigDecimal(b);
            if (c.negative != f.isNegative(b) || got.compareTo(c.value) != 0) {
                fail(name + " code " + f.hex(b) + ": toBigDecimal " + got + " isNegative " + f.isNegative(b)
                        + ", want " + c.value + " negative " + c.negative);
            }
            values.add(c.value.stripTrailingZeros());
            if (max == null || c.value.compareTo(max) > 0) max = c.value;
            if (c.value.signum() > 0) {
                if (minPositive == null || c.value.compareTo(minPositive) < 0) minPositive = c.value;
                if (c.cls == FpClass.NORMAL && (minNormal == null || c.value.compareTo(minNormal) < 0)) minNormal = c.value;
            }
        }
        assertEquals(0, max.compareTo(f.maxFinite()), () -> name + " maxFinite " + f.maxFinite());
        assertEquals(0, minNormal.compareTo(f.minNormal()), () -> name + " minNormal " + f.minNormal());
        assertEquals(0, minPositive.compareTo(f.minSubnormal()), () -> name + " minSubnormal " + f.minSubnormal());

        // nextUp / nextDown: the neighbouring value in the sorted set of finite values; past the ends +-Inf
        // (IEEE) or the input itself
        for (long b = 0; b < n; b++) {
            Code c = codes[(int) b];
            if (c.value == null) continue;
            BigDecimal v = c.value.stripTrailingZeros();
            checkNeighbour(f, "nextUp", f.nextUp(b), values.higher(v), b, true);
            checkNeighbour(f, "nextDown", f.nextDown(b), values.lower(v), b, false);
        }
    }

    private static void checkNeighbour(Format f, String what, long got, BigDecimal want, long b, boolean up) {
        boolean ok;
        if (want == null) { // no finite neighbour on that side: the infinity of that side, or the input itself
            ok = f.hasInf() ? f.classify(got) == FpClass.INFINITE && f.isNegative(got) == !up : got == b;
        } else {
            ok = f.classify(got).isFinite() && f.toBigDecimal(got).compareTo(want) == 0;
        }
        if (!ok) {
            fail(f + " code " + f.hex(b) + " " + what + ": got " + f.hex(got) + " (" + f.classify(got) + "), want "
                    + (want == null ? (f.hasInf() ? (up ? "+Inf" : "-Inf") : "the input") : "value " + want));
        }
    }
}
