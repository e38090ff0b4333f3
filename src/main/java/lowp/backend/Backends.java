package lowp.backend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Backend discovery and selection. {@link #best()} tries CUDA (needs libcuda, a device and the packaged PTX),
 * then Aparapi on an OpenCL device, then the CPU, and records why each skipped backend was unavailable
 * ({@link #probe()}). {@link #open(String)} forces one by name ("cpu", "aparapi", "cuda", or "best"/"auto")
 * and throws {@link BackendUnavailableException} with the reason when it cannot be opened.
 */
public final class Backends {
    private Backends() {
    }

    public static final List<String> NAMES = List.of("cuda", "aparapi", "cpu");

    /** One probe result: the backend name, whether it opened, and the device or the reason it did not. */
    public record Status(String name, boolean available, String detail) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-8s %s  %s", name, available ? "available  " : "unavailable", detail);
        }
    }

    /** Opens a backend by name; "best" or "auto" picks {@link #best()}. */
    public static Backend open(String name) {
        String n = name == null ? "best" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "cpu":
                return new CpuBackend();
            case "aparapi":
            case "opencl":
                return AparapiBackend.open();
            case "cuda":
                return CudaBackend.open();
            case "best":
            case "auto":
                return best();
            default:
                throw new IllegalArgumentException("bad backend '" + name + "' (expected cuda, aparapi, cpu or best)");
        }
    }

    private static final List<Status> LAST = new ArrayList<>();

    /** CUDA if a device and the driver load, else Aparapi on an OpenCL device, else CPU; see {@link #lastSkipped()}. */
    public static synchronized Backend best() {
        LAST.clear();
        for (String n : NAMES) {
            try {
                Backend b = open(n);
                LAST.add(new Status(n, true, b.device()));
                return b;
            } catch (BackendUnavailableException e) {
                LAST.add(new Status(n, false, e.reason()));
            } catch (Throwable t) {
                LAST.add(new Status(n, false, describe(t)));
            }
        }
        throw new AssertionError("the CPU backend always opens");
    }

    /** What the last {@link #best()} tried, in order: skipped backends with their reasons, then the chosen one. */
    public static synchronized List<Status> lastSkipped() {
        return List.copyOf(LAST);
    }

    /** Tries every backend (opening and closing it) and reports availability and reasons. */
    public static Map<String, Status> probe() {
        Map<String, Status> r = new LinkedHashMap<>();
        for (String n : NAMES) {
            try (Backend b = open(n)) {
                r.put(n, new Status(n, true, b.device()));
            } catch (BackendUnavailableException e) {
                r.put(n, new Status(n, false, e.reason()));
            } catch (Throwable t) {
                r.put(n, new Status(n, false, describe(t)));
            }
        }
        return r;
    }

    /** A one-line description of a failure (class and message, first cause). */
    static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Throwable c = t;
        for (int depth = 0; c != null && depth < 3; depth++, c = c.getCause()) {
            if (sb.length() > 0) sb.append("; caused by ");
            sb.append(c.getClass().getSimpleName());
            if (c.getMessage() != null) sb.append(": ").append(c.getMessage().split("\n")[0]);
        }
        return sb.toString();
    }
}
