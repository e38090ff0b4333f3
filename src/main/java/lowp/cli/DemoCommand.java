package lowp.cli;

import lowp.format.Format;
import lowp.ops.FloatOps;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Rounding;
import lowp.round.Tininess;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code lowp demo}: the built-in formats and a few worked roundings. Later feature areas add sections
 * through {@code lowp.experiments.DemoSection.run(PrintStream)}, called reflectively after this output
 * when that class is present.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show the built-in formats and worked examples of bit-exact rounding.")
public final class DemoCommand implements Callable<Integer> {

    static final String EXTRA_SECTIONS = "lowp.experiments.DemoSection";

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        out.println("lowp: bit-exact emulation of low-precision floating-point arithmetic");
        out.println();
        out.println("== Built-in formats ('lowp formats --spec NAME' for details) ==");
        FormatsCommand.table(out);
        out.println();
        out.println("== Worked roundings (exact value, then ONE rounding; flags: 01 inexact 02 underflow"
                + " 04 overflow 08 infinite 10 invalid) ==");
        fromDouble(out, Format.BINARY16, Math.PI, Rounding.RNE, "pi -> fp16");
        fromDouble(out, Format.BINARY16, 1 + Math.scalb(1.0, -11), Rounding.RNE, "1+2^-11 -> fp16 (tie: to even, 1.0)");
        fromDouble(out, Format.BINARY16, 1 + Math.scalb(1.0, -11), Rounding.RNA, "1+2^-11 -> fp16 rna (tie: away)");
        fromDouble(out, Format.BINARY16, 1e6, Rounding.RTZ, "1e6 -> fp16 rtz (overflow, max finite)");
        fromDouble(out, Format.E4M3FN, 464, Rounding.RNE, "464 -> e4m3fn (tie between 448 and 480: to 448)");
        fromDouble(out, Format.E4M3FN, 465, Rounding.RNE, "465 -> e4m3fn (overflow: NaN, no Inf)");
        fromDouble(out, Format.parse("e4m3fn:sat"), 465, Rounding.RNE, "465 -> e4m3fn:sat (saturates)");
        fromDouble(out, Format.E5M2, 61440, Rounding.RNE, "61440 -> e5m2 (tie 57344/65536: to Inf)");
        fromDouble(out, Format.E4M3FNUZ, -1e-9, Rounding.RNE, "-1e-9 -> e4m3fnuz (no -0: 0x00)");
        fromDouble(out, Format.E2M1FN, 5.0, Rounding.RNE, "5 -> e2m1fn (tie 4/6: to even, 4)");
        fromDouble(out, Format.E2M1FN, 100.0, Rounding.RNE, "100 -> e2m1fn (MX: saturates to 6)");
        fromDouble(out, Format.E8M0FNU, 0.75, Rounding.RNE, "0.75 -> e8m0fnu (ties up, as ml_dtypes)");
        fromDouble(out, Format.BINARY16, 1e-30, Rounding.RTO, "1e-30 -> fp16 rto (odd: min subnormal)");
        out.println();
        out.println("== Double rounding: x = 1 + 2^-11 + 2^-30 (double 0x3FF0020000400000) ==");
        double x = Double.longBitsToDouble(0x3FF0020000400000L);
        Env e = Env.rne();
        long direct = FloatOps.fromDouble(Format.BINARY16, x, e);
        long f32 = FloatOps.fromDouble(Format.BINARY32, x, Env.rne());
        long via = FloatOps.convert(Format.BINARY32, f32, Format.BINARY16, Env.rne());
        out.printf("  fp64 -> fp16 directly:      0x%s (%s)%n", Format.BINARY16.hex(direct), Format.BINARY16.toDouble(direct));
        out.printf("  fp64 -> fp32 -> fp16:       0x%s (%s)  <- the fp32 step lands on the fp16 tie%n",
                Format.BINARY16.hex(via), Format.BINARY16.toDouble(via));
        out.println();
        out.println("== Tininess changes flags, not values: fp16 0x03FF * 0x3C01 ==");
        Env after = Env.rne();
        long r1 = FloatOps.mul(Format.BINARY16, 0x03FF, 0x3C01, after);
        Env before = new Env(Rounding.RNE, Tininess.BEFORE);
        long r2 = FloatOps.mul(Format.BINARY16, 0x03FF, 0x3C01, before);
        out.printf("  after rounding:  0x%s flags %s%n", Format.BINARY16.hex(r1), Flags.hex(after.flags));
        out.printf("  before rounding: 0x%s flags %s%n", Format.BINARY16.hex(r2), Flags.hex(before.flags));
        out.flush();
        return runExtraSections(out) ? 0 : 1;
    }

    private static void fromDouble(PrintStream out, Format f, double v, Rounding r, String what) {
        Env env = new Env(r);
        long bits = FloatOps.fromDouble(f, v, env);
        String val;
        if (f.isNaN(bits)) val = "NaN";
        else if (f.isInf(bits)) val = f.isNegative(bits) ? "-Inf" : "+Inf";
        else val = FormatsCommand.plain(f.toBigDecimal(bits));
        out.printf(Locale.ROOT, "  %-52s 0x%-5s = %-24s flags %s%n", what, f.hex(bits), val, Flags.hex(env.flags));
    }

    /**
     * Calls {@code lowp.experiments.DemoSection.run(PrintStream)} if that class exists; false if it reports a
     * failing claim (a Boolean false result), so that {@code demo} exits 1.
     */
    static boolean runExtraSections(PrintStream out) throws Exception {
        return runSections(out, EXTRA_SECTIONS);
    }

    static boolean runSections(PrintStream out, String className) throws Exception {
        Class<?> c;
        try {
            c = Class.forName(className);
        } catch (ClassNotFoundException e) {
            return true;
        }
        Method m = c.getMethod("run", PrintStream.class);
        out.println();
        Object r = m.invoke(null, out);
        out.flush();
        return !(r instanceof Boolean b) || b;
    }
}
