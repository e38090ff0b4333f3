package lowp.backend;

import lowp.format.Format;
import lowp.round.Env;
import lowp.round.Rounder;
import lowp.round.Rounding;

import java.util.stream.IntStream;

/**
 * The CPU backend: quantization delegates to lowp.quant.FloatQuantizer and GEMM to lowp.acc.Gemm (the library's
 * own fast paths) whenever the spec is one of their models (same A and B format, input precision &lt;= 24);
 * other specs, and the gradient step, run the backend's own Java numerics on the shared rounding core
 * ({@link CpuMath}; {@link #reference()} forces these everywhere). Results never depend on the thread count.
 * AccAgreementTest / AgreementWithLibraryTest pin the two paths to each other.
 */
public final class CpuBackend implements Backend {
    private static final int PAR = 1 << 14;
    private final boolean delegate;

    public CpuBackend() {
        this(true);
    }

    private CpuBackend(boolean delegate) {
        this.delegate = delegate;
    }

    /** A CPU backend that never delegates: the backend's own numerics (CpuMath) for every operation. */
    public static CpuBackend reference() {
        return new CpuBackend(false);
    }

    private static int threads(long work) {
        return work >= PAR ? Runtime.getRuntime().availableProcessors() : 1;
    }

    private static int[] ints(long[] v) {
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) r[i] = (int) v[i];
        return r;
    }

    private static lowp.rng.RandomKey rk(RngKey k) {
        return lowp.rng.RandomKey.of(k.seed(), k.stream(), k.step());
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String device() {
        return "Java, " + Runtime.getRuntime().availableProcessors() + " threads";
    }

    private static IntStream range(int n, long work) {
        IntStream s = IntStream.range(0, n);
        return work >= PAR ? s.parallel() : s;
    }

    // ------------------------------------------------------------------ quantize

    public static long quantizeOne(QuantSpec s, double x, long index) {
        Env env = CpuMath.env(new Env(s.rounding()), s.rounding(), s.key(), index);
        return CpuMath.round(s.format(), CpuMath.decodeDouble(Double.doubleToRawLongBits(x), new CpuMath.V()), env);
    }

    @Override
    public int[] quantize(QuantSpec s, double[] x) {
        if (delegate) {
            return ints(new lowp.quant.FloatQuantizer(s.format(), s.rounding()).encode(x, rk(s.key()), threads(x.length)));
        }
        int[] out = new int[x.length];
        range(x.length, x.length).forEach(i -> out[i] = (int) quantizeOne(s, x[i], i));
        return out;
    }

    @Override
    public int[] quantize(QuantSpec s, float[] x) {
        if (delegate) {
            return ints(new lowp.quant.FloatQuantizer(s.format(), s.rounding()).encode(x, rk(s.key()), threads(x.length)));
        }
        int[] out = new int[x.length];
        range(x.length, x.length).forEach(i -> {
            Env env = CpuMath.env(new Env(s.rounding()), s.rounding(), s.key(), i);
            out[i] = (int) CpuMath.round(s.format(), CpuMath.decodeFloat(Float.floatToRawIntBits(x[i]), new CpuMath.V()), env);
        });
        return out;
    }

    // ------------------------------------------------------------------ GEMM

    @Override
    public int[] gemm(GemmSpec s, int m, int n, int k, int[] a, int[] b, int[] c) {
        Backend.checkGemm(s, m, n, k, a, b, c);
        lowp.acc.AccumulatorModel model = delegate ? accModel(s) : null;
        if (model != null) {
            return accGemm(s, model, m, n, k, a, b, c);
        }
        int[] d = new int[m * n];
        range(m * n, (long) m * n * k).forEach(o -> d[o] = (int) gemmElement(s, o / n, o % n, n, k, a, b, c));
        return d;
    }

    /** The lowp.acc model of a spec, or null when lowp.acc has no such model. */
    static lowp.acc.AccumulatorModel accModel(GemmSpec s) {
        if (!s.a.equals(s.b)) return null;
        try {
            lowp.acc.AccumulatorModel inner;
            if (s.kind == GemmSpec.Kind.FUSED) {
                inner = new lowp.acc.FusedBlockModel(s.a, s.acc, s.blockK, s.fracBits, s.accFraction, s.accRounding);
            } else if (s.fma) {
                inner = lowp.acc.SequentialModel.fma(s.a, s.acc, s.accRounding);
            } else {
                inner = lowp.acc.SequentialModel.separate(s.a, s.prod, s.prodRounding, s.acc, s.accRounding);
            }
            return s.promoteEvery > 0 ? new lowp.acc.ChunkedModel(inner, s.promoteEvery, s.outer, s.outerRounding) : inner;
        } catch (IllegalArgumentException e) {
            return null; // outside lowp.acc's parameter ranges: the backend's own numerics
        }
    }

    private static int[] accGemm(GemmSpec s, lowp.acc.AccumulatorModel model, int m, int n, int k, int[] a, int[] b, int[] c) {
        long[] pa = new long[a.length], pbt = new long[b.length];
        for (int i = 0; i < a.length; i++) pa[i] = lowp.acc.Packed.fromBits(s.a, a[i] & 0xFFFFFFFFL);
        for (int kk = 0; kk < k; kk++) {
            for (int j = 0; j < n; j++) pbt[j * k + kk] = lowp.acc.Packed.fromBits(s.b, b[kk * n + j] & 0xFFFFFFFFL);
        }
        long[] pc = null;
        if (c != null) {
            pc = new long[c.length];
            for (int i = 0; i < c.length; i++) pc[i] = lowp.acc.Packed.fromBits(s.output(), c[i] & 0xFFFFFFFFL);
        }
        RngKey key = s.key;
        lowp.acc.AccContext ctx = new lowp.acc.AccContext().threads(threads((long) m * n * k))
                .random(idx -> Philox64.word(key, idx));
        long[] d = lowp.acc.Gemm.gemmPacked(m, n, k, pa, pbt, pc, model, ctx);
        int[] r = new int[d.length];
        for (int i = 0; i < d.length; i++) r[i] = (int) lowp.acc.Packed.toBits(s.output(), d[i]);
        return r;
    }

    // ------------------------------------------------------------------ batched dot products

    /** Lines per work item of the parallel dot batch (each item has its own lowp.acc lane). */
    private static final int DOT_TILE = 256;

    @Override
    public int[] dotBatch(GemmSpec s, int count, int k, int[] a, int[] b, int[] c) {
        Backend.checkDotBatch(s, count, k, a, b, c);
        lowp.acc.AccumulatorModel model = delegate ? accModel(s) : null;
        int[] d = new int[count];
        long work = (long) count * Math.max(k, 1);
        if (model == null) {
            long zero = zeroBits(s.output());
            range(count, work).forEach(i -> d[i] = (int) dotElement(s, i, a, i * k, b, i * k, 1, k,
                    c != null ? c[i] & 0xFFFFFFFFL : zero));
            return d;
        }
        // lowp.acc: line i is the model's dot on lane element i (the index Gemm gives output (i, 0) of count x 1)
        long[] pa = new long[a.length], pb = new long[b.length];
        for (int t = 0; t < a.length; t++) pa[t] = lowp.acc.Packed.fromBits(s.a, a[t] & 0xFFFFFFFFL);
        for (int t = 0; t < b.length; t++) pb[t] = lowp.acc.Packed.fromBits(s.b, b[t] & 0xFFFFFFFFL);
        double[] da = null, db = null;
        if (model.hasDoubleKernel()) {
            da = new double[pa.length];
            db = new double[pb.length];
            for (int t = 0; t < pa.length; t++) da[t] = lowp.acc.Packed.toDouble(pa[t]);
            for (int t = 0; t < pb.length; t++) db[t] = lowp.acc.Packed.toDouble(pb[t]);
        }
        final double[] fa = da, fb = db;
        RngKey key = s.key;
        lowp.acc.RandomSource rng = idx -> Philox64.word(key, idx);
        int tiles = (count + DOT_TILE - 1) / DOT_TILE;
        range(tiles, work).forEach(t -> {
            lowp.acc.Lane lane = new lowp.acc.Lane(rng);
            for (int i = t * DOT_TILE, i1 = Math.min(count, i + DOT_TILE); i < i1; i++) {
                long ci = c != null ? lowp.acc.Packed.fromBits(s.output(), c[i] & 0xFFFFFFFFL) : lowp.acc.Packed.POS_ZERO;
                lane.start(i);
                long r = lowp.acc.Packed.NONE;
                if (fa != null) r = model.dotDouble(fa, i * k, 1, fb, i * k, 1, k, ci, lane);
                if (r == lowp.acc.Packed.NONE) r = model.dotPacked(pa, i * k, 1, pb, i * k, 1, k, ci, lane);
                d[i] = (int) lowp.acc.Packed.toBits(s.output(), r);
            }
        });
        return d;
    }

    static long zeroBits(Format f) {
        return f.zeroBits(false);
    }

    /** One output element, in the model's order (docs/gpu.md). */
    static long gemmElement(GemmSpec s, int i, int j, int n, int k, int[] a, int[] b, int[] c) {
        final long o = (long) i * n + j;
        long init = c != null ? c[(int) o] & 0xFFFFFFFFL : zeroBits(s.output());
        return dotElement(s, o, a, i * k, b, j, n, k, init);
    }

    /**
     * One output of the model: init (C's bits) plus the sum over kk &lt; k of a[aOff + kk] · b[bOff + kk·bs], with
     * the random words of element index o. A GEMM element (i, j) is aOff = i·k, bOff = j, bs = n, o = i·n + j;
     * line i of a dot batch is aOff = bOff = i·k, bs = 1, o = i.
     */
    static long dotElement(GemmSpec s, long o, int[] a, int aOff, int[] b, int bOff, int bs, int k, long init) {
        final long base = GemmSpec.index(o, 0);
        final Env env = new Env(Rounding.RNE);
        final CpuMath.V x = new CpuMath.V(), y = new CpuMath.V(), z = new CpuMath.V(), p = new CpuMath.V();
        final boolean promote = s.promoteEvery > 0;
        long outer = init;
        long acc = promote ? zeroBits(s.acc) : init;
        int chunk = promote ? s.promoteEvery : Math.max(k, 1);
        int q = 0;
        for (int k0 = 0; k0 < k; k0 += chunk, q++) {
            int k1 = Math.min(k, k0 + chunk);
            // inner steps are counted from the chunk start; with promotion chunk q's steps start at (q+1) << 20
            final long ib = promote ? base + ((long) (q + 1) << 20) - 2L * k0 : base;
            final long fb = promote ? base + ((long) (q + 1) << 20) - k0 / Math.max(1, s.blockK) : base;
            if (promote) acc = zeroBits(s.acc);
            if (s.kind == GemmSpec.Kind.FUSED) {
                for (int kb = k0; kb < k1; kb += s.blockK) {
                    CpuMath.env(env, s.accRounding, s.key, fb + kb / s.blockK);
                    acc = fusedBlock(s, a, aOff, b, bOff, bs, kb, Math.min(k1, kb + s.blockK), acc, env);
                }
            } else {
                for (int kk = k0; kk < k1; kk++) {
                    CpuMath.decode(s.a, a[aOff + kk] & 0xFFFFFFFFL, x);
                    CpuMath.decode(s.b, b[bOff + kk * bs] & 0xFFFFFFFFL, y);
                    CpuMath.decode(s.acc, acc, z);
                    if (s.fma) {
                        acc = CpuMath.fma(s.acc, x, y, z, CpuMath.env(env, s.accRounding, s.key, ib + 2L * kk + 1));
                    } else {
                        long pb = CpuMath.mul(s.prod, x, y, CpuMath.env(env, s.prodRounding, s.key, ib + 2L * kk));
                        CpuMath.decode(s.prod, pb, p);
                        acc = CpuMath.add(s.acc, z, p, CpuMath.env(env, s.accRounding, s.key, ib + 2L * kk + 1));
                    }
                }
            }
            if (promote) {
                CpuMath.decode(s.outer, outer, x);
                CpuMath.decode(s.acc, acc, y);
                outer = CpuMath.add(s.outer, x, y, CpuMath.env(env, s.outerRounding, s.key, base + q));
            }
        }
        return promote ? outer : acc;
    }

    /**
     * Tensor-core block FMA over k indices [kb, ke) with addend c (accumulator format), MMA-Sim conventions:
     * products exact with raw exponent X = (e_a) + (e_b) (leading-bit exponents, subnormals at emin), c's
     * exponent max(e_c, emin_out) also when c = 0, E = max of all, each addend truncated toward zero to
     * 2^(E-F), exact sum, one rounding; a zero sum gives +0.
     */
    static long fusedBlock(GemmSpec s, int[] a, int aOff, int[] b, int bOff, int bs, int kb, int ke, long c, Env env) {
        Format fo = s.acc;
        CpuMath.V x = new CpuMath.V(), y = new CpuMath.V(), z = CpuMath.decode(fo, c, new CpuMath.V());
        boolean nan = z.cls == CpuMath.NAN, posInf = false, negInf = false;
        if (z.cls == CpuMath.INF) {
            if (z.neg) negInf = true; else posInf = true;
        }
        int ma = s.a.manBits(), mb = s.b.manBits(), mo = fo.manBits();
        int e = z.cls == CpuMath.FIN ? z.exp + mo : fo.emin();
        for (int kk = kb; kk < ke; kk++) {
            CpuMath.decode(s.a, a[aOff + kk] & 0xFFFFFFFFL, x);
            CpuMath.decode(s.b, b[bOff + kk * bs] & 0xFFFFFFFFL, y);
            if (x.cls == CpuMath.NAN || y.cls == CpuMath.NAN) {
                nan = true;
            } else if (x.cls == CpuMath.INF || y.cls == CpuMath.INF) {
                if (x.cls == CpuMath.ZERO || y.cls == CpuMath.ZERO) nan = true;
                else if (x.neg ^ y.neg) negInf = true;
                else posInf = true;
            } else if (x.cls == CpuMath.FIN && y.cls == CpuMath.FIN) {
                e = Math.max(e, x.exp + ma + y.exp + mb);
            }
        }
        if (nan || (posInf && negInf)) return fo.defaultNaN();
        if (posInf || negInf) return Rounder.infinity(fo, negInf, env);
        final int f = s.fracBits;
        long sum = 0;
        if (z.cls == CpuMath.FIN) sum += signed(z.neg, shiftTrunc(z.sig, z.exp + f - e));
        for (int kk = kb; kk < ke; kk++) {
            CpuMath.decode(s.a, a[aOff + kk] & 0xFFFFFFFFL, x);
            CpuMath.decode(s.b, b[bOff + kk * bs] & 0xFFFFFFFFL, y);
            if (x.cls == CpuMath.FIN && y.cls == CpuMath.FIN) {
                sum += signed(x.neg ^ y.neg, shiftTrunc(x.sig * y.sig, x.exp + y.exp + f - e));
            }
        }
        if (sum == 0) return fo.zeroBits(false);
        boolean neg = sum < 0;
        long mag = Math.abs(sum);
        // a value at or above 2^(emax+1) is +-Inf even under round-toward-zero (accumulators.md §1.3 step 9)
        if (fo.hasInf() && CpuMath.msb(mag) + e - f > fo.emax()) return Rounder.infinity(fo, neg, env);
        long r = Rounder.round(s.blockRoundFormat(), neg, mag, e - f, false, env);
        int shift = fo.manBits() - s.accFraction;
        if (shift == 0) return r;
        // e8m13-style: same sign/exponent layout, shorter fraction: the container pattern is the pattern << shift
        return r << shift;
    }

    /** v * 2^sh truncated toward zero (v &gt;= 0). */
    static long shiftTrunc(long v, int sh) {
        if (sh >= 0) return v << sh;
        return -sh >= 63 ? 0 : v >>> -sh;
    }

    private static long signed(boolean neg, long v) {
        return neg ? -v : v;
    }

    // ------------------------------------------------------------------ gradient step

    @Override
    public void step(StepSpec s, int[] w, float[] g, int[] v) {
        Backend.checkStep(s, w, g, v);
        range(w.length, w.length).forEach(i -> stepElement(s, w, g, v, i));
    }

    static void stepElement(StepSpec s, int[] w, float[] g, int[] v, int i) {
        Env env = new Env(Rounding.RNE);
        long base = 4L * i;
        CpuMath.V x = new CpuMath.V(), y = new CpuMath.V(), z = new CpuMath.V();
        long q = CpuMath.round(s.g(), CpuMath.decodeFloat(Float.floatToRawIntBits(g[i]), x),
                CpuMath.env(env, s.gRounding(), s.key(), base));
        Format sf = s.g();
        long sb = q;
        if (s.hasMomentum()) {
            CpuMath.decodeFloat(Float.floatToRawIntBits(s.beta()), x);
            CpuMath.decode(s.v(), v[i] & 0xFFFFFFFFL, y);
            CpuMath.decode(s.g(), q, z);
            long nv = CpuMath.fma(s.v(), x, y, z, CpuMath.env(env, s.vRounding(), s.key(), base + 1));
            v[i] = (int) nv;
            sf = s.v();
            sb = nv;
        }
        CpuMath.decodeFloat(Float.floatToRawIntBits(s.lr()), x);
        CpuMath.decode(sf, sb, y);
        long u = CpuMath.mul(s.u(), x, y, CpuMath.env(env, s.uRounding(), s.key(), base + 2));
        CpuMath.decode(s.w(), w[i] & 0xFFFFFFFFL, x);
        CpuMath.decode(s.u(), u, y);
        y.neg = !y.neg;
        w[i] = (int) CpuMath.add(s.w(), x, y, CpuMath.env(env, s.wRounding(), s.key(), base + 3));
    }

    @Override
    public void close() {
    }
}
