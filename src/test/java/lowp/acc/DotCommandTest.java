package lowp.acc;

import lowp.cli.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code dot} CLI contract (issue 5). */
class DotCommandTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void listsProfiles() {
        Run r = run("dot", "--list-profiles");
        assertEquals(0, r.code);
        for (String n : new String[] {"h100-fp16-fp32", "a100-bf16-fp32", "h100-e4m3-fp32", "v100-fp16-fp16",
                "h100-e4m3-fp32-2xacc", "b200-fp16-fp32"}) {
            assertTrue(r.out.contains(n + "\t"), n);
        }
        assertTrue(r.out.contains("F=25"));
        // what each profile's data status is (docs/accumulators.md, "Named profiles")
        java.util.Map<String, String> note = new java.util.HashMap<>();
        for (String line : r.out.split("\n")) {
            String[] t = line.split("\t");
            note.put(t[0], t[2]);
        }
        assertEquals(Profiles.all().size(), note.size(), r.out);
        assertTrue(note.get("h100-fp16-fp32").startsWith("validated: data/tensor-core/H100/fp16/d_H100_fp32"));
        assertTrue(note.get("b200-e4m3-fp32").startsWith("fitted to ") && note.get("b200-e4m3-fp32").contains("in-sample"),
                note.get("b200-e4m3-fp32"));
        assertTrue(note.get("b200-e5m2-fp32").contains("no real-GPU data") && note.get("b200-e5m2-fp32").contains("fitted"),
                note.get("b200-e5m2-fp32"));
        for (String g : new String[] {"h200-fp16-fp32", "h200-bf16-fp32", "h200-e4m3-fp32", "h200-fp16-fp16"}) {
            assertTrue(note.get(g).startsWith("validated on H100 data") && note.get(g).contains("/H100/"), g + ": " + note.get(g));
        }
        assertTrue(note.get("ada-fp16-fp32").startsWith("no real-GPU data (parameters from the published"));
        assertTrue(note.get("h100-e4m3-fp32-2xacc").contains("h100-e4m3-fp32 blocks"), note.get("h100-e4m3-fp32-2xacc"));
        // every profile with a data file is labelled by it, none without one claims it
        for (Profiles.Profile p : Profiles.all()) {
            assertEquals(p.validation != null, note.get(p.name).contains("data/tensor-core/"), p.name);
        }
    }

    @Test
    void reproducesGpuDataThroughTheCli() throws Exception {
        Assumptions.assumeTrue(TensorCoreData.present(), "../shared/data/tensor-core absent: skipped");
        Path dir = TensorCoreData.ROOT.resolve("A100/fp16");
        Run r = run("dot", "--profile", "a100-fp16-fp16", "--a", dir.resolve("a_A100_fp16.txt.gz").toString(),
                "--b", dir.resolve("b_A100_fp16.txt.gz").toString(), "--c", dir.resolve("c_A100_fp32.txt.gz").toString());
        assertEquals(0, r.code, r.err);
        String[] got = r.out.split("\n");
        long[] want = TensorCoreData.binaries(dir.resolve("d_A100_fp16.txt.gz"));
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(String.format("%08x", want[i]), got[i], "line " + (i + 1));
        }
    }

    @Test
    void smallFilesHexAndBinaryC(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a.txt");
        Path b = tmp.resolve("b.txt");
        Path c = tmp.resolve("c.txt");
        // V100 probe "largest first": 1*1 + c, c = -(1 - 2^-24) = 0xbf7fffff -> 2^-23 = 0x34000000
        Files.write(a, List.of("3f800000 00000000 00000000 00000000", "3f800000"));
        Files.write(b, List.of("3f800000 00000000 00000000 00000000", "40000000"));
        Files.write(c, List.of("bf7fffff", "00111111100000000000000000000000"));
        Run r = run("dot", "--profile", "v100-fp16-fp32", "--a", a.toString(), "--b", b.toString(), "--c", c.toString());
        assertEquals(0, r.code, r.err);
        assertEquals("34000000\n40400000\n", r.out); // second line: 1*2 + 1 = 3
        Run noC = run("dot", "--profile", "v100-fp16-fp32", "--a", a.toString(), "--b", b.toString());
        assertEquals("3f800000\n40000000\n", noC.out);
    }

    @Test
    void badInputNamesFileLineAndToken(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a.txt");
        Path b = tmp.resolve("b.txt");
        Files.write(a, List.of("3f800000", "3f80zz00"));
        Files.write(b, List.of("3f800000", "3f800000"));
        Run r = run("dot", "--profile", "h100-fp16-fp32", "--a", a.toString(), "--b", b.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains(a + ":2") && r.err.contains("'3f80zz00'"), r.err);
        assertFalse(r.err.contains("\tat "), r.err);

        Files.write(a, List.of("3f800000", "3dcccccd")); // 0.1f is not an fp16 value
        r = run("dot", "--profile", "h100-fp16-fp32", "--a", a.toString(), "--b", b.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains(a + ":2") && r.err.contains("3dcccccd"), r.err);

        r = run("dot", "--profile", "no-such-gpu", "--a", a.toString(), "--b", b.toString());
        assertEquals(2, r.code);
        assertTrue(r.err.contains("no-such-gpu"), r.err);

        Path c = tmp.resolve("c.txt");
        Files.write(a, List.of("3f800000", "3f800000"));
        Files.write(c, List.of("00111111100000000000000000000000", "0011111110000000000000000000000"));
        r = run("dot", "--profile", "h100-fp16-fp32", "--a", a.toString(), "--b", b.toString(), "--c", c.toString());
        // 31 binary digits: neither 32 binary digits nor <= 8 hex digits
        assertEquals(2, r.code);
        assertTrue(r.err.contains(c + ":2") && r.err.contains("bad token"), r.err);
    }

    /** One {@code error:} line naming the file, exit 2, no stack trace. */
    private static void assertIoError(Run r, Path file, String why) {
        assertEquals(2, r.code, r.err);
        assertTrue(r.err.startsWith("error: " + file + ": cannot read"), r.err);
        assertTrue(r.err.contains(why), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertFalse(r.err.contains("\tat ") || r.err.contains("Exception in"), r.err);
        assertEquals("", r.out);
    }

    @Test
    void ioErrorsAreOneLineNamingTheFile(@TempDir Path tmp) throws Exception {
        Path b = tmp.resolve("b.txt");
        Files.write(b, List.of("3f800000", "3f800000"));
        String[] base = {"dot", "--profile", "h100-fp16-fp32", "--b", b.toString(), "--a"};

        // a directory as --a
        Path dir = Files.createDirectory(tmp.resolve("adir"));
        assertIoError(run(concat(base, dir.toString())), dir, "is a directory");

        // a gzip file cut off after 20 bytes (header intact, deflate stream truncated)
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bos)) {
            for (int i = 0; i < 200; i++) {
                gz.write(String.format("%08x %08x\n", 0x3f800000 + (i << 13), 0x40000000 - (i << 13)).getBytes());
            }
        }
        byte[] full = bos.toByteArray();
        Path cut = tmp.resolve("cut.txt.gz");
        Files.write(cut, java.util.Arrays.copyOf(full, 20));
        assertIoError(run(concat(base, cut.toString())), cut, "gzip");

        // gzip magic followed by garbage
        Path bad = tmp.resolve("bad.gz");
        Files.write(bad, new byte[] {0x1f, (byte) 0x8b, 'n', 'o', 't', ' ', 'g', 'z', 'i', 'p', '!', '!', '!'});
        assertIoError(run(concat(base, bad.toString())), bad, "gzip");

        // a truncated gzip as --c (the scalar reader takes the same path)
        Path a = tmp.resolve("a.txt");
        Files.write(a, List.of("3f800000", "3f800000"));
        Run rc = run("dot", "--profile", "h100-fp16-fp32", "--a", a.toString(), "--b", b.toString(), "--c", cut.toString());
        assertIoError(rc, cut, "gzip");

    }

    @Test
    void unreadableFileIsOneLine(@TempDir Path tmp) throws Exception {
        Path b = tmp.resolve("b.txt");
        Files.write(b, List.of("3f800000", "3f800000"));
        String[] base = {"dot", "--profile", "h100-fp16-fp32", "--b", b.toString(), "--a"};
        // root reads files without read permission: then this case is skipped
        Path locked = tmp.resolve("locked.txt");
        Files.write(locked, List.of("3f800000", "3f800000"));
        boolean denied = locked.toFile().setReadable(false, false) && !Files.isReadable(locked);
        try {
            if (denied) {
                assertIoError(run(concat(base, locked.toString())), locked, "permission denied");
            }
        } finally {
            locked.toFile().setReadable(true, false);
        }
        Assumptions.assumeTrue(denied, "running as a user that reads unreadable files (root): permission case skipped");
    }

    private static String[] concat(String[] a, String last) {
        String[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = last;
        return r;
    }
}
