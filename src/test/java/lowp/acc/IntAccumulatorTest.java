package lowp.acc;

import lowp.acc.bounds.A2Q;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntAccumulatorTest {

    static long wrapRef(BigInteger v, int p) {
        BigInteger m = BigInteger.ONE.shiftLeft(p);
        BigInteger h = BigInteger.ONE.shiftLeft(p - 1);
        return v.add(h).mod(m).subtract(h).longValueExact();
    }

    /** Saturation reference: clamp after every group in increasing K, written with BigInteger. */
    static long satRef(long[] x, long[] y, long c, int p, int g) {
        BigInteger lo = BigInteger.ONE.shiftLeft(p - 1).negate();
        BigInteger hi = BigInteger.ONE.shiftLeft(p - 1).subtract(BigInteger.ONE);
        BigInteger acc = BigInteger.valueOf(c);
        for (int k0 = 0; k0 < x.length; k0 += g) {
            BigInteger s = BigInteger.ZERO;
            for (int i = k0; i < Math.min(x.length, k0 + g); i++) {
                s = s.add(BigInteger.valueOf(x[i]).multiply(BigInteger.valueOf(y[i])));
            }
            acc = acc.add(s).max(lo).min(hi);
        }
        return acc.longValueExact();
    }

    @Property(tries = 300)
    void wrapEqualsWrappedExactSumInAnyOrder(@ForAll @Size(max = 40) List<@IntRange(min = -128, max = 127) Integer> xs,
                                            @ForAll @IntRange(min = 2, max = 40) int p, @ForAll long seed) {
        int n = xs.size();
        long[] x = new long[n];
        long[] y = new long[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            x[i] = xs.get(i);
            y[i] = r.nextInt(256) - 128;
        }
        IntAccumulator acc = new IntAccumulator(p, IntAccumulator.Overflow.WRAP, 1 + r.nextInt(4));
        IntAccumulator.Result res = acc.dotDetailed(x, y, 0);
        assertEquals(wrapRef(res.exact, p), acc.dot(x, y, 0));
        assertEquals(res.value, acc.dot(x, y, 0));
        // reversed order: same value (modular addition is order-independent)
        long[] xr = new long[n];
        long[] yr = new long[n];
        for (int i = 0; i < n; i++) {
            xr[i] = x[n - 1 - i];
            yr[i] = y[n - 1 - i];
        }
        assertEquals(acc.dot(x, y, 0), acc.dot(xr, yr, 0));
    }

    @Property(tries = 300)
    void saturationMatchesStepwiseReference(@ForAll @Size(max = 40) List<@IntRange(min = -128, max = 255) Integer> xs,
                                            @ForAll @IntRange(min = 8, max = 24) int p,
                                            @ForAll @IntRange(min = 1, max = 4) int g, @ForAll long seed) {
        int n = xs.size();
        long[] x = new long[n];
        long[] y = new long[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            x[i] = xs.get(i);
            y[i] = r.nextInt(256) - 128;
        }
        IntAccumulator acc = new IntAccumulator(p, IntAccumulator.Overflow.SATURATE, g);
        assertEquals(satRef(x, y, 0, p, g), acc.dot(x, y, 0));
    }

    @Test
    void saturationIsOrderDependent() {
        // int16 saturating, products 16129 = 127*127: 16129 + 16129 = 32258, + 16129 = 48387 clamps to 32767,
        // - 16129 gives 16638. Other order: 16129 - 16129 + 16129 + 16129 = 32258 (exact, no clamp).
        IntAccumulator s16 = new IntAccumulator(16, IntAccumulator.Overflow.SATURATE, 1);
        long[] x = {127, 127, 127, 127};
        assertEquals(16638, s16.dot(x, new long[] {127, 127, 127, -127}, 0));
        assertEquals(32258, s16.dot(x, new long[] {127, -127, 127, 127}, 0));
        IntAccumulator.Result res = s16.dotDetailed(x, new long[] {127, 127, 127, -127}, 0);
        assertEquals(2, res.firstOverflowGroup);
        // wrap gives the exact result whenever the final sum fits: 32258 in both orders
        IntAccumulator w16 = new IntAccumulator(16, IntAccumulator.Overflow.WRAP, 1);
        assertEquals(32258, w16.dot(x, new long[] {127, 127, 127, -127}, 0));
        assertEquals(32258, w16.dot(x, new long[] {127, -127, 127, 127}, 0));
        // int32 wrap of 2^31: (-128)*(-128) * 131072 = 2^31 wraps to -2^31
        long[] a = new long[131072];
        java.util.Arrays.fill(a, -128);
        assertEquals(Integer.MIN_VALUE, IntAccumulator.int32Wrap().dot(a, a, 0));
        assertEquals(Integer.MAX_VALUE, new IntAccumulator(32, IntAccumulator.Overflow.SATURATE, 4).dot(a, a, 0));
    }

    @Test
    void a2qDataTypeBound() {
        // research §4.2 example: int8 x int8, K = 4096: alpha = 26, P_min = 28; worst case 4096*(-128)^2 = 2^26
        assertEquals(28, A2Q.minBits(4096, 8, 8, true));
        // unsigned 8-bit x with signed 8-bit w, K = 1: alpha = 0 + 8 + 8 - 1 = 15 -> 17 (max 255*128 = 32640 fits
        // in 17 bits but not 16: 2^15 - 1 = 32767 >= 32640 would fit 16 bits, the bound is conservative by design)
        assertEquals(17, A2Q.minBits(1, 8, 8, false));
        // alpha non-integer: K = 3, N = M = 4 signed: alpha = log2 3 + 6 = 7.585 -> ceil(8.585 + 0.0072) = 9
        assertEquals(9, A2Q.minBits(3, 4, 4, true));
    }

    /**
     * K near powers of two, where a floating-point log2 rounds across an integer: N = M = 1 with signed x gives
     * alpha = log2 K, so P_min = ceil(log2(K + 1)) + 1: K = 2^j - 1 -> j + 1; K = 2^j and 2^j + 1 -> j + 2.
     * (log2(2^53 - 1) evaluates to 53.0 in binary64, which would give 55 instead of 54.)
     */
    @Test
    void a2qMinBitsExactNearPowersOfTwo() {
        for (int j = 1; j <= 62; j++) {
            long pow = 1L << j;
            assertEquals(j + 1, A2Q.minBits(pow - 1, 1, 1, true), "K = 2^" + j + " - 1");
            assertEquals(j + 2, A2Q.minBits(pow, 1, 1, true), "K = 2^" + j);
            assertEquals(j + 2, A2Q.minBits(pow + 1, 1, 1, true), "K = 2^" + j + " + 1");
            // the weight-level form with ||w||_1 = K and N = 1 signed is the same number
            assertEquals(j + 1, A2Q.minBitsForL1(java.math.BigInteger.valueOf(pow - 1), 1, true));
            assertEquals(j + 2, A2Q.minBitsForL1(java.math.BigInteger.valueOf(pow + 1), 1, true));
        }
        // beyond long: K = 2^62, N = M = 8 signed: alpha = 62 + 14 = 76 -> 78
        assertEquals(78, A2Q.minBits(1L << 62, 8, 8, true));
    }

    @Test
    void a2qMinBitsSufficeForTheWorstCase() {
        for (int k = 1; k <= 70; k++) {
            for (int n = 2; n <= 8; n++) {
                for (int m = 2; m <= 8; m++) {
                    for (boolean signed : new boolean[] {true, false}) {
                        int p = A2Q.minBits(k, n, m, signed);
                        long maxX = signed ? 1L << (n - 1) : (1L << n) - 1;
                        long maxW = 1L << (m - 1);
                        // the largest sum: K·max|x|·max|w|, attained (x = -2^(N-1) or 2^N - 1, w = -2^(M-1) with
                        // the sign making the product positive); the negative extreme is smaller in magnitude
                        long worst = k * maxX * maxW;
                        String what = "K=" + k + " N=" + n + " M=" + m + (signed ? " signed" : " unsigned") + " P=" + p;
                        assertTrue(worst <= (1L << (p - 1)) - 1, what + ": worst sum " + worst + " does not fit");
                        // exact minimum width: smallest P with worst <= 2^(P-1) - 1
                        int exact = 64 - Long.numberOfLeadingZeros(worst) + 1;
                        if (signed) {
                            // 2^alpha = K·2^(N+M-2) is the worst sum itself: the bound is tight
                            assertEquals(exact, p, what);
                        } else {
                            // 2^alpha = K·2^(N+M-1) < 2·worst: at most one bit more than needed
                            assertTrue(p == exact || p == exact + 1, what + " exact=" + exact);
                        }
                    }
                }
            }
        }
    }

    @Property(tries = 200)
    void a2qGuaranteeMeansSaturationIsExact(@ForAll @Size(min = 1, max = 64) List<@IntRange(min = -20, max = 20) Integer> ws,
                                            @ForAll long seed) {
        int n = 8;
        long[] w = ws.stream().mapToLong(Integer::longValue).toArray();
        long l1 = 0;
        for (long v : w) l1 += Math.abs(v);
        // smallest P the A2Q constraint accepts for these weights and signed 8-bit inputs
        int p = 2;
        while (!A2Q.guarantees(w, p, n, true)) p++;
        assertTrue(A2Q.maxL1(p, n, true) >= l1);
        Random r = new Random(seed);
        long[] x = new long[w.length];
        for (int i = 0; i < x.length; i++) x[i] = r.nextBoolean() ? -128 : r.nextInt(256) - 128;
        IntAccumulator sat = new IntAccumulator(p, IntAccumulator.Overflow.SATURATE, 1);
        IntAccumulator.Result res = sat.dotDetailed(x, w, 0);
        assertEquals(-1, res.firstOverflowGroup);
        assertEquals(res.exact.longValueExact(), res.value);
        if (p > 3) {
            assertFalse(A2Q.guarantees(w, p - 1, n, true));
        }
    }

    @Test
    void a2qPlusZeroCentred() {
        // (2^P - 2)/(2^N - 1): P = 16, N = 8 -> 65534/255 = 257 (exact division 256.996..)
        assertEquals(65534.0 / 255.0, A2Q.maxL1ZeroCentred(16, 8));
        assertEquals((Math.pow(2, 15) - 1) * Math.pow(2, 1 - 8), A2Q.maxL1(16, 8, true));
    }

    @Test
    void gemmIsDeterministicAcrossThreads() {
        Random r = new Random(3);
        int m = 9, n = 7, k = 300;
        long[] a = new long[m * k];
        long[] b = new long[k * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextInt(256) - 128;
        for (int i = 0; i < b.length; i++) b[i] = r.nextInt(256) - 128;
        IntAccumulator sat = new IntAccumulator(16, IntAccumulator.Overflow.SATURATE, 2);
        long[] d1 = sat.gemm(m, n, k, a, b, null, 1);
        long[] d3 = sat.gemm(m, n, k, a, b, null, 3);
        org.junit.jupiter.api.Assertions.assertArrayEquals(d1, d3);
        long[] col = new long[k];
        for (int q = 0; q < k; q++) col[q] = b[q * n + 4];
        assertEquals(satRef(java.util.Arrays.copyOfRange(a, 2 * k, 3 * k), col, 0, 16, 2), d1[2 * n + 4]);
    }
}
