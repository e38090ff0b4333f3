package lowp.experiments;

import lowp.bounds.Check;
import lowp.optim.Metrics;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Result of a reproduction: claims (asserted), bound checks, summary lines, CSV tables, scalar results. */
public final class Outcome {
    public record Claim(String text, boolean holds) {
    }

    public final String experiment;
    public final List<Claim> claims = new ArrayList<>();
    public final List<Check> checks = new ArrayList<>();
    public final List<String> summary = new ArrayList<>();
    public final Map<String, Metrics> tables = new LinkedHashMap<>();
    public final Map<String, Object> values = new LinkedHashMap<>();

    public Outcome(String experiment) {
        this.experiment = experiment;
    }

    public Outcome claim(String text, boolean holds) {
        claims.add(new Claim(text, holds));
        return this;
    }

    public Outcome line(String fmt, Object... args) {
        summary.add(String.format(java.util.Locale.ROOT, fmt, args));
        return this;
    }

    public Outcome value(String k, Object v) {
        values.put(k, v);
        return this;
    }

    public boolean allHold() {
        return claims.stream().allMatch(Claim::holds);
    }

    public Claim claimStartingWith(String prefix) {
        for (Claim c : claims) {
            if (c.text().startsWith(prefix)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no claim " + prefix);
    }

    /** Summary, bound-vs-measurement lines, then one line per claim. */
    public void print(PrintStream out) {
        out.println("== " + experiment);
        for (String s : summary) {
            out.println(s);
        }
        for (Check c : checks) {
            out.println(c);
        }
        for (Claim c : claims) {
            out.println("claim: " + c.text() + ": " + (c.holds() ? "holds" : "fails"));
        }
    }

    /** Writes every table as CSV, summary.txt and summary.json into dir. */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, Metrics> e : tables.entrySet()) {
                e.getValue().writeCsv(dir.resolve(e.getKey() + ".csv"));
            }
            StringBuilder sb = new StringBuilder();
            sb.append("== ").append(experiment).append('\n');
            summary.forEach(s -> sb.append(s).append('\n'));
            checks.forEach(c -> sb.append(c).append('\n'));
            claims.forEach(c -> sb.append("claim: ").append(c.text()).append(": ").append(c.holds() ? "holds" : "fails").append('\n'));
            Files.writeString(dir.resolve("summary.txt"), sb.toString());
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("experiment", experiment);
            j.put("values", values);
            List<Object> cl = new ArrayList<>();
            for (Claim c : claims) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("claim", c.text());
                m.put("holds", c.holds());
                cl.add(m);
            }
            j.put("claims", cl);
            List<Object> ch = new ArrayList<>();
            for (Check c : checks) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("theorem", c.theorem);
                m.put("bound", c.bound);
                m.put("measured", c.measured);
                m.put("slack", c.slack());
                m.put("preconditions_met", c.preconditionsMet());
                m.put("violated_preconditions", c.violatedPreconditions());
                m.put("terms", new LinkedHashMap<String, Object>(c.terms));
                m.put("status", c.status());
                ch.add(m);
            }
            j.put("checks", ch);
            Files.writeString(dir.resolve("summary.json"), Metrics.toJson(j) + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
