package lowp.bounds;

/** Lambert W (real branches W0 on [-1/e, inf) and W-1 on [-1/e, 0)) by Halley iteration. */
public final class LambertW {
    private LambertW() {
    }

    private static final double E_INV = Math.exp(-1);

    public static double w0(double x) {
        if (x < -E_INV) {
            return Double.NaN;
        }
        if (x == 0) {
            return 0;
        }
        double w;
        if (x < 1) {
            double p = Math.sqrt(2 * (Math.E * x + 1));
            w = -1 + p - p * p / 3 + 11.0 / 72 * p * p * p;
            if (x > -0.2) {
                w = x * (1 - x);
            }
        } else if (x < 3) {
            w = Math.log1p(x) * 0.75;
        } else {
            double l = Math.log(x);
            w = l - Math.log(l);
        }
        return halley(x, w);
    }

    public static double wm1(double x) {
        if (x < -E_INV || x >= 0) {
            return Double.NaN;
        }
        double w;
        if (x < -0.25) {
            double p = -Math.sqrt(2 * (Math.E * x + 1));
            w = -1 + p - p * p / 3 + 11.0 / 72 * p * p * p;
        } else {
            double l1 = Math.log(-x);
            double l2 = Math.log(-l1);
            w = l1 - l2 + l2 / l1;
        }
        return halley(x, w);
    }

    private static double halley(double x, double w) {
        for (int i = 0; i < 100; i++) {
            double ew = Math.exp(w);
            double f = w * ew - x;
            double wp1 = w + 1;
            if (wp1 == 0) {
                break;
            }
            double dw = f / (ew * wp1 - (w + 2) * f / (2 * wp1));
            w -= dw;
            if (Math.abs(dw) <= 1e-15 * (1 + Math.abs(w))) {
                break;
            }
        }
        return w;
    }
}
