package lowp.backend;

import lowp.acc.Packed;
import lowp.format.Format;

import java.util.ArrayList;
import java.util.List;

/**
 * Independent dot products {@code d_j = a_j·b_j + c_j} (one per line of {@code lowp dot}, each with its own
 * operands) run on a backend under one GEMM spec through {@link Backend#dotBatch}: each run of consecutive lines
 * with the same K is one call (one launch on a device backend; at most {@link #MAX_LINES} lines and
 * {@link #MAX_WORDS} operand words of each vector per call). Each line is computed in the spec's order from its
 * own vectors, so the results equal the per-line dot products bit for bit. Values travel as lowp.acc packed
 * values ({@link Packed}); random words (SR specs) are those of element index j - j0 of the call, j0 its first
 * line (docs/gpu.md).
 */
public final class DotBatch implements AutoCloseable {
    /** Most lines per {@link Backend#dotBatch} call (below its 2^27 random-index limit). */
    public static final int MAX_LINES = 1 << 20;
    /** Most operand words of a (and of b) per call. */
    public static final int MAX_WORDS = 1 << 24;

    private final Backend backend;
    private final GemmSpec spec;
    private final List<long[]> as = new ArrayList<>();
    private final List<long[]> bs = new ArrayList<>();
    private final List<Long> cs = new ArrayList<>();

    public DotBatch(Backend backend, GemmSpec spec) {
        this.backend = backend;
        this.spec = spec;
    }

    public Backend backend() {
        return backend;
    }

    /** Queues one dot product: packed operands in the spec's input format, c packed in its output format. */
    public void add(long[] a, long[] b, long c) {
        if (a.length != b.length) throw new IllegalArgumentException("a has " + a.length + " values, b " + b.length);
        as.add(a);
        bs.add(b);
        cs.add(c);
    }

    /** Runs every queued dot product; packed results in the spec's output format, in queue order. */
    public long[] run() {
        int total = as.size();
        long[] d = new long[total];
        Format in = spec.a, out = spec.output();
        int i0 = 0;
        while (i0 < total) {
            int k = as.get(i0).length;
            int cap = Math.min(MAX_LINES, Math.max(1, MAX_WORDS / Math.max(k, 1)));
            int g = 1;
            while (g < cap && i0 + g < total && as.get(i0 + g).length == k) g++;
            int[] a = new int[g * k], b = new int[g * k], c = new int[g];
            for (int i = 0; i < g; i++) {
                long[] ra = as.get(i0 + i), rb = bs.get(i0 + i);
                for (int t = 0; t < k; t++) {
                    a[i * k + t] = (int) Packed.toBits(in, ra[t]);
                    b[i * k + t] = (int) Packed.toBits(in, rb[t]);
                }
                c[i] = (int) Packed.toBits(out, cs.get(i0 + i));
            }
            int[] r = backend.dotBatch(spec, g, k, a, b, c);
            for (int i = 0; i < g; i++) d[i0 + i] = Packed.fromBits(out, r[i] & mask(out));
            i0 += g;
        }
        as.clear();
        bs.clear();
        cs.clear();
        return d;
    }

    private static long mask(Format f) {
        return f.width() >= 64 ? -1L : (1L << f.width()) - 1;
    }

    @Override
    public void close() {
        backend.close();
    }
}
