package lowp.acc;

import lowp.format.Format;
import lowp.round.Rounding;
import net.jqwik.api.*;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The four-column interleaved GEMM kernel for separate RNE product/accumulator roundings
 * ({@link SequentialModel#rneSeparate4}) gives, element for element, the bits of the model's general packed
 * path (itself tested against the BigInteger {@code RefModels}), and the same flags, for shapes whose n is
 * not a multiple of 4 and values that force the fallback (overflow, tiny values rounding up to 2^emin, formats
 * without subnormals) or take the inline tiny path (zeros, subnormal products and sums).
 */
class Gemm4Properties {

    static double value(Format f, SplittableRandom r, int kind) {
        if (kind == 3) { // mostly small dyadics (exact sums), rarely a full-precision value: inexactness in one column only
            if (r.nextInt(48) != 0) {
                return (r.nextInt(13) - 6) * 0.5;
            }
            kind = 0;
        }
        long bits;
        do {
            bits = r.nextLong() & f.magnitudeMask();
            if (kind == 0) { // moderate normal values
                long e = f.bias() - 3 + r.nextInt(7);
                bits = (e << f.manBits()) | (bits & ((1L << f.manBits()) - 1));
            }
            if (kind == 4) { // about sqrt(2^emin of fp16): products near binary16's tiny boundary (2^-14), incl. ties to 2^-14
                long e = Math.max(1, f.bias() - 7 + r.nextInt(3) - 1);
                bits = (e << f.manBits()) | (bits & ((1L << f.manBits()) - 1));
            }
            if (r.nextBoolean()) bits |= f.signBit();
        } while (f.isNaN(bits) || (kind == 0 && f.isInf(bits)));
        if (kind == 1 && r.nextInt(8) == 0) bits = 0;
        return f.toDouble(bits);
    }

    @Property(tries = 600)
    void interleavedKernelEqualsGeneralPath(@ForAll("models") SequentialModel model,
                                            @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 6) int m,
                                            @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 13) int n,
                                            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 40) int k,
                                            @ForAll long seed, @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 4) int kind,
                                            @ForAll boolean withC) {
        Format in = model.inputFormat();
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        for (int i = 0; i < a.length; i++) a[i] = value(in, r, kind == 2 ? r.nextInt(2) : kind);
        for (int i = 0; i < b.length; i++) b[i] = value(in, r, kind == 2 ? r.nextInt(2) : kind);
        double[] c = null;
        if (withC) {
            c = new double[m * n];
            for (int i = 0; i < c.length; i++) c[i] = value(model.outputFormat(), r, 0);
        }
        AccContext ctx = new AccContext().threads(1);
        double[] d = Gemm.gemm(m, n, k, a, b, c, model, ctx);
        int flags = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long[] row = new long[k];
                long[] col = new long[k];
                for (int q = 0; q < k; q++) {
                    row[q] = Packed.fromDouble(in, a[i * k + q]);
                    col[q] = Packed.fromDouble(in, b[q * n + j]);
                }
                Lane lane = new Lane(null);
                lane.start((long) i * n + j);
                long c0 = c == null ? Packed.POS_ZERO : Packed.fromDouble(model.outputFormat(), c[i * n + j]);
                long want = model.dotPacked(row, 0, 1, col, 0, 1, k, c0, lane);
                flags |= lane.env.flags;
                assertEquals(Double.doubleToRawLongBits(Packed.toDouble(want)), Double.doubleToRawLongBits(d[i * n + j]),
                        model + " element " + i + "," + j);
            }
        }
        assertEquals(flags, ctx.flags, "flags of " + model);
    }

    @Provide
    Arbitrary<SequentialModel> models() {
        return Arbitraries.of(
                SequentialModel.separate(Format.BINARY16, Format.BINARY16, Rounding.RNE, Format.BINARY16, Rounding.RNE),
                SequentialModel.separate(Format.BFLOAT16, Format.BFLOAT16, Rounding.RNE, Format.BFLOAT16, Rounding.RNE),
                SequentialModel.separate(Format.E4M3FN, Format.BINARY16, Rounding.RNE, Format.BINARY16, Rounding.RNE),
                SequentialModel.separate(Format.BINARY16, Format.BINARY16, Rounding.RNE, Format.BINARY32, Rounding.RNE),
                SequentialModel.separate(Format.BINARY16, Format.parse("fp16:nosub"), Rounding.RNE, Format.parse("fp16:nosub"), Rounding.RNE),
                SequentialModel.separate(Format.BINARY16, Format.E5M2, Rounding.RNE, Format.BINARY16, Rounding.RNE));
    }
}
