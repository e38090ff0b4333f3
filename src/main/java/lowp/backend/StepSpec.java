package lowp.backend;

import lowp.format.Format;
import lowp.round.Rounding;

/**
 * The fused low-precision gradient step (LP-SGD and relatives), per element i:
 * <pre>
 *   q = Q_g(g[i])                              random index 4i
 *   v[i] = Q_v(beta * v[i] + q)   (momentum)   random index 4i+1  (one rounding of the exact value)
 *   s = momentum ? v[i] : q
 *   u = Q_u(lr * s)                            random index 4i+2
 *   w[i] = Q_w(w[i] - u)                       random index 4i+3
 * </pre>
 * g is binary32 storage; w, v are bit patterns of their formats; lr and beta are binary32 values (exact
 * products: their 24-bit significands times a significand of at most 30 bits).
 */
public record StepSpec(Format g, Rounding gRounding, Format u, Rounding uRounding, Format w, Rounding wRounding,
                       Format v, Rounding vRounding, float lr, float beta, RngKey key) {
    public StepSpec {
        Specs.checkAcc(g, "gradient format");
        Specs.checkAcc(u, "update format");
        Specs.checkAcc(w, "weight format");
        if (v != null) Specs.checkAcc(v, "momentum format");
        if (gRounding == null || uRounding == null || wRounding == null || (v != null && vRounding == null)) {
            throw new IllegalArgumentException("missing rounding in gradient step");
        }
        if (!Float.isFinite(lr) || !Float.isFinite(beta)) {
            throw new IllegalArgumentException("learning rate and momentum must be finite (lr=" + lr + ", beta=" + beta + ")");
        }
        if (key == null) key = RngKey.DEFAULT;
    }

    /** Plain SGD: w = Q_w(w - Q_u(lr * Q_g(g))). */
    public static StepSpec sgd(Format g, Format u, Format w, Rounding r, float lr, RngKey key) {
        return new StepSpec(g, r, u, r, w, r, null, null, lr, 0f, key);
    }

    /** SGD with a momentum buffer in format v. */
    public static StepSpec momentum(Format g, Format u, Format w, Format v, Rounding r, float lr, float beta, RngKey key) {
        return new StepSpec(g, r, u, r, w, r, v, r, lr, beta, key);
    }

    public boolean hasMomentum() {
        return v != null;
    }

    /** Descriptors G, U, W, V (V copies W when absent). */
    public int[] formatDescs() {
        int[] d = new int[4 * Specs.FD];
        Format[] fs = {g, u, w, v != null ? v : w};
        for (int i = 0; i < 4; i++) {
            System.arraycopy(Specs.desc(fs[i]), 0, d, i * Specs.FD, Specs.FD);
        }
        return d;
    }

    /** {momentum?1:0, g mode, g N, u mode, u N, w mode, w N, v mode, v N, bits(lr), bits(beta)}. */
    public int[] params() {
        int[] a = Specs.rdesc(gRounding), b = Specs.rdesc(uRounding), c = Specs.rdesc(wRounding);
        int[] d = Specs.rdesc(vRounding != null ? vRounding : wRounding);
        return new int[] {v != null ? 1 : 0, a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1],
                Float.floatToRawIntBits(lr), Float.floatToRawIntBits(beta)};
    }
}
