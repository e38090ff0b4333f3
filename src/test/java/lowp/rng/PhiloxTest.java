package lowp.rng;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PhiloxTest {
    /*
     * Known-answer vectors of the Random123 distribution (D. E. Shaw Research, file examples/kat_vectors,
     * lines "philox4x32 7 ..." and "philox4x32 10 ..."; columns: name, rounds, counter[4], key[2], output[4],
     * all hex uint32). The same lines are reproduced in TensorFlow's stateless-random Philox tests.
     */
    private static final long[][] KAT10 = {
        {0x00000000L, 0x00000000L, 0x00000000L, 0x00000000L, 0x00000000L, 0x00000000L,
            0x6627e8d5L, 0xe169c58dL, 0xbc57ac4cL, 0x9b00dbd8L},
        {0xffffffffL, 0xffffffffL, 0xffffffffL, 0xffffffffL, 0xffffffffL, 0xffffffffL,
            0x408f276dL, 0x41c83b0eL, 0xa20bc7c6L, 0x6d5451fdL},
        {0x243f6a88L, 0x85a308d3L, 0x13198a2eL, 0x03707344L, 0xa4093822L, 0x299f31d0L,
            0xd16cfe09L, 0x94fdccebL, 0x5001e420L, 0x24126ea1L},
    };
    private static final long[][] KAT7 = {
        {0x00000000L, 0x00000000L, 0x00000000L, 0x00000000L, 0x00000000L, 0x00000000L,
            0x5f6fb709L, 0x0d893f64L, 0x4f121f81L, 0x4f730a48L},
        {0xffffffffL, 0xffffffffL, 0xffffffffL, 0xffffffffL, 0xffffffffL, 0xffffffffL,
            0x5207ddc2L, 0x45165e59L, 0x4d8ee751L, 0x8c52f662L},
        {0x243f6a88L, 0x85a308d3L, 0x13198a2eL, 0x03707344L, 0xa4093822L, 0x299f31d0L,
            0x4dfccabaL, 0x190a87f0L, 0xc47362baL, 0xb6b5242aL},
    };

    private static void checkKat(long[][] kat, int rounds) {
        for (long[] v : kat) {
            int[] ctr = {(int) v[0], (int) v[1], (int) v[2], (int) v[3]};
            int[] key = {(int) v[4], (int) v[5]};
            int[] want = {(int) v[6], (int) v[7], (int) v[8], (int) v[9]};
            assertArrayEquals(want, Philox.block(ctr, key, rounds));
        }
    }

    @Test
    void random123KnownAnswers10Rounds() {
        checkKat(KAT10, 10);
        for (long[] v : KAT10) {
            int[] ctr = {(int) v[0], (int) v[1], (int) v[2], (int) v[3]};
            int[] key = {(int) v[4], (int) v[5]};
            assertArrayEquals(Philox.block(ctr, key, 10), Philox.block(ctr, key));
        }
    }

    @Test
    void random123KnownAnswers7Rounds() {
        checkKat(KAT7, 7);
    }

    /** Mapping of docs/rng.md on the all-zero KAT: seed 0, stream 0, step 0, elements 0 and 1. */
    @Test
    void wordMappingOnZeroVector() {
        // counter (0,0,0,0), key (0,0) -> (6627e8d5, e169c58d, bc57ac4c, 9b00dbd8)
        assertEquals(0xe169c58d_6627e8d5L, Philox.word(0, 0, 0, 0));
        assertEquals(0x9b00dbd8_bc57ac4cL, Philox.word(0, 0, 0, 1));
    }

    /** The counter/key layout of docs/rng.md, checked against the KAT-verified block function. */
    @Property(tries = 300)
    void wordMatchesSpecifiedLayout(@ForAll long seed, @ForAll int stream,
                                    @ForAll @LongRange(min = 0, max = 0xFFFFFFFFL) long step, @ForAll long index) {
        long block = index >>> 1;
        int[] ctr = {(int) block, (int) (block >>> 32), stream, (int) step};
        int[] key = {(int) seed, (int) (seed >>> 32)};
        int[] x = Philox.block(ctr, key);
        long want = (index & 1) == 0
                ? ((long) x[1] << 32) | (x[0] & 0xFFFFFFFFL)
                : ((long) x[3] << 32) | (x[2] & 0xFFFFFFFFL);
        assertEquals(want, Philox.word(seed, stream, step, index));
    }

    @Property(tries = 200)
    void fillEqualsWord(@ForAll long seed, @ForAll int stream, @ForAll @IntRange(min = 0) int step,
                        @ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 100) long start,
                        @ForAll @IntRange(min = 0, max = 37) int len, @ForAll @IntRange(min = 0, max = 3) int off) {
        long[] out = new long[off + len + 2];
        Philox.fill(seed, stream, step, start, out, off, len);
        for (int i = 0; i < len; i++) {
            assertEquals(Philox.word(seed, stream, step, start + i), out[off + i], "element " + i);
        }
        assertEquals(0, out[off + len]);
    }

    /** Batches of 512 words: fills that start at odd indices and cross several batches. */
    @Property(tries = 20)
    void longFillEqualsWord(@ForAll long seed, @ForAll int stream, @ForAll @IntRange(min = 0) int step,
                            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE - 5000) long start,
                            @ForAll @IntRange(min = 500, max = 2100) int len) {
        long[] out = new long[len];
        Philox.fill(seed, stream, step, start, out, 0, len);
        for (int i = 0; i < len; i++) {
            assertEquals(Philox.word(seed, stream, step, start + i), out[i], "element " + i);
        }
    }

    /**
     * The int-only half round of {@code fill} (high and low product) against 64-bit arithmetic, for both multipliers: the corner
     * values of the 16-bit halves (0, 1, 0x7FFF, 0x8000, 0xFFFF in each half) and 10^6 random values.
     */
    @Test
    void mulhiEqualsLongProduct() {
        int[] halves = {0, 1, 0x7FFF, 0x8000, 0xFFFF};
        int n = halves.length * halves.length + 1_000_000;
        int[] x = new int[n];
        int q = 0;
        for (int h : halves) for (int l : halves) x[q++] = (h << 16) | l;
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        while (q < n) x[q++] = r.nextInt();
        int[] hi = new int[n];
        int[] lo = new int[n];
        int[] y = new int[n]; // zeros, and k = 0: hiOut is the high product itself
        for (long m : new long[] {0xD2511F53L, 0xCD9E8D57L}) {
            Philox.half(x, y, hi, lo, n, (int) m, (int) (m & 0xFFFF), (int) (m >>> 16), 0);
            for (int i = 0; i < n; i++) {
                long p = m * (x[i] & 0xFFFFFFFFL);
                assertEquals((int) (p >>> 32), hi[i], Integer.toHexString(x[i]));
                assertEquals((int) p, lo[i], Integer.toHexString(x[i]));
            }
        }
    }

    /**
     * An independent, straightforward Philox4x32-10 written from the Random123 specification (Salmon et al., SC'11,
     * and Random123's philox.h): 32-bit lanes in longs, round (c0,c1,c2,c3) -&gt; (hi(M1 c2) ^ c1 ^ k0, lo(M1 c2),
     * hi(M0 c0) ^ c3 ^ k1, lo(M0 c0)), the key bumped by the Weyl constants between rounds. No lowp code.
     */
    static long[] specPhilox(long[] ctr, long[] key, int rounds) {
        final long m0 = 0xD2511F53L, m1 = 0xCD9E8D57L, w0 = 0x9E3779B9L, w1 = 0xBB67AE85L, mask = 0xFFFFFFFFL;
        long c0 = ctr[0] & mask, c1 = ctr[1] & mask, c2 = ctr[2] & mask, c3 = ctr[3] & mask;
        long k0 = key[0] & mask, k1 = key[1] & mask;
        for (int r = 0; r < rounds; r++) {
            if (r > 0) {
                k0 = (k0 + w0) & mask;
                k1 = (k1 + w1) & mask;
            }
            long p0 = m0 * c0, p1 = m1 * c2; // < 2^64 as unsigned; the high half by an unsigned shift
            long n0 = ((p1 >>> 32) ^ c1 ^ k0) & mask, n1 = p1 & mask;
            long n2 = ((p0 >>> 32) ^ c3 ^ k1) & mask, n3 = p0 & mask;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
        }
        return new long[] {c0, c1, c2, c3};
    }

    /** docs/rng.md section 2 on top of {@link #specPhilox}: counter (index&gt;&gt;1, stream, step), key = seed. */
    static long specWord(long seed, int stream, long step, long index) {
        long block = index >>> 1;
        long[] x = specPhilox(new long[] {block, block >>> 32, stream, step}, new long[] {seed, seed >>> 32}, 10);
        return (index & 1) == 0 ? (x[1] << 32) | x[0] : (x[3] << 32) | x[2];
    }

    /** The independent implementation reproduces the published Random123 known answers (10 and 7 rounds). */
    @Test
    void specImplementationReproducesTheKnownAnswers() {
        for (int t = 0; t < 2; t++) {
            long[][] kat = t == 0 ? KAT10 : KAT7;
            for (long[] row : kat) {
                long[] got = specPhilox(new long[] {row[0], row[1], row[2], row[3]}, new long[] {row[4], row[5]},
                        t == 0 ? 10 : 7);
                assertArrayEquals(new long[] {row[6], row[7], row[8], row[9]}, got);
            }
        }
    }

    /**
     * Golden words listed in docs/rng.md for GPU re-implementations. Rows 3 onwards go beyond the published
     * vectors, so each literal is also produced by the independent {@link #specPhilox} (checked against the
     * Random123 KATs above) with the docs/rng.md mapping, not only by the code under test.
     */
    @Test
    void goldenWordsOfDocs() {
        Object[][] rows = {
            {0L, 0, 0L, 2L, 0x5cb200dbf8e4cca4L},
            {0L, 7, 42L, 0L, 0x1fa962dde7e0c525L},
            {0x0123456789abcdefL, 7, 42L, 0L, 0x08836a3f70ed9693L},
            {-1L, 7, 42L, 1L, 0x081ace16530c1e88L},
            {0x0123456789abcdefL, -1, 0xFFFFFFFFL, 1000001L, 0x307b2a74a222c82eL},
            {0x0123456789abcdefL, 3, 5L, -1L, 0x746fe57d0f43e646L},
        };
        for (Object[] r : rows) {
            long seed = (Long) r[0], step = (Long) r[2], index = (Long) r[3], want = (Long) r[4];
            int stream = (Integer) r[1];
            assertEquals(want, specWord(seed, stream, step, index), "independent Philox for row " + Arrays.toString(r));
            assertEquals(want, Philox.word(seed, stream, step, index), "lowp Philox for row " + Arrays.toString(r));
        }
    }

    /** The word mapping against the independent implementation on random keys and indices. */
    @Property(tries = 300)
    void wordMatchesTheIndependentImplementation(@ForAll long seed, @ForAll int stream,
                                                 @ForAll @LongRange(min = 0, max = 0xFFFFFFFFL) long step,
                                                 @ForAll long index) {
        assertEquals(specWord(seed, stream, step, index), Philox.word(seed, stream, step, index));
    }

    @Test
    void stepOutOfRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Philox.word(1, 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Philox.word(1, 0, 1L << 32, 0));
        // the largest step 2^32 - 1 is accepted and is c3 = 0xFFFFFFFF of the docs/rng.md mapping: index 5 is
        // block 2, lane 1 -> counter (2, 0, stream 0, 0xFFFFFFFF), key (lo32 seed = 1, hi32 = 0), word x3:x2
        int[] x = Philox.block(new int[] {2, 0, 0, 0xFFFFFFFF}, new int[] {1, 0});
        long want = ((long) x[3] << 32) | (x[2] & 0xFFFFFFFFL);
        assertEquals(want, Philox.word(1, 0, 0xFFFFFFFFL, 5));
        assertNotEquals(Philox.word(1, 0, 0, 5), Philox.word(1, 0, 0xFFFFFFFFL, 5));
    }
}
