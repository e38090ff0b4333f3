package lowp.bench;

import org.openjdk.jmh.annotations.*;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Memory-bandwidth yardstick: a plain double[] copy. The primary score is invocations/s; the secondary
 * result "elements" (an operations-type aux counter incremented by n per invocation) is elements/s, the unit
 * the quantizer benchmarks (lowp.bench.quant.QuantizeBench) report.
 */
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

    /** Elements processed: reported by JMH as elements per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Elements {
        public long elements;

        @Setup(Level.Iteration)
        public void reset() {
            elements = 0;
        }
    }

    @Setup
    public void setup() {
        Random r = new Random(1);
        src = new double[n];
        dst = new double[n];
        for (int i = 0; i < n; i++) src[i] = r.nextGaussian();
    }

    @Benchmark
    public double[] copy(Elements e) {
        System.arraycopy(src, 0, dst, 0, n);
        e.elements += n;
        return dst;
    }
}
