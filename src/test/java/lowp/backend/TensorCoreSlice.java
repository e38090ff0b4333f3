package lowp.backend;

import lowp.acc.Profiles;
import lowp.format.Format;
import lowp.ref.RefOps;
import lowp.round.Env;
import lowp.round.Rounding;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Lines of the real tensor-core data (../shared/data/tensor-core, README there) for a shipped profile, run
 * through a backend's GEMM with {@link GemmSpec#fromProfile}: d_j = a_j·b_j + c_j as the GPU computed it.
 * Lines are packed {@code chunk} at a time into one block-diagonal GEMM (A = the chunk's a rows, B's column
 * j = b_j, C = diag(c_j), +0 elsewhere) whose diagonal is compared with the GPU's d. Conventions as lowp.acc's
 * TensorCoreDataTest ({@link #checkAllDots} runs the same lines through a backend's dotBatch instead): c is binary32, rounded to fp16 (RNE) for fp16-output profiles; the H100 FP8 data was
 * produced with C = 0 (wgmma); an fp16 d is stored as the binary32 of the same value.
 *
 * <p>Which lines: {@link #ALL} = all 5000; a subset of {@code n} lines is the fixed, deterministic set of
 * lines 1, 1 + s, 1 + 2s, ... with stride s = 5000 / n (so it spans the whole file).
 */
final class TensorCoreSlice {
    static final Path ROOT = Path.of("../shared/data/tensor-core");
    /** Lines per data file (README). */
    static final int ALL = 5000;
    /** Lines the slower backends (Aparapi on PoCL, host-compiled CUDA) check per profile; 5000 with -Dlowp.exhaustive. */
    static final int SUBSET = Boolean.getBoolean("lowp.exhaustive") ? ALL : 500;
    static final int CHUNK = 100;

    /**
     * Profiles checked on every backend, and the data each is checked against: every shipped profile with
     * real-GPU data, plus the 2xAcc profiles over a validated block profile (checked against their block's
     * data: the data's K = 32 and C = 0, so each line is one chunk added to +0 in fp32 with RNE, exactly the
     * block result; an exact-zero block is +0 either way).
     */
    static final Map<String, String> PROFILES = new java.util.LinkedHashMap<>();

    static {
        for (Profiles.Profile p : Profiles.all()) {
            if (p.validation != null) PROFILES.put(p.name, p.validation);
        }
        for (Profiles.Profile p : Profiles.all()) {
            if (p.name.endsWith("-2xacc")) {
                String inner = Profiles.profile(p.name.substring(0, p.name.length() - "-2xacc".length())).validation;
                if (inner != null && inner.contains("/E")) PROFILES.put(p.name, inner);
            }
        }
    }

    interface Gemm {
        int[] gemm(GemmSpec s, int m, int n, int k, int[] a, int[] b, int[] c) throws Exception;
    }

    static boolean present() {
        return Files.isDirectory(ROOT);
    }

    static final class Slice {
        final String profile;
        final GemmSpec spec;
        final int k;
        final int[][] a;
        final int[][] b;
        final int[] c;
        final int[] d;

        Slice(String profile, GemmSpec spec, int[][] a, int[][] b, int[] c, int[] d) {
            this.profile = profile;
            this.spec = spec;
            this.k = a[0].length;
            this.a = a;
            this.b = b;
            this.c = c;
            this.d = d;
        }
    }

    private static final Map<String, Slice> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    static Slice load(String profile) throws IOException {
        Slice s = CACHE.get(profile);
        if (s == null) {
            s = read(profile);
            CACHE.put(profile, s);
        }
        return s;
    }

    private static Slice read(String profile) throws IOException {
        GemmSpec spec = GemmSpec.fromProfile(profile);
        Path dfile = ROOT.resolve(PROFILES.get(profile));
        Path dir = dfile.getParent();
        String gpu = dir.getParent().getFileName().toString();
        String fmt = dir.getFileName().toString();
        boolean cZero = gpu.equals("H100") && fmt.startsWith("E");
        List<String> la = lines(dir.resolve("a_" + gpu + "_" + fmt + ".txt.gz"));
        List<String> lb = lines(dir.resolve("b_" + gpu + "_" + fmt + ".txt.gz"));
        List<String> lc = lines(dir.resolve("c_" + gpu + "_fp32.txt.gz"));
        List<String> ld = lines(dfile);
        Env env = new Env(Rounding.RNE);
        Format in = spec.a, out = spec.output();
        int[][] a = new int[ALL][], b = new int[ALL][];
        int[] c = new int[ALL], d = new int[ALL];
        for (int i = 0; i < ALL; i++) {
            a[i] = inputs(la.get(i), in, env);
            b[i] = inputs(lb.get(i), in, env);
            long cb = cZero ? 0 : Long.parseLong(lc.get(i), 2);
            c[i] = (int) RefOps.convert(Format.BINARY32, cb, out, env);
            d[i] = (int) Long.parseLong(ld.get(i), 2);
        }
        return new Slice(profile, spec, a, b, c, d);
    }

    /** Hex binary32 patterns whose values are exact in the input format, as input-format bit patterns. */
    private static int[] inputs(String line, Format in, Env env) {
        String[] t = line.split("\\s+");
        int[] v = new int[t.length];
        for (int j = 0; j < t.length; j++) {
            long f = Long.parseLong(t[j], 16);
            long x = RefOps.convert(Format.BINARY32, f, in, env);
            if (RefOps.convert(in, x, Format.BINARY32, env) != f && !Format.BINARY32.isNaN(f)) {
                throw new IllegalStateException("data value " + t[j] + " is not exact in " + in);
            }
            v[j] = (int) x;
        }
        return v;
    }

    /** The line indices (0-based) of a subset of n lines: 0, s, 2s, ... with s = ALL / n. */
    static int[] subset(int n) {
        if (n < 1 || n > ALL) throw new IllegalArgumentException("lines must be in 1.." + ALL);
        int stride = ALL / n;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i * stride;
        return idx;
    }

    /** Runs {@code lines} lines of the slice through {@code g}, chunk lines per GEMM; one line per mismatch. */
    static List<String> mismatches(Slice s, Gemm g, int lines, int chunk) throws Exception {
        List<String> bad = new ArrayList<>();
        int[] idx = subset(lines);
        int k = s.k;
        Format out = s.spec.output();
        Env env = new Env(Rounding.RNE);
        for (int i0 = 0; i0 < idx.length; i0 += chunk) {
            int m = Math.min(chunk, idx.length - i0);
            int[] a = new int[m * k], b = new int[k * m], c = new int[m * m];
            for (int i = 0; i < m; i++) {
                int line = idx[i0 + i];
                for (int t = 0; t < k; t++) {
                    a[i * k + t] = s.a[line][t];
                    b[t * m + i] = s.b[line][t];
                }
                c[i * m + i] = s.c[line];
            }
            int[] r = g.gemm(s.spec, m, m, k, a, b, c);
            for (int i = 0; i < m; i++) {
                int line = idx[i0 + i];
                long got = RefOps.convert(out, r[i * m + i] & 0xFFFFFFFFL, Format.BINARY32, env);
                long want = s.d[line] & 0xFFFFFFFFL;
                boolean same = got == want || (Format.BINARY32.isNaN(got) && Format.BINARY32.isNaN(want));
                if (!same) bad.add(String.format("%s line %d: gpu %08x, got %08x", s.profile, line + 1, want, got));
            }
        }
        return bad;
    }

    /**
     * The {@link #SUBSET} lines of every profile of {@link #PROFILES} through {@link Backend#dotBatch}-shaped
     * {@code dot} ({@link #CHUNK} lines per call, line j's a and b as row j, c_j as c[j]): "profile: N mismatches,
     * first ..." per failing one.
     */
    static List<String> checkAllDots(DotBatchCases.DotFn dot) throws Exception {
        List<String> failures = new ArrayList<>();
        Env env = new Env(Rounding.RNE);
        for (String p : PROFILES.keySet()) {
            Slice s = load(p);
            int[] idx = subset(SUBSET);
            int k = s.k;
            Format out = s.spec.output();
            List<String> bad = new ArrayList<>();
            for (int i0 = 0; i0 < idx.length; i0 += CHUNK) {
                int m = Math.min(CHUNK, idx.length - i0);
                int[] a = new int[m * k], b = new int[m * k], c = new int[m];
                for (int i = 0; i < m; i++) {
                    int line = idx[i0 + i];
                    System.arraycopy(s.a[line], 0, a, i * k, k);
                    System.arraycopy(s.b[line], 0, b, i * k, k);
                    c[i] = s.c[line];
                }
                int[] r = dot.dot(s.spec, m, k, a, b, c);
                for (int i = 0; i < m; i++) {
                    int line = idx[i0 + i];
                    long got = RefOps.convert(out, r[i] & 0xFFFFFFFFL, Format.BINARY32, env);
                    long want = s.d[line] & 0xFFFFFFFFL;
                    boolean same = got == want || (Format.BINARY32.isNaN(got) && Format.BINARY32.isNaN(want));
                    if (!same) bad.add(String.format("%s line %d: gpu %08x, got %08x", s.profile, line + 1, want, got));
                }
            }
            if (!bad.isEmpty()) failures.add(p + ": " + bad.size() + " of " + idx.length + " lines differ, first " + bad.subList(0, Math.min(3, bad.size())));
        }
        return failures;
    }

    /** {@link #checkAll(Gemm, int, int)} on the {@link #SUBSET} in chunks of {@link #CHUNK}. */
    static List<String> checkAll(Gemm g) throws Exception {
        return checkAll(g, SUBSET, CHUNK);
    }

    /** Every profile of {@link #PROFILES} through {@code g}: "profile: N mismatches, first ..." per failing one. */
    static List<String> checkAll(Gemm g, int lines, int chunk) throws Exception {
        List<String> failures = new ArrayList<>();
        for (String p : PROFILES.keySet()) {
            List<String> bad = mismatches(load(p), g, lines, chunk);
            if (!bad.isEmpty()) failures.add(p + ": " + bad.size() + " of " + lines + " lines differ, first " + bad.subList(0, Math.min(3, bad.size())));
        }
        return failures;
    }

    private static List<String> lines(Path p) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(p)), StandardCharsets.US_ASCII))) {
            String s;
            while ((s = r.readLine()) != null) {
                if (!s.isBlank()) out.add(s.trim());
            }
        }
        if (out.size() != ALL) throw new IOException(p + ": " + out.size() + " lines, the README says " + ALL);
        return out;
    }

    private TensorCoreSlice() {
    }
}
