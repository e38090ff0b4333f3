package lowp.experiments;

import java.io.PrintStream;
import java.nio.file.Path;

/** Run options of a reproduction (CLI flags): format / rounding overrides, seed, output folder, size. */
public final class Options {
    /** Quantizer or format spec override (null: the experiment's default). */
    public String format;
    /** Rounding override (null: the experiment's default). */
    public String rounding;
    public long seed = 1;
    /** Output folder for CSV/JSON (null: none written). */
    public Path out;
    /** Paper-scale sizes (-Dlowp.exhaustive=true or --full). */
    public boolean full = Boolean.getBoolean("lowp.exhaustive");
    /**
     * Backend for the Sgd updates of reproductions that {@link Experiment#acceptsBackend() accept one} (null: the
     * CPU backend). The caller opens and closes it.
     */
    public lowp.backend.Backend backend;
    /** Progress / summary log. */
    public PrintStream log = new PrintStream(java.io.OutputStream.nullOutputStream());

    public Options seed(long s) {
        seed = s;
        return this;
    }

    public Options full(boolean f) {
        full = f;
        return this;
    }

    public Options log(PrintStream p) {
        log = p;
        return this;
    }

    public Options out(Path p) {
        out = p;
        return this;
    }
}
