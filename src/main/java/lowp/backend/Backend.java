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

    /**
     * Independent dot products in one launch: {@code d[i] = a_i·b_i (+ c[i])} for i &lt; count, where a and b are
     * count×k row-major (line i's vectors are {@code a[i*k .. i*k+k)} and {@code b[i*k .. i*k+k)}) and c has
     * count entries in {@code spec.output()} (null: +0). Line i is computed exactly as GEMM output element
     * (i, 0) of a count×1 output: the spec's model and accumulation order (increasing k), and the random words
     * (SR specs) of element index {@code o = i}, i.e. {@code (i << 36) + step} (docs/gpu.md). For deterministic
     * roundings the result therefore equals {@code gemm(spec, 1, 1, k, a_i, b_i, c_i)} bit for bit; under SR it
     * equals element (i, 0) of {@code gemm(spec, count, 1, k, a, b_i, c)} (line 0: gemm(1, 1, k) itself).
     * Returns count bit patterns in {@code spec.output()}.
     */
    int[] dotBatch(GemmSpec spec, int count, int k, int[] a, int[] b, int[] c);

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

    /** Checks dot-batch argument shapes (same index limits as a count×1 GEMM). */
    static void checkDotBatch(GemmSpec spec, int count, int k, int[] a, int[] b, int[] c) {
        if (count < 0 || k < 0) throw new IllegalArgumentException("bad dot batch shape " + count + " lines of K = " + k);
        if (a.length != (long) count * k) throw new IllegalArgumentException("a has " + a.length + " elements, expected " + count + "x" + k);
        if (b.length != (long) count * k) throw new IllegalArgumentException("b has " + b.length + " elements, expected " + count + "x" + k);
        if (c != null && c.length != count) throw new IllegalArgumentException("c has " + c.length + " elements, expected " + count);
        if (count >= 1 << 27 || k >= 1 << 19) {
            throw new IllegalArgumentException("dot batch too large: " + count + " lines of K = " + k
                    + " (random-word indices need count < 2^27 and k < 2^19)");
        }
    }

    static void checkStep(StepSpec spec, int[] w, float[] g, int[] v) {
        if (w.length != g.length) throw new IllegalArgumentException("w has " + w.length + " elements but g has " + g.length);
        if (spec.hasMomentum() && (v == null || v.length != w.length)) {
            throw new IllegalArgumentException("the momentum step needs a momentum buffer of " + w.length + " elements");
        }
    }
}
