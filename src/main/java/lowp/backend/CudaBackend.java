package lowp.backend;

/** Placeholder, replaced below. */
final class CudaBackend {
    static Backend open() {
        throw new BackendUnavailableException("cuda", "not built");
    }
}
