package lowp.ref;

import lowp.format.Format;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Rounder;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-derived spec values (issue 3, docs/formats.md), checked on the reference and the fast rounder. */
class RefSpecTest {

    private static long refD(Format f, double d, Env env) {
        return RefOps.fromDouble(f, d, env);
    }

    /** Fast-path rounding of a double through {@link Rounder} (finite non-zero only). */
    private static long fastD(Format f, double d, Env env) {
        long bits = Double.doubleToRawLongBits(d);
        boolean neg = bits < 0;
        long sig = Format.BINARY64.sigOf(bits & Long.MAX_VALUE);
        int exp = Format.BINARY64.expOf(bits & Long.MAX_VALUE);
        return Rounder.round(f, neg, sig, exp, false, env);
    }

    private static void both(Format f, double d, Rounding r, long expectBits, int expectFlags) {
        Env e1 = new Env(r);
        assertEquals(expectBits, refD(f, d, e1), () -> "ref " + f + " " + d);
        assertEquals(expectFlags, e1.flags, () -> "ref flags " + f + " " + d);
        Env e2 = new Env(r);
        assertEquals(expectBits, fastD(f, d, e2), () -> "fast " + f + " " + d);
        assertEquals(expectFlags, e2.flags, () -> "fast flags " + f + " " + d);
    }

    @Test
    void e4m3fnMaxAndOverflowThreshold() {
        Format f = Format.E4M3FN;
        assertEquals(new BigDecimal(448), f.maxFinite());
        // 448 = 1.75 * 2^8 = S.1111.110; 464 is the midpoint 448..480 and 110 is even: ties to 448
        both(f, 448, Rounding.RNE, 0x7E, 0);
        both(f, 464, Rounding.RNE, 0x7E, Flags.INEXACT);
        both(f, Math.nextUp(464.0), Rounding.RNE, 0x7F, Flags.OVERFLOW | Flags.INEXACT);
        both(f, -500, Rounding.RNE, 0x7F, Flags.OVERFLOW | Flags.INEXACT); // NaN results are the canonical (positive) NaN
        // round to odd: 449 truncates to 448 (110), the odd neighbour would be the NaN code: overflow, 448
        both(f, 449, Rounding.RTO, 0x7E, Flags.OVERFLOW | Flags.INEXACT);
        both(Format.parse("e4m3fn:sat"), 1e6, Rounding.RNE, 0x7E, Flags.OVERFLOW | Flags.INEXACT);
    }

    @Test
    void e5m2MaxAndOverflowToInf() {
        Format f = Format.E5M2;
        assertEquals(new BigDecimal(57344), f.maxFinite());
        both(f, 61440, Rounding.RNE, 0x7C, Flags.OVERFLOW | Flags.INEXACT);
        both(f, 61439, Rounding.RNE, 0x7B, Flags.INEXACT);
        both(f, 1e6, Rounding.RTZ, 0x7B, Flags.OVERFLOW | Flags.INEXACT);
        both(f, -1e6, Rounding.RUP, 0xFB, Flags.OVERFLOW | Flags.INEXACT);
        both(f, -1e6, Rounding.RDN, 0xFC, Flags.OVERFLOW | Flags.INEXACT);
    }

    @Test
    void fnuzNegativeZeroEncodesAsZero() {
        Env env = Env.rne();
        assertEquals(0x00, RefOps.fromDouble(Format.E4M3FNUZ, -0.0, env));
        assertEquals(0x00, refD(Format.E4M3FNUZ, -1e-9, new Env(Rounding.RNE)));
        assertEquals(0x00, fastD(Format.E4M3FNUZ, -1e-9, new Env(Rounding.RNE)));
        // x - x in RDN is -0 in IEEE formats but +0 (0x00) in fnuz
        long one = RefOps.fromDouble(Format.E4M3FNUZ, 1.0, env);
        assertEquals(0x00, RefOps.sub(Format.E4M3FNUZ, one, one, new Env(Rounding.RDN)));
        long oneH = 0x3C00;
        assertEquals(0x8000, RefOps.sub(Format.BINARY16, oneH, oneH, new Env(Rounding.RDN)));
        assertEquals(0x0000, RefOps.sub(Format.BINARY16, oneH, oneH, new Env(Rounding.RNE)));
        assertEquals(0x80, Format.E4M3FNUZ.nanBits());
    }

    @Test
    void bf16NaNStaysNaN() {
        Env env = Env.rne();
        // a binary32 NaN whose payload sits only in the low 16 bits (the bit trick turns it into Inf)
        long r = RefOps.convert(Format.BINARY32, 0x7F800001L, Format.BFLOAT16, env);
        assertTrue(Format.BFLOAT16.isNaN(r));
        assertEquals(Flags.INVALID, env.flags); // 0x7F800001 is signalling
    }

    @Test
    void noDoubleRoundingFp64ToFp16() {
        double x = Double.longBitsToDouble(0x3FF0020000400000L); // 1 + 2^-11 + 2^-30
        both(Format.BINARY16, x, Rounding.RNE, 0x3C01, Flags.INEXACT);
        long viaF32 = RefOps.convert(Format.BINARY32, RefOps.fromDouble(Format.BINARY32, x, Env.rne()), Format.BINARY16, Env.rne());
        assertEquals(0x3C00, viaF32);
    }

    @Test
    void fp16Pi() {
        both(Format.BINARY16, Math.PI, Rounding.RNE, 0x4248, Flags.INEXACT);
    }

    @Test
    void fp16OnePlusHalfUlpTiesToOne() {
        both(Format.BINARY16, 1 + Math.scalb(1.0, -11), Rounding.RNE, 0x3C00, Flags.INEXACT);
        both(Format.BINARY16, 1 + 3 * Math.scalb(1.0, -11), Rounding.RNE, 0x3C02, Flags.INEXACT);
        both(Format.BINARY16, 1 + Math.scalb(1.0, -11), Rounding.RNA, 0x3C01, Flags.INEXACT);
    }

    @Test
    void tininessChangesFlagsNotValue() {
        // 0x03FF * 0x3C01 in f16: exact product just below 2^-14, rounds up to min normal 0x0400
        Env after = new Env(Rounding.RNE);
        assertEquals(0x0400, RefOps.mul(Format.BINARY16, 0x03FF, 0x3C01, after));
        assertEquals(Flags.INEXACT, after.flags);
        Env before = new Env(Rounding.RNE, lowp.round.Tininess.BEFORE);
        assertEquals(0x0400, RefOps.mul(Format.BINARY16, 0x03FF, 0x3C01, before));
        assertEquals(Flags.INEXACT | Flags.UNDERFLOW, before.flags);
    }

    @Test
    void tf32IsA19BitPattern() {
        both(Format.TF32, 1.0, Rounding.RNE, 0x1FC00, 0);
        assertEquals(19, Format.TF32.width());
    }

    @Test
    void roundToOddBelowSmallestSubnormal() {
        both(Format.BINARY16, 1e-30, Rounding.RTO, 0x0001, Flags.INEXACT | Flags.UNDERFLOW);
        both(Format.BINARY16, -1e-30, Rounding.RTO, 0x8001, Flags.INEXACT | Flags.UNDERFLOW);
        both(Format.E4M3FNUZ, -1e-30, Rounding.RTO, 0x81, Flags.INEXACT | Flags.UNDERFLOW);
        // with :nosub the smallest subnormal 2^-24 that rto gives is then flushed to a zero of the same sign
        both(Format.parse("fp16:nosub"), 1e-30, Rounding.RTO, 0x0000, Flags.INEXACT | Flags.UNDERFLOW);
        both(Format.parse("fp16:nosub"), -1e-30, Rounding.RTO, 0x8000, Flags.INEXACT | Flags.UNDERFLOW);
    }

    @Test
    void nosubFlushesSubnormalResults() {
        Format f = Format.parse("fp16:nosub");
        both(f, Math.scalb(1.0, -20), Rounding.RNE, 0x0000, Flags.INEXACT | Flags.UNDERFLOW);
        both(f, -Math.scalb(1.0, -20), Rounding.RNE, 0x8000, Flags.INEXACT | Flags.UNDERFLOW);
        both(f, Math.scalb(1.0, -14), Rounding.RNE, 0x0400, 0);
    }

    @Test
    void e8m0() {
        Format f = Format.E8M0FNU;
        both(f, 1.0, Rounding.RNE, 127, 0);
        both(f, 0.75, Rounding.RNE, 127, Flags.INEXACT); // tie between 0.5 and 1 goes up (ml_dtypes)
        both(f, 3.0, Rounding.RNE, 129, Flags.INEXACT);
        Env env = Env.rne();
        assertEquals(0xFF, RefOps.fromDouble(f, -2.0, env));
        assertEquals(Flags.INVALID, env.flags);
    }

    /**
     * e8m0fnu below its range. The smallest value is 2^-127 (code 0x00) and there is no zero. 2^-128 is the
     * midpoint between 2^-127 and zero; e8m0 ties go up (docs §5: every significand is 1, odd; ml_dtypes), so
     * rne gives 0x00 like rna, and like rup and rto (truncation gives 0, the odd neighbour is 2^-127). rtz and
     * rdn round to zero, which e8m0fnu lacks: NaN 0xFF (0x00 with :sat). Every result here is tiny (below
     * 2^-127) and inexact: flags underflow | inexact = 03.
     */
    @Test
    void e8m0BelowRangeTieGoesUp() {
        Format f = Format.E8M0FNU;
        int uf = Flags.UNDERFLOW | Flags.INEXACT;
        double half = Math.scalb(1.0, -128);
        both(f, half, Rounding.RNE, 0x00, uf);
        both(f, half, Rounding.RNA, 0x00, uf);
        both(f, half, Rounding.RUP, 0x00, uf);
        both(f, half, Rounding.RTO, 0x00, uf);
        both(f, half, Rounding.RTZ, 0xFF, uf);
        both(f, half, Rounding.RDN, 0xFF, uf);
        both(Format.parse("e8m0fnu:sat"), half, Rounding.RTZ, 0x00, uf);
        // just below the tie: nearer to zero -> NaN; just above: 2^-127
        both(f, Math.nextDown(half), Rounding.RNE, 0xFF, uf);
        both(f, Math.nextUp(half), Rounding.RNE, 0x00, uf);
        // 2^-127 itself is exact; 1.5 * 2^-127 is the tie between codes 0x00 and 0x01: up, not tiny
        both(f, Math.scalb(1.0, -127), Rounding.RNE, 0x00, 0);
        both(f, 1.5 * Math.scalb(1.0, -127), Rounding.RNE, 0x01, Flags.INEXACT);
        // the same tie from an arithmetic result: 2^-127 * 0.5 (0x7E = 2^-1)
        Env e = Env.rne();
        assertEquals(0x00, RefOps.mul(f, 0x00, 0x7E, e));
        assertEquals(uf, e.flags);
    }
}
