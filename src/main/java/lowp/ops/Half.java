package lowp.ops;

import lowp.format.Format;
import lowp.round.Env;
import lowp.round.Rounder;

/**
 * Binary16 fast path. Every finite binary16 value is sig * 2^(E - 25) with sig &lt; 2^11 and a biased
 * exponent E in 1..30 (E = 1 for subnormals), so exact sums, products and fma results fit in a long
 * without any sticky bit: add aligns to the smaller exponent (at most 11 + 29 bits), mul is a 22-bit
 * product, fma aligns a 22-bit product and an 11-bit addend (falling back to the generic 128-bit sum when
 * their exponents are more than 40 apart). The exact result goes to {@link Rounder#round} once.
 * Inf/NaN operands take the generic path.
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
        return Rounder.round(F, neg, s, e0 - 25, false, env);
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
        return Rounder.round(F, neg, p, ea + eb - 50, false, env);
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
            return Rounder.round(F, pn, p, pe, false, env);
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
        return Rounder.round(F, neg, s, e0, false, env);
    }
}
