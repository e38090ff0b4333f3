package lowp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** File problems outside {@code dot}: one {@code error:} line, exit 2, no stack trace. */
class CliIoErrorsTest {

    @Test
    void experimentOutThatIsAFileIsRejectedBeforeTheRun(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("not-a-folder"), "x");
        CliRunner r = CliRunner.run("", "experiment", "seed000-accumulator", "--out", f.toString());
        assertEquals(2, r.exit, r.err);
        assertTrue(r.err.startsWith("error: " + f + ": --out must be a folder"), r.err);
        assertFalse(r.err.contains("\tat "), r.err);
        assertEquals("", r.out); // rejected before the experiment ran
    }

    @Test
    void ioExceptionsFromAnySubcommandBecomeOneLine() throws Exception {
        // Main's handler: an UncheckedIOException escaping a subcommand (e.g. an output folder that vanished
        // mid-run) prints one line naming the exception and its message.
        picocli.CommandLine cl = Main.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setErr(new java.io.PrintWriter(err, true));
        int code = cl.getExecutionExceptionHandler().handleExecutionException(
                new java.io.UncheckedIOException(new java.nio.file.AccessDeniedException("/some/out/summary.txt")),
                cl, null);
        assertEquals(2, code);
        assertEquals("error: AccessDeniedException: /some/out/summary.txt", err.toString().strip());
    }
}
