package lowp.ref;

import lowp.format.Format;
import lowp.round.Env;
import net.jqwik.api.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An independent oracle for the reference itself: Java's float and double arithmetic (and Math.fma,
 * Math.sqrt) are IEEE 754 round-to-nearest-even, so RefOps in binary32 and binary64 under RNE must give the
 * same bits (NaNs compared as a class, since Java keeps payloads and the reference returns the canonical NaN).
 */
class RefVsJavaHardwareProperties {

    @Provide
    Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.doubles(),
                Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
                        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1.0, -1.0, 3.0),
                Arbitraries.integers().between(-1074, 1023).map(e -> Math.scalb(1.0, e)),
                Arbitraries.integers().between(-1074, 1023).map(e -> Math.nextUp(Math.scalb(1.0, e))));
    }

    @Provide
    Arbitrary<Float> floats() {
        return Arbitraries.oneOf(
                Arbitraries.integers().map(Float::intBitsToFloat),
                Arbitraries.floats(),
                Arbitraries.of(0f, -0f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
                        Float.NEGATIVE_INFINITY, Float.NaN, 1f, 3f),
                Arbitraries.integers().between(-149, 127).map(e -> Math.scalb(1f, e)));
    }

    private static void same64(double expected, long got) {
        if (Double.isNaN(expected)) {
            assertTrue(Format.BINARY64.isNaN(got));
        } else {
            assertEquals(Double.doubleToRawLongBits(expected), got);
        }
    }

    private static void same32(float expected, long got) {
        if (Float.isNaN(expected)) {
            assertTrue(Format.BINARY32.isNaN(got));
        } else {
            assertEquals(Float.floatToRawIntBits(expected) & 0xFFFFFFFFL, got);
        }
    }

    private static long b(double d) {
        return Double.doubleToRawLongBits(d);
    }

    private static long b(float f) {
        return Float.floatToRawIntBits(f) & 0xFFFFFFFFL;
    }

    @Property(tries = 3000)
    void binary64(@ForAll("doubles") double x, @ForAll("doubles") double y, @ForAll("doubles") double z) {
        Format f = Format.BINARY64;
        same64(x + y, RefOps.add(f, b(x), b(y), Env.rne()));
        same64(x - y, RefOps.sub(f, b(x), b(y), Env.rne()));
        same64(x * y, RefOps.mul(f, b(x), b(y), Env.rne()));
        same64(x / y, RefOps.div(f, b(x), b(y), Env.rne()));
        same64(Math.sqrt(x), RefOps.sqrt(f, b(x), Env.rne()));
        same64(Math.fma(x, y, z), RefOps.fma(f, b(x), b(y), b(z), Env.rne()));
        same32((float) x, RefOps.convert(f, b(x), Format.BINARY32, Env.rne()));
    }

    @Property(tries = 3000)
    void binary32(@ForAll("floats") float x, @ForAll("floats") float y, @ForAll("floats") float z) {
        Format f = Format.BINARY32;
        same32(x + y, RefOps.add(f, b(x), b(y), Env.rne()));
        same32(x - y, RefOps.sub(f, b(x), b(y), Env.rne()));
        same32(x * y, RefOps.mul(f, b(x), b(y), Env.rne()));
        same32(x / y, RefOps.div(f, b(x), b(y), Env.rne()));
        same32((float) Math.sqrt(x), RefOps.sqrt(f, b(x), Env.rne())); // sqrt via double is exact-then-once (p=53 >= 2*24+2)
        same32(Math.fma(x, y, z), RefOps.fma(f, b(x), b(y), b(z), Env.rne()));
        same64((double) x, RefOps.convert(f, b(x), Format.BINARY64, Env.rne()));
    }
}
