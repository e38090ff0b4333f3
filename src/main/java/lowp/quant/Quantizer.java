package lowp.quant;

import lowp.rng.RandomKey;

import java.util.Objects;

/**
 * A quantizer: a target grid (a number format, a fixed-point grid, a logarithmic grid, a block-scaled format)
 * plus a rounding rule plus edge policies. One abstraction for scalars and for {@code double[]} / {@code float[]}
 * arrays, in place or out of place, as values or (where the quantizer has an encoding) as bit patterns.
 *
 * <p><b>Randomness.</b> A stochastic quantizer draws one 64-bit word per element: element {@code i} of an array
 * call (its position {@code index0 + i} in the tensor) uses {@code key.word(index0 + i)} (Philox4x32-10, docs/rng.md),
 * so results never depend on the thread count or chunking. The scalar methods take the word itself (or a key
 * and an index). Deterministic quantizers accept a {@code null} key.
 *
 * <p><b>Elementwise vs block.</b> Most quantizers act on each element alone; block-scaled ones
 * ({@link BlockQuantizer}) look at a block of elements and for them a scalar call is a block of one element.
 *
 * <p>Array methods: {@code n} elements from {@code src[srcOff]} to {@code dst[dstOff]}; {@code src == dst} with
 * equal offsets quantizes in place
 * (overlapping ranges of one array at different offsets are refused with IllegalArgumentException). Bit-pattern outputs are {@code long[]} (the quantizer's {@link #width()}
 * low bits). Multithreading splits [0, n) into fixed chunks (a multiple of {@link #alignment()} elements).
 */
public abstract class Quantizer {
    /** Random words generated per batch in the default kernels. */
    static final int WORD_BATCH = 1024;

    /** Whether this quantizer rounds stochastically (needs a {@link RandomKey}). */
    public abstract boolean isStochastic();

    /** Elements that are quantized together (1, or the block size of a block-scaled quantizer). */
    public int alignment() {
        return 1;
    }

    // ---------------------------------------------------------------- scalars

    /** Quantizes {@code x} to a value; {@code random} is the element's random word (ignored if deterministic). */
    public abstract double quantize(double x, long random);

    /** Quantizes {@code x} deterministically. @throws IllegalStateException for a stochastic quantizer */
    public double quantize(double x) {
        if (isStochastic()) {
            throw new IllegalStateException(this + " is stochastic: pass a random word or a RandomKey and index");
        }
        return quantize(x, 0L);
    }

    /** Quantizes {@code x} as element {@code index} of the tensor keyed by {@code key}. */
    public double quantize(double x, RandomKey key, long index) {
        return quantize(x, word(key, index));
    }

    /** Whether values have a bit-pattern encoding ({@link #encode}, {@link #decode}). */
    public boolean hasEncoding() {
        return false;
    }

    /** Width in bits of the encoding (0 if none). */
    public int width() {
        return 0;
    }

    /** The bit pattern of the quantized value. @throws UnsupportedOperationException without an encoding */
    public long encode(double x, long random) {
        throw new UnsupportedOperationException(this + " has no bit-pattern encoding");
    }

    /** The bit pattern of element {@code index} under {@code key}. */
    public long encode(double x, RandomKey key, long index) {
        return encode(x, word(key, index));
    }

    /** The value of a bit pattern (NaN patterns give {@link Double#NaN}). */
    public double decode(long bits) {
        throw new UnsupportedOperationException(this + " has no bit-pattern encoding");
    }

    private long word(RandomKey key, long index) {
        if (!isStochastic()) {
            return 0L;
        }
        if (key == null) {
            throw new IllegalArgumentException(this + " is stochastic: a RandomKey (seed) is required");
        }
        return key.word(index);
    }

    // ---------------------------------------------------------------- arrays (public API)

    public final void quantize(double[] src, int srcOff, double[] dst, int dstOff, int n, RandomKey key,
                               long index0, int threads) {
        check(src.length, srcOff, dst.length, dstOff, n, key, index0);
        noOverlap(src == dst, srcOff, dstOff, n);
        begin(src, srcOff, n);
        Parallel.forRange(n, threads, alignment(),
                (lo, hi) -> kernel(src, srcOff + lo, dst, dstOff + lo, hi - lo, key, index0 + lo));
        end();
    }

    public final void quantize(float[] src, int srcOff, float[] dst, int dstOff, int n, RandomKey key,
                               long index0, int threads) {
        check(src.length, srcOff, dst.length, dstOff, n, key, index0);
        noOverlap(src == dst, srcOff, dstOff, n);
        begin(src, srcOff, n);
        Parallel.forRange(n, threads, alignment(),
                (lo, hi) -> kernel(src, srcOff + lo, dst, dstOff + lo, hi - lo, key, index0 + lo));
        end();
    }

    public final void encode(double[] src, int srcOff, long[] dst, int dstOff, int n, RandomKey key,
                             long index0, int threads) {
        requireEncoding();
        check(src.length, srcOff, dst.length, dstOff, n, key, index0);
        begin(src, srcOff, n);
        Parallel.forRange(n, threads, alignment(),
                (lo, hi) -> kernelBits(src, srcOff + lo, dst, dstOff + lo, hi - lo, key, index0 + lo));
        end();
    }

    public final void encode(float[] src, int srcOff, long[] dst, int dstOff, int n, RandomKey key,
                             long index0, int threads) {
        requireEncoding();
        check(src.length, srcOff, dst.length, dstOff, n, key, index0);
        begin(src, srcOff, n);
        Parallel.forRange(n, threads, alignment(),
                (lo, hi) -> kernelBits(src, srcOff + lo, dst, dstOff + lo, hi - lo, key, index0 + lo));
        end();
    }

    /** Out of place, element i of src is tensor element i. */
    public final void quantize(double[] src, double[] dst, RandomKey key, int threads) {
        sameLength(src.length, dst.length);
        quantize(src, 0, dst, 0, src.length, key, 0, threads);
    }

    public final void quantize(double[] src, double[] dst, RandomKey key) {
        quantize(src, dst, key, 1);
    }

    /** In place. */
    public final void quantize(double[] x, RandomKey key) {
        quantize(x, x, key, 1);
    }

    public final void quantize(float[] src, float[] dst, RandomKey key, int threads) {
        sameLength(src.length, dst.length);
        quantize(src, 0, dst, 0, src.length, key, 0, threads);
    }

    public final void quantize(float[] src, float[] dst, RandomKey key) {
        quantize(src, dst, key, 1);
    }

    public final void quantize(float[] x, RandomKey key) {
        quantize(x, x, key, 1);
    }

    public final long[] encode(double[] src, RandomKey key, int threads) {
        long[] out = new long[src.length];
        encode(src, 0, out, 0, src.length, key, 0, threads);
        return out;
    }

    public final long[] encode(float[] src, RandomKey key, int threads) {
        long[] out = new long[src.length];
        encode(src, 0, out, 0, src.length, key, 0, threads);
        return out;
    }

    private static void sameLength(int a, int b) {
        if (a != b) {
            throw new IllegalArgumentException("source and destination lengths differ: " + a + " vs " + b);
        }
    }

    /**
     * In place means equal offsets: a destination range that overlaps the source range at another offset would
     * read elements already overwritten (by this or another thread), so it is refused.
     */
    private static void noOverlap(boolean sameArray, int srcOff, int dstOff, int n) {
        if (sameArray && srcOff != dstOff && Math.abs((long) srcOff - dstOff) < n) {
            throw new IllegalArgumentException("overlapping source and destination ranges in the same array: ["
                    + srcOff + ", " + ((long) srcOff + n) + ") and [" + dstOff + ", " + ((long) dstOff + n)
                    + "); in place needs equal offsets (or copy the source first)");
        }
    }

    private void requireEncoding() {
        if (!hasEncoding()) {
            throw new UnsupportedOperationException(this + " has no bit-pattern encoding");
        }
    }

    private void check(int srcLen, int srcOff, int dstLen, int dstOff, int n, RandomKey key, long index0) {
        Objects.checkFromIndexSize(srcOff, n, srcLen);
        Objects.checkFromIndexSize(dstOff, n, dstLen);
        if (index0 < 0) {
            throw new IllegalArgumentException("bad element index " + index0 + " (must be >= 0)");
        }
        if (isStochastic() && key == null) {
            throw new IllegalArgumentException(this + " is stochastic: a RandomKey (seed) is required");
        }
    }

    // ---------------------------------------------------------------- hooks for whole-tensor state

    /** Called once per array call before the kernels run (e.g. to take the tensor's amax). Default: nothing. */
    protected void begin(double[] src, int off, int n) {
    }

    protected void begin(float[] src, int off, int n) {
    }

    /** Called once per array call after all kernels finished. Default: nothing. */
    protected void end() {
    }

    // ---------------------------------------------------------------- kernels (one thread, one range)

    /** Quantizes a range; overridden by fast or block-aware subclasses. The range is a multiple of alignment(). */
    protected void kernel(double[] src, int so, double[] dst, int d, int n, RandomKey key, long index0) {
        if (!isStochastic()) {
            for (int i = 0; i < n; i++) {
                dst[d + i] = quantize(src[so + i], 0L);
            }
            return;
        }
        long[] w = new long[Math.min(n, WORD_BATCH)];
        for (int base = 0; base < n; base += WORD_BATCH) {
            int len = Math.min(WORD_BATCH, n - base);
            key.fill(index0 + base, w, 0, len);
            for (int j = 0; j < len; j++) {
                dst[d + base + j] = quantize(src[so + base + j], w[j]);
            }
        }
    }

    protected void kernel(float[] src, int so, float[] dst, int d, int n, RandomKey key, long index0) {
        long[] w = isStochastic() ? new long[Math.min(n, WORD_BATCH)] : null;
        for (int base = 0; base < n; base += WORD_BATCH) {
            int len = Math.min(WORD_BATCH, n - base);
            if (w != null) {
                key.fill(index0 + base, w, 0, len);
            }
            for (int j = 0; j < len; j++) {
                dst[d + base + j] = toFloatExact(quantize(src[so + base + j], w == null ? 0L : w[j]));
            }
        }
    }

    protected void kernelBits(double[] src, int so, long[] dst, int d, int n, RandomKey key, long index0) {
        long[] w = isStochastic() ? new long[Math.min(n, WORD_BATCH)] : null;
        for (int base = 0; base < n; base += WORD_BATCH) {
            int len = Math.min(WORD_BATCH, n - base);
            if (w != null) {
                key.fill(index0 + base, w, 0, len);
            }
            for (int j = 0; j < len; j++) {
                dst[d + base + j] = encode(src[so + base + j], w == null ? 0L : w[j]);
            }
        }
    }

    protected void kernelBits(float[] src, int so, long[] dst, int d, int n, RandomKey key, long index0) {
        long[] w = isStochastic() ? new long[Math.min(n, WORD_BATCH)] : null;
        for (int base = 0; base < n; base += WORD_BATCH) {
            int len = Math.min(WORD_BATCH, n - base);
            if (w != null) {
                key.fill(index0 + base, w, 0, len);
            }
            for (int j = 0; j < len; j++) {
                dst[d + base + j] = encode(src[so + base + j], w == null ? 0L : w[j]);
            }
        }
    }

    /** A quantized value stored in a float: must be exact. */
    static float toFloatExact(double v) {
        float f = (float) v;
        if (f != v && !Double.isNaN(v)) {
            throw new ArithmeticException("quantized value " + v + " is not exactly representable as a float");
        }
        return f;
    }
}
