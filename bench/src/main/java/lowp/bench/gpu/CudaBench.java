package lowp.bench.gpu;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import lowp.backend.CudaBackend;
import lowp.backend.GemmSpec;
import lowp.backend.QuantSpec;
import lowp.backend.RngKey;
import lowp.format.Format;
import lowp.round.Rounding;

import java.util.Arrays;
import java.util.SplittableRandom;

import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;

/**
 * GPU benchmarks (needs an NVIDIA GPU; run by bench/gpu/run-gpu-checks.sh):
 * <ul>
 *   <li>quantize binary32 -> fp16/bf16/e4m3fn under rne and sr, device-resident, GB/s of (4 B in + 4 B out) per
 *   element, next to a device copy kernel moving the same bytes (the bandwidth yardstick);</li>
 *   <li>emulated GEMM (CudaBackend.gemm, transfers included) vs cuBLAS SGEMM (native fp32, device-resident).</li>
 * </ul>
 * Prints medians of repeated runs. Usage: java -cp target/lowp.jar:bench/target/benchmarks.jar lowp.bench.gpu.CudaBench
 */
public final class CudaBench {
    public static void main(String[] args) {
        jcuda.driver.JCudaDriver.setExceptionsEnabled(true);
        try (CudaBackend cuda = CudaBackend.open()) {
            System.out.println("device: " + cuda.device());
            quantize(cuda, 1 << 25);
            gemm(cuda, new int[] {256, 512, 1024});
        }
    }

    static double median(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static void quantize(CudaBackend cuda, int n) {
        float[] x = new float[n];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < n; i++) x[i] = (float) Math.scalb(r.nextDouble(-1, 1), r.nextInt(-10, 10));
        try (CudaBackend.DeviceBuffer dx = new CudaBackend.DeviceBuffer(4L * n);
             CudaBackend.DeviceBuffer dout = new CudaBackend.DeviceBuffer(4L * n);
             CudaBackend.DeviceBuffer seg = bufferOf(new int[] {0, n})) {
            jcuda.driver.JCudaDriver.cuMemcpyHtoD(dx.pointer(), Pointer.to(x), 4L * n);
            double[] t = new double[11];
            for (int rep = 0; rep < t.length; rep++) {
                long t0 = System.nanoTime();
                cuda.copy(dx, dout, n);
                t[rep] = (System.nanoTime() - t0) * 1e-9;
            }
            double copy = 8.0 * n / median(t) / 1e9;
            System.out.printf("copy kernel              %8.1f GB/s%n", copy);
            for (String f : new String[] {"fp16", "bf16", "e4m3fn"}) {
                for (String m : new String[] {"rne", "sr"}) {
                    QuantSpec s = new QuantSpec(Format.parse(f), Rounding.parse(m), new RngKey(1, 0, 0));
                    try (CudaBackend.DeviceBuffer fd = bufferOf(lowp.backend.Specs.desc(s.format()));
                         CudaBackend.DeviceBuffer prm = bufferOf(lowp.backend.Specs.rdesc(s.rounding()))) {
                        for (int rep = 0; rep < t.length; rep++) {
                            long t0 = System.nanoTime();
                            cuda.quantizeOnDevice(s, dx, dout, n, fd, prm, seg);
                            t[rep] = (System.nanoTime() - t0) * 1e-9;
                        }
                    }
                    double gbs = 8.0 * n / median(t) / 1e9;
                    System.out.printf("quantize f32->%-7s %-4s %8.1f GB/s  (%.2f of copy, %.0f M elements/s)%n", f, m, gbs,
                            gbs / copy, n / median(t) / 1e6);
                }
            }
        }
    }

    static CudaBackend.DeviceBuffer bufferOf(int[] v) {
        CudaBackend.DeviceBuffer b = new CudaBackend.DeviceBuffer(4L * v.length);
        jcuda.driver.JCudaDriver.cuMemcpyHtoD(b.pointer(), Pointer.to(v), 4L * v.length);
        return b;
    }

    static void gemm(CudaBackend cuda, int[] sizes) {
        Format fp16 = Format.BINARY16, fp32 = Format.BINARY32;
        GemmSpec[] specs = {
                GemmSpec.fused(fp16, fp16, 16, 25, fp32, Rounding.RTZ),
                GemmSpec.sequential(fp16, fp16, fp16, Rounding.RNE, fp16, Rounding.RNE),
                GemmSpec.fused(Format.E4M3FN, Format.E4M3FN, 32, 13, Format.parse("e8m13"), Rounding.RTZ).promoted(128, fp32, Rounding.RNE)};
        cublasHandle h = openCublas();
        try {
            for (int sz : sizes) {
                int m = sz, n = sz, k = sz;
                float[] af = new float[m * k], bf = new float[k * n];
                SplittableRandom r = new SplittableRandom(2);
                for (int i = 0; i < af.length; i++) af[i] = (float) r.nextDouble(-1, 1);
                for (int i = 0; i < bf.length; i++) bf[i] = (float) r.nextDouble(-1, 1);
                double flops = 2.0 * m * n * k;
                try (CudaBackend.DeviceBuffer da = new CudaBackend.DeviceBuffer(4L * m * k);
                     CudaBackend.DeviceBuffer db = new CudaBackend.DeviceBuffer(4L * k * n);
                     CudaBackend.DeviceBuffer dc = new CudaBackend.DeviceBuffer(4L * m * n)) {
                    jcuda.driver.JCudaDriver.cuMemcpyHtoD(da.pointer(), Pointer.to(af), 4L * m * k);
                    jcuda.driver.JCudaDriver.cuMemcpyHtoD(db.pointer(), Pointer.to(bf), 4L * k * n);
                    double sgemm = Double.NaN;
                    if (h != null) {
                        Pointer one = Pointer.to(new float[] {1f}), zero = Pointer.to(new float[] {0f});
                        double[] t = new double[7];
                        for (int rep = 0; rep < t.length; rep++) {
                            long t0 = System.nanoTime();
                            JCublas2.cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, one, db.pointer(), n, da.pointer(), k,
                                    zero, dc.pointer(), n);
                            cuCtxSynchronize();
                            t[rep] = (System.nanoTime() - t0) * 1e-9;
                        }
                        sgemm = flops / median(t) / 1e9;
                        System.out.printf("GEMM %4d^3 cuBLAS SGEMM            %10.1f GFLOP/s%n", sz, sgemm);
                    }
                    for (GemmSpec s : specs) {
                        lowp.backend.CpuBackend cpu = new lowp.backend.CpuBackend();
                        int[] a = cpu.quantize(new QuantSpec(s.a, Rounding.RNE), af);
                        int[] b = cpu.quantize(new QuantSpec(s.b, Rounding.RNE), bf);
                        double[] te = new double[3];
                        for (int rep = 0; rep < te.length; rep++) {
                            long t0 = System.nanoTime();
                            cuda.gemm(s, m, n, k, a, b, null);
                            te[rep] = (System.nanoTime() - t0) * 1e-9;
                        }
                        double g = flops / median(te) / 1e9;
                        if (h != null) {
                            System.out.printf("GEMM %4d^3 emulated %-60s %8.2f GFLOP/s (%.4f of SGEMM, transfers included)%n",
                                    sz, s, g, g / sgemm);
                        } else {
                            System.out.printf("GEMM %4d^3 emulated %-60s %8.2f GFLOP/s (transfers included; no cuBLAS baseline)%n",
                                    sz, s, g);
                        }
                    }
                }
            }
        } finally {
            if (h != null) JCublas2.cublasDestroy(h);
        }
    }

    /**
     * A cuBLAS handle, or null with a message when cuBLAS cannot be used: the packaged JCublas natives
     * (JCuda 12.0.0) need libcublas.so.12, which a CUDA-13-only machine lacks; the emulated GEMMs still run.
     */
    static cublasHandle openCublas() {
        try {
            JCublas2.setExceptionsEnabled(true);
            cublasHandle h = new cublasHandle();
            JCublas2.cublasCreate(h);
            return h;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError | jcuda.CudaException e) {
            // the UnsatisfiedLinkError message spans many lines (nested traces): keep the first and the dlopen reason
            String msg = String.valueOf(e.getMessage());
            String why = msg.lines().findFirst().orElse("");
            String dl = msg.lines().filter(l -> l.contains("cannot open shared object")).findFirst().orElse(null);
            if (dl != null) { // "...: /tmp/libJCublas2-...so: libcublas.so.12: cannot open shared object file: ..."
                int at = dl.indexOf(": cannot open");
                why += "; " + dl.substring(dl.lastIndexOf(": ", at - 1) + 2);
            }
            System.out.println("cuBLAS baseline unavailable (" + e.getClass().getSimpleName() + ": " + why
                    + "). The JCublas 12.0.0 natives need libcublas.so.12 (CUDA 12 toolkit or its cublas package)"
                    + " on the library path. Emulated GEMMs are timed without the SGEMM ratio.");
            return null;
        }
    }

    static {
        int unused = Sizeof.FLOAT;
    }
}
