package lowp.round;

/** When tininess is detected for the underflow flag (IEEE 754-2019 7.5); it never changes a value. */
public enum Tininess {
    /** Exact result |x| &lt; 2^emin (ARM). */
    BEFORE,
    /** Result rounded to the precision with unbounded exponent &lt; 2^emin (x86 SSE, RISC-V; the default). */
    AFTER;

    public static Tininess parse(String s) {
        switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "before": return BEFORE;
            case "after": return AFTER;
            default: throw new IllegalArgumentException("bad tininess '" + s + "' (expected before or after)");
        }
    }
}
