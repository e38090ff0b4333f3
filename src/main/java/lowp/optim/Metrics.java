package lowp.optim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A per-step / per-epoch metrics table (fixed columns of doubles) with CSV and JSON output. */
public final class Metrics {
    private final String[] columns;
    private final List<double[]> rows = new ArrayList<>();

    public Metrics(String... columns) {
        this.columns = columns.clone();
    }

    public void add(double... values) {
        if (values.length != columns.length) {
            throw new IllegalArgumentException("expected " + columns.length + " values, got " + values.length);
        }
        rows.add(values.clone());
    }

    public int size() {
        return rows.size();
    }

    public String[] columns() {
        return columns.clone();
    }

    public double[] column(String name) {
        int c = java.util.Arrays.asList(columns).indexOf(name);
        if (c < 0) {
            throw new IllegalArgumentException("no column " + name);
        }
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rows.get(i)[c];
        }
        return v;
    }

    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (double[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(fmt(r[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.10g", v);
    }

    public void writeCsv(Path p) {
        try {
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            Files.writeString(p, toCsv());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON object of scalars / strings / nested maps (no external library). */
    public static String toJson(Map<String, ?> m) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, ?> e : m.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(quote(e.getKey())).append(": ").append(jsonValue(e.getValue()));
        }
        return sb.append('}').toString();
    }

    @SuppressWarnings("unchecked")
    private static String jsonValue(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? fmt(d) : quote(String.valueOf(d));
        }
        if (v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof Map<?, ?> mm) {
            return toJson((Map<String, ?>) mm);
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                sb.append(i > 0 ? ", " : "").append(jsonValue(l.get(i)));
            }
            return sb.append(']').toString();
        }
        return quote(v.toString());
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
