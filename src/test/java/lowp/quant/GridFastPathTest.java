package lowp.quant;

import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GridQuantizer's long-arithmetic fast path ({@code chooseFast}) against its BigDecimal path ({@code chooseExact})
 * on random grids (narrow and wide exponent spreads, dyadic points with exact ties, non-dyadic points, both sides
 * of zero), inputs at and next to midpoints and grid points, and random words at and next to the exact sr / srN
 * thresholds (computed here with BigInteger). The fast path must agree wherever it answers, must answer in most
 * cases (else the test would be vacuous), and {@code encode} must give the BigDecimal path's index.
 */
class GridFastPathTest {
    static final String[] ROUNDINGS = {"rne", "rna", "rtz", "rup", "rdn", "rto", "sr", "sr-equal", "sr1", "sr2",
        "sr8", "sr13", "sr31", "sr53", "sr62"};

    static double[] randomGrid(SplittableRandom r, boolean extreme) {
        double[] p;
        do {
            p = randomPoints(r, extreme);
        } while (Arrays.stream(p).map(v -> v == 0 ? 0.0 : v).distinct().count() < 2);
        return p;
    }

    static double[] randomPoints(SplittableRandom r, boolean extreme) {
        int n = 2 + r.nextInt(30);
        int spread = extreme ? 300 : new int[] {0, 2, 8, 20, 70, 0, 4}[r.nextInt(7)];
        int base = r.nextInt(60) - 30;
        int mbits = new int[] {1, 3, 10, 30, 53}[r.nextInt(5)];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            long m = mbits == 53 ? (r.nextLong() >>> 11) | (1L << 52) : 1 + r.nextLong(1L << mbits);
            double v = Math.scalb((double) m, base + r.nextInt(spread + 1) - 52);
            if (r.nextInt(3) == 0) v = -v;
            p[i] = v;
        }
        if (r.nextInt(4) == 0) p[0] = 0.0;
        if (extreme && r.nextBoolean()) p[1] = Double.MIN_VALUE * (1 + r.nextInt(5)); // subnormal points
        return p;
    }

    /** (dist/gap) 2^64 as floor and whether the remainder is non-zero, from BigDecimal (the test's own). */
    static BigInteger[] f64(double x, double lo, double hi) {
        BigDecimal vx = new BigDecimal(x), l = new BigDecimal(lo), h = new BigDecimal(hi);
        BigDecimal dist = x > 0 ? vx.subtract(l) : h.subtract(vx), gap = h.subtract(l);
        BigDecimal[] qr = dist.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(64))).divideAndRemainder(gap);
        return new BigInteger[] {qr[0].toBigIntegerExact(), BigInteger.valueOf(qr[1].signum())};
    }

    @Test
    void fastPathEqualsBigDecimalPath() {
        SplittableRandom r = new SplittableRandom(20240611);
        long checked = 0, fast = 0, fallback = 0, ties = 0;
        for (int gi = 0; gi < 50; gi++) {
            double[] pts = randomGrid(r, gi % 25 == 0);
            for (String rs : ROUNDINGS) {
                Rounding rd = Rounding.parse(rs);
                GridQuantizer g = new GridQuantizer(pts, rd, null, "g" + gi);
                double[] p = g.grid();
                for (int t = 0; t < 24; t++) {
                    int lo = r.nextInt(p.length - 1), hi = lo + 1;
                    double a = p[lo], b = p[hi], mid = a + (b - a) / 2;
                    double x;
                    switch (t % 8) {
                        case 0: x = mid; break;
                        case 1: x = Math.nextUp(mid); break;
                        case 2: x = Math.nextDown(mid); break;
                        case 3: x = Math.nextUp(a); break;
                        case 4: x = Math.nextDown(b); break;
                        case 5: x = a < 0 && b > 0 ? (r.nextBoolean() ? 0.0 : -0.0) : mid; break;
                        default: x = a + (b - a) * r.nextDouble();
                    }
                    if (!(a < x && x < b)) continue; // rounding of mid/uniform may hit an end
                    BigInteger[] f = f64(x, a, b);
                    if (f[0].shiftLeft(1).equals(BigInteger.ONE.shiftLeft(64)) && f[1].signum() == 0) ties++;
                    long[] words = new long[8];
                    long thr = f[0].longValue(); // sr threshold word (f < 1 so f[0] < 2^64)
                    int nb = Math.max(rd.randomBits(), 1);
                    long top = BigInteger.ONE.shiftLeft(nb).subtract(f[0].shiftRight(64 - nb)).longValue();
                    long low = r.nextLong() >>> nb;
                    words[0] = thr;
                    words[1] = thr - 1;
                    words[2] = thr + 1;
                    words[3] = ((top) << (64 - nb)) | low;      // srN: the smallest top word that rounds up
                    words[4] = ((top - 1) << (64 - nb)) | low;  // and the largest that does not
                    words[5] = 0;
                    words[6] = -1;
                    words[7] = r.nextLong();
                    for (long w : words) {
                        boolean want = g.chooseExact(x, lo, hi, w);
                        int got = g.chooseFast(x, lo, hi, w);
                        checked++;
                        if (got < 0) {
                            fallback++;
                        } else {
                            fast++;
                            final double xx = x;
                            assertEquals(want ? 1 : 0, got, () -> g.grid()[lo] + " < " + xx + " < " + g.grid()[hi]
                                    + " " + rd + " w=" + Long.toHexString(w));
                        }
                        if (w == words[7]) assertEquals(want ? hi : lo, g.encode(x, w), "encode " + x + " " + rd);
                    }
                }
            }
        }
        assertTrue(fast > 0.6 * checked, "fast path taken " + fast + " of " + checked);
        assertTrue(fallback > 0, "fallback exercised");
        assertTrue(ties > 300, "exact ties exercised: " + ties);
    }

    /** Factory grids (non-dyadic linear, logarithmic, paper FPQ) take the fast path for ordinary inputs. */
    @Test
    void factoryGridsTakeTheFastPath() {
        SplittableRandom r = new SplittableRandom(7);
        GridQuantizer[] gs = {GridQuantizer.linear(0.1, 8, Rounding.SR), GridQuantizer.logarithmic(0.01, 0.1, 8,
                Rounding.SR), GridQuantizer.paperFloat(4, 3, 0, true, Rounding.srBits(8)),
            GridQuantizer.logarithmic(0.01, 0.1, 8, Rounding.RNE)};
        for (GridQuantizer g : gs) {
            double[] p = g.grid();
            int fast = 0, n = 5000;
            for (int t = 0; t < n; t++) {
                int lo = r.nextInt(p.length - 1);
                double x = p[lo] + (p[lo + 1] - p[lo]) * r.nextDouble();
                if (!(p[lo] < x && x < p[lo + 1])) x = Math.nextUp(p[lo]);
                long w = r.nextLong();
                int got = g.chooseFast(x, lo, lo + 1, w);
                if (got >= 0) {
                    fast++;
                    assertEquals(g.chooseExact(x, lo, lo + 1, w) ? 1 : 0, got, g + " " + x);
                }
            }
            assertTrue(fast > 0.9 * n, g + ": fast path " + fast + " of " + n + " " + Arrays.toString(new int[0]));
        }
    }
}
