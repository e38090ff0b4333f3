package lowp.optim;

import lowp.acc.AccContext;
import lowp.acc.AccumulatorModel;
import lowp.acc.Dot;

/**
 * Thin adapter: runs a {@link DotProduct} through any {@link lowp.acc.AccumulatorModel} (sequential, pairwise,
 * FMA, chunked, fused-block hardware models), then rounds the model's result once into {@code out}. Every
 * input must be a value of the model's input format (e.g. fp32 inputs for bf16 data with fp32 weights).
 */
public final class AccModelDot implements DotProduct {
    private final AccumulatorModel model;
    private final Prec out;
    private final AccContext ctx = new AccContext();

    public AccModelDot(AccumulatorModel model, Prec out) {
        this.model = model;
        this.out = out;
    }

    @Override
    public double dot(double[] x, int xo, int xs, double[] y, int yo, int ys, int n) {
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = x[xo + i * xs];
            b[i] = y[yo + i * ys];
        }
        return out.round(Dot.dot(a, b, 0.0, model, ctx));
    }

    @Override
    public double sum(double[] v, int n) {
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1.0);
        return dot(v, 0, 1, ones, 0, 1, n);
    }

    @Override
    public String describe() {
        return model.describe() + " -> " + out;
    }
}
