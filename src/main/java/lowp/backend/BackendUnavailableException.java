package lowp.backend;

/** A backend cannot be opened on this machine; the message says why (no libcuda, no device, ...). */
public final class BackendUnavailableException extends RuntimeException {
    private final String backend;

    public BackendUnavailableException(String backend, String reason) {
        super(backend + " backend unavailable: " + reason);
        this.backend = backend;
    }

    public String backend() {
        return backend;
    }

    /** The reason alone. */
    public String reason() {
        String m = getMessage();
        int i = m.indexOf(": ");
        return i < 0 ? m : m.substring(i + 2);
    }
}
