package lowp.cli;

import lowp.format.Format;
import lowp.ops.FloatOps;
import lowp.rng.Philox;
import lowp.round.Env;
import lowp.round.Rounding;
import lowp.round.Tininess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code lowp eval --format FMT --op OP --rounding R [--tininess before|after] [--to FMT2]}: evaluates one
 * operation per stdin line on hex bit patterns of any format and prints {@code operands result flags}.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate an operation on hex bit patterns of any format, one case per stdin line:"
                + " 'A B' (add sub mul div), 'A B C' (fma = A*B+C), 'A' (sqrt, convert); a line with more or fewer"
                + " tokens is an error (exit status 2).",
                "stdout: operands as given, the result in hex (of --to for convert) and the flags as 2 hex digits"
                        + " (01 inexact, 02 underflow, 04 overflow, 08 infinite, 10 invalid).",
                "Example: echo '3C00 1400' | java -jar target/lowp.jar eval --format fp16 --op add --rounding rne"})
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--format", required = true, paramLabel = "FMT",
            description = "operand format spec, e.g. fp16, bf16, e4m3fn, e5m2:sat, e6m9:bias=20 (see 'lowp formats')")
    String format;

    @Option(names = "--op", required = true, paramLabel = "OP", description = "add, sub, mul, div, sqrt, fma or convert")
    String op;

    @Option(names = "--rounding", defaultValue = "rne", paramLabel = "R",
            description = "rne, rna, rtz, rup, rdn, rto (also sr, sr-equal, srN with --seed); default ${DEFAULT-VALUE}")
    String rounding;

    @Option(names = "--tininess", defaultValue = "after", paramLabel = "WHEN",
            description = "tininess detection for the underflow flag: before or after rounding (default ${DEFAULT-VALUE})")
    String tininess;

    @Option(names = "--to", paramLabel = "FMT2", description = "target format of --op convert")
    String to;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "seed of the random words of stochastic rounding: line L (1-based, blank lines counted) uses"
                    + " the Philox word (seed, stream 0, step 0, index L-1) of docs/rng.md")
    long seed;

    /** Philox stream and step of eval's random words (docs/rng.md, docs/formats.md). */
    static final int STREAM = 0;
    static final long STEP = 0;

    @Override
    public Integer call() throws Exception {
        Format f = Format.parse(format);
        Rounding rd = Rounding.parse(rounding);
        Env env = new Env(rd, Tininess.parse(tininess));
        String o = op.trim().toLowerCase(Locale.ROOT);
        if (to != null && !o.equals("convert")) {
            throw new UserException("--to is only used with --op convert (got --op " + op + ")");
        }
        Format[] in;
        Format out = f;
        HexLines.LineOp lo;
        switch (o) {
            case "add": in = new Format[] {f, f}; lo = (x, e) -> FloatOps.add(f, x[0], x[1], e); break;
            case "sub": in = new Format[] {f, f}; lo = (x, e) -> FloatOps.sub(f, x[0], x[1], e); break;
            case "mul": in = new Format[] {f, f}; lo = (x, e) -> FloatOps.mul(f, x[0], x[1], e); break;
            case "div": in = new Format[] {f, f}; lo = (x, e) -> FloatOps.div(f, x[0], x[1], e); break;
            case "sqrt": in = new Format[] {f}; lo = (x, e) -> FloatOps.sqrt(f, x[0], e); break;
            case "fma": in = new Format[] {f, f, f}; lo = (x, e) -> FloatOps.fma(f, x[0], x[1], x[2], e); break;
            case "convert": {
                if (to == null) {
                    throw new UserException("--op convert needs --to FMT2");
                }
                Format t = Format.parse(to);
                in = new Format[] {f};
                out = t;
                lo = (x, e) -> FloatOps.convert(f, x[0], t, e);
                break;
            }
            default:
                throw new UserException("bad --op '" + op + "' (expected add, sub, mul, div, sqrt, fma or convert)");
        }
        HexLines.LineOp run = lo;
        if (rd.isStochastic()) {
            // docs/rng.md: key = seed, stream 0, step 0, index = line number - 1 (the first line is index 0)
            final long key = seed;
            HexLines.LineOp inner = lo;
            run = new HexLines.LineOp() {
                @Override
                public long apply(long[] x, Env e) {
                    throw new IllegalStateException("eval needs the line number for the random word");
                }

                @Override
                public long apply(long[] x, Env e, long lineNo) {
                    e.random = Philox.word(key, STREAM, STEP, lineNo - 1);
                    return inner.apply(x, e);
                }
            };
        }
        OutputStream os = new BufferedOutputStream(System.out, 1 << 16);
        new HexLines(in, out, run, env, "--op " + o + " in " + f, true).run(System.in, os); // strict: no extra tokens
        os.flush();
        return 0;
    }
}
