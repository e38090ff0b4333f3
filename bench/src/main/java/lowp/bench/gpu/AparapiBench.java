package lowp.bench.gpu;

import lowp.backend.AparapiBackend;
import lowp.backend.Backend;
import lowp.backend.CpuBackend;
import lowp.backend.GemmSpec;
import lowp.backend.QuantSpec;
import lowp.backend.RngKey;
import lowp.backend.StepSpec;
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
import org.openjdk.jmh.annotations.TearDown;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Aparapi (OpenCL) path against the CPU backend on the same work: array quantization (binary32 in,
 * bit patterns out), quantized GEMM (fused H100-fp16 block model and sequential fp16) and the fused gradient
 * step, plus the shipped profile h100-e4m3-fp32-2xacc and FP8 SR quantization. Times include Aparapi's explicit put/get transfers. Run:
 * java -jar bench/target/benchmarks.jar 'lowp.bench.gpu.AparapiBench' -wi 2 -i 3 -f 1 -w 1 -r 1
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class AparapiBench {
    @Param({"aparapi", "cpu"})
    public String backend;

    Backend b;
    float[] x;
    int[] a, bm, w, a8, b8;
    float[] g;
    QuantSpec rne, sr, e4m3;
    GemmSpec fused, seq, fp8;
    StepSpec step;
    static final int N = 1 << 20, G = 128;

    @Setup(Level.Trial)
    public void setup() {
        b = backend.equals("aparapi") ? AparapiBackend.open() : new CpuBackend();
        SplittableRandom r = new SplittableRandom(1);
        x = new float[N];
        for (int i = 0; i < N; i++) x[i] = (float) Math.scalb(r.nextDouble(-1, 1), r.nextInt(-10, 10));
        rne = new QuantSpec(Format.BINARY16, Rounding.RNE);
        sr = new QuantSpec(Format.BINARY16, Rounding.SR, new RngKey(1, 0, 0));
        a = new int[G * G];
        bm = new int[G * G];
        for (int i = 0; i < a.length; i++) {
            a[i] = 0x3000 + r.nextInt(0x1800) | (r.nextBoolean() ? 0x8000 : 0);
            bm[i] = 0x3000 + r.nextInt(0x1800);
        }
        a8 = new int[G * G];
        b8 = new int[G * G];
        for (int i = 0; i < a8.length; i++) {
            a8[i] = r.nextInt(0x7F) | (r.nextBoolean() ? 0x80 : 0); // e4m3fn without NaN
            b8[i] = r.nextInt(0x7F);
        }
        e4m3 = new QuantSpec(Format.E4M3FN, Rounding.parse("sr8"), new RngKey(3, 0, 0));
        fp8 = GemmSpec.fromProfile("h100-e4m3-fp32-2xacc");
        fused = GemmSpec.fused(Format.BINARY16, Format.BINARY16, 16, 25, Format.BINARY32, Rounding.RTZ);
        seq = GemmSpec.sequential(Format.BINARY16, Format.BINARY16, Format.BINARY16, Rounding.RNE, Format.BINARY16, Rounding.RNE);
        w = new CpuBackend().quantize(new QuantSpec(Format.BFLOAT16, Rounding.RNE), x);
        g = x.clone();
        step = StepSpec.sgd(Format.BFLOAT16, Format.BFLOAT16, Format.BFLOAT16, Rounding.SR, 1e-3f, new RngKey(2, 0, 0));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        b.close();
    }

    @Benchmark
    public int[] quantizeFp16Rne() {
        return b.quantize(rne, x);
    }

    @Benchmark
    public int[] quantizeFp16Sr() {
        return b.quantize(sr, x);
    }

    @Benchmark
    public int[] quantizeE4m3Sr8() {
        return b.quantize(e4m3, x);
    }

    /** The shipped profile h100-e4m3-fp32-2xacc (GemmSpec.fromProfile): FP8 blocks of 32, e8m13, 2xAcc every 128. */
    @Benchmark
    public int[] gemm128ProfileH100E4m3TwoXAcc() {
        return b.gemm(fp8, G, G, G, a8, b8, null);
    }

    @Benchmark
    public int[] gemm128FusedH100() {
        return b.gemm(fused, G, G, G, a, bm, null);
    }

    @Benchmark
    public int[] gemm128SequentialFp16() {
        return b.gemm(seq, G, G, G, a, bm, null);
    }

    @Benchmark
    public int[] stepSgdBf16Sr() {
        b.step(step, w, g, null);
        return w;
    }
}
