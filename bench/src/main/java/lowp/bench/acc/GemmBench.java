package lowp.bench.acc;

import lowp.acc.AccContext;
import lowp.acc.AccumulatorModel;
import lowp.acc.Gemm;
import lowp.acc.Packed;
import lowp.acc.Profiles;
import lowp.acc.SequentialModel;
import lowp.format.Format;
import lowp.round.Rounding;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * GEMM N×N×N through the accumulator models (docs/performance.md, "Accumulators / GEMM"):
 * <ul>
 *   <li>{@code double}: binary64 yardstick, same driver and per-element loop ({@link Gemm#yardstick});</li>
 *   <li>{@code fp16-seq}: fp16 inputs, fp16 products (RNE), fp16 sequential accumulator (RNE);</li>
 *   <li>{@code fp16-seq-wide}: the same model on inputs in [-32, 32), where no row's overflow bound holds
 *       (sum of |a_q| * max|b| is about N * 16 * 32 > 65504, though the sums themselves stay below) but no
 *       product can overflow, so the kernel's reduced loop checks every sum against max finite
 *       ({@code fp16-seq}'s [-1, 1) data runs it without that check);</li>
 *   <li>{@code h100-fp16}: H100 fp16 tensor-core profile h100-fp16-fp32;</li>
 *   <li>{@code e4m3-2xacc}: e4m3 inputs, H100 FP8 blocks promoted to fp32 every 128 (h100-e4m3-fp32-2xacc).</li>
 * </ul>
 * Operands are packed (and, for the yardstick, transposed doubles) once in setup; the measured call is the
 * kernel. MAC/s = N^3 / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class GemmBench {

    @Param({"256", "512"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    @Param({"double", "fp16-seq", "h100-fp16", "e4m3-2xacc", "fp16-seq-wide"})
    public String kind;

    AccumulatorModel model;
    long[] a;
    long[] bt;
    double[] ad;
    double[] bd;

    @Setup(Level.Trial)
    public void setup() {
        switch (kind) {
            case "double":
            case "fp16-seq":
            case "fp16-seq-wide":
                model = SequentialModel.separate(Format.BINARY16, Format.BINARY16, Rounding.RNE, Format.BINARY16,
                        Rounding.RNE);
                break;
            case "h100-fp16":
                model = Profiles.get("h100-fp16-fp32");
                break;
            case "e4m3-2xacc":
                model = Profiles.get("h100-e4m3-fp32-2xacc");
                break;
            default:
                throw new IllegalArgumentException(kind);
        }
        Format in = model.inputFormat();
        Random r = new Random(42);
        int nn = size * size;
        a = new long[nn];
        bt = new long[nn];
        ad = new double[nn];
        bd = new double[nn];
        for (int i = 0; i < nn; i++) {
            // values in [-1, 1): fp16 or e4m3 grid values (e4m3: 16 significand/sign combinations near 1)
            double va = in == Format.E4M3FN ? (r.nextInt(32) - 16) / 16.0 : (r.nextInt(2048) - 1024) / 1024.0;
            double vb = in == Format.E4M3FN ? (r.nextInt(32) - 16) / 16.0 : (r.nextInt(2048) - 1024) / 1024.0;
            if (kind.equals("fp16-seq-wide")) {
                va *= 32;
                vb *= 32;
            }
            a[i] = Packed.fromDouble(in, va);
            bt[i] = Packed.fromDouble(in, vb);
            ad[i] = va;
            bd[i] = vb;
        }
    }

    @Benchmark
    public Object gemm() {
        AccContext ctx = new AccContext().threads(threads);
        if (kind.equals("double")) {
            return Gemm.yardstick(size, size, size, ad, bd, ctx);
        }
        return Gemm.gemmPacked(size, size, size, a, bt, null, model, ctx);
    }
}
