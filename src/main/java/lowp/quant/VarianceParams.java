package lowp.quant;

import lowp.format.Format;
import lowp.format.Kind;
import lowp.round.Mode;
import lowp.round.Rounding;

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
 *
 * <p><b>Only unbiased quantizers have these parameters.</b> Definition 1 (and the seed's bounds built on it)
 * assumes E[Q(w)] = w with Q(w) one of the two grid neighbours of w; then E[(Q(w) - w)^2] = (w - lo)(hi - w),
 * which is what the gap criterion bounds. {@link #of} therefore refuses (IllegalArgumentException, the message
 * saying why) every quantizer that is not unbiased on its range: rounding other than {@code sr} (proportional;
 * deterministic modes, {@code sr-equal} and {@code srN} are biased), {@link FloatQuantizer.Underflow#FLUSH}, and
 * formats without subnormals (e.g. {@code binary16:nosub}: the rounder sends every value below the smallest
 * normal to 0, so E[Q(w)] = 0 != w there). {@link #unbiasedReason} gives the reason without throwing. A
 * {@link BlockQuantizer} has a grid only once its block's shared scale X = 2^e is fixed: use
 * {@link #ofBlock(BlockQuantizer, int)} (the element quantizer's parameters with delta scaled by X; zeta and eta
 * are scale-free). A {@link TensorScaledQuantizer}'s scale changes from call to call and is refused.
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
        requireUnbiased(q);
        return of(q, naturalZeta(q));
    }

    /**
     * Why {@code q} is not an unbiased quantizer on its range (so has no Definition-1 parameters), or null when it
     * is unbiased: stochastic rounding {@code sr} onto a grid whose points include every value the quantizer can
     * give for inputs in range.
     */
    public static String unbiasedReason(Quantizer q) {
        if (q instanceof BlockQuantizer) {
            return "it is block-scaled: its grid is the element grid times each block's shared scale, which depends"
                    + " on the block's amax; use VarianceParams.ofBlock(q, scaleExp) for a fixed scale 2^scaleExp";
        }
        if (q instanceof TensorScaledQuantizer) {
            return "it is tensor-scaled: its grid is the element grid times a scale that depends on the tensor's"
                    + " (current or delayed) amax, so it changes between calls";
        }
        Rounding r;
        if (q instanceof FloatQuantizer) r = ((FloatQuantizer) q).rounding();
        else if (q instanceof FixedPointQuantizer) r = ((FixedPointQuantizer) q).rounding();
        else if (q instanceof GridQuantizer) r = ((GridQuantizer) q).rounding();
        else return "it is a " + q.getClass().getSimpleName() + ", whose grid and rounding VarianceParams cannot scan";
        if (r.mode() != Mode.SR) {
            String why;
            switch (r.mode()) {
                case SR_EQUAL: why = "sr-equal rounds up with probability 1/2 whatever the fraction"; break;
                case SR_BITS: why = r + " decides with " + r.randomBits() + " random bits, biased by up to 2^-"
                        + r.randomBits() + " ulp"; break;
                default: why = r + " is deterministic"; break;
            }
            return "its rounding is not sr (proportional stochastic rounding): " + why;
        }
        if (q instanceof FloatQuantizer) {
            FloatQuantizer fq = (FloatQuantizer) q;
            Format f = fq.format();
            if (fq.underflow() == FloatQuantizer.Underflow.FLUSH && f.kind() != Kind.E8M0) {
                return "its underflow policy is FLUSH: inputs below the smallest positive value "
                        + f.toDouble(f.minPositiveBits()) + " become 0 deterministically";
            }
            if (!f.subnormals() && f.kind() != Kind.E8M0) {
                return "its format " + f + " has no subnormals: inputs below the smallest normal "
                        + f.toDouble(f.minPositiveBits()) + " round to 0 (or the smallest normal) with a probability"
                        + " that is not proportional to their distance";
            }
        }
        return null;
    }

    private static void requireUnbiased(Quantizer q) {
        String why = unbiasedReason(q);
        if (why != null) {
            throw new IllegalArgumentException("no Definition-1 (delta, zeta, eta) for " + q
                    + ": it is not unbiased because " + why);
        }
    }

    /**
     * Parameters of a block-scaled quantizer for a fixed shared scale 2^scaleExp (within the scale format's
     * range): the grid is 2^scaleExp times the element grid, so delta scales by 2^scaleExp and zeta, eta do not.
     * Requires an unbiased element quantizer (sr). Elements beyond the scaled range are clamped (outside
     * Definition 1's range).
     */
    public static VarianceParams ofBlock(BlockQuantizer q, int scaleExp) {
        Quantizer e = q.elementQuantizer();
        String why = unbiasedReason(e);
        if (why != null) {
            throw new IllegalArgumentException("no Definition-1 (delta, zeta, eta) for " + q
                    + ": its element quantizer " + e + " is not unbiased because " + why);
        }
        if (scaleExp < q.minScaleExp() || scaleExp > q.maxScaleExp()) {
            throw new IllegalArgumentException("scale 2^" + scaleExp + " is outside the range 2^" + q.minScaleExp()
                    + " .. 2^" + q.maxScaleExp() + " of the scale format " + q.scaleFormat() + " of " + q);
        }
        VarianceParams v = of(e, naturalZeta(e));
        return new VarianceParams(v.delta.multiply(pow2(scaleExp)).stripTrailingZeros(), v.zeta);
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
        throw new IllegalArgumentException("no Definition-1 parameters for " + q + ": " + unbiasedReason(q));
    }

    /** Parameters for a chosen zeta &gt;= 0. */
    public static VarianceParams of(Quantizer q, BigDecimal zeta) {
        requireUnbiased(q);
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
        throw new IllegalArgumentException("no grid to scan for " + q + ": " + unbiasedReason(q));
    }
}
