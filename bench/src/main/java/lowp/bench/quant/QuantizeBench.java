package lowp.bench.quant;

import lowp.format.Format;
import lowp.quant.FloatQuantizer;
import lowp.rng.RandomKey;
import lowp.round.Rounding;
import org.openjdk.jmh.annotations.*;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Array quantization throughput, fp64 (or fp32) storage to a low-precision format, values out (out of place).
 * Secondary result "elements" = elements/s (compare with lowp.bench.CopyBench.copy). {@code threads} is the
 * quantizer's own thread count (fixed chunking), not JMH threads. Stochastic modes include Philox4x32-10
 * random-number generation (one 64-bit word per element).
 *
 * <p>Run: {@code mvn -q -f bench/pom.xml package && java -jar bench/target/benchmarks.jar QuantizeBench
 * -p format=binary16 -p rounding=rne,sr -p n=10000000 -p threads=1}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class QuantizeBench {
    @Param({"binary16", "bfloat16", "e4m3fn", "e5m2"})
    public String format;

    @Param({"rne", "rtz", "sr", "sr8"})
    public String rounding;

    @Param({"1000", "100000", "10000000"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    @Param({"double"})
    public String storage;

    FloatQuantizer q;
    RandomKey key;
    double[] src;
    double[] dst;
    float[] srcF;
    float[] dstF;
    long step;

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
        q = new FloatQuantizer(Format.parse(format), Rounding.parse(rounding));
        key = RandomKey.of(42, 0, 0);
        Random r = new Random(1);
        if (storage.equals("float")) {
            srcF = new float[n];
            dstF = new float[n];
            for (int i = 0; i < n; i++) srcF[i] = (float) r.nextGaussian();
        } else {
            src = new double[n];
            dst = new double[n];
            for (int i = 0; i < n; i++) src[i] = r.nextGaussian();
        }
    }

    @Benchmark
    public Object quantize(Elements e) {
        e.elements += n;
        if (srcF != null) {
            q.quantize(srcF, 0, dstF, 0, n, key, 0, threads);
            return dstF;
        }
        q.quantize(src, 0, dst, 0, n, key, 0, threads);
        return dst;
    }
}
