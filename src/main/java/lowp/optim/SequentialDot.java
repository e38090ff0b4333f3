package lowp.optim;

/**
 * Sequential (recursive) summation datapath: each product is rounded once into the product precision
 * (or straight into the accumulator precision when that is null), added into the accumulator with one
 * rounding per addition, and the final sum is rounded once into the output precision. This is the
 * reference order of seed 000 (§1.5): bf16 inputs with a 15-fraction-bit accumulator have exact products
 * and only the additions round; with 10 bits the products round as well.
 */
public final class SequentialDot implements DotProduct {
    private final Prec product;
    private final Prec acc;
    private final Prec out;

    public SequentialDot(Prec product, Prec acc, Prec out) {
        this.product = product;
        this.acc = acc;
        this.out = out;
    }

    /** Accumulator with {@code accFraction} fraction bits and an 8-bit exponent (fp32 range), RNE unless given. */
    public static SequentialDot withAccumulator(String accFormat, String rounding, String outFormat, long seed) {
        Prec a = Prec.of(accFormat, rounding, seed, 101);
        Prec o = Prec.of(outFormat, rounding, seed, 102);
        return new SequentialDot(null, a, o);
    }

    @Override
    public double dot(double[] x, int xo, int xs, double[] y, int yo, int ys, int n) {
        double s = 0;
        Prec p = product == null ? acc : product;
        for (int i = 0; i < n; i++) {
            double t = p.mul(x[xo + i * xs], y[yo + i * ys]);
            s = i == 0 ? (product == null ? t : acc.round(t)) : acc.add(s, t);
        }
        return out.round(s);
    }

    @Override
    public double sum(double[] v, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s = i == 0 ? acc.round(v[0]) : acc.add(s, v[i]);
        }
        return out.round(s);
    }

    @Override
    public String describe() {
        return "sequential(product=" + (product == null ? "acc" : product) + ", acc=" + acc + ", out=" + out + ")";
    }
}
