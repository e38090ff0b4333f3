package lowp.rng;

/**
 * Philox4x32-10 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11; the
 * Random123 library), in pure 32-bit integer arithmetic, plus lowp's documented mapping from
 * (seed, stream, step, element index) to one 64-bit random word. The full specification, precise enough for
 * a CUDA/OpenCL re-implementation, is docs/rng.md; this javadoc repeats it.
 *
 * <h2>Block function</h2>
 * Counter c = (c0, c1, c2, c3), key k = (k0, k1), all unsigned 32-bit. Ten rounds; before every round but the
 * first the key is bumped: k0 += 0x9E3779B9, k1 += 0xBB67AE85 (mod 2^32). One round:
 * <pre>
 *   (hi0, lo0) = 0xD2511F53 * c0   (full 64-bit product of two unsigned 32-bit values)
 *   (hi1, lo1) = 0xCD9E8D57 * c2
 *   c = (hi1 ^ c1 ^ k0,  lo1,  hi0 ^ c3 ^ k1,  lo0)
 * </pre>
 * The output is the final c = (x0, x1, x2, x3). Verified against Random123's published known-answer vectors.
 *
 * <h2>lowp key to bits mapping</h2>
 * For a 64-bit {@code seed}, a 32-bit {@code stream} (tensor / stream id), a {@code step} in [0, 2^32) and an
 * element {@code index} in [0, 2^64) (unsigned):
 * <pre>
 *   key     = (lo32(seed), hi32(seed))
 *   block   = index &gt;&gt;&gt; 1,  lane = index &amp; 1
 *   counter = (lo32(block), hi32(block), stream, step)
 *   (x0, x1, x2, x3) = Philox4x32-10(counter, key)
 *   word    = lane == 0 ? (x1 &lt;&lt; 32) | x0 : (x3 &lt;&lt; 32) | x2        (unsigned 64-bit)
 * </pre>
 * Distinct (seed, stream, step, index) give distinct (key, counter, lane), so the words of one key are the
 * outputs of a bijection on distinct counters. The word of element i depends on nothing else (not on thread
 * count, chunking or backend).
 */
public final class Philox {
    /** Round multipliers and Weyl key increments (Random123 PHILOX_M4x32_0/1, PHILOX_W32_0/1). */
    public static final int M0 = 0xD2511F53;
    public static final int M1 = 0xCD9E8D57;
    public static final int W0 = 0x9E3779B9;
    public static final int W1 = 0xBB67AE85;

    private static final long MASK = 0xFFFFFFFFL;

    private Philox() {
    }

    /**
     * Philox4x32 with {@code rounds} rounds (10 for Philox4x32-10) on a counter (4 words) and key (2 words);
     * returns the 4 output words. Words are unsigned 32-bit values held in ints.
     */
    public static int[] block(int[] counter, int[] key, int rounds) {
        if (counter.length != 4 || key.length != 2) {
            throw new IllegalArgumentException("Philox4x32 needs a 4-word counter and a 2-word key");
        }
        int c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3];
        int k0 = key[0], k1 = key[1];
        for (int r = 0; r < rounds; r++) {
            if (r > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & MASK) * (c0 & MASK);
            long p1 = (M1 & MASK) * (c2 & MASK);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
        }
        return new int[] {c0, c1, c2, c3};
    }

    /** Philox4x32-10 of one counter and key. */
    public static int[] block(int[] counter, int[] key) {
        return block(counter, key, 10);
    }

    /** Checks 0 &lt;= step &lt; 2^32 and returns it as the 32-bit counter word. */
    public static int stepWord(long step) {
        if (step < 0 || step > MASK) {
            throw new IllegalArgumentException("bad step " + step + ": the RNG step must be in [0, 2^32)");
        }
        return (int) step;
    }

    /**
     * The 64-bit random word of element {@code index} (unsigned) of stream {@code stream} at step {@code step}
     * under {@code seed} (see the class javadoc and docs/rng.md).
     */
    public static long word(long seed, int stream, long step, long index) {
        int c0 = (int) (index >>> 1), c1 = (int) (index >>> 33), c2 = stream, c3 = stepWord(step);
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        for (int r = 0; r < 10; r++) {
            if (r > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = 0xD2511F53L * (c0 & MASK);
            long p1 = 0xCD9E8D57L * (c2 & MASK);
            c0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            c1 = (int) p1;
            c2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c3 = (int) p0;
        }
        return (index & 1) == 0 ? ((long) c1 << 32) | (c0 & MASK) : ((long) c3 << 32) | (c2 & MASK);
    }

    /** Blocks per vectorised batch. */
    private static final int VB = 512;

    /** 16-bit halves of the multipliers, for {@link #half}. */
    private static final int M0L = M0 & 0xFFFF, M0H = M0 >>> 16, M1L = M1 & 0xFFFF, M1H = M1 >>> 16;

    /**
     * Per-thread scratch for {@link #fill}: the four 32-bit counter lanes of VB blocks (current and next
     * round) and the 2*VB words.
     */
    private static final class Scratch {
        final int[] c0 = new int[VB], c1 = new int[VB], c2 = new int[VB], c3 = new int[VB];
        final int[] d0 = new int[VB], d1 = new int[VB], d2 = new int[VB], d3 = new int[VB];
        final long[] words = new long[2 * VB];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * One half of a round: hiOut = mulhi(m, x) ^ y ^ k, loOut = m * x (mod 2^32), with m = mh * 2^16 + ml, in int
     * arithmetic only (so that C2 vectorises it without 64-bit vector multiplies, which x86 has only with
     * AVX-512). mulhi(m, x) is the high 32 bits of the unsigned 64-bit product: with x = xh * 2^16 + xl,
     * x * m = xh*mh * 2^32 + (xh*ml + xl*mh) * 2^16 + xl*ml, each partial product below 2^32 (read unsigned with
     * >>>); the carry into bit 32 is that of xl*ml / 2^16 + the low halves of the two middle products (a sum
     * below 3 * 2^16).
     */
    static void half(int[] x, int[] y, int[] hiOut, int[] loOut, int n, int m, int ml, int mh, int k) {
        for (int j = 0; j < n; j++) {
            int v = x[j];
            int xl = v & 0xFFFF, xh = v >>> 16;
            int ll = xl * ml, lh = xl * mh, hl = xh * ml, hh = xh * mh;
            int mid = (ll >>> 16) + (lh & 0xFFFF) + (hl & 0xFFFF);
            hiOut[j] = (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) ^ y[j] ^ k;
            loOut[j] = v * m;
        }
    }

    /**
     * Fills {@code out[off .. off+len)} with the words of elements {@code start .. start+len)} (same values as
     * {@link #word}); {@code step} must already be a valid 32-bit step word ({@link #stepWord}). The rounds run
     * over int arrays of counters (structure of arrays), one short loop per operation so that the JIT
     * vectorises each: per round c0' = mulhi(M1, c2) ^ c1 ^ k0, c1' = M1 * c2, c2' = mulhi(M0, c0) ^ c3 ^ k1,
     * c3' = M0 * c0 (mod 2^32).
     */
    public static void fill(long seed, int stream, int step, long start, long[] out, int off, int len) {
        if (len <= 0) {
            return;
        }
        Scratch sc = SCRATCH.get();
        long[] wb = sc.words;
        final int k0s = (int) seed, k1s = (int) (seed >>> 32);
        long idx = start;
        int done = 0;
        while (done < len) {
            long firstBlock = idx >>> 1;
            int skip = (int) (idx & 1);
            int want = Math.min(len - done, 2 * VB - skip);
            int nb = (skip + want + 1) >>> 1;
            int[] c0 = sc.c0, c1 = sc.c1, c2 = sc.c2, c3 = sc.c3;
            int[] d0 = sc.d0, d1 = sc.d1, d2 = sc.d2, d3 = sc.d3;
            for (int j = 0; j < nb; j++) {
                long b = firstBlock + j;
                c0[j] = (int) b;
                c1[j] = (int) (b >>> 32);
                c2[j] = stream;
                c3[j] = step;
            }
            int k0 = k0s, k1 = k1s;
            for (int r = 0; r < 10; r++) {
                half(c2, c1, d0, d1, nb, M1, M1L, M1H, k0);
                half(c0, c3, d2, d3, nb, M0, M0L, M0H, k1);
                int[] t = c0; c0 = d0; d0 = t;
                t = c1; c1 = d1; d1 = t;
                t = c2; c2 = d2; d2 = t;
                t = c3; c3 = d3; d3 = t;
                k0 += W0;
                k1 += W1;
            }
            for (int j = 0; j < nb; j++) {
                wb[2 * j] = ((long) c1[j] << 32) | (c0[j] & MASK);
                wb[2 * j + 1] = ((long) c3[j] << 32) | (c2[j] & MASK);
            }
            System.arraycopy(wb, skip, out, off + done, want);
            done += want;
            idx += want;
        }
    }
}
