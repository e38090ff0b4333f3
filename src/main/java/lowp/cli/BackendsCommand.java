package lowp.cli;

import lowp.backend.Backend;
import lowp.backend.BackendUnavailableException;
import lowp.backend.Backends;
import lowp.backend.CpuBackend;
import lowp.backend.QuantSpec;
import lowp.backend.RngKey;
import lowp.format.Format;
import lowp.round.Rounding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code lowp backends [--backend NAME] [--check]}: lists the compute backends (cuda, aparapi, cpu), whether
 * each is available on this machine and why not, and which one {@code best} picks. With {@code --backend}
 * it opens that backend (an unavailable one is an error naming the reason); {@code --check} runs a quick
 * bit-equality check of the chosen backend against the CPU backend.
 */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the GPU/CPU compute backends, their availability and why; optionally check one.")
public final class BackendsCommand implements Callable<Integer> {
    @Option(names = "--backend", paramLabel = "NAME", description = "cuda, aparapi, cpu or best (default: list all)")
    String backend;

    @Option(names = "--check", description = "quantize 100000 values (fp16/bf16/e4m3fn, rne and sr) on the backend and compare with the CPU")
    boolean check;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (backend == null) {
            Map<String, Backends.Status> p = Backends.probe();
            out.println("backend  status       device / reason");
            for (Backends.Status s : p.values()) out.println(s);
            try (Backend b = Backends.best()) {
                out.println("best: " + b.name() + " (" + b.device() + ")");
                if (check) return check(b, out);
            }
            return 0;
        }
        Backend b = open(backend);
        try (b) {
            out.println(b.name() + ": " + b.device());
            if (backend.equalsIgnoreCase("best") || backend.equalsIgnoreCase("auto")) {
                for (Backends.Status s : Backends.lastSkipped()) out.println("  tried " + s);
            }
            return check ? check(b, out) : 0;
        }
    }

    /**
     * Opens the backend named by a CLI {@code --backend} option (cuda, aparapi, cpu, best/auto): an unknown name
     * or an unavailable backend is a user error naming the reason (exit 2, no stack trace).
     */
    static Backend open(String name) {
        try {
            return Backends.open(name);
        } catch (BackendUnavailableException e) {
            throw new UserException(e.getMessage());
        }
    }

    private static int check(Backend b, PrintStream out) {
        SplittableRandom r = new SplittableRandom(1);
        double[] x = new double[100_000];
        for (int i = 0; i < x.length; i++) x[i] = Math.scalb(r.nextDouble(-1, 1), r.nextInt(-20, 20));
        CpuBackend cpu = new CpuBackend();
        int bad = 0;
        for (String f : new String[] {"fp16", "bf16", "e4m3fn"}) {
            for (String m : new String[] {"rne", "sr"}) {
                QuantSpec s = new QuantSpec(Format.parse(f), Rounding.parse(m), new RngKey(1, 0, 0));
                boolean eq = Arrays.equals(cpu.quantize(s, x), b.quantize(s, x));
                out.println("check " + f + "/" + m + ": " + (eq ? "identical to cpu" : "DIFFERS from cpu"));
                if (!eq) bad++;
            }
        }
        return bad == 0 ? 0 : 1;
    }
}
