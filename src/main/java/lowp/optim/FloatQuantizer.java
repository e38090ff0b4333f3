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
    private VarianceParams params;

    public FloatQuantizer(Format format, Rounding rounding, long seed) {
        this(new lowp.quant.FloatQuantizer(format, rounding), seed);
    }

    /** Adapter over any lowp.quant float quantizer (its edge policies included). */
    public FloatQuantizer(lowp.quant.FloatQuantizer q, long seed) {
        this.format = q.format();
        this.rounding = q.rounding();
        this.q = q;
        this.seed = seed;
    }

    /** The lowp.quant quantizer this adapter applies. */
    public lowp.quant.FloatQuantizer quantizer() {
        return q;
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

    /**
     * Definition-1 parameters of the format's point set under sr (lowp.quant.VarianceParams: zeta = 2^-M, delta =
     * the subnormal spacing); NaN parameters where the set has none (no subnormals, FLUSH: sr is biased there).
     */
    @Override
    public synchronized VarianceParams params() {
        if (params == null) {
            lowp.quant.FloatQuantizer sr = new lowp.quant.FloatQuantizer(format, Rounding.SR, q.underflow(), q.overflow());
            params = lowp.quant.VarianceParams.unbiasedReason(sr) == null ? Quantizers.paramsOfSrGrid(sr)
                    : new VarianceParams(Double.NaN, Double.NaN, Double.NaN);
        }
        return params;
    }

    @Override
    public double maxValue() {
        return ExactRound.value(format, format.maxFiniteBits());
    }
}
