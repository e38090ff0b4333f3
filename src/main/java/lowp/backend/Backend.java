package lowp.backend;

/**
 * A compute backend for the bulk operations of low-precision emulation. Every backend produces the same bits
 * for the same inputs, spec and random key (that is tested: CPU, Aparapi/OpenCL and the CUDA numerics).
 *
 * <p>Bit patterns travel as {@code int[]} (formats of at most 32 bits, zero-extended). Backends that own
 * device memory allocate, copy and free it inside each call (try-with-resources), one kernel launch per call;
 * the batch methods pack several arrays into one launch so that small arrays are not dominated by launch
 * overhead. A backend must be {@link #close() closed} to release its device context and compiled kernels.
 */
public interface Backend extends AutoCloseable {
    /** "cpu", "aparapi" or "cuda". */
    String name();

    /** The device the backend runs on, in words. */
    String device();

    /** Quantizes binary64 values: out[i] = bits of Q(x[i]), element i drawing random index i. */
    int[] quantize(QuantSpec spec, double[] x);

    /** Quantizes binary32 values. */
    int[] quantize(QuantSpec spec, float[] x);

    /**
     * Quantizes several binary32 arrays in one launch; array j uses stream {@code spec.key().stream() + j}
     * and its own element indices (so the result equals quantizing each array alone with that stream).
     */
    default int[][] quantizeBatch(QuantSpec spec, float[][] xs) {
        int[][] r = new int[xs.length][];
        for (int j = 0; j < xs.length; j++) {
            r[j] = quantize(new QuantSpec(spec.format(), spec.rounding(), spec.key().withStream(spec.key().stream() + j)), xs[j]);
        }
        return r;
    }

    /**
     * D = A·B (+ C) under the spec's accumulator model; a (m×k), b (k×n), c (m×n, may be null: +0) row-major
     * bit patterns; returns D (m×n) in {@code spec.output()}.
     */
    int[] gemm(GemmSpec spec, int m, int n, int k, int[] a, int[] b, int[] c);

    /** The fused gradient step, in place on w (and v when the spec has momentum). */
    void step(StepSpec spec, int[] w, float[] g, int[] v);

    @Override
    void close();

    /** Checks GEMM argument shapes. */
    static void checkGemm(GemmSpec spec, int m, int n, int k, int[] a, int[] b, int[] c) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("bad GEMM shape " + m + "x" + n + "x" + k);
        if (a.length != (long) m * k) throw new IllegalArgumentException("A has " + a.length + " elements, expected " + m + "x" + k);
        if (b.length != (long) k * n) throw new IllegalArgumentException("B has " + b.length + " elements, expected " + k + "x" + n);
        if (c != null && c.length != (long) m * n) throw new IllegalArgumentException("C has " + c.length + " elements, expected " + m + "x" + n);
        if ((long) m * n >= 1L << 27 || k >= 1 << 19) {
            throw new IllegalArgumentException("GEMM too large: " + m + "x" + n + "x" + k
                    + " (random-word indices need m*n < 2^27 and k < 2^19)");
        }
    }

    static void checkStep(StepSpec spec, int[] w, float[] g, int[] v) {
        if (w.length != g.length) throw new IllegalArgumentException("w has " + w.length + " elements but g has " + g.length);
        if (spec.hasMomentum() && (v == null || v.length != w.length)) {
            throw new IllegalArgumentException("the momentum step needs a momentum buffer of " + w.length + " elements");
        }
    }
}
