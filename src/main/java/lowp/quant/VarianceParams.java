package lowp.quant;

import lowp.format.Format;
import lowp.format.Kind;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The (delta, zeta, eta) parameters of Definition 1 of seed 002 (Li &amp; De Sa, "Dimension-free bounds for
 * low-precision training"): E[(Q(w) - w)^2] &lt;= delta |w - z| + zeta |z| |w - z| + eta |w - z|^2 for every w in
 * range and every grid point z, for stochastic rounding onto the quantizer's grid.
 *
 * <p>Computed by scanning the grid with the sufficient criterion of seed002.md §1.4: if every gap between
 * adjacent points on the same side of 0 satisfies gap &lt;= delta + zeta m (m the smaller magnitude of the two),
 * Definition 1 holds with eta = zeta^2 / (4 (1 + zeta)). For a given zeta, delta is the smallest such value:
 * max over gaps of (gap - zeta m) (exact). The scan is by runs of equal gaps (for a run the maximum is at its
 * start), so binary64-sized formats are cheap. eta is rounded up to 34 significant digits (it is not always a
 * terminating decimal); delta and zeta are exact.
 */
public final class VarianceParams {
    private final BigDecimal delta;
    private final BigDecimal zeta;
    private final BigDecimal eta;

    private VarianceParams(BigDecimal delta, BigDecimal zeta) {
        this.delta = delta;
        this.zeta = zeta;
        this.eta = etaOf(zeta);
    }

    /** eta = zeta^2 / (4 (1 + zeta)), rounded up to 34 digits (exact when it terminates within them). */
    public static BigDecimal etaOf(BigDecimal zeta) {
        BigDecimal num = zeta.multiply(zeta);
        BigDecimal den = BigDecimal.ONE.add(zeta).multiply(BigDecimal.valueOf(4));
        return num.divide(den, new MathContext(34, RoundingMode.CEILING));
    }

    public BigDecimal delta() { return delta; }

    public BigDecimal zeta() { return zeta; }

    public BigDecimal eta() { return eta; }

    @Override
    public String toString() {
        return "delta=" + delta.doubleValue() + " zeta=" + zeta.doubleValue() + " eta=" + eta.doubleValue();
    }

    /** A run of equal gaps: starting at magnitude {@code start} with gap {@code gap}. */
    record Run(BigDecimal start, BigDecimal gap) {
    }

    /** Parameters with the quantizer's natural zeta (2^-M for floats, 0 for fixed point, the construction's zeta). */
    public static VarianceParams of(Quantizer q) {
        return of(q, naturalZeta(q));
    }

    public static BigDecimal naturalZeta(Quantizer q) {
        if (q instanceof FloatQuantizer) {
            return pow2(-((FloatQuantizer) q).format().manBits());
        }
        if (q instanceof FixedPointQuantizer) {
            return BigDecimal.ZERO;
        }
        if (q instanceof GridQuantizer) {
            return ((GridQuantizer) q).naturalZeta();
        }
        throw new UnsupportedOperationException("no grid to scan for " + q);
    }

    /** Parameters for a chosen zeta &gt;= 0. */
    public static VarianceParams of(Quantizer q, BigDecimal zeta) {
        if (zeta.signum() < 0) {
            throw new IllegalArgumentException("zeta must be >= 0, got " + zeta);
        }
        List<Run> runs = runs(q);
        BigDecimal d = null;
        for (Run r : runs) {
            BigDecimal c = r.gap().subtract(zeta.multiply(r.start()));
            if (d == null || c.compareTo(d) > 0) d = c;
        }
        if (d == null) {
            throw new IllegalArgumentException(q + " has fewer than two grid points");
        }
        if (d.signum() < 0) d = BigDecimal.ZERO;
        return new VarianceParams(d.stripTrailingZeros(), zeta);
    }

    static BigDecimal pow2(int e) {
        return Format.exactDyadic(BigInteger.ONE, e);
    }

    /** Runs of equal gaps of the grid, both sides of 0, magnitudes. */
    static List<Run> runs(Quantizer q) {
        List<Run> out = new ArrayList<>();
        if (q instanceof FloatQuantizer) {
            Format f = ((FloatQuantizer) q).format();
            int m = f.manBits();
            if (f.kind() == Kind.E8M0) {
                for (int e = f.emin(); e < f.emax(); e++) out.add(new Run(pow2(e), pow2(e)));
                return out;
            }
            if (f.subnormals() && m > 0) {
                out.add(new Run(BigDecimal.ZERO, pow2(f.minQuantumExp())));
            } else {
                out.add(new Run(BigDecimal.ZERO, pow2(f.emin())));
            }
            BigDecimal max = f.maxFinite();
            for (int e = f.emin(); e <= f.emax(); e++) {
                if (pow2(e).compareTo(max) >= 0) break; // max itself is the last point
                out.add(new Run(pow2(e), pow2(e - m)));
            }
            return out; // the negative side is the mirror image
        }
        if (q instanceof FixedPointQuantizer) {
            FixedPointQuantizer fq = (FixedPointQuantizer) q;
            out.add(new Run(BigDecimal.ZERO, pow2(-fq.fractionLength())));
            return out;
        }
        if (q instanceof GridQuantizer) {
            BigDecimal[] p = ((GridQuantizer) q).exactPoints();
            for (int i = 0; i + 1 < p.length; i++) {
                BigDecimal a = p[i], b = p[i + 1];
                BigDecimal start;
                if (a.signum() >= 0) start = a;
                else if (b.signum() <= 0) start = b.abs();
                else start = BigDecimal.ZERO; // straddles 0 without a zero point
                out.add(new Run(start, b.subtract(a)));
            }
            return out;
        }
        throw new UnsupportedOperationException("no grid to scan for " + q);
    }
}
