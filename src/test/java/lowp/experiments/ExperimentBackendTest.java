package lowp.experiments;

import lowp.backend.AparapiBackend;
import lowp.backend.BackendUnavailableException;
import lowp.backend.Backends;
import lowp.cli.Main;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code experiment --backend}: the Sgd-based reproduction (seed000-sgd-stagnation) gives identical CSV tables,
 * values and claims on the aparapi (OpenCL) backend and on the cpu default (skipped without an OpenCL platform);
 * an unknown or unavailable backend, or --backend for a reproduction without Sgd updates, is a one-line error
 * with exit 2.
 */
class ExperimentBackendTest {
    static final String NAME = "seed000-sgd-stagnation";

    static int cli(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            return Main.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static List<String> claimLines(String stdout) {
        return stdout.lines().filter(l -> l.startsWith("claim: ")).collect(Collectors.toList());
    }

    static List<Path> csvs(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".csv")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void claimsHoldOnTheCpuDefault() {
        Outcome o = ExperimentsTest.run(NAME);
        assertEquals(4, o.claims.size());
        // the round-to-nearest runs stagnate: most of their coordinate updates round back to the old weight
        assertTrue((double) o.values.get("final_gap_beta0_bf16_rne") > (double) o.values.get("final_gap_beta0_bf16_sr"));
    }

    @Test
    void aparapiGivesTheSameCsvAndClaimsAsCpu(@TempDir Path tmp) throws Exception {
        try {
            AparapiBackend.open().close();
        } catch (BackendUnavailableException e) {
            Assumptions.abort("no OpenCL platform: " + e.getMessage());
        }
        ByteArrayOutputStream cpuOut = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path cpuDir = tmp.resolve("cpu");
        Path gpuDir = tmp.resolve("aparapi");
        int rc = cli(cpuOut, err, "experiment", NAME, "--out", cpuDir.toString()); // default backend: cpu
        assertEquals(0, rc, cpuOut + "\n" + err);
        ByteArrayOutputStream gpuOut = new ByteArrayOutputStream();
        rc = cli(gpuOut, err, "experiment", NAME, "--backend", "aparapi", "--out", gpuDir.toString());
        assertEquals(0, rc, gpuOut + "\n" + err);
        assertTrue(gpuOut.toString().contains("backend aparapi"), gpuOut.toString());
        assertEquals(4, claimLines(cpuOut.toString()).size());
        assertEquals(claimLines(cpuOut.toString()), claimLines(gpuOut.toString()));
        List<Path> a = csvs(cpuDir);
        List<Path> b = csvs(gpuDir);
        assertEquals(7, a.size(), a.toString()); // 2 betas x 3 configs + the final table
        assertEquals(a.stream().map(Path::getFileName).collect(Collectors.toList()),
                b.stream().map(Path::getFileName).collect(Collectors.toList()));
        for (int i = 0; i < a.size(); i++) {
            assertEquals(Files.readString(a.get(i)), Files.readString(b.get(i)), a.get(i).getFileName().toString());
        }
        // and --backend cpu spelled out is the default
        ByteArrayOutputStream cpu2 = new ByteArrayOutputStream();
        Path cpu2Dir = tmp.resolve("cpu2");
        assertEquals(0, cli(cpu2, err, "experiment", NAME, "--backend", "cpu", "--out", cpu2Dir.toString()));
        assertEquals(Files.readString(cpuDir.resolve("sgd_final.csv")), Files.readString(cpu2Dir.resolve("sgd_final.csv")));
    }

    static void assertOneLineError(String expectFragment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = cli(out, err, args);
        assertEquals(2, rc, String.join(" ", args) + "\n" + out + err);
        String e = err.toString().strip();
        assertEquals(1, e.lines().count(), "one line: " + e);
        assertTrue(e.startsWith("error: ") && e.contains(expectFragment), e);
        assertFalse(out.toString().contains("claim: "), "nothing ran");
    }

    @Test
    void unknownUnavailableAndRejectedBackendsExit2() {
        assertOneLineError("bad backend 'nosuch'", "experiment", NAME, "--backend", "nosuch", "--no-out");
        assertOneLineError("takes no --backend", "experiment", "seed002-bounds-valid", "--backend", "cpu", "--no-out");
        assertOneLineError("takes no --backend", "experiment", "seed000-logistic", "--backend", "aparapi", "--no-out");
        Backends.Status cuda = Backends.probe().get("cuda");
        if (cuda != null && !cuda.available()) {
            assertOneLineError("cuda backend unavailable", "experiment", NAME, "--backend", "cuda", "--no-out");
        }
    }
}
