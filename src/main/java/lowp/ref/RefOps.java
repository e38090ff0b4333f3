package lowp.ref;

import lowp.format.Format;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Mode;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Reference arithmetic on bit patterns: special cases first (named, IEEE 754-2019 rules, docs/formats.md),
 * then the exact result as a rational or square root of one, then one {@link RefRounder#round}.
 * Slow and simple on purpose: it defines the truth.
 */
public final class RefOps {
    private RefOps() {
    }

    /** A decoded operand. */
    static final class V {
        final boolean nan;
        final boolean snan;
        final boolean inf;
        final boolean neg;
        final BigInteger sig; // 0 for zero
        final int exp;

        V(boolean nan, boolean snan, boolean inf, boolean neg, BigInteger sig, int exp) {
            this.nan = nan;
            this.snan = snan;
            this.inf = inf;
            this.neg = neg;
            this.sig = sig;
            this.exp = exp;
        }

        boolean zero() {
            return !nan && !inf && sig.signum() == 0;
        }

        V negate() {
            return new V(nan, snan, inf, !neg, sig, exp);
        }

        BigInteger signedSig() {
            return neg ? sig.negate() : sig;
        }
    }

    static V decode(Format f, long bits) {
        f.checkBits(bits);
        if (f.isNaN(bits)) {
            return new V(true, f.isSignalingNaN(bits), false, false, BigInteger.ZERO, 0);
        }
        boolean neg = f.isNegative(bits);
        if (f.isInf(bits)) {
            return new V(false, false, true, neg, BigInteger.ZERO, 0);
        }
        return new V(false, false, false, neg, BigInteger.valueOf(f.sigOf(bits)), f.expOf(bits));
    }

    private static long nanResult(Format f, Env env, V... ops) {
        int fl = 0;
        for (V v : ops) {
            if (v.snan) fl |= Flags.INVALID;
        }
        return RefRounder.nan(f, env, fl);
    }

    private static boolean anyNaN(V... ops) {
        for (V v : ops) if (v.nan) return true;
        return false;
    }

    /** Rounds the exact dyadic sum s * 2^exp (s signed, may be zero: zeroSignIfZero decides the zero's sign). */
    private static long roundSigned(Format f, BigInteger s, int exp, Env env) {
        if (s.signum() == 0) {
            return RefRounder.zero(f, env.rounding.mode() == Mode.RDN, env);
        }
        return RefRounder.round(f, s.signum() < 0, Exact.dyadic(s.abs(), exp), env);
    }

    public static long add(Format f, long a, long b, Env env) {
        return addV(f, decode(f, a), decode(f, b), env);
    }

    public static long sub(Format f, long a, long b, Env env) {
        return addV(f, decode(f, a), decode(f, b).negate(), env);
    }

    private static long addV(Format f, V x, V y, Env env) {
        if (anyNaN(x, y)) return nanResult(f, env, x, y);
        if (x.inf && y.inf) {
            if (x.neg != y.neg) return RefRounder.nan(f, env, Flags.INVALID); // inf - inf
            return RefRounder.infinity(f, x.neg, env);
        }
        if (x.inf) return RefRounder.infinity(f, x.neg, env);
        if (y.inf) return RefRounder.infinity(f, y.neg, env);
        if (x.zero() && y.zero()) {
            if (x.neg == y.neg) return RefRounder.zero(f, x.neg, env);
            return RefRounder.zero(f, env.rounding.mode() == Mode.RDN, env);
        }
        int e = Math.min(x.exp, y.exp);
        BigInteger s = x.signedSig().shiftLeft(x.exp - e).add(y.signedSig().shiftLeft(y.exp - e));
        return roundSigned(f, s, e, env);
    }

    public static long mul(Format f, long a, long b, Env env) {
        V x = decode(f, a);
        V y = decode(f, b);
        if (anyNaN(x, y)) return nanResult(f, env, x, y);
        boolean neg = x.neg ^ y.neg;
        if ((x.inf && y.zero()) || (x.zero() && y.inf)) return RefRounder.nan(f, env, Flags.INVALID);
        if (x.inf || y.inf) return RefRounder.infinity(f, neg, env);
        if (x.zero() || y.zero()) return RefRounder.zero(f, neg, env);
        return RefRounder.round(f, neg, Exact.dyadic(x.sig.multiply(y.sig), x.exp + y.exp), env);
    }

    public static long div(Format f, long a, long b, Env env) {
        V x = decode(f, a);
        V y = decode(f, b);
        if (anyNaN(x, y)) return nanResult(f, env, x, y);
        boolean neg = x.neg ^ y.neg;
        if ((x.inf && y.inf) || (x.zero() && y.zero())) return RefRounder.nan(f, env, Flags.INVALID);
        if (x.inf) return RefRounder.infinity(f, neg, env);
        if (y.inf) return RefRounder.zero(f, neg, env);
        if (y.zero()) {
            env.flags |= Flags.INFINITE;
            return RefRounder.infinity(f, neg, env);
        }
        if (x.zero()) return RefRounder.zero(f, neg, env);
        return RefRounder.round(f, neg, Exact.rational(x.sig, y.sig, x.exp - y.exp), env);
    }

    public static long sqrt(Format f, long a, Env env) {
        V x = decode(f, a);
        if (x.nan) return nanResult(f, env, x);
        if (x.zero()) return RefRounder.zero(f, x.neg, env);
        if (x.neg) return RefRounder.nan(f, env, Flags.INVALID);
        if (x.inf) return RefRounder.infinity(f, false, env);
        return RefRounder.round(f, false, Exact.sqrt(Exact.dyadic(x.sig, x.exp)), env);
    }

    /** fma(a, b, c) = a*b + c with one rounding. 0*Inf raises invalid even with a quiet-NaN addend. */
    public static long fma(Format f, long a, long b, long c, Env env) {
        V x = decode(f, a);
        V y = decode(f, b);
        V z = decode(f, c);
        boolean zeroTimesInf = (x.inf && y.zero()) || (x.zero() && y.inf);
        if (zeroTimesInf) {
            env.flags |= Flags.INVALID;
            return nanResult(f, env, x, y, z);
        }
        if (anyNaN(x, y, z)) return nanResult(f, env, x, y, z);
        boolean pneg = x.neg ^ y.neg;
        boolean pinf = x.inf || y.inf;
        if (pinf && z.inf && pneg != z.neg) return RefRounder.nan(f, env, Flags.INVALID);
        if (pinf) return RefRounder.infinity(f, pneg, env);
        if (z.inf) return RefRounder.infinity(f, z.neg, env);
        boolean pzero = x.zero() || y.zero();
        if (pzero && z.zero()) {
            if (pneg == z.neg) return RefRounder.zero(f, pneg, env);
            return RefRounder.zero(f, env.rounding.mode() == Mode.RDN, env);
        }
        BigInteger ps = pzero ? BigInteger.ZERO : x.sig.multiply(y.sig);
        if (pneg) ps = ps.negate();
        int pe = x.exp + y.exp;
        if (pzero) pe = z.exp;
        int e = Math.min(pe, z.exp);
        BigInteger s = ps.shiftLeft(pe - e).add(z.signedSig().shiftLeft(z.exp - e));
        return roundSigned(f, s, e, env);
    }

    /** Converts a pattern of {@code from} into {@code to} with one rounding of the exact value. */
    public static long convert(Format from, long a, Format to, Env env) {
        V x = decode(from, a);
        if (x.nan) {
            int fl = x.snan ? Flags.INVALID : 0;
            if (!to.hasNaN()) fl |= Flags.INVALID; // MX element types have no NaN code
            return RefRounder.nan(to, env, fl);
        }
        if (x.inf) return RefRounder.infinity(to, x.neg, env);
        if (x.zero()) return RefRounder.zero(to, x.neg, env);
        return RefRounder.round(to, x.neg, Exact.dyadic(x.sig, x.exp), env);
    }

    /** Rounds an exact decimal value into f (zero keeps its sign only for -0.0 doubles; BigDecimal has +0). */
    public static long fromBigDecimal(Format f, BigDecimal v, Env env) {
        if (v.signum() == 0) return RefRounder.zero(f, false, env);
        boolean neg = v.signum() < 0;
        BigDecimal a = v.abs();
        BigInteger unscaled = a.unscaledValue();
        int scale = a.scale(); // a = unscaled * 10^-scale = unscaled * 5^-scale * 2^-scale
        Exact x;
        if (scale <= 0) {
            x = Exact.dyadic(unscaled.multiply(BigInteger.TEN.pow(-scale)), 0);
        } else {
            x = Exact.rational(unscaled, BigInteger.valueOf(5).pow(scale), -scale);
        }
        return RefRounder.round(f, neg, x, env);
    }

    /** Rounds a double's exact value into f (NaN to the default NaN, ±Inf as an infinite result). */
    public static long fromDouble(Format f, double d, Env env) {
        return convert(lowp.format.Format.BINARY64, Double.doubleToRawLongBits(d), f, env);
    }
}
