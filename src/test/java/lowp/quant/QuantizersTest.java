package lowp.quant;

import lowp.format.Format;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantizersTest {
    @Test
    void parsesEveryKind() {
        FloatQuantizer f = (FloatQuantizer) Quantizers.parse("e4m3fn,clamp,flush/sr8");
        assertEquals(Format.E4M3FN, f.format());
        assertEquals(Rounding.srBits(8), f.rounding());
        assertEquals(FloatQuantizer.Overflow.CLAMP, f.overflow());
        assertEquals(FloatQuantizer.Underflow.FLUSH, f.underflow());
        assertEquals(Rounding.RNE, ((FloatQuantizer) Quantizers.parse("binary16")).rounding());
        FixedPointQuantizer x = (FixedPointQuantizer) Quantizers.parse("fixed:u12.3,wrap/rtz");
        assertEquals(12, x.wordLength());
        assertEquals(3, x.fractionLength());
        assertTrue(!x.signed());
        assertEquals(FixedPointQuantizer.OverflowMode.WRAP, x.overflowMode());
        assertEquals(1.0 / 8, x.quantize(0.2));
        GridQuantizer g = (GridQuantizer) Quantizers.parse("log:0.125,0.5,3/sr");
        assertEquals(8, g.grid().length);
        assertEquals(32, ((BlockQuantizer) Quantizers.parse("mxfp4_e2m1/rne")).blockSize());
        assertEquals(16, ((BlockQuantizer) Quantizers.parse("nvfp4")).blockSize());
    }

    @Test
    void badSpecsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Quantizers.parse("fixed:q8.4"));
        assertTrue(e.getMessage().contains("fixed:q8.4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Quantizers.parse("binary16,bogus/rne"));
        assertTrue(e.getMessage().contains("bogus"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Quantizers.parse("binary16/sr0"));
        assertTrue(e.getMessage().contains("sr0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Quantizers.parse("log:1,x,3"));
        assertTrue(e.getMessage().contains("log:1,x,3"), e.getMessage());
    }
}
