package lowp.optim;

import lowp.round.Rounding;

import java.util.Locale;

/**
 * Parsing of optimizer quantizer specs (CLI {@code --format}): the grammar of {@link lowp.quant.Quantizers#parse}
 * (one grammar for the whole library) with the rounding given separately, plus the optimizer's own names.
 * <ul>
 *   <li>{@code fp64}, {@code none}, {@code id}, {@code exact}: the identity (full-precision SGD);</li>
 *   <li>{@code fixedB}: shorthand for {@code fixed:sB.(B-1)}, B bits on [-1, 1) (delta = 2^-(B-1));</li>
 *   <li>{@code fpq:BE:BM[:normal|denormal|ieee][:s=K]}: seed 002's floating-point sets ({@link PaperFloatQuantizer});</li>
 *   <li>everything else is a lowp.quant spec: a format ({@code bf16}, {@code fp16}, {@code e5m10:nosub}, ...),
 *   {@code fixed:sW.F} (signed, saturating: dom(2^-F, W)), {@code log:DELTA,ZETA,B}. A {@code /ROUNDING} suffix
 *   is not allowed (the rounding is a separate option). Block- and tensor-scaled quantizers are rejected
 *   (an optimizer quantizes coordinates one by one).</li>
 * </ul>
 * The former forms {@code fixed:B:K} and {@code log:B:DELTA:ZETA} are rejected with the equivalent new spec.
 */
public final class Quantizers {
    private Quantizers() {
    }

    public static Quantizer parse(String spec, Rounding rounding, long seed) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.equals("none") || s.equals("id") || s.equals("exact") || s.equals("fp64")) {
                return Quantizer.identity();
            }
            if (s.matches("fixed\\d+")) {
                return FixedPointQuantizer.unitRange(Integer.parseInt(s.substring(5)), rounding, seed);
            }
            if (s.contains("/")) {
                throw new IllegalArgumentException("give the rounding with its own option, not as '/R' in the spec");
            }
            String[] p = s.split(":");
            if (p[0].equals("fixed") && p.length == 3) {
                throw new IllegalArgumentException("'fixed:B:K' is no longer accepted: write fixed:sB.F with F = -K"
                        + " (e.g. fixed:s12.6 for 12 bits, delta = 2^-6)");
            }
            if (p[0].equals("log") && p.length == 4) {
                throw new IllegalArgumentException("'log:B:DELTA:ZETA' is no longer accepted: write log:DELTA,ZETA,B");
            }
            if (p[0].equals("fpq")) {
                PaperFloatQuantizer.Mode mode = PaperFloatQuantizer.Mode.NORMAL;
                int sExp = 0;
                for (int i = 3; i < p.length; i++) {
                    if (p[i].startsWith("s=")) {
                        sExp = Integer.parseInt(p[i].substring(2));
                    } else {
                        mode = PaperFloatQuantizer.Mode.valueOf(p[i].toUpperCase(Locale.ROOT));
                    }
                }
                return new PaperFloatQuantizer(Integer.parseInt(p[1]), Integer.parseInt(p[2]), sExp, mode, rounding, seed);
            }
            return adapt(lowp.quant.Quantizers.parse(spec.trim() + "/" + rounding), seed);
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().contains("'" + spec.trim() + "'")) {
                throw e;
            }
            throw new IllegalArgumentException("bad quantizer spec '" + spec + "': " + e.getMessage());
        }
    }

    /** The optimizer adapter of an elementwise lowp.quant quantizer (same results bit for bit). */
    public static Quantizer adapt(lowp.quant.Quantizer q, long seed) {
        if (q instanceof lowp.quant.FloatQuantizer) {
            return new FloatQuantizer((lowp.quant.FloatQuantizer) q, seed);
        }
        if (q instanceof lowp.quant.FixedPointQuantizer) {
            return new FixedPointQuantizer((lowp.quant.FixedPointQuantizer) q, seed);
        }
        if (q instanceof lowp.quant.GridQuantizer) {
            return new GridAdapter((lowp.quant.GridQuantizer) q, seed);
        }
        throw new IllegalArgumentException(q + " is not an elementwise quantizer (block- and tensor-scaled"
                + " quantizers need whole tensors; an optimizer quantizes coordinates one by one)");
    }

    /** Definition-1 parameters (doubles) of an sr grid via lowp.quant.VarianceParams; eta = zeta^2/(4(1+zeta)). */
    static Quantizer.VarianceParams paramsOfSrGrid(lowp.quant.Quantizer srGrid) {
        lowp.quant.VarianceParams v = lowp.quant.VarianceParams.of(srGrid);
        return Quantizer.VarianceParams.of(v.delta().doubleValue(), v.zeta().doubleValue());
    }

    /** Any lowp.quant grid quantizer (log:DELTA,ZETA,B) as an optimizer quantizer; words from stream 13. */
    static final class GridAdapter implements Quantizer {
        private final lowp.quant.GridQuantizer q;
        private final long seed;
        private final double max;
        private VarianceParams params;

        GridAdapter(lowp.quant.GridQuantizer q, long seed) {
            this.q = q;
            this.seed = seed;
            double[] g = q.grid();
            this.max = g[g.length - 1];
        }

        @Override
        public double apply(double x, long index) {
            return q.quantize(x, q.isStochastic() ? Rng.word(seed, LogQuantizer.STREAM, index) : 0L);
        }

        @Override
        public String name() {
            return q.toString();
        }

        @Override
        public boolean stochastic() {
            return q.isStochastic();
        }

        @Override
        public synchronized VarianceParams params() {
            if (params == null) {
                lowp.quant.GridQuantizer sr = new lowp.quant.GridQuantizer(q.grid(), Rounding.SR, q.naturalZeta(),
                        q.toString());
                params = paramsOfSrGrid(sr);
            }
            return params;
        }

        @Override
        public double maxValue() {
            return max;
        }
    }
}
