package lowp.backend;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CI policy of the toolchain-dependent backend tests: skip locally, fail with the reason under CI=true. */
class CiStrictTest {

    @Test
    void strictOnlyUnderCiOrTheProperty() {
        Properties none = new Properties();
        assertTrue(CiStrict.strict(Map.of("CI", "true"), none));
        assertTrue(CiStrict.strict(Map.of("CI", "TRUE"), none));
        assertFalse(CiStrict.strict(Map.of(), none));
        assertFalse(CiStrict.strict(Map.of("CI", "false"), none));
        Properties req = new Properties();
        req.setProperty("lowp.requireGpuToolchain", "true");
        assertTrue(CiStrict.strict(Map.of(), req));
    }

    @Test
    void missingToolFailsInCiAndSkipsLocally() {
        AssertionError e = assertThrows(AssertionError.class, () -> CiStrict.missing(true, "CiStrictTest", "nvcc not found"));
        assertTrue(e.getMessage().contains("nvcc not found") && e.getMessage().contains("CI=true"), e.getMessage());
        TestAbortedException a = assertThrows(TestAbortedException.class,
                () -> CiStrict.missing(false, "CiStrictTest (policy demo, nothing skipped)", "g++ not found"));
        assertTrue(a.getMessage().contains("g++ not found"), a.getMessage());
    }
}
