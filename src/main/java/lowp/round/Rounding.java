package lowp.round;

import java.util.Locale;
import java.util.Objects;

/**
 * A rounding rule: a {@link Mode} and, for {@code srN}, the number N of random bits. Names (API and every
 * CLI {@code --rounding} option): {@code rne rna rtz rup rdn rto sr sr-equal srN} (N in 1..62).
 *
 * <p>Stochastic modes consume one 64-bit random word per rounding ({@link Env#random}); they round the
 * magnitude, so they are sign-symmetric. The exact up-probability for a fraction f in [0,1) of an ulp
 * whose first 64 bits are F64 (and whose remaining bits are "sticky"):
 * <ul>
 *   <li>{@code sr}: (F64 + [sticky]) / 2^64, i.e. exactly f whenever f has at most 64 significant bits
 *   (always for add/sub/mul/fma/conversions of formats with p &lt;= 32), otherwise within 2^-64 of f;</li>
 *   <li>{@code sr-equal}: 1/2 for every inexact result;</li>
 *   <li>{@code srN}: floor(f 2^N) / 2^N, so the bias is -(f - floor(f 2^N)/2^N) in (-2^-N, 0] ulp (toward
 *   zero); it uses the top N bits of the random word.</li>
 * </ul>
 */
public final class Rounding {
    public static final Rounding RNE = new Rounding(Mode.RNE, 0);
    public static final Rounding RNA = new Rounding(Mode.RNA, 0);
    public static final Rounding RTZ = new Rounding(Mode.RTZ, 0);
    public static final Rounding RUP = new Rounding(Mode.RUP, 0);
    public static final Rounding RDN = new Rounding(Mode.RDN, 0);
    public static final Rounding RTO = new Rounding(Mode.RTO, 0);
    public static final Rounding SR = new Rounding(Mode.SR, 0);
    public static final Rounding SR_EQUAL = new Rounding(Mode.SR_EQUAL, 0);

    /** The deterministic modes, in a fixed order. */
    public static final Rounding[] DETERMINISTIC = {RNE, RNA, RTZ, RUP, RDN, RTO};

    private final Mode mode;
    private final int bits;

    private Rounding(Mode mode, int bits) {
        this.mode = mode;
        this.bits = bits;
    }

    /** srN: stochastic rounding with N random bits, 1 &lt;= N &lt;= 62. */
    public static Rounding srBits(int n) {
        if (n < 1 || n > 62) {
            throw new IllegalArgumentException("bad rounding 'sr" + n + "': the number of random bits must be 1..62");
        }
        return new Rounding(Mode.SR_BITS, n);
    }

    public static Rounding parse(String s) {
        if (s == null) throw new IllegalArgumentException("missing rounding name");
        String t = s.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "rne": case "nearest": case "near_even": return RNE;
            case "rna": case "near_maxmag": return RNA;
            case "rtz": case "minmag": case "trunc": return RTZ;
            case "rup": case "max": case "ceil": return RUP;
            case "rdn": case "min": case "floor": return RDN;
            case "rto": case "odd": return RTO;
            case "sr": return SR;
            case "sr-equal": case "sr_equal": return SR_EQUAL;
            default:
                if (t.matches("sr\\d{1,3}")) {
                    return srBits(Integer.parseInt(t.substring(2)));
                }
                throw new IllegalArgumentException("bad rounding '" + s
                        + "' (expected rne, rna, rtz, rup, rdn, rto, sr, sr-equal or srN such as sr8)");
        }
    }

    public Mode mode() { return mode; }

    /** N for srN, else 0. */
    public int randomBits() { return bits; }

    public boolean isStochastic() {
        return mode == Mode.SR || mode == Mode.SR_EQUAL || mode == Mode.SR_BITS;
    }

    /** True for the modes that never round away from zero in magnitude on overflow for this sign. */
    public boolean overflowsToMax(boolean negative) {
        switch (mode) {
            case RTZ: case RTO: return true;
            case RUP: return negative;
            case RDN: return !negative;
            default: return false;
        }
    }

    @Override
    public String toString() {
        switch (mode) {
            case SR_EQUAL: return "sr-equal";
            case SR_BITS: return "sr" + bits;
            default: return mode.name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rounding && ((Rounding) o).mode == mode && ((Rounding) o).bits == bits;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, bits);
    }
}
