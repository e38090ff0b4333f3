package lowp.backend;

import lowp.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendsCommandTest {
    static String[] run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int rc;
        try {
            System.setOut(new PrintStream(bout, true));
            picocli.CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            rc = cl.execute(args);
        } finally {
            System.setOut(old);
        }
        return new String[] {String.valueOf(rc), bout.toString(), err.toString()};
    }

    @Test
    void listsAllBackendsWithReasons() {
        String[] r = run("backends");
        assertEquals("0", r[0], r[2]);
        for (String n : new String[] {"cuda", "aparapi", "cpu"}) assertTrue(r[1].contains("\n" + n + " "), r[1]);
        assertTrue(r[1].contains("best: "), r[1]);
    }

    @Test
    void forcedCpuCheckPasses() {
        String[] r = run("backends", "--backend", "cpu", "--check");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("check fp16/sr: identical to cpu"), r[1]);
    }

    @Test
    void badOrUnavailableBackendIsAUserError() {
        String[] r = run("backends", "--backend", "tpu");
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("error: bad backend 'tpu'"), r[2]);
        if (!BackendsTest.cudaPresent()) {
            r = run("backends", "--backend", "cuda");
            assertEquals("2", r[0]);
            assertTrue(r[2].startsWith("error: cuda backend unavailable: "), r[2]);
        }
    }
}
