package lowp.acc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reader for ../shared/data/tensor-core (README there). */
final class TensorCoreData {
    static final Path ROOT = Path.of("../shared/data/tensor-core");

    static boolean present() {
        return Files.isDirectory(ROOT);
    }

    static List<String> lines(Path p) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(p)), StandardCharsets.US_ASCII))) {
            String s;
            while ((s = r.readLine()) != null) {
                if (!s.isBlank()) out.add(s.trim());
            }
        }
        return out;
    }

    static long[][] hexRows(Path p) throws IOException {
        List<String> ls = lines(p);
        long[][] rows = new long[ls.size()][];
        for (int i = 0; i < rows.length; i++) {
            String[] t = ls.get(i).split("\\s+");
            rows[i] = new long[t.length];
            for (int j = 0; j < t.length; j++) rows[i][j] = Long.parseLong(t[j], 16);
        }
        return rows;
    }

    static long[] binaries(Path p) throws IOException {
        List<String> ls = lines(p);
        long[] v = new long[ls.size()];
        for (int i = 0; i < v.length; i++) v[i] = Long.parseLong(ls.get(i), 2);
        return v;
    }
}
