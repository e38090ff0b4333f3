package lowp.backend;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether an OpenCL runtime is installed on this machine, independently of Aparapi: an ICD file in the
 * ICD loader's vendor directory ({@code $OCL_ICD_VENDORS}, else /etc/OpenCL/vendors; PoCL installs pocl.icd
 * there), or a platform listed by {@code clinfo -l}. Tests use it so that a broken Aparapi/OpenCL setup fails
 * instead of skipping: when this reports a platform, the Aparapi backend must open.
 */
final class OpenClInstall {
    private OpenClInstall() {
    }

    /** Evidence of an installed OpenCL platform (ICD files, clinfo lines), empty if none. */
    static List<String> evidence() {
        List<String> found = new ArrayList<>();
        String env = System.getenv("OCL_ICD_VENDORS");
        Path vendors = Path.of(env != null && !env.isEmpty() && Files.isDirectory(Path.of(env)) ? env : "/etc/OpenCL/vendors");
        if (Files.isDirectory(vendors)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(vendors, "*.icd")) {
                for (Path p : ds) found.add("ICD " + p);
            } catch (IOException ignored) {
                // unreadable directory: rely on clinfo
            }
        }
        try {
            Process p = new ProcessBuilder("clinfo", "-l").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
                for (String line : out.split("\n")) {
                    if (line.startsWith("Platform #")) found.add("clinfo: " + line.trim());
                }
            } else {
                p.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            // clinfo not installed: the ICD check decides
        }
        return found;
    }

    /** True if a PoCL ICD is among the evidence (the CI configuration). */
    static boolean pocl(List<String> evidence) {
        for (String e : evidence) {
            String s = e.toLowerCase(java.util.Locale.ROOT);
            if (s.contains("pocl") || s.contains("portable computing language")) return true;
        }
        return false;
    }
}
