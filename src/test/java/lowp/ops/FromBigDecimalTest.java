package lowp.ops;

import lowp.format.Format;
import lowp.format.FpClass;
import lowp.format.Kind;
import lowp.ref.RefOps;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Conversion from an exact decimal ({@code fromBigDecimal}, issue 3) by hand-derived cases, and the
 * encode/decode round trip over every finite code of the named formats of at most 16 bits (and some
 * {@code :nosub}/{@code :sat}/{@code :bias} variants): {@code fromBigDecimal(toBigDecimal(b)) == b} and
 * {@code fromDouble(toDouble(b)) == b}, exactly, with no flags.
 */
class FromBigDecimalTest {
    static final int NX = Flags.INEXACT, UF = Flags.UNDERFLOW, OF = Flags.OVERFLOW;

    /** RNE on both paths (FloatOps.fromBigDecimal and RefOps.fromBigDecimal). */
    private static void dec(Format f, String decimal, long want, int wantFlags) {
        BigDecimal v = new BigDecimal(decimal);
        Env e = new Env(Rounding.RNE);
        long got = RefOps.fromBigDecimal(f, v, e);
        assertEquals(f.hex(want) + " " + Flags.hex(wantFlags), f.hex(got) + " " + Flags.hex(e.flags), "ref " + decimal);
        e = new Env(Rounding.RNE);
        got = FloatOps.fromBigDecimal(f, v, e);
        assertEquals(f.hex(want) + " " + Flags.hex(wantFlags), f.hex(got) + " " + Flags.hex(e.flags), "fast " + decimal);
    }

    @Test
    void handDerivedCases() {
        Format h = Format.BINARY16;
        // 0.1 = 1.6 * 2^-4: exponent field -4 + 15 = 11 = 01011; fraction 0.6 * 1024 = 614.4 -> 614 = 0x266
        // (0.4 < 1/2): 0 01011 1001100110 = 0x2C00 + 0x266 = 0x2E66, inexact
        dec(h, "0.1", 0x2E66, NX);
        dec(h, "-0.1", 0xAE66, NX);
        // 1.00048828125 = 1 + 2^-11: exactly half an ulp (2^-10) above 1: tie to the even 0x3C00
        dec(h, "1.00048828125", 0x3C00, NX);
        // 1 + 2^-11 + 10^-23 is above the midpoint: 1 + 2^-10 = 0x3C01
        dec(h, "1.00048828125000000000001", 0x3C01, NX);
        // 1 + 2^-11 - 10^-23 is below it: 0x3C00
        dec(h, "1.00048828124999999999999", 0x3C00, NX);
        // 65520 is the midpoint of 65504 (0x7BFF, fraction 1111111111 odd) and 2^16: ties to even 2^16 > max:
        // overflow to +Inf
        dec(h, "65520", 0x7C00, OF | NX);
        dec(h, "65519.99999999999999", 0x7BFF, NX);
        // 2^-25 is half the smallest subnormal 2^-24: ties to even 0 -> +0, underflow|inexact
        dec(h, "2.98023223876953125E-8", 0x0000, UF | NX);
        // BigDecimal zero has no sign: +0
        dec(h, "-0.000", 0x0000, 0);
        // e4m3fn: 464 is the midpoint of 448 (1.75 * 2^8, fraction 110 even) and 480: ties to 448, no overflow
        dec(Format.E4M3FN, "464", 0x7E, NX);
        dec(Format.E4M3FN, "464.000000000000000000001", 0x7F, OF | NX); // above: rounds to 480 > 448: NaN
        // binary64: 1e400 > max double (about 1.8e308): +Inf with overflow|inexact
        dec(Format.BINARY64, "1E+400", 0x7FF0000000000000L, OF | NX);
        // -1e-400 is below half the smallest subnormal 2^-1074 (about 4.9e-324): -0 with underflow|inexact
        dec(Format.BINARY64, "-1E-400", 0x8000000000000000L, UF | NX);
        // 0.1 in binary64 is the well-known 0x3FB999999999999A (rounded up from ...9999.6)
        dec(Format.BINARY64, "0.1", 0x3FB999999999999AL, NX);
    }

    /**
     * For every finite code b: the exact decimal value converts back to b, and so does the double value, with
     * flags 00. Documented exceptions (docs/formats.md §5): BigDecimal has no −0, so −0 comes back as +0;
     * {@code :nosub} subnormal codes read as a zero of their sign, so they come back as that zero (+0 via
     * BigDecimal; fnuz has only the zero 0x00).
     */
    @ParameterizedTest
    @ValueSource(strings = {"binary16", "bfloat16", "e4m3fn", "e5m2", "e4m3fnuz", "e5m2fnuz", "e4m3b11fnuz",
            "e3m2fn", "e2m3fn", "e2m1fn", "e8m0fnu", "fp16:nosub", "e5m2:sat", "e4m3fn:sat",
            "e4m3fnuz:nosub", "e8m0fnu:sat", "e6m9:bias=20", "e3m4fn:nosub:sat"})
    void roundTripEveryFiniteCode(String spec) {
        Format f = Format.parse(spec);
        Env e = new Env(Rounding.RNE);
        int checked = 0;
        for (long b : f.allBitPatterns()) {
            FpClass c = f.classify(b);
            if (!c.isFinite()) {
                continue;
            }
            boolean neg = f.isNegative(b);
            boolean readsAsZero = c == FpClass.ZERO; // ±0, and the subnormal codes of :nosub formats
            long viaDecimal = readsAsZero ? 0 : b; // BigDecimal zero is +0
            // a zero of the code's sign; fnuz has no -0: its only zero is 0x00
            long viaDouble = readsAsZero ? (neg && f.kind() != Kind.FNUZ ? f.signBit() : 0) : b;

            BigDecimal v = f.toBigDecimal(b);
            e.flags = 0;
            long r1 = FloatOps.fromBigDecimal(f, v, e);
            same(f, b, "fromBigDecimal(" + v + ")", viaDecimal, r1, e);
            double d = f.toDouble(b);
            if (new BigDecimal(d).compareTo(v) != 0) {
                fail(f + " " + f.hex(b) + ": toDouble " + d + " != toBigDecimal " + v);
            }
            e.flags = 0;
            same(f, b, "FloatOps.fromDouble(" + d + ")", viaDouble, FloatOps.fromDouble(f, d, e), e);
            e.flags = 0;
            same(f, b, "RefOps.fromDouble(" + d + ")", viaDouble, RefOps.fromDouble(f, d, e), e);
            checked++;
        }
        if (checked == 0) {
            fail("no finite codes in " + f);
        }
    }

    private static void same(Format f, long b, String what, long want, long got, Env e) {
        if (want != got || e.flags != 0) {
            fail(f + " code " + f.hex(b) + ": " + what + " gave " + f.hex(got) + " " + Flags.hex(e.flags)
                    + ", want " + f.hex(want) + " 00");
        }
    }
}
