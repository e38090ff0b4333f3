package lowp.ref;

import java.math.BigInteger;

/**
 * An exact positive real number, known only through exact integer questions. Rationals (sums, products,
 * quotients of format values) and square roots of rationals implement it without any approximation.
 */
public interface Exact {
    /** The e with 2^e &lt;= x &lt; 2^(e+1). */
    int floorLog2();

    /** floor(x / 2^q). */
    BigInteger floorScaled(int q);

    /** Sign of x - n * 2^q, for n &gt;= 0. */
    int compareScaled(BigInteger n, int q);

    /** x = num * 2^scale / den with num, den &gt; 0. */
    static Exact rational(BigInteger num, BigInteger den, int scale) {
        return new Rational(num, den, scale);
    }

    /** x = sig * 2^exp, sig &gt; 0. */
    static Exact dyadic(BigInteger sig, int exp) {
        return new Rational(sig, BigInteger.ONE, exp);
    }

    /** sqrt(y). */
    static Exact sqrt(Exact y) {
        return new Sqrt(y);
    }

    final class Rational implements Exact {
        final BigInteger num;
        final BigInteger den;
        final int scale;

        Rational(BigInteger num, BigInteger den, int scale) {
            if (num.signum() <= 0 || den.signum() <= 0) {
                throw new IllegalArgumentException("Exact.rational needs positive numerator and denominator");
            }
            this.num = num;
            this.den = den;
            this.scale = scale;
        }

        @Override
        public int floorLog2() {
            int e0 = num.bitLength() - den.bitLength() + scale; // x in [2^(e0-1), 2^(e0+1))
            return compareScaled(BigInteger.ONE, e0) >= 0 ? e0 : e0 - 1;
        }

        @Override
        public BigInteger floorScaled(int q) {
            int s = scale - q; // x / 2^q = num * 2^s / den
            if (s >= 0) {
                return num.shiftLeft(s).divide(den);
            }
            return num.divide(den.shiftLeft(-s));
        }

        @Override
        public int compareScaled(BigInteger n, int q) {
            // num * 2^scale  vs  n * den * 2^q
            BigInteger lhs = num;
            BigInteger rhs = n.multiply(den);
            if (scale >= q) {
                lhs = lhs.shiftLeft(scale - q);
            } else {
                rhs = rhs.shiftLeft(q - scale);
            }
            return lhs.compareTo(rhs);
        }
    }

    final class Sqrt implements Exact {
        final Exact y;

        Sqrt(Exact y) {
            this.y = y;
        }

        @Override
        public int floorLog2() {
            return Math.floorDiv(y.floorLog2(), 2); // floor(log2 y / 2) = floor(floor(log2 y) / 2)
        }

        @Override
        public BigInteger floorScaled(int q) {
            return y.floorScaled(2 * q).sqrt(); // floor(sqrt(floor(z))) = floor(sqrt(z))
        }

        @Override
        public int compareScaled(BigInteger n, int q) {
            return y.compareScaled(n.multiply(n), 2 * q); // both sides non-negative
        }
    }
}
