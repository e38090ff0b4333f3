package lowp.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable binary floating-point format: E exponent bits, M trailing significand bits, a bias, a
 * special-value {@link Kind}, saturation and subnormal policy. Parsed from and printed as a small spec
 * string ({@code e4m3fn}, {@code e5m2:sat}, {@code e6m9:bias=20}, {@code bf16:nosub}); for every format
 * {@code Format.parse(f.toString()).equals(f)}.
 *
 * <p>Bit patterns are {@code long}s holding the format's own width (tf32 is a 19-bit pattern, 1.0 = 0x1FC00).
 * A finite non-zero pattern decodes to {@code (-1)^sign * sig * 2^exp} with an integer significand
 * {@link #sigOf(long)} (hidden bit included) and exponent {@link #expOf(long)} of its last bit.
 *
 * <p>Invariants (checked in the constructor): 1 &lt;= E &lt;= 15, 0 &lt;= M &lt;= 52, E+M &lt;= 63 (a pattern fits in a
 * long: 1 + E + M &lt;= 64), |bias| &lt;= 2^20, at least one positive finite non-zero value.
 */
public final class Format {

    public static final Format BINARY16 = new Format(5, 10, 15, Kind.IEEE, false, true);
    public static final Format BFLOAT16 = new Format(8, 7, 127, Kind.IEEE, false, true);
    public static final Format TF32 = new Format(8, 10, 127, Kind.IEEE, false, true);
    public static final Format BINARY32 = new Format(8, 23, 127, Kind.IEEE, false, true);
    public static final Format BINARY64 = new Format(11, 52, 1023, Kind.IEEE, false, true);
    public static final Format E4M3FN = new Format(4, 3, 7, Kind.FN, false, true);
    public static final Format E5M2 = new Format(5, 2, 15, Kind.IEEE, false, true);
    public static final Format E4M3FNUZ = new Format(4, 3, 8, Kind.FNUZ, false, true);
    public static final Format E5M2FNUZ = new Format(5, 2, 16, Kind.FNUZ, false, true);
    public static final Format E4M3B11FNUZ = new Format(4, 3, 11, Kind.FNUZ, false, true);
    public static final Format E3M2FN = new Format(3, 2, 3, Kind.MX, true, true);
    public static final Format E2M3FN = new Format(2, 3, 1, Kind.MX, true, true);
    public static final Format E2M1FN = new Format(2, 1, 1, Kind.MX, true, true);
    public static final Format E8M0FNU = new Format(8, 0, 127, Kind.E8M0, false, false);

    /** Canonical names (first) and aliases of the named formats. */
    private static final Map<String, Format> NAMED = new LinkedHashMap<>();
    private static final Map<Format, String> CANONICAL = new LinkedHashMap<>();

    static {
        named(BINARY16, "binary16", "fp16", "half", "float16");
        named(BFLOAT16, "bfloat16", "bf16");
        named(TF32, "tf32");
        named(BINARY32, "binary32", "fp32", "single", "float32");
        named(BINARY64, "binary64", "fp64", "double", "float64");
        named(E4M3FN, "e4m3fn");
        named(E5M2, "e5m2");
        named(E4M3FNUZ, "e4m3fnuz");
        named(E5M2FNUZ, "e5m2fnuz");
        named(E4M3B11FNUZ, "e4m3b11fnuz");
        named(E3M2FN, "e3m2fn");
        named(E2M3FN, "e2m3fn");
        named(E2M1FN, "e2m1fn");
        named(E8M0FNU, "e8m0fnu");
    }

    private static void named(Format f, String canonical, String... aliases) {
        NAMED.put(canonical, f);
        CANONICAL.put(f, canonical);
        for (String a : aliases) {
            NAMED.put(a, f);
        }
    }

    /** All named formats, canonical name to format, in a fixed order. */
    public static Map<String, Format> namedFormats() {
        Map<String, Format> m = new LinkedHashMap<>();
        CANONICAL.forEach((f, n) -> m.put(n, f));
        return m;
    }

    private final int e;
    private final int m;
    private final int bias;
    private final Kind kind;
    private final boolean sat;
    private final boolean sub;

    // derived
    private final int width;
    private final long signBit;
    private final long magMask;
    private final long fracMask;
    private final int expField; // all-ones exponent field value
    private final int emin; // exponent of the smallest normal number
    private final long maxFiniteMag;
    private final long maxSig;
    private final int maxExpQ; // exponent of the last bit of the max finite significand
    private final long nanBits;
    private final long infBits;

    private Format(int e, int m, int bias, Kind kind, boolean sat, boolean sub) {
        if (e < 1 || e > 15) {
            throw new IllegalArgumentException("exponent width " + e + " out of range 1..15");
        }
        if (m < 0 || m > 52) {
            throw new IllegalArgumentException("mantissa width " + m + " out of range 0..52");
        }
        if (e + m > 63) {
            throw new IllegalArgumentException("format e" + e + "m" + m + " is wider than 64 bits");
        }
        if (Math.abs((long) bias) > (1 << 20)) {
            throw new IllegalArgumentException("bias " + bias + " out of range -2^20..2^20");
        }
        if (kind == Kind.IEEE && (e < 2 || m < 1)) {
            throw new IllegalArgumentException("IEEE-like format e" + e + "m" + m
                    + " needs at least 2 exponent bits and 1 mantissa bit (for Inf and NaN)");
        }
        if (kind == Kind.FN && isMxShape(e, m)) {
            throw new IllegalArgumentException("e" + e + "m" + m + "fn names the OCP MX element type (no NaN, kind MX);"
                    + " an OCP-E4M3-style fn policy is not available for this shape");
        }
        if (kind == Kind.E8M0 && m != 0) {
            throw new IllegalArgumentException("unsigned exponent-only (fnu) format needs m=0, got m=" + m);
        }
        this.e = e;
        this.m = m;
        this.bias = bias;
        this.kind = kind;
        this.sat = kind == Kind.MX || sat;
        this.sub = kind != Kind.E8M0 && sub;
        boolean signed = kind != Kind.E8M0;
        this.width = e + m + (signed ? 1 : 0);
        this.signBit = signed ? 1L << (e + m) : 0;
        this.magMask = (1L << (e + m)) - 1;
        this.fracMask = (1L << m) - 1;
        this.expField = (1 << e) - 1;
        this.emin = kind == Kind.E8M0 ? -bias : 1 - bias;
        switch (kind) {
            case IEEE:
                maxFiniteMag = ((long) (expField - 1) << m) | fracMask;
                nanBits = ((long) expField << m) | (1L << (m - 1));
                infBits = (long) expField << m;
                break;
            case FN:
                maxFiniteMag = magMask - 1;
                nanBits = magMask;
                infBits = -1;
                break;
            case FNUZ:
                maxFiniteMag = magMask;
                nanBits = signBit;
                infBits = -1;
                break;
            case MX:
                maxFiniteMag = magMask;
                nanBits = -1;
                infBits = -1;
                break;
            case E8M0:
                maxFiniteMag = magMask - 1;
                nanBits = magMask;
                infBits = -1;
                break;
            default:
                throw new AssertionError(kind);
        }
        if (kind != Kind.E8M0 && (maxFiniteMag < 1 || ((maxFiniteMag >> m) == 0 && !this.sub))) { // e8m0: code 0 is finite
            throw new IllegalArgumentException("format e" + e + "m" + m + kind.suffix + " has no finite non-zero value");
        }
        this.maxSig = sigOfMag(maxFiniteMag);
        this.maxExpQ = expOfMag(maxFiniteMag);
    }

    /** Creates a format from its parameters (see {@link Kind}); throws IllegalArgumentException if invalid. */
    public static Format of(int e, int m, int bias, Kind kind, boolean saturating, boolean subnormals) {
        return new Format(e, m, bias, kind, saturating, subnormals);
    }

    /** The default bias of a kind: 2^(E-1)-1, one larger for FNUZ. */
    public static int defaultBias(int e, Kind kind) {
        return (1 << (e - 1)) - 1 + (kind == Kind.FNUZ ? 1 : 0);
    }

    // ------------------------------------------------------------------ parsing and printing

    private static final Pattern GENERIC = Pattern.compile("e(\\d{1,2})m(\\d{1,2})(fnuz|fnu|fn|mx)?");

    /**
     * Parses a format spec: a name ({@code binary16, fp16, bf16, tf32, fp32, fp64, e4m3fn, e5m2, e4m3fnuz,
     * e5m2fnuz, e3m2fn, e2m3fn, e2m1fn, e8m0fnu}, ...) or {@code eEmM[fn|fnuz|mx|fnu]}, followed by options
     * {@code :sat}, {@code :nosub}, {@code :bias=N}.
     *
     * @throws IllegalArgumentException naming the bad part
     */
    public static Format parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty format spec");
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        String[] parts = s.split(":", -1);
        String base = parts[0];
        Format f = NAMED.get(base);
        int e;
        int m;
        Kind kind;
        Integer bias = null;
        boolean satOpt = false;
        boolean nosub = false;
        if (f != null) {
            e = f.e;
            m = f.m;
            kind = f.kind;
            bias = f.bias;
            satOpt = f.sat;
            nosub = !f.sub;
        } else {
            Matcher mt = GENERIC.matcher(base);
            if (!mt.matches()) {
                throw new IllegalArgumentException("bad format spec '" + spec + "': unknown format '" + parts[0]
                        + "' (expected a name such as fp16, bf16, tf32, fp32, fp64, e4m3fn, e5m2, e4m3fnuz, e5m2fnuz,"
                        + " e3m2fn, e2m3fn, e2m1fn, e8m0fnu, or eEmM[fn|fnuz|mx|fnu])");
            }
            e = Integer.parseInt(mt.group(1));
            m = Integer.parseInt(mt.group(2));
            String suf = mt.group(3) == null ? "" : mt.group(3);
            switch (suf) {
                case "fn": kind = isMxShape(e, m) ? Kind.MX : Kind.FN; break;
                case "fnuz": kind = Kind.FNUZ; break;
                case "mx": kind = Kind.MX; break;
                case "fnu": kind = Kind.E8M0; break;
                default: kind = Kind.IEEE;
            }
        }
        for (int i = 1; i < parts.length; i++) {
            String o = parts[i];
            if (o.equals("sat")) {
                satOpt = true;
            } else if (o.equals("nosub") || o.equals("ftz")) {
                nosub = true;
            } else if (o.startsWith("bias=")) {
                try {
                    bias = Integer.parseInt(o.substring(5));
                } catch (NumberFormatException ex) {
                    String b = o.substring(5);
                    throw new IllegalArgumentException("bad format spec '" + spec + "': bias '" + b + "' "
                            + (b.matches("[+-]?\\d+") ? "out of range -2^20..2^20" : "is not an integer"));
                }
            } else {
                throw new IllegalArgumentException("bad format spec '" + spec + "': unknown option '" + o
                        + "' (expected sat, nosub or bias=N)");
            }
        }
        try {
            return new Format(e, m, bias == null ? defaultBias(e, kind) : bias, kind, satOpt, !nosub);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("bad format spec '" + spec + "': " + ex.getMessage());
        }
    }

    /** The canonical spec string; {@code parse(toString())} gives an equal format. */
    @Override
    public String toString() {
        Format plain = new Format(e, m, defaultBiasFor(), kind, kind == Kind.MX, kind != Kind.E8M0);
        String base = CANONICAL.get(plain);
        if (base == null) {
            // generic spelling; eEmMfn for the three MX element shapes means the MX type
            base = "e" + e + "m" + m + kind.suffix;
        }
        StringBuilder sb = new StringBuilder(base);
        if (bias != defaultBiasFor()) {
            sb.append(":bias=").append(bias);
        }
        if (sat && kind != Kind.MX) {
            sb.append(":sat");
        }
        if (!sub && kind != Kind.E8M0) {
            sb.append(":nosub");
        }
        return sb.toString();
    }

    private int defaultBiasFor() {
        if (kind == Kind.FNUZ && e == 4 && m == 3 && bias == 11) {
            return 11; // e4m3b11fnuz is a named format of its own
        }
        return defaultBias(e, kind);
    }

    private static boolean isMxShape(int e, int m) {
        return (e == 3 && m == 2) || (e == 2 && m == 3) || (e == 2 && m == 1);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Format)) {
            return false;
        }
        Format f = (Format) o;
        return e == f.e && m == f.m && bias == f.bias && kind == f.kind && sat == f.sat && sub == f.sub;
    }

    @Override
    public int hashCode() {
        return Objects.hash(e, m, bias, kind, sat, sub);
    }

    // ------------------------------------------------------------------ parameters

    /** Exponent field width E. */
    public int expBits() { return e; }

    /** Trailing significand width M; precision p = M + 1. */
    public int manBits() { return m; }

    public int precision() { return m + 1; }

    public int bias() { return bias; }

    public Kind kind() { return kind; }

    /** True if overflow saturates to ±max finite (always for MX element types). */
    public boolean saturating() { return sat; }

    /** False for {@code :nosub} (flush subnormal results to zero, read subnormal inputs as zero). */
    public boolean subnormals() { return sub; }

    /** Bits in a pattern: 1 + E + M (E for the unsigned e8m0fnu). */
    public int width() { return width; }

    public boolean signed() { return signBit != 0; }

    public boolean hasInf() { return infBits >= 0; }

    public boolean hasNaN() { return nanBits >= 0; }

    public long signBit() { return signBit; }

    public long magnitudeMask() { return magMask; }

    /** Exponent of the smallest normal number 2^emin. */
    public int emin() { return emin; }

    /** Exponent of the largest finite number (its leading bit). */
    public int emax() { return maxExpQ + 63 - Long.numberOfLeadingZeros(maxSig); }

    /** Integer significand of the largest finite value. */
    public long maxSignificand() { return maxSig; }

    /** Exponent of the last significand bit of the largest finite value: max = maxSignificand * 2^this. */
    public int maxQuantumExp() { return maxExpQ; }

    /** Exponent of the smallest quantum, 2^(emin - M): the smallest subnormal (or ulp of min normal). */
    public int minQuantumExp() { return emin - m; }

    /** Positive largest finite value's bits. */
    public long maxFiniteBits() { return maxFiniteMag; }

    /** Canonical NaN bits (positive quiet NaN; 0x80.. for fnuz; -1 when the format has no NaN). */
    public long nanBits() { return nanBits; }

    /** Bits of the result NaN: the canonical NaN, or for MX types (no NaN) the −0 pattern (see docs). */
    public long defaultNaN() { return nanBits >= 0 ? nanBits : signBit; }

    /** +Inf bits, -1 if the format has no infinity. */
    public long infBits() { return infBits; }

    /** Bits of +0 (e8m0fnu has no zero: -1). */
    public long zeroBits(boolean negative) {
        if (kind == Kind.E8M0) {
            return -1;
        }
        return negative && kind != Kind.FNUZ ? signBit : 0;
    }

    /** Smallest positive normal bits. */
    public long minNormalBits() { return kind == Kind.E8M0 ? 0 : 1L << m; }

    /** Smallest positive (subnormal if enabled) bits. */
    public long minPositiveBits() { return (sub && m > 0) ? 1 : minNormalBits(); }

    // ------------------------------------------------------------------ bit-pattern queries

    /** Throws IllegalArgumentException if {@code bits} has bits set beyond the format's width. */
    public long checkBits(long bits) {
        if (width < 64 && (bits >>> width) != 0) {
            throw new IllegalArgumentException(String.format("0x%X is not a %s bit pattern (%d bits)", bits, this, width));
        }
        return bits;
    }

    public boolean isNegative(long bits) { return (bits & signBit) != 0; }

    public boolean isNaN(long bits) {
        switch (kind) {
            case IEEE: return ((bits >>> m) & expField) == expField && (bits & fracMask) != 0;
            case FN: return (bits & magMask) == magMask;
            case FNUZ: return bits == signBit;
            case E8M0: return bits == magMask;
            default: return false;
        }
    }

    /** IEEE-like signalling NaN: all-ones exponent, top fraction bit clear, fraction non-zero. */
    public boolean isSignalingNaN(long bits) {
        return kind == Kind.IEEE && isNaN(bits) && (bits & (1L << (m - 1))) == 0;
    }

    public boolean isInf(long bits) { return infBits >= 0 && (bits & magMask) == infBits; }

    public boolean isZero(long bits) {
        if (kind == Kind.E8M0 || isNaN(bits)) {
            return false;
        }
        long mag = bits & magMask;
        return mag == 0 || (!sub && (mag >>> m) == 0);
    }

    public FpClass classify(long bits) {
        if (isNaN(bits)) return FpClass.NAN;
        if (isInf(bits)) return FpClass.INFINITE;
        if (isZero(bits)) return FpClass.ZERO;
        if (kind != Kind.E8M0 && ((bits & magMask) >>> m) == 0) return FpClass.SUBNORMAL;
        return FpClass.NORMAL;
    }

    private long sigOfMag(long mag) {
        long ef = mag >>> m;
        long f = mag & fracMask;
        if (kind == Kind.E8M0) return 1;
        if (ef == 0) return sub ? f : 0;
        return f | (1L << m);
    }

    private int expOfMag(long mag) {
        long ef = mag >>> m;
        if (kind == Kind.E8M0) return (int) ef - bias;
        if (ef == 0) return emin - m;
        return (int) ef - bias - m;
    }

    /** Integer significand (hidden bit included) of a finite pattern; 0 for zeros (and DAZ subnormals). */
    public long sigOf(long bits) { return sigOfMag(bits & magMask); }

    /** Exponent of the last significand bit of a finite pattern: |value| = sigOf * 2^expOf. */
    public int expOf(long bits) { return expOfMag(bits & magMask); }

    /** Exact value of a finite pattern. @throws ArithmeticException for NaN and Inf */
    public BigDecimal toBigDecimal(long bits) {
        checkBits(bits);
        if (isNaN(bits) || isInf(bits)) {
            throw new ArithmeticException(String.format("0x%X is %s in %s, not a finite value", bits, classify(bits), this));
        }
        BigDecimal v = exactDyadic(BigInteger.valueOf(sigOf(bits)), expOf(bits));
        return isNegative(bits) ? v.negate() : v;
    }

    /** Exact value sig*2^exp as a BigDecimal (always exact for binary fractions). */
    public static BigDecimal exactDyadic(BigInteger sig, int exp) {
        if (exp >= 0) {
            return new BigDecimal(sig.shiftLeft(exp));
        }
        // sig * 2^exp = sig * 5^-exp / 10^-exp
        return new BigDecimal(sig.multiply(BigInteger.valueOf(5).pow(-exp)), -exp);
    }

    /**
     * The value as a double: exact for every finite pattern whose value a double can hold (all formats with
     * E &lt;= 11, M &lt;= 52 and default-range biases); NaN and ±Inf map to their double counterparts.
     *
     * @throws ArithmeticException if the value is finite but not exactly representable as a double
     */
    public double toDouble(long bits) {
        checkBits(bits);
        if (isNaN(bits)) return Double.NaN;
        boolean neg = isNegative(bits);
        if (isInf(bits)) return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        long sig = sigOf(bits);
        if (sig == 0) return neg ? -0.0 : 0.0;
        int exp = expOf(bits);
        int lead = exp + 63 - Long.numberOfLeadingZeros(sig);
        int tz = Long.numberOfTrailingZeros(sig);
        if (lead > 1023 || exp + tz < -1074) {
            throw new ArithmeticException(String.format("0x%X in %s is not exactly representable as a double", bits, this));
        }
        double d = Math.scalb((double) sig, exp); // sig < 2^53 and the result is representable: exact
        return neg ? -d : d;
    }

    /** Whether every finite value of this format is exactly a double. */
    public boolean fitsInDouble() {
        return m <= 52 && emax() <= 1023 && minQuantumExp() >= -1074;
    }

    /** Next larger value (IEEE nextUp); returns the input if there is no larger value, NaN for NaN. */
    public long nextUp(long bits) {
        checkBits(bits);
        if (isNaN(bits)) return defaultNaN();
        if (kind == Kind.E8M0) return bits == maxFiniteMag ? bits : bits + 1;
        long mag = bits & magMask;
        boolean neg = isNegative(bits) && mag != 0;
        if (isInf(bits)) return neg ? (signBit | maxFiniteMag) : bits;
        if (isZero(bits)) return minPositiveBits();
        if (!neg) {
            if (mag == maxFiniteMag) return hasInf() ? infBits : bits;
            return mag + 1;
        }
        long nm = mag - 1;
        if (!sub && nm != 0 && (nm >>> m) == 0) nm = 0; // skip DAZ subnormal codes
        if (nm == 0) return zeroBits(true);
        return signBit | nm;
    }

    /** Next smaller value (IEEE nextDown). */
    public long nextDown(long bits) {
        checkBits(bits);
        if (isNaN(bits)) return defaultNaN();
        if (kind == Kind.E8M0) return bits == 0 ? bits : bits - 1;
        long mag = bits & magMask;
        boolean neg = isNegative(bits) && mag != 0;
        if (isInf(bits)) return neg ? bits : maxFiniteMag;
        if (isZero(bits)) return signBit | minPositiveBits();
        if (neg) {
            if (mag == maxFiniteMag) return hasInf() ? (signBit | infBits) : bits;
            return signBit | (mag + 1);
        }
        long nm = mag - 1;
        if (!sub && nm != 0 && (nm >>> m) == 0) nm = 0;
        return nm == 0 ? zeroBits(false) : nm;
    }

    /** Unit in the last place of a finite pattern, 2^(max(e, emin) - M); for zero the smallest quantum. */
    public BigDecimal ulp(long bits) {
        checkBits(bits);
        if (!classify(bits).isFinite()) {
            throw new ArithmeticException(String.format("ulp of non-finite 0x%X in %s", bits, this));
        }
        long sig = sigOf(bits);
        if (sig == 0) return exactDyadic(BigInteger.ONE, minQuantumExp());
        return exactDyadic(BigInteger.ONE, Math.max(expOf(bits), minQuantumExp()));
    }

    public BigDecimal maxFinite() { return toBigDecimal(maxFiniteMag); }

    public BigDecimal minNormal() { return toBigDecimal(minNormalBits()); }

    public BigDecimal minSubnormal() { return toBigDecimal(minPositiveBits()); }

    /** Machine epsilon 2^-M (distance from 1 to the next larger value). */
    public BigDecimal epsilon() { return exactDyadic(BigInteger.ONE, -m); }

    /** Unit roundoff u = 2^-p = epsilon/2 (round to nearest). */
    public BigDecimal unitRoundoff() { return exactDyadic(BigInteger.ONE, -m - 1); }

    /** Every bit pattern of a format of at most 16 bits, in increasing code order. */
    public long[] allBitPatterns() {
        if (width > 16) {
            throw new IllegalArgumentException(this + " has " + width + " bits; enumeration is limited to 16");
        }
        long[] r = new long[1 << width];
        for (int i = 0; i < r.length; i++) r[i] = i;
        return r;
    }

    /** Pattern from sign, exponent field and fraction field (no checks beyond width). */
    public long pack(boolean negative, long expFieldValue, long fraction) {
        return (negative ? signBit : 0) | (expFieldValue << m) | fraction;
    }

    /**
     * Formats a pattern as upper-case hex digits, zero-padded to the format's width (ceil(width/4) digits), without
     * a {@code 0x} prefix: fp16 1.0 is {@code 3C00}, tf32 1.0 {@code 1FC00}, e2m1fn 6 {@code 7}.
     */
    public String hex(long bits) {
        int digits = (width + 3) / 4;
        return String.format("%0" + digits + "X", bits);
    }
}
