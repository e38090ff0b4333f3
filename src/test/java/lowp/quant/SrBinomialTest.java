package lowp.quant;

import lowp.format.Format;
import lowp.ops.FloatOps;
import lowp.ref.RefOps;
import lowp.rng.Philox;
import lowp.round.Env;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact binomial tests of stochastic rounding ({@link SrExact#exactInterval}): n rounds of one exact value with
 * Philox words (fixed seeds); the number of round-ups must lie in the exact acceptance interval of
 * Binomial(n, p), p computed in BigDecimal from the exact result and its two neighbours (from lowp.ref with
 * rtz and rup). Each of the CHECKS intervals gets alpha = 1e-9 / CHECKS: the family-wise false-failure
 * probability is at most 1e-9. Covers a conversion (FloatQuantizer) and SR of arithmetic: FloatOps add, div
 * and sqrt in binary16 and bfloat16. A deliberately biased count (p + 2^-4, same words) must be rejected.
 */
class SrBinomialTest {
    static final int N = 1 << 14;
    static final int CHECKS = 8;
    static final double ALPHA = 1e-9 / CHECKS;
    static final MathContext MC = new MathContext(60);

    interface Op {
        long apply(long[] x, Env env);
    }

    /** Exact |result| of the op on the operands (sqrt to 60 digits: far below any count's resolution). */
    interface Exact {
        BigDecimal of(BigDecimal[] x);
    }

    /** Counts round-ups over N Philox words and checks the exact binomial interval; returns {count, lo, hi}. */
    static long[] check(String what, Format f, Format in, Op op, Exact exact, long[] x, long seed, double bias) {
        BigDecimal[] xv = new BigDecimal[x.length];
        for (int i = 0; i < x.length; i++) xv[i] = in.toBigDecimal(x[i]);
        BigDecimal s = exact.of(xv);
        // the two neighbours from the reference (rtz and rup: all operands and results are positive)
        long tzRef = refOp(what, f, x, Rounding.RTZ), upRef = refOp(what, f, x, Rounding.RUP);
        BigDecimal lo = f.toBigDecimal(tzRef), hi = f.toBigDecimal(upRef);
        assertTrue(lo.compareTo(s) < 0 && s.compareTo(hi) < 0, what + ": the result is inexact");
        BigDecimal p = s.subtract(lo).divide(hi.subtract(lo), MC);
        long[] iv = SrExact.exactInterval(N, p, ALPHA);
        BigDecimal biased = p.add(new BigDecimal(bias));
        long tBiased = biased.multiply(new BigDecimal(SrExact.TWO64)).toBigInteger().longValue(); // < 2^64
        long ups = 0, biasedUps = 0;
        for (int i = 0; i < N; i++) {
            long w = Philox.word(seed, 21, 0, i);
            Env env = new Env(Rounding.SR);
            env.random = w;
            long r = op.apply(x, env);
            assertTrue(r == tzRef || r == upRef, what + ": outcome " + Long.toHexString(r));
            if (r == upRef) ups++;
            if (Long.compareUnsigned(w, tBiased) < 0) biasedUps++; // up iff U < (p + bias) 2^64
        }
        long u = ups;
        assertTrue(ups >= iv[0] && ups <= iv[1], () -> what + ": " + u + " ups of " + N + ", exact interval ["
                + iv[0] + ", " + iv[1] + "] for p = " + p.round(new MathContext(12)));
        return new long[] {ups, iv[0], iv[1], biasedUps};
    }

    static long refOp(String what, Format f, long[] x, Rounding r) {
        Env env = new Env(r);
        if (what.startsWith("add")) return RefOps.add(f, x[0], x[1], env);
        if (what.startsWith("div")) return RefOps.div(f, x[0], x[1], env);
        if (what.startsWith("sqrt")) return RefOps.sqrt(f, x[0], env);
        return RefOps.fromDouble(f, Double.longBitsToDouble(x[0]), env);
    }

    /** Positive operands in [1/2, 4) whose exact result has an up-probability in [0.1, 0.9] (fixed seed). */
    static long[] operands(Format f, int arity, Exact exact, String what, Random r) {
        while (true) {
            long[] x = new long[arity];
            for (int i = 0; i < arity; i++) {
                x[i] = RefOps.fromDouble(f, 0.5 + 3.5 * r.nextDouble(), Env.rne());
            }
            BigDecimal[] xv = new BigDecimal[arity];
            for (int i = 0; i < arity; i++) xv[i] = f.toBigDecimal(x[i]);
            BigDecimal s = exact.of(xv);
            BigDecimal lo = f.toBigDecimal(refOp(what, f, x, Rounding.RTZ));
            BigDecimal hi = f.toBigDecimal(refOp(what, f, x, Rounding.RUP));
            if (lo.compareTo(hi) == 0) continue;
            double p = s.subtract(lo).divide(hi.subtract(lo), MC).doubleValue();
            if (p >= 0.1 && p <= 0.9) return x;
        }
    }

    @Test
    void srOfArithmeticAndConversionPassesTheExactBinomialTest() {
        Random r = new Random(424242);
        Exact add = v -> v[0].add(v[1]);
        Exact div = v -> v[0].divide(v[1], MC);
        Exact sqrt = v -> v[0].sqrt(MC);
        Op fAdd16 = (x, e) -> FloatOps.add(Format.BINARY16, x[0], x[1], e);
        Op fDiv16 = (x, e) -> FloatOps.div(Format.BINARY16, x[0], x[1], e);
        Op fSqrt16 = (x, e) -> FloatOps.sqrt(Format.BINARY16, x[0], e);
        Op fDivBf = (x, e) -> FloatOps.div(Format.BFLOAT16, x[0], x[1], e);
        Op fSqrtBf = (x, e) -> FloatOps.sqrt(Format.BFLOAT16, x[0], e);
        Format h = Format.BINARY16, b = Format.BFLOAT16;
        int checks = 0;
        long[] first = null;
        for (int rep = 0; rep < 2; rep++) {
            long[] a = check("add fp16", h, h, fAdd16, add, operands(h, 2, add, "add", r), 100 + rep, 0x1p-4);
            if (first == null) first = a;
            check("div fp16", h, h, fDiv16, div, operands(h, 2, div, "div", r), 200 + rep, 0);
            checks += 2;
        }
        check("sqrt fp16", h, h, fSqrt16, sqrt, operands(h, 1, sqrt, "sqrt", r), 300, 0);
        check("div bf16", b, b, fDivBf, div, operands(b, 2, div, "div", r), 400, 0);
        check("sqrt bf16", b, b, fSqrtBf, sqrt, operands(b, 1, sqrt, "sqrt", r), 500, 0);
        checks += 3;
        // a conversion through the quantizer: 1.3 to e2m1 (between 1 and 1.5: p = 0.6 exactly, p's 2^-64
        // discretisation is far below the count's resolution)
        FloatQuantizer q = new FloatQuantizer(Format.E2M1FN, Rounding.SR);
        long up = Format.E2M1FN.toDouble(0b0011) == 1.5 ? 0b0011 : -1;
        Op conv = (x, e) -> q.encode(Double.longBitsToDouble(x[0]), e.random);
        long[] c = check("convert e2m1", Format.E2M1FN, Format.BINARY64, conv, v -> new BigDecimal(1.3),
                new long[] {Double.doubleToRawLongBits(1.3)}, 600, 0);
        assertEquals(0b0011, up);
        checks++;
        assertEquals(CHECKS, checks);
        // the biased decision (probability p + 2^-4 on the same words, 1024 more expected ups; the interval's
        // half-width is about 6.4 sd = 6.4 * sqrt(N p (1 - p)) <= 410) is rejected by the same interval
        long[] fa = first;
        assertTrue(fa[3] < fa[1] || fa[3] > fa[2], () -> "biased count " + fa[3] + " accepted in [" + fa[1] + ", "
                + fa[2] + "]");
        // and the interval is tight: its half-width is within 7 standard deviations (p in [0.1, 0.9])
        assertTrue(fa[2] - fa[1] < 2 * 7 * Math.sqrt(N * 0.25), "interval [" + fa[1] + ", " + fa[2] + "] too wide");
        assertTrue(c[0] > 0);
    }

    @Test
    void exactIntervalAgainstHandComputedTails() {
        // n = 10, p = 1/2: P(K <= 0) = P(K >= 10) = 1/1024; P(K <= 1) = 11/1024. alpha = 2/1024 + tiny
        // accepts [1, 9] (each tail 1/1024 <= alpha/2), alpha = 2/1024 - tiny rejects nothing more: [0, 10]
        long[] iv = SrExact.exactInterval(10, new BigDecimal("0.5"), 2.0 / 1024 * (1 + 1e-9));
        assertEquals(1, iv[0]);
        assertEquals(9, iv[1]);
        iv = SrExact.exactInterval(10, new BigDecimal("0.5"), 2.0 / 1024 * (1 - 1e-9));
        assertEquals(0, iv[0]);
        assertEquals(10, iv[1]);
        // 22/1024 = 2 * 11/1024: [2, 8]
        iv = SrExact.exactInterval(10, new BigDecimal("0.5"), 22.0 / 1024 * (1 + 1e-9));
        assertEquals(2, iv[0]);
        assertEquals(8, iv[1]);
    }
}
