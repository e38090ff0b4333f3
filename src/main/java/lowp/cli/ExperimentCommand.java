package lowp.cli;

import lowp.experiments.Experiment;
import lowp.experiments.Experiments;
import lowp.experiments.Options;
import lowp.experiments.Outcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code experiment --list} names every reproduction; {@code experiment NAME [--format F] [--rounding R]
 * [--seed N] [--out DIR | --no-out] [--full]} runs one, prints the summary (bound vs measurement) and one
 * {@code claim: <text>: holds|fails} line per asserted claim, writes CSV + summary.txt/json into DIR (default
 * out/NAME, under the folder named by the system property {@code lowp.out} if set), and exits 1 if any claim
 * fails. {@code --format} / {@code --rounding} given to a reproduction that fixes its formats / roundings are
 * rejected (exit 2), never silently ignored. {@code --backend NAME} (cpu default, aparapi, cuda, best) runs the
 * Sgd updates of the reproductions that train with lowp.optim.Sgd on that backend; an unknown or unavailable
 * backend, or {@code --backend} for a reproduction without Sgd updates, is a one-line error (exit 2).
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Run a reproduction of the seed papers' experiments with its claims asserted.")
public final class ExperimentCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "reproduction to run (see --list)")
    String name;

    @Option(names = "--list", description = "list the reproductions")
    boolean list;

    @Option(names = "--format", description = "quantizer / format override (e.g. fixed8, fpq:5:10:normal, bf16)")
    String format;

    @Option(names = "--rounding", description = "rounding override (rne, sr, ...)")
    String rounding;

    @Option(names = "--seed", description = "seed (default 1)")
    long seed = 1;

    @Option(names = "--out", description = "output folder for CSV and summary files (default: out/NAME)")
    Path out;

    @Option(names = "--no-out", description = "do not write CSV and summary files")
    boolean noOut;

    @Option(names = "--full", description = "paper-scale sizes (slow)")
    boolean full;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "cpu (default), aparapi, cuda or best: where the Sgd updates run, for the reproductions that"
                    + " train with lowp.optim.Sgd (same bits on every backend; see lowp backends); rejected by the others")
    String backend;

    @Override
    public Integer call() {
        if (list || name == null) {
            for (Experiment e : Experiments.all()) {
                System.out.printf("%-26s %s%n", e.name(), e.description());
                System.out.printf("%-26s   --format: %s; --rounding: %s; --backend: %s%n", "",
                        e.formatOption() == null ? "not accepted" : e.formatOption(),
                        e.roundingOption() == null ? "not accepted" : e.roundingOption(),
                        e.acceptsBackend() ? "cpu (default), aparapi, cuda, best" : "not accepted");
            }
            return 0;
        }
        if (out != null && java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) {
            throw new UserException(out + ": --out must be a folder, but it is a file"); // before a long run
        }
        Experiment e = Experiments.get(name);
        if (format != null && e.formatOption() == null) {
            throw new UserException("experiment " + name + " takes no --format (its number formats are part of the"
                    + " reproduction; see experiment --list)");
        }
        if (rounding != null && e.roundingOption() == null) {
            throw new UserException("experiment " + name + " takes no --rounding (its roundings are part of the"
                    + " reproduction; see experiment --list)");
        }
        if (backend != null && !e.acceptsBackend()) {
            throw new UserException("experiment " + name + " takes no --backend (its updates do not go through"
                    + " lowp.optim.Sgd; see experiment --list)");
        }
        if (rounding != null) {
            lowp.round.Rounding.parse(rounding); // validate early: IllegalArgumentException names the value
        }
        if (out != null && noOut) {
            throw new UserException("--out and --no-out exclude each other");
        }
        Path dir = noOut ? null : out != null ? out : defaultOut(name);
        Options o = new Options();
        o.format = format;
        o.rounding = rounding;
        o.seed = seed;
        o.out = dir;
        o.full = full || o.full;
        o.log = System.out;
        Outcome r;
        lowp.backend.Backend be = null;
        try {
            if (backend != null) {
                try {
                    be = BackendsCommand.open(backend); // unavailable: UserException naming the reason (exit 2)
                } catch (IllegalArgumentException ex) {
                    throw new UserException(ex.getMessage()); // unknown name
                }
            }
            o.backend = be;
            r = e.run(o);
        } finally {
            if (be != null) {
                be.close();
            }
        }
        if (dir != null) {
            r.write(dir);
            System.out.println("wrote CSV + summary.txt/json to " + dir);
        }
        r.print(System.out); // ends with the claim lines
        return r.allHold() ? 0 : 1;
    }

    /** out/NAME, relative to the folder in the system property lowp.out if set (else the working directory). */
    static Path defaultOut(String name) {
        String base = System.getProperty("lowp.out");
        return (base == null ? Path.of("out") : Path.of(base)).resolve(name);
    }
}
