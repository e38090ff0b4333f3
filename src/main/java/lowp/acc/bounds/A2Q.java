package lowp.acc.bounds;

import java.math.BigInteger;

/**
 * Accumulator-width guarantees of A2Q / A2Q+ (Colbert, Pappalardo, Petri-Koenig; formulas as implemented
 * in Xilinx/brevitas, research/accumulators.md §4.2). Notation: K-term dot product, inputs x with N bits
 * (signed or unsigned), weights w with M signed bits, a P-bit signed accumulator.
 */
public final class A2Q {
    private A2Q() {
    }

    /**
     * Data-type bound: alpha = log2(K) + N + M - 1 - [x signed], P_min = ceil(alpha + log2(1 + 2^-alpha) + 1).
     * Computed exactly in integers: with T = 2^alpha = K·2^(N+M-1-[x signed]) (an integer, N, M &gt;= 1),
     * P_min = ceil(log2(T + 1)) + 1 = bitLength(T) + 1 (for an integer T &gt;= 1, 2^(b-1) &lt;= T &lt; T + 1 &lt;= 2^b
     * with b = bitLength(T)), so no floating-point log2 can round across an integer for K near a power of two.
     */
    public static int minBits(long k, int n, int m, boolean signedX) {
        if (k < 1 || n < 1 || m < 1) {
            throw new IllegalArgumentException("K, N, M must be >= 1");
        }
        return BigInteger.valueOf(k).shiftLeft(n + m - 1 - (signedX ? 1 : 0)).bitLength() + 1;
    }

    /**
     * Weight-level bound: alpha = log2(||w||_1) + N - [x signed], P_min = ceil(alpha + log2(1 + 2^-alpha) + 1),
     * exactly bitLength(||w||_1 · 2^(N - [x signed])) + 1 (as {@link #minBits}).
     */
    public static int minBitsForL1(BigInteger l1, int n, boolean signedX) {
        if (l1.signum() <= 0) {
            return 1;
        }
        if (n < 1) {
            throw new IllegalArgumentException("N must be >= 1");
        }
        return l1.shiftLeft(n - (signedX ? 1 : 0)).bitLength() + 1;
    }

    /** A2Q constraint: ||w||_1 &lt;= (2^(P-1) - 1) * 2^([x signed] - N). Returned as a double (exact for P &lt; 54). */
    public static double maxL1(int p, int n, boolean signedX) {
        return ((double) ((1L << (p - 1)) - 1)) * Math.scalb(1.0, (signedX ? 1 : 0) - n);
    }

    /** A2Q+ zero-centred constraint (unsigned x in [0, 2^N - 1], sum w = 0): ||w||_1 &lt;= (2^P - 2) / (2^N - 1). */
    public static double maxL1ZeroCentred(int p, int n) {
        return (double) ((1L << p) - 2) / (double) ((1L << n) - 1);
    }

    /**
     * Checker (a): whether the A2Q inequality holds for these integer weights, i.e. every prefix sum of any
     * order fits in P bits, so a saturating accumulator must return the exact sum.
     */
    public static boolean guarantees(long[] w, int p, int n, boolean signedX) {
        BigInteger l1 = BigInteger.ZERO;
        for (long v : w) {
            l1 = l1.add(BigInteger.valueOf(Math.abs(v)));
        }
        // ||w||_1 <= (2^(P-1)-1) * 2^(s-N)  <=>  ||w||_1 * 2^(N-s) <= 2^(P-1)-1 (exact integer comparison)
        int sh = n - (signedX ? 1 : 0);
        BigInteger lhs = sh >= 0 ? l1.shiftLeft(sh) : l1.shiftRight(-sh);
        return lhs.compareTo(BigInteger.ONE.shiftLeft(p - 1).subtract(BigInteger.ONE)) <= 0;
    }

}
