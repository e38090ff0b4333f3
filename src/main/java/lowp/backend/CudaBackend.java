package lowp.backend;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

/**
 * CUDA backend through JCuda's driver API: loads the PTX that the build compiled from kernels/*.cu with nvcc
 * (packaged as /lowp/kernels/*.ptx in the jar; see docs/gpu.md) and launches it on device 0.
 *
 * <p>Opening fails with a reason (no libcuda / JCuda natives, no device, PTX not packaged, module load
 * failure) instead of crashing. Device memory is explicit: every call allocates its buffers as
 * {@link DeviceBuffer}s in try-with-resources, copies in, launches once, copies out and frees.
 */
public final class CudaBackend implements Backend {
    static final String[] MODULES = {"quantize", "gemm", "step"};

    private final CUcontext ctx;
    private final CUmodule[] modules;
    private final CUfunction qf64, qf32, copy, gemm, dot, step;
    private final String deviceName;

    private CudaBackend(CUcontext ctx, CUmodule[] modules, String deviceName) {
        this.ctx = ctx;
        this.modules = modules;
        this.deviceName = deviceName;
        this.qf64 = fn(modules[0], "lowp_quantize_f64");
        this.qf32 = fn(modules[0], "lowp_quantize_f32");
        this.copy = fn(modules[0], "lowp_copy_u32");
        this.gemm = fn(modules[1], "lowp_gemm");
        this.dot = fn(modules[1], "lowp_dot_batch");
        this.step = fn(modules[2], "lowp_step");
    }

    private static CUfunction fn(CUmodule m, String name) {
        CUfunction f = new CUfunction();
        cuModuleGetFunction(f, m, name);
        return f;
    }

    /** Reads a packaged PTX module, or null if the build had no nvcc. */
    static byte[] ptx(String name) {
        try (InputStream in = CudaBackend.class.getResourceAsStream("/lowp/kernels/" + name + ".ptx")) {
            if (in == null) return null;
            byte[] b = in.readAllBytes();
            return Arrays.copyOf(b, b.length + 1); // NUL-terminated for cuModuleLoadData
        } catch (IOException e) {
            return null;
        }
    }

    public static CudaBackend open() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new BackendUnavailableException("cuda", "no libcuda / JCuda native library could be loaded ("
                    + Backends.describe(e) + ")");
        } catch (Throwable e) {
            throw new BackendUnavailableException("cuda", "CUDA driver did not initialise (" + Backends.describe(e) + ")");
        }
        int[] count = {0};
        try {
            cuDeviceGetCount(count);
        } catch (Throwable e) {
            throw new BackendUnavailableException("cuda", "cannot count CUDA devices (" + Backends.describe(e) + ")");
        }
        if (count[0] == 0) throw new BackendUnavailableException("cuda", "no CUDA device");
        byte[][] ptx = new byte[MODULES.length][];
        for (int i = 0; i < MODULES.length; i++) {
            ptx[i] = ptx(MODULES[i]);
            if (ptx[i] == null) {
                throw new BackendUnavailableException("cuda", "PTX for kernels/" + MODULES[i]
                        + ".cu is not packaged (the jar was built without nvcc; rebuild with nvcc on the PATH)");
            }
        }
        CUcontext ctx = new CUcontext();
        CUmodule[] mods = new CUmodule[MODULES.length];
        try {
            CUdevice dev = new CUdevice();
            cuDeviceGet(dev, 0);
            byte[] name = new byte[256];
            cuDeviceGetName(name, name.length, dev);
            cuCtxCreate(ctx, 0, dev);
            for (int i = 0; i < MODULES.length; i++) {
                mods[i] = new CUmodule();
                cuModuleLoadData(mods[i], ptx[i]);
            }
            String dn = new String(name, java.nio.charset.StandardCharsets.US_ASCII).trim().replace("\0", "");
            return new CudaBackend(ctx, mods, dn);
        } catch (Throwable e) {
            try {
                cuCtxDestroy(ctx);
            } catch (Throwable ignored) {
                // best effort
            }
            throw new BackendUnavailableException("cuda", "kernel module load failed (" + Backends.describe(e) + ")");
        }
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String device() {
        return "CUDA " + deviceName;
    }

    /** Device memory: allocated on construction, freed by close(). */
    public static final class DeviceBuffer implements AutoCloseable {
        final CUdeviceptr ptr = new CUdeviceptr();
        final long bytes;

        public DeviceBuffer(long bytes) {
            this.bytes = Math.max(bytes, 4);
            cuMemAlloc(ptr, this.bytes);
        }

        static DeviceBuffer of(int[] v) {
            DeviceBuffer b = new DeviceBuffer((long) v.length * Sizeof.INT);
            if (v.length > 0) cuMemcpyHtoD(b.ptr, Pointer.to(v), (long) v.length * Sizeof.INT);
            return b;
        }

        static DeviceBuffer of(long[] v) {
            DeviceBuffer b = new DeviceBuffer((long) v.length * Sizeof.LONG);
            if (v.length > 0) cuMemcpyHtoD(b.ptr, Pointer.to(v), (long) v.length * Sizeof.LONG);
            return b;
        }

        static DeviceBuffer of(double[] v) {
            DeviceBuffer b = new DeviceBuffer((long) v.length * Sizeof.DOUBLE);
            if (v.length > 0) cuMemcpyHtoD(b.ptr, Pointer.to(v), (long) v.length * Sizeof.DOUBLE);
            return b;
        }

        static DeviceBuffer of(float[] v) {
            DeviceBuffer b = new DeviceBuffer((long) v.length * Sizeof.FLOAT);
            if (v.length > 0) cuMemcpyHtoD(b.ptr, Pointer.to(v), (long) v.length * Sizeof.FLOAT);
            return b;
        }

        void read(int[] out) {
            if (out.length > 0) cuMemcpyDtoH(Pointer.to(out), ptr, (long) out.length * Sizeof.INT);
        }

        public CUdeviceptr pointer() {
            return ptr;
        }

        @Override
        public void close() {
            cuMemFree(ptr);
        }
    }

    private static final int THREADS = 256;

    private static int blocks(int n) {
        return Math.max(1, Math.min((n + THREADS - 1) / THREADS, 65535));
    }

    private synchronized void current() {
        cuCtxSetCurrent(ctx);
    }

    @Override
    public synchronized int[] quantize(QuantSpec s, double[] x) {
        current();
        int[] out = new int[x.length];
        if (x.length == 0) return out;
        try (DeviceBuffer dx = DeviceBuffer.of(x); DeviceBuffer dout = new DeviceBuffer(4L * x.length);
             DeviceBuffer fd = DeviceBuffer.of(Specs.desc(s.format())); DeviceBuffer prm = DeviceBuffer.of(Specs.rdesc(s.rounding()));
             DeviceBuffer seg = DeviceBuffer.of(new int[] {0, x.length})) {
            launch1(qf64, x.length, Pointer.to(dx.ptr), Pointer.to(dout.ptr), Pointer.to(new int[] {x.length}),
                    Pointer.to(fd.ptr), Pointer.to(prm.ptr), Pointer.to(new long[] {s.key().seed()}),
                    Pointer.to(new int[] {s.key().stream()}), Pointer.to(new int[] {(int) s.key().step()}),
                    Pointer.to(seg.ptr), Pointer.to(new int[] {1}));
            dout.read(out);
        }
        return out;
    }

    @Override
    public synchronized int[] quantize(QuantSpec s, float[] x) {
        return quantizeBatch(s, new float[][] {x})[0];
    }

    @Override
    public synchronized int[][] quantizeBatch(QuantSpec s, float[][] xs) {
        current();
        int[] seg = new int[xs.length + 1];
        for (int j = 0; j < xs.length; j++) seg[j + 1] = Math.addExact(seg[j], xs[j].length);
        int total = seg[xs.length];
        float[] flat = new float[total];
        for (int j = 0; j < xs.length; j++) System.arraycopy(xs[j], 0, flat, seg[j], xs[j].length);
        int[] out = new int[total];
        if (total > 0) {
            try (DeviceBuffer dx = DeviceBuffer.of(flat); DeviceBuffer dout = new DeviceBuffer(4L * total);
                 DeviceBuffer fd = DeviceBuffer.of(Specs.desc(s.format())); DeviceBuffer prm = DeviceBuffer.of(Specs.rdesc(s.rounding()));
                 DeviceBuffer dseg = DeviceBuffer.of(seg)) {
                launch1(qf32, total, Pointer.to(dx.ptr), Pointer.to(dout.ptr), Pointer.to(new int[] {total}),
                        Pointer.to(fd.ptr), Pointer.to(prm.ptr), Pointer.to(new long[] {s.key().seed()}),
                        Pointer.to(new int[] {s.key().stream()}), Pointer.to(new int[] {(int) s.key().step()}),
                        Pointer.to(dseg.ptr), Pointer.to(new int[] {xs.length}));
                dout.read(out);
            }
        }
        int[][] r = new int[xs.length][];
        for (int j = 0; j < xs.length; j++) r[j] = Arrays.copyOfRange(out, seg[j], seg[j + 1]);
        return r;
    }

    private void launch1(CUfunction f, int n, Pointer... args) {
        cuLaunchKernel(f, blocks(n), 1, 1, THREADS, 1, 1, 0, null, Pointer.to(args), null);
        cuCtxSynchronize();
    }

    @Override
    public synchronized int[] gemm(GemmSpec s, int m, int n, int k, int[] a, int[] b, int[] c) {
        Backend.checkGemm(s, m, n, k, a, b, c);
        current();
        int[] d = new int[m * n];
        if (m * n == 0) return d;
        try (DeviceBuffer da = DeviceBuffer.of(a); DeviceBuffer db = DeviceBuffer.of(b);
             DeviceBuffer dc = DeviceBuffer.of(c != null ? c : new int[1]); DeviceBuffer dd = new DeviceBuffer(4L * m * n);
             DeviceBuffer fd = DeviceBuffer.of(s.formatDescs()); DeviceBuffer prm = DeviceBuffer.of(s.params())) {
            Pointer args = Pointer.to(Pointer.to(da.ptr), Pointer.to(db.ptr), Pointer.to(dc.ptr),
                    Pointer.to(new int[] {c != null ? 1 : 0}), Pointer.to(dd.ptr), Pointer.to(new int[] {m}),
                    Pointer.to(new int[] {n}), Pointer.to(new int[] {k}), Pointer.to(fd.ptr), Pointer.to(prm.ptr),
                    Pointer.to(new long[] {s.key.seed()}), Pointer.to(new int[] {s.key.stream()}),
                    Pointer.to(new int[] {(int) s.key.step()}));
            // 1-D grid-stride over the m*n outputs (at most 65535 blocks; m may exceed 65535 * 16)
            cuLaunchKernel(gemm, blocks(m * n), 1, 1, THREADS, 1, 1, 0, null, args, null);
            cuCtxSynchronize();
            dd.read(d);
        }
        return d;
    }

    /** One launch of kernels/gemm.cu's lowp_dot_batch: a grid-stride loop over the count lines. */
    @Override
    public synchronized int[] dotBatch(GemmSpec s, int count, int k, int[] a, int[] b, int[] c) {
        Backend.checkDotBatch(s, count, k, a, b, c);
        current();
        int[] d = new int[count];
        if (count == 0) return d;
        try (DeviceBuffer da = DeviceBuffer.of(a); DeviceBuffer db = DeviceBuffer.of(b);
             DeviceBuffer dc = DeviceBuffer.of(c != null ? c : new int[1]); DeviceBuffer dd = new DeviceBuffer(4L * count);
             DeviceBuffer fd = DeviceBuffer.of(s.formatDescs()); DeviceBuffer prm = DeviceBuffer.of(s.params())) {
            Pointer args = Pointer.to(Pointer.to(da.ptr), Pointer.to(db.ptr), Pointer.to(dc.ptr),
                    Pointer.to(new int[] {c != null ? 1 : 0}), Pointer.to(dd.ptr), Pointer.to(new int[] {count}),
                    Pointer.to(new int[] {k}), Pointer.to(fd.ptr), Pointer.to(prm.ptr),
                    Pointer.to(new long[] {s.key.seed()}), Pointer.to(new int[] {s.key.stream()}),
                    Pointer.to(new int[] {(int) s.key.step()}));
            cuLaunchKernel(dot, blocks(count), 1, 1, THREADS, 1, 1, 0, null, args, null);
            cuCtxSynchronize();
            dd.read(d);
        }
        return d;
    }

    @Override
    public synchronized void step(StepSpec s, int[] w, float[] g, int[] v) {
        Backend.checkStep(s, w, g, v);
        current();
        if (w.length == 0) return;
        try (DeviceBuffer dw = DeviceBuffer.of(w); DeviceBuffer dg = DeviceBuffer.of(g);
             DeviceBuffer dv = DeviceBuffer.of(s.hasMomentum() ? v : new int[1]);
             DeviceBuffer fd = DeviceBuffer.of(s.formatDescs()); DeviceBuffer prm = DeviceBuffer.of(s.params())) {
            launch1(step, w.length, Pointer.to(dw.ptr), Pointer.to(dg.ptr), Pointer.to(dv.ptr),
                    Pointer.to(new int[] {w.length}), Pointer.to(fd.ptr), Pointer.to(prm.ptr),
                    Pointer.to(new long[] {s.key().seed()}), Pointer.to(new int[] {s.key().stream()}),
                    Pointer.to(new int[] {(int) s.key().step()}));
            dw.read(w);
            if (s.hasMomentum()) dv.read(v);
        }
    }

    /** Device-to-device copy of n 32-bit words already on the device (the bandwidth yardstick of the benchmarks). */
    public synchronized void copy(DeviceBuffer from, DeviceBuffer to, int n) {
        current();
        launch1(copy, n, Pointer.to(from.ptr), Pointer.to(to.ptr), Pointer.to(new int[] {n}));
    }

    /** Quantizes n binary32 values already on the device (benchmarks: kernel time without transfers). */
    public synchronized void quantizeOnDevice(QuantSpec s, DeviceBuffer x, DeviceBuffer out, int n,
                                              DeviceBuffer fd, DeviceBuffer prm, DeviceBuffer seg) {
        current();
        launch1(qf32, n, Pointer.to(x.ptr), Pointer.to(out.ptr), Pointer.to(new int[] {n}), Pointer.to(fd.ptr),
                Pointer.to(prm.ptr), Pointer.to(new long[] {s.key().seed()}), Pointer.to(new int[] {s.key().stream()}),
                Pointer.to(new int[] {(int) s.key().step()}), Pointer.to(seg.ptr), Pointer.to(new int[] {1}));
    }

    @Override
    public synchronized void close() {
        try {
            cuCtxSetCurrent(ctx);
            for (CUmodule m : modules) cuModuleUnload(m);
        } finally {
            cuCtxDestroy(ctx);
        }
    }
}
