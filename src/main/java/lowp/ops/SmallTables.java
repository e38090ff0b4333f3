package lowp.ops;

import lowp.format.Format;
import lowp.round.Env;
import lowp.round.Mode;
import lowp.round.Rounding;
import lowp.round.Tininess;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lookup tables for add, sub and mul of the named formats of at most 8 bits (e4m3fn, e5m2, e4m3fnuz,
 * e5m2fnuz, e4m3b11fnuz, e3m2fn, e2m3fn, e2m1fn, e8m0fnu) in the six deterministic rounding modes: one
 * entry (result | flags &lt;&lt; 8) per operand pair, filled on first use from the generic fast path. Every
 * entry of every such table is checked against the BigInteger reference by the exhaustive tests
 * (ExhaustiveSmallFormatsTest), so the tables are proven equal to the reference.
 */
final class SmallTables {
    static final int ADD = 0, SUB = 1, MUL = 2;

    private final Format f;
    private final int op;
    private final Rounding rounding;
    private final Tininess tininess;
    private final int width;
    private final short[] table;

    private SmallTables(Format f, int op, Rounding rounding, Tininess tininess) {
        this.f = f;
        this.op = op;
        this.rounding = rounding;
        this.tininess = tininess;
        this.width = f.width();
        int n = 1 << width;
        short[] t = new short[n * n];
        Env env = new Env(rounding, tininess);
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                env.flags = 0;
                long r;
                switch (op) {
                    case ADD: r = FloatOps.addGeneric(f, a, b, false, env); break;
                    case SUB: r = FloatOps.addGeneric(f, a, b, true, env); break;
                    default: r = FloatOps.mulGeneric(f, a, b, env);
                }
                t[(a << width) | b] = (short) (r | (env.flags << 8));
            }
        }
        this.table = t;
    }

    /** Table-eligible formats: the named formats of at most 8 bits. */
    static boolean eligible(Format f) {
        return f.width() <= 8 && ELIGIBLE.contains(f);
    }

    private static final java.util.Set<Format> ELIGIBLE = new java.util.HashSet<>();

    static {
        for (Format f : Format.namedFormats().values()) {
            if (f.width() <= 8) ELIGIBLE.add(f);
        }
    }

    /** The most recent format found not eligible (skips the set lookup for it). */
    private static volatile Format lastIneligible;

    private static final class Key {
        final Format f;
        final int op;
        final Rounding r;
        final Tininess t;

        Key(Format f, int op, Rounding r, Tininess t) {
            this.f = f;
            this.op = op;
            this.r = r;
            this.t = t;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) return false;
            Key k = (Key) o;
            return k.f.equals(f) && k.op == op && k.r.equals(r) && k.t == t;
        }

        @Override
        public int hashCode() {
            return Objects.hash(f, op, r, t);
        }
    }

    private static final ConcurrentHashMap<Key, SmallTables> TABLES = new ConcurrentHashMap<>();
    /** The most recently used table (an immutable object: safe to publish through a volatile field). */
    private static volatile SmallTables last;

    /** The table for (f, op, env's rounding and tininess), or null where tables do not apply. */
    static SmallTables get(Format f, int op, Env env) {
        SmallTables t = last;
        Rounding r = env.rounding;
        if (t != null && t.f == f && t.op == op && t.rounding == r && t.tininess == env.tininess) {
            return t;
        }
        if (f.width() > 8 || r.isStochastic() || f == lastIneligible) {
            return null;
        }
        if (!eligible(f)) {
            lastIneligible = f;
            return null;
        }
        Mode md = r.mode();
        Rounding canon = Rounding.DETERMINISTIC[md.ordinal()];
        t = TABLES.computeIfAbsent(new Key(f, op, canon, env.tininess), k -> new SmallTables(k.f, k.op, k.r, k.t));
        if (t.f == f && t.rounding == r) {
            last = t;
        }
        return t;
    }

    /** The result of the table's op on (a, b); flags OR-ed into env. */
    long lookup(long a, long b, Env env) {
        if (((a | b) >>> width) != 0) {
            f.checkBits(a);
            f.checkBits(b);
        }
        int v = table[(int) ((a << width) | b)];
        env.flags |= (v >>> 8) & 0x1F;
        return v & 0xFF;
    }
}
