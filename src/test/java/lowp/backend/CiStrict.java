package lowp.backend;

import org.junit.jupiter.api.Assumptions;

import java.util.Map;
import java.util.Properties;

/**
 * What a backend test does when its tool or platform (nvcc, g++, an OpenCL platform) is missing: locally it
 * skips with the reason; in CI (environment variable {@code CI=true}, or {@code -Dlowp.requireGpuToolchain=true})
 * it fails with a message naming what is missing, so CI can never pass without compiling the kernels, running
 * their host numerics and running Aparapi on OpenCL. Public for lowp.cli.HardwareOracleTest (gcc).
 */
public final class CiStrict {
    private CiStrict() {
    }

    static boolean strict() {
        return strict(System.getenv(), System.getProperties());
    }

    static boolean strict(Map<String, String> env, Properties props) {
        return "true".equalsIgnoreCase(env.get("CI")) || Boolean.parseBoolean(props.getProperty("lowp.requireGpuToolchain"));
    }

    /** Fails (strict) or aborts the test (skip) because {@code what} is missing. Never returns. */
    public static void missing(String testClass, String what) {
        missing(strict(), testClass, what);
    }

    static void missing(boolean strict, String testClass, String what) {
        if (strict) {
            throw new AssertionError("[" + testClass + "] " + what
                    + " -- required when CI=true (or -Dlowp.requireGpuToolchain=true); install it or unset CI to skip");
        }
        System.out.println("[" + testClass + "] skipped: " + what);
        Assumptions.abort(what);
    }
}
