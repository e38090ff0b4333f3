package lowp.round;

/** IEEE 754 exception flags, with the bit values of Berkeley TestFloat's output (2 hex digits). */
public final class Flags {
    public static final int INEXACT = 0x01;
    public static final int UNDERFLOW = 0x02;
    public static final int OVERFLOW = 0x04;
    /** Division by zero ("infinite" result from finite operands). */
    public static final int INFINITE = 0x08;
    public static final int INVALID = 0x10;

    private Flags() {
    }

    public static String hex(int flags) {
        return String.format("%02X", flags);
    }

    public static String describe(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & INVALID) != 0) sb.append("invalid ");
        if ((flags & INFINITE) != 0) sb.append("infinite ");
        if ((flags & OVERFLOW) != 0) sb.append("overflow ");
        if ((flags & UNDERFLOW) != 0) sb.append("underflow ");
        if ((flags & INEXACT) != 0) sb.append("inexact ");
        return sb.length() == 0 ? "none" : sb.toString().trim();
    }
}
