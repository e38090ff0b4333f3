package lowp.ops;

import lowp.format.Format;
import lowp.format.Kind;
import lowp.ref.RefOps;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Mode;
import lowp.round.Rounder;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Correctly rounded arithmetic on bit patterns of any {@link Format}, fast path: the same signatures and
 * the same results and flags as the BigInteger reference {@link RefOps}, computed with {@code long}
 * arithmetic. Each operation names its special cases first (NaN, Inf, zero, SoftFloat style), then forms
 * the exact result as an integer significand (63 or 128 bits) with a sticky bit, and rounds it once with
 * {@link Rounder#round} / {@link Rounder#round128}.
 *
 * <p>Exactness argument (details at each method): a significand window that holds the exact result's bits
 * down to at least two bits below the rounding position, plus a sticky bit for everything below, decides
 * every deterministic mode and {@code sr-equal}. The {@code sr} and {@code srN} modes need the first 64
 * bits of the fraction below the rounding position, so they use a 128-bit window (or the exact result).
 * In a subtraction the bits shifted out of the smaller operand are folded in as
 * {@code X - (Y + t) = (X - Y - 1) + (1 - t)}: significand minus one, sticky still set.
 *
 * <p>Binary16 operations take a specialised path ({@link Half}); formats of at most 8 bits use precomputed
 * tables for add/sub/mul in the deterministic modes ({@link SmallTables}), both tested equal to the
 * reference exhaustively or by property.
 */
public final class FloatOps {
    private FloatOps() {
    }

    // ------------------------------------------------------------------ helpers

    /** Whether the rounding needs the first 64 fraction bits exactly (sr, srN). */
    static boolean needsWide(Env env) {
        Mode md = env.rounding.mode();
        return md == Mode.SR || md == Mode.SR_BITS;
    }

    /** The NaN result of an operation with a NaN operand: invalid if any operand is a signalling NaN. */
    static long nanResult(Format f, Env env, boolean anySnan) {
        return Rounder.nan(f, env, anySnan ? Flags.INVALID : 0);
    }

    static boolean rdn(Env env) {
        return env.rounding.mode() == Mode.RDN;
    }

    // ------------------------------------------------------------------ add / sub

    public static long add(Format f, long a, long b, Env env) {
        if (f == Format.BINARY16 || f.equals(Format.BINARY16)) {
            return Half.add(a, b, false, env);
        }
        if (f.width() <= 8) {
            SmallTables t = SmallTables.get(f, SmallTables.ADD, env);
            if (t != null) {
                return t.lookup(a, b, env);
            }
        }
        if (f.kind() == Kind.IEEE) {
            return Ieee.add(f, a, b, false, env);
        }
        return addGeneric(f, a, b, false, env);
    }

    public static long sub(Format f, long a, long b, Env env) {
        if (f == Format.BINARY16 || f.equals(Format.BINARY16)) {
            return Half.add(a, b, true, env);
        }
        if (f.width() <= 8) {
            SmallTables t = SmallTables.get(f, SmallTables.SUB, env);
            if (t != null) {
                return t.lookup(a, b, env);
            }
        }
        if (f.kind() == Kind.IEEE) {
            return Ieee.add(f, a, b, true, env);
        }
        return addGeneric(f, a, b, true, env);
    }

    /** a + b (or a - b): the generic path for any format. */
    static long addGeneric(Format f, long a, long b, boolean negateB, Env env) {
        f.checkBits(a);
        f.checkBits(b);
        boolean aNaN = f.isNaN(a);
        boolean bNaN = f.isNaN(b);
        if (aNaN || bNaN) {
            return nanResult(f, env, f.isSignalingNaN(a) || f.isSignalingNaN(b));
        }
        boolean an = f.isNegative(a);
        boolean bn = f.isNegative(b) ^ negateB;
        boolean ai = f.isInf(a);
        boolean bi = f.isInf(b);
        if (ai || bi) {
            if (ai && bi && an != bn) {
                return Rounder.nan(f, env, Flags.INVALID); // inf - inf
            }
            return Rounder.infinity(f, ai ? an : bn, env);
        }
        long sa = f.sigOf(a);
        long sb = f.sigOf(b);
        if (sa == 0 && sb == 0) {
            return Rounder.zero(f, an == bn ? an : rdn(env), env);
        }
        if (sa == 0) {
            return Rounder.round(f, bn, sb, f.expOf(b), false, env); // exact: the other operand
        }
        if (sb == 0) {
            return Rounder.round(f, an, sa, f.expOf(a), false, env);
        }
        int ea = f.expOf(a);
        int eb = f.expOf(b);
        if (needsWide(env)) {
            return sum128(f, an, 0, sa, ea, bn, 0, sb, eb, env);
        }
        return sum64(f, an, sa, ea, bn, sb, eb, env);
    }

    /**
     * Rounds (-1)^an sa 2^ea + (-1)^bn sb 2^eb (sa, sb in (0, 2^53]) through a 62-bit window: both operands
     * are normalised to a leading bit at position 61; the smaller is shifted right by the difference d of
     * the leading exponents with a sticky bit. For d &lt;= 1 nothing is lost (the low 9 bits are zero); for
     * d &gt;= 2 the result keeps its leading bit at 60 or 61, at least 8 bits below the rounding position.
     */
    static long sum64(Format f, boolean an, long sa, int ea, boolean bn, long sb, int eb, Env env) {
        int la = 63 - Long.numberOfLeadingZeros(sa);
        int lb = 63 - Long.numberOfLeadingZeros(sb);
        long x = sa << (61 - la);
        long y = sb << (61 - lb);
        int lx = ea + la;
        int ly = eb + lb;
        boolean xn = an;
        boolean yn = bn;
        if (lx < ly || (lx == ly && x < y)) {
            long t = x; x = y; y = t;
            int ti = lx; lx = ly; ly = ti;
            boolean tb = xn; xn = yn; yn = tb;
        }
        long d = (long) lx - ly;
        long ys;
        boolean st;
        if (d == 0) {
            ys = y;
            st = false;
        } else if (d < 62) {
            ys = y >>> d;
            st = (y << (64 - d)) != 0;
        } else {
            ys = 0;
            st = true;
        }
        long sig;
        if (xn == yn) {
            sig = x + ys;
        } else {
            sig = x - ys;
            if (st) {
                sig -= 1;
            } else if (sig == 0) {
                return Rounder.zero(f, rdn(env), env);
            }
        }
        return Rounder.round(f, xn, sig, lx - 61, st, env);
    }

    /**
     * Rounds (-1)^xn X 2^ex + (-1)^yn Y 2^ey for non-zero 128-bit X = xh:xl, Y = yh:yl (below 2^126),
     * through a 126-bit window: both are normalised to a leading bit at 125, the smaller is shifted right
     * with a sticky bit. For d &lt;= 1 nothing is lost unless an operand has more than 124 significant bits
     * (never: operands have at most 106); for d &gt;= 2 the result keeps at least 124 exact leading bits, so
     * at least 64 + 2 bits below the rounding position of any precision &lt;= 53 (+ the sticky bit).
     */
    static long sum128(Format f, boolean xn, long xh, long xl, int ex, boolean yn, long yh, long yl, int ey, Env env) {
        int lzx = nlz128(xh, xl);
        int lzy = nlz128(yh, yl);
        int sx = lzx - 2; // normalise to lead bit 125
        int sy = lzy - 2;
        long x1 = shlHi(xh, xl, sx);
        long x0 = shlLo(xl, sx);
        long y1 = shlHi(yh, yl, sy);
        long y0 = shlLo(yl, sy);
        long lx = (long) ex + (125 - sx);
        long ly = (long) ey + (125 - sy);
        if (lx < ly || (lx == ly && cmp128(x1, x0, y1, y0) < 0)) {
            long t = x1; x1 = y1; y1 = t;
            t = x0; x0 = y0; y0 = t;
            t = lx; lx = ly; ly = t;
            boolean tb = xn; xn = yn; yn = tb;
        }
        long d = lx - ly;
        long r1;
        long r0;
        boolean st;
        if (d == 0) {
            r1 = y1; r0 = y0; st = false;
        } else if (d < 64) {
            int di = (int) d;
            r0 = (y0 >>> di) | (y1 << (64 - di));
            r1 = y1 >>> di;
            st = (y0 << (64 - di)) != 0;
        } else if (d == 64) {
            r0 = y1; r1 = 0; st = y0 != 0;
        } else if (d < 128) {
            int di = (int) d;
            r0 = y1 >>> (di - 64); r1 = 0;
            st = y0 != 0 || (y1 << (128 - di)) != 0;
        } else {
            r0 = 0; r1 = 0; st = true;
        }
        long h;
        long l;
        if (xn == yn) {
            l = x0 + r0;
            h = x1 + r1 + (Long.compareUnsigned(l, x0) < 0 ? 1 : 0);
        } else {
            l = x0 - r0;
            h = x1 - r1 - (Long.compareUnsigned(x0, r0) < 0 ? 1 : 0);
            if (st) {
                if (l == 0) {
                    h -= 1;
                }
                l -= 1;
            } else if (h == 0 && l == 0) {
                return Rounder.zero(f, rdn(env), env);
            }
        }
        return Rounder.round128(f, xn, h, l, (int) (lx - 125), st, env);
    }

    static int nlz128(long h, long l) {
        return h != 0 ? Long.numberOfLeadingZeros(h) : 64 + Long.numberOfLeadingZeros(l);
    }

    /** High word of (h:l) << s, 0 &lt;= s &lt; 128. */
    static long shlHi(long h, long l, int s) {
        if (s == 0) return h;
        if (s < 64) return (h << s) | (l >>> (64 - s));
        return l << (s - 64);
    }

    /** Low word of (h:l) << s, 0 &lt;= s &lt; 128. */
    static long shlLo(long l, int s) {
        return s < 64 ? l << s : 0;
    }

    static int cmp128(long ah, long al, long bh, long bl) {
        int c = Long.compareUnsigned(ah, bh);
        return c != 0 ? c : Long.compareUnsigned(al, bl);
    }

    // ------------------------------------------------------------------ mul

    public static long mul(Format f, long a, long b, Env env) {
        if (f == Format.BINARY16 || f.equals(Format.BINARY16)) {
            return Half.mul(a, b, env);
        }
        if (f.width() <= 8) {
            SmallTables t = SmallTables.get(f, SmallTables.MUL, env);
            if (t != null) {
                return t.lookup(a, b, env);
            }
        }
        if (f.kind() == Kind.IEEE) {
            return Ieee.mul(f, a, b, env);
        }
        return mulGeneric(f, a, b, env);
    }

    static long mulGeneric(Format f, long a, long b, Env env) {
        f.checkBits(a);
        f.checkBits(b);
        if (f.isNaN(a) || f.isNaN(b)) {
            return nanResult(f, env, f.isSignalingNaN(a) || f.isSignalingNaN(b));
        }
        boolean neg = f.isNegative(a) ^ f.isNegative(b);
        boolean ai = f.isInf(a);
        boolean bi = f.isInf(b);
        long sa = f.sigOf(a);
        long sb = f.sigOf(b);
        if (ai || bi) {
            if ((ai && !bi && sb == 0) || (bi && !ai && sa == 0)) {
                return Rounder.nan(f, env, Flags.INVALID); // 0 * inf
            }
            return Rounder.infinity(f, neg, env);
        }
        if (sa == 0 || sb == 0) {
            return Rounder.zero(f, neg, env);
        }
        int e = f.expOf(a) + f.expOf(b);
        if (f.manBits() <= 30) { // product below 2^62: exact in a long
            return Rounder.round(f, neg, sa * sb, e, false, env);
        }
        return Rounder.round128(f, neg, Math.multiplyHigh(sa, sb), sa * sb, e, false, env);
    }

    // ------------------------------------------------------------------ div

    public static long div(Format f, long a, long b, Env env) {
        f.checkBits(a);
        f.checkBits(b);
        if (f.isNaN(a) || f.isNaN(b)) {
            return nanResult(f, env, f.isSignalingNaN(a) || f.isSignalingNaN(b));
        }
        boolean neg = f.isNegative(a) ^ f.isNegative(b);
        boolean ai = f.isInf(a);
        boolean bi = f.isInf(b);
        long sa = ai ? -1 : f.sigOf(a);
        long sb = bi ? -1 : f.sigOf(b);
        if ((ai && bi) || (sa == 0 && sb == 0)) {
            return Rounder.nan(f, env, Flags.INVALID); // inf/inf, 0/0
        }
        if (ai) return Rounder.infinity(f, neg, env);
        if (bi) return Rounder.zero(f, neg, env);
        if (sb == 0) {
            env.flags |= Flags.INFINITE;
            return Rounder.infinity(f, neg, env);
        }
        if (sa == 0) return Rounder.zero(f, neg, env);
        int e = f.expOf(a) - f.expOf(b);
        int p = f.precision();
        int la = 64 - Long.numberOfLeadingZeros(sa); // bit lengths
        int lb = 64 - Long.numberOfLeadingZeros(sb);
        boolean wide = needsWide(env);
        int need = wide ? p + 66 : p + 2; // quotient bits needed (+ sticky from the remainder)
        // quotient of (sa << s) / sb has at least la + s - lb bits
        if (!wide && lb + need <= 62) {
            int s = 62 - la; // numerator in [2^61, 2^62)
            long num = sa << s;
            long q = num / sb;
            long r = num - q * sb;
            return Rounder.round(f, neg, q, e - s, r != 0, env);
        }
        // long division, a few bits at a time, into a 128-bit quotient: Q = floor(sa 2^K / sb), r = remainder
        long qh = 0;
        long ql = sa / sb;
        long r = sa - ql * sb;
        int shifted = 0;
        int chunk = 63 - lb; // r < sb < 2^lb, so r << chunk < 2^63
        int produced = 64 - Long.numberOfLeadingZeros(ql);
        while (produced < need) {
            int c = Math.min(chunk, need - produced);
            long rr = r << c;
            long d = rr / sb;
            r = rr - d * sb;
            qh = (qh << c) | (ql >>> (64 - c));
            ql = (ql << c) | d;
            shifted += c;
            produced = 128 - nlz128(qh, ql);
        }
        return Rounder.round128(f, neg, qh, ql, e - shifted, r != 0, env);
    }

    // ------------------------------------------------------------------ sqrt

    public static long sqrt(Format f, long a, Env env) {
        f.checkBits(a);
        if (f.isNaN(a)) {
            return nanResult(f, env, f.isSignalingNaN(a));
        }
        long sa = f.isInf(a) ? -1 : f.sigOf(a);
        boolean neg = f.isNegative(a);
        if (sa == 0) return Rounder.zero(f, neg, env);
        if (neg) return Rounder.nan(f, env, Flags.INVALID);
        if (sa < 0) return Rounder.infinity(f, false, env);
        int ea = f.expOf(a);
        int p = f.precision();
        boolean wide = needsWide(env);
        int need = wide ? p + 66 : p + 2; // root bits needed
        int la = 64 - Long.numberOfLeadingZeros(sa);
        // radicand N = sa << s with (ea - s) even and about 2*need bits; root floor(sqrt(N)) * 2^((ea-s)/2)
        int s = 2 * need - la;
        if (s < 0) s = 0;
        if (((ea - s) & 1) != 0) s++;
        int re = (ea - s) >> 1;
        if (la + s <= 62) {
            long n = sa << s;
            long r = (long) Math.sqrt((double) n);
            while (r * r > n) r--;
            while ((r + 1) * (r + 1) <= n) r++;
            return Rounder.round(f, false, r, re, r * r != n, env);
        }
        BigInteger n = BigInteger.valueOf(sa).shiftLeft(s);
        BigInteger[] qr = n.sqrtAndRemainder();
        BigInteger r = qr[0];
        long lo = r.longValue();
        long hi = r.shiftRight(64).longValue();
        return Rounder.round128(f, false, hi, lo, re, qr[1].signum() != 0, env);
    }

    // ------------------------------------------------------------------ fma

    /** a*b + c with one rounding; 0*Inf raises invalid even with a quiet-NaN addend. */
    public static long fma(Format f, long a, long b, long c, Env env) {
        if (f == Format.BINARY16 || f.equals(Format.BINARY16)) {
            return Half.fma(a, b, c, env);
        }
        if (f.kind() == Kind.IEEE) {
            return Ieee.fma(f, a, b, c, env);
        }
        return fmaGeneric(f, a, b, c, env);
    }

    static long fmaGeneric(Format f, long a, long b, long c, Env env) {
        f.checkBits(a);
        f.checkBits(b);
        f.checkBits(c);
        boolean ai = f.isInf(a);
        boolean bi = f.isInf(b);
        boolean ci = f.isInf(c);
        boolean aNaN = f.isNaN(a);
        boolean bNaN = f.isNaN(b);
        boolean cNaN = f.isNaN(c);
        long sa = (ai || aNaN) ? -1 : f.sigOf(a);
        long sb = (bi || bNaN) ? -1 : f.sigOf(b);
        boolean snan = f.isSignalingNaN(a) || f.isSignalingNaN(b) || f.isSignalingNaN(c);
        if ((ai && sb == 0) || (sa == 0 && bi)) {
            return Rounder.nan(f, env, Flags.INVALID); // 0 * inf, whatever c is
        }
        if (aNaN || bNaN || cNaN) {
            return nanResult(f, env, snan);
        }
        boolean pn = f.isNegative(a) ^ f.isNegative(b);
        boolean cn = f.isNegative(c);
        boolean pinf = ai || bi;
        if (pinf) {
            if (ci && pn != cn) return Rounder.nan(f, env, Flags.INVALID);
            return Rounder.infinity(f, pn, env);
        }
        if (ci) return Rounder.infinity(f, cn, env);
        long sc = f.sigOf(c);
        boolean pzero = sa == 0 || sb == 0;
        if (pzero) {
            if (sc == 0) return Rounder.zero(f, pn == cn ? pn : rdn(env), env);
            return Rounder.round(f, cn, sc, f.expOf(c), false, env); // exactly c
        }
        int pe = f.expOf(a) + f.expOf(b);
        long ph = Math.multiplyHigh(sa, sb);
        long pl = sa * sb;
        if (sc == 0) {
            return Rounder.round128(f, pn, ph, pl, pe, false, env); // exactly the product, one rounding
        }
        return sum128(f, pn, ph, pl, pe, cn, 0, sc, f.expOf(c), env);
    }

    // ------------------------------------------------------------------ conversions

    /** Converts a pattern of {@code from} into {@code to} with one rounding of the exact value. */
    public static long convert(Format from, long a, Format to, Env env) {
        if (from.kind() == Kind.IEEE && from.subnormals()) {
            return convertIeee(from, a, to, env);
        }
        from.checkBits(a);
        if (from.isNaN(a)) {
            int fl = from.isSignalingNaN(a) ? Flags.INVALID : 0;
            if (!to.hasNaN()) fl |= Flags.INVALID; // MX element types have no NaN code
            return Rounder.nan(to, env, fl);
        }
        boolean neg = from.isNegative(a);
        if (from.isInf(a)) return Rounder.infinity(to, neg, env);
        long s = from.sigOf(a);
        if (s == 0) return Rounder.zero(to, neg, env);
        return Rounder.round(to, neg, s, from.expOf(a), false, env);
    }

    /** convert() for an IEEE-kind source with subnormals, decoding the fields inline. */
    private static long convertIeee(Format from, long a, Format to, Env env) {
        int m = from.manBits();
        int w = from.width();
        if (w < 64 && (a >>> w) != 0) {
            from.checkBits(a);
        }
        long mag = a & from.magnitudeMask();
        boolean neg = (a & from.signBit()) != 0;
        long ef = mag >>> m;
        long frac = mag & ((1L << m) - 1);
        if (ef == (1L << from.expBits()) - 1) {
            if (frac != 0) {
                int fl = (frac & (1L << (m - 1))) == 0 ? Flags.INVALID : 0;
                if (!to.hasNaN()) fl |= Flags.INVALID;
                return Rounder.nan(to, env, fl);
            }
            return Rounder.infinity(to, neg, env);
        }
        if (ef == 0) {
            if (frac == 0) return Rounder.zero(to, neg, env);
            return Rounder.round(to, neg, frac, from.emin() - m, false, env);
        }
        return Rounder.round(to, neg, frac | (1L << m), (int) ef - from.bias() - m, false, env);
    }

    /** Rounds a double's exact value into f (NaN to the default NaN, ±Inf as an infinite result). */
    public static long fromDouble(Format f, double d, Env env) {
        long bits = Double.doubleToRawLongBits(d);
        long mag = bits & 0x7FFFFFFFFFFFFFFFL;
        boolean neg = bits < 0;
        int ef = (int) (mag >>> 52);
        long frac = mag & 0xFFFFFFFFFFFFFL;
        if (ef == 0x7FF) {
            if (frac != 0) {
                int fl = (frac & (1L << 51)) == 0 ? Flags.INVALID : 0;
                if (!f.hasNaN()) fl |= Flags.INVALID;
                return Rounder.nan(f, env, fl);
            }
            return Rounder.infinity(f, neg, env);
        }
        if (ef == 0) {
            if (frac == 0) return Rounder.zero(f, neg, env);
            return Rounder.round(f, neg, frac, -1074, false, env);
        }
        return Rounder.round(f, neg, frac | (1L << 52), ef - 1075, false, env);
    }

    /** Rounds a float's exact value into f. */
    public static long fromFloat(Format f, float x, Env env) {
        return convert(Format.BINARY32, Float.floatToRawIntBits(x) & 0xFFFFFFFFL, f, env);
    }

    /** Rounds an exact decimal value into f (delegates to the reference: decimal input is not a hot path). */
    public static long fromBigDecimal(Format f, BigDecimal v, Env env) {
        return RefOps.fromBigDecimal(f, v, env);
    }
}
