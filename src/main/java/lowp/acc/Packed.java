package lowp.acc;

import lowp.format.Format;
import lowp.format.Kind;

/**
 * Format-independent packed value used by the accumulator kernels: one {@code long} holding
 * {@code (-1)^sign * sig * 2^exp}, or ±Inf, or NaN.
 * <pre>
 *   bit 63      sign
 *   bits 40..62 exp + OFFSET (0 marks a special value: sig 1 = Inf, 2 = NaN)
 *   bits 0..39  sig (unsigned, &lt; 2^40; 0 = zero)
 * </pre>
 * Packing a pattern of a format keeps the format's canonical significand (hidden bit included) and the
 * exponent of its last bit, so a packed normal value of a p-bit format has exactly p significand bits.
 */
public final class Packed {
    private Packed() {
    }

    public static final int OFFSET = 1 << 22;
    public static final int SHIFT = 40;
    public static final long SIG_MASK = (1L << SHIFT) - 1;
    public static final long EXP_FIELD = 0x7FFFFFFFFFFFFFFFL & ~SIG_MASK;
    /** Largest precision (significand bits) a packed value holds. */
    public static final int MAX_PRECISION = SHIFT;
    public static final long INF = 1L;
    public static final long NAN = 2L;
    /** Not a value: returned by fast kernels that leave the decision to the general kernel. */
    public static final long NONE = 3L;
    public static final long POS_ZERO = (long) OFFSET << SHIFT;
    public static final long NEG_ZERO = POS_ZERO | Long.MIN_VALUE;

    public static long finite(boolean neg, long sig, int exp) {
        if (sig == 0) {
            return neg ? NEG_ZERO : POS_ZERO;
        }
        return (neg ? Long.MIN_VALUE : 0) | ((long) (exp + OFFSET) << SHIFT) | sig;
    }

    public static long inf(boolean neg) {
        return neg ? (INF | Long.MIN_VALUE) : INF;
    }

    public static boolean neg(long p) {
        return p < 0;
    }

    public static long sig(long p) {
        return p & SIG_MASK;
    }

    public static int exp(long p) {
        return (int) ((p & EXP_FIELD) >>> SHIFT) - OFFSET;
    }

    public static boolean special(long p) {
        return (p & EXP_FIELD) == 0;
    }

    public static boolean isNaN(long p) {
        return special(p) && (p & SIG_MASK) == 2;
    }

    public static boolean isInf(long p) {
        return special(p) && (p & SIG_MASK) == 1;
    }

    public static boolean isZero(long p) {
        return !special(p) && (p & SIG_MASK) == 0;
    }

    /** Packs a bit pattern of f (f's precision must be at most {@link #MAX_PRECISION} bits). */
    public static long fromBits(Format f, long bits) {
        if (f.isNaN(bits)) {
            return NAN;
        }
        boolean neg = f.isNegative(bits);
        if (f.isInf(bits)) {
            return inf(neg);
        }
        if (f.isZero(bits)) {
            return f.kind() == Kind.FNUZ ? POS_ZERO : finite(neg, 0, 0);
        }
        return finite(neg, f.sigOf(bits), f.expOf(bits));
    }

    /** The bit pattern of f holding the packed value p, which must be representable in f (or special). */
    public static long toBits(Format f, long p) {
        if (isNaN(p)) {
            return f.defaultNaN();
        }
        boolean neg = neg(p);
        if (isInf(p)) {
            if (!f.hasInf()) {
                throw new IllegalArgumentException("infinity is not representable in " + f);
            }
            return (neg ? f.signBit() : 0) | f.infBits();
        }
        long sig = sig(p);
        if (sig == 0) {
            return f.zeroBits(neg);
        }
        int exp = exp(p);
        int m = f.manBits();
        int top = exp + 63 - Long.numberOfLeadingZeros(sig);
        int lsb = Math.max(top, f.emin()) - m;
        if (exp < lsb) {
            if ((sig & ((1L << (lsb - exp)) - 1)) != 0) {
                throw new IllegalArgumentException("value not representable in " + f);
            }
            sig >>>= (lsb - exp);
        } else {
            sig <<= (exp - lsb);
        }
        long sign = neg ? f.signBit() : 0;
        if (sig < (1L << m)) {
            return sign | sig;
        }
        long ef = (long) lsb + m + f.bias();
        long bits = sign | (ef << m) | (sig - (1L << m));
        if (f.isNaN(bits) || f.isInf(bits) || ef >= (1L << f.expBits())) {
            throw new IllegalArgumentException("value out of range of " + f);
        }
        return bits;
    }

    /**
     * Packs the exact value of a double that must be representable in f (canonical form of f).
     *
     * @throws IllegalArgumentException if d is not a value of f
     */
    public static long fromDouble(Format f, double d) {
        if (Double.isNaN(d)) {
            if (!f.hasNaN()) {
                throw new IllegalArgumentException("NaN is not representable in " + f);
            }
            return NAN;
        }
        if (Double.isInfinite(d)) {
            if (!f.hasInf()) {
                throw new IllegalArgumentException(d + " is not representable in " + f);
            }
            return inf(d < 0);
        }
        long raw = Double.doubleToRawLongBits(d);
        boolean neg = raw < 0;
        if (d == 0) {
            if (neg && (f.kind() == Kind.FNUZ || !f.signed())) {
                return POS_ZERO;
            }
            return neg ? NEG_ZERO : POS_ZERO;
        }
        if (neg && !f.signed()) {
            throw new IllegalArgumentException(d + " is not representable in " + f);
        }
        int ef = (int) ((raw >>> 52) & 0x7FF);
        long sig = raw & 0xFFFFFFFFFFFFFL;
        int exp;
        if (ef == 0) {
            exp = -1074;
        } else {
            sig |= 1L << 52;
            exp = ef - 1075;
        }
        return canonical(f, neg, sig, exp, d);
    }

    private static long canonical(Format f, boolean neg, long sig, int exp, Object shown) {
        int m = f.manBits();
        int top = exp + 63 - Long.numberOfLeadingZeros(sig);
        int lsb = Math.max(top, f.emin()) - m;
        if (exp < lsb) {
            int sh = lsb - exp;
            if (sh >= 64 || (sig & ((1L << sh) - 1)) != 0) {
                throw new IllegalArgumentException(shown + " is not representable in " + f);
            }
            sig >>>= sh;
        } else {
            sig <<= (exp - lsb);
        }
        if (!f.subnormals() && sig < (1L << m)) {
            throw new IllegalArgumentException(shown + " is not representable in " + f + " (no subnormals)");
        }
        if (lsb > f.maxQuantumExp() || (lsb == f.maxQuantumExp() && sig > f.maxSignificand())) {
            throw new IllegalArgumentException(shown + " is out of the range of " + f);
        }
        return finite(neg, sig, lsb);
    }

    /**
     * Packs ±r for a non-negative double r whose significand has at most 40 significant bits (not in any
     * format's canonical form: the kernels that use it only need the value).
     */
    static long fromPositiveDouble(boolean neg, double r) {
        long raw = Double.doubleToRawLongBits(r);
        if (raw == 0) {
            return neg ? NEG_ZERO : POS_ZERO;
        }
        int ef = (int) (raw >>> 52);
        long sig = raw & 0xFFFFFFFFFFFFFL;
        int exp;
        if (ef == 0) {
            exp = -1074;
        } else {
            sig |= 1L << 52;
            exp = ef - 1075;
        }
        int tz = Long.numberOfTrailingZeros(sig);
        return finite(neg, sig >>> tz, exp + tz);
    }

    /** Exact value as a double (precision &lt;= 53 and in double range), for tests and display. */
    public static double toDouble(long p) {
        if (isNaN(p)) {
            return Double.NaN;
        }
        if (isInf(p)) {
            return neg(p) ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        double v = Math.scalb((double) sig(p), exp(p));
        return neg(p) ? -v : v;
    }
}
