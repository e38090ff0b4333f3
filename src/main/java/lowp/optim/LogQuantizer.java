package lowp.optim;

import lowp.round.Rounding;

/**
 * Logarithmic quantization of seed 002 §1.3: q_0 = 0, q_{i+1} - q_i = delta + zeta q_i, 2^(b-1) non-negative
 * points q_0..q_{2^(b-1)-1} and negatives -q_1..-q_{2^(b-1)}; saturation outside. A thin adapter over
 * {@link lowp.quant.GridQuantizer#logarithmic} (the recursion evaluated exactly and each point rounded once to
 * the nearest double; any rounding rule) fed with the counter-based word {@code Rng.word(seed, 13, index)}:
 * results are that quantizer's, bit for bit.
 */
public final class LogQuantizer implements Quantizer {
    /** Rng stream of this quantizer's random words. */
    static final int STREAM = 13;

    private final double delta;
    private final double zeta;
    private final int bits;
    private final lowp.quant.GridQuantizer q;
    private final double[] grid;
    private final long seed;
    private VarianceParams params;

    public LogQuantizer(double delta, double zeta, int bits, Rounding rounding, long seed) {
        this.q = lowp.quant.GridQuantizer.logarithmic(delta, zeta, bits, rounding);
        this.delta = delta;
        this.zeta = zeta;
        this.bits = bits;
        this.grid = q.grid();
        this.seed = seed;
    }

    /** The lowp.quant quantizer this adapter applies. */
    public lowp.quant.GridQuantizer quantizer() {
        return q;
    }

    /** q_i for 0 &lt;= i &lt;= 2^(b-1) (q_{2^(b-1)} is only used as -q_{2^(b-1)}, the most negative point). */
    public double point(int i) {
        int n = 1 << (bits - 1);
        if (i < 0 || i > n) {
            throw new IndexOutOfBoundsException("log point " + i + " (0.." + n + ")");
        }
        return i == n ? -grid[0] : grid[n + i];
    }

    @Override
    public double apply(double x, long index) {
        return q.quantize(x, q.isStochastic() ? Rng.word(seed, STREAM, index) : 0L);
    }

    @Override
    public String name() {
        return "log" + bits + "(delta=" + delta + ",zeta=" + zeta + ")/" + q.rounding();
    }

    @Override
    public boolean stochastic() {
        return q.isStochastic();
    }

    /**
     * Definition-1 parameters of the point set (as stored, in doubles) under sr with the construction's zeta:
     * lowp.quant.VarianceParams of the sr version of this grid; eta = zeta^2 / (4 (1 + zeta)).
     */
    @Override
    public synchronized VarianceParams params() {
        if (params == null) {
            params = Quantizers.paramsOfSrGrid(lowp.quant.GridQuantizer.logarithmic(delta, zeta, bits, Rounding.SR));
        }
        return params;
    }

    @Override
    public double maxValue() {
        return grid[grid.length - 1];
    }
}
