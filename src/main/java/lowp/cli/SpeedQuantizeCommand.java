package lowp.cli;

import lowp.format.Format;
import lowp.quant.FloatQuantizer;
import lowp.rng.RandomKey;
import lowp.round.Rounding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code lowp speed quantize}: throughput of the array quantizer (fp64 or fp32 storage in, values out, in
 * place-free out-of-place call), median elements/s over repeated runs after a warm-up. Last line
 * {@code elements/s: N}. JMH benchmarks (bench/, lowp.bench.quant) are the reference measurements.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = "Measure array quantization throughput (median of repetitions; last line 'elements/s: N').")
public final class SpeedQuantizeCommand implements Callable<Integer> {
    @Option(names = "--format", required = true, description = "Target format, e.g. binary16, bfloat16, e4m3fn, e5m2.")
    String format;

    @Option(names = "--rounding", defaultValue = "rne", description = "Rounding: rne rna rtz rup rdn rto sr sr-equal srN (default rne).")
    String rounding;

    @Option(names = "--n", defaultValue = "10000000", description = "Elements per array (default 10^7).")
    int n;

    @Option(names = "--threads", defaultValue = "1", description = "Threads (default 1).")
    int threads;

    @Option(names = "--storage", defaultValue = "double", description = "Input/output storage: double or float (default double).")
    String storage;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the data and of the stochastic-rounding stream.")
    long seed;

    @Option(names = "--reps", defaultValue = "15", description = "Measured repetitions (default 15, after 5 warm-up runs).")
    int reps;

    @Option(names = "--output", description = "values (quantized doubles/floats; default with --backend cpu) or bits (bit patterns: long[] on cpu, int[] on the other backends, their only output).")
    String output;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "cpu",
            description = "cpu (default: lowp.quant.FloatQuantizer), aparapi, cuda or best: quantize through that lowp.backend backend (see lowp backends).")
    String backend;

    @Override
    public Integer call() {
        Format f = Format.parse(format);
        Rounding r = Rounding.parse(rounding);
        if (n < 1) throw new IllegalArgumentException("bad --n " + n + " (must be >= 1)");
        if (threads < 1) throw new IllegalArgumentException("bad --threads " + threads + " (must be >= 1)");
        if (reps < 1) throw new IllegalArgumentException("bad --reps " + reps + " (must be >= 1)");
        String st = storage.toLowerCase(Locale.ROOT);
        if (!st.equals("double") && !st.equals("float")) {
            throw new IllegalArgumentException("bad --storage '" + storage + "' (expected double or float)");
        }
        boolean onCpu = backend.equalsIgnoreCase("cpu");
        String out = output == null ? (onCpu ? "values" : "bits") : output.toLowerCase(Locale.ROOT);
        if (!out.equals("values") && !out.equals("bits")) {
            throw new IllegalArgumentException("bad --output '" + output + "' (expected values or bits)");
        }
        FloatQuantizer q = new FloatQuantizer(f, r);
        if (out.equals("values") && !f.fitsInDouble()) {
            throw new IllegalArgumentException("format '" + format + "' has values that are not doubles; use --output bits");
        }
        if (out.equals("values") && st.equals("float")
                && !(f.manBits() <= 23 && f.emax() <= 127 && f.minQuantumExp() >= -149)) {
            throw new IllegalArgumentException("format '" + format + "' has values that are not floats; use --storage double");
        }
        Random rnd = new Random(seed);
        double[] xd = null, yd = null;
        float[] xf = null, yf = null;
        long[] bits = out.equals("bits") ? new long[n] : null;
        if (st.equals("double")) {
            xd = new double[n];
            for (int i = 0; i < n; i++) xd[i] = rnd.nextGaussian();
            if (bits == null) yd = new double[n];
        } else {
            xf = new float[n];
            for (int i = 0; i < n; i++) xf[i] = (float) rnd.nextGaussian();
            if (bits == null) yf = new float[n];
        }
        if (!onCpu) {
            if (!out.equals("bits")) {
                throw new IllegalArgumentException("--output '" + output + "' is not available with --backend " + backend
                        + " (the backends return bit patterns: use --output bits)");
            }
            if (threads != 1) {
                throw new IllegalArgumentException("--threads " + threads + " applies only to --backend cpu");
            }
            return onBackend(f, r, st, xd, xf);
        }
        System.out.println("backend: cpu (lowp.quant.FloatQuantizer)");
        RandomKey key = RandomKey.of(seed, 0, 0);
        double[] rates = new double[reps];
        for (int it = -5; it < reps; it++) {
            long t0 = System.nanoTime();
            if (xd != null) {
                if (bits != null) q.encode(xd, 0, bits, 0, n, key, 0, threads);
                else q.quantize(xd, 0, yd, 0, n, key, 0, threads);
            } else {
                if (bits != null) q.encode(xf, 0, bits, 0, n, key, 0, threads);
                else q.quantize(xf, 0, yf, 0, n, key, 0, threads);
            }
            long t1 = System.nanoTime();
            if (it >= 0) rates[it] = n / ((t1 - t0) / 1e9);
        }
        return report(rates, st, f, r, out);
    }

    /** Same measurement through a lowp.backend Backend (same Philox words: RngKey(seed, 0, 0)). */
    private int onBackend(Format f, Rounding r, String st, double[] xd, float[] xf) {
        try (lowp.backend.Backend b = BackendsCommand.open(backend)) {
            System.out.println("backend: " + b.name() + " (" + b.device() + ")");
            lowp.backend.QuantSpec spec = new lowp.backend.QuantSpec(f, r, new lowp.backend.RngKey(seed, 0, 0));
            double[] rates = new double[reps];
            for (int it = -5; it < reps; it++) {
                long t0 = System.nanoTime();
                int[] bits = xd != null ? b.quantize(spec, xd) : b.quantize(spec, xf);
                long t1 = System.nanoTime();
                if (bits.length != n) throw new IllegalStateException("backend returned " + bits.length + " results");
                if (it >= 0) rates[it] = n / ((t1 - t0) / 1e9);
            }
            return report(rates, st, f, r, "bits");
        }
    }

    private int report(double[] rates, String st, Format f, Rounding r, String out) {
        Arrays.sort(rates);
        double med = reps % 2 == 1 ? rates[reps / 2] : (rates[reps / 2 - 1] + rates[reps / 2]) / 2;
        System.out.printf(Locale.ROOT, "quantize %s -> %s, rounding %s, n %d, threads %d, output %s%n", st, f, r, n,
                threads, out);
        System.out.printf(Locale.ROOT, "min %.0f  median %.0f  max %.0f elements/s over %d runs%n", rates[0], med,
                rates[reps - 1], reps);
        System.out.printf(Locale.ROOT, "elements/s: %.0f%n", med);
        return 0;
    }
}
