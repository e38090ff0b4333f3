package lowp.acc;

import lowp.format.Format;
import lowp.round.Rounding;
import net.jqwik.api.*;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

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
            if (kind == 5) { // [128, 256), positive: fp16 products below max finite, sums that overflow
                long e = f.bias() + 7;
                bits = (e << f.manBits()) | (bits & ((1L << f.manBits()) - 1));
                continue;
            }
            if (r.nextBoolean()) bits |= f.signBit();
        } while (f.isNaN(bits) || (kind == 0 && f.isInf(bits)));
        if (kind == 1 && r.nextInt(8) == 0) bits = 0;
        return f.toDouble(bits);
    }

    @Property(tries = 2000)
    void interleavedKernelEqualsGeneralPath(@ForAll("models") SequentialModel model,
                                            @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 6) int m,
                                            @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 13) int n,
                                            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 40) int k,
                                            @ForAll long seed, @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 5) int kind,
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

    /**
     * The reduced loop ({@link SequentialModel#quick4}: no exactness bookkeeping, no product overflow checks, sum
     * overflow checks only with {@code checkSums}) on its own, whenever its preconditions hold (INEXACT already
     * raised, {@link SequentialModel#productsCannotOverflow}, and without checkSums
     * {@link SequentialModel#cannotOverflow}, for the data's maxima; tiny sums exact): the general path's bits
     * and flags for each of the four chains; declines only where the general path overflows or a tiny product
     * rounds up to 2^emin.
     */
    @Property(tries = 1500)
    @StatisticsReport(onFailureOnly = true)
    void quickKernelEqualsGeneralPath(@ForAll("models") SequentialModel model,
                                      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 60) int k,
                                      @ForAll long seed, @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 5) int kind,
                                      @ForAll boolean checkSums) {
        Assume.that(model.hasDouble4Kernel() && model.accumulatorFormat().subnormals()
                && model.productFormat().minQuantumExp() >= model.accumulatorFormat().minQuantumExp());
        Format in = model.inputFormat();
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[k];
        double[] b = new double[4 * k];
        for (int i = 0; i < a.length; i++) a[i] = value(in, r, kind == 2 ? r.nextInt(2) : kind);
        for (int i = 0; i < b.length; i++) b[i] = value(in, r, kind == 2 ? r.nextInt(2) : kind);
        long[] c = new long[4];
        double maxA = 0, maxB = 0, maxC = 0;
        for (int j = 0; j < 4; j++) {
            c[j] = Packed.fromDouble(model.outputFormat(), value(model.outputFormat(), r, 0));
            maxC = Math.max(maxC, Math.abs(Packed.toDouble(c[j])));
        }
        for (double v : a) maxA = Math.max(maxA, Math.abs(v));
        for (double v : b) maxB = Math.max(maxB, Math.abs(v));
        // with checkSums only the products must be safe; without, no partial sum may overflow either
        Assume.that(checkSums ? model.productsCannotOverflow(maxA, maxB) : model.cannotOverflow(a, 0, k, maxB, maxC));
        Lane quick = new Lane(null);
        quick.env.flags = lowp.round.Flags.INEXACT;
        long[] out = new long[4];
        boolean done = model.quick4(a, 0, b, 0, k, 2 * k, 3 * k, k, c[0], c[1], c[2], c[3], checkSums, out, quick);
        int flags = lowp.round.Flags.INEXACT;
        long[] row = new long[k];
        for (int q = 0; q < k; q++) row[q] = Packed.fromDouble(in, a[q]);
        boolean needsGeneral = false;
        for (int j = 0; j < 4; j++) {
            long[] col = new long[k];
            for (int q = 0; q < k; q++) col[q] = Packed.fromDouble(in, b[j * k + q]);
            Lane lane = new Lane(null);
            long want = model.dotPacked(row, 0, 1, col, 0, 1, k, c[j], lane);
            flags |= lane.env.flags;
            // quick4 may decline (false) only for a sum that overflows (checkSums: the general path raises
            // OVERFLOW) or a tiny product that rounds up to 2^emin on the subnormal grid (whether that is tiny
            // after rounding, with UNDERFLOW, is the general path's decision)
            needsGeneral |= checkSums && (lane.env.flags & lowp.round.Flags.OVERFLOW) != 0;
            Format mf = model.productFormat();
            java.math.BigDecimal minN = mf.toBigDecimal(mf.minNormalBits());
            java.math.BigDecimal quantum = mf.toBigDecimal(1);
            for (int q = 0; q < k; q++) {
                java.math.BigDecimal p = new java.math.BigDecimal(a[q]).multiply(new java.math.BigDecimal(b[j * k + q])).abs();
                if (p.signum() > 0 && p.compareTo(minN) < 0) {
                    if (!mf.subnormals()) {
                        needsGeneral = true; // flushing is the general path's
                        continue;
                    }
                    java.math.BigDecimal rounded = p.divide(quantum).setScale(0, java.math.RoundingMode.HALF_EVEN).multiply(quantum);
                    needsGeneral |= rounded.compareTo(minN) == 0;
                }
            }
            if (done) {
                assertEquals(want, out[j], model + " chain " + j);
            }
        }
        Statistics.label("quick4").collect(done ? "done" : "declined", checkSums);
        Statistics.label("quick4").coverage(cov -> {
            cov.check("done", false).percentage(pct -> pct > 20);
            cov.check("done", true).percentage(pct -> pct > 20);
            cov.check("declined", true).percentage(pct -> pct > 1); // overflowing sums reach the general path
        });
        if (done) {
            assertEquals(flags, quick.env.flags, "flags of " + model);
        } else {
            assertEquals(true, needsGeneral, "quick4 declined without an overflow or a tiny product rounding up to 2^emin: " + model);
        }
    }

    /**
     * {@link SequentialModel#cannotOverflow} by hand, fp16 products and sums (max finite 65504, ulp 32 in
     * [2^15, 2^16)): rows of 16 against |b| &lt;= 16 give terms of at most 256, so after i terms |s| &lt;= 256 i, exact up to
     * 255 terms (65280) while a 256th term could reach 65536, which overflows; |a|, |b| &lt;= 1 give S = i up to
     * 2048, where 2048 + 1 rounds back to 2048 (tie to even) and S never grows again; 256 * 256 = 65536
     * overflows as a single product; from c = 65504 a term of 15 rounds back (65519 &lt; 65520, the midpoint to
     * 2^16) but 16 reaches the midpoint, a tie that goes to the even 2^16: overflow; NaN or Inf maxima never pass.
     */
    static double[] row(int k, double v) {
        double[] r = new double[k];
        java.util.Arrays.fill(r, v);
        return r;
    }

    @Example
    void cannotOverflowByHand() {
        SequentialModel f16 = SequentialModel.separate(Format.BINARY16, Format.BINARY16, Rounding.RNE, Format.BINARY16, Rounding.RNE);
        assertEquals(true, f16.cannotOverflow(row(255, 16), 0, 255, 16, 0));
        assertEquals(false, f16.cannotOverflow(row(256, 16), 0, 256, 16, 0));
        assertEquals(true, f16.cannotOverflow(row(255, -16), 0, 255, 16, 32)); // 32 + 65280 = 65312, every partial sum exact
        assertEquals(false, f16.cannotOverflow(row(255, 16), 0, 255, 16, 256)); // 256 + 65280 = 65536
        assertEquals(true, f16.cannotOverflow(row(255, 16), 0, 255, 16, 224)); // 224 + 65280 = 65504 = max finite
        assertEquals(true, f16.cannotOverflow(row(1 << 18, 1), 0, 1 << 18, 1, 0));
        assertEquals(false, f16.cannotOverflow(row(1, 256), 0, 1, 256, 0));
        assertEquals(true, f16.cannotOverflow(row(1, 255), 0, 1, 256, 0)); // 65280
        assertEquals(true, f16.cannotOverflow(row(1, 1), 0, 1, 15, 65504)); // 65519 rounds down to 65504
        assertEquals(false, f16.cannotOverflow(row(1, 1), 0, 1, 16, 65504)); // 65520: tie, to even 2^16, overflow
        assertEquals(true, f16.cannotOverflow(row(100, 0), 0, 100, 1, 65504));
        // the row's own values, not k times its maximum: 16 * 16 + 255 * (1 * 16) = 4336, though 16 * 16 * 256 = 65536
        double[] spike = row(256, 1);
        spike[7] = -16;
        assertEquals(true, f16.cannotOverflow(spike, 0, 256, 16, 0));
        // offset and length select the row: the spike alone is outside [8, 8 + 255)
        assertEquals(false, f16.cannotOverflow(row(300, 16), 8, 256, 16, 0));
        assertEquals(true, f16.cannotOverflow(row(300, 16), 8, 255, 16, 0));
        // terms below 2^-14 are bounded by 2^-14 (no tiny value rounds above it): 3 * 2^-14
        assertEquals(true, f16.cannotOverflow(row(3, 0x1p-20), 0, 3, 1, 0));
        assertEquals(false, f16.cannotOverflow(row(1, Double.NaN), 0, 1, 1, 0));
        assertEquals(false, f16.cannotOverflow(row(1, 1), 0, 1, Double.POSITIVE_INFINITY, 0));
        assertEquals(false, f16.cannotOverflow(row(1, 1), 0, 1, 1, Double.NaN));
    }

    /**
     * The all-rows form agrees with the per-row bound on a row of k copies of maxA (same steps); stagnation
     * ends it early without changing the answer: from 2048, terms of 1 round back (2049 is a tie, to even 2048).
     */
    @Example
    void uniformBoundEqualsRowBoundOnConstantRows() {
        SequentialModel f16 = SequentialModel.separate(Format.BINARY16, Format.BINARY16, Rounding.RNE, Format.BINARY16, Rounding.RNE);
        double[][] cases = {{16, 16, 0, 255}, {16, 16, 0, 256}, {16, 16, 224, 255}, {16, 16, 256, 255}, {1, 1, 0, 100000},
                {256, 256, 0, 1}, {1, 15, 65504, 1}, {1, 16, 65504, 1}, {0x1p-20, 1, 0, 3}, {0, 1, 65504, 9}, {3, 5, 7, 4000}};
        for (double[] c : cases) {
            int k = (int) c[3];
            assertEquals(f16.cannotOverflow(row(k, c[0]), 0, k, c[1], c[2]), f16.cannotOverflowUniform(c[0], c[1], c[2], k),
                    java.util.Arrays.toString(c));
        }
        assertEquals(true, f16.cannotOverflowUniform(1, 1, 0, Integer.MAX_VALUE)); // stops at 2048
        assertEquals(false, f16.cannotOverflowUniform(Double.NaN, 1, 0, 1));
        assertEquals(false, f16.cannotOverflowUniform(1, 1, Double.POSITIVE_INFINITY, 1));
    }

    @Provide
    Arbitrary<SequentialModel> models() {
        return Arbitraries.of(
                SequentialModel.separate(Format.BINARY16, Format.BINARY16, Rounding.RNE, Format.BINARY16, Rounding.RNE),
                SequentialModel.separate(Format.BFLOAT16, Format.BFLOAT16, Rounding.RNE, Format.BFLOAT16, Rounding.RNE),
                SequentialModel.separate(Format.E4M3FN, Format.BINARY16, Rounding.RNE, Format.BINARY16, Rounding.RNE),
                SequentialModel.separate(Format.BINARY16, Format.BINARY16, Rounding.RNE, Format.BINARY32, Rounding.RNE),
                SequentialModel.separate(Format.BINARY16, Format.parse("fp16:nosub"), Rounding.RNE, Format.parse("fp16:nosub"), Rounding.RNE),
                SequentialModel.separate(Format.BINARY16, Format.E5M2, Rounding.RNE, Format.BINARY16, Rounding.RNE),
                // accumulator quantum 2^-16 coarser than the products' 2^-24: tiny sums must round on e5m2's grid
                SequentialModel.separate(Format.E4M3FN, Format.BINARY16, Rounding.RNE, Format.E5M2, Rounding.RNE),
                // FN accumulator (max 1.75 * 2^16, 1.875 * 2^16 is NaN): sums that round past max go to the general path
                SequentialModel.separate(Format.E4M3FN, Format.BINARY16, Rounding.RNE, Format.parse("e5m3fn"), Rounding.RNE));
    }
}
