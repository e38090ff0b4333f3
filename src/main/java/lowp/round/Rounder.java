package lowp.round;

import lowp.format.Format;
import lowp.format.Kind;

/**
 * The one rounding step of the fast path: a finite non-zero exact value
 * {@code (-1)^neg * (sig + t) * 2^exp}, where {@code t = 0} if {@code !sticky} and {@code 0 < t < 1} if
 * {@code sticky}, is rounded once into a format under the environment's rule, with IEEE flags.
 * Long arithmetic only; the BigInteger reference ({@code lowp.ref.RefRounder}) is the truth it is tested against.
 *
 * <p>Semantics (docs/formats.md): round to the precision at quantum 2^(max(e, emin) - M) (subnormals as if
 * present); overflow is decided on that result (|r| &gt; max finite); tininess before or after rounding;
 * {@code :nosub} flushes a non-zero subnormal result to a zero of the same sign with underflow|inexact.
 */
public final class Rounder {
    private Rounder() {
    }

    /**
     * Rounds {@code (-1)^neg * (sig + sticky-fraction) * 2^exp} into {@code f}.
     *
     * @param sig   integer significand, 0 &lt; sig &lt; 2^63 (0 only with !sticky, meaning an exact zero)
     * @param exp   exponent of sig's last bit
     * @param sticky whether the exact value has further non-zero bits below sig's last bit; allowed only when
     *               sig reaches at least one bit below the result's last place (a guard bit: e.g. sig has
     *               M + 2 or more significant bits), so that the result does not depend on where t lies
     * @return the result bit pattern; flags are OR-ed into {@code env.flags}
     */
    public static long round(Format f, boolean neg, long sig, int exp, boolean sticky, Env env) {
        if (sig == 0) {
            if (sticky) {
                throw new IllegalArgumentException("sticky bits without a significand");
            }
            return zero(f, neg, env);
        }
        if (neg && !f.signed()) {
            return unsignedNegative(f, env);
        }
        final int m = f.manBits();
        final int emin = f.emin();
        final int e = exp + 63 - Long.numberOfLeadingZeros(sig); // value in [2^e, 2^(e+1))
        if (e == emin - 1 && !sticky && (sig & (sig - 1)) == 0 && isE8m0Rne(f, env)) {
            return e8m0TieUp(env);
        }
        boolean tiny = false;
        if (e < emin) {
            if (f.kind() == Kind.E8M0 || env.tininess == Tininess.BEFORE || e < emin - 1) {
                tiny = true;
            } else { // after rounding: would rounding to p bits with unbounded exponent carry up to 2^emin?
                tiny = (quantize64(neg, sig, exp, sticky, e - m, env) & ~INEXACT_BIT) < (1L << (m + 1));
            }
        }
        int qe = Math.max(e, emin) - m;
        return finish(f, neg, quantize64(neg, sig, exp, sticky, qe, env), qe, tiny, env);
    }

    /**
     * Rounds {@code (-1)^neg * (hi * 2^64 + lo + t) * 2^exp} (unsigned 128-bit significand, t as in
     * {@link #round}) into {@code f}. With 128 bits a caller can keep 64 exact fraction bits below the last
     * place, which stochastic rounding with a sticky remainder requires.
     */
    public static long round128(Format f, boolean neg, long hi, long lo, int exp, boolean sticky, Env env) {
        if (hi == 0 && lo >= 0) {
            return round(f, neg, lo, exp, sticky, env);
        }
        if (hi == 0) { // lo has its top bit set: shift one bit into the sticky
            return round(f, neg, lo >>> 1, exp + 1, sticky || (lo & 1) != 0, env);
        }
        if (neg && !f.signed()) {
            return unsignedNegative(f, env);
        }
        final int m = f.manBits();
        final int emin = f.emin();
        final int e = exp + 64 + 63 - Long.numberOfLeadingZeros(hi);
        if (e == emin - 1 && !sticky && lo == 0 && (hi & (hi - 1)) == 0 && isE8m0Rne(f, env)) {
            return e8m0TieUp(env);
        }
        boolean tiny = false;
        if (e < emin) {
            if (f.kind() == Kind.E8M0 || env.tininess == Tininess.BEFORE || e < emin - 1) {
                tiny = true;
            } else {
                tiny = (quantize128(neg, hi, lo, exp, sticky, e - m, env) & ~INEXACT_BIT) < (1L << (m + 1));
            }
        }
        int qe = Math.max(e, emin) - m;
        return finish(f, neg, quantize128(neg, hi, lo, exp, sticky, qe, env), qe, tiny, env);
    }

    private static boolean isE8m0Rne(Format f, Env env) {
        return f.kind() == Kind.E8M0 && env.rounding.mode() == Mode.RNE;
    }

    /**
     * e8m0fnu under rne, value exactly 2^(emin-1): half the smallest value 2^emin, the midpoint between it and
     * the zero the format lacks. Every e8m0 value has significand 1 (odd), so rne's ties go up
     * (docs/formats.md §5), and this one does too: 2^emin (code 0x00), as under rna; tiny and inexact, so
     * underflow | inexact. (The other modes need no special case: rna/rup/rto give 0x00, rtz/rdn round to
     * zero, i.e. NaN, or 0x00 with :sat.)
     */
    private static long e8m0TieUp(Env env) {
        env.flags |= Flags.UNDERFLOW | Flags.INEXACT;
        return 0;
    }

    /** Overflow, underflow, flush-to-zero and encoding of k * 2^qe (k from a quantize call, with INEXACT_BIT). */
    private static long finish(Format f, boolean neg, long kx, int qe, boolean tiny, Env env) {
        final int m = f.manBits();
        boolean inexact = (kx & INEXACT_BIT) != 0;
        long k = kx & ~INEXACT_BIT;
        if (k == 0) { // rounded to zero (only possible below the smallest subnormal)
            env.flags |= Flags.UNDERFLOW | Flags.INEXACT;
            if (f.kind() == Kind.E8M0) {
                return f.saturating() ? 0 : nan(f, env, 0);
            }
            return f.zeroBits(neg);
        }
        if (k >= (1L << (m + 1))) { // carry out of the significand: 2^(m+1) -> 2^m at the next quantum
            k >>>= 1;
            qe++;
        }
        if (qe > f.maxQuantumExp() || (qe == f.maxQuantumExp() && k > f.maxSignificand())) {
            return overflow(f, neg, env);
        }
        env.flags |= (inexact ? Flags.INEXACT : 0) | (inexact & tiny ? Flags.UNDERFLOW : 0);
        long sign = neg ? f.signBit() : 0;
        if (f.kind() == Kind.E8M0) {
            return qe + f.bias(); // m = 0, k = 1
        }
        if (k < (1L << m)) { // subnormal result, qe == emin - m
            if (!f.subnormals()) {
                env.flags |= Flags.UNDERFLOW | Flags.INEXACT;
                return f.zeroBits(neg);
            }
            return sign | k;
        }
        long ef = (long) qe + m + f.bias();
        return sign | (ef << m) | (k - (1L << m));
    }

    /** Bit set in a quantize result when the rounding was inexact (k itself is below 2^54). */
    static final long INEXACT_BIT = 1L << 62;

    /**
     * Rounds the magnitude (sig + t) 2^exp to an integer multiple k of 2^qe under env's rule
     * (qe &gt;= e - m so k &lt; 2^(m+2)). Returns k, with {@link #INEXACT_BIT} when inexact.
     */
    static long quantize64(boolean neg, long sig, int exp, boolean sticky, int qe, Env env) {
        int shift = qe - exp;
        long k;
        long f64; // first 64 bits of the fraction beyond k
        boolean low; // any non-zero bit beyond those 64
        if (shift <= 0) {
            if (sticky) {
                throw new IllegalArgumentException("sticky bit without a guard bit (sig must extend below the last place)");
            }
            k = sig << -shift;
            f64 = 0;
            low = false;
        } else if (shift < 64) {
            k = sig >>> shift;
            f64 = sig << (64 - shift);
            low = sticky;
        } else {
            k = 0;
            int s2 = shift - 64;
            if (s2 < 64) {
                f64 = sig >>> s2;
                low = sticky || (s2 > 0 && (sig << (64 - s2)) != 0);
            } else {
                f64 = 0;
                low = true;
            }
        }
        return decide(neg, k, f64, low, env);
    }

    /** As {@link #quantize64} for the 128-bit significand hi:lo (hi != 0). */
    static long quantize128(boolean neg, long hi, long lo, int exp, boolean sticky, int qe, Env env) {
        int shift = qe - exp; // >= 64 + msb(hi) - m >= 12
        long k;
        long f64;
        boolean low;
        if (shift < 64) {
            k = (hi << (64 - shift)) | (lo >>> shift);
            f64 = lo << (64 - shift);
            low = sticky;
        } else if (shift == 64) {
            k = hi;
            f64 = lo;
            low = sticky;
        } else if (shift < 128) {
            int s = shift - 64;
            k = hi >>> s;
            f64 = (hi << (64 - s)) | (lo >>> s);
            low = sticky || (lo << (64 - s)) != 0;
        } else {
            k = 0;
            int s2 = shift - 128;
            if (s2 == 0) {
                f64 = hi;
                low = sticky || lo != 0;
            } else if (s2 < 64) {
                f64 = hi >>> s2;
                low = sticky || lo != 0 || (hi << (64 - s2)) != 0;
            } else {
                f64 = 0;
                low = true;
            }
        }
        return decide(neg, k, f64, low, env);
    }

    /*
     * Stochastic rounding with a sticky remainder inside the fraction bits the rule reads: the rule then sees the supplied
     * bits with the sticky as one more unit in the last of its 64 bits (P(up) = (F + 2^-64) for sr, where F is
     * the supplied fraction), which differs from the exact value's probability by less than 2^-knownBits.
     * Callers that promise exact stochastic rounding (FloatOps, the quantizers) supply 64 exact fraction bits
     * (see round128); datapath models (accumulators) round what their datapath holds.
     */

    private static long decide(boolean neg, long k, long f64, boolean low, Env env) {
        // branch-free for the common modes (the inexact/up outcomes are data-dependent, hence unpredictable)
        boolean inexact = f64 != 0 | low;
        long ix = inexact ? INEXACT_BIT : 0;
        Mode md = env.rounding.mode();
        if (md == Mode.RNE) {
            // up iff guard bit set and (anything below it, or k odd)
            long guard = f64 >>> 63;
            long below = ((f64 << 1) != 0 | low) ? 1 : 0;
            return (k + (guard & (below | k))) | ix;
        }
        if (md == Mode.RTO) {
            return (k | (inexact ? 1 : 0)) | ix;
        }
        if (!inexact) {
            return k;
        }
        return (roundUp(env, neg, k, f64, low) ? k + 1 : k) | INEXACT_BIT;
    }

    /** The rounding decision: go up in magnitude from k given the fraction (f64, low), which is non-zero. */
    static boolean roundUp(Env env, boolean neg, long k, long f64, boolean low) {
        Rounding r = env.rounding;
        switch (r.mode()) {
            case RNE: {
                int c = Long.compareUnsigned(f64, 1L << 63);
                return c > 0 || (c == 0 && (low || (k & 1) != 0));
            }
            case RNA:
                return Long.compareUnsigned(f64, 1L << 63) >= 0;
            case RTZ:
            case RTO:
                return false;
            case RUP:
                return !neg;
            case RDN:
                return neg;
            case SR: {
                long u = env.random;
                int c = Long.compareUnsigned(u, f64);
                return c < 0 || (c == 0 && low);
            }
            case SR_EQUAL:
                return env.random < 0;
            case SR_BITS: {
                int n = r.randomBits();
                return (f64 >>> (64 - n)) + (env.random >>> (64 - n)) >= (1L << n);
            }
            default:
                throw new AssertionError(r);
        }
    }

    /** Result of an overflow (|rounded| &gt; max finite). */
    public static long overflow(Format f, boolean neg, Env env) {
        env.flags |= Flags.OVERFLOW | Flags.INEXACT;
        if (!f.signed() && neg) {
            return unsignedNegative(f, env);
        }
        long sign = neg ? f.signBit() : 0;
        if (f.saturating() || env.rounding.overflowsToMax(neg)) {
            return sign | f.maxFiniteBits();
        }
        if (f.hasInf()) {
            return sign | f.infBits();
        }
        return f.defaultNaN();
    }

    /** An exact infinite result (Inf operand, x/0): Inf, or ±max when saturating / MX, NaN for fn/fnuz/e8m0. */
    public static long infinity(Format f, boolean neg, Env env) {
        if (!f.signed() && neg) {
            return unsignedNegative(f, env);
        }
        long sign = neg ? f.signBit() : 0;
        if (f.hasInf() && !f.saturating()) {
            return sign | f.infBits();
        }
        if (f.saturating()) {
            return sign | f.maxFiniteBits();
        }
        return f.defaultNaN();
    }

    /** An exact zero of the given sign (+0 in fnuz; e8m0fnu has no zero: NaN, or 0x00 when saturating). */
    public static long zero(Format f, boolean neg, Env env) {
        if (f.kind() == Kind.E8M0) {
            if (f.saturating()) {
                return 0;
            }
            return nan(f, env, Flags.INVALID);
        }
        return f.zeroBits(neg);
    }

    /** The default NaN with the given flags raised (for MX types, which have no NaN, the −0 pattern). */
    public static long nan(Format f, Env env, int flags) {
        env.flags |= flags;
        return f.defaultNaN();
    }

    private static long unsignedNegative(Format f, Env env) {
        if (f.saturating()) {
            env.flags |= Flags.INEXACT;
            return 0;
        }
        return nan(f, env, Flags.INVALID);
    }
}
