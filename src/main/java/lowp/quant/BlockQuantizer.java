package lowp.quant;

import lowp.format.Format;
import lowp.format.Kind;
import lowp.rng.RandomKey;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Rounder;
import lowp.round.Rounding;

import java.util.Locale;
import java.util.Objects;

/**
 * Block-scaled quantization (OCP Microscaling MX v1.0 and its generalisations): the elements of each block of
 * {@code blockSize} consecutive elements along one axis share a scale X (encoded in a scale format); element i
 * is stored as P_i = Q(V_i / X) in the element format, with saturation, and represents X * P_i.
 *
 * <p>Scale rules ({@link ScaleRule}): {@code MX} (the MX spec: X = 2^(floor(log2 amax) - emax_elem), emax_elem
 * the exponent of the element type's largest normal; the largest elements may then be clamped);
 * {@code POW2_UP} (amax-based: the smallest power of two X with amax / X &lt;= max_elem, so nothing clamps);
 * {@code AMAX} (X = amax / max_elem rounded once into the scale format with a given rounding, e.g. NVFP4's E4M3
 * scales). Power-of-two scales are clamped to the scale format's range. V_i / X is rounded exactly once (for a
 * non-power-of-two X through an exact integer quotient with a sticky bit).
 *
 * <p>Edge policies (docs/quantizers.md, D5-D8): element rounding is any {@link Rounding} (default RNE; the
 * microxcaling reference's default is RNA); an all-zero block gets the smallest power-of-two scale (E8M0 code 0);
 * a block holding a NaN or an infinity gets a NaN scale and NaN values (elements: the element format's default
 * NaN); a zero AMAX scale (amax / max_elem below the scale format's range) gives zero elements; MXINT8 uses
 * two's complement k/64, k in [-128, 127] (gfloat), or the symmetric [-127, 127] of microxcaling.
 *
 * <p>The 1-D array methods of {@link Quantizer} treat the array as blocks of consecutive elements starting at
 * the range start; {@link #quantizeBlocks} handles any axis of a tensor viewed as [outer, len, inner].
 */
public final class BlockQuantizer extends Quantizer {
    public enum ScaleRule { MX, POW2_UP, AMAX }

    private final Quantizer elem;          // FloatQuantizer (saturating) or FixedPointQuantizer
    private final FloatQuantizer felem;
    private final FixedPointQuantizer xelem;
    private final boolean symmetricInt;
    private final Format scaleFormat;
    private final int blockSize;
    private final ScaleRule rule;
    private final Rounding scaleRounding;
    private final double elemMax;
    private final int elemEmax;
    private final int minScaleExp, maxScaleExp;
    private final String name;

    /**
     * @param elementFormat element format (elements saturate to ±max)
     * @param rounding element rounding
     * @param scaleFormat e.g. E8M0FNU or E4M3FN
     * @param scaleRounding rounding of amax / max_elem for {@link ScaleRule#AMAX} (ignored otherwise)
     */
    public BlockQuantizer(Format elementFormat, Rounding rounding, Format scaleFormat, int blockSize, ScaleRule rule,
                          Rounding scaleRounding) {
        this(new FloatQuantizer(elementFormat, rounding, FloatQuantizer.Underflow.GRADUAL,
                FloatQuantizer.Overflow.CLAMP), null, false, scaleFormat, blockSize, rule, scaleRounding,
                null);
    }

    private BlockQuantizer(FloatQuantizer fe, FixedPointQuantizer xe, boolean symmetricInt, Format scaleFormat,
                           int blockSize, ScaleRule rule, Rounding scaleRounding, String name) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("bad block size " + blockSize + " (must be >= 1)");
        }
        this.felem = fe;
        this.xelem = xe;
        this.elem = fe != null ? fe : xe;
        this.symmetricInt = symmetricInt;
        this.scaleFormat = Objects.requireNonNull(scaleFormat);
        this.blockSize = blockSize;
        this.rule = Objects.requireNonNull(rule);
        this.scaleRounding = scaleRounding == null ? Rounding.RNE : scaleRounding;
        if (fe != null) {
            Format f = fe.format();
            if (!f.fitsInDouble() || !f.signed()) {
                throw new IllegalArgumentException("bad element format " + f + " for block scaling");
            }
            this.elemMax = f.toDouble(f.maxFiniteBits());
            this.elemEmax = f.emax();
        } else {
            this.elemMax = Math.scalb((double) xe.maxInteger(), -xe.fractionLength());
            this.elemEmax = Math.getExponent(elemMax);
        }
        if (rule != ScaleRule.AMAX && !(fe != null || xe != null)) {
            throw new IllegalArgumentException("no element quantizer");
        }
        if (xe != null && rule == ScaleRule.AMAX) {
            throw new IllegalArgumentException("integer elements need power-of-two scales (MX or POW2_UP)");
        }
        if (!scaleFormat.fitsInDouble()) {
            throw new IllegalArgumentException("bad scale format " + scaleFormat + ": its values are not all doubles");
        }
        if (scaleFormat.manBits() + 1 > 31) {
            throw new IllegalArgumentException("scale format " + scaleFormat + " cannot be a block scale: its "
                    + (scaleFormat.manBits() + 1) + "-bit significand exceeds the 31 bits of the exact element / scale"
                    + " quotient (use e.g. e8m0fnu, e4m3fn, bfloat16 or binary32)");
        }
        if (scaleFormat.toDouble(scaleFormat.minPositiveBits()) <= 0) {
            throw new IllegalArgumentException("scale format " + scaleFormat + " cannot be a block scale: no positive value");
        }
        long minPos = scaleFormat.minPositiveBits();
        this.minScaleExp = Math.getExponent(scaleFormat.toDouble(minPos)); // a power of two
        this.maxScaleExp = Math.getExponent(scaleFormat.toDouble(scaleFormat.maxFiniteBits()));
        this.name = name != null ? name : "block(" + (fe != null ? fe.format() + "," + fe.rounding() : xe.toString())
                + ",scale=" + scaleFormat + ",k=" + blockSize + "," + rule.name().toLowerCase(Locale.ROOT) + ")";
    }

    /** OCP MX types: mxfp8_e4m3, mxfp8_e5m2, mxfp6_e3m2, mxfp6_e2m3, mxfp4_e2m1, mxint8 (E8M0 scale, k = 32). */
    public static BlockQuantizer mx(String type, Rounding rounding) {
        String t = type.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        Format f;
        switch (t) {
            case "mxfp8_e4m3": case "mxfp8": f = Format.E4M3FN; break;
            case "mxfp8_e5m2": f = Format.E5M2; break;
            case "mxfp6_e3m2": f = Format.E3M2FN; break;
            case "mxfp6_e2m3": case "mxfp6": f = Format.E2M3FN; break;
            case "mxfp4_e2m1": case "mxfp4": f = Format.E2M1FN; break;
            case "mxint8": return mxint8(rounding, false);
            default:
                throw new IllegalArgumentException("bad MX type '" + type + "' (expected mxfp8_e4m3, mxfp8_e5m2,"
                        + " mxfp6_e3m2, mxfp6_e2m3, mxfp4_e2m1 or mxint8)");
        }
        FloatQuantizer fe = new FloatQuantizer(f, rounding, FloatQuantizer.Underflow.GRADUAL,
                FloatQuantizer.Overflow.CLAMP);
        return new BlockQuantizer(fe, null, false, Format.E8M0FNU, 32, ScaleRule.MX, null, t + "(" + rounding + ")");
    }

    /** MXINT8: k/64 with k two's complement in [-128, 127], or symmetric [-127, 127]; E8M0 scale, k = 32. */
    public static BlockQuantizer mxint8(Rounding rounding, boolean symmetric) {
        FixedPointQuantizer xe = new FixedPointQuantizer(8, 6, true, rounding, FixedPointQuantizer.OverflowMode.SATURATE);
        return new BlockQuantizer(null, xe, symmetric, Format.E8M0FNU, 32, ScaleRule.MX, null,
                "mxint8(" + rounding + (symmetric ? ",symmetric" : "") + ")");
    }

    /** NVFP4-style: E2M1 elements, E4M3 scale = amax / 6 rounded to nearest, blocks of 16 (per-tensor scale not included). */
    public static BlockQuantizer nvfp4(Rounding rounding) {
        return new BlockQuantizer(Format.E2M1FN, rounding, Format.E4M3FN, 16, ScaleRule.AMAX, Rounding.RNE);
    }

    public int blockSize() { return blockSize; }

    public Format scaleFormat() { return scaleFormat; }

    public ScaleRule scaleRule() { return rule; }

    /** Smallest and largest exponent e of a power-of-two scale 2^e in the scale format. */
    public int minScaleExp() { return minScaleExp; }

    public int maxScaleExp() { return maxScaleExp; }

    /** The element quantizer (applied to V / X). */
    public Quantizer elementQuantizer() { return elem; }

    @Override
    public int alignment() {
        return blockSize;
    }

    @Override
    public boolean isStochastic() {
        return elem.isStochastic();
    }

    @Override
    public String toString() {
        return name;
    }

    /** A scalar is a block of one element. */
    @Override
    public double quantize(double x, long random) {
        double[] v = {x};
        double[] out = new double[1];
        block(v, 0, 1, 1, out, null, 0, null, 0, null, new long[] {random}, 0);
        return out[0];
    }

    // ---------------------------------------------------------------- block core

    /**
     * Quantizes one block: {@code cnt} elements at {@code src[base + j*stride]}; outputs (any may be null) at the
     * same positions of dstV / dstBits, the scale at scaleOut[scaleIdx]. Words: {@code words[j]} if words
     * non-null (contiguous blocks), else key.word(idx0 + j*stride).
     */
    private void block(double[] src, int base, int stride, int cnt, double[] dstV, long[] dstBits, int dbase,
                       long[] scaleOut, int scaleIdx, RandomKey key, long[] words, long idx0) {
        double amax = 0;
        boolean nonFinite = false;
        for (int j = 0; j < cnt; j++) {
            double a = Math.abs(src[base + j * stride]);
            if (!(a <= Double.MAX_VALUE)) nonFinite = true; // NaN or Inf
            else if (a > amax) amax = a;
        }
        Env env = new Env(Rounding.RNE);
        if (nonFinite) {
            long sb = scaleFormat.defaultNaN();
            if (scaleOut != null) scaleOut[scaleIdx] = sb;
            for (int j = 0; j < cnt; j++) {
                int p = dbase + j * stride;
                if (dstV != null) dstV[p] = Double.NaN;
                if (dstBits != null) dstBits[p] = felem != null ? felem.format().defaultNaN() : 0;
            }
            return;
        }
        // --- the scale
        long sbits;
        int sexp = Integer.MIN_VALUE; // log2 of a power-of-two scale
        if (amax == 0) {
            sexp = minScaleExp;
            sbits = encodeScalePow2(sexp);
        } else if (rule == ScaleRule.MX || rule == ScaleRule.POW2_UP) {
            int e = Math.getExponent(amax);
            if (e < Double.MIN_EXPONENT) e = 63 - Long.numberOfLeadingZeros(Double.doubleToRawLongBits(amax)) - 1074;
            int se = e - elemEmax;
            if (rule == ScaleRule.POW2_UP) {
                se--;
                while (amax > scalbExact(elemMax, se)) se++;
            }
            sexp = Math.max(minScaleExp, Math.min(maxScaleExp, se));
            sbits = encodeScalePow2(sexp);
        } else { // AMAX: amax / elemMax rounded once into the scale format
            sbits = amaxScale(amax, env);
            double sv = scaleFormat.toDouble(sbits);
            if (sv == 0) {
                if (scaleOut != null) scaleOut[scaleIdx] = sbits;
                for (int j = 0; j < cnt; j++) {
                    boolean neg = Double.doubleToRawLongBits(src[base + j * stride]) < 0;
                    long eb = felem.format().zeroBits(neg);
                    int p = dbase + j * stride;
                    if (dstBits != null) dstBits[p] = eb;
                    if (dstV != null) dstV[p] = neg ? -0.0 : 0.0;
                }
                return;
            }
            long ss = scaleFormat.sigOf(sbits);
            if (Long.bitCount(ss) == 1) {
                sexp = scaleFormat.expOf(sbits) + Long.numberOfTrailingZeros(ss);
            }
        }
        if (scaleOut != null) scaleOut[scaleIdx] = sbits;
        double scaleVal = scaleFormat.toDouble(sbits);
        long ssig = scaleFormat.sigOf(sbits);
        int sx = scaleFormat.expOf(sbits);
        // --- the elements
        for (int j = 0; j < cnt; j++) {
            double x = src[base + j * stride];
            int p = dbase + j * stride;
            long w = !elem.isStochastic() ? 0L : words != null ? words[j] : key.word(idx0 + (long) j * stride);
            long eb;
            long xb = Double.doubleToRawLongBits(x);
            boolean neg = xb < 0;
            long mag = xb & 0x7FFF_FFFF_FFFF_FFFFL;
            if (mag == 0) {
                eb = felem != null ? felem.encode(x, w) : 0;
            } else {
                int e = (int) (mag >>> 52);
                long sig = e == 0 ? mag : (mag & 0x000F_FFFF_FFFF_FFFFL) | (1L << 52);
                int exp = (e == 0 ? 1 : e) - 1075;
                if (sexp != Integer.MIN_VALUE) {
                    if (felem != null) {
                        eb = felem.encodeExact(neg, sig, exp - sexp, false, w, env);
                    } else {
                        long k = xelem.toIntegerExact(neg, sig, exp - sexp, w);
                        if (symmetricInt && k < -xelem.maxInteger()) k = -xelem.maxInteger();
                        eb = k & 0xFF;
                    }
                } else { // exact 128-bit quotient (sig << sh) * 2^64 / ssig with sticky remainder
                    long[] qq = new long[3];
                    int sh = quotient128(sig, ssig, qq);
                    eb = felem.encodeExact128(neg, qq[0], qq[1], exp - sh - 64 - sx, qq[2] != 0, w, env);
                }
            }
            if (dstBits != null) dstBits[p] = eb;
            if (dstV != null) dstV[p] = elem.decode(eb) * scaleVal; // exact: short significands
        }
    }

    /**
     * The exact quotient (a * 2^sh * 2^64) / d as a 128-bit value out[0]*2^64 + out[1] and its remainder
     * out[2], for 0 &lt; a &lt; 2^62 and 0 &lt; d &lt; 2^31; returns sh (a * 2^sh has 62 bits). The quotient keeps
     * at least 93 significant bits, so rounding it to any format of up to 29 bits keeps 64 exact fraction
     * bits below the last place (the sticky contract of Rounder for stochastic rounding).
     */
    static int quotient128(long a, long d, long[] out) {
        if (d <= 0 || d >= (1L << 31)) {
            throw new IllegalArgumentException("divisor out of range: " + d);
        }
        int sh = 62 - (64 - Long.numberOfLeadingZeros(a));
        long num = a << sh;
        long hi = num / d;
        long r = num % d;
        long t = r << 32;
        long q1 = t / d;
        r = t % d;
        t = r << 32;
        long q2 = t / d;
        r = t % d;
        out[0] = hi;
        out[1] = (q1 << 32) | q2;
        out[2] = r;
        return sh;
    }

    private static double scalbExact(double v, int e) {
        return Math.scalb(v, e);
    }

    private long encodeScalePow2(int e) {
        Env env = new Env(Rounding.RNE);
        long b = Double.doubleToRawLongBits(Math.scalb(1.0, e));
        return lowp.ref.RefOps.fromDouble(scaleFormat, Double.longBitsToDouble(b), env);
    }

    /** amax / elemMax rounded once into the scale format (scaleRounding), clamped to [0, max]. */
    private long amaxScale(double amax, Env env) {
        long ab = Double.doubleToRawLongBits(amax);
        int ea = (int) (ab >>> 52);
        long sa = ea == 0 ? ab : (ab & 0x000F_FFFF_FFFF_FFFFL) | (1L << 52);
        int xa = (ea == 0 ? 1 : ea) - 1075;
        long mb = Double.doubleToRawLongBits(elemMax);
        int em = (int) (mb >>> 52);
        long sm = (mb & 0x000F_FFFF_FFFF_FFFFL) | (1L << 52);
        int xm = em - 1075;
        int tz = Long.numberOfTrailingZeros(sm);
        sm >>>= tz;
        xm += tz;
        long[] qq = new long[3];
        int sh = quotient128(sa, sm, qq);
        env.rounding = scaleRounding;
        env.flags = 0;
        env.random = 0; // a stochastic scale rounding is not supported: the word would be shared by the block
        long r = Rounder.round128(scaleFormat, false, qq[0], qq[1], xa - sh - 64 - xm, qq[2] != 0, env);
        if (scaleFormat.kind() == Kind.E8M0 && scaleFormat.isNaN(r) && (env.flags & Flags.OVERFLOW) == 0) {
            return 0; // below 2^-127: E8M0 has no zero; use its smallest scale
        }
        if ((env.flags & Flags.OVERFLOW) != 0 || scaleFormat.isNaN(r) || scaleFormat.isInf(r)) {
            r = scaleFormat.maxFiniteBits();
        }
        return r;
    }

    // ---------------------------------------------------------------- arrays

    /**
     * Quantizes a tensor viewed as [outer, len, inner] with blocks of blockSize along the middle axis (the last
     * block of each column may be shorter). Any of dstValues, elemBits, scaleBits may be null; scaleBits has
     * outer * ceil(len / blockSize) * inner entries in [outer, block, inner] order. Element (o, j, i) has flat
     * index o*len*inner + j*inner + i, which selects its random word.
     */
    public void quantizeBlocks(double[] src, int outer, int len, int inner, double[] dstValues, long[] elemBits,
                               long[] scaleBits, RandomKey key, int threads) {
        long total = (long) outer * len * inner;
        if (outer < 0 || len < 0 || inner < 0 || total > src.length) {
            throw new IllegalArgumentException("bad shape [" + outer + ", " + len + ", " + inner + "] for "
                    + src.length + " elements");
        }
        if (isStochastic() && key == null) {
            throw new IllegalArgumentException(this + " is stochastic: a RandomKey (seed) is required");
        }
        int nb = (len + blockSize - 1) / blockSize;
        long units = (long) outer * nb * inner;
        if (units > Integer.MAX_VALUE) throw new IllegalArgumentException("too many blocks");
        if (scaleBits != null && scaleBits.length < units) {
            throw new IllegalArgumentException("scaleBits needs " + units + " entries");
        }
        Parallel.forRange((int) units, threads, 1, (lo, hi) -> {
            long[] words = inner == 1 && isStochastic() ? new long[blockSize] : null;
            for (int u = lo; u < hi; u++) {
                int i = u % inner;
                int b = (u / inner) % nb;
                int o = u / inner / nb;
                int j0 = b * blockSize;
                int cnt = Math.min(blockSize, len - j0);
                int base = (o * len + j0) * inner + i;
                if (words != null) key.fill(base, words, 0, cnt);
                block(src, base, inner, cnt, dstValues, elemBits, base, scaleBits, u, key, words, base);
            }
        });
    }

    /**
     * {@link #quantizeBlocks(double[], int, int, int, double[], long[], long[], RandomKey, int)} for float input:
     * the floats are widened to doubles (exactly), so bits and scales equal the double call's for the same values;
     * dstValues (may be null) receives the values as floats (exact: element formats of at most 24 bits times
     * a scale in float range; a value outside float range throws, as the float array calls do).
     */
    public void quantizeBlocks(float[] src, int outer, int len, int inner, float[] dstValues, long[] elemBits,
                               long[] scaleBits, RandomKey key, int threads) {
        long total = (long) outer * len * inner;
        if (outer < 0 || len < 0 || inner < 0 || total > src.length) {
            throw new IllegalArgumentException("bad shape [" + outer + ", " + len + ", " + inner + "] for "
                    + src.length + " elements");
        }
        double[] in = new double[(int) total];
        for (int i = 0; i < in.length; i++) in[i] = src[i];
        double[] out = dstValues == null ? null : new double[in.length];
        quantizeBlocks(in, outer, len, inner, out, elemBits, scaleBits, key, threads);
        if (out != null) {
            for (int i = 0; i < out.length; i++) dstValues[i] = toFloatExact(out[i]);
        }
    }

    @Override
    protected void kernel(double[] src, int so, double[] dst, int d, int n, RandomKey key, long index0) {
        long[] words = isStochastic() ? new long[blockSize] : null;
        for (int b = 0; b < n; b += blockSize) {
            int cnt = Math.min(blockSize, n - b);
            if (words != null) key.fill(index0 + b, words, 0, cnt);
            block(src, so + b, 1, cnt, dst, null, d + b, null, 0, key, words, index0 + b);
        }
    }

    @Override
    protected void kernel(float[] src, int so, float[] dst, int d, int n, RandomKey key, long index0) {
        long[] words = isStochastic() ? new long[blockSize] : null;
        double[] in = new double[blockSize];
        double[] out = new double[blockSize];
        for (int b = 0; b < n; b += blockSize) {
            int cnt = Math.min(blockSize, n - b);
            if (words != null) key.fill(index0 + b, words, 0, cnt);
            for (int j = 0; j < cnt; j++) in[j] = src[so + b + j];
            block(in, 0, 1, cnt, out, null, 0, null, 0, key, words, index0 + b);
            for (int j = 0; j < cnt; j++) dst[d + b + j] = toFloatExact(out[j]);
        }
    }
}
