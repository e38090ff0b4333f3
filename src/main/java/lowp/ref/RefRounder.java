package lowp.ref;

import lowp.format.Format;
import lowp.format.Kind;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Mode;
import lowp.round.Rounding;
import lowp.round.Tininess;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The reference rounding: the truth every fast path is tested against. Written from the definitions with
 * BigInteger and no shortcuts: find the two neighbours k*2^q and (k+1)*2^q of the exact value on the grid of
 * the format (quantum 2^q, q = max(e, emin) - M), choose one by the rule, then apply overflow, tininess,
 * flush-to-zero and the encoding.
 */
public final class RefRounder {
    private static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);

    private RefRounder() {
    }

    /** Rounds (-1)^neg * x into f; x == null means an exact zero of that sign. */
    public static long round(Format f, boolean neg, Exact x, Env env) {
        if (x == null) {
            return zero(f, neg, env);
        }
        if (neg && !f.signed()) {
            return unsignedNegative(f, env);
        }
        int m = f.manBits();
        int e = x.floorLog2();
        int emin = f.emin();
        int q = Math.max(e, emin) - m;
        BigInteger k = x.floorScaled(q);
        boolean exact = x.compareScaled(k, q) == 0;
        BigInteger r = exact ? k : choose(x, k, q, neg, env);
        if (!exact && f.kind() == Kind.E8M0 && env.rounding.mode() == Mode.RNE) {
            // e8m0: every value has significand 1 (odd), so an rne tie goes up: rne is rna here, also for the
            // tie 2^(emin-1) between 2^emin and the zero the format lacks (docs/formats.md §5)
            r = choose(x, k, q, neg, new Env(Rounding.RNA, env.tininess));
        }

        if (r.signum() == 0) {
            env.flags |= Flags.UNDERFLOW | Flags.INEXACT;
            if (f.kind() == Kind.E8M0) {
                return f.saturating() ? 0 : nan(f, env, 0);
            }
            return f.zeroBits(neg);
        }
        BigDecimal value = Format.exactDyadic(r, q);
        if (value.compareTo(f.maxFinite()) > 0) {
            env.flags |= Flags.OVERFLOW | Flags.INEXACT;
            long sign = neg ? f.signBit() : 0;
            if (f.saturating() || env.rounding.overflowsToMax(neg)) {
                return sign | f.maxFiniteBits();
            }
            return f.hasInf() ? sign | f.infBits() : f.defaultNaN();
        }
        if (!exact) {
            env.flags |= Flags.INEXACT;
            boolean tiny;
            if (e >= emin) {
                tiny = false;
            } else if (env.tininess == Tininess.BEFORE || f.kind() == Kind.E8M0) {
                tiny = true;
            } else {
                // round to p bits with unbounded exponent (quantum 2^(e-m)) and compare with 2^emin
                BigInteger k2 = x.floorScaled(e - m);
                BigInteger r2 = x.compareScaled(k2, e - m) == 0 ? k2 : choose(x, k2, e - m, neg, env);
                tiny = Format.exactDyadic(r2, e - m).compareTo(Format.exactDyadic(BigInteger.ONE, emin)) < 0;
            }
            if (tiny) {
                env.flags |= Flags.UNDERFLOW;
            }
        }
        return encode(f, neg, r, q, env);
    }

    /** Picks k or k+1 (at quantum 2^q) for an inexact x strictly between them. */
    static BigInteger choose(Exact x, BigInteger k, int q, boolean neg, Env env) {
        BigInteger lo = k;
        BigInteger hi = k.add(BigInteger.ONE);
        Rounding rd = env.rounding;
        long u = env.random;
        switch (rd.mode()) {
            case RNE:
            case RNA: {
                int c = x.compareScaled(k.shiftLeft(1).add(BigInteger.ONE), q - 1); // x vs midpoint
                if (c < 0) return lo;
                if (c > 0) return hi;
                if (rd.mode() == Mode.RNA) return hi;
                return lo.testBit(0) ? hi : lo;
            }
            case RTZ:
                return lo;
            case RUP:
                return neg ? lo : hi;
            case RDN:
                return neg ? hi : lo;
            case RTO:
                return lo.testBit(0) ? lo : hi;
            case SR: {
                // fraction (x - k 2^q) / 2^q: first 64 bits F and whether more bits follow
                BigInteger scaled = x.floorScaled(q - 64);
                BigInteger fbits = scaled.subtract(k.shiftLeft(64));
                boolean more = x.compareScaled(scaled, q - 64) != 0;
                BigInteger uu = new BigInteger(Long.toUnsignedString(u));
                int c = uu.compareTo(fbits);
                return (c < 0 || (c == 0 && more)) ? hi : lo;
            }
            case SR_EQUAL:
                return u < 0 ? hi : lo;
            case SR_BITS: {
                int n = rd.randomBits();
                BigInteger t = x.floorScaled(q - n).subtract(k.shiftLeft(n)); // floor(frac * 2^n)
                BigInteger rn = BigInteger.valueOf(u >>> (64 - n));
                return t.add(rn).compareTo(BigInteger.ONE.shiftLeft(n)) >= 0 ? hi : lo;
            }
            default:
                throw new AssertionError(rd);
        }
    }

    /** Encodes r * 2^q (r &gt; 0, within range) as a bit pattern. */
    static long encode(Format f, boolean neg, BigInteger r, int q, Env env) {
        int m = f.manBits();
        int lead = q + r.bitLength() - 1;
        long sign = neg ? f.signBit() : 0;
        if (f.kind() == Kind.E8M0) {
            return (long) lead + f.bias();
        }
        if (lead < f.emin()) {
            if (!f.subnormals()) {
                env.flags |= Flags.UNDERFLOW | Flags.INEXACT;
                return f.zeroBits(neg);
            }
            int sh = q - (f.emin() - m);
            return sign | r.shiftLeft(sh).longValueExact();
        }
        int sh = q - (lead - m); // significand with m+1 bits
        BigInteger sig = sh >= 0 ? r.shiftLeft(sh) : r.shiftRight(-sh);
        long frac = sig.longValueExact() - (1L << m);
        long ef = (long) lead + f.bias();
        return sign | (ef << m) | frac;
    }

    /** Exact zero: +0/−0 (fnuz always +0); e8m0fnu has none (NaN with invalid, or 0x00 when saturating). */
    static long zero(Format f, boolean neg, Env env) {
        if (f.kind() == Kind.E8M0) {
            return f.saturating() ? 0 : nan(f, env, Flags.INVALID);
        }
        return f.zeroBits(neg);
    }

    static long nan(Format f, Env env, int flags) {
        env.flags |= flags;
        return f.defaultNaN();
    }

    static long unsignedNegative(Format f, Env env) {
        if (f.saturating()) {
            env.flags |= Flags.INEXACT;
            return 0;
        }
        return nan(f, env, Flags.INVALID);
    }

    /** Exact infinite result (Inf operand or x/0). */
    static long infinity(Format f, boolean neg, Env env) {
        if (neg && !f.signed()) {
            return unsignedNegative(f, env);
        }
        long sign = neg ? f.signBit() : 0;
        if (f.hasInf() && !f.saturating()) return sign | f.infBits();
        if (f.saturating()) return sign | f.maxFiniteBits();
        return f.defaultNaN();
    }
}
