package lowp.format;

/** Classification of a bit pattern. */
public enum FpClass {
    ZERO, SUBNORMAL, NORMAL, INFINITE, NAN;

    public boolean isFinite() {
        return this == ZERO || this == SUBNORMAL || this == NORMAL;
    }
}
