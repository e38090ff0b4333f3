package lowp.acc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * D = A·B (+ C) under an {@link AccumulatorModel}: output element (i, j) is exactly
 * {@code model.dot(A[i,:], B[:,j], C[i,j])} with random-word element index i*n + j, so the result is
 * independent of tiling and of the thread count. Work is split into tiles of output rows handed to
 * {@link AccContext#threads} threads.
 *
 * <p>Layout: A is m×k, B is k×n, C and D are m×n, all row-major; C may be null (+0).
 */
public final class Gemm {
    private Gemm() {
    }

    /** Rows of output per work item. */
    static final int TILE_ROWS = 4;

    public static double[] gemm(int m, int n, int k, double[] a, double[] b, double[] c, AccumulatorModel model,
                                AccContext ctx) {
        check(m, n, k, a.length, b.length, c == null ? -1 : c.length);
        long[] pa = new long[m * k];
        for (int i = 0; i < pa.length; i++) pa[i] = Packed.fromDouble(model.inputFormat(), a[i]);
        long[] pbt = new long[n * k];
        for (int kk = 0; kk < k; kk++) {
            for (int j = 0; j < n; j++) {
                pbt[j * k + kk] = Packed.fromDouble(model.inputFormat(), b[kk * n + j]);
            }
        }
        long[] pc = null;
        if (c != null) {
            pc = new long[m * n];
            for (int i = 0; i < pc.length; i++) pc[i] = Packed.fromDouble(model.outputFormat(), c[i]);
        }
        long[] d = gemmPacked(m, n, k, pa, pbt, pc, model, ctx);
        double[] out = new double[m * n];
        for (int i = 0; i < out.length; i++) out[i] = Packed.toDouble(d[i]);
        return out;
    }

    public static float[] gemm(int m, int n, int k, float[] a, float[] b, float[] c, AccumulatorModel model,
                               AccContext ctx) {
        double[] da = new double[a.length];
        for (int i = 0; i < a.length; i++) da[i] = a[i];
        double[] db = new double[b.length];
        for (int i = 0; i < b.length; i++) db[i] = b[i];
        double[] dc = null;
        if (c != null) {
            dc = new double[c.length];
            for (int i = 0; i < c.length; i++) dc[i] = c[i];
        }
        double[] d = gemm(m, n, k, da, db, dc, model, ctx);
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    /**
     * The kernel on {@link Packed} operands: {@code a} is m×k row-major, {@code bt} is B transposed (n×k
     * row-major), {@code c} m×n or null. Returns packed D (m×n).
     */
    public static long[] gemmPacked(int m, int n, int k, long[] a, long[] bt, long[] c, AccumulatorModel model,
                                    AccContext ctx) {
        check(m, n, k, a.length, bt.length, c == null ? -1 : c.length);
        long[] d = new long[m * n];
        final double[] ad;
        final double[] bd;
        if (model.hasDoubleKernel()) {
            ad = new double[a.length];
            for (int i = 0; i < a.length; i++) ad[i] = Packed.toDouble(a[i]);
            bd = new double[bt.length];
            for (int i = 0; i < bt.length; i++) bd[i] = Packed.toDouble(bt[i]);
        } else {
            ad = null;
            bd = null;
        }
        int[][] dec = model.hasDecodedKernel() ? decode(a, bt) : null;
        final int[] sa = dec == null ? null : dec[0];
        final int[] ea = dec == null ? null : dec[1];
        final int[] sb = dec == null ? null : dec[2];
        final int[] eb = dec == null ? null : dec[3];
        final SequentialModel seq4 = (ad != null && sa == null && model instanceof SequentialModel
                && ((SequentialModel) model).hasDouble4Kernel()) ? (SequentialModel) model : null;
        if (seq4 != null) {
            double maxC = 0;
            if (c != null) {
                for (long v : c) maxC = Math.max(maxC, Math.abs(Packed.toDouble(v)));
            }
            // rows whose chains provably never overflow (any column, any c) run the kernel's reduced loop
            final double maxB = maxAbs(bd);
            final boolean[] bounded = new boolean[m];
            final double maxA = maxAbs(ad);
            boolean all = seq4.cannotOverflowUniform(maxA, maxB, maxC, k);
            for (int i = 0; i < m; i++) bounded[i] = all || seq4.cannotOverflow(ad, i * k, k, maxB, maxC);
            // other rows still skip the product checks when no product can overflow (their sums are checked)
            final boolean productsSafe = seq4.productsCannotOverflow(maxA, maxB);
            // four output columns at a time, their rounding chains interleaved; any group that needs the
            // general path is recomputed element by element below (flags the kernel raised before declining are
            // ones the general path raises too)
            drive(m, n, ctx, (i, j, lane) -> {
                if ((j & 3) != 0) {
                    return;
                }
                long[] out = lane.scratch4;
                if (j + 4 <= n && seq4.rneSeparate4(ad, i * k, bd, j * k, (j + 1) * k, (j + 2) * k, (j + 3) * k, k,
                        cAt(c, i * n + j), cAt(c, i * n + j + 1), cAt(c, i * n + j + 2), cAt(c, i * n + j + 3),
                        bounded[i], productsSafe, out, lane)) {
                    System.arraycopy(out, 0, d, i * n + j, 4);
                    return;
                }
                for (int jj = j; jj < Math.min(n, j + 4); jj++) {
                    lane.start((long) i * n + jj);
                    long r = model.dotDouble(ad, i * k, 1, bd, jj * k, 1, k, cAt(c, i * n + jj), lane);
                    if (r == Packed.NONE) {
                        r = model.dotPacked(a, i * k, 1, bt, jj * k, 1, k, cAt(c, i * n + jj), lane);
                    }
                    d[i * n + jj] = r;
                }
            });
            return d;
        }
        drive(m, n, ctx, (i, j, lane) -> {
            lane.start((long) i * n + j);
            long c0 = c == null ? Packed.POS_ZERO : c[i * n + j];
            long r = Packed.NONE;
            if (sa != null) {
                r = model.dotDecoded(sa, ea, i * k, sb, eb, j * k, k, c0, lane);
            }
            if (r == Packed.NONE && ad != null) {
                r = model.dotDouble(ad, i * k, 1, bd, j * k, 1, k, c0, lane);
            }
            if (r == Packed.NONE) {
                r = model.dotPacked(a, i * k, 1, bt, j * k, 1, k, c0, lane);
            }
            d[i * n + j] = r;
        });
        return d;
    }

    /** Largest |v| (NaN if any v is NaN). */
    private static double maxAbs(double[] v) {
        double mx = 0;
        for (double x : v) mx = Math.max(mx, Math.abs(x));
        return mx;
    }

    private static long cAt(long[] c, int idx) {
        return c == null ? Packed.POS_ZERO : c[idx];
    }

    /** Decoded (signed significand, last-bit exponent) arrays of a and bt, or null if any operand is special. */
    static int[][] decode(long[] a, long[] bt) {
        int[] sa = new int[a.length];
        int[] ea = new int[a.length];
        int[] sb = new int[bt.length];
        int[] eb = new int[bt.length];
        if (!decodeInto(a, sa, ea) || !decodeInto(bt, sb, eb)) {
            return null;
        }
        return new int[][] {sa, ea, sb, eb};
    }

    private static boolean decodeInto(long[] p, int[] s, int[] e) {
        for (int i = 0; i < p.length; i++) {
            long v = p[i];
            if (Packed.special(v) || Packed.sig(v) >= (1L << 30)) {
                return false;
            }
            long sig = Packed.sig(v);
            s[i] = (int) (v < 0 ? -sig : sig);
            e[i] = sig == 0 ? AccumulatorModel.ZERO_EXP : Packed.exp(v);
        }
        return true;
    }

    /** Computes one output element (i, j) with the thread's lane. */
    @FunctionalInterface
    interface ElementKernel {
        void compute(int i, int j, Lane lane);
    }

    /**
     * The GEMM driver: tiles of {@link #TILE_ROWS} output rows handed out to ctx.threads threads (the caller's
     * thread is one of them), row-major order inside a tile; flags of all lanes are OR-ed into ctx.
     */
    static void drive(int m, int n, AccContext ctx, ElementKernel kernel) {
        int tiles = (m + TILE_ROWS - 1) / TILE_ROWS;
        int threads = Math.max(1, Math.min(ctx.threads, tiles));
        AtomicInteger next = new AtomicInteger();
        int[] flags = new int[threads];
        Runnable[] workers = new Runnable[threads];
        for (int t = 0; t < threads; t++) {
            final int id = t;
            workers[t] = () -> {
                Lane lane = new Lane(ctx.random);
                int tile;
                while ((tile = next.getAndIncrement()) < tiles) {
                    int i1 = Math.min(m, (tile + 1) * TILE_ROWS);
                    for (int i = tile * TILE_ROWS; i < i1; i++) {
                        for (int j = 0; j < n; j++) {
                            kernel.compute(i, j, lane);
                        }
                    }
                }
                flags[id] = lane.env.flags;
            };
        }
        if (threads == 1) {
            workers[0].run();
        } else {
            List<Thread> ts = new ArrayList<>();
            Throwable[] failure = new Throwable[1];
            for (int t = 1; t < threads; t++) {
                Thread th = new Thread(workers[t], "lowp-gemm-" + t);
                th.setUncaughtExceptionHandler((x, ex) -> failure[0] = ex);
                ts.add(th);
                th.start();
            }
            workers[0].run();
            for (Thread th : ts) {
                try {
                    th.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (failure[0] != null) {
                throw new IllegalStateException("GEMM worker failed", failure[0]);
            }
        }
        for (int f : flags) ctx.flags |= f;
    }

    /**
     * The benchmark yardstick: plain binary64 GEMM (D = A·B, a m×k, bt = B transposed n×k) through the same
     * driver and per-element dot loop as {@link #gemmPacked}, with {@code s += a*b} as the whole kernel.
     */
    public static double[] yardstick(int m, int n, int k, double[] a, double[] bt, AccContext ctx) {
        double[] d = new double[m * n];
        drive(m, n, ctx, (i, j, lane) -> {
            double s = 0;
            for (int q = 0, ia = i * k, ib = j * k; q < k; q++, ia++, ib++) {
                s += a[ia] * bt[ib];
            }
            d[i * n + j] = s;
        });
        return d;
    }

    /** Largest m·n (exclusive): element index e = i·n + j is shifted left by {@link Lane#ELEMENT_SHIFT} = 36 bits. */
    public static final long MAX_OUTPUTS = 1L << 27;
    /** Largest k (exclusive), as the backends (lowp.backend.Backend) allow: the steps of one element stay below 2^20. */
    public static final int MAX_K = 1 << 19;

    private static void check(int m, int n, int k, int la, int lb, int lc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative GEMM shape " + m + "x" + n + "x" + k);
        }
        if ((long) m * n >= MAX_OUTPUTS || k >= MAX_K) {
            throw new IllegalArgumentException("GEMM shape " + m + "x" + n + "x" + k + " too large: the random-word"
                    + " numbering (element << 36) + step needs m*n < 2^27 and k < 2^19");
        }
        if (la != (long) m * k) throw new IllegalArgumentException("A has " + la + " values, expected m*k = " + (long) m * k);
        if (lb != (long) k * n) throw new IllegalArgumentException("B has " + lb + " values, expected k*n = " + (long) k * n);
        if (lc >= 0 && lc != (long) m * n) {
            throw new IllegalArgumentException("C has " + lc + " values, expected m*n = " + (long) m * n);
        }
    }
}
