package lowp.quant;

import lowp.format.Format;
import lowp.format.Kind;
import lowp.rng.RandomKey;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Mode;
import lowp.round.Rounder;
import lowp.round.Rounding;

import java.util.Locale;
import java.util.Objects;

/**
 * Quantization of doubles / floats into a floating-point {@link Format} under a {@link Rounding}, with explicit
 * edge policies. The exact input value is rounded once by {@link Rounder#round} (the scalar reference path);
 * array kernels use a branch-light bit-twiddling path for inputs in the target's normal range that is
 * property-tested bit-identical to it.
 *
 * <p><b>Edge policies</b> (docs/quantizers.md):
 * <ul>
 *   <li>{@link Underflow#GRADUAL} (default): the format's own rules: subnormals if the format has them, and a
 *   value below the smallest subnormal rounds (stochastically, under SR) to 0 or the smallest subnormal
 *   (CPFloat's behaviour; unbiased). {@link Underflow#FLUSH}: a non-zero input whose magnitude is below the
 *   smallest positive value of the format becomes a zero of its sign, deterministically (chop's behaviour for
 *   its SR modes; biased).</li>
 *   <li>{@link Overflow#FORMAT} (default): the format's overflow rule after rounding: ±Inf (IEEE kinds, unless the
 *   mode rounds toward zero), NaN (fn/fnuz), ±max (saturating kinds). Under SR a value between max and the
 *   next (virtual) grid point 2^(emax+1) overflows with the probability of rounding up (CPFloat).
 *   {@link Overflow#CLAMP}: every finite input whose rounded result would overflow gives ±max (chop's SR
 *   modes); infinite inputs still follow the format.</li>
 *   <li>Exact values never change; NaN inputs give the format's default NaN (or the -0 pattern of NaN-less MX
 *   element types); ±Inf inputs give {@link Rounder#infinity}.</li>
 * </ul>
 */
public final class FloatQuantizer extends Quantizer {
    /** Below the smallest positive value of the format. */
    public enum Underflow { GRADUAL, FLUSH }

    /** Results beyond the largest finite value. */
    public enum Overflow { FORMAT, CLAMP }

    private static final long ABS = 0x7FFF_FFFF_FFFF_FFFFL;
    private static final long SIGN = 0x8000_0000_0000_0000L;

    private final Format f;
    private final Rounding rounding;
    private final Underflow underflow;
    private final Overflow overflow;
    private final boolean valuesFitDouble;
    private final boolean valuesFitFloat;

    // fast path parameters (valid when fast == true)
    private final boolean fast;
    private final int s;             // 52 - M: bits dropped from a double's fraction
    private final long keep;         // ~(2^s - 1)
    private final long lowMask;      // 2^s - 1
    private final int eLo;           // smallest biased double exponent of the target's normal range
    private final long maxD;         // double bits of the largest finite magnitude
    private final long ovfPosD, ovfNegD;   // double bits of the overflow results
    private final long ovfPosT, ovfNegT;   // target bits of the overflow results
    private final long biasAdj;      // ((1023 - bias) << M)
    private final long signT;        // target sign bit
    private final long aPos, aNeg;   // deterministic increments by sign
    private final long oddMask;      // 1 for RNE (ties to even), else 0
    private final long xorMask;      // -1 for sr (complemented word), else 0
    private final int sh1, sh2;      // random increment = ((w ^ xorMask) >>> sh1) << sh2
    private final long eqMask;       // lowMask for sr-equal: increment (w >> 63) & lowMask carries iff inexact
    private final boolean generic;   // rto: scalar path

    public FloatQuantizer(Format f, Rounding rounding) {
        this(f, rounding, Underflow.GRADUAL, Overflow.FORMAT);
    }

    public FloatQuantizer(Format f, Rounding rounding, Underflow underflow, Overflow overflow) {
        this.f = Objects.requireNonNull(f, "format");
        this.rounding = Objects.requireNonNull(rounding, "rounding");
        this.underflow = Objects.requireNonNull(underflow, "underflow policy");
        this.overflow = Objects.requireNonNull(overflow, "overflow policy");
        this.valuesFitDouble = f.fitsInDouble();
        this.valuesFitFloat = f.manBits() <= 23 && f.emax() <= 127 && f.minQuantumExp() >= -149;
        int m = f.manBits();
        boolean fastOk = f.signed() && f.kind() != Kind.E8M0 && m <= 51 && valuesFitDouble && f.emin() >= -1022
                && f.emin() <= f.emax();
        this.fast = fastOk;
        this.s = 52 - m;
        this.lowMask = fastOk ? (1L << s) - 1 : 0;
        this.keep = ~lowMask;
        this.eLo = f.emin() + 1023;
        this.signT = f.signBit();
        this.biasAdj = (long) (1023 - f.bias()) << m;
        if (fastOk) {
            this.maxD = Double.doubleToRawLongBits(f.toDouble(f.maxFiniteBits()));
            long op = overflowBits(false), on = overflowBits(true);
            this.ovfPosT = op;
            this.ovfNegT = on;
            this.ovfPosD = Double.doubleToRawLongBits(decodeValue(op));
            this.ovfNegD = Double.doubleToRawLongBits(decodeValue(on));
        } else {
            this.maxD = 0;
            this.ovfPosD = this.ovfNegD = this.ovfPosT = this.ovfNegT = 0;
        }
        long half = fastOk ? 1L << (s - 1) : 0;
        long ap = 0, an = 0, odd = 0, xm = 0;
        int a1 = 63, a2 = 0;
        boolean gen = false;
        switch (rounding.mode()) {
            case RNE: ap = an = half - 1; odd = 1; break;
            case RNA: ap = an = half; break;
            case RTZ: break;
            case RUP: ap = lowMask; break;
            case RDN: an = lowMask; break;
            case SR: xm = -1; a1 = 64 - s; break;
            case SR_BITS: {
                int nb = rounding.randomBits();
                if (nb <= s) { a1 = 64 - nb; a2 = s - nb; } else { a1 = 64 - s; }
                break;
            }
            case SR_EQUAL: a1 = 63; a2 = 63; break; // first term masked to 0 below
            default: gen = true; // RTO
        }
        this.eqMask = rounding.mode() == Mode.SR_EQUAL ? lowMask : 0;
        this.aPos = ap;
        this.aNeg = an;
        this.oddMask = odd;
        this.xorMask = xm;
        this.sh1 = a1;
        this.sh2 = a2;
        this.generic = gen;
    }

    /** Parses "format" or "format:rounding" is not supported; use the two names. */
    public static FloatQuantizer of(String format, String rounding) {
        return new FloatQuantizer(Format.parse(format), Rounding.parse(rounding));
    }

    public Format format() { return f; }

    public Rounding rounding() { return rounding; }

    public Underflow underflow() { return underflow; }

    public Overflow overflow() { return overflow; }

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
        return f.width();
    }

    @Override
    public String toString() {
        String p = "";
        if (underflow != Underflow.GRADUAL) p += ",underflow=" + underflow.name().toLowerCase(Locale.ROOT);
        if (overflow != Overflow.FORMAT) p += ",overflow=" + overflow.name().toLowerCase(Locale.ROOT);
        return "float(" + f + "," + rounding + p + ")";
    }

    // ---------------------------------------------------------------- scalar reference path

    /** The bit pattern of x rounded into the format, flags OR-ed into env (env.rounding/random are set here). */
    public long encode(double x, long random, Env env) {
        long b = Double.doubleToRawLongBits(x);
        boolean neg = b < 0;
        long mag = b & ABS;
        int e = (int) (mag >>> 52);
        if (e == 2047) {
            if ((mag & 0x000F_FFFF_FFFF_FFFFL) != 0) { // NaN
                boolean snan = (mag & 0x0008_0000_0000_0000L) == 0;
                int fl = snan ? Flags.INVALID : 0;
                if (!f.hasNaN()) fl |= Flags.INVALID;
                return Rounder.nan(f, env, fl);
            }
            return Rounder.infinity(f, neg, env);
        }
        if (mag == 0) {
            return Rounder.zero(f, neg, env);
        }
        long sig = e == 0 ? mag : (mag & 0x000F_FFFF_FFFF_FFFFL) | (1L << 52);
        int exp = (e == 0 ? 1 : e) - 1075;
        return encodeExact(neg, sig, exp, false, random, env);
    }

    /**
     * Rounds the finite non-zero exact value (-1)^neg (sig + t) 2^exp (0 &lt; t &lt; 1 iff sticky; 0 &lt; sig &lt; 2^63)
     * once into the format under this quantizer's rounding and policies. Used by scaled quantizers, which pass
     * x / scale exactly.
     */
    public long encodeExact(boolean neg, long sig, int exp, boolean sticky, long random, Env env) {
        if (underflow == Underflow.FLUSH && f.kind() != Kind.E8M0 && belowMinPositive(sig, exp)) {
            env.flags |= Flags.UNDERFLOW | Flags.INEXACT;
            return f.zeroBits(neg);
        }
        env.rounding = rounding;
        env.random = random;
        if (overflow == Overflow.CLAMP) {
            int saved = env.flags;
            env.flags = 0;
            long r = Rounder.round(f, neg, sig, exp, sticky, env);
            int got = env.flags;
            env.flags = saved | got;
            if ((got & Flags.OVERFLOW) != 0 && !(neg && !f.signed())) {
                return (neg ? f.signBit() : 0) | f.maxFiniteBits();
            }
            return r;
        }
        return Rounder.round(f, neg, sig, exp, sticky, env);
    }

    /**
     * As {@link #encodeExact} for the 128-bit significand hi * 2^64 + lo (unsigned; hi &lt; 2^63) and
     * exponent exp of lo's last bit (see {@link Rounder#round128}).
     */
    public long encodeExact128(boolean neg, long hi, long lo, int exp, boolean sticky, long random, Env env) {
        if (hi == 0 && lo >= 0) {
            return encodeExact(neg, lo, exp, sticky, random, env);
        }
        int lead = hi != 0 ? exp + 64 + 63 - Long.numberOfLeadingZeros(hi) : exp + 63;
        if (underflow == Underflow.FLUSH && f.kind() != Kind.E8M0 && lead < minPositiveLog2()) {
            env.flags |= Flags.UNDERFLOW | Flags.INEXACT;
            return f.zeroBits(neg);
        }
        env.rounding = rounding;
        env.random = random;
        int saved = env.flags;
        env.flags = 0;
        long r = Rounder.round128(f, neg, hi, lo, exp, sticky, env);
        int got = env.flags;
        env.flags = saved | got;
        if (overflow == Overflow.CLAMP && (got & Flags.OVERFLOW) != 0 && !(neg && !f.signed())) {
            return (neg ? f.signBit() : 0) | f.maxFiniteBits();
        }
        return r;
    }

    private int minPositiveLog2() {
        long minPos = f.minPositiveBits();
        long msig = f.sigOf(minPos);
        return f.expOf(minPos) + 63 - Long.numberOfLeadingZeros(msig);
    }

    /** |sig * 2^exp| below the smallest positive value of the format (a power of two). */
    private boolean belowMinPositive(long sig, int exp) {
        long minPos = f.minPositiveBits();
        long msig = f.sigOf(minPos);
        int k = f.expOf(minPos) + 63 - Long.numberOfLeadingZeros(msig); // min positive = 2^k
        int lead = exp + 63 - Long.numberOfLeadingZeros(sig);
        return lead < k;
    }

    private long overflowBits(boolean neg) {
        if (overflow == Overflow.CLAMP) {
            return (neg ? f.signBit() : 0) | f.maxFiniteBits();
        }
        Env env = new Env(rounding);
        return Rounder.overflow(f, neg, env);
    }

    @Override
    public long encode(double x, long random) {
        return encode(x, random, new Env(rounding));
    }

    @Override
    public double quantize(double x, long random) {
        return decodeValue(encode(x, random));
    }

    @Override
    public double decode(long bits) {
        return decodeValue(bits);
    }

    private double decodeValue(long bits) {
        if (!valuesFitDouble) {
            throw new UnsupportedOperationException(f + " values are not all doubles; use the bit patterns");
        }
        return f.toDouble(bits);
    }

    // ---------------------------------------------------------------- fast kernels

    private long[] words(int n) {
        return new long[Math.min(n, WORD_BATCH)];
    }

    @Override
    protected void kernel(double[] src, int so, double[] dst, int d, int n, RandomKey key, long index0) {
        if (!fast || !valuesFitDouble || generic) {
            super.kernel(src, so, dst, d, n, key, index0);
            return;
        }
        final int s = this.s, eLo = this.eLo, sh1 = this.sh1, sh2 = this.sh2;
        final long keep = this.keep, aPos = this.aPos, aNeg = this.aNeg, oddMask = this.oddMask;
        final long xorMask = this.xorMask, maxD = this.maxD, ovfPosD = this.ovfPosD, ovfNegD = this.ovfNegD;
        final long lowMask = this.lowMask, eqMask = this.eqMask;
        if (!isStochastic()) {
            for (int j = 0; j < n; j++) {
                double x = src[so + j];
                long b = Double.doubleToRawLongBits(x);
                long mag = b & ABS;
                int e = (int) (mag >>> 52);
                if (e >= eLo && e < 2047) {
                    long r = (mag + (b < 0 ? aNeg : aPos) + ((mag >>> s) & oddMask)) & keep;
                    dst[d + j] = Double.longBitsToDouble(r > maxD ? (b < 0 ? ovfNegD : ovfPosD) : r | (b & SIGN));
                } else {
                    dst[d + j] = slowValue(x, 0L);
                }
            }
            return;
        }
        long[] w = words(n);
        for (int base = 0; base < n; base += WORD_BATCH) {
            int len = Math.min(WORD_BATCH, n - base);
            key.fill(index0 + base, w, 0, len);
            int sb = so + base, db = d + base;
            for (int j = 0; j < len; j++) {
                double x = src[sb + j];
                long b = Double.doubleToRawLongBits(x);
                long mag = b & ABS;
                int e = (int) (mag >>> 52);
                if (e >= eLo && e < 2047) {
                    long wj = w[j];
                    long r = (mag + (((((wj ^ xorMask) >>> sh1) << sh2) & lowMask) | ((wj >> 63) & eqMask))) & keep;
                    dst[db + j] = Double.longBitsToDouble(r > maxD ? (b < 0 ? ovfNegD : ovfPosD) : r | (b & SIGN));
                } else {
                    dst[db + j] = slowValue(x, w[j]);
                }
            }
        }
    }

    private double slowValue(double x, long w) {
        return decodeValue(encode(x, w, new Env(rounding)));
    }

    @Override
    protected void kernel(float[] src, int so, float[] dst, int d, int n, RandomKey key, long index0) {
        if (!fast || !valuesFitFloat || generic) {
            super.kernel(src, so, dst, d, n, key, index0);
            return;
        }
        final int s = this.s, eLo = this.eLo, sh1 = this.sh1, sh2 = this.sh2;
        final long keep = this.keep, aPos = this.aPos, aNeg = this.aNeg, oddMask = this.oddMask;
        final long xorMask = this.xorMask, maxD = this.maxD, lowMask = this.lowMask, eqMask = this.eqMask;
        final long ovfPosD = this.ovfPosD, ovfNegD = this.ovfNegD, ovfPosT = this.ovfPosT, ovfNegT = this.ovfNegT;
        final long biasAdj = this.biasAdj, signT = this.signT;
        if (!isStochastic()) {
            for (int j = 0; j < n; j++) {
                double x = src[so + j];
                long b = Double.doubleToRawLongBits(x);
                long mag = b & ABS;
                int e = (int) (mag >>> 52);
                if (e >= eLo && e < 2047) {
                    long r = (mag + (b < 0 ? aNeg : aPos) + ((mag >>> s) & oddMask)) & keep;
                    dst[d + j] = (float) Double.longBitsToDouble(r > maxD ? (b < 0 ? ovfNegD : ovfPosD) : r | (b & SIGN));
                } else {
                    dst[d + j] = (float) slowValue(x, 0L);
                }
            }
            return;
        }
        long[] w = words(n);
        for (int base = 0; base < n; base += WORD_BATCH) {
            int len = Math.min(WORD_BATCH, n - base);
            key.fill(index0 + base, w, 0, len);
            int sb = so + base, db = d + base;
            for (int j = 0; j < len; j++) {
                double x = src[sb + j];
                long b = Double.doubleToRawLongBits(x);
                long mag = b & ABS;
                int e = (int) (mag >>> 52);
                if (e >= eLo && e < 2047) {
                    long wj = w[j];
                    long r = (mag + (((((wj ^ xorMask) >>> sh1) << sh2) & lowMask) | ((wj >> 63) & eqMask))) & keep;
                    dst[db + j] = (float) Double.longBitsToDouble(r > maxD ? (b < 0 ? ovfNegD : ovfPosD) : r | (b & SIGN));
                } else {
                    dst[db + j] = (float) slowValue(x, w[j]);
                }
            }
        }
    }

    @Override
    protected void kernelBits(double[] src, int so, long[] dst, int d, int n, RandomKey key, long index0) {
        if (!fast || generic) {
            super.kernelBits(src, so, dst, d, n, key, index0);
            return;
        }
        final int s = this.s, eLo = this.eLo, sh1 = this.sh1, sh2 = this.sh2;
        final long keep = this.keep, aPos = this.aPos, aNeg = this.aNeg, oddMask = this.oddMask;
        final long xorMask = this.xorMask, maxD = this.maxD, lowMask = this.lowMask, eqMask = this.eqMask;
        final long ovfPosD = this.ovfPosD, ovfNegD = this.ovfNegD, ovfPosT = this.ovfPosT, ovfNegT = this.ovfNegT;
        final long biasAdj = this.biasAdj, signT = this.signT;
        if (!isStochastic()) {
            for (int j = 0; j < n; j++) {
                double x = src[so + j];
                long b = Double.doubleToRawLongBits(x);
                long mag = b & ABS;
                int e = (int) (mag >>> 52);
                if (e >= eLo && e < 2047) {
                    long r = (mag + (b < 0 ? aNeg : aPos) + ((mag >>> s) & oddMask)) & keep;
                    dst[d + j] = r > maxD ? (b < 0 ? ovfNegT : ovfPosT) : ((r >>> s) - biasAdj) | ((b >> 63) & signT);
                } else {
                    dst[d + j] = encode(x, 0L, new Env(rounding));
                }
            }
            return;
        }
        long[] w = words(n);
        for (int base = 0; base < n; base += WORD_BATCH) {
            int len = Math.min(WORD_BATCH, n - base);
            key.fill(index0 + base, w, 0, len);
            int sb = so + base, db = d + base;
            for (int j = 0; j < len; j++) {
                double x = src[sb + j];
                long b = Double.doubleToRawLongBits(x);
                long mag = b & ABS;
                int e = (int) (mag >>> 52);
                if (e >= eLo && e < 2047) {
                    long wj = w[j];
                    long r = (mag + (((((wj ^ xorMask) >>> sh1) << sh2) & lowMask) | ((wj >> 63) & eqMask))) & keep;
                    dst[db + j] = r > maxD ? (b < 0 ? ovfNegT : ovfPosT) : ((r >>> s) - biasAdj) | ((b >> 63) & signT);
                } else {
                    dst[db + j] = encode(x, w[j], new Env(rounding));
                }
            }
        }
    }

    @Override
    protected void kernelBits(float[] src, int so, long[] dst, int d, int n, RandomKey key, long index0) {
        if (!fast || generic) {
            super.kernelBits(src, so, dst, d, n, key, index0);
            return;
        }
        final int s = this.s, eLo = this.eLo, sh1 = this.sh1, sh2 = this.sh2;
        final long keep = this.keep, aPos = this.aPos, aNeg = this.aNeg, oddMask = this.oddMask;
        final long xorMask = this.xorMask, maxD = this.maxD, lowMask = this.lowMask, eqMask = this.eqMask;
        final long ovfPosD = this.ovfPosD, ovfNegD = this.ovfNegD, ovfPosT = this.ovfPosT, ovfNegT = this.ovfNegT;
        final long biasAdj = this.biasAdj, signT = this.signT;
        if (!isStochastic()) {
            for (int j = 0; j < n; j++) {
                double x = src[so + j];
                long b = Double.doubleToRawLongBits(x);
                long mag = b & ABS;
                int e = (int) (mag >>> 52);
                if (e >= eLo && e < 2047) {
                    long r = (mag + (b < 0 ? aNeg : aPos) + ((mag >>> s) & oddMask)) & keep;
                    dst[d + j] = r > maxD ? (b < 0 ? ovfNegT : ovfPosT) : ((r >>> s) - biasAdj) | ((b >> 63) & signT);
                } else {
                    dst[d + j] = encode(x, 0L, new Env(rounding));
                }
            }
            return;
        }
        long[] w = words(n);
        for (int base = 0; base < n; base += WORD_BATCH) {
            int len = Math.min(WORD_BATCH, n - base);
            key.fill(index0 + base, w, 0, len);
            int sb = so + base, db = d + base;
            for (int j = 0; j < len; j++) {
                double x = src[sb + j];
                long b = Double.doubleToRawLongBits(x);
                long mag = b & ABS;
                int e = (int) (mag >>> 52);
                if (e >= eLo && e < 2047) {
                    long wj = w[j];
                    long r = (mag + (((((wj ^ xorMask) >>> sh1) << sh2) & lowMask) | ((wj >> 63) & eqMask))) & keep;
                    dst[db + j] = r > maxD ? (b < 0 ? ovfNegT : ovfPosT) : ((r >>> s) - biasAdj) | ((b >> 63) & signT);
                } else {
                    dst[db + j] = encode(x, w[j], new Env(rounding));
                }
            }
        }
    }

}
