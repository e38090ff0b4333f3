package lowp.acc;

import lowp.format.Format;
import lowp.round.Rounding;

import java.util.Objects;

/**
 * Blocked (chunked) accumulation with an outer accumulator, which may be wider ("promotion"): the n
 * products are cut into consecutive chunks of {@code chunk} terms (the last may be shorter); chunk q is
 * accumulated by the inner model starting from +0 (c = +0 of the inner output format), and its result
 * is added into the outer accumulator: d = c; for each chunk q in increasing K: d = round_outer(d + s_q).
 *
 * <p>Covers blocked summation (inner and outer in the same format, Higham's γ_{b+n/b-2}), FABsum, mptorch's
 * GPU chunk-8 kernel, and the DeepSeek-V3 / CUTLASS 2xAcc scheme (inner = an FP8 tensor-core profile with
 * an e8m13 accumulator, chunk 128, outer = fp32 RNE).
 *
 * <p>Random-word steps: the outer addition of chunk q uses step q; inner step r of chunk q uses step
 * ((q+1) &lt;&lt; 20) + r (so chunks need fewer than 2^20 steps and there are fewer than 2^15 chunks).
 */
public final class ChunkedModel extends AccumulatorModel {
    final AccumulatorModel inner;
    final int chunk;
    final Format outer;
    final Rounding outerRnd;

    public ChunkedModel(AccumulatorModel inner, int chunk, Format outer, Rounding outerRnd) {
        this.inner = Objects.requireNonNull(inner);
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk size must be >= 1, got " + chunk);
        }
        if (inner.stepsFor(chunk) >= (1L << 20)) {
            throw new IllegalArgumentException("chunk size " + chunk + " too large");
        }
        this.chunk = chunk;
        this.outer = Objects.requireNonNull(outer);
        this.outerRnd = Objects.requireNonNull(outerRnd);
        checkAcc(outer);
    }

    public AccumulatorModel inner() { return inner; }
    public int chunk() { return chunk; }
    public Format outerFormat() { return outer; }
    public Rounding outerRounding() { return outerRnd; }

    @Override
    public Format inputFormat() { return inner.inputFormat(); }

    @Override
    public Format outputFormat() { return outer; }

    @Override
    public String describe() {
        return "chunked chunk=" + chunk + " outer=" + outer + "/" + outerRnd + " inner=[" + inner.describe() + "]";
    }

    @Override
    public long stepsFor(int n) {
        long chunks = (n + chunk - 1L) / chunk;
        return (chunks + 1) << 20;
    }

    @Override
    public long dotPacked(long[] a, int ao, int as, long[] b, int bo, int bs, int n, long c, Lane lane) {
        checkChunks(n);
        long d = c;
        long zero = Packed.POS_ZERO;
        long base = lane.base;
        int q = 0;
        for (int k0 = 0; k0 < n; k0 += chunk, q++) {
            int len = Math.min(chunk, n - k0);
            lane.base = base + ((long) (q + 1) << 20);
            long s = inner.dotPacked(a, ao + k0 * as, as, b, bo + k0 * bs, bs, len, zero, lane);
            lane.base = base;
            d = FloatArith.add(outer, outerRnd, q, d, s, lane);
        }
        return d;
    }

    /** The random-word numbering leaves room for fewer than 2^15 chunks per output element. */
    private void checkChunks(int n) {
        if ((n + (long) chunk - 1) / chunk >= (1 << 15)) {
            throw new IllegalArgumentException("K = " + n + " gives too many chunks of " + chunk + " (at most 32767)");
        }
    }

    @Override
    public boolean hasDecodedKernel() {
        return inner.hasDecodedKernel();
    }

    @Override
    public long dotDecoded(int[] sa, int[] ea, int ao, int[] sb, int[] eb, int bo, int n, long c, Lane lane) {
        checkChunks(n);
        long d = c;
        long base = lane.base;
        int q = 0;
        for (int k0 = 0; k0 < n; k0 += chunk, q++) {
            int len = Math.min(chunk, n - k0);
            lane.base = base + ((long) (q + 1) << 20);
            long s = inner.dotDecoded(sa, ea, ao + k0, sb, eb, bo + k0, len, Packed.POS_ZERO, lane);
            lane.base = base;
            if (s == Packed.NONE) {
                return Packed.NONE;
            }
            d = FloatArith.add(outer, outerRnd, q, d, s, lane);
        }
        return d;
    }
}
