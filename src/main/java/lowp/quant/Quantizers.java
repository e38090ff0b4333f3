package lowp.quant;

import lowp.format.Format;
import lowp.round.Rounding;

import java.util.Locale;

/**
 * Quantizers from one spec string, for command-line options: {@code GRID/ROUNDING} (rounding default rne),
 * where GRID is
 * <ul>
 *   <li>a format spec of {@link Format#parse} ({@code binary16}, {@code e4m3fn:sat}, {@code e5m2:nosub}, ...)
 *   with optional policies {@code ,flush} (underflow FLUSH) and {@code ,clamp} (overflow CLAMP);</li>
 *   <li>{@code fixed:sW.F} or {@code fixed:uW.F} (word length W, fraction length F), optional {@code ,wrap}
 *   (default saturate), e.g. {@code fixed:s8.4/sr};</li>
 *   <li>{@code log:DELTA,ZETA,B} (seed 002 logarithmic grid with B bits);</li>
 *   <li>an MX type {@code mxfp8_e4m3 mxfp8_e5m2 mxfp6_e3m2 mxfp6_e2m3 mxfp4_e2m1 mxint8}, or {@code nvfp4}.</li>
 * </ul>
 * Examples: {@code binary16/sr}, {@code bfloat16/sr8}, {@code e4m3fn,clamp/sr}, {@code fixed:s16.8/rne},
 * {@code log:0.01,0.1,8/sr}, {@code mxfp4_e2m1/rne}.
 */
public final class Quantizers {
    private Quantizers() {
    }

    public static Quantizer parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty quantizer spec");
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int slash = s.lastIndexOf('/');
        String grid = slash < 0 ? s : s.substring(0, slash);
        Rounding r = slash < 0 ? Rounding.RNE : Rounding.parse(s.substring(slash + 1));
        try {
            if (grid.startsWith("fixed:")) {
                String[] parts = grid.substring(6).split(",");
                String wf = parts[0];
                boolean signed;
                if (wf.startsWith("s")) signed = true;
                else if (wf.startsWith("u")) signed = false;
                else throw new IllegalArgumentException("expected sW.F or uW.F");
                String[] nums = wf.substring(1).split("\\.");
                if (nums.length != 2) throw new IllegalArgumentException("expected sW.F or uW.F");
                FixedPointQuantizer.OverflowMode o = FixedPointQuantizer.OverflowMode.SATURATE;
                for (int i = 1; i < parts.length; i++) {
                    if (parts[i].equals("wrap")) o = FixedPointQuantizer.OverflowMode.WRAP;
                    else if (parts[i].equals("sat") || parts[i].equals("saturate")) o = FixedPointQuantizer.OverflowMode.SATURATE;
                    else throw new IllegalArgumentException("unknown option '" + parts[i] + "'");
                }
                return new FixedPointQuantizer(Integer.parseInt(nums[0]), Integer.parseInt(nums[1]), signed, r, o);
            }
            if (grid.startsWith("log:")) {
                String[] p = grid.substring(4).split(",");
                if (p.length != 3) throw new IllegalArgumentException("expected log:DELTA,ZETA,B");
                return GridQuantizer.logarithmic(Double.parseDouble(p[0]), Double.parseDouble(p[1]),
                        Integer.parseInt(p[2]), r);
            }
            if (grid.startsWith("mx")) {
                return BlockQuantizer.mx(grid, r);
            }
            if (grid.equals("nvfp4")) {
                return BlockQuantizer.nvfp4(r);
            }
            String[] parts = grid.split(",");
            FloatQuantizer.Underflow u = FloatQuantizer.Underflow.GRADUAL;
            FloatQuantizer.Overflow o = FloatQuantizer.Overflow.FORMAT;
            for (int i = 1; i < parts.length; i++) {
                switch (parts[i]) {
                    case "flush": u = FloatQuantizer.Underflow.FLUSH; break;
                    case "gradual": u = FloatQuantizer.Underflow.GRADUAL; break;
                    case "clamp": o = FloatQuantizer.Overflow.CLAMP; break;
                    case "format": o = FloatQuantizer.Overflow.FORMAT; break;
                    default: throw new IllegalArgumentException("unknown policy '" + parts[i]
                            + "' (expected flush, gradual, clamp or format)");
                }
            }
            return new FloatQuantizer(Format.parse(parts[0]), r, u, o);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad quantizer spec '" + spec + "': " + e.getMessage());
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains(spec.trim())) throw e;
            throw new IllegalArgumentException("bad quantizer spec '" + spec + "': " + e.getMessage());
        }
    }
}
