package lowp.backend;

import lowp.format.Format;
import lowp.round.Env;
import lowp.round.Mode;
import lowp.round.Rounder;
import lowp.round.Rounding;

/**
 * The CPU backend's numerics on top of the shared rounding core ({@link Rounder}): decode, exact product,
 * exact two-term sum, one rounding. The GPU ports (Aparapi {@code AparapiKernels}, CUDA kernels/lowp_numerics.h)
 * implement exactly these steps and are tested bit for bit against this class.
 *
 * <p>Exact sums (docs/gpu.md): see {@link #add128}; every rounding, stochastic ones included, sees the exact
 * value's last place, its first 64 fraction bits and whether anything non-zero lies below them.
 */
final class CpuMath {
    private CpuMath() {
    }

    static final int ZERO = 0, FIN = 1, INF = 2, NAN = 3;

    /** A decoded value: class, sign, significand, exponent of its last bit. */
    static final class V {
        int cls;
        boolean neg;
        long sig;
        int exp;

        V set(int cls, boolean neg, long sig, int exp) {
            this.cls = cls;
            this.neg = neg;
            this.sig = sig;
            this.exp = exp;
            return this;
        }
    }

    static V decode(Format f, long bits, V v) {
        if (f.isNaN(bits)) return v.set(NAN, false, 0, 0);
        boolean neg = f.isNegative(bits);
        if (f.isInf(bits)) return v.set(INF, neg, 0, 0);
        long s = f.sigOf(bits);
        if (s == 0) return v.set(ZERO, neg, 0, 0);
        return v.set(FIN, neg, s, f.expOf(bits));
    }

    static V decodeDouble(long bits, V v) {
        boolean neg = bits < 0;
        int ef = (int) ((bits >>> 52) & 0x7FF);
        long fr = bits & ((1L << 52) - 1);
        if (ef == 0x7FF) return fr != 0 ? v.set(NAN, false, 0, 0) : v.set(INF, neg, 0, 0);
        if (ef == 0) return fr == 0 ? v.set(ZERO, neg, 0, 0) : v.set(FIN, neg, fr, -1074);
        return v.set(FIN, neg, fr | (1L << 52), ef - 1075);
    }

    static V decodeFloat(int bits, V v) {
        boolean neg = bits < 0;
        int ef = (bits >>> 23) & 0xFF;
        long fr = bits & 0x7FFFFF;
        if (ef == 0xFF) return fr != 0 ? v.set(NAN, false, 0, 0) : v.set(INF, neg, 0, 0);
        if (ef == 0) return fr == 0 ? v.set(ZERO, neg, 0, 0) : v.set(FIN, neg, fr, -149);
        return v.set(FIN, neg, fr | (1L << 23), ef - 150);
    }

    /** Prepares env for one rounding: the rule and, for stochastic rules, the random word of this index. */
    static Env env(Env env, Rounding r, RngKey key, long index) {
        env.rounding = r;
        if (r.isStochastic()) env.random = Philox64.word(key, index);
        return env;
    }

    /** Rounds a decoded exact value (any class) into f. */
    static long round(Format f, V x, Env env) {
        switch (x.cls) {
            case NAN: return f.defaultNaN();
            case INF: return Rounder.infinity(f, x.neg, env);
            case ZERO: return Rounder.zero(f, x.neg, env);
            default: return Rounder.round(f, x.neg, x.sig, x.exp, false, env);
        }
    }

    static int msb(long x) {
        return 63 - Long.numberOfLeadingZeros(x);
    }

    /**
     * Exact sum of two non-zero exact values (significands in (0, 2^61)) as a 128-bit magnitude hi:lo times
     * 2^exp plus a sticky bit: the addend with the larger leading exponent is placed with its leading bit at
     * bit 124, the other is shifted right by the difference d of leading exponents; bits shifted out below
     * bit 0 (only when d &gt; 64) become the sticky bit (a borrow for a subtraction). Results are then at least
     * 2^123, so a p &lt;= 30 bit rounding sees its last place, 64 exact fraction bits and the sticky bit, exactly
     * what {@link Rounder#round128} requires for stochastic rounding.
     */
    static final class Sum {
        boolean neg;
        long hi;
        long lo;
        int exp;
        boolean sticky;
    }

    static Sum add128(boolean na, long sa, int ea, boolean nb, long sb, int eb, Sum r) {
        int ta = ea + msb(sa), tb = eb + msb(sb);
        if (ta < tb) {
            boolean tn = na; na = nb; nb = tn;
            long ts = sa; sa = sb; sb = ts;
            int tt = ta; ta = tb; tb = tt;
        }
        int d = ta - tb;
        long ah = sa << (60 - msb(sa));
        long bh = sb << (60 - msb(sb));
        long bl = 0;
        boolean sticky = false;
        if (d >= 128) {
            bh = 0;
            sticky = true;
        } else if (d > 64) {
            int s = d - 64;
            sticky = (bh << (64 - s)) != 0;
            bl = bh >>> s;
            bh = 0;
        } else if (d == 64) {
            bl = bh;
            bh = 0;
        } else if (d > 0) {
            bl = bh << (64 - d);
            bh >>>= d;
        }
        long hi, lo;
        boolean neg = na;
        if (na == nb) {
            lo = bl; // al = 0
            hi = ah + bh;
        } else {
            long st = sticky ? 1 : 0;
            lo = -bl - st; // 0 - bl - st
            long borrow = (bl != 0 || st != 0) ? 1 : 0;
            hi = ah - bh - borrow;
            if (hi < 0) { // only with d == 0 and no sticky: negate the 128-bit value
                lo = -lo;
                hi = -hi - (lo != 0 ? 1 : 0);
                neg = !neg;
            }
        }
        r.neg = neg;
        r.hi = hi;
        r.lo = lo;
        r.exp = ta - 124;
        r.sticky = sticky;
        return r;
    }

    /** Q_r(x + y) for decoded exact x, y (IEEE special cases; exact zero sums are -0 only under rdn). */
    static long add(Format r, V x, V y, Env env) {
        if (x.cls == NAN || y.cls == NAN) return r.defaultNaN();
        if (x.cls == INF && y.cls == INF) {
            return x.neg != y.neg ? r.defaultNaN() : Rounder.infinity(r, x.neg, env);
        }
        if (x.cls == INF) return Rounder.infinity(r, x.neg, env);
        if (y.cls == INF) return Rounder.infinity(r, y.neg, env);
        if (x.cls == ZERO && y.cls == ZERO) {
            return Rounder.zero(r, x.neg == y.neg ? x.neg : env.rounding.mode() == Mode.RDN, env);
        }
        if (x.cls == ZERO) return Rounder.round(r, y.neg, y.sig, y.exp, false, env);
        if (y.cls == ZERO) return Rounder.round(r, x.neg, x.sig, x.exp, false, env);
        return addFinite(r, x.neg, x.sig, x.exp, y.neg, y.sig, y.exp, env);
    }

    static long addFinite(Format r, boolean nx, long sx, int ex, boolean ny, long sy, int ey, Env env) {
        Sum s = add128(nx, sx, ex, ny, sy, ey, new Sum());
        if (s.hi == 0 && s.lo == 0 && !s.sticky) return Rounder.zero(r, env.rounding.mode() == Mode.RDN, env);
        return Rounder.round128(r, s.neg, s.hi, s.lo, s.exp, s.sticky, env);
    }

    /** Q_r(x * y). */
    static long mul(Format r, V x, V y, Env env) {
        if (x.cls == NAN || y.cls == NAN) return r.defaultNaN();
        boolean neg = x.neg ^ y.neg;
        if ((x.cls == INF && y.cls == ZERO) || (x.cls == ZERO && y.cls == INF)) return r.defaultNaN();
        if (x.cls == INF || y.cls == INF) return Rounder.infinity(r, neg, env);
        if (x.cls == ZERO || y.cls == ZERO) return Rounder.zero(r, neg, env);
        return Rounder.round(r, neg, x.sig * y.sig, x.exp + y.exp, false, env);
    }

    /** Q_r(x * y + z) with one rounding. */
    static long fma(Format r, V x, V y, V z, Env env) {
        boolean zeroTimesInf = (x.cls == INF && y.cls == ZERO) || (x.cls == ZERO && y.cls == INF);
        if (zeroTimesInf || x.cls == NAN || y.cls == NAN || z.cls == NAN) return r.defaultNaN();
        boolean pneg = x.neg ^ y.neg;
        boolean pinf = x.cls == INF || y.cls == INF;
        if (pinf && z.cls == INF && pneg != z.neg) return r.defaultNaN();
        if (pinf) return Rounder.infinity(r, pneg, env);
        if (z.cls == INF) return Rounder.infinity(r, z.neg, env);
        boolean pzero = x.cls == ZERO || y.cls == ZERO;
        if (pzero && z.cls == ZERO) {
            return Rounder.zero(r, pneg == z.neg ? pneg : env.rounding.mode() == Mode.RDN, env);
        }
        if (pzero) return Rounder.round(r, z.neg, z.sig, z.exp, false, env);
        long ps = x.sig * y.sig;
        int pe = x.exp + y.exp;
        if (z.cls == ZERO) return Rounder.round(r, pneg, ps, pe, false, env);
        return addFinite(r, pneg, ps, pe, z.neg, z.sig, z.exp, env);
    }
}
