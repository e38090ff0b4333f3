package lowp.bench.ops;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.SplittableRandom;

/**
 * Throughput-test input for {@code lowp testfloat}: prints N lines shaped like testfloat_gen output for an
 * f16/f32/f64 function of the given arity: random operand patterns (a mix of uniformly random bits and
 * values near 1.0), then a placeholder expected result and flags (ignored by {@code lowp testfloat}).
 * Usage: java -cp bench/target/benchmarks.jar lowp.bench.ops.TestFloatVectors f16_mulAdd 10000000 [seed] &gt; v.txt
 */
public final class TestFloatVectors {
    public static void main(String[] args) throws IOException {
        String fn = args[0];
        long n = Long.parseLong(args[1]);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        int width = fn.startsWith("f16") ? 16 : fn.startsWith("f32") ? 32 : 64;
        int arity = fn.endsWith("mulAdd") ? 3 : (fn.contains("_to_") || fn.endsWith("sqrt")) ? 1 : 2;
        int digits = width / 4;
        SplittableRandom r = new SplittableRandom(seed);
        OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
        byte[] hex = "0123456789ABCDEF".getBytes();
        byte[] line = new byte[(digits + 1) * (arity + 1) + 4];
        long mask = width == 64 ? -1L : (1L << width) - 1;
        for (long i = 0; i < n; i++) {
            int p = 0;
            for (int k = 0; k < arity; k++) {
                long v = r.nextLong() & mask;
                for (int d = digits - 1; d >= 0; d--) line[p++] = hex[(int) (v >>> (4 * d)) & 15];
                line[p++] = ' ';
            }
            for (int d = 0; d < digits; d++) line[p++] = '0';
            line[p++] = ' ';
            line[p++] = '0';
            line[p++] = '0';
            line[p++] = '\n';
            out.write(line, 0, p);
        }
        out.flush();
    }
}
