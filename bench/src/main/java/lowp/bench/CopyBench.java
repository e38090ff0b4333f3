package lowp.bench;

import org.openjdk.jmh.annotations.*;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Memory-bandwidth yardstick: a plain double[] copy, elements per second. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CopyBench {
    @Param({"1000", "100000", "10000000"})
    public int n;

    double[] src;
    double[] dst;

    @Setup
    public void setup() {
        Random r = new Random(1);
        src = new double[n];
        dst = new double[n];
        for (int i = 0; i < n; i++) src[i] = r.nextGaussian();
    }

    @Benchmark
    @OperationsPerInvocation(1)
    public double[] copy() {
        System.arraycopy(src, 0, dst, 0, n);
        return dst;
    }
}
