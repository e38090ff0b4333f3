package lowp.quant;

import lowp.format.Format;
import lowp.rng.RandomKey;
import lowp.round.Env;
import lowp.round.Rounding;

import java.util.Locale;
import java.util.Objects;

/**
 * Per-tensor scaling in the style of NVIDIA Transformer Engine's FP8 recipes: a whole tensor shares one scale
 * X, elements are stored as Q(V / X) in a (saturating) element format and represent X * Q(V / X).
 *
 * <p>The scale is a power of two, so dividing by it and multiplying back are exact (a deliberate choice: TE's
 * default fp32 scale = (max_elem / amax) / 2^margin is not a power of two and would round twice). For an amax
 * a &gt; 0, X is the smallest power of two with a / X &lt;= max_elem / 2^margin; a = 0 gives X = 1.
 *
 * <p>Amax policies: {@link Amax#CURRENT} uses the amax of the tensor being quantized ("current scaling");
 * {@link Amax#DELAYED} uses an amax history of the previous {@code historyLength} calls (max over the window,
 * or the most recent entry), as TE's delayed scaling; before any history exists X = 1 (TE initialises the
 * scale to 1). Each array call is one tensor: it takes the scale first, quantizes, then (DELAYED) pushes the
 * tensor's amax. Stateful: do not share one instance between concurrent callers (the array calls themselves
 * may be multithreaded). A scalar call is a tensor of one element and does not update the history.
 */
public final class TensorScaledQuantizer extends Quantizer {
    public enum Amax { CURRENT, DELAYED }

    public enum HistoryAlgo { MAX, MOST_RECENT }

    private final FloatQuantizer elem;
    private final int margin;
    private final Amax policy;
    private final HistoryAlgo algo;
    private final double[] history;
    private int count;
    private int pos;
    private final double elemMax;

    private volatile int scaleExp;      // log2 X for the call in progress
    private volatile double callAmax;   // amax of the call in progress

    public TensorScaledQuantizer(Format elementFormat, Rounding rounding, int margin, Amax policy, int historyLength,
                                 HistoryAlgo algo) {
        this.elem = new FloatQuantizer(elementFormat, rounding, FloatQuantizer.Underflow.GRADUAL,
                FloatQuantizer.Overflow.CLAMP);
        if (!elementFormat.fitsInDouble() || !elementFormat.signed()) {
            throw new IllegalArgumentException("bad element format " + elementFormat + " for tensor scaling");
        }
        if (margin < 0 || margin > 64) {
            throw new IllegalArgumentException("bad margin " + margin + " (must be 0..64)");
        }
        if (historyLength < 1) {
            throw new IllegalArgumentException("bad amax history length " + historyLength + " (must be >= 1)");
        }
        this.margin = margin;
        this.policy = Objects.requireNonNull(policy);
        this.algo = Objects.requireNonNull(algo);
        this.history = new double[historyLength];
        this.elemMax = elementFormat.toDouble(elementFormat.maxFiniteBits());
    }

    /** Current scaling, margin 0. */
    public static TensorScaledQuantizer current(Format elementFormat, Rounding rounding) {
        return new TensorScaledQuantizer(elementFormat, rounding, 0, Amax.CURRENT, 1, HistoryAlgo.MAX);
    }

    /** Delayed scaling with a max-of-history window, margin 0. */
    public static TensorScaledQuantizer delayed(Format elementFormat, Rounding rounding, int historyLength) {
        return new TensorScaledQuantizer(elementFormat, rounding, 0, Amax.DELAYED, historyLength, HistoryAlgo.MAX);
    }

    @Override
    public boolean isStochastic() {
        return elem.isStochastic();
    }

    @Override
    public String toString() {
        return "tensorScaled(" + elem.format() + "," + elem.rounding() + "," + policy.name().toLowerCase(Locale.ROOT)
                + (policy == Amax.DELAYED ? ",history=" + history.length + "," + algo.name().toLowerCase(Locale.ROOT) : "")
                + ",margin=" + margin + ")";
    }

    /** log2 of the power-of-two scale for an amax (0 for amax 0 or non-finite). */
    public int scaleExpFor(double amax) {
        if (!(amax > 0) || Double.isInfinite(amax)) {
            return 0;
        }
        double lim = Math.scalb(elemMax, -margin);
        int e = Math.getExponent(amax) - Math.getExponent(lim) - 1;
        if (Math.getExponent(amax) < Double.MIN_EXPONENT) e = -1074 - Math.getExponent(lim) - 1;
        while (amax > Math.scalb(lim, e)) e++;
        while (amax <= Math.scalb(lim, e - 1)) e--;
        // keep X * (element values) exact doubles
        int lo = -1074 - elem.format().minQuantumExp();
        int hi = 1023 - elem.format().emax() - 1;
        return Math.max(lo, Math.min(hi, e));
    }

    /** The amax the next DELAYED call will use (NaN if there is no history yet). */
    public synchronized double historyAmax() {
        if (count == 0) return Double.NaN;
        if (algo == HistoryAlgo.MOST_RECENT) return history[(pos - 1 + history.length) % history.length];
        double m = 0;
        for (int i = 0; i < count; i++) m = Math.max(m, history[i]);
        return m;
    }

    /** The scale X = 2^scaleExp of the last (or current) array call. */
    public double lastScale() {
        return Math.scalb(1.0, scaleExp);
    }

    private static double amax(double[] a, int off, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) {
            double v = Math.abs(a[off + i]);
            if (v > m) m = v; // NaN is ignored
        }
        return m;
    }

    @Override
    protected void begin(double[] src, int off, int n) {
        callAmax = amax(src, off, n);
        setScale();
    }

    @Override
    protected void begin(float[] src, int off, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs((double) src[off + i]));
        callAmax = m;
        setScale();
    }

    private void setScale() {
        if (policy == Amax.CURRENT) {
            scaleExp = scaleExpFor(callAmax);
        } else {
            double h = historyAmax();
            scaleExp = Double.isNaN(h) ? 0 : scaleExpFor(h);
        }
    }

    @Override
    protected synchronized void end() {
        if (policy == Amax.DELAYED) {
            history[pos] = callAmax;
            pos = (pos + 1) % history.length;
            if (count < history.length) count++;
        }
    }

    /** The element format's bit pattern of Q(x / 2^sexp) (x / 2^sexp taken exactly). */
    private long elementBits(double x, int sexp, long w, Env env) {
        long b = Double.doubleToRawLongBits(x);
        long mag = b & 0x7FFF_FFFF_FFFF_FFFFL;
        int e = (int) (mag >>> 52);
        if (mag == 0 || e == 2047) {
            return elem.encode(x, w, env);
        }
        long sig = e == 0 ? mag : (mag & 0x000F_FFFF_FFFF_FFFFL) | (1L << 52);
        int exp = (e == 0 ? 1 : e) - 1075;
        return elem.encodeExact(b < 0, sig, exp - sexp, false, w, env);
    }

    private double element(double x, int sexp, long w, Env env) {
        return decode(elementBits(x, sexp, w, env), sexp);
    }

    /**
     * The tensor value of an element bit pattern under the scale 2^scaleExp: X * (element value), exact (a
     * power-of-two scale within the range {@link #scaleExpFor} keeps); NaN patterns give NaN, zeros keep their sign.
     */
    public double decode(long bits, int scaleExp) {
        double v = elem.decode(bits);
        return Double.isNaN(v) || v == 0 ? v : Math.scalb(v, scaleExp);
    }

    /**
     * Bit patterns are the element format's ({@link #width()} bits): {@link #encode(double, long)} and the array
     * {@code encode} calls give Q(V / X); this returns the element value Q(V / X) itself, unscaled. The tensor
     * value is {@link #decode(long, int)} with the scale exponent of the call ({@link Encoded#scaleExp} from
     * {@link #encodeTensor}, or {@link #scaleExpFor} of |x| for a scalar CURRENT call).
     */
    @Override
    public double decode(long bits) {
        return elem.decode(bits);
    }

    @Override
    public boolean hasEncoding() {
        return true;
    }

    @Override
    public int width() {
        return elem.width();
    }

    /** Element bits of a scalar call (a tensor of one element; the scale as in {@link #quantize(double, long)}). */
    @Override
    public long encode(double x, long random) {
        return elementBits(x, scalarScaleExp(x), random, new Env(Rounding.RNE));
    }

    /** One encoded tensor: element bit patterns and the scale X = 2^scaleExp they were taken with. */
    public static final class Encoded {
        public final long[] bits;
        public final int scaleExp;

        Encoded(long[] bits, int scaleExp) {
            this.bits = bits;
            this.scaleExp = scaleExp;
        }
    }

    /**
     * Quantizes a whole tensor to bit patterns and returns them with the scale exponent used (read inside this
     * call, so no separate {@link #lastScale()} read is needed). DELAYED: the history is used and then updated,
     * as for the value calls.
     */
    public synchronized Encoded encodeTensor(double[] src, RandomKey key, int threads) {
        long[] out = encode(src, key, threads);
        return new Encoded(out, scaleExp);
    }

    public synchronized Encoded encodeTensor(float[] src, RandomKey key, int threads) {
        long[] out = encode(src, key, threads);
        return new Encoded(out, scaleExp);
    }

    /** The scale exponent of the last (or current) array call: X = 2^lastScaleExp(). */
    public int lastScaleExp() {
        return scaleExp;
    }

    private int scalarScaleExp(double x) {
        if (policy == Amax.CURRENT) {
            return scaleExpFor(Math.abs(x));
        }
        double h = historyAmax();
        return Double.isNaN(h) ? 0 : scaleExpFor(h);
    }

    @Override
    public double quantize(double x, long random) {
        return element(x, scalarScaleExp(x), random, new Env(Rounding.RNE));
    }

    @Override
    protected void kernel(double[] src, int so, double[] dst, int d, int n, RandomKey key, long index0) {
        int sexp = scaleExp;
        Env env = new Env(Rounding.RNE);
        long[] w = isStochastic() ? new long[Math.min(n, WORD_BATCH)] : null;
        for (int base = 0; base < n; base += WORD_BATCH) {
            int len = Math.min(WORD_BATCH, n - base);
            if (w != null) key.fill(index0 + base, w, 0, len);
            for (int j = 0; j < len; j++) {
                dst[d + base + j] = element(src[so + base + j], sexp, w == null ? 0 : w[j], env);
            }
        }
    }

    @Override
    protected void kernel(float[] src, int so, float[] dst, int d, int n, RandomKey key, long index0) {
        int sexp = scaleExp;
        Env env = new Env(Rounding.RNE);
        long[] w = isStochastic() ? new long[Math.min(n, WORD_BATCH)] : null;
        for (int base = 0; base < n; base += WORD_BATCH) {
            int len = Math.min(WORD_BATCH, n - base);
            if (w != null) key.fill(index0 + base, w, 0, len);
            for (int j = 0; j < len; j++) {
                dst[d + base + j] = toFloatExact(element(src[so + base + j], sexp, w == null ? 0 : w[j], env));
            }
        }
    }

    @Override
    protected void kernelBits(double[] src, int so, long[] dst, int d, int n, RandomKey key, long index0) {
        int sexp = scaleExp;
        Env env = new Env(Rounding.RNE);
        long[] w = isStochastic() ? new long[Math.min(n, WORD_BATCH)] : null;
        for (int base = 0; base < n; base += WORD_BATCH) {
            int len = Math.min(WORD_BATCH, n - base);
            if (w != null) key.fill(index0 + base, w, 0, len);
            for (int j = 0; j < len; j++) {
                dst[d + base + j] = elementBits(src[so + base + j], sexp, w == null ? 0 : w[j], env);
            }
        }
    }

    @Override
    protected void kernelBits(float[] src, int so, long[] dst, int d, int n, RandomKey key, long index0) {
        int sexp = scaleExp;
        Env env = new Env(Rounding.RNE);
        long[] w = isStochastic() ? new long[Math.min(n, WORD_BATCH)] : null;
        for (int base = 0; base < n; base += WORD_BATCH) {
            int len = Math.min(WORD_BATCH, n - base);
            if (w != null) key.fill(index0 + base, w, 0, len);
            for (int j = 0; j < len; j++) {
                dst[d + base + j] = elementBits(src[so + base + j], sexp, w == null ? 0 : w[j], env);
            }
        }
    }
}
