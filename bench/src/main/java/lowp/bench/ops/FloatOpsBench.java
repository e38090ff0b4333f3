package lowp.bench.ops;

import lowp.format.Format;
import lowp.ops.FloatOps;
import lowp.round.Env;
import lowp.round.Rounding;
import org.openjdk.jmh.annotations.*;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Scalar FloatOps throughput on random finite operands, single thread; each invocation runs N operations
 * (ops/s = score). Compare: Berkeley SoftFloat 3e on this machine class: f16_add ~60 M/s, f16_mul ~59 M/s,
 * f16_mulAdd ~45 M/s, f64_to_f16 ~160 M/s.
 * Run: java -jar bench/target/benchmarks.jar FloatOpsBench -wi 2 -i 3 -f 1 -w 1 -r 1
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FloatOpsBench {
    static final int N = 4096;

    @Param({"binary16"})
    public String format;

    @Param({"rne"})
    public String rounding;

    Format f;
    Env env;
    long[] a = new long[N];
    long[] b = new long[N];
    long[] c = new long[N];
    long[] d = new long[N];

    static long randomFinite(Format f, SplittableRandom r) {
        long mask = f.width() == 64 ? -1L : (1L << f.width()) - 1;
        while (true) {
            long v = r.nextLong() & mask;
            if (f.classify(v).isFinite()) return v;
        }
    }

    @Setup
    public void setup() {
        f = Format.parse(format);
        env = new Env(Rounding.parse(rounding));
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < N; i++) {
            a[i] = randomFinite(f, r);
            b[i] = randomFinite(f, r);
            c[i] = randomFinite(f, r);
            d[i] = Double.doubleToRawLongBits(r.nextDouble() * Math.scalb(1.0, r.nextInt(60) - 30));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long add() {
        long s = 0;
        for (int i = 0; i < N; i++) s += FloatOps.add(f, a[i], b[i], env);
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long mul() {
        long s = 0;
        for (int i = 0; i < N; i++) s += FloatOps.mul(f, a[i], b[i], env);
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long fma() {
        long s = 0;
        for (int i = 0; i < N; i++) s += FloatOps.fma(f, a[i], b[i], c[i], env);
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long div() {
        long s = 0;
        for (int i = 0; i < N; i++) s += FloatOps.div(f, a[i], b[i], env);
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long sqrt() {
        long s = 0;
        for (int i = 0; i < N; i++) s += FloatOps.sqrt(f, a[i] & ~f.signBit(), env);
        return s;
    }

    /** Conversion of random doubles (wide exponent range) into the format. */
    @Benchmark
    @OperationsPerInvocation(N)
    public long fromF64() {
        long s = 0;
        for (int i = 0; i < N; i++) s += FloatOps.convert(Format.BINARY64, d[i], f, env);
        return s;
    }
}
