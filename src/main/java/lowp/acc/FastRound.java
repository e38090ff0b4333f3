package lowp.acc;

import lowp.format.Format;
import lowp.format.Kind;
import lowp.round.Mode;
import lowp.round.Rounding;

/**
 * Rounding of an exact double to a narrow format for the deterministic fast kernels, restricted to the
 * cases where it provably equals {@link lowp.round.Rounder#round} (tested against it): RNE or RTZ, a
 * finite result (overflowing values, tiny values of formats without subnormals, and tiny inexact values that
 * round up to the smallest normal, where the tininess flag would need the general rule, return NaN = "use the
 * general path"). Tiny values round on the subnormal grid 2^(emin-m); a zero result keeps x's sign.
 * Normal values are rounded on the binary64 bit pattern (see {@link #round}). Tiny values: RNE rounds to the
 * quantum 2^q = 2^(emin-m) with binary64's own round-to-nearest-even via x + C - C, C = ±2^(q+52) (x + C
 * lies in C's binade, whose ulp is 2^q; the subtraction is exact); RTZ truncates x * 2^-q (an exact
 * power-of-two scaling below 2^53) toward zero with a long conversion.
 */
final class FastRound {
    final int m;
    final int emin;
    final int emax;
    final double maxFinite;
    final boolean rtz;
    final boolean sub;
    final double minNormal;

    final int s;
    final long maxBits;
    final long lowMask;
    final long halfMinus1;
    final long tinyField;
    final long hugeField;

    private FastRound(Format f, boolean rtz) {
        this.s = 52 - f.manBits();
        this.maxBits = Double.doubleToRawLongBits(f.toDouble(f.maxFiniteBits()));
        this.lowMask = (1L << s) - 1;
        this.halfMinus1 = (1L << (s - 1)) - 1;
        this.tinyField = (long) (f.emin() + 1023) << 52;
        this.hugeField = (long) (f.emax() + 1023) << 52;
        this.sub = f.subnormals();
        this.minNormal = pow2(f.emin());
        this.m = f.manBits();
        this.emin = f.emin();
        this.emax = f.emax();
        this.maxFinite = f.toDouble(f.maxFiniteBits());
        this.rtz = rtz;
    }

    /** A fast rounder for f under r, or null when the fast path does not apply. */
    static FastRound of(Format f, Rounding r) {
        if (f == null || r == null) {
            return null;
        }
        if (r.mode() != Mode.RNE && r.mode() != Mode.RTZ) {
            return null;
        }
        if ((f.kind() != Kind.IEEE && f.kind() != Kind.FN) || !f.signed() || f.manBits() > 40
                || f.emin() < -1000 || f.emax() > 1000) {
            return null;
        }
        return new FastRound(f, r.mode() == Mode.RTZ);
    }

    static double pow2(int k) {
        return Double.longBitsToDouble((long) (k + 1023) << 52);
    }

    /**
     * x rounded into the format, x itself if zero, NaN if the general path must decide. The caller raises
     * INEXACT when the result differs from x, and UNDERFLOW too when |x| &lt; 2^emin.
     *
     * <p>Normal range (2^emin &lt;= |x| &lt; 2^(emax+1)): integer rounding of the binary64 pattern at bit
     * s = 52 - m of the fraction field: RTZ clears the low s bits; RNE adds 2^(s-1) - 1 + (bit s) and then
     * clears them (a carry out of the fraction field increments the exponent field, which is the correct
     * rounded value 2^(e+1)).
     */
    double round(double x) {
        long raw = Double.doubleToRawLongBits(x);
        long ex = raw & EXP;
        if (ex < tinyField || ex > hugeField) {
            return roundEdge(x);
        }
        long r = rtz ? raw & ~lowMask : (raw + (halfMinus1 + ((raw >>> s) & 1))) & ~lowMask;
        if ((r & Long.MAX_VALUE) > maxBits) {
            return Double.NaN;
        }
        return Double.longBitsToDouble(r);
    }

    private static final long EXP = 0x7FF0000000000000L;

    /** Zero, tiny and huge values. */
    private double roundEdge(double x) {
        if (x == 0) {
            return x;
        }
        int e = Math.getExponent(x);
        if (e > emax) {
            return Double.NaN;
        }
        // tiny: e < emin
        if (!sub) {
            return Double.NaN;
        }
        int q = emin - m;
        double r;
        if (rtz) {
            r = (double) (long) (x * pow2(-q)) * pow2(q);
        } else {
            double c = Math.copySign(pow2(q + 52), x);
            r = (x + c) - c;
        }
        if (r == 0) {
            return Math.copySign(0.0, x);
        }
        if (r != x && Math.abs(r) >= minNormal) {
            return Double.NaN; // rounded up to 2^emin: tininess after rounding needs the general rule
        }
        return r;
    }
}
