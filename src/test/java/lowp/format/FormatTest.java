package lowp.format;

import lowp.ops.Gen;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Format model: spec round trip, errors, classification, neighbours, ulp, enumeration (hand-derived values). */
class FormatTest {

    private static void assertNum(BigDecimal want, BigDecimal got) {
        assertEquals(0, want.compareTo(got), () -> "want " + want + " got " + got);
    }

    private static BigDecimal pow2(int e) {
        return Format.exactDyadic(java.math.BigInteger.ONE, e);
    }

    /** Every valid format prints a spec that parses back to it (jqwik default tries; 20000 with -Pexhaustive). */
    @Property
    void toStringParsesBack(@ForAll long seed) {
        Format f = Gen.format(new Random(seed));
        assertEquals(f, Format.parse(f.toString()), f::toString);
        assertEquals(f, Format.parse(f.toString().toUpperCase()), f::toString);
    }

    @Test
    void namedFormatsAndAliases() {
        assertEquals(Format.BINARY16, Format.parse("fp16"));
        assertEquals(Format.BINARY16, Format.parse("half"));
        assertEquals(Format.BFLOAT16, Format.parse("bf16"));
        assertEquals(Format.E4M3FN, Format.parse("E4M3FN"));
        assertEquals("binary16", Format.parse("e5m10").toString());
        assertEquals("e5m2:sat", Format.parse("e5m2:sat").toString());
        assertEquals("e6m9:bias=20", Format.parse("e6m9:bias=20").toString());
        assertEquals("bfloat16:nosub", Format.parse("bf16:nosub").toString());
        assertEquals("e4m3fnuz", Format.parse("e4m3fnuz").toString());
        assertEquals(8, Format.parse("e4m3fnuz").bias());
        assertEquals(Kind.MX, Format.parse("e2m1fn").kind());
        assertTrue(Format.parse("e2m1fn").saturating());
        assertEquals(19, Format.TF32.width());
        assertEquals(8, Format.E8M0FNU.width());
        assertFalse(Format.E8M0FNU.signed());
        for (Map.Entry<String, Format> e : Format.namedFormats().entrySet()) {
            assertEquals(e.getKey(), e.getValue().toString());
            assertSame(Format.namedFormats().get(e.getKey()), e.getValue());
        }
    }

    private static void bad(String spec, String part) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Format.parse(spec));
        assertTrue(ex.getMessage().contains(part), () -> spec + ": " + ex.getMessage());
    }

    @Test
    void badSpecsNameTheBadPart() {
        bad("e4m3fn:sot", "'sot'");
        bad("fp17", "'fp17'");
        bad("e16m3", "exponent width 16");
        bad("e5m53", "mantissa width 53");
        bad("e5m2:bias=x", "'x'");
        bad("e5m2:bias=99999999999", "bias '99999999999' out of range -2^20..2^20"); // too big for an int
        bad("e5m2:bias=-2000000", "bias -2000000 out of range -2^20..2^20");
        bad("e5m2:bias=1.5", "bias '1.5' is not an integer");
        bad("e8m1fnu", "m=1");
        bad("e1m0", "e1m0");
        bad("", "empty");
        bad("e15m52", "wider than 64 bits");
        bad("e1m0fn", "no finite non-zero value");
    }

    @Test
    void extremesHandDerived() {
        // e4m3fn: S.1111.110 = 1.75 * 2^(15-7) = 448; e4m3fnuz: 1.875 * 2^(15-8) = 240
        assertNum(new BigDecimal(448), Format.E4M3FN.maxFinite());
        assertNum(new BigDecimal(240), Format.E4M3FNUZ.maxFinite());
        assertNum(new BigDecimal(57344), Format.E5M2.maxFinite()); // 1.75 * 2^15
        assertNum(new BigDecimal(57344), Format.E5M2FNUZ.maxFinite()); // 1.75 * 2^(31-16)
        assertNum(new BigDecimal(28), Format.E3M2FN.maxFinite()); // 1.75 * 2^(7-3)
        assertNum(new BigDecimal("7.5"), Format.E2M3FN.maxFinite()); // 1.875 * 2^(3-1)
        assertNum(new BigDecimal(6), Format.E2M1FN.maxFinite()); // 1.5 * 2^2
        assertNum(pow2(127), Format.E8M0FNU.maxFinite()); // code 0xFE
        assertNum(pow2(-127), Format.E8M0FNU.minNormal()); // code 0x00
        assertNum(new BigDecimal(65504), Format.BINARY16.maxFinite());
        assertNum(pow2(-14), Format.BINARY16.minNormal());
        assertNum(pow2(-24), Format.BINARY16.minSubnormal());
        assertNum(pow2(-7), Format.E4M3FNUZ.minNormal());
        assertNum(pow2(-17), Format.E5M2FNUZ.minSubnormal());
        assertNum(pow2(-133), Format.BFLOAT16.minSubnormal());
        assertNum(pow2(-10), Format.BINARY16.epsilon());
        assertNum(pow2(-14), Format.parse("fp16:nosub").minSubnormal()); // no subnormals: the min normal
        assertNum(new BigDecimal("0.001953125"), Format.E4M3FN.toBigDecimal(0x01));
        assertEquals(-1.5, Format.E2M1FN.toDouble(0xB));
    }

    @Test
    void classifyHandDerived() {
        Format h = Format.BINARY16;
        assertEquals(FpClass.INFINITE, h.classify(0x7C00));
        assertEquals(FpClass.INFINITE, h.classify(0xFC00));
        assertEquals(FpClass.NAN, h.classify(0x7E00));
        assertEquals(FpClass.NAN, h.classify(0x7C01));
        assertTrue(h.isSignalingNaN(0x7C01));
        assertFalse(h.isSignalingNaN(0x7E00));
        assertEquals(FpClass.ZERO, h.classify(0x8000));
        assertEquals(FpClass.SUBNORMAL, h.classify(0x03FF));
        assertEquals(FpClass.NORMAL, h.classify(0x0400));
        assertEquals(FpClass.NAN, Format.E4M3FN.classify(0x7F));
        assertEquals(FpClass.NAN, Format.E4M3FN.classify(0xFF));
        assertEquals(FpClass.NORMAL, Format.E4M3FN.classify(0x78)); // 256: exponent 1111 is finite in fn
        assertEquals(FpClass.NAN, Format.E4M3FNUZ.classify(0x80));
        assertEquals(FpClass.NORMAL, Format.E4M3FNUZ.classify(0x7F));
        assertEquals(FpClass.NORMAL, Format.E8M0FNU.classify(0x00));
        assertEquals(FpClass.NAN, Format.E8M0FNU.classify(0xFF));
        assertEquals(FpClass.ZERO, Format.parse("fp16:nosub").classify(0x0001)); // read as zero
        assertEquals(FpClass.SUBNORMAL, Format.E2M1FN.classify(0x9));
    }

    @Test
    void nextUpNextDownHandDerived() {
        Format h = Format.BINARY16;
        assertEquals(0x7C00, h.nextUp(0x7BFF));
        assertEquals(0x0001, h.nextUp(0x0000));
        assertEquals(0x0001, h.nextUp(0x8000));
        assertEquals(0x8000, h.nextUp(0x8001));
        assertEquals(0xFBFF, h.nextUp(0xFC00));
        assertEquals(0x7C00, h.nextUp(0x7C00));
        assertEquals(0x3BFF, h.nextDown(0x3C00));
        assertEquals(0x8001, h.nextDown(0x0000));
        assertEquals(0x7BFF, h.nextDown(0x7C00));
        assertEquals(0x7E, Format.E4M3FN.nextUp(0x7E)); // no larger value (0x7F is NaN)
        assertEquals(0xFD, Format.E4M3FN.nextUp(0xFE));
        assertEquals(0x00, Format.E4M3FNUZ.nextUp(0x81)); // -min subnormal -> the only zero
        assertEquals(0x81, Format.E4M3FNUZ.nextDown(0x00));
        Format nosub = Format.parse("fp16:nosub");
        assertEquals(0x8000, nosub.nextUp(0x8400)); // skips the (flushed) subnormal codes
        assertEquals(0x0400, nosub.nextUp(0x0000));
        assertEquals(0x7F, Format.E8M0FNU.nextUp(0x7E));
        assertEquals(0xFE, Format.E8M0FNU.nextUp(0xFE));
    }

    @Test
    void ulpHandDerived() {
        Format h = Format.BINARY16;
        assertNum(pow2(-10), h.ulp(0x3C00)); // 1.0
        assertNum(pow2(-24), h.ulp(0x0001));
        assertNum(pow2(-24), h.ulp(0x0400));
        assertNum(pow2(-24), h.ulp(0x0000));
        assertNum(new BigDecimal(32), h.ulp(0x7BFF)); // 2^15 * 2^-10
        assertNum(new BigDecimal(32), Format.E4M3FN.ulp(0x7E)); // 2^8 * 2^-3
        assertThrows(ArithmeticException.class, () -> h.ulp(0x7C00));
    }

    @Test
    void enumerationCounts() {
        Map<FpClass, Integer> h = counts(Format.BINARY16);
        assertEquals(2, h.get(FpClass.INFINITE));
        assertEquals(2046, h.get(FpClass.NAN)); // 2 signs x 1023 non-zero fractions
        assertEquals(2, h.get(FpClass.ZERO));
        assertEquals(2046, h.get(FpClass.SUBNORMAL));
        assertEquals(61440, h.get(FpClass.NORMAL)); // 2 x 30 exponents x 1024
        Map<FpClass, Integer> e = counts(Format.E4M3FN);
        assertEquals(2, e.get(FpClass.NAN));
        assertEquals(14, e.get(FpClass.SUBNORMAL));
        assertEquals(238, e.get(FpClass.NORMAL));
        Map<FpClass, Integer> z = counts(Format.E4M3FNUZ);
        assertEquals(1, z.get(FpClass.NAN));
        assertEquals(1, z.get(FpClass.ZERO));
        Format m = Format.E2M1FN;
        double[] want = {0, 0.5, 1, 1.5, 2, 3, 4, 6};
        long[] all = m.allBitPatterns();
        assertEquals(16, all.length);
        for (int i = 0; i < 8; i++) {
            assertEquals(want[i], m.toDouble(all[i]));
            assertEquals(-want[i], m.toDouble(all[i + 8]));
        }
        assertThrows(IllegalArgumentException.class, () -> Format.BINARY32.allBitPatterns());
    }

    private static Map<FpClass, Integer> counts(Format f) {
        Map<FpClass, Integer> c = new EnumMap<>(FpClass.class);
        for (FpClass k : FpClass.values()) c.put(k, 0);
        for (long v : f.allBitPatterns()) c.merge(f.classify(v), 1, Integer::sum);
        return c;
    }
}
