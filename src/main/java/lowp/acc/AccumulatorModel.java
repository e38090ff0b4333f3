package lowp.acc;

import lowp.format.Format;

/**
 * A bit-exact model of how a dot product d = c + sum_i x_i*y_i is accumulated: which roundings happen,
 * in which formats and modes, and in which order. Implementations: {@link SequentialModel} (recursive or
 * pairwise order, separate product rounding or FMA, optional Kahan compensation), {@link ChunkedModel}
 * (blocked summation / promotion into a wider accumulator every N terms), {@link FusedBlockModel}
 * (tensor-core multi-term fused block). {@link Profiles} holds the named hardware models. Integer
 * accumulation is {@link IntAccumulator}.
 *
 * <p>Operands x_i, y_i are values of {@link #inputFormat()}; c and d are values of {@link #outputFormat()}.
 * The order of every rounding is fixed by the model alone (never by tiling or threads), so {@link Gemm}
 * results are bit-identical for any thread count.
 *
 * <p>Models are immutable and thread-safe; per-thread state lives in a {@link Lane}.
 */
public abstract class AccumulatorModel {

    /** Format of the multiplicands. */
    public abstract Format inputFormat();

    /** Format of the addend c and of the result d. */
    public abstract Format outputFormat();

    /** One-line description of the model and its parameters (the spec, in words). */
    public abstract String describe();

    /**
     * The kernel. {@code a[ao + i*as]} and {@code b[bo + i*bs]}, i &lt; n, are {@link Packed} values of the
     * input format, {@code c} a packed value of the output format; returns the packed result (a value of the
     * output format). The caller has called {@link Lane#start} for the output element.
     */
    public abstract long dotPacked(long[] a, int ao, int as, long[] b, int bo, int bs, int n, long c, Lane lane);

    /**
     * Number of rounding-step indices one output element may use for n products (the random-word indices of
     * element e lie in [e &lt;&lt; 36, (e &lt;&lt; 36) + stepsFor(n))).
     */
    public abstract long stepsFor(int n);

    /**
     * Optional fast kernel on doubles holding the operand values (exactly); c is the packed addend. Returns
     * the packed result, bit-identical to {@link #dotPacked}, or {@link Packed#NONE} when it cannot decide
     * (the caller then runs {@link #dotPacked}). Models without one return NONE always.
     */
    public long dotDouble(double[] a, int ao, int as, double[] b, int bo, int bs, int n, long c, Lane lane) {
        return Packed.NONE;
    }

    /** Whether {@link #dotDouble} may succeed for this model. */
    public boolean hasDoubleKernel() {
        return false;
    }

    /** Exponent stored for a zero operand in the decoded form (far below any real exponent). */
    public static final int ZERO_EXP = -(1 << 28);

    /**
     * Optional kernel on decoded operands (stride 1): {@code sa[ao+i]} is the signed integer significand and
     * {@code ea[ao+i]} the exponent of its last bit ({@link Packed#sig}, {@link Packed#exp}) of a finite
     * input value ({@link #ZERO_EXP} for zeros); c is packed. Bit-identical to {@link #dotPacked}, or
     * {@link Packed#NONE}. {@link Gemm} decodes once per matrix when the operands hold no specials.
     */
    public long dotDecoded(int[] sa, int[] ea, int ao, int[] sb, int[] eb, int bo, int n, long c, Lane lane) {
        return Packed.NONE;
    }

    /** Whether {@link #dotDecoded} may succeed for this model. */
    public boolean hasDecodedKernel() {
        return false;
    }

    /** Packs an input-format bit pattern. */
    public long packInput(long bits) {
        return Packed.fromBits(inputFormat(), bits);
    }

    /** d = c + x·y on bit patterns (x, y in the input format, c and the result in the output format). */
    public long dotBits(long[] x, long[] y, long c, Lane lane) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("dot: x has " + x.length + " values, y has " + y.length);
        }
        long[] px = new long[x.length];
        long[] py = new long[y.length];
        for (int i = 0; i < x.length; i++) {
            px[i] = Packed.fromBits(inputFormat(), x[i]);
            py[i] = Packed.fromBits(inputFormat(), y[i]);
        }
        long pc = Packed.fromBits(outputFormat(), c);
        return Packed.toBits(outputFormat(), dotPacked(px, 0, 1, py, 0, 1, x.length, pc, lane));
    }

    @Override
    public String toString() {
        return describe();
    }

    static void checkInput(Format f) {
        if (f.precision() > 24) {
            throw new IllegalArgumentException("input format " + f + " has more than 24 significand bits");
        }
    }

    static void checkAcc(Format f) {
        if (f.precision() > Packed.MAX_PRECISION) {
            throw new IllegalArgumentException("accumulator format " + f + " has more than "
                    + Packed.MAX_PRECISION + " significand bits");
        }
    }
}
