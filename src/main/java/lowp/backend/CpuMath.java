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
 * <p>Exact sums (docs/gpu.md): both addends are exact dyadic values with significands below 2^61; they are
 * aligned at the larger leading exponent with the significands normalised to 60 bits (leading bit 2^59), and bits of the smaller
 * addend shifted out below the larger one's last bit become a sticky bit. The rounding step therefore sees at
 * least 58 exact leading bits: every deterministic mode is exact, and {@code sr} sees the first 28 or more
 * fraction bits of a 30-bit-precision target exactly (the remainder only as "non-zero").
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

    /** Exponent of the last bit of {@link #addPacked}'s significand. */
    static int addExp(long sa, int ea, long sb, int eb) {
        int ta = ea + msb(sa), tb = eb + msb(sb);
        int t = Math.max(ta, tb);
        return Math.abs(ta - tb) <= 1 ? t - 60 : t - 59;
    }

    /**
     * Sum of two non-zero exact values (significands in (0, 2^61)): bit 63 = sign, bit 62 = sticky, bits 0..61 =
     * significand (0 with no sticky: an exact zero).
     */
    static long addPacked(boolean na, long sa, int ea, boolean nb, long sb, int eb) {
        int ta = ea + msb(sa), tb = eb + msb(sb);
        if (ta < tb) {
            boolean tn = na; na = nb; nb = tn;
            long ts = sa; sa = sb; sb = ts;
            int tt = ta; ta = tb; tb = tt;
        }
        int d = ta - tb;
        long x = sa << (59 - msb(sa));
        long y = sb << (59 - msb(sb));
        boolean sticky = false;
        if (d <= 1) {
            x <<= 1;
            y <<= 1 - d;
        } else if (d < 64) {
            sticky = (y << (64 - d)) != 0;
            y >>>= d;
        } else {
            y = 0;
            sticky = true;
        }
        boolean neg = na;
        long s;
        if (na == nb) {
            s = x + y;
        } else {
            s = x - y - (sticky ? 1 : 0);
            if (s < 0) {
                s = -s;
                neg = !neg;
            }
        }
        return (neg ? 1L << 63 : 0) | (sticky ? 1L << 62 : 0) | s;
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
        long p = addPacked(nx, sx, ex, ny, sy, ey);
        long s = p & ((1L << 62) - 1);
        boolean sticky = (p & (1L << 62)) != 0;
        if (s == 0 && !sticky) return Rounder.zero(r, env.rounding.mode() == Mode.RDN, env);
        return Rounder.round(r, p < 0, s, addExp(sx, ex, sy, ey), sticky, env);
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
