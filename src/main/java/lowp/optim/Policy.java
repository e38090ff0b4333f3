package lowp.optim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Precision policy: each tensor of a training step has its own format and rounding — weights (storage
 * after the update), grad (elementwise gradient ops), update (the product lr*direction), momentum buffer —
 * and the gradient's inner products run through {@link #dot}.
 */
public final class Policy {
    public final Prec weights;
    public final Prec grad;
    public final Prec update;
    public final Prec momentum;
    public final DotProduct dot;
    private final String spec;

    public Policy(Prec weights, Prec grad, Prec update, Prec momentum, DotProduct dot, String spec) {
        this.weights = weights;
        this.grad = grad;
        this.update = update;
        this.momentum = momentum;
        this.dot = dot;
        this.spec = spec;
    }

    /** Everything binary64 (the full-precision baseline). */
    public static Policy fp64() {
        return parse("w=fp64,g=fp64,u=fp64,m=fp64,acc=fp64,out=fp64", 0);
    }

    /**
     * Parses {@code key=format[/rounding],...} with keys w (weights), g (gradient elementwise), u (update
     * product), m (momentum), acc (accumulator of inner products), out (rounding of each inner product's
     * result), prod (product rounding, default: into acc). Missing keys default to fp64/rne; {@code out}
     * defaults to g's format. Example: {@code w=bf16/sr,g=bf16,acc=e8m15,u=bf16/sr}. Instead of acc/prod,
     * {@code dot=PROFILE} runs every inner product through a shipped lowp.acc accumulator profile (e.g.
     * {@code dot=h100-fp16-fp32}, see {@code lowp dot --list-profiles}) and then rounds into {@code out}:
     * {@code w=bf16/sr,g=fp32,dot=h100-bf16-fp32}.
     */
    public static Policy parse(String spec, long seed) {
        Map<String, String[]> m = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("bad policy entry '" + part + "' (expected key=format[/rounding])");
            }
            String key = kv[0].trim().toLowerCase(Locale.ROOT);
            if (!java.util.Set.of("w", "g", "u", "m", "acc", "out", "prod", "dot").contains(key)) {
                throw new IllegalArgumentException("bad policy key '" + key + "' (expected w, g, u, m, acc, out, prod, dot)");
            }
            if (key.equals("dot")) {
                m.put(key, new String[] {kv[1].trim(), null});
                continue;
            }
            String[] fr = kv[1].trim().split("/", 2);
            m.put(key, new String[] {fr[0], fr.length > 1 ? fr[1] : "rne"});
        }
        Prec w = prec(m.get("w"), seed, 1);
        Prec g = prec(m.get("g"), seed, 2);
        Prec u = prec(m.get("u"), seed, 3);
        Prec mo = prec(m.get("m"), seed, 4);
        Prec acc = prec(m.get("acc"), seed, 5);
        String[] outSpec = m.containsKey("out") ? m.get("out") : m.get("g");
        Prec out = prec(outSpec, seed, 6);
        if (m.containsKey("dot")) {
            if (m.containsKey("acc") || m.containsKey("prod")) {
                throw new IllegalArgumentException("policy '" + spec + "': dot=PROFILE replaces acc and prod; give one or the other");
            }
            String name = m.get("dot")[0];
            lowp.acc.AccumulatorModel model;
            try {
                model = lowp.acc.Profiles.get(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("policy '" + spec + "': " + e.getMessage(), e);
            }
            return new Policy(w, g, u, mo, new AccModelDot(model, out), spec);
        }
        Prec prod = m.containsKey("prod") ? prec(m.get("prod"), seed, 7) : null;
        return new Policy(w, g, u, mo, new SequentialDot(prod, acc, out), spec);
    }

    private static Prec prec(String[] fr, long seed, long stream) {
        if (fr == null) {
            return Prec.exact();
        }
        return Prec.of(fr[0], fr[1], seed, stream);
    }

    @Override
    public String toString() {
        return spec;
    }
}
