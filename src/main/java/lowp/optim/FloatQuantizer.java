package lowp.optim;

import lowp.format.Format;
import lowp.round.Rounding;

/**
 * Rounds into any {@link Format} (IEEE semantics of that format: overflow, subnormals, :sat, :nosub): a thin
 * adapter over {@link lowp.quant.FloatQuantizer} (FORMAT overflow, GRADUAL underflow) fed with this
 * quantizer's counter-based random words.
 */
public final class FloatQuantizer implements Quantizer {
    private final Format format;
    private final Rounding rounding;
    private final lowp.quant.FloatQuantizer q;
    private final long seed;

    public FloatQuantizer(Format format, Rounding rounding, long seed) {
        this.format = format;
        this.rounding = rounding;
        this.q = new lowp.quant.FloatQuantizer(format, rounding);
        this.seed = seed;
    }

    public Format format() {
        return format;
    }

    @Override
    public double apply(double x, long index) {
        return q.quantize(x, rounding.isStochastic() ? Rng.word(seed, 17, index) : 0L);
    }

    @Override
    public String name() {
        return format + "/" + rounding;
    }

    @Override
    public boolean stochastic() {
        return rounding.isStochastic();
    }

    /** zeta = 2^-M; delta = the subnormal spacing 2^(emin-M) (gap criterion of seed 002 §1.4); NaN without subnormals. */
    @Override
    public VarianceParams params() {
        double zeta = Math.scalb(1.0, -format.manBits());
        double delta = format.subnormals() ? Math.scalb(1.0, format.emin() - format.manBits()) : Double.NaN;
        return VarianceParams.of(delta, zeta);
    }

    @Override
    public double maxValue() {
        return ExactRound.value(format, format.maxFiniteBits());
    }
}
