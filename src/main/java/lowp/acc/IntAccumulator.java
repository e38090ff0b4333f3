package lowp.acc;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Integer dot products with a P-bit two's-complement accumulator (research §4.1): products are exact;
 * {@code group} consecutive products are summed exactly first (1 = one product at a time; 4 models
 * VPDPBUSD[S] / SDOT), then each group sum is added to the accumulator with
 * {@link Overflow#WRAP} (mod 2^P, order-independent: equals wrap(exact sum)) or {@link Overflow#SATURATE}
 * (clamp to [-2^(P-1), 2^(P-1)-1] after every group add, order-dependent: groups in increasing K).
 * The addend c is the accumulator's initial value (it must fit in P bits).
 */
public final class IntAccumulator {

    public enum Overflow { WRAP, SATURATE }

    final int bits;
    final Overflow overflow;
    final int group;
    final long min;
    final long max;

    public IntAccumulator(int bits, Overflow overflow, int group) {
        if (bits < 2 || bits > 63) {
            throw new IllegalArgumentException("accumulator width must be 2..63 bits, got " + bits);
        }
        if (group < 1 || group > 64) {
            throw new IllegalArgumentException("group size must be 1..64, got " + group);
        }
        this.bits = bits;
        this.overflow = overflow;
        this.group = group;
        this.min = -(1L << (bits - 1));
        this.max = (1L << (bits - 1)) - 1;
    }

    /** int8 x int8 -> int32 with wrap-around, one product at a time. */
    public static IntAccumulator int32Wrap() {
        return new IntAccumulator(32, Overflow.WRAP, 1);
    }

    public int bits() { return bits; }
    public Overflow overflow() { return overflow; }
    public int group() { return group; }

    /** wrap_P(v) = ((v + 2^(P-1)) mod 2^P) - 2^(P-1). */
    public long wrap(long v) {
        int sh = 64 - bits;
        return (v << sh) >> sh;
    }

    /** Result of a dot product with its overflow witness. */
    public static final class Result {
        public final long value;
        /** Exact sum c + x·y. */
        public final java.math.BigInteger exact;
        /** Index of the first group (0-based) whose add clamped or wrapped, or -1. */
        public final int firstOverflowGroup;

        Result(long value, java.math.BigInteger exact, int first) {
            this.value = value;
            this.exact = exact;
            this.firstOverflowGroup = first;
        }
    }

    /**
     * d = c + x·y. Operands must satisfy |x_i|, |y_i| &lt; 2^28 (so that a group sum and the accumulator stay
     * far inside a long; integer GEMM operands are 8- or 16-bit in practice); not checked on this fast path.
     */
    public long dot(long[] x, long[] y, long c) {
        return dot(x, 0, 1, y, 0, 1, x.length, c);
    }

    long dot(long[] x, int xo, int xs, long[] y, int yo, int ys, int n, long c) {
        checkC(c);
        if (overflow == Overflow.WRAP) {
            long s = c; // long arithmetic wraps mod 2^64, and wrap_P of that equals wrap_P of the exact sum
            for (int i = 0; i < n; i++) {
                s += x[xo + i * xs] * y[yo + i * ys];
            }
            return wrap(s);
        }
        long acc = c;
        for (int k0 = 0; k0 < n; k0 += group) {
            int k1 = Math.min(n, k0 + group);
            long g = 0;
            for (int i = k0; i < k1; i++) {
                g += x[xo + i * xs] * y[yo + i * ys];
            }
            acc = Math.max(min, Math.min(max, acc + g)); // |acc|, |g| < 2^62: no long overflow
        }
        return acc;
    }

    /** d = c + x·y with the exact sum and the first overflowing group (the checker's witness). */
    public Result dotDetailed(long[] x, long[] y, long c) {
        checkC(c);
        java.math.BigInteger exact = java.math.BigInteger.valueOf(c);
        long acc = c;
        int first = -1;
        int q = 0;
        for (int k0 = 0; k0 < x.length; k0 += group, q++) {
            int k1 = Math.min(x.length, k0 + group);
            long g = 0;
            for (int i = k0; i < k1; i++) {
                checkOperand(x[i]);
                checkOperand(y[i]);
                g += x[i] * y[i];
                exact = exact.add(java.math.BigInteger.valueOf(x[i]).multiply(java.math.BigInteger.valueOf(y[i])));
            }
            long t = acc + g;
            long r = overflow == Overflow.WRAP ? wrap(t) : Math.max(min, Math.min(max, t));
            if (r != t && first < 0) {
                first = q;
            }
            acc = r;
        }
        return new Result(acc, exact, first);
    }

    /** C = A·B (+C): A m×k, B k×n, C m×n row-major (C may be null); multithreaded over rows, deterministic. */
    public long[] gemm(int m, int n, int k, long[] a, long[] b, long[] c, int threads) {
        if (a.length != m * k || b.length != k * n || (c != null && c.length != m * n)) {
            throw new IllegalArgumentException("GEMM operand sizes do not match " + m + "x" + n + "x" + k);
        }
        long[] bt = new long[n * k];
        for (int q = 0; q < k; q++) {
            for (int j = 0; j < n; j++) {
                bt[j * k + q] = b[q * n + j];
            }
        }
        long[] d = new long[m * n];
        AtomicInteger next = new AtomicInteger();
        Runnable w = () -> {
            int i;
            while ((i = next.getAndIncrement()) < m) {
                for (int j = 0; j < n; j++) {
                    d[i * n + j] = dot(a, i * k, 1, bt, j * k, 1, k, c == null ? 0 : c[i * n + j]);
                }
            }
        };
        Thread[] ts = new Thread[Math.max(0, Math.min(threads, m) - 1)];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = new Thread(w);
            ts[t].start();
        }
        w.run();
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return d;
    }

    private void checkC(long c) {
        if (c < min || c > max) {
            throw new IllegalArgumentException("c = " + c + " does not fit a " + bits + "-bit accumulator");
        }
    }

    private static void checkOperand(long v) {
        if (v <= -(1L << 28) || v >= (1L << 28)) {
            throw new IllegalArgumentException("integer operand " + v + " exceeds 28 bits");
        }
    }

    @Override
    public String toString() {
        return "int" + bits + "/" + overflow.name().toLowerCase() + (group > 1 ? "/group" + group : "");
    }
}
