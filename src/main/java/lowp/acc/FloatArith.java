package lowp.acc;

import lowp.format.Format;
import lowp.round.Flags;
import lowp.round.Mode;
import lowp.round.Rounder;
import lowp.round.Rounding;

/**
 * Exact-then-round-once arithmetic on packed values (long arithmetic, every rounding through
 * {@link Rounder#round} via {@link Lane#round}). IEEE 754 special-value rules: NaN in, NaN out;
 * Inf - Inf and 0 * Inf are invalid (NaN); an exact zero sum is +0 (-0 under rdn) unless both addends are
 * zeros of the same sign.
 */
final class FloatArith {
    private FloatArith() {
    }

    /** Rounds the exact finite value (-1)^neg * (sig + sticky) * 2^exp (sig &lt; 2^63) into f; packed result. */
    static long round(Format f, Rounding r, long step, boolean neg, long sig, int exp, boolean sticky, Lane lane) {
        return Packed.fromBits(f, lane.round(f, r, step, neg, sig, exp, sticky));
    }

    /**
     * Rounds the exact sum of two finite values a = (-1)^na sa 2^ea and b (significands below 2^53) into f.
     */
    static long addRound(Format f, Rounding r, long step, boolean na, long sa, int ea, boolean nb, long sb, int eb,
                         Lane lane) {
        if (sa == 0) {
            if (sb == 0) {
                boolean zneg = na == nb ? na : r.mode() == Mode.RDN;
                return Packed.fromBits(f, lane.round(f, r, step, zneg, 0, 0, false));
            }
            return round(f, r, step, nb, sb, eb, false, lane);
        }
        if (sb == 0) {
            return round(f, r, step, na, sa, ea, false, lane);
        }
        int ba = 63 - Long.numberOfLeadingZeros(sa);
        int bb = 63 - Long.numberOfLeadingZeros(sb);
        if (ea + ba < eb + bb) { // make a the operand with the higher leading bit
            boolean tn = na; na = nb; nb = tn;
            long ts = sa; sa = sb; sb = ts;
            int te = ea; ea = eb; eb = te;
            int tb = ba; ba = bb; bb = tb;
        }
        int sh = 61 - ba;
        long a = sa << sh;
        int e = ea - sh;
        int d = e - eb; // b = sb * 2^eb = (sb >> d) * 2^e
        long b;
        boolean sticky = false;
        if (d <= 0) {
            b = sb << -d; // b's leading bit is at most a's: b < 2^62
        } else if (d < 64) {
            b = sb >>> d;
            sticky = (sb << (64 - d)) != 0;
        } else {
            b = 0;
            sticky = true;
        }
        long s;
        boolean neg = na;
        if (na == nb) {
            s = a + b;
        } else {
            // With sticky set, b's significand reached below a's last bit, so b < 2^53 << a: no sign change.
            s = a - b;
            if (sticky) {
                s -= 1; // a - (b + t) = (a - b - 1) + (1 - t), 0 < 1 - t < 1
            } else if (s < 0) {
                s = -s;
                neg = nb;
            } else if (s == 0) {
                return Packed.fromBits(f, lane.round(f, r, step, r.mode() == Mode.RDN, 0, 0, false));
            }
        }
        return round(f, r, step, neg, s, e, sticky, lane);
    }

    /** x + y rounded into f, x and y packed (any values, specials included). */
    static long add(Format f, Rounding r, long step, long x, long y, Lane lane) {
        if (Packed.special(x) || Packed.special(y)) {
            return addSpecial(f, x, y, lane);
        }
        return addRound(f, r, step, Packed.neg(x), Packed.sig(x), Packed.exp(x), Packed.neg(y), Packed.sig(y),
                Packed.exp(y), lane);
    }

    static long addSpecial(Format f, long x, long y, Lane lane) {
        if (Packed.isNaN(x) || Packed.isNaN(y)) {
            return Packed.NAN;
        }
        boolean xi = Packed.isInf(x);
        boolean yi = Packed.isInf(y);
        if (xi && yi && Packed.neg(x) != Packed.neg(y)) {
            lane.env.flags |= Flags.INVALID;
            return Packed.NAN;
        }
        boolean neg = xi ? Packed.neg(x) : Packed.neg(y);
        return Packed.fromBits(f, Rounder.infinity(f, neg, lane.env));
    }

    /** x * y rounded into f (packed operands, specials included). */
    static long mul(Format f, Rounding r, long step, long x, long y, Lane lane) {
        boolean neg = Packed.neg(x) ^ Packed.neg(y);
        if (Packed.special(x) || Packed.special(y)) {
            return mulSpecial(f, x, y, lane);
        }
        return round(f, r, step, neg, Packed.sig(x) * Packed.sig(y), Packed.exp(x) + Packed.exp(y), false, lane);
    }

    static long mulSpecial(Format f, long x, long y, Lane lane) {
        if (Packed.isNaN(x) || Packed.isNaN(y)) {
            return Packed.NAN;
        }
        if (Packed.isZero(x) || Packed.isZero(y)) { // 0 * Inf
            lane.env.flags |= Flags.INVALID;
            return Packed.NAN;
        }
        return Packed.fromBits(f, Rounder.infinity(f, Packed.neg(x) ^ Packed.neg(y), lane.env));
    }
}
