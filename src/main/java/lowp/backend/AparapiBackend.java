package lowp.backend;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;

import java.util.List;

/**
 * Aparapi backend: {@link LowpKernel} translated to OpenCL and run on an OpenCL device (a GPU, or the CPU
 * through PoCL). Opening it fails, with the reason, when there is no OpenCL platform/device or the kernel
 * does not build; it never falls back silently to Aparapi's Java thread pool (every launch checks that it
 * ran on the OpenCL device, see {@link #lastRunOnDevice()}).
 *
 * <p>Memory is explicit: the kernel runs in Aparapi's explicit mode, each call puts its inputs, executes once
 * and gets its outputs. One kernel object (one OpenCL program) serves all operations; calls are serialised.
 */
public final class AparapiBackend implements Backend {
    private final OpenCLDevice device;
    private final LowpKernel kernel;
    private boolean lastOnDevice;

    private AparapiBackend(OpenCLDevice device, LowpKernel kernel) {
        this.device = device;
        this.kernel = kernel;
    }

    /** Opens the backend on the first OpenCL device (GPU preferred), building and smoke-testing the kernel. */
    public static AparapiBackend open() {
        List<OpenCLDevice> devs;
        try {
            devs = new java.util.ArrayList<>(OpenCLDevice.listDevices(Device.TYPE.GPU));
            devs.addAll(OpenCLDevice.listDevices(Device.TYPE.ACC));
            devs.addAll(OpenCLDevice.listDevices(Device.TYPE.CPU));
        } catch (Throwable t) {
            throw new BackendUnavailableException("aparapi", "no OpenCL platform (" + Backends.describe(t) + ")");
        }
        if (devs.isEmpty()) {
            throw new BackendUnavailableException("aparapi", "no OpenCL platform or device (install an OpenCL ICD, e.g. pocl-opencl-icd)");
        }
        OpenCLDevice dev = devs.get(0);
        LowpKernel k = new LowpKernel();
        k.setExplicit(true);
        try {
            k.compile(dev);
        } catch (Throwable t) {
            k.dispose();
            throw new BackendUnavailableException("aparapi", "kernel build failed on " + dev.getShortDescription() + ": "
                    + Backends.describe(t));
        }
        AparapiBackend b = new AparapiBackend(dev, k);
        try {
            // smoke test: one tiny quantization must run on the device
            b.quantize(new QuantSpec(lowp.format.Format.BINARY16, lowp.round.Rounding.RNE), new float[] {1.0f});
        } catch (Throwable t) {
            b.close();
            throw new BackendUnavailableException("aparapi", "kernel does not run on " + dev.getShortDescription() + ": "
                    + Backends.describe(t));
        }
        return b;
    }

    @Override
    public String name() {
        return "aparapi";
    }

    @Override
    public String device() {
        return "OpenCL " + device.getType() + " " + device.getName() + " (" + device.getOpenCLPlatform().getName() + ")";
    }

    /** True if the last launch ran as OpenCL on the device (not in Aparapi's Java fallback). */
    public synchronized boolean lastRunOnDevice() {
        return lastOnDevice;
    }

    private void launch(int n) {
        if (n == 0) {
            lastOnDevice = true;
            return;
        }
        kernel.n = n;
        Range range = device.createRange(roundUp(n, 64), 64);
        kernel.execute(range);
        lastOnDevice = kernel.isRunningCL() && kernel.getTargetDevice() == device;
        if (!lastOnDevice) {
            throw new IllegalStateException("Aparapi did not run the kernel on " + device.getShortDescription()
                    + " (execution mode " + kernel.getExecutionMode() + ")");
        }
    }

    private static int roundUp(int n, int g) {
        return (n + g - 1) / g * g;
    }

    private void setKey(RngKey key) {
        kernel.seed = key.seed();
        kernel.stream = key.stream();
        kernel.step = (int) key.step();
    }

    @Override
    public synchronized int[] quantize(QuantSpec s, double[] x) {
        long[] bits = new long[Math.max(1, x.length)];
        for (int i = 0; i < x.length; i++) bits[i] = Double.doubleToRawLongBits(x[i]);
        int[] out = new int[Math.max(1, x.length)];
        LowpKernel k = kernel;
        k.op = LowpKernel.OP_QD;
        k.inL = bits;
        k.out = out;
        setQuant(s, new int[] {0, x.length}, 1);
        k.put(bits).put(k.fd).put(k.prm).put(k.seg);
        launch(x.length);
        k.get(out);
        return x.length == out.length ? out : new int[0];
    }

    private void setQuant(QuantSpec s, int[] seg, int nseg) {
        int[] fd = new int[Specs.FD * 5];
        System.arraycopy(Specs.desc(s.format()), 0, fd, 0, Specs.FD);
        int[] prm = new int[16];
        int[] r = Specs.rdesc(s.rounding());
        prm[0] = r[0];
        prm[1] = r[1];
        kernel.fd = fd;
        kernel.prm = prm;
        kernel.seg = seg;
        kernel.nseg = nseg;
        setKey(s.key());
    }

    @Override
    public synchronized int[] quantize(QuantSpec s, float[] x) {
        return quantizeBatch(s, new float[][] {x})[0];
    }

    @Override
    public synchronized int[][] quantizeBatch(QuantSpec s, float[][] xs) {
        int[] seg = new int[xs.length + 1];
        for (int j = 0; j < xs.length; j++) seg[j + 1] = Math.addExact(seg[j], xs[j].length);
        int total = seg[xs.length];
        int[] bits = new int[Math.max(1, total)];
        for (int j = 0; j < xs.length; j++) {
            for (int i = 0; i < xs[j].length; i++) bits[seg[j] + i] = Float.floatToRawIntBits(xs[j][i]);
        }
        int[] out = new int[Math.max(1, total)];
        LowpKernel k = kernel;
        k.op = LowpKernel.OP_QF;
        k.inI = bits;
        k.out = out;
        setQuant(s, seg, xs.length);
        k.put(bits).put(k.fd).put(k.prm).put(seg);
        launch(total);
        k.get(out);
        int[][] r = new int[xs.length][];
        for (int j = 0; j < xs.length; j++) r[j] = java.util.Arrays.copyOfRange(out, seg[j], seg[j] + xs[j].length);
        return r;
    }

    @Override
    public synchronized int[] gemm(GemmSpec s, int m, int n, int kdim, int[] a, int[] b, int[] c) {
        Backend.checkGemm(s, m, n, kdim, a, b, c);
        LowpKernel k = kernel;
        k.op = LowpKernel.OP_GEMM;
        k.fd = s.formatDescs();
        int[] p = s.params();
        k.prm = java.util.Arrays.copyOf(p, 16);
        k.ga = a.length == 0 ? new int[1] : a;
        k.gb = b.length == 0 ? new int[1] : b;
        k.gc = c == null || c.length == 0 ? new int[1] : c;
        k.hasC = c != null ? 1 : 0;
        k.gm = m;
        k.gn = n;
        k.gk = kdim;
        k.gdot = 0;
        int[] out = new int[Math.max(1, m * n)];
        k.out = out;
        setKey(s.key);
        k.put(k.fd).put(k.prm).put(k.ga).put(k.gb).put(k.gc);
        launch(m * n);
        k.get(out);
        return m * n == out.length ? out : new int[0];
    }

    /** One launch, one work item per line: LowpKernel's GEMM element in its dot-batch index mapping (gdot = 1). */
    @Override
    public synchronized int[] dotBatch(GemmSpec s, int count, int kdim, int[] a, int[] b, int[] c) {
        Backend.checkDotBatch(s, count, kdim, a, b, c);
        LowpKernel k = kernel;
        k.op = LowpKernel.OP_GEMM;
        k.fd = s.formatDescs();
        k.prm = java.util.Arrays.copyOf(s.params(), 16);
        k.ga = a.length == 0 ? new int[1] : a;
        k.gb = b.length == 0 ? new int[1] : b;
        k.gc = c == null || c.length == 0 ? new int[1] : c;
        k.hasC = c != null ? 1 : 0;
        k.gm = count;
        k.gn = 1;
        k.gk = kdim;
        k.gdot = 1;
        int[] out = new int[Math.max(1, count)];
        k.out = out;
        setKey(s.key);
        k.put(k.fd).put(k.prm).put(k.ga).put(k.gb).put(k.gc);
        launch(count);
        k.get(out);
        return count == out.length ? out : new int[0];
    }

    @Override
    public synchronized void step(StepSpec s, int[] w, float[] g, int[] v) {
        Backend.checkStep(s, w, g, v);
        if (w.length == 0) return;
        LowpKernel k = kernel;
        k.op = LowpKernel.OP_STEP;
        k.fd = java.util.Arrays.copyOf(s.formatDescs(), Specs.FD * 5);
        k.prm = java.util.Arrays.copyOf(s.params(), 16);
        int[] gb = new int[g.length];
        for (int i = 0; i < g.length; i++) gb[i] = Float.floatToRawIntBits(g[i]);
        k.inI = gb;
        k.out = w;
        k.sv = s.hasMomentum() ? v : new int[1];
        setKey(s.key());
        k.put(k.fd).put(k.prm).put(gb).put(w).put(k.sv);
        launch(w.length);
        k.get(w);
        if (s.hasMomentum()) k.get(v);
    }

    @Override
    public synchronized void close() {
        kernel.dispose();
    }

    /** Aparapi's own execution mode name, for diagnostics. */
    String executionMode() {
        Kernel.EXECUTION_MODE m = kernel.getExecutionMode();
        return String.valueOf(m);
    }
}
