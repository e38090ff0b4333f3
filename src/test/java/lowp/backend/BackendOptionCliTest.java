package lowp.backend;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static lowp.backend.BackendsCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --backend} on {@code lowp dot} and {@code lowp speed quantize}: same bits / a measurement, clear errors. */
class BackendOptionCliTest {

    private static boolean openCl() {
        return !OpenClInstall.evidence().isEmpty();
    }

    private static void userError(String[] r, String contains) {
        assertEquals("2", r[0], r[1] + r[2]);
        assertTrue(r[2].startsWith("error: ") && r[2].contains(contains), r[2]);
        assertFalse(r[2].contains("\tat ") || r[2].trim().contains("\n"), "one line, no stack trace: " + r[2]);
    }

    // ------------------------------------------------------------------ speed quantize

    @Test
    void speedQuantizeOnEachAvailableBackend() {
        List<String> names = new ArrayList<>(List.of("cpu", "best"));
        if (openCl()) names.add("aparapi");
        for (String b : names) {
            for (String storage : new String[] {"double", "float"}) {
                String[] r = run("speed", "quantize", "--format", "bfloat16", "--rounding", "sr", "--n", "3000",
                        "--reps", "2", "--storage", storage, "--backend", b, "--output", "bits");
                assertEquals("0", r[0], r[1] + r[2]);
                String[] lines = r[1].trim().split("\\R");
                assertTrue(lines[lines.length - 1].matches("elements/s: \\d+"), r[1]);
                String want = b.equals("best") ? "backend: " : "backend: " + b;
                assertTrue(r[1].startsWith(want), r[1]);
            }
        }
        if (openCl()) {
            // a device backend defaults to bit-pattern output
            String[] r = run("speed", "quantize", "--format", "e4m3fn", "--n", "1000", "--reps", "1", "--backend", "aparapi");
            assertEquals("0", r[0], r[1] + r[2]);
            assertTrue(r[1].contains("backend: aparapi (OpenCL"), r[1]);
            assertTrue(r[1].contains("output bits"), r[1]);
        }
    }

    @Test
    void speedQuantizeBackendErrors() {
        userError(run("speed", "quantize", "--format", "binary16", "--n", "10", "--backend", "tpu"), "'tpu'");
        if (!BackendsTest.cudaPresent()) {
            userError(run("speed", "quantize", "--format", "binary16", "--n", "10", "--backend", "cuda"),
                    "cuda backend unavailable: ");
        }
        userError(run("speed", "quantize", "--format", "binary16", "--n", "10", "--backend", "best", "--output", "values"),
                "--output 'values'");
        userError(run("speed", "quantize", "--format", "binary16", "--n", "10", "--backend", "best", "--threads", "2"),
                "--threads 2");
    }

    // ------------------------------------------------------------------ dot

    /**
     * Hand-derived, h100-fp16-fp32 (exact products, block of 16, 25 fraction bits, RZ into fp32): lines of
     * different K (grouped separately by DotBatch) and C. 1·3 + 2·1 = 5 (0x40a00000); 0.5·0.5 + 1 + c=0.25 = 1.5
     * (0x3fc00000); 2^-24·1 + 1·1 with c = 0: 1 + 2^-24 needs 24 fraction bits (≤ 25 kept, exact), RZ to fp32
     * (23 bits) gives 1.0 (0x3f800000); -1·1 + 1·1 = 0 → +0 (0x00000000).
     */
    @Test
    void dotOnEachBackendMatchesHandDerivation(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.txt"), b = dir.resolve("b.txt"), c = dir.resolve("c.txt");
        Files.writeString(a, "3f800000 40000000\n3f000000 3f800000 3f800000\n33800000 3f800000\nbf800000 3f800000\n");
        Files.writeString(b, "40400000 3f800000\n3f000000 3f800000 00000000\n3f800000 3f800000\n3f800000 3f800000\n");
        Files.writeString(c, "00000000\n3e800000\n00000000\n00000000\n");
        String want = "40a00000\n3fc00000\n3f800000\n00000000\n";
        List<String> names = new ArrayList<>(List.of("cpu", "best"));
        if (openCl()) names.add("aparapi");
        for (String be : names) {
            String[] r = run("dot", "--profile", "h100-fp16-fp32", "--a", a.toString(), "--b", b.toString(),
                    "--c", c.toString(), "--backend", be);
            assertEquals("0", r[0], be + ": " + r[1] + r[2]);
            assertEquals(want, r[1].replace("\r", ""), be);
        }
    }

    /** The first 150 lines of real H100 fp16→fp32 and FP8 (C = 0) data: --backend aparapi prints the GPU's d. */
    @Test
    void dotOnAparapiReproducesTensorCoreData(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(TensorCoreSlice.present(), "../shared/data/tensor-core absent: real-GPU data test skipped");
        Assumptions.assumeTrue(openCl(), "no OpenCL platform installed");
        for (String[] t : new String[][] {{"h100-fp16-fp32", "H100", "fp16", "c"}, {"a100-bf16-fp32", "A100", "bf16", "c"},
                {"h100-e4m3-fp32", "H100", "E4M3", "zero"}}) {
            Path src = TensorCoreSlice.ROOT.resolve(t[1]).resolve(t[2]);
            int n = 150;
            Path a = copy(src.resolve("a_" + t[1] + "_" + t[2] + ".txt.gz"), dir.resolve("a"), n);
            Path b = copy(src.resolve("b_" + t[1] + "_" + t[2] + ".txt.gz"), dir.resolve("b"), n);
            List<String> args = new ArrayList<>(List.of("dot", "--profile", t[0], "--a", a.toString(), "--b", b.toString(),
                    "--backend", "aparapi"));
            if (t[3].equals("c")) {
                args.add("--c");
                args.add(copy(src.resolve("c_" + t[1] + "_fp32.txt.gz"), dir.resolve("c"), n).toString());
            }
            String[] r = run(args.toArray(new String[0]));
            assertEquals("0", r[0], r[1] + r[2]);
            List<String> d = head(src.resolve("d_" + t[1] + "_fp32.txt.gz"), n);
            String[] got = r[1].trim().split("\\R");
            assertEquals(n, got.length);
            int bad = 0;
            for (int i = 0; i < n; i++) {
                long want = Long.parseLong(d.get(i).trim(), 2);
                if (Long.parseLong(got[i], 16) != want) bad++;
            }
            assertEquals(0, bad, t[0] + ": lines differing from the GPU");
        }
    }

    @Test
    void dotBackendErrors(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.txt");
        Files.writeString(a, "3f800000\n");
        userError(run("dot", "--profile", "h100-fp16-fp32", "--a", a.toString(), "--b", a.toString(), "--backend", "tpu"),
                "'tpu'");
        if (!BackendsTest.cudaPresent()) {
            userError(run("dot", "--profile", "h100-fp16-fp32", "--a", a.toString(), "--b", a.toString(), "--backend", "cuda"),
                    "cuda backend unavailable: ");
        }
    }

    private static List<String> head(Path gz, int n) throws Exception {
        List<String> out = new ArrayList<>();
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(gz)), java.nio.charset.StandardCharsets.US_ASCII))) {
            String s;
            while (out.size() < n && (s = r.readLine()) != null) out.add(s);
        }
        return out;
    }

    private static Path copy(Path gz, Path to, int n) throws Exception {
        Files.write(to, head(gz, n));
        return to;
    }
}
