package lowp.cli;

import lowp.format.Format;
import lowp.ops.FloatOps;
import lowp.round.Env;
import lowp.round.Rounding;
import lowp.round.Tininess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code lowp testfloat FUNCTION [-r...] [-tininess...]}: a Berkeley TestFloat "implementation under test".
 * Reads test-case lines as {@code testfloat_gen} prints them (hex operands, then the expected result and
 * flags, which are ignored) and prints {@code operands result flags} per line, the form
 * {@code testfloat_ver} reads.
 */
@Command(name = "testfloat", mixinStandardHelpOptions = true,
        description = {"Run Berkeley TestFloat vectors: stdin lines 'operands [expected flags]' in hex,"
                + " stdout lines 'operands result flags' (flags: 01 inexact, 02 underflow, 04 overflow,"
                + " 08 infinite, 10 invalid).",
                "Pipe e.g.: testfloat_gen f16_mulAdd | java -jar target/lowp.jar testfloat f16_mulAdd | testfloat_ver f16_mulAdd"})
public final class TestFloatCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FUNCTION",
            description = "TestFloat function: f16_add f16_sub f16_mul f16_div f16_sqrt f16_mulAdd, the same for f32_"
                    + " and f64_, f16_to_f32 f16_to_f64 f32_to_f16 f32_to_f64 f64_to_f16 f64_to_f32 f32_to_bf16 bf16_to_f32")
    String function;

    @Option(names = "-rnear_even", description = "round to nearest, ties to even (default)")
    boolean rNearEven;
    @Option(names = "-rminMag", description = "round toward zero")
    boolean rMinMag;
    @Option(names = "-rmin", description = "round toward -infinity")
    boolean rMin;
    @Option(names = "-rmax", description = "round toward +infinity")
    boolean rMax;
    @Option(names = "-rnear_maxMag", description = "round to nearest, ties away from zero")
    boolean rNearMaxMag;
    @Option(names = "-rodd", description = "round to odd")
    boolean rOdd;
    @Option(names = "-tininessbefore", description = "detect tininess before rounding")
    boolean tinyBefore;
    @Option(names = "-tininessafter", description = "detect tininess after rounding (default)")
    boolean tinyAfter;

    /** A TestFloat function: its operand formats, result format and operation. */
    static final class Fn {
        final Format[] in;
        final Format out;
        final HexLines.LineOp op;

        Fn(Format[] in, Format out, HexLines.LineOp op) {
            this.in = in;
            this.out = out;
            this.op = op;
        }
    }

    static final Map<String, Fn> FUNCTIONS = new LinkedHashMap<>();

    static {
        String[] names = {"f16", "f32", "f64"};
        Format[] fmts = {Format.BINARY16, Format.BINARY32, Format.BINARY64};
        for (int i = 0; i < 3; i++) {
            Format f = fmts[i];
            Format[] two = {f, f};
            FUNCTIONS.put(names[i] + "_add", new Fn(two, f, (x, e) -> FloatOps.add(f, x[0], x[1], e)));
            FUNCTIONS.put(names[i] + "_sub", new Fn(two, f, (x, e) -> FloatOps.sub(f, x[0], x[1], e)));
            FUNCTIONS.put(names[i] + "_mul", new Fn(two, f, (x, e) -> FloatOps.mul(f, x[0], x[1], e)));
            FUNCTIONS.put(names[i] + "_div", new Fn(two, f, (x, e) -> FloatOps.div(f, x[0], x[1], e)));
            FUNCTIONS.put(names[i] + "_sqrt", new Fn(new Format[] {f}, f, (x, e) -> FloatOps.sqrt(f, x[0], e)));
            FUNCTIONS.put(names[i] + "_mulAdd", new Fn(new Format[] {f, f, f}, f,
                    (x, e) -> FloatOps.fma(f, x[0], x[1], x[2], e)));
        }
        conv("f16", Format.BINARY16, "f32", Format.BINARY32);
        conv("f16", Format.BINARY16, "f64", Format.BINARY64);
        conv("f32", Format.BINARY32, "f16", Format.BINARY16);
        conv("f32", Format.BINARY32, "f64", Format.BINARY64);
        conv("f64", Format.BINARY64, "f16", Format.BINARY16);
        conv("f64", Format.BINARY64, "f32", Format.BINARY32);
        conv("f32", Format.BINARY32, "bf16", Format.BFLOAT16);
        conv("bf16", Format.BFLOAT16, "f32", Format.BINARY32);
    }

    private static void conv(String a, Format fa, String b, Format fb) {
        FUNCTIONS.put(a + "_to_" + b, new Fn(new Format[] {fa}, fb, (x, e) -> FloatOps.convert(fa, x[0], fb, e)));
    }

    Rounding rounding() {
        int n = 0;
        Rounding r = Rounding.RNE;
        if (rNearEven) { n++; r = Rounding.RNE; }
        if (rMinMag) { n++; r = Rounding.RTZ; }
        if (rMin) { n++; r = Rounding.RDN; }
        if (rMax) { n++; r = Rounding.RUP; }
        if (rNearMaxMag) { n++; r = Rounding.RNA; }
        if (rOdd) { n++; r = Rounding.RTO; }
        if (n > 1) {
            throw new UserException("more than one rounding option given (choose one of -rnear_even -rminMag -rmin"
                    + " -rmax -rnear_maxMag -rodd)");
        }
        return r;
    }

    @Override
    public Integer call() throws Exception {
        Fn fn = FUNCTIONS.get(function);
        if (fn == null) {
            throw new UserException("unknown TestFloat function '" + function + "' (supported: "
                    + String.join(" ", FUNCTIONS.keySet()) + ")");
        }
        if (tinyBefore && tinyAfter) {
            throw new UserException("both -tininessbefore and -tininessafter given");
        }
        Env env = new Env(rounding(), tinyBefore ? Tininess.BEFORE : Tininess.AFTER);
        OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
        new HexLines(fn.in, fn.out, fn.op, env, function).run(System.in, out);
        out.flush();
        return 0;
    }
}
