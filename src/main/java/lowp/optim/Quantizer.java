package lowp.optim;

/**
 * A weight quantizer Q (seed 002): maps a real (binary64) value onto a point set, deterministically or with
 * stochastic rounding. {@code index} keys the random word of a stochastic rounding (e.g. step*d + coordinate),
 * so results do not depend on evaluation order.
 */
public interface Quantizer {
    double apply(double x, long index);

    String name();

    boolean stochastic();

    /** Definition-1 parameters (delta, zeta, eta) of seed 002 for this point set, or null. */
    VarianceParams params();

    /** Largest representable value (saturation point). */
    double maxValue();

    /** Quantizes every coordinate of v in place, coordinate i using index base + i. */
    default void applyAll(double[] v, long base) {
        for (int i = 0; i < v.length; i++) {
            v[i] = apply(v[i], base + i);
        }
    }

    /** Dimension-free variance bound parameters: E(Q(w)-w)^2 <= delta|w-z| + zeta|z||w-z| + eta(w-z)^2. */
    record VarianceParams(double delta, double zeta, double eta) {
        /** eta = zeta^2 / (4 (1 + zeta)) (Lemma 1). */
        public static VarianceParams of(double delta, double zeta) {
            return new VarianceParams(delta, zeta, zeta * zeta / (4 * (1 + zeta)));
        }
    }

    /** Q = id (full-precision SGD). */
    static Quantizer identity() {
        return new Quantizer() {
            @Override
            public double apply(double x, long index) {
                return x;
            }

            @Override
            public String name() {
                return "fp64";
            }

            @Override
            public boolean stochastic() {
                return false;
            }

            @Override
            public VarianceParams params() {
                return new VarianceParams(0, 0, 0);
            }

            @Override
            public double maxValue() {
                return Double.MAX_VALUE;
            }
        };
    }
}
