package lowp.quant;

import lowp.cli.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The `speed quantize` CLI: output shape and user errors (exit 2, message naming the bad value). */
class SpeedQuantizeCommandTest {
    private static String[] run(int[] rc, String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            picocli.CommandLine cl = Main.commandLine();
            cl.setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
            rc[0] = cl.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[] {o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void printsMedianElementsPerSecondLast() {
        int[] rc = new int[1];
        for (String[] a : new String[][] {
            {"speed", "quantize", "--format", "binary16", "--rounding", "sr", "--n", "5000", "--reps", "3"},
            {"speed", "quantize", "--format", "e4m3fn", "--rounding", "sr8", "--n", "3000", "--threads", "2",
                "--storage", "float", "--reps", "2", "--seed", "7"},
            {"speed", "quantize", "--format", "bfloat16", "--n", "1000", "--reps", "1", "--output", "bits"}}) {
            String[] r = run(rc, a);
            assertEquals(0, rc[0], r[1]);
            String[] lines = r[0].trim().split("\\R");
            assertTrue(lines[lines.length - 1].matches("elements/s: \\d+"), r[0]);
        }
    }

    @Test
    void userMistakesExitTwoNamingTheValue() {
        int[] rc = new int[1];
        String[] r = run(rc, "speed", "quantize", "--format", "binary16", "--storage", "int", "--n", "10");
        assertEquals(2, rc[0]);
        assertTrue(r[1].contains("'int'"), r[1]);
        r = run(rc, "speed", "quantize", "--format", "e9m9zz", "--n", "10");
        assertEquals(2, rc[0]);
        assertTrue(r[1].contains("e9m9zz"), r[1]);
        r = run(rc, "speed", "quantize", "--format", "binary16", "--rounding", "sr99", "--n", "10");
        assertEquals(2, rc[0]);
        assertTrue(r[1].contains("sr99"), r[1]);
    }
}
