package lowp.quant;

import lowp.round.Rounding;

import java.util.Locale;
import java.util.Objects;

/**
 * Fixed point: value = k * 2^-F for an integer k of W bits (word length W in 1..62, fraction length F any
 * integer, so the step 2^-F may also be larger than 1), signed (two's complement, k in [-2^(W-1), 2^(W-1)-1])
 * or unsigned (k in [0, 2^W-1]). The exact input is rounded once to an integer multiple of 2^-F under any
 * {@link Rounding} (magnitude-based, as {@code lowp.round.Rounder}: stochastic modes use the element's random
 * word), then brought into range by {@link OverflowMode#SATURATE} (clamp to the nearest end) or
 * {@link OverflowMode#WRAP} (two's-complement wrap-around modulo 2^W).
 *
 * <p>NaN quantizes to 0 and ±Inf to the nearest end of the range (also under WRAP), as documented in
 * docs/quantizers.md. Bit patterns are k's W-bit two's complement (signed) or k (unsigned).
 *
 * <p>{@link #liDeSa(int, int)} is the quantizer of Li &amp; De Sa (seed 002, dom(delta, b)): 2^b points spaced
 * delta = 2^-F, two's-complement layout, stochastic rounding, saturation.
 */
public final class FixedPointQuantizer extends Quantizer {
    public enum OverflowMode { SATURATE, WRAP }

    private final int w;
    private final int fl;
    private final boolean signed;
    private final Rounding rounding;
    private final OverflowMode ovf;
    private final long kMin, kMax, mask;

    public FixedPointQuantizer(int wordLength, int fractionLength, boolean signed, Rounding rounding,
                               OverflowMode overflow) {
        if (wordLength < 1 || wordLength > 62) {
            throw new IllegalArgumentException("bad fixed-point word length " + wordLength + " (must be 1..62)");
        }
        if (fractionLength < -2000 || fractionLength > 2000) {
            throw new IllegalArgumentException("bad fixed-point fraction length " + fractionLength);
        }
        this.w = wordLength;
        this.fl = fractionLength;
        this.signed = signed;
        this.rounding = Objects.requireNonNull(rounding);
        this.ovf = Objects.requireNonNull(overflow);
        this.kMin = signed ? -(1L << (w - 1)) : 0;
        this.kMax = signed ? (1L << (w - 1)) - 1 : (1L << w) - 1;
        this.mask = (1L << w) - 1;
    }

    /** Li &amp; De Sa's dom(2^-fracBits, b) with stochastic rounding and saturation. */
    public static FixedPointQuantizer liDeSa(int b, int fracBits) {
        return new FixedPointQuantizer(b, fracBits, true, Rounding.SR, OverflowMode.SATURATE);
    }

    public int wordLength() { return w; }

    public int fractionLength() { return fl; }

    public boolean signed() { return signed; }

    public Rounding rounding() { return rounding; }

    public OverflowMode overflowMode() { return ovf; }

    /** Smallest and largest integer k. */
    public long minInteger() { return kMin; }

    public long maxInteger() { return kMax; }

    @Override
    public boolean isStochastic() {
        return rounding.isStochastic();
    }

    @Override
    public boolean hasEncoding() {
        return true;
    }

    @Override
    public int width() {
        return w;
    }

    @Override
    public String toString() {
        return "fixed(" + (signed ? "s" : "u") + w + "." + fl + "," + rounding + ","
                + ovf.name().toLowerCase(Locale.ROOT) + ")";
    }

    /** The integer k (already in range) of the quantized value of x. */
    public long toInteger(double x, long random) {
        if (Double.isNaN(x)) {
            return 0;
        }
        boolean neg = x < 0;
        if (Double.isInfinite(x)) {
            return neg ? kMin : kMax;
        }
        long bits = Double.doubleToRawLongBits(x) & 0x7FFF_FFFF_FFFF_FFFFL;
        if (bits == 0) {
            return 0;
        }
        int e = (int) (bits >>> 52);
        long sig = e == 0 ? bits : (bits & 0x000F_FFFF_FFFF_FFFFL) | (1L << 52);
        int exp = (e == 0 ? 1 : e) - 1075;
        return toIntegerExact(neg, sig, exp, random);
    }

    /** The in-range integer k for the exact finite value (-1)^neg sig 2^exp (0 &lt; sig &lt; 2^53). */
    public long toIntegerExact(boolean neg, long sig, int exp, long random) {
        int sh = -(exp + fl); // k_exact = sig * 2^-sh
        long k;
        boolean huge = false;
        long hugeLow = 0;
        if (sh <= 0) {
            int bitlen = 64 - Long.numberOfLeadingZeros(sig) - sh;
            if (bitlen <= 62) {
                k = sig << -sh;
            } else {
                huge = true;
                hugeLow = -sh >= 64 ? 0 : sig << -sh;
                k = 0;
            }
        } else {
            long f64;
            boolean low;
            if (sh < 64) {
                k = sig >>> sh;
                f64 = sig << (64 - sh);
                low = false;
            } else {
                k = 0;
                int s2 = sh - 64;
                if (s2 == 0) {
                    f64 = sig;
                    low = false;
                } else if (s2 < 64) {
                    f64 = sig >>> s2;
                    low = (sig << (64 - s2)) != 0;
                } else {
                    f64 = 0;
                    low = true;
                }
            }
            if (f64 != 0 || low) {
                if (rounding.mode() == lowp.round.Mode.RTO) {
                    k |= 1;
                } else if (Decide.up(rounding, neg, (k & 1) != 0, f64, low, random)) {
                    k++;
                }
            }
        }
        if (huge) {
            if (ovf == OverflowMode.SATURATE) {
                return neg ? kMin : kMax;
            }
            return wrap(neg ? -hugeLow : hugeLow);
        }
        long v = neg ? -k : k;
        if (v >= kMin && v <= kMax) {
            return v;
        }
        if (ovf == OverflowMode.SATURATE) {
            return v < kMin ? kMin : kMax;
        }
        return wrap(v);
    }

    private long wrap(long v) {
        long b = v & mask;
        return signed ? (b << (64 - w)) >> (64 - w) : b;
    }

    @Override
    public long encode(double x, long random) {
        return toInteger(x, random) & mask;
    }

    @Override
    public double decode(long bits) {
        long k = signed ? ((bits & mask) << (64 - w)) >> (64 - w) : bits & mask;
        if (w > 53 || fl > 1074 || w - fl > 1023) {
            throw new UnsupportedOperationException(this + " values are not all doubles; use the bit patterns");
        }
        return Math.scalb((double) k, -fl);
    }

    @Override
    public double quantize(double x, long random) {
        return decode(encode(x, random));
    }

    /** The grid step 2^-F as a double. */
    public double step() {
        return Math.scalb(1.0, -fl);
    }
}
