package lowp.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.*;

/** demo's extra sections decide its exit code: a section returning false makes demo exit 1. */
class DemoExitCodeTest {
    public static final class Failing {
        public static boolean run(PrintStream out) {
            out.println("claim: something: fails");
            return false;
        }
    }

    public static final class Passing {
        public static boolean run(PrintStream out) {
            return true;
        }
    }

    public static final class Legacy {
        public static void run(PrintStream out) {
        }
    }

    @Test
    void sectionResultDecidesTheExitCode() throws Exception {
        PrintStream p = new PrintStream(new ByteArrayOutputStream(), true);
        assertFalse(DemoCommand.runSections(p, Failing.class.getName()));
        assertTrue(DemoCommand.runSections(p, Passing.class.getName()));
        assertTrue(DemoCommand.runSections(p, Legacy.class.getName()), "a void section cannot fail");
        assertTrue(DemoCommand.runSections(p, "lowp.no.Such"), "no section: nothing to fail");
    }
}
