package lowp.backend;

import lowp.acc.Packed;
import lowp.format.Format;

import java.util.ArrayList;
import java.util.List;

/**
 * Independent dot products {@code d_j = a_j·b_j + c_j} (one per line of {@code lowp dot}, each with its own
 * operands) run on a backend under one GEMM spec. The backends multiply matrices, so consecutive lines with the
 * same K are packed, up to {@link #GROUP} at a time, into one block-diagonal GEMM: A's row i = a_i, B's column
 * j = b_j, C = diag(c_i) (+0 elsewhere); the diagonal of D is the answer. Each output element is computed in
 * the spec's order from its own row and column, so the diagonal equals the per-line dot products bit for bit.
 * Values travel as lowp.acc packed values ({@link Packed}); random words (SR specs) follow the GEMM convention
 * of the output element (i, i) of each group, not lowp.acc's per-line lanes.
 */
public final class DotBatch implements AutoCloseable {
    /** Lines per GEMM launch: G² outputs of which G are needed (a GPU does the rest for free). */
    public static final int GROUP = 64;

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
            int g = 1;
            while (g < GROUP && i0 + g < total && as.get(i0 + g).length == k) g++;
            int[] a = new int[g * k], b = new int[k * g], c = new int[g * g];
            int zero = (int) Packed.toBits(out, Packed.POS_ZERO);
            java.util.Arrays.fill(c, zero);
            for (int i = 0; i < g; i++) {
                long[] ra = as.get(i0 + i), rb = bs.get(i0 + i);
                for (int t = 0; t < k; t++) {
                    a[i * k + t] = (int) Packed.toBits(in, ra[t]);
                    b[t * g + i] = (int) Packed.toBits(in, rb[t]);
                }
                c[i * g + i] = (int) Packed.toBits(out, cs.get(i0 + i));
            }
            int[] r = backend.gemm(spec, g, g, k, a, b, c);
            for (int i = 0; i < g; i++) d[i0 + i] = Packed.fromBits(out, r[i * g + i] & mask(out));
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
