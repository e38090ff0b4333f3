package lowp.backend;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
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
 * Skips when nvcc is not installed.
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
        if (nvcc == null) System.out.println("[NvccCompileTest] skipped: nvcc not found");
        Assumptions.assumeTrue(nvcc != null, "nvcc not found");
        List<Path> sources;
        try (Stream<Path> s = Files.list(Paths.get("kernels"))) {
            sources = s.filter(p -> p.toString().endsWith(".cu")).sorted().toList();
        }
        assertFalse(sources.isEmpty());
        Path out = Files.createDirectories(Paths.get("target", "nvcc-test"));
        List<String> failures = new ArrayList<>();
        for (Path src : sources) {
            String name = src.getFileName().toString().replace(".cu", ".ptx");
            Process p = new ProcessBuilder(nvcc, "-ptx", "--fmad=false", "-arch=compute_75", "-Werror", "all-warnings",
                    "-Xcompiler", "-Wall", "-o", out.resolve(name).toString(), src.toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes()).trim();
            int rc = p.waitFor();
            if (rc != 0 || !log.isEmpty()) failures.add(src + " (exit " + rc + "):\n" + log);
            else assertTrue(Files.readString(out.resolve(name)).contains(".entry"), name + " has no kernel entry");
        }
        assertEquals(List.of(), failures, String.join(File.separator, ""));
    }
}
