package lowp.backend;

import lowp.format.Format;
import lowp.round.Rounding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shared cases for {@link Backend#dotBatch}: shipped profiles (tensor-core fused blocks incl. the FP8 e8m13
 * one, a 2xAcc promoted one), explicit sequential / fma specs under SR, and every spec of
 * {@link AparapiBackendTest#gemmSpecs()}. Expected values come from the CPU backend's GEMM (never from a
 * dotBatch): line i must equal output element (i, 0) of {@code gemm(spec, count, 1, k, a, b_i, c)} (B = line i's
 * b as a column, so row i of that GEMM is exactly line i's dot with element index i), and for specs without
 * stochastic rounding also {@code gemm(spec, 1, 1, k, a_i, b_i, c_i)}.
 */
final class DotBatchCases {
    private DotBatchCases() {
    }

    interface DotFn {
        int[] dot(GemmSpec s, int count, int k, int[] a, int[] b, int[] c) throws Exception;
    }

    /** Shipped profiles checked (fused tensor-core, FP8 e8m13, 2xAcc promoted, fp16 output, V100 k = 4). */
    static final List<String> PROFILES = List.of("h100-fp16-fp32", "a100-bf16-fp32", "v100-fp16-fp32",
            "h100-e4m3-fp32", "h100-e4m3-fp32-2xacc", "a100-fp16-fp16", "b200-e4m3-fp32");

    static List<GemmSpec> specs() {
        List<GemmSpec> r = new ArrayList<>();
        for (String p : PROFILES) r.add(GemmSpec.fromProfile(p));
        Format fp16 = Format.BINARY16, bf16 = Format.BFLOAT16, e4m3 = Format.E4M3FN, e5m2 = Format.E5M2;
        RngKey key = new RngKey(0x5EED_0F_D07L, 3, 77);
        // sequential models under stochastic rounding (one rounding per product and per addition)
        r.add(GemmSpec.sequential(bf16, bf16, bf16, Rounding.SR, Format.BINARY32, Rounding.SR).withKey(key));
        r.add(GemmSpec.sequential(fp16, fp16, fp16, Rounding.parse("sr8"), fp16, Rounding.SR).withKey(key));
        r.add(GemmSpec.sequential(e4m3, e5m2, fp16, Rounding.RNE, bf16, Rounding.SR).promoted(8, Format.BINARY32, Rounding.SR)
                .withKey(key));
        r.addAll(AparapiBackendTest.gemmSpecs());
        return r;
    }

    static boolean stochastic(GemmSpec s) {
        return sr(s.prodRounding) || sr(s.accRounding) || sr(s.outerRounding);
    }

    private static boolean sr(Rounding r) {
        return r != null && r.isStochastic();
    }

    /** A K that exercises several blocks / promotion chunks of the spec and a partial last block. */
    static int kFor(GemmSpec s) {
        int k = Fixtures.scale(70);
        if (s.promoteEvery > 0) k = Math.max(k, 2 * s.promoteEvery + 13);
        return k;
    }

    /** The CPU backend's GEMM answers for each line (see the class comment); c may be null. */
    static int[] expected(GemmSpec s, int count, int k, int[] a, int[] b, int[] c, CpuBackend cpu) {
        int[] want = new int[count];
        for (int i = 0; i < count; i++) {
            int[] bi = Arrays.copyOfRange(b, i * k, i * k + k);
            want[i] = cpu.gemm(s, count, 1, k, a, bi, c)[i];
        }
        if (!stochastic(s)) {
            for (int i = 0; i < count; i++) {
                int[] one = cpu.gemm(s, 1, 1, k, Arrays.copyOfRange(a, i * k, i * k + k),
                        Arrays.copyOfRange(b, i * k, i * k + k), c == null ? null : new int[] {c[i]});
                if (one[0] != want[i]) {
                    throw new AssertionError("CPU gemm(1,1,k) and element (i,0) disagree for " + s + " line " + i);
                }
            }
        }
        return want;
    }

    /** Every case with and without C through f; one line per mismatching (spec, C) pair. */
    static List<String> mismatches(DotFn f, CpuBackend cpu) throws Exception {
        List<String> bad = new ArrayList<>();
        int count = 37;
        long seed = 100;
        for (GemmSpec s : specs()) {
            int k = kFor(s);
            int[] a = Fixtures.patterns(s.a, seed++, count * k), b = Fixtures.patterns(s.b, seed++, count * k);
            int[] c = Fixtures.patterns(s.output(), seed++, count);
            for (int[] cc : Arrays.asList(c, null)) {
                int[] want = expected(s, count, k, a, b, cc, cpu);
                int[] got = f.dot(s, count, k, a, b, cc);
                String diff = firstDiff(want, got);
                if (diff != null) bad.add(s + (cc == null ? " without C" : " with C") + ": " + diff);
            }
        }
        return bad;
    }

    /** Edge shapes: K = 0 returns C (+0 without), zero lines, a single line, K = 1. */
    static List<String> edges(DotFn f, CpuBackend cpu) throws Exception {
        List<String> bad = new ArrayList<>();
        GemmSpec s = GemmSpec.fromProfile("h100-fp16-fp32");
        int[] c = {0x3F800000, 0xC0000000, 0x80000000};
        check(bad, "K = 0 returns C", c, f.dot(s, 3, 0, new int[0], new int[0], c));
        check(bad, "K = 0 without C is +0", new int[3], f.dot(s, 3, 0, new int[0], new int[0], null));
        check(bad, "no lines", new int[0], f.dot(s, 0, 5, new int[0], new int[0], null));
        int[] a = Fixtures.patterns(s.a, 7, 19), b = Fixtures.patterns(s.b, 8, 19);
        check(bad, "one line", cpu.gemm(s, 1, 1, 19, a, b, null), f.dot(s, 1, 19, a, b, null));
        int[] a1 = Fixtures.patterns(s.a, 9, 5), b1 = Fixtures.patterns(s.b, 10, 5);
        check(bad, "K = 1", expected(s, 5, 1, a1, b1, null, cpu), f.dot(s, 5, 1, a1, b1, null));
        return bad;
    }

    /**
     * Many lines (2000 x K 20: the CPU backend's parallel path, several grid-stride rounds of a small grid) under a
     * deterministic profile; expected per line from the CPU backend's gemm(1, 1, k).
     */
    static List<String> manyLines(DotFn f, CpuBackend cpu) throws Exception {
        List<String> bad = new ArrayList<>();
        int count = 2000, k = 20;
        GemmSpec s = GemmSpec.fromProfile("a100-fp16-fp32");
        int[] a = Fixtures.patterns(s.a, 31, count * k), b = Fixtures.patterns(s.b, 32, count * k);
        int[] c = Fixtures.patterns(s.output(), 33, count);
        int[] want = new int[count];
        for (int i = 0; i < count; i++) {
            want[i] = cpu.gemm(s, 1, 1, k, Arrays.copyOfRange(a, i * k, i * k + k), Arrays.copyOfRange(b, i * k, i * k + k),
                    new int[] {c[i]})[0];
        }
        check(bad, "2000 lines " + s, want, f.dot(s, count, k, a, b, c));
        return bad;
    }

    private static void check(List<String> bad, String what, int[] want, int[] got) {
        String d = firstDiff(want, got);
        if (d != null) bad.add(what + ": " + d);
    }

    static String firstDiff(int[] want, int[] got) {
        if (got.length != want.length) return got.length + " results, expected " + want.length;
        int n = 0, first = -1;
        for (int i = 0; i < want.length; i++) {
            if (want[i] != got[i]) {
                if (first < 0) first = i;
                n++;
            }
        }
        return n == 0 ? null : String.format("%d of %d lines differ, first line %d: want %08x, got %08x", n,
                want.length, first, want[first], got[first]);
    }
}
