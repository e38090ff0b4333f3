package lowp.cli;

import lowp.format.Format;
import lowp.ops.FloatOps;
import lowp.round.Env;
import lowp.round.Rounding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code lowp speed op --format F --op OP --rounding R [--to F2] [--n N]}: runs one scalar bit-pattern
 * operation over arrays (16384 entries, cache-resident, reused for N operations) of random finite operands (random bit patterns, NaN/Inf codes redrawn), single
 * thread, and prints the throughput of each repetition and the median ({@code ops/s: N}, last line).
 */
@Command(name = "op", mixinStandardHelpOptions = true,
        description = "Throughput of one FloatOps operation on random finite operands (single thread).")
public final class SpeedOpCommand implements Callable<Integer> {

    @Option(names = "--format", required = true, paramLabel = "F", description = "operand format spec")
    String format;

    @Option(names = "--op", required = true, paramLabel = "OP", description = "add, sub, mul, fma, div, sqrt or convert")
    String op;

    @Option(names = "--rounding", defaultValue = "rne", paramLabel = "R", description = "rounding rule (default ${DEFAULT-VALUE})")
    String rounding;

    @Option(names = "--to", paramLabel = "F2", description = "target format of --op convert")
    String to;

    @Option(names = "--n", defaultValue = "1000000", paramLabel = "N", description = "operations per repetition (default ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--reps", defaultValue = "15", paramLabel = "K", description = "timed repetitions after warm-up (default ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "seed of the random operands")
    long seed;

    @Option(names = "--clock", defaultValue = "wall", paramLabel = "C",
            description = "wall: operations per second of elapsed time, as speed quantize reports; cpu: per second of thread"
                    + " CPU time (robust on a shared, loaded machine; equal to wall on an idle one) (default ${DEFAULT-VALUE})")
    String clock;

    static long randomFinite(Format f, SplittableRandom r) {
        long mask = f.width() == 64 ? -1L : (1L << f.width()) - 1;
        while (true) {
            long v = r.nextLong() & mask;
            if (f.classify(v).isFinite()) return v;
        }
    }

    @Override
    public Integer call() {
        Format f = Format.parse(format);
        Rounding rd = Rounding.parse(rounding);
        String o = op.trim().toLowerCase(Locale.ROOT);
        if (n < 1) throw new UserException("--n must be positive, got " + n);
        if (reps < 1) throw new UserException("--reps must be positive, got " + reps);
        Format t = null;
        if (o.equals("convert")) {
            if (to == null) throw new UserException("--op convert needs --to F2");
            t = Format.parse(to);
        } else if (to != null) {
            throw new UserException("--to is only used with --op convert");
        }
        if (!Arrays.asList("add", "sub", "mul", "fma", "div", "sqrt", "convert").contains(o)) {
            throw new UserException("bad --op '" + op + "' (expected add, sub, mul, fma, div, sqrt or convert)");
        }
        SplittableRandom r = new SplittableRandom(seed);
        int size = Math.min(n, 1 << 14); // operands stay in cache; n operations = passes over them
        long[] a = new long[size];
        long[] b = new long[size];
        long[] c = new long[size];
        long[] rw = new long[size];
        for (int i = 0; i < size; i++) {
            a[i] = randomFinite(f, r);
            b[i] = randomFinite(f, r);
            c[i] = randomFinite(f, r);
            rw[i] = r.nextLong();
        }
        Env env = new Env(rd);
        boolean sto = rd.isStochastic();
        boolean cpu;
        switch (clock.trim().toLowerCase(Locale.ROOT)) {
            case "cpu": cpu = true; break;
            case "wall": cpu = false; break;
            default: throw new UserException("bad --clock '" + clock + "' (expected cpu or wall)");
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (cpu && !mx.isCurrentThreadCpuTimeSupported()) {
            cpu = false;
        }
        double[] rates = new double[reps];
        double[] wall = new double[reps];
        long sink = 0;
        int warm = 5;
        System.out.printf(Locale.ROOT, "speed op: %s %s %s%s, n=%d, single thread%n", o, f, rd,
                t == null ? "" : " -> " + t, n);
        for (int rep = -warm; rep < reps; rep++) {
            long c0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
            long t0 = System.nanoTime();
            for (int done = 0; done < n; done += size) {
                sink += run(o, f, t, a, b, c, rw, sto, env, Math.min(size, n - done));
            }
            long dt = System.nanoTime() - t0;
            long dc = cpu ? mx.getCurrentThreadCpuTime() - c0 : dt;
            if (rep >= 0) {
                rates[rep] = n / (Math.max(dc, 1) * 1e-9);
                wall[rep] = n / (Math.max(dt, 1) * 1e-9);
            }
        }
        Arrays.sort(rates);
        Arrays.sort(wall);
        double med = rates[reps / 2];
        System.out.printf(Locale.ROOT, "wall clock:  min %.1f M/s, median %.1f M/s, max %.1f M/s%n",
                wall[0] / 1e6, wall[reps / 2] / 1e6, wall[reps - 1] / 1e6);
        if (cpu) {
            System.out.printf(Locale.ROOT, "thread CPU:  min %.1f M/s, median %.1f M/s, max %.1f M/s%n",
                    rates[0] / 1e6, med / 1e6, rates[reps - 1] / 1e6);
        }
        System.out.printf(Locale.ROOT, "(checksum %d; last line: median per %s second)%n", sink & 0xFFFF,
                cpu ? "thread-CPU" : "wall-clock");
        System.out.printf(Locale.ROOT, "ops/s: %d%n", (long) med);
        return 0;
    }

    private static long run(String o, Format f, Format t, long[] a, long[] b, long[] c, long[] rw, boolean sto, Env env,
                            int n) {
        long s = 0;
        switch (o) {
            case "add":
                for (int i = 0; i < n; i++) { if (sto) env.random = rw[i]; s += FloatOps.add(f, a[i], b[i], env); }
                break;
            case "sub":
                for (int i = 0; i < n; i++) { if (sto) env.random = rw[i]; s += FloatOps.sub(f, a[i], b[i], env); }
                break;
            case "mul":
                for (int i = 0; i < n; i++) { if (sto) env.random = rw[i]; s += FloatOps.mul(f, a[i], b[i], env); }
                break;
            case "fma":
                for (int i = 0; i < n; i++) { if (sto) env.random = rw[i]; s += FloatOps.fma(f, a[i], b[i], c[i], env); }
                break;
            case "div":
                for (int i = 0; i < n; i++) { if (sto) env.random = rw[i]; s += FloatOps.div(f, a[i], b[i], env); }
                break;
            case "sqrt":
                for (int i = 0; i < n; i++) { if (sto) env.random = rw[i]; s += FloatOps.sqrt(f, a[i] & ~f.signBit(), env); }
                break;
            default:
                for (int i = 0; i < n; i++) { if (sto) env.random = rw[i]; s += FloatOps.convert(f, a[i], t, env); }
        }
        return s + env.flags;
    }
}
