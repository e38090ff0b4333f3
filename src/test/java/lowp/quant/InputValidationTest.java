package lowp.quant;

import lowp.format.Format;
import lowp.rng.RandomKey;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Construction-time and call-time validation with messages that name the problem. */
class InputValidationTest {

    @Test
    void scaleFormatsThatCannotBeScalesAreRejectedAtConstruction() {
        for (BlockQuantizer.ScaleRule rule : BlockQuantizer.ScaleRule.values()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BlockQuantizer(
                    Format.E2M1FN, Rounding.RNE, Format.BINARY64, 16, rule, Rounding.RNE));
            assertTrue(e.getMessage().contains("binary64") && e.getMessage().contains("cannot be a block scale"),
                    e.getMessage());
        }
        // 24-bit binary32 and 8-bit bfloat16 scales are fine: 6 * 2^-1 / 2 (AMAX: 3 / 6 = 0.5 exactly)
        BlockQuantizer b32 = new BlockQuantizer(Format.E2M1FN, Rounding.RNE, Format.BINARY32, 16,
                BlockQuantizer.ScaleRule.AMAX, Rounding.RNE);
        assertEquals(3.0, b32.quantize(3.0, 0L));
        new BlockQuantizer(Format.E2M1FN, Rounding.RNE, Format.BFLOAT16, 16, BlockQuantizer.ScaleRule.AMAX, Rounding.RNE);
    }

    @Test
    void overlappingRangesAtDifferentOffsetsAreRejected() {
        FloatQuantizer q = new FloatQuantizer(Format.BINARY16, Rounding.SR);
        RandomKey key = RandomKey.of(1);
        double[] a = new double[300];
        float[] f = new float[300];
        for (int threads : new int[] {1, 2}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> q.quantize(a, 0, a, 1, 299, key, 0, threads));
            assertTrue(e.getMessage().contains("overlapping"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> q.quantize(f, 5, f, 0, 200, key, 0, threads));
            assertThrows(IllegalArgumentException.class,
                    () -> BlockQuantizer.mx("mxfp4_e2m1", Rounding.RNE).quantize(a, 32, a, 0, 64, null, 0, threads));
        }
        // equal offsets (in place) and disjoint ranges of one array are fine, and correct
        for (int i = 0; i < 300; i++) a[i] = 1 + i * 0x1p-12;
        double[] want = new double[150];
        for (int i = 0; i < 150; i++) want[i] = q.quantize(a[i], key.word(i));
        q.quantize(a, 0, a, 150, 150, key, 0, 2);
        for (int i = 0; i < 150; i++) assertEquals(want[i], a[150 + i]);
        q.quantize(a, 0, a, 0, 150, key, 0, 2);
        for (int i = 0; i < 150; i++) assertEquals(want[i], a[i]);
    }
}
