package lowp.quant;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact checks of stochastic rounding, for any quantizer: the decision is a function of the 64-bit word, so
 * probabilities are counts of words, computed exactly (threshold search for sr, enumeration of the top N bits
 * for srN and of the sign bit for sr-equal). Plus a rigorous binomial bound for frequency tests.
 */
final class SrExact {
    static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);

    private SrExact() {
    }

    interface Decision {
        /** Whether the word leads to the upper (larger magnitude) neighbour. */
        boolean up(long word);
    }

    /** The number T of words U (unsigned) with up(U), assuming up(U) iff U &lt; T; verifies the boundary. */
    static BigInteger threshold(Decision d) {
        // binary search for the first unsigned U with !up(U)
        BigInteger lo = BigInteger.ZERO, hi = TWO64; // answer in [lo, hi]
        while (lo.compareTo(hi) < 0) {
            BigInteger mid = lo.add(hi).shiftRight(1);
            if (d.up(mid.longValue())) {
                lo = mid.add(BigInteger.ONE);
            } else {
                hi = mid;
            }
        }
        BigInteger t = lo;
        if (t.signum() > 0) assertTrue(d.up(t.subtract(BigInteger.ONE).longValue()), "up just below threshold");
        if (t.compareTo(TWO64) < 0) assertFalse(d.up(t.longValue()));
        // monotonicity spot checks
        java.util.Random r = new java.util.Random(t.longValue());
        for (int i = 0; i < 64; i++) {
            long u = r.nextLong();
            boolean want = BigInteger.valueOf(u).and(TWO64.subtract(BigInteger.ONE)).compareTo(t) < 0;
            assertEquals(want, d.up(u), "decision not a threshold at word " + Long.toUnsignedString(u));
        }
        return t;
    }

    private static void assertFalse(boolean b) {
        assertTrue(!b, "not up at threshold");
    }

    /** ceil(f * 2^64) for 0 &lt;= f &lt; 1 given exactly. */
    static BigInteger ceilScaled(BigDecimal f) {
        BigDecimal s = f.multiply(new BigDecimal(TWO64));
        BigInteger fl = s.setScale(0, java.math.RoundingMode.FLOOR).toBigIntegerExact();
        return s.compareTo(new BigDecimal(fl)) == 0 ? fl : fl.add(BigInteger.ONE);
    }

    /** Number of top-N-bit values u in [0, 2^N) whose word (u &lt;&lt; 64-N | low) rounds up; checks low bits irrelevant. */
    static int countTopBits(Decision d, int n, long lowSeed) {
        java.util.Random r = new java.util.Random(lowSeed);
        int c = 0;
        for (long u = 0; u < (1L << n); u++) {
            long low = n == 64 ? 0 : r.nextLong() >>> n;
            boolean a = d.up((u << (64 - n)) | low);
            boolean b = d.up(u << (64 - n));
            assertEquals(a, b, "srN decision depends on bits below the top " + n);
            if (a) c++;
        }
        return c;
    }

    /** Relative entropy KL(a || p) of Bernoulli distributions, in nats. */
    static double kl(double a, double p) {
        double t1 = a == 0 ? 0 : a * Math.log(a / p);
        double t2 = a == 1 ? 0 : (1 - a) * Math.log((1 - a) / (1 - p));
        return t1 + t2;
    }

    /**
     * Acceptance interval [lo, hi] for K ~ Binomial(n, p) with false-failure probability at most {@code alpha}:
     * by the Chernoff bound P(K &gt;= k) &lt;= exp(-n KL(k/n || p)) for k &gt;= np (and symmetrically below), each
     * tail is given alpha/2. (A margin of one count absorbs rounding in the double evaluation of the bound.)
     */
    static long[] interval(long n, double p, double alpha) {
        double lim = Math.log(2 / alpha);
        long mean = (long) Math.floor(n * p);
        long hi = mean;
        while (hi < n && n * kl((double) hi / n, p) < lim) hi++;
        long lo = mean;
        while (lo > 0 && n * kl((double) lo / n, p) < lim) lo--;
        return new long[] {Math.max(0, lo - 1), Math.min(n, hi + 1)};
    }

    /**
     * Exact binomial acceptance interval [lo, hi] for K ~ Binomial(n, p): lo is the largest k with
     * P(K &lt; k) &lt;= alpha/2 and hi the smallest k with P(K &gt; k) &lt;= alpha/2, so P(K outside [lo, hi]) &lt;= alpha.
     * The pmf is computed by the exact recursion pmf(k+1) = pmf(k) (n-k) p / ((k+1)(1-p)) from pmf(0) = (1-p)^n in
     * 40-digit BigDecimal arithmetic (relative error below n 10^-38, far below the 10^-20 margin taken off
     * alpha/2), p given exactly.
     */
    static long[] exactInterval(int n, BigDecimal p, double alpha) {
        MathContext mc = new MathContext(40);
        if (p.signum() <= 0 || p.compareTo(BigDecimal.ONE) >= 0) {
            throw new IllegalArgumentException("p must be in (0, 1): " + p);
        }
        BigDecimal q = BigDecimal.ONE.subtract(p);
        BigDecimal ratio = p.divide(q, mc);
        BigDecimal[] pmf = new BigDecimal[n + 1];
        pmf[0] = q.pow(n, mc);
        for (int k = 0; k < n; k++) {
            pmf[k + 1] = pmf[k].multiply(ratio, mc).multiply(BigDecimal.valueOf(n - k), mc)
                    .divide(BigDecimal.valueOf(k + 1), mc);
        }
        BigDecimal half = new BigDecimal(alpha).divide(BigDecimal.valueOf(2), mc)
                .multiply(BigDecimal.ONE.subtract(new BigDecimal("1e-20")), mc);
        BigDecimal total = BigDecimal.ZERO;
        for (BigDecimal v : pmf) total = total.add(v, mc);
        assertTrue(total.subtract(BigDecimal.ONE).abs().compareTo(new BigDecimal("1e-30")) < 0, "pmf sums to " + total);
        long lo = 0;
        BigDecimal below = BigDecimal.ZERO; // P(K < lo + 1) after adding pmf[lo]
        while (lo < n && below.add(pmf[(int) lo], mc).compareTo(half) <= 0) {
            below = below.add(pmf[(int) lo], mc);
            lo++;
        }
        long hi = n;
        BigDecimal above = BigDecimal.ZERO;
        while (hi > 0 && above.add(pmf[(int) hi], mc).compareTo(half) <= 0) {
            above = above.add(pmf[(int) hi], mc);
            hi--;
        }
        return new long[] {lo, hi};
    }

    static BigDecimal bd(double x) {
        return new BigDecimal(x);
    }

    static final MathContext MC = MathContext.UNLIMITED;
}
