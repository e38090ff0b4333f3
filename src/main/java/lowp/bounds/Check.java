package lowp.bounds;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bound checker's result: the bound value, the measured value (NaN if none given), slack = bound -
 * measured, the bound's terms, and each precondition with whether it holds. {@link #violated()} is true
 * only when every precondition holds and the measurement exceeds the bound: a failure of a proven theorem.
 */
public final class Check {
    public record Precondition(String name, boolean met, String detail) {
    }

    public final String theorem;
    public final double bound;
    public final double measured;
    public final Map<String, Double> terms = new LinkedHashMap<>();
    public final List<Precondition> preconditions = new ArrayList<>();
    public final List<String> notes = new ArrayList<>();

    public Check(String theorem, double bound, double measured) {
        this.theorem = theorem;
        this.bound = bound;
        this.measured = measured;
    }

    public Check term(String name, double v) {
        terms.put(name, v);
        return this;
    }

    public Check require(String name, boolean met, String detail) {
        preconditions.add(new Precondition(name, met, detail));
        return this;
    }

    public Check note(String n) {
        notes.add(n);
        return this;
    }

    public Check withMeasured(double m) {
        Check c = new Check(theorem, bound, m);
        c.terms.putAll(terms);
        c.preconditions.addAll(preconditions);
        c.notes.addAll(notes);
        return c;
    }

    public double slack() {
        return bound - measured;
    }

    public boolean preconditionsMet() {
        return preconditions.stream().allMatch(Precondition::met);
    }

    public List<String> violatedPreconditions() {
        List<String> v = new ArrayList<>();
        for (Precondition p : preconditions) {
            if (!p.met()) {
                v.add(p.name() + (p.detail().isEmpty() ? "" : " (" + p.detail() + ")"));
            }
        }
        return v;
    }

    /** measured <= bound (NaN measured counts as holding: nothing to compare). */
    public boolean holds() {
        return Double.isNaN(measured) || measured <= bound;
    }

    /** A proven bound with all its preconditions met is exceeded. */
    public boolean violated() {
        return preconditionsMet() && !holds();
    }

    public String status() {
        if (Double.isNaN(measured)) {
            return preconditionsMet() ? "bound only" : "bound only; preconditions violated: " + violatedPreconditions();
        }
        if (!preconditionsMet()) {
            return (holds() ? "holds" : "exceeded") + " (not applicable: preconditions violated: "
                    + violatedPreconditions() + ")";
        }
        return holds() ? "holds" : "VIOLATED";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s: bound=%.6g measured=%.6g slack=%.6g -> %s", theorem, bound, measured, slack(),
                status()));
        if (!terms.isEmpty()) {
            sb.append("\n    terms: ");
            terms.forEach((k, v) -> sb.append(k).append('=').append(String.format("%.6g", v)).append("  "));
        }
        for (String n : notes) {
            sb.append("\n    note: ").append(n);
        }
        return sb.toString();
    }
}
