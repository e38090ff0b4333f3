package lowp.cli;

import lowp.format.Format;
import lowp.format.FpClass;
import lowp.format.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code lowp formats}: the table of named formats; {@code --spec X} describes one format;
 * {@code --values X} enumerates every bit pattern of a format of at most 16 bits with its exact value.
 */
@Command(name = "formats", mixinStandardHelpOptions = true,
        description = {"List the named formats, describe one (--spec), or enumerate all values of a format of at most 16 bits (--values).",
                "Spec grammar: NAME or eEmM[fn|fnuz|mx|fnu] followed by options :sat :nosub :bias=N (e.g. e5m2:sat, e6m9:bias=20)."})
public final class FormatsCommand implements Callable<Integer> {

    @Option(names = "--spec", paramLabel = "FMT", description = "describe this format")
    String spec;

    @Option(names = "--values", paramLabel = "FMT", description = "enumerate all bit patterns of this format (<= 16 bits)")
    String values;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (spec != null && values != null) {
            throw new UserException("give either --spec or --values, not both");
        }
        if (spec != null) {
            describe(out, Format.parse(spec));
        } else if (values != null) {
            enumerate(out, Format.parse(values));
        } else {
            table(out);
        }
        out.flush();
        return 0;
    }

    /** Short decimal form of an exact value (the exact value is in --spec / --values). */
    static String sci(BigDecimal v) {
        if (v.signum() == 0) return "0";
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }

    /** Largest |binary exponent| whose value is printed in full decimal (binary64's extremes are, ~1100 digits). */
    static final int MAX_DECIMAL_EXP = 1100;

    /**
     * The exact value of a finite positive pattern: in decimal (with a short approximation when long) if it has
     * at most about {@value #MAX_DECIMAL_EXP} digits, otherwise as the exact {@code sig*2^exp} with a decimal
     * approximation (a wide format with a huge bias would print hundreds of thousands of digits).
     */
    static String exactValue(Format f, long bits) {
        long sig = f.sigOf(bits);
        int exp = f.expOf(bits);
        if (sig == 0) return "0";
        int tz = Long.numberOfTrailingZeros(sig);
        sig >>>= tz;
        exp += tz;
        if (Math.abs(exp) <= MAX_DECIMAL_EXP) {
            return exactAndShort(f.toBigDecimal(bits));
        }
        double log10 = Math.log10((double) sig) + exp * Math.log10(2.0);
        long e10 = (long) Math.floor(log10);
        double mant = Math.pow(10, log10 - e10);
        if (mant >= 9.999995) { // printed as 10.00000
            mant /= 10;
            e10++;
        }
        return sig + "*2^" + exp + "  (~" + String.format(java.util.Locale.ROOT, "%.5fe%+d", mant, e10) + ")";
    }

    /** Exact value, with a short approximation when it is long. */
    static String exactAndShort(BigDecimal v) {
        String p = plain(v);
        return p.length() > 20 ? p + "  (~" + sci(v) + ")" : p;
    }

    /** Exact value without trailing zeros. */
    static String plain(BigDecimal v) {
        return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
    }

    static void table(PrintStream out) {
        out.printf("%-12s %3s %3s %5s %-5s %3s %4s %5s %-13s %-13s %-13s %-13s%n", "name", "E", "M", "bias", "kind",
                "sat", "sub", "width", "max", "min normal", "min subnorm", "epsilon");
        for (Map.Entry<String, Format> e : Format.namedFormats().entrySet()) {
            Format f = e.getValue();
            out.printf("%-12s %3d %3d %5d %-5s %3s %4s %5d %-13s %-13s %-13s %-13s%n", e.getKey(), f.expBits(),
                    f.manBits(), f.bias(), f.kind().name().toLowerCase(java.util.Locale.ROOT), f.saturating() ? "yes" : "no",
                    f.subnormals() ? "yes" : "no", f.width(), sci(f.maxFinite()), sci(f.minNormal()),
                    f.subnormals() && f.manBits() > 0 ? sci(f.minSubnormal()) : "-", sci(f.epsilon()));
        }
        out.println();
        out.println("Aliases: fp16 half float16 = binary16; bf16 = bfloat16; fp32 single float32 = binary32;"
                + " fp64 double float64 = binary64.");
        out.println("Generic: eEmM (IEEE-like), eEmMfn, eEmMfnuz, eEmMmx, eEmMfnu; options :sat :nosub :bias=N."
                + " 'lowp formats --spec X' describes one.");
    }

    static void describe(PrintStream out, Format f) {
        out.println("format:        " + f);
        out.printf("parameters:    E=%d M=%d (precision p=%d) bias=%d kind=%s%s%s%n", f.expBits(), f.manBits(),
                f.precision(), f.bias(), f.kind().name().toLowerCase(java.util.Locale.ROOT),
                f.saturating() ? " saturating" : "", f.subnormals() ? "" : " nosub (flush-to-zero, denormals-are-zero)");
        out.println("width:         " + f.width() + " bits" + (f.signed() ? "" : " (unsigned)"));
        out.println("emin, emax:    " + f.emin() + ", " + f.emax());
        out.println("max finite:    " + exactValue(f, f.maxFiniteBits()) + "  = 0x" + f.hex(f.maxFiniteBits()));
        out.println("min normal:    " + exactValue(f, f.minNormalBits()) + "  = 0x" + f.hex(f.minNormalBits()));
        if (f.subnormals() && f.kind() != Kind.E8M0 && f.manBits() > 0) {
            out.println("min subnormal: " + exactValue(f, f.minPositiveBits()) + "  = 0x" + f.hex(f.minPositiveBits()));
        } else {
            out.println("min subnormal: none");
        }
        out.println("epsilon:       " + plain(f.epsilon()) + "  (2^-" + f.manBits() + ")");
        out.println("infinity:      " + (f.hasInf() ? "0x" + f.hex(f.infBits()) + " / 0x" + f.hex(f.infBits() | f.signBit()) : "none"));
        String nan;
        switch (f.kind()) {
            case IEEE: nan = "exponent all ones, fraction != 0 (quiet if the top fraction bit is set); canonical 0x"
                    + f.hex(f.nanBits()); break;
            case FN: nan = "only 0x" + f.hex(f.nanBits()) + " and 0x" + f.hex(f.nanBits() | f.signBit()); break;
            case FNUZ: nan = "only 0x" + f.hex(f.nanBits()) + " (the would-be -0)"; break;
            case E8M0: nan = "0x" + f.hex(f.nanBits()); break;
            default: nan = "none (a NaN result is the -0 pattern 0x" + f.hex(f.defaultNaN()) + " with invalid)";
        }
        out.println("NaN:           " + nan);
        out.println("zero:          " + (f.kind() == Kind.E8M0 ? "none" : f.kind() == Kind.FNUZ ? "0x" + f.hex(0) + " only (no -0)"
                : "0x" + f.hex(0) + " / 0x" + f.hex(f.signBit())));
        out.println("overflow:      " + (f.saturating() ? "saturates to +-max finite"
                : f.hasInf() ? "+-Inf (+-max finite for the toward-zero side of rtz/rup/rdn and for rto)"
                : "NaN (+-max finite for the toward-zero side of rtz/rup/rdn and for rto)"));
        if (f.width() <= 16) {
            out.println("values:        " + (1L << f.width()) + " bit patterns ('lowp formats --values " + f + "')");
        }
    }

    static void enumerate(PrintStream out, Format f) {
        long[] all = f.allBitPatterns();
        StringBuilder sb = new StringBuilder(1 << 16);
        sb.append("# ").append(f).append(": code class value\n");
        for (long v : all) {
            FpClass c = f.classify(v);
            sb.append(f.hex(v)).append(' ').append(c.name().toLowerCase(java.util.Locale.ROOT)).append(' ');
            switch (c) {
                case NAN: sb.append("NaN"); break;
                case INFINITE: sb.append(f.isNegative(v) ? "-Inf" : "+Inf"); break;
                case ZERO: sb.append(f.isNegative(v) ? "-0" : "0"); break;
                default: sb.append(plain(f.toBigDecimal(v)));
            }
            sb.append('\n');
            if (sb.length() > (1 << 15)) {
                out.print(sb);
                sb.setLength(0);
            }
        }
        out.print(sb);
    }
}
