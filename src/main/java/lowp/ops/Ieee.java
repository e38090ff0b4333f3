package lowp.ops;

import lowp.format.Format;
import lowp.round.Env;
import lowp.round.Rounder;

/**
 * Inline operand decoding for ieee-kind formats (bf16, tf32, fp32, fp64, generic eEmM): finite non-zero
 * operands are unpacked from the fields directly and handed to the same exact-result tails as the generic
 * path; anything else (Inf/NaN exponent, zeros, subnormals of a :nosub format) goes to the generic path.
 */
final class Ieee {
    private Ieee() {
    }

    static long add(Format f, long a, long b, boolean negateB, Env env) {
        final int m = f.manBits();
        final int w = f.width();
        final long top = (1L << f.expBits()) - 1;
        if (w < 64 && ((a | b) >>> w) != 0) {
            return FloatOps.addGeneric(f, a, b, negateB, env); // throws for the bad pattern
        }
        long fm = (1L << m) - 1;
        long ea = (a >>> m) & top;
        long eb = (b >>> m) & top;
        long sa = a & fm;
        long sb = b & fm;
        if (ea == top || eb == top || ea == 0 || eb == 0) {
            if (ea == top || eb == top || !f.subnormals() || (ea == 0 && sa == 0) || (eb == 0 && sb == 0)) {
                return FloatOps.addGeneric(f, a, b, negateB, env);
            }
        }
        if (ea != 0) sa |= 1L << m; else ea = 1;
        if (eb != 0) sb |= 1L << m; else eb = 1;
        int q = -f.bias() - m;
        boolean an = (a & f.signBit()) != 0;
        boolean bn = ((b & f.signBit()) != 0) ^ negateB;
        int xa = (int) ea + q;
        int xb = (int) eb + q;
        if (FloatOps.needsWide(env)) {
            return FloatOps.sum128(f, an, 0, sa, xa, bn, 0, sb, xb, env);
        }
        return FloatOps.sum64(f, an, sa, xa, bn, sb, xb, env);
    }

    static long mul(Format f, long a, long b, Env env) {
        final int m = f.manBits();
        final int w = f.width();
        final long top = (1L << f.expBits()) - 1;
        if (w < 64 && ((a | b) >>> w) != 0) {
            return FloatOps.mulGeneric(f, a, b, env);
        }
        long fm = (1L << m) - 1;
        long ea = (a >>> m) & top;
        long eb = (b >>> m) & top;
        long sa = a & fm;
        long sb = b & fm;
        if (ea == top || eb == top || ea == 0 || eb == 0) {
            if (ea == top || eb == top || !f.subnormals() || (ea == 0 && sa == 0) || (eb == 0 && sb == 0)) {
                return FloatOps.mulGeneric(f, a, b, env);
            }
        }
        if (ea != 0) sa |= 1L << m; else ea = 1;
        if (eb != 0) sb |= 1L << m; else eb = 1;
        boolean neg = ((a ^ b) & f.signBit()) != 0;
        int e = (int) (ea + eb) - 2 * (f.bias() + m);
        if (m <= 30) {
            return Rounder.round(f, neg, sa * sb, e, false, env);
        }
        return Rounder.round128(f, neg, Math.multiplyHigh(sa, sb), sa * sb, e, false, env);
    }

    static long fma(Format f, long a, long b, long c, Env env) {
        final int m = f.manBits();
        final int w = f.width();
        final long top = (1L << f.expBits()) - 1;
        if (w < 64 && ((a | b | c) >>> w) != 0) {
            return FloatOps.fmaGeneric(f, a, b, c, env);
        }
        long fm = (1L << m) - 1;
        long ea = (a >>> m) & top;
        long eb = (b >>> m) & top;
        long ec = (c >>> m) & top;
        long sa = a & fm;
        long sb = b & fm;
        long sc = c & fm;
        if (ea == top || eb == top || ec == top || ea == 0 || eb == 0 || ec == 0) {
            if (ea == top || eb == top || ec == top || !f.subnormals()
                    || (ea == 0 && sa == 0) || (eb == 0 && sb == 0) || (ec == 0 && sc == 0)) {
                return FloatOps.fmaGeneric(f, a, b, c, env);
            }
        }
        if (ea != 0) sa |= 1L << m; else ea = 1;
        if (eb != 0) sb |= 1L << m; else eb = 1;
        if (ec != 0) sc |= 1L << m; else ec = 1;
        long sign = f.signBit();
        boolean pn = ((a ^ b) & sign) != 0;
        boolean cn = (c & sign) != 0;
        int q = -f.bias() - m;
        int pe = (int) (ea + eb) + 2 * q;
        int ce = (int) ec + q;
        if (m <= 30) {
            return FloatOps.sum128(f, pn, 0, sa * sb, pe, cn, 0, sc, ce, env);
        }
        return FloatOps.sum128(f, pn, Math.multiplyHigh(sa, sb), sa * sb, pe, cn, 0, sc, ce, env);
    }
}
