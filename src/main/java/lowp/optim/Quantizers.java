package lowp.optim;

import lowp.format.Format;
import lowp.round.Rounding;

/** Parsing of quantizer specs (CLI {@code --format}). */
public final class Quantizers {
    private Quantizers() {
    }

    /**
     * {@code fp64|none} (identity), {@code fixedB} (B bits on [-1,1): delta = 2^-(B-1)), {@code fixed:B:K}
     * (delta = 2^K), {@code fpq:BE:BM[:normal|denormal|ieee][:s=K]}, {@code log:B:DELTA:ZETA}, or any
     * {@link Format} spec (bf16, fp16, e5m10:nosub ...).
     */
    public static Quantizer parse(String spec, Rounding rounding, long seed) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (s.equals("none") || s.equals("id") || s.equals("exact")) {
                return Quantizer.identity();
            }
            if (s.matches("fixed\\d+")) {
                return FixedPointQuantizer.unitRange(Integer.parseInt(s.substring(5)), rounding, seed);
            }
            String[] p = s.split(":");
            if (p[0].equals("fixed")) {
                return new FixedPointQuantizer(Integer.parseInt(p[1]), Integer.parseInt(p[2]), rounding, seed);
            }
            if (p[0].equals("fpq")) {
                PaperFloatQuantizer.Mode mode = PaperFloatQuantizer.Mode.NORMAL;
                int sExp = 0;
                for (int i = 3; i < p.length; i++) {
                    if (p[i].startsWith("s=")) {
                        sExp = Integer.parseInt(p[i].substring(2));
                    } else {
                        mode = PaperFloatQuantizer.Mode.valueOf(p[i].toUpperCase(java.util.Locale.ROOT));
                    }
                }
                return new PaperFloatQuantizer(Integer.parseInt(p[1]), Integer.parseInt(p[2]), sExp, mode, rounding, seed);
            }
            if (p[0].equals("log")) {
                return new LogQuantizer(Double.parseDouble(p[2]), Double.parseDouble(p[3]), Integer.parseInt(p[1]),
                        rounding, seed);
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad quantizer spec '" + spec + "': " + e.getMessage());
        }
        if (s.equals("fp64")) {
            return Quantizer.identity();
        }
        return new FloatQuantizer(Format.parse(spec), rounding, seed);
    }
}
