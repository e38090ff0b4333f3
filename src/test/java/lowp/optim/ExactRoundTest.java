package lowp.optim;

import lowp.format.Format;
import lowp.ref.Exact;
import lowp.ref.RefRounder;
import lowp.round.Env;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fast single roundings of sums, products, quotients and square roots of doubles agree bit for bit with
 * the BigInteger reference (RefRounder on the exact rational / square root), for every rounding rule
 * including stochastic ones with the same random word.
 */
class ExactRoundTest {
    static final Format[] FORMATS = {Format.BFLOAT16, Format.BINARY16, Format.BINARY32, Format.parse("e8m15"),
        Format.parse("e8m10"), Format.E4M3FN, Format.parse("e5m10:nosub"), Format.parse("e3m4:sat"), Format.BINARY64};
    static final String[] ROUNDINGS = {"rne", "rna", "rtz", "rup", "rdn", "rto", "sr", "sr-equal", "sr8"};

    static double randomDouble(SplittableRandom r) {
        int kind = r.nextInt(4);
        double v;
        switch (kind) {
            case 0: v = r.nextGaussian(); break;
            case 1: v = Math.scalb(1 + r.nextInt(256), r.nextInt(40) - 20); break; // short significands
            case 2: v = Math.scalb(r.nextDouble(), r.nextInt(60) - 30); break;
            default: v = Float.intBitsToFloat(r.nextInt()) ; if (!Float.isFinite((float) v) || Math.abs(v) > 1e30 || Math.abs(v) < 1e-30) v = 1.5; break;
        }
        return r.nextBoolean() ? -v : v;
    }

    static Exact dyadicAbs(BigInteger sig, int exp) {
        return Exact.dyadic(sig.abs(), exp);
    }

    static BigInteger sigOf(double d) {
        long b = Double.doubleToRawLongBits(d);
        BigInteger s = BigInteger.valueOf(ExactRound.sig53(b));
        return d < 0 ? s.negate() : s;
    }

    @Test
    void sumsProductsQuotientsSqrtMatchReference() {
        SplittableRandom r = new SplittableRandom(20261123);
        int n = Boolean.getBoolean("lowp.exhaustive") ? 200000 : 20000;
        for (int i = 0; i < n; i++) {
            Format f = FORMATS[r.nextInt(FORMATS.length)];
            Rounding rd = Rounding.parse(ROUNDINGS[r.nextInt(ROUNDINGS.length)]);
            long word = r.nextLong();
            double a = randomDouble(r);
            double b = r.nextInt(8) == 0 ? a * (1 + 0x1p-20) * -1 : randomDouble(r);
            if (r.nextInt(10) == 0) {
                b = Math.scalb(b, -r.nextInt(120)); // far below a: sticky paths
            }
            String ctx = f + " " + rd + " a=" + a + " b=" + b + " word=" + word;
            // sum
            {
                long ab = Double.doubleToRawLongBits(a);
                long bb = Double.doubleToRawLongBits(b);
                int xa = ExactRound.exp53(ab);
                int xb = ExactRound.exp53(bb);
                int x = Math.min(xa, xb);
                BigInteger s = sigOf(a).shiftLeft(xa - x).add(sigOf(b).shiftLeft(xb - x));
                if (s.signum() != 0) {
                    Env e1 = env(rd, word);
                    Env e2 = env(rd, word);
                    long got = ExactRound.roundSum(f, a, b, e1);
                    long want = RefRounder.round(f, s.signum() < 0, dyadicAbs(s, x), e2);
                    assertEquals(want, got, "sum " + ctx);
                    assertEquals(e2.flags, e1.flags, "sum flags " + ctx);
                }
            }
            // product
            {
                BigInteger s = sigOf(a).multiply(sigOf(b));
                int x = ExactRound.exp53(Double.doubleToRawLongBits(a)) + ExactRound.exp53(Double.doubleToRawLongBits(b));
                if (Math.abs(a * b) > 0x1p-900 && Math.abs(a * b) < 0x1p900) {
                    Env e1 = env(rd, word);
                    Env e2 = env(rd, word);
                    long got = ExactRound.roundProduct(f, a, b, e1);
                    long want = RefRounder.round(f, s.signum() < 0, dyadicAbs(s, x), e2);
                    assertEquals(want, got, "product " + ctx);
                }
            }
            // quotient
            {
                double q = a / b;
                if (Math.abs(q) > 0x1p-900 && Math.abs(q) < 0x1p900) {
                    long ab = Double.doubleToRawLongBits(a);
                    long bb = Double.doubleToRawLongBits(b);
                    Exact ex = Exact.rational(sigOf(a).abs(), sigOf(b).abs(), ExactRound.exp53(ab) - ExactRound.exp53(bb));
                    Env e1 = env(rd, word);
                    Env e2 = env(rd, word);
                    assertEquals(RefRounder.round(f, (a < 0) != (b < 0), ex, e2), ExactRound.roundQuotient(f, a, b, e1),
                            "quotient " + ctx);
                }
            }
            // sqrt
            {
                double v = Math.abs(a);
                long vb = Double.doubleToRawLongBits(v);
                Env e1 = env(rd, word);
                Env e2 = env(rd, word);
                Exact ex = Exact.sqrt(Exact.dyadic(sigOf(v), ExactRound.exp53(vb)));
                assertEquals(RefRounder.round(f, false, ex, e2), ExactRound.roundSqrt(f, v, e1), "sqrt " + ctx);
            }
        }
    }

    static Env env(Rounding r, long word) {
        Env e = new Env(r);
        e.random = word;
        return e;
    }

    @Test
    void gridRoundIsRoundingToMultiples() {
        GridRound g = new GridRound(-7);
        Env e = new Env(Rounding.RNE);
        assertEquals(0.5, g.round(0.5 + 0x1p-9, e));
        assertEquals(0.5 + 0x1p-7, g.round(0.5 + 0x1p-8 + 0x1p-30, e));
        assertEquals(0.5, g.round(0.5 + 0x1p-8, e)); // tie to even multiple (64 is even)
        assertEquals(-0.5 - 0x1p-6, g.round(-0.5 - 0x1p-7 - 0x1p-8, e)); // tie: 65 odd -> 66
        Env t = new Env(Rounding.RTZ);
        assertEquals(-0.5, g.round(-0.5 - 0x1p-7 + 0x1p-40, t));
    }
}
