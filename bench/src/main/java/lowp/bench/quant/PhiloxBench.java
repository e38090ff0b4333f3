package lowp.bench.quant;

import lowp.rng.Philox;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/** Philox4x32-10 random words (lowp mapping, docs/rng.md) per second: the RNG share of stochastic rounding. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PhiloxBench {
    final long[] out = new long[512];
    long start;

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Words {
        public long words;

        @Setup(Level.Iteration)
        public void reset() {
            words = 0;
        }
    }

    @Benchmark
    public long[] fill512(Words w) {
        Philox.fill(42, 0, 0, start, out, 0, 512);
        start += 512;
        w.words += 512;
        return out;
    }
}
