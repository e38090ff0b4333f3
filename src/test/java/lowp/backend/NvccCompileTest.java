package lowp.backend;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kernels/*.cu compiles with nvcc to PTX with the build's flags (--fmad=false, all warnings as errors).
 * Without nvcc: skips locally, fails in CI ({@link CiStrict}). A failure message carries nvcc's output.
 */
class NvccCompileTest {
    static String nvcc() {
        for (String c : List.of("nvcc", "/usr/local/cuda/bin/nvcc")) {
            try {
                Process p = new ProcessBuilder(c, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) return c;
            } catch (IOException | InterruptedException e) {
                // try the next
            }
        }
        return null;
    }

    @Test
    void allKernelsCompileWithoutWarnings() throws Exception {
        String nvcc = nvcc();
        if (nvcc == null) {
            CiStrict.missing("NvccCompileTest", "nvcc not found (neither on PATH nor /usr/local/cuda/bin/nvcc)");
        }
        List<Path> sources;
        try (Stream<Path> s = Files.list(Paths.get("kernels"))) {
            sources = s.filter(p -> p.toString().endsWith(".cu")).sorted().toList();
        }
        assertFalse(sources.isEmpty());
        List<String> failures = compile(nvcc, sources, Files.createDirectories(Paths.get("target", "nvcc-test")));
        assertTrue(failures.isEmpty(), failures.size() + " of " + sources.size() + " kernels failed to compile cleanly with "
                + nvcc + ":\n" + String.join("\n", failures));
    }

    /** Compiles each source to PTX with the build's flags; one entry (source, exit code, nvcc's output) per failure. */
    static List<String> compile(String nvcc, List<Path> sources, Path out) throws Exception {
        List<String> failures = new ArrayList<>();
        for (Path src : sources) {
            String name = src.getFileName().toString().replace(".cu", ".ptx");
            Process p = new ProcessBuilder(nvcc, "-ptx", "--fmad=false", "-arch=compute_75", "-Werror", "all-warnings",
                    "-Xcompiler", "-Wall", "-o", out.resolve(name).toString(), src.toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes()).trim();
            int rc = p.waitFor();
            if (rc != 0 || !log.isEmpty()) failures.add(src + " (exit " + rc + "):\n" + log);
            else if (!Files.readString(out.resolve(name)).contains(".entry")) failures.add(name + " has no kernel entry");
        }
        return failures;
    }

    /** A kernel with a warning (unused variable) and one with an error: both reported with nvcc's own text. */
    @Test
    void failuresCarryNvccOutput(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        String nvcc = nvcc();
        if (nvcc == null) {
            CiStrict.missing("NvccCompileTest", "nvcc not found (neither on PATH nor /usr/local/cuda/bin/nvcc)");
        }
        Path warn = Files.writeString(tmp.resolve("warn.cu"),
                "extern \"C\" __global__ void k(int *p) { int unused_here = 3; p[0] = 1; }\n");
        Path err = Files.writeString(tmp.resolve("err.cu"),
                "extern \"C\" __global__ void k(int *p) { p[0] = no_such_symbol; }\n");
        List<String> f = compile(nvcc, List.of(err, warn), tmp);
        assertEquals(2, f.size(), String.join("\n", f));
        assertTrue(f.get(0).contains("err.cu") && f.get(0).contains("no_such_symbol"), f.get(0));
        assertTrue(f.get(1).contains("warn.cu") && f.get(1).contains("unused_here"), f.get(1));
    }
}
