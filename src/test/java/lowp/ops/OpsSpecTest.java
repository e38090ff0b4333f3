package lowp.ops;

import lowp.format.Format;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hand-derived spec values (issue 3, docs/formats.md) on the fast path FloatOps. */
class OpsSpecTest {
    static final int NX = Flags.INEXACT, UF = Flags.UNDERFLOW, OF = Flags.OVERFLOW, DZ = Flags.INFINITE, NV = Flags.INVALID;

    private static void is(long wantBits, int wantFlags, long got, Env env) {
        assertEquals(Long.toHexString(wantBits), Long.toHexString(got));
        assertEquals(Flags.hex(wantFlags), Flags.hex(env.flags));
    }

    private static Env env(Rounding r) {
        return new Env(r);
    }

    @Test
    void e4m3fnOverflowThreshold() {
        Format f = Format.E4M3FN;
        Env e = env(Rounding.RNE);
        is(0x7E, 0, FloatOps.fromDouble(f, 448, e), e);
        e = env(Rounding.RNE);
        is(0x7E, NX, FloatOps.fromDouble(f, 464, e), e); // midpoint of 448 (mantissa 110, even) and 480
        e = env(Rounding.RNE);
        is(0x7F, OF | NX, FloatOps.fromDouble(f, Math.nextUp(464.0), e), e);
        // 448 + 16 (0x50 = 1.0 * 2^(10-7) = 8? no: 0x50 = 0 1010 000 = 2^3 = 8): 448 + 8 = 456 -> 448, inexact
        e = env(Rounding.RNE);
        is(0x7E, NX, FloatOps.add(f, 0x7E, 0x50, e), e);
        // 448 + 32 (0x60 = 0 1100 000 = 2^5): 480 > 464 -> NaN
        e = env(Rounding.RNE);
        is(0x7F, OF | NX, FloatOps.add(f, 0x7E, 0x60, e), e);
        // round to odd: 448 + 8 truncates to 448 (110), odd neighbour is the NaN code: overflow, 448
        e = env(Rounding.RTO);
        is(0x7E, OF | NX, FloatOps.add(f, 0x7E, 0x50, e), e);
    }

    @Test
    void e5m2MaxAndInf() {
        Format f = Format.E5M2;
        Env e = env(Rounding.RNE);
        is(0x7B, 0, FloatOps.fromDouble(f, 57344, e), e);
        e = env(Rounding.RNE);
        is(0x7C, OF | NX, FloatOps.fromDouble(f, 61440, e), e); // tie to even: 2^16, which overflows
        e = env(Rounding.RDN);
        is(0x7B, OF | NX, FloatOps.mul(f, 0x7B, 0x40, e), e); // 2 * 57344 rounded down: max finite
    }

    @Test
    void fnuzHasNoNegativeZero() {
        Format f = Format.E4M3FNUZ;
        Env e = env(Rounding.RNE);
        is(0x00, 0, FloatOps.fromDouble(f, -0.0, e), e);
        e = env(Rounding.RNE);
        is(0x00, UF | NX, FloatOps.fromDouble(f, -1e-9, e), e);
        e = env(Rounding.RDN); // x - x under RDN: -0 in IEEE formats, 0x00 in fnuz
        is(0x00, 0, FloatOps.sub(f, 0x40, 0x40, e), e);
        e = env(Rounding.RDN);
        is(0x8000, 0, FloatOps.sub(Format.BINARY16, 0x3C00, 0x3C00, e), e);
        e = env(Rounding.RNE); // -1 * 0 = -0 -> 0x00 (0x80 is the NaN)
        is(0x00, 0, FloatOps.mul(f, 0xC0, 0x00, e), e);
        e = env(Rounding.RNE); // 240 * 2 overflows: NaN 0x80
        is(0x80, OF | NX, FloatOps.mul(f, 0x7F, 0x48, e), e);
    }

    @Test
    void bf16NaNStaysNaNAndConversionsRoundOnce() {
        Env e = env(Rounding.RNE);
        is(0x7FC0, NV, FloatOps.convert(Format.BINARY32, 0x7F800001L, Format.BFLOAT16, e), e); // sNaN: invalid
        e = env(Rounding.RNE);
        is(0x7FC0, 0, FloatOps.convert(Format.BINARY32, 0xFFC00001L, Format.BFLOAT16, e), e); // qNaN: canonical +NaN
        double x = Double.longBitsToDouble(0x3FF0020000400000L); // 1 + 2^-11 + 2^-30
        e = env(Rounding.RNE);
        is(0x3C01, NX, FloatOps.fromDouble(Format.BINARY16, x, e), e);
        long f32 = FloatOps.fromDouble(Format.BINARY32, x, env(Rounding.RNE));
        is(0x3C00, NX, FloatOps.convert(Format.BINARY32, f32, Format.BINARY16, e = env(Rounding.RNE)), e);
        e = env(Rounding.RNE);
        is(0x4248, NX, FloatOps.fromDouble(Format.BINARY16, Math.PI, e), e);
        e = env(Rounding.RNE);
        is(0x3C00, NX, FloatOps.add(Format.BINARY16, 0x3C00, 0x1000, e), e); // 1 + 2^-11 ties to 1
        e = env(Rounding.RNE);
        is(0x3C02, NX, FloatOps.add(Format.BINARY16, 0x3C01, 0x1000, e), e); // 1+2^-10 + 2^-11 ties to even 1+2^-9
    }

    @Test
    void invalidAndDivideByZero() {
        Format h = Format.BINARY16;
        Env e = env(Rounding.RNE);
        is(0x7E00, NV, FloatOps.fma(h, 0x0000, 0x7C00, 0x7E00, e), e); // fma(0, inf, qNaN) raises invalid
        e = env(Rounding.RNE);
        is(0x7E00, NV, FloatOps.fma(h, 0x7C00, 0x8000, 0x3C00, e), e);
        e = env(Rounding.RNE);
        is(0x7E00, 0, FloatOps.add(h, 0x7E00, 0x3C00, e), e); // quiet NaN: no flag
        e = env(Rounding.RNE);
        is(0x7E00, NV, FloatOps.mul(h, 0x7C01, 0x3C00, e), e); // signalling NaN: invalid, canonical NaN
        e = env(Rounding.RNE);
        is(0x7E00, NV, FloatOps.add(h, 0x7C00, 0xFC00, e), e); // inf - inf
        e = env(Rounding.RNE);
        is(0x7E00, NV, FloatOps.div(h, 0x0000, 0x8000, e), e); // 0/0
        e = env(Rounding.RNE);
        is(0xFC00, DZ, FloatOps.div(h, 0x3C00, 0x8000, e), e); // 1/-0 = -inf
        e = env(Rounding.RNE);
        is(0x7F, DZ, FloatOps.div(Format.E4M3FN, 0x38, 0x00, e), e); // no Inf in e4m3fn: NaN
        e = env(Rounding.RNE);
        is(0x7E00, NV, FloatOps.sqrt(h, 0xBC00, e), e); // sqrt(-1)
        e = env(Rounding.RNE);
        is(0x8000, 0, FloatOps.sqrt(h, 0x8000, e), e); // sqrt(-0) = -0
        e = env(Rounding.RNE);
        is(0x3DA8, NX, FloatOps.sqrt(h, 0x4000, e), e); // sqrt(2) = 1.4142135..: 1 + 424/1024 = 1.4140625 (next 1.4150390625)
    }

    interface Op3 {
        long apply(Format f, long a, long b, long c, Env env);
    }

    /** Fast path and reference, RNE, tininess after. */
    private static void both(Format f, long want, int wantFlags, Op3 fast, Op3 ref, long a, long b, long c) {
        Env e = env(Rounding.RNE);
        is(want, wantFlags, ref.apply(f, a, b, c, e), e);
        e = env(Rounding.RNE);
        is(want, wantFlags, fast.apply(f, a, b, c, e), e);
    }

    private static final Op3 ADD = (f, a, b, c, e) -> FloatOps.add(f, a, b, e);
    private static final Op3 REF_ADD = (f, a, b, c, e) -> lowp.ref.RefOps.add(f, a, b, e);
    private static final Op3 DIV = (f, a, b, c, e) -> FloatOps.div(f, a, b, e);
    private static final Op3 REF_DIV = (f, a, b, c, e) -> lowp.ref.RefOps.div(f, a, b, e);
    private static final Op3 FMA = FloatOps::fma;
    private static final Op3 REF_FMA = lowp.ref.RefOps::fma;

    /**
     * NaN rules beyond fp16 (issue 3: invalid for a signalling-NaN operand in IEEE-like formats only, for 0*Inf in
     * fma even with a quiet-NaN addend, Inf/Inf; every NaN result is the canonical NaN of the format).
     */
    @Test
    void nanAndInvalidInSmallFormats() {
        // e5m2 0x7D = 0 11111 01: all-ones exponent, fraction 01, top fraction bit clear: signalling.
        // 0x3C = 0 01111 00 = 1.0. Result: canonical quiet NaN 0 11111 10 = 0x7E, invalid.
        both(Format.E5M2, 0x7E, NV, ADD, REF_ADD, 0x7D, 0x3C, 0);
        // 0x7E is the quiet NaN: no flag; a negative quiet NaN 0xFE gives the positive canonical 0x7E
        both(Format.E5M2, 0x7E, 0, ADD, REF_ADD, 0xFE, 0x3C, 0);
        // e4m3fn 0x7F = S.1111.111 is its NaN, quiet (fn has no signalling NaN); 0x38 = 0 0111 000 = 1.0
        both(Format.E4M3FN, 0x7F, 0, ADD, REF_ADD, 0x7F, 0x38, 0);
        both(Format.E4M3FN, 0x7F, 0, ADD, REF_ADD, 0xFF, 0x38, 0); // the negative NaN code too, result +NaN
        // e4m3fnuz: 0x80 (sign bit alone) is the only NaN, quiet; 0x38 = 2^(7-8) = 0.5
        both(Format.E4M3FNUZ, 0x80, 0, ADD, REF_ADD, 0x80, 0x38, 0);
        // fp16: Inf / -Inf and Inf / Inf are invalid: canonical NaN 0 11111 1000000000 = 0x7E00
        both(Format.BINARY16, 0x7E00, NV, DIV, REF_DIV, 0x7C00, 0xFC00, 0);
        both(Format.BINARY16, 0x7E00, NV, DIV, REF_DIV, 0x7C00, 0x7C00, 0);
        // fp16:nosub: the subnormal 0x0001 reads as zero, so fma(0001, Inf, qNaN) is 0*Inf: invalid even with
        // the quiet-NaN addend
        Format fz = Format.parse("fp16:nosub");
        both(fz, 0x7E00, NV, FMA, REF_FMA, 0x0001, 0x7C00, 0x7E00);
        // with subnormals 0x0001 * Inf = Inf, and Inf + qNaN is the quiet NaN: no flag
        both(Format.BINARY16, 0x7E00, 0, FMA, REF_FMA, 0x0001, 0x7C00, 0x7E00);
        // a signalling addend: 1*1 + sNaN (0x7C01) is invalid
        both(Format.BINARY16, 0x7E00, NV, FMA, REF_FMA, 0x3C00, 0x3C00, 0x7C01);
        // conversions: e5m2 sNaN 0x7D -> fp16 canonical NaN, invalid; e4m3fn NaN -> e5m2 quiet NaN 0x7E, no flag
        Env e = env(Rounding.RNE);
        is(0x7E00, NV, FloatOps.convert(Format.E5M2, 0x7D, Format.BINARY16, e), e);
        e = env(Rounding.RNE);
        is(0x7E, 0, FloatOps.convert(Format.E4M3FN, 0x7F, Format.E5M2, e), e);
        e = env(Rounding.RNE); // sqrt(-Inf) is invalid
        is(0x7E00, NV, FloatOps.sqrt(Format.BINARY16, 0xFC00, e), e);
    }

    @Test
    void exactZeroSums() {
        Format h = Format.BINARY16;
        for (Rounding r : new Rounding[] {Rounding.RNE, Rounding.RNA, Rounding.RTZ, Rounding.RUP, Rounding.RTO}) {
            Env e = env(r);
            is(0x0000, 0, FloatOps.add(h, 0x3C00, 0xBC00, e), e);
            e = env(r); // fma(1, 1, -1) = +0
            is(0x0000, 0, FloatOps.fma(h, 0x3C00, 0x3C00, 0xBC00, e), e);
        }
        Env e = env(Rounding.RDN);
        is(0x8000, 0, FloatOps.fma(h, 0x3C00, 0x3C00, 0xBC00, e), e);
        e = env(Rounding.RNE); // -0 + -0 = -0 in every mode
        is(0x8000, 0, FloatOps.add(h, 0x8000, 0x8000, e), e);
    }

    @Test
    void mxAndE8m0Rules() {
        Env e = env(Rounding.RNE); // NaN into e2m1fn (no NaN code): the -0 pattern 0x8 with invalid
        is(0x8, NV, FloatOps.convert(Format.BINARY16, 0x7E00, Format.E2M1FN, e), e);
        e = env(Rounding.RNE); // Inf into an MX type saturates to max (6 = 0x7), no flags (exact infinite operand)
        is(0x7, 0, FloatOps.convert(Format.BINARY16, 0x7C00, Format.E2M1FN, e), e);
        e = env(Rounding.RNE); // :sat maps Inf to max finite
        is(0xFE, 0, FloatOps.convert(Format.BINARY16, 0xFC00, Format.parse("e4m3fn:sat"), e), e);
        e = env(Rounding.RNE); // non-saturating e4m3fn has no Inf: NaN
        is(0x7F, 0, FloatOps.convert(Format.BINARY16, 0x7C00, Format.E4M3FN, e), e);
        e = env(Rounding.RNE); // e8m0fnu ties go up (ml_dtypes): 3.0 between 2 and 4 -> 4 = 2^(129-127)
        is(0x81, NX, FloatOps.fromDouble(Format.E8M0FNU, 3.0, e), e);
        e = env(Rounding.RNE); // e8m0fnu has no zero: NaN 0xFF with invalid; :sat gives 0x00 = 2^-127
        is(0xFF, NV, FloatOps.fromDouble(Format.E8M0FNU, 0.0, e), e);
        e = env(Rounding.RNE);
        is(0x00, 0, FloatOps.fromDouble(Format.parse("e8m0fnu:sat"), 0.0, e), e);
        e = env(Rounding.RNE); // negative input: NaN + invalid
        is(0xFF, NV, FloatOps.fromDouble(Format.E8M0FNU, -4.0, e), e);
        e = env(Rounding.RNE); // 2^-128, the tie between 2^-127 (0x00) and zero, goes up too: 0x00, tiny and inexact
        is(0x00, UF | NX, FloatOps.fromDouble(Format.E8M0FNU, Math.scalb(1.0, -128), e), e);
        e = env(Rounding.RNE); // the same tie as a product 2^-127 * 2^-1 (table path) and as a conversion
        is(0x00, UF | NX, FloatOps.mul(Format.E8M0FNU, 0x00, 0x7E, e), e);
        e = env(Rounding.RNE);
        is(0x00, UF | NX, FloatOps.convert(Format.BINARY32, 0x00000001L << 21, Format.E8M0FNU, e), e); // fp32 2^-128
    }

    @Test
    void nosubFlushesAndReadsSubnormalsAsZero() {
        Format f = Format.parse("fp16:nosub");
        Env e = env(Rounding.RNE); // 2^-14 * 0.5 = 2^-15: subnormal result flushed to +0, underflow|inexact
        is(0x0000, UF | NX, FloatOps.mul(f, 0x0400, 0x3800, e), e);
        e = env(Rounding.RNE); // the subnormal input 0x0001 reads as zero: 1 + 0 = 1 exactly
        is(0x3C00, 0, FloatOps.add(f, 0x3C00, 0x0001, e), e);
        e = env(Rounding.RNE); // -(min normal) * 0.5 -> -0
        is(0x8000, UF | NX, FloatOps.mul(f, 0x8400, 0x3800, e), e);
    }

    @Test
    void stochasticRoundingUsesTheRandomWord() {
        // fp16 1 + 2^-12 (a quarter ulp): sr goes up iff random < 2^62 (unsigned)
        Format h = Format.BINARY16;
        Env e = env(Rounding.SR);
        e.random = (1L << 62) - 1;
        is(0x3C01, NX, FloatOps.add(h, 0x3C00, 0x0C00, e), e);
        e = env(Rounding.SR);
        e.random = 1L << 62;
        is(0x3C00, NX, FloatOps.add(h, 0x3C00, 0x0C00, e), e);
        // sr-equal: up iff random < 0 (signed)
        e = env(Rounding.SR_EQUAL);
        e.random = -1;
        is(0x3C01, NX, FloatOps.add(h, 0x3C00, 0x0C00, e), e);
        // sr2: floor(0.25 * 4) = 1, up iff 1 + (random >>> 62) >= 4, i.e. top two bits 11
        e = env(Rounding.srBits(2));
        e.random = 0xC000000000000000L;
        is(0x3C01, NX, FloatOps.add(h, 0x3C00, 0x0C00, e), e);
        e = env(Rounding.srBits(2));
        e.random = 0xBFFFFFFFFFFFFFFFL;
        is(0x3C00, NX, FloatOps.add(h, 0x3C00, 0x0C00, e), e);
        // binary64: 1 + 2^-100 has fraction 2^-48 of an ulp (ulp 2^-52): sr up iff random < 2^16
        Format d = Format.BINARY64;
        long one = 0x3FF0000000000000L;
        long tiny = (1023L - 100) << 52;
        e = env(Rounding.SR);
        e.random = (1L << 16) - 1;
        is(one + 1, NX, FloatOps.add(d, one, tiny, e), e);
        e = env(Rounding.SR);
        e.random = 1L << 16;
        is(one, NX, FloatOps.add(d, one, tiny, e), e);
    }
}
