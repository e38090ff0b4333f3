package lowp.ops;

import lowp.format.Format;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Rounder;
import lowp.round.Rounding;

/**
 * Binary16 fast path. Every finite binary16 value is sig * 2^(E - 25) with sig &lt; 2^11 and a biased
 * exponent E in 1..30 (E = 1 for subnormals), so exact sums, products and fma results fit in a long
 * without any sticky bit: add aligns to the smaller exponent (at most 11 + 29 bits), mul is a 22-bit
 * product, fma aligns a 22-bit product and an 11-bit addend (falling back to the generic 128-bit sum when
 * their exponents are more than 40 apart). The exact result is rounded once by {@link #round}, which
 * handles the common case (normal result, deterministic mode other than rto) inline and hands everything
 * else to {@link Rounder#round}. Inf/NaN operands take the generic path.
 */
final class Half {
    private Half() {
    }

    static final Format F = Format.BINARY16;

    private static void check(long a, long b) {
        if (((a | b) >>> 16) != 0) {
            F.checkBits(a);
            F.checkBits(b);
        }
    }

    static long add(long a, long b, boolean negateB, Env env) {
        check(a, b);
        int ea = (int) (a >>> 10) & 31;
        int eb = (int) (b >>> 10) & 31;
        if (ea == 31 || eb == 31) {
            return FloatOps.addGeneric(F, a, b, negateB, env);
        }
        long sa = a & 0x3FF;
        long sb = b & 0x3FF;
        boolean an = (a & 0x8000) != 0;
        boolean bn = ((b & 0x8000) != 0) ^ negateB;
        if (ea != 0) sa |= 0x400; else ea = 1;
        if (eb != 0) sb |= 0x400; else eb = 1;
        if (sa == 0 || sb == 0) {
            if (sa != 0) return a;
            if (sb != 0) return negateB ? b ^ 0x8000 : b;
            return (an == bn ? an : FloatOps.rdn(env)) ? 0x8000 : 0;
        }
        // align to the smaller exponent (branch-free: the order is data-dependent)
        int d = ea - eb;
        int e0 = Math.min(ea, eb);
        sa <<= Math.max(d, 0);
        sb <<= Math.max(-d, 0);
        long flip = (an == bn) ? 0 : -1L; // subtract: negate sb
        long s = sa + ((sb ^ flip) - flip);
        if (s == 0) {
            return FloatOps.rdn(env) ? 0x8000 : 0;
        }
        boolean neg = an ^ (s < 0);
        s = Math.abs(s);
        return round(neg, s, e0 - 25, env);
    }

    static long mul(long a, long b, Env env) {
        check(a, b);
        int ea = (int) (a >>> 10) & 31;
        int eb = (int) (b >>> 10) & 31;
        if (ea == 31 || eb == 31) {
            return FloatOps.mulGeneric(F, a, b, env);
        }
        long sa = a & 0x3FF;
        long sb = b & 0x3FF;
        boolean neg = ((a ^ b) & 0x8000) != 0;
        if (ea != 0) sa |= 0x400; else ea = 1;
        if (eb != 0) sb |= 0x400; else eb = 1;
        long p = sa * sb;
        if (p == 0) {
            return neg ? 0x8000 : 0;
        }
        return round(neg, p, ea + eb - 50, env);
    }

    static long fma(long a, long b, long c, Env env) {
        if (((a | b | c) >>> 16) != 0) {
            F.checkBits(a);
            F.checkBits(b);
            F.checkBits(c);
        }
        int ea = (int) (a >>> 10) & 31;
        int eb = (int) (b >>> 10) & 31;
        int ec = (int) (c >>> 10) & 31;
        if (ea == 31 || eb == 31 || ec == 31) {
            return FloatOps.fmaGeneric(F, a, b, c, env);
        }
        long sa = a & 0x3FF;
        long sb = b & 0x3FF;
        long sc = c & 0x3FF;
        if (ea != 0) sa |= 0x400; else ea = 1;
        if (eb != 0) sb |= 0x400; else eb = 1;
        if (ec != 0) sc |= 0x400; else ec = 1;
        boolean pn = ((a ^ b) & 0x8000) != 0;
        boolean cn = (c & 0x8000) != 0;
        long p = sa * sb;
        int pe = ea + eb - 50; // p * 2^pe
        int ce = ec - 25;
        if (p == 0) {
            if (sc == 0) {
                return (pn == cn ? pn : FloatOps.rdn(env)) ? 0x8000 : 0;
            }
            return c; // exactly c
        }
        if (sc == 0) {
            return round(pn, p, pe, env);
        }
        int d = pe - ce; // -53 <= d <= 34
        if (d < -40) { // addend far above the product: 128-bit generic sum with sticky
            return FloatOps.sum128(F, pn, 0, p, pe, cn, 0, sc, ce, env);
        }
        // align to the smaller exponent, branch-free: p << d < 2^56, sc << -d < 2^51
        long x = p << Math.max(d, 0);
        long y = sc << Math.max(-d, 0);
        int e0 = Math.min(pe, ce);
        long flip = (pn == cn) ? 0 : -1L;
        long s = x + ((y ^ flip) - flip);
        if (s == 0) {
            return FloatOps.rdn(env) ? 0x8000 : 0;
        }
        boolean neg = pn ^ (s < 0);
        s = Math.abs(s);
        return round(neg, s, e0, env);
    }

    /**
     * Rounds the exact value {@code (-1)^neg * sig * 2^exp} ({@code 0 < sig < 2^62}, no sticky bits) into
     * binary16: the same result and flags as {@code Rounder.round(F, neg, sig, exp, false, env)}, which it
     * calls for tiny results (below 2^-14: subnormal rounding and the tininess rule), rto and the
     * stochastic modes.
     *
     * <p>Inline case: the value lies in [2^e, 2^(e+1)) with e &gt;= -14, so the quantum is 2^(e-10) and the
     * result k * 2^(e-10) has k = floor((sig + inc) / 2^s), s = e - 10 - exp, with the mode's increment
     * inc (2^(s-1) - 1 + lsb for RNE, 2^(s-1) for RNA, 0 or 2^s - 1 for the directed modes). The bit
     * pattern of k * 2^(e-10) with 2^10 &lt;= k &lt;= 2^11 is {@code ((e + 14) << 10) + k}: the biased
     * exponent is e + 15 and the hidden bit k's 2^10 adds one to it, and a carry k = 2^11 lands on the next
     * binade's pattern by itself. A pattern of 0x7C00 or more is a rounded value of at least 2^16, beyond
     * max finite 65504: overflow.
     */
    static long round(boolean neg, long sig, int exp, Env env) {
        int e = exp + 63 - Long.numberOfLeadingZeros(sig);
        int s = e - 10 - exp;
        if (e < -14 || s <= 0 || env.rounding != Rounding.RNE) {
            return roundAny(neg, sig, exp, env);
        }
        // RNE, normal range, inexact possible: the hot case in a few bytecodes so that it inlines everywhere
        long mask = (1L << s) - 1;
        long bits = ((long) (e + 14) << 10) + ((sig + (mask >>> 1) + ((sig >>> s) & 1)) >>> s);
        if (bits >= 0x7C00) {
            return Rounder.overflow(F, neg, env);
        }
        if ((sig & mask) != 0) {
            env.flags |= Flags.INEXACT;
        }
        return (neg ? 0x8000 : 0) | bits;
    }

    /** {@link #round} for every case (the same rule, all deterministic modes). */
    private static long roundAny(boolean neg, long sig, int exp, Env env) {
        int e = exp + 63 - Long.numberOfLeadingZeros(sig);
        if (e < -14) {
            return Rounder.round(F, neg, sig, exp, false, env);
        }
        int s = e - 10 - exp; // <= 51
        long k;
        boolean inexact;
        if (s <= 0) { // at most 11 significant bits: exact
            k = sig << -s;
            inexact = false;
        } else {
            long mask = (1L << s) - 1;
            long inc;
            switch (env.rounding.mode()) {
                case RNE: inc = (mask >>> 1) + ((sig >>> s) & 1); break;
                case RNA: inc = (mask >>> 1) + 1; break;
                case RTZ: inc = 0; break;
                case RUP: inc = neg ? 0 : mask; break;
                case RDN: inc = neg ? mask : 0; break;
                default: return Rounder.round(F, neg, sig, exp, false, env);
            }
            k = (sig + inc) >>> s;
            inexact = (sig & mask) != 0;
        }
        long bits = ((long) (e + 14) << 10) + k;
        if (bits >= 0x7C00) {
            return Rounder.overflow(F, neg, env);
        }
        if (inexact) {
            env.flags |= Flags.INEXACT;
        }
        return (neg ? 0x8000 : 0) | bits;
    }
}
