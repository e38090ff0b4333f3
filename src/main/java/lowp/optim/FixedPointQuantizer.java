package lowp.optim;

import lowp.round.Rounding;

/**
 * Linear (fixed-point) quantization dom(delta, b) of seed 002 §1.1 with delta = 2^k: the 2^b points
 * -delta*2^(b-1) .. delta*(2^(b-1)-1) (two's complement), saturation outside the range, and any rounding rule
 * inside it (sr = the paper's unbiased randomized rounding). A thin adapter over
 * {@link lowp.quant.FixedPointQuantizer} (signed, word length b, fraction length -k, SATURATE) fed with the
 * counter-based word {@code Rng.word(seed, 7, index)}: results are that quantizer's, bit for bit.
 */
public final class FixedPointQuantizer implements Quantizer {
    /** Rng stream of this quantizer's random words. */
    static final int STREAM = 7;

    private final int bits;
    private final int log2Delta;
    private final lowp.quant.FixedPointQuantizer q;
    private final long seed;

    public FixedPointQuantizer(int bits, int log2Delta, Rounding rounding, long seed) {
        if (bits < 1 || bits > 52) {
            throw new IllegalArgumentException("fixed-point bits " + bits + " out of range 1..52");
        }
        this.bits = bits;
        this.log2Delta = log2Delta;
        this.q = new lowp.quant.FixedPointQuantizer(bits, -log2Delta, true, rounding,
                lowp.quant.FixedPointQuantizer.OverflowMode.SATURATE);
        this.seed = seed;
    }

    /** Adapter over a signed, saturating lowp.quant fixed-point quantizer of at most 52 bits. */
    public FixedPointQuantizer(lowp.quant.FixedPointQuantizer q, long seed) {
        this(checked(q).wordLength(), -q.fractionLength(), q.rounding(), seed);
    }

    private static lowp.quant.FixedPointQuantizer checked(lowp.quant.FixedPointQuantizer q) {
        if (!q.signed() || q.overflowMode() != lowp.quant.FixedPointQuantizer.OverflowMode.SATURATE) {
            throw new IllegalArgumentException("optimizer fixed-point quantizers are signed and saturating (dom(delta, b)"
                    + " of seed 002), got " + q);
        }
        return q;
    }

    /** b bits covering [-1, 1): delta = 2^-(b-1) (the paper's "range -1 to 1"). */
    public static FixedPointQuantizer unitRange(int bits, Rounding rounding, long seed) {
        return new FixedPointQuantizer(bits, -(bits - 1), rounding, seed);
    }

    /** The lowp.quant quantizer this adapter applies. */
    public lowp.quant.FixedPointQuantizer quantizer() {
        return q;
    }

    public double delta() {
        return q.step();
    }

    public double min() {
        return Math.scalb((double) q.minInteger(), log2Delta);
    }

    @Override
    public double apply(double x, long index) {
        return q.quantize(x, q.isStochastic() ? Rng.word(seed, STREAM, index) : 0L);
    }

    @Override
    public String name() {
        return "fixed" + bits + "(delta=2^" + log2Delta + ")/" + q.rounding();
    }

    @Override
    public boolean stochastic() {
        return q.isStochastic();
    }

    /** delta = 2^k, zeta = eta = 0 (the grid's parameters: lowp.quant.VarianceParams of its sr version). */
    @Override
    public VarianceParams params() {
        return new VarianceParams(delta(), 0, 0);
    }

    @Override
    public double maxValue() {
        return Math.scalb((double) q.maxInteger(), log2Delta);
    }
}
