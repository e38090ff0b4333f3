package lowp.acc;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link SequentialModel#split} (Veltkamp's splitting, the rounding of the four-column GEMM kernel) is
 * round-to-nearest-even to m+1 significant bits. Its operations scale exactly with a power of two inside
 * binary64's normal range, so one binade decides every binade: every tie of [1, 2) (all 2^m of them, both signs)
 * for every precision m+1 = 2..26, and random values of random binades against BigDecimal's HALF_EVEN.
 */
class SplitRoundingTest {

    static double rne(double x, int bits) {
        BigDecimal v = new BigDecimal(x);
        int e = Math.getExponent(x);
        // quantum 2^(e - bits + 1): scale to an integer, round half-even, scale back (all exact)
        BigDecimal scale = new BigDecimal(BigInteger.ONE.shiftLeft(Math.abs(e - bits + 1)));
        BigDecimal scaled = e - bits + 1 >= 0 ? v.divide(scale) : v.multiply(scale);
        BigDecimal r = scaled.setScale(0, RoundingMode.HALF_EVEN);
        return (e - bits + 1 >= 0 ? r.multiply(scale) : r.divide(scale)).doubleValue();
    }

    @Test
    void everyTieOfABinadeGoesToEven() {
        for (int bits = 2; bits <= 26; bits++) {
            double k = FastRound.pow2(53 - bits) + 1;
            double ulp = FastRound.pow2(1 - bits);
            for (long q = 0; q < (1L << (bits - 1)); q++) {
                double tie = 1 + (q + 0.5) * ulp; // halfway between 1 + q*ulp and 1 + (q+1)*ulp
                double even = 1 + ((q & 1) == 0 ? q : q + 1) * ulp;
                assertEquals(even, SequentialModel.split(tie, k), "bits " + bits + " tie " + tie);
                assertEquals(-even, SequentialModel.split(-tie, k), "bits " + bits + " tie " + -tie);
            }
        }
    }

    @Test
    void randomValuesRoundToNearestEven() {
        SplittableRandom r = new SplittableRandom(20261207);
        for (int i = 0; i < 300_000; i++) {
            int bits = 2 + r.nextInt(25);
            double k = FastRound.pow2(53 - bits) + 1;
            int e = r.nextInt(-880, 820);
            // random significand, often with a short tail (near ties and exact values)
            long frac = r.nextLong() & ((1L << 52) - 1);
            if (r.nextBoolean()) frac &= -1L << (52 - bits - r.nextInt(4));
            double x = Math.scalb(1 + frac * 0x1p-52, e) * (r.nextBoolean() ? -1 : 1);
            assertEquals(rne(x, bits), SequentialModel.split(x, k), "bits " + bits + " x " + x);
        }
    }

    @Test
    void zeroKeepsItsSign() {
        double k = FastRound.pow2(42) + 1;
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(SequentialModel.split(0.0, k)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(SequentialModel.split(-0.0, k)));
    }
}
