package lowp.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process with redirected stdin/stdout/stderr. */
final class CliRunner {
    final int exit;
    final String out;
    final String err;

    private CliRunner(int exit, String out, String err) {
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    static synchronized CliRunner run(String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream bout = new ByteArrayOutputStream();
        StringWriter errw = new StringWriter();
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            PrintStream ps = new PrintStream(bout, true, StandardCharsets.UTF_8);
            System.setOut(ps);
            picocli.CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(errw, true));
            cl.setOut(new PrintWriter(ps, true));
            int code = cl.execute(args);
            ps.flush();
            return new CliRunner(code, bout.toString(StandardCharsets.UTF_8), errw.toString());
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
        }
    }
}
