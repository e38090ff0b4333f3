package lowp.cli;

import lowp.acc.AccumulatorModel;
import lowp.acc.Lane;
import lowp.acc.Packed;
import lowp.acc.Profiles;
import lowp.format.Format;
import lowp.ref.RefOps;
import lowp.round.Env;
import lowp.round.Rounding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;

/**
 * {@code lowp dot --profile NAME --a FILE --b FILE [--c FILE]}: d = a·b + c per line under a hardware
 * accumulator profile (docs/accumulators.md). Line j of a and b holds the K values of dot product j as
 * binary32 hex patterns (whitespace-separated, the layout of the tensor-core data sets); line j of c holds
 * one binary32 as 8 hex digits or as a 32-character binary string. Files may be gzip-compressed. Output:
 * one d per line as 8 lowercase hex digits of the binary32 with d's value (an fp16 result is printed as
 * the binary32 of the same value).
 *
 * <p>Conversions: a and b values must be exactly representable in the profile's input format, except for
 * tf32 inputs, whose low 13 bits are dropped (the hardware's conversion). c is converted to the output
 * format with round-to-nearest-even (exact for fp32 outputs).
 */
@Command(name = "dot", mixinStandardHelpOptions = true,
        description = "Dot products d = a.b + c under a GPU tensor-core accumulator profile (binary32 hex I/O).")
public final class DotCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "NAME", description = "accumulator profile, e.g. h100-fp16-fp32")
    String profile;

    @Option(names = "--a", paramLabel = "FILE", description = "a operands: one dot product per line, K binary32 hex values")
    Path aFile;

    @Option(names = "--b", paramLabel = "FILE", description = "b operands, same layout as --a")
    Path bFile;

    @Option(names = "--c", paramLabel = "FILE", description = "addends: one binary32 per line (hex or 32-char binary); default +0")
    Path cFile;

    @Option(names = "--list-profiles", description = "list the shipped profiles with their parameters")
    boolean list;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "cpu",
            description = "cpu (default), aparapi, cuda or best: where the dot products run (same bits; see lowp backends)")
    String backend;

    public DotCommand() {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            for (Profiles.Profile p : Profiles.all()) {
                out.println(p.name + "\t" + p.model.describe() + "\t" + p.dataNote() + "\t" + p.source);
            }
            out.flush();
            return 0;
        }
        if (profile == null || aFile == null || bFile == null) {
            throw new UserException("dot needs --profile NAME --a FILE --b FILE [--c FILE] (or --list-profiles)");
        }
        AccumulatorModel model = Profiles.get(profile);
        Format in = model.inputFormat();
        Format outF = model.outputFormat();
        List<long[]> a = readRows(aFile);
        List<long[]> b = readRows(bFile);
        if (a.size() != b.size()) {
            throw new UserException(bFile + ": has " + b.size() + " lines but " + aFile + " has " + a.size());
        }
        long[] c = cFile == null ? null : readScalars(cFile);
        if (c != null && c.length != a.size()) {
            throw new UserException(cFile + ": has " + c.length + " lines but " + aFile + " has " + a.size());
        }
        // --backend other than cpu: the lines run as batched dot products on that backend (lowp.backend.DotBatch)
        lowp.backend.DotBatch dev = backend.equalsIgnoreCase("cpu") ? null
                : new lowp.backend.DotBatch(BackendsCommand.open(backend), lowp.backend.GemmSpec.fromProfile(profile));
        Lane lane = new Lane(null);
        Env env = new Env(Rounding.RNE);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
            long[] ar = a.get(i);
            long[] br = b.get(i);
            if (ar.length != br.length) {
                throw new UserException(bFile + ":" + (i + 1) + ": " + br.length + " values but " + aFile + ":"
                        + (i + 1) + " has " + ar.length);
            }
            long[] pa = new long[ar.length];
            long[] pb = new long[br.length];
            for (int j = 0; j < ar.length; j++) {
                pa[j] = input(in, ar[j], aFile, i, j);
                pb[j] = input(in, br[j], bFile, i, j);
            }
            long cb = c == null ? 0 : c[i];
            long pc = Packed.fromBits(outF, RefOps.convert(Format.BINARY32, cb, outF, env));
            if (dev != null) {
                dev.add(pa, pb, pc);
                continue;
            }
            lane.start(i);
            long d = model.dotPacked(pa, 0, 1, pb, 0, 1, pa.length, pc, lane);
            append(sb, d, out);
        }
        if (dev != null) {
            try (dev) {
                for (long d : dev.run()) append(sb, d, out);
            }
        }
        out.print(sb);
        out.flush();
        return 0;
    }

    private static void append(StringBuilder sb, long d, PrintWriter out) {
        float v = (float) Packed.toDouble(d);
        int bits = Float.isNaN(v) ? 0x7FC00000 : Float.floatToRawIntBits(v);
        sb.append(String.format(Locale.ROOT, "%08x", bits)).append('\n');
        if (sb.length() > 1 << 16) {
            out.print(sb);
            sb.setLength(0);
        }
    }

    private static long input(Format in, long bits32, Path file, int line, int idx) {
        if (in.equals(Format.TF32)) {
            bits32 &= ~0x1FFFL; // tf32 conversion of the hardware: low 13 bits dropped
        }
        double v = Float.intBitsToFloat((int) bits32);
        try {
            return Packed.fromDouble(in, v);
        } catch (IllegalArgumentException e) {
            throw new UserException(file + ":" + (line + 1) + ": value " + (idx + 1) + " '"
                    + String.format(Locale.ROOT, "%08x", bits32) + "' (" + v + ") is not a value of the profile's input format "
                    + in);
        }
    }

    /**
     * The lines of p (gzip detected by its magic bytes). Every I/O failure (missing, unreadable, a directory,
     * corrupt or truncated gzip) becomes a {@link UserException} naming the file, so the CLI prints one
     * {@code error:} line and exits with 2.
     */
    static List<String> lines(Path p) {
        try {
            return readLines(p);
        } catch (NoSuchFileException e) {
            throw new UserException(p + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UserException(p + ": cannot read (permission denied)");
        } catch (IOException | java.io.UncheckedIOException e) {
            Throwable t = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
            String why = t.getMessage() == null || t.getMessage().equals(p.toString())
                    ? t.getClass().getSimpleName() : t.getMessage();
            if (Files.isDirectory(p)) {
                why = "is a directory";
            } else if (t instanceof java.io.EOFException || t instanceof java.util.zip.ZipException) {
                why = "corrupt or truncated gzip data (" + why + ")";
            }
            throw new UserException(p + ": cannot read (" + why + ")");
        }
    }

    private static List<String> readLines(Path p) throws IOException {
        try (InputStream is = new BufferedInputStream(Files.newInputStream(p))) {
            is.mark(2);
            int b0 = is.read();
            int b1 = is.read();
            is.reset();
            InputStream src = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(is) : is;
            BufferedReader r = new BufferedReader(new InputStreamReader(src, StandardCharsets.US_ASCII));
            List<String> out = new ArrayList<>();
            String s;
            while ((s = r.readLine()) != null) {
                out.add(s);
            }
            // a trailing empty line is not a dot product
            while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
                out.remove(out.size() - 1);
            }
            return out;
        }
    }

    static List<long[]> readRows(Path p) {
        List<String> ls = lines(p);
        List<long[]> rows = new ArrayList<>(ls.size());
        for (int i = 0; i < ls.size(); i++) {
            String line = ls.get(i).trim();
            if (line.isEmpty()) {
                throw new UserException(p + ":" + (i + 1) + ": empty line (expected K binary32 hex values)");
            }
            String[] t = line.split("\\s+");
            long[] row = new long[t.length];
            for (int j = 0; j < t.length; j++) {
                row[j] = hex32(t[j], p, i);
            }
            rows.add(row);
        }
        return rows;
    }

    static long[] readScalars(Path p) {
        List<String> ls = lines(p);
        long[] v = new long[ls.size()];
        for (int i = 0; i < v.length; i++) {
            String t = ls.get(i).trim();
            if (t.length() == 32 && t.chars().allMatch(ch -> ch == '0' || ch == '1')) {
                v[i] = Long.parseLong(t, 2);
            } else {
                if (t.contains(" ") || t.contains("\t")) {
                    throw new UserException(p + ":" + (i + 1) + ": bad token '" + t
                            + "' (expected one binary32 per line: 8 hex digits or 32 binary digits)");
                }
                v[i] = hex32(t, p, i);
            }
        }
        return v;
    }

    static long hex32(String t, Path p, int line) {
        String s = t.startsWith("0x") || t.startsWith("0X") ? t.substring(2) : t;
        if (s.isEmpty() || s.length() > 8 || !s.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw new UserException(p + ":" + (line + 1) + ": bad token '" + t
                    + "' (expected a binary32 bit pattern as up to 8 hex digits)");
        }
        return Long.parseLong(s, 16);
    }
}
