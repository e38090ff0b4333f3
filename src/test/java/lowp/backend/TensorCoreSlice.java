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
 * The first lines of the real tensor-core data (../shared/data/tensor-core, README there) for a named profile,
 * run through a backend's GEMM with {@link GemmSpec#fromProfile}: d_j = a_j·b_j + c_j as the GPU computed it.
 * Lines are packed CHUNK at a time into one block-diagonal GEMM (A = the chunk's a rows, B's column j = b_j,
 * C = diag(c_j), +0 elsewhere) whose diagonal is compared with the GPU's d. Conventions as lowp.acc's
 * TensorCoreDataTest: c is binary32, rounded to fp16 (RNE) for fp16-output profiles; the H100 FP8 data was
 * produced with C = 0 (wgmma); an fp16 d is stored as the binary32 of the same value.
 */
final class TensorCoreSlice {
    static final Path ROOT = Path.of("../shared/data/tensor-core");
    static final int LINES = 500;
    static final int CHUNK = 100;

    /** Profiles checked on every backend, and the data each is checked against (2xAcc: its block's data). */
    static final Map<String, String> PROFILES = new java.util.LinkedHashMap<>();

    static {
        for (String p : List.of("v100-fp16-fp32", "a100-fp16-fp16", "a100-bf16-fp32", "a100-tf32-fp32",
                "h100-fp16-fp32", "h100-fp16-fp16", "h100-bf16-fp32", "h100-e4m3-fp32", "h100-e5m2-fp32",
                "b200-fp16-fp32")) {
            PROFILES.put(p, Profiles.profile(p).validation);
        }
        // 2xAcc promotion every 128 products; the data's K = 32 and C = 0, so each line is one chunk added to
        // +0 in fp32 with RNE: exactly the block result (an exact-zero block is +0 either way).
        PROFILES.put("h100-e4m3-fp32-2xacc", Profiles.profile("h100-e4m3-fp32").validation);
        PROFILES.put("h100-e5m2-fp32-2xacc", Profiles.profile("h100-e5m2-fp32").validation);
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
        int[][] a = new int[LINES][], b = new int[LINES][];
        int[] c = new int[LINES], d = new int[LINES];
        for (int i = 0; i < LINES; i++) {
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

    /** Runs the slice through {@code g}; returns one line per mismatch against the GPU's d. */
    static List<String> mismatches(Slice s, Gemm g) throws Exception {
        List<String> bad = new ArrayList<>();
        int k = s.k;
        Format out = s.spec.output();
        Env env = new Env(Rounding.RNE);
        for (int i0 = 0; i0 < LINES; i0 += CHUNK) {
            int m = Math.min(CHUNK, LINES - i0);
            int[] a = new int[m * k], b = new int[k * m], c = new int[m * m];
            for (int i = 0; i < m; i++) {
                for (int t = 0; t < k; t++) {
                    a[i * k + t] = s.a[i0 + i][t];
                    b[t * m + i] = s.b[i0 + i][t];
                }
                c[i * m + i] = s.c[i0 + i];
            }
            int[] r = g.gemm(s.spec, m, m, k, a, b, c);
            for (int i = 0; i < m; i++) {
                long got = RefOps.convert(out, r[i * m + i] & 0xFFFFFFFFL, Format.BINARY32, env);
                long want = s.d[i0 + i] & 0xFFFFFFFFL;
                boolean same = got == want || (Format.BINARY32.isNaN(got) && Format.BINARY32.isNaN(want));
                if (!same) bad.add(String.format("%s line %d: gpu %08x, got %08x", s.profile, i0 + i + 1, want, got));
            }
        }
        return bad;
    }

    /** Every profile of {@link #PROFILES} through {@code g}: "profile: N mismatches, first ..." per failing one. */
    static List<String> checkAll(Gemm g) throws Exception {
        List<String> failures = new ArrayList<>();
        for (String p : PROFILES.keySet()) {
            List<String> bad = mismatches(load(p), g);
            if (!bad.isEmpty()) failures.add(p + ": " + bad.size() + " of " + LINES + " lines differ, first " + bad.subList(0, Math.min(3, bad.size())));
        }
        return failures;
    }

    private static List<String> lines(Path p) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(p)), StandardCharsets.US_ASCII))) {
            String s;
            while ((s = r.readLine()) != null && out.size() < LINES) {
                if (!s.isBlank()) out.add(s.trim());
            }
        }
        if (out.size() < LINES) throw new IOException(p + ": fewer than " + LINES + " lines");
        return out;
    }

    private TensorCoreSlice() {
    }
}
