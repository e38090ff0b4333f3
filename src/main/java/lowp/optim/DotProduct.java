package lowp.optim;

/**
 * The accumulator model a gradient's inner products run through. Implementations decide product
 * rounding, accumulator format, summation order and the final rounding.
 */
public interface DotProduct {
    /** sum_i x[xo + i*xs] * y[yo + i*ys] for i &lt; n. */
    double dot(double[] x, int xo, int xs, double[] y, int yo, int ys, int n);

    default double dot(double[] x, double[] y) {
        return dot(x, 0, 1, y, 0, 1, x.length);
    }

    /** sum of v. */
    double sum(double[] v, int n);

    String describe();

    /** Exact (binary64) sequential dot product. */
    static DotProduct exact() {
        return new SequentialDot(null, Prec.exact(), Prec.exact());
    }
}
