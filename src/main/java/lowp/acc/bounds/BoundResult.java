package lowp.acc.bounds;

import java.math.BigDecimal;

/**
 * Outcome of an error-bound check: the bound, the measured error |computed - exact| (exact, BigDecimal)
 * and the slack bound - error. A probabilistic bound also states the probability with which it may fail.
 */
public final class BoundResult {
    /** Name of the bound (e.g. "recursive a priori γ_n"). */
    public final String name;
    /** False when the bound's hypotheses do not hold for this run (overflow, NaN, Inf, ...). */
    public final boolean applicable;
    public final BigDecimal bound;
    public final BigDecimal error;
    /** For probabilistic bounds: the stated upper bound on the probability that error &gt; bound; else 0. */
    public final double failureProbability;
    public final String note;

    BoundResult(String name, boolean applicable, BigDecimal bound, BigDecimal error, double failureProbability,
                String note) {
        this.name = name;
        this.applicable = applicable;
        this.bound = bound;
        this.error = error;
        this.failureProbability = failureProbability;
        this.note = note;
    }

    static BoundResult notApplicable(String name, String why) {
        return new BoundResult(name, false, null, null, 0, why);
    }

    public BigDecimal slack() {
        return applicable ? bound.subtract(error) : null;
    }

    /** True when the bound applies and the measured error exceeds it. */
    public boolean violated() {
        return applicable && error.compareTo(bound) > 0;
    }

    @Override
    public String toString() {
        if (!applicable) {
            return name + ": not applicable (" + note + ")";
        }
        return name + ": bound=" + bound.doubleValue() + " error=" + error.doubleValue() + " slack="
                + slack().doubleValue() + (failureProbability > 0 ? " P(fail)<=" + failureProbability : "");
    }
}
