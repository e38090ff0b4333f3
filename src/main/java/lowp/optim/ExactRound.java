package lowp.optim;

import lowp.format.Format;
import lowp.ref.Exact;
import lowp.ref.RefRounder;
import lowp.round.Env;
import lowp.round.Mode;
import lowp.round.Rounder;

import java.math.BigInteger;

/**
 * Single roundings of exact values built from doubles into any format, through {@link Rounder} (never
 * rounding twice): the exact sum of two doubles (so sums, and products as {@code p + fma(a,b,-p)}),
 * quotients and square roots (guard + sticky from the exact fma residual; for stochastic modes the
 * BigInteger reference is used so that the 64 fraction bits stay exact). Inputs must be finite doubles
 * whose intermediate products/quotients do not under- or overflow binary64 (true for every format up to
 * fp32 range used here; checked).
 */
public final class ExactRound {
    private ExactRound() {
    }

    /** The value of a bit pattern of f as a double (f must fit in a double). */
    public static double value(Format f, long bits) {
        if (f.isNaN(bits)) {
            return Double.NaN;
        }
        boolean neg = f.isNegative(bits);
        if (f.isInf(bits)) {
            return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        long sig = f.sigOf(bits);
        if (sig == 0) {
            return neg ? -0.0 : 0.0;
        }
        double d = Math.scalb((double) sig, f.expOf(bits));
        return neg ? -d : d;
    }

    /** Rounds x into f (bit pattern). */
    public static long round(Format f, double x, Env env) {
        return roundSum(f, x, 0.0, env);
    }

    /** Rounds x into f and returns the value as a double. */
    public static double roundValue(Format f, double x, Env env) {
        return value(f, roundSum(f, x, 0.0, env));
    }

    /** Rounds the exact value a + b (two finite doubles) once into f. */
    public static long roundSum(Format f, double a, double b, Env env) {
        if (Double.isNaN(a) || Double.isNaN(b) || Double.isInfinite(a) || Double.isInfinite(b)) {
            double s = a + b;
            if (Double.isNaN(s)) {
                env.flags |= lowp.round.Flags.INVALID;
                return f.defaultNaN();
            }
            return Rounder.infinity(f, s < 0, env);
        }
        if (b == 0) {
            if (a == 0) {
                boolean neg = zeroSumNegative(a, b, env);
                return Rounder.zero(f, neg, env);
            }
            long ab = Double.doubleToRawLongBits(a);
            long sa = sig53(ab);
            int xa = exp53(ab);
            int lz = Long.numberOfLeadingZeros(sa) - 11;
            return Rounder.round(f, a < 0, sa << lz, xa - lz, false, env);
        }
        if (a == 0) {
            return roundSum(f, b, 0.0, env);
        }
        long ab = Double.doubleToRawLongBits(a);
        long bb = Double.doubleToRawLongBits(b);
        long sa = sig53(ab);
        int xa = exp53(ab);
        long sb = sig53(bb);
        int xb = exp53(bb);
        int lz = Long.numberOfLeadingZeros(sa) - 11;
        sa <<= lz;
        xa -= lz;
        lz = Long.numberOfLeadingZeros(sb) - 11;
        sb <<= lz;
        xb -= lz;
        boolean na = a < 0;
        boolean nb = b < 0;
        if (xb > xa || (xb == xa && sb > sa)) { // order by magnitude
            long ts = sa; sa = sb; sb = ts;
            int tx = xa; xa = xb; xb = tx;
            boolean tn = na; na = nb; nb = tn;
        }
        if (sa == sb && xa == xb && na != nb) {
            return Rounder.zero(f, env.rounding.mode() == Mode.RDN, env);
        }
        int d = xa - xb;
        // A = sa * 2^74 (bits 126..74), exponent xa - 74
        long ahi = sa << 10;
        long alo = 0;
        long bhi;
        long blo;
        boolean rem = false;
        int shift = 74 - d;
        if (shift >= 64) {
            bhi = sb << (shift - 64);
            blo = 0;
        } else if (shift > 0) {
            bhi = sb >>> (64 - shift);
            blo = sb << shift;
        } else if (shift == 0) {
            bhi = 0;
            blo = sb;
        } else {
            int k = -shift;
            bhi = 0;
            if (k < 63) {
                blo = sb >>> k;
                rem = (sb & ((1L << k) - 1)) != 0;
            } else {
                blo = 0;
                rem = true;
            }
        }
        long hi;
        long lo;
        if (na == nb) {
            lo = alo + blo;
            hi = ahi + bhi + (Long.compareUnsigned(lo, alo) < 0 ? 1 : 0);
        } else {
            long sub = blo + (rem ? 1 : 0); // blo < 2^63 here or no overflow: blo <= 2^64-1 only if shift>0
            long borrowIn = (rem && sub == 0) ? 1 : 0; // blo was all ones (cannot happen: rem implies bhi=0, blo<2^53)
            lo = alo - sub;
            long borrow = Long.compareUnsigned(alo, sub) < 0 ? 1 : 0;
            hi = ahi - bhi - borrow - borrowIn;
        }
        return Rounder.round128(f, na, hi, lo, xa - 74, rem, env);
    }

    /** Rounds the exact product a*b into f. */
    public static long roundProduct(Format f, double a, double b, Env env) {
        double p = a * b;
        if (p == 0 || Double.isInfinite(p) || Double.isNaN(p)) {
            if (Double.isNaN(p)) {
                env.flags |= lowp.round.Flags.INVALID;
                return f.defaultNaN();
            }
            if (p == 0 && a != 0 && b != 0) {
                throw new ArithmeticException("product underflows binary64: " + a + " * " + b);
            }
            if (Double.isInfinite(p) && !Double.isInfinite(a) && !Double.isInfinite(b)) {
                throw new ArithmeticException("product overflows binary64: " + a + " * " + b);
            }
            return p == 0 ? Rounder.zero(f, (a < 0) != (b < 0) || (Double.doubleToRawLongBits(p) < 0), env)
                    : Rounder.infinity(f, p < 0, env);
        }
        double e = Math.fma(a, b, -p);
        if (e != 0 && Math.abs(p) < 0x1p-969) {
            throw new ArithmeticException("product too small for an exact error term: " + a + " * " + b);
        }
        return roundSum(f, p, e, env);
    }

    /** Rounds the exact quotient a/b into f (b != 0). */
    public static long roundQuotient(Format f, double a, double b, Env env) {
        if (b == 0 || a == 0 || Double.isNaN(a) || Double.isNaN(b) || Double.isInfinite(a) || Double.isInfinite(b)) {
            long fb = RefRounderBridge.toBits(a);
            long gb = RefRounderBridge.toBits(b);
            return lowp.ref.RefOps.convert(Format.BINARY64,
                    lowp.ref.RefOps.div(Format.BINARY64, fb, gb, env), f, env);
        }
        if (env.rounding.isStochastic()) {
            return refQuotient(f, a, b, env);
        }
        double q = a / b;
        if (Math.abs(q) < 0x1p-1000 || Double.isInfinite(q)) {
            return refQuotient(f, a, b, env);
        }
        double r = Math.fma(-q, b, a);
        if (r == 0) {
            return round(f, q, env);
        }
        boolean larger = ((r > 0) == (b > 0)) == (q > 0); // |a/b| > |q|
        return guardSticky(f, q, larger, env);
    }

    /** Rounds the exact square root of a (a >= 0) into f. */
    public static long roundSqrt(Format f, double a, Env env) {
        if (a <= 0 || Double.isNaN(a) || Double.isInfinite(a)) {
            return lowp.ref.RefOps.convert(Format.BINARY64,
                    lowp.ref.RefOps.sqrt(Format.BINARY64, RefRounderBridge.toBits(a), env), f, env);
        }
        if (env.rounding.isStochastic() || a < 0x1p-900) {
            long ab = Double.doubleToRawLongBits(a);
            long sa = sig53(ab);
            int xa = exp53(ab);
            if ((xa & 1) != 0) {
                sa <<= 1;
                xa -= 1;
            }
            Exact x = Exact.sqrt(Exact.dyadic(BigInteger.valueOf(sa), xa));
            return RefRounder.round(f, false, x, env);
        }
        double s = Math.sqrt(a);
        double r = Math.fma(-s, s, a);
        if (r == 0) {
            return round(f, s, env);
        }
        return guardSticky(f, s, r > 0, env);
    }

    private static long refQuotient(Format f, double a, double b, Env env) {
        long ab = Double.doubleToRawLongBits(a);
        long bb = Double.doubleToRawLongBits(b);
        Exact x = Exact.rational(BigInteger.valueOf(sig53(ab)), BigInteger.valueOf(sig53(bb)), exp53(ab) - exp53(bb));
        return RefRounder.round(f, (a < 0) != (b < 0), x, env);
    }

    /** |exact| lies strictly between |q| and its neighbour in the direction given, less than half an ulp away. */
    private static long guardSticky(Format f, double q, boolean larger, Env env) {
        long qb = Double.doubleToRawLongBits(q);
        long s = sig53(qb);
        int x = exp53(qb);
        int lz = Long.numberOfLeadingZeros(s) - 11;
        s <<= lz;
        x -= lz;
        long sig = s << 1;
        if (!larger) {
            sig -= 1;
        }
        return Rounder.round(f, q < 0, sig, x - 1, true, env);
    }

    private static boolean zeroSumNegative(double a, double b, Env env) {
        boolean an = Double.doubleToRawLongBits(a) < 0;
        boolean bn = Double.doubleToRawLongBits(b) < 0;
        if (an == bn) {
            return an;
        }
        return env.rounding.mode() == Mode.RDN;
    }

    static long sig53(long bits) {
        int ef = (int) ((bits >>> 52) & 0x7FF);
        long frac = bits & 0xFFFFFFFFFFFFFL;
        return ef == 0 ? frac : frac | (1L << 52);
    }

    static int exp53(long bits) {
        int ef = (int) ((bits >>> 52) & 0x7FF);
        return ef == 0 ? -1074 : ef - 1075;
    }

    /** Tiny bridge for special operands. */
    static final class RefRounderBridge {
        static long toBits(double d) {
            return Double.doubleToRawLongBits(d);
        }
    }
}
