package lowp.format;

/**
 * Special-value policy of a binary floating-point format (see docs/formats.md).
 */
public enum Kind {
    /** IEEE 754-like: all-ones exponent holds ±Inf (fraction 0) and NaN (fraction != 0, quiet if top bit set). */
    IEEE(""),
    /** OCP E4M3-style "finite": no Inf, only S.1..1.1..1 is NaN; the top exponent holds finite values. */
    FN("fn"),
    /** "finite, unsigned zero": no Inf, no -0, the only NaN is the sign bit alone (0x80...), bias one larger. */
    FNUZ("fnuz"),
    /** OCP MX element types (e3m2fn, e2m3fn, e2m1fn): no Inf, no NaN, always saturating. */
    MX("mx"),
    /** Unsigned exponent-only scale (e8m0fnu): value 2^(code-bias), no sign, no zero, all-ones = NaN. */
    E8M0("fnu");

    final String suffix;

    Kind(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }
}
