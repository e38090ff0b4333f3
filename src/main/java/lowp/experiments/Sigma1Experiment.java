package lowp.experiments;

import lowp.optim.Metrics;
import lowp.optim.Quantizer;
import lowp.round.Rounding;

/**
 * Seed 002 Fig. 2(c): at d = 1024 with beta = 0.8/sqrt(s) (sigma = 0.8 fixed, sigma1 = 0.8 sqrt(2s/pi)
 * growing with s), the low-precision noise ball grows with sigma1 while full-precision SGD stays nearly flat.
 */
public final class Sigma1Experiment implements Experiment {
    @Override
    public String name() {
        return "seed002-sigma1";
    }

    @Override
    public String description() {
        return "noise ball vs sigma1 at d=1024: 6-bit LP-SGD grows >= 10x, fp64 SGD changes < 1.6x";
    }

    @Override
    public Outcome run(Options o) {
        Outcome out = new Outcome(name());
        String spec = o.format == null ? "fixed6" : o.format;
        Rounding r = Rounding.parse(o.rounding == null ? "sr" : o.rounding);
        int[] ss = {2, 4, 8, 16, 32, 64};
        long steps = o.full ? 3_000_000 : 300_000;
        int seeds = o.full ? 4 : 1;
        Metrics m = new Metrics("s", "sigma1", "noise_ball_lp", "noise_ball_fp64");
        double[] lp = new double[ss.length];
        double[] fp = new double[ss.length];
        for (int i = 0; i < ss.length; i++) {
            int s = ss[i];
            double beta = 0.8 / Math.sqrt(s);
            Quantizer q = SpecCache.make(spec, r, o.seed);
            lp[i] = NoiseBall.measure(1024, s, beta, q, steps, seeds, o.seed, o.full);
            fp[i] = NoiseBall.measure(1024, s, beta, Quantizer.identity(), steps, seeds, o.seed, o.full);
            double sigma1 = 0.8 * Math.sqrt(2 * s / Math.PI);
            m.add(s, sigma1, lp[i], fp[i]);
            out.line("s=%3d sigma1=%.3f  LP %s %.5g   fp64 %.5g", s, sigma1, q.name(), lp[i], fp[i]);
        }
        out.tables.put("noise_ball_vs_sigma1", m);
        boolean mono = true;
        for (int i = 1; i < lp.length; i++) {
            mono &= lp[i] > lp[i - 1];
        }
        double lpGrowth = lp[lp.length - 1] / lp[0];
        double fmax = java.util.Arrays.stream(fp).max().getAsDouble();
        double fmin = java.util.Arrays.stream(fp).min().getAsDouble();
        out.value("lp_growth", lpGrowth);
        out.value("fp64_spread", fmax / fmin);
        out.claim(String.format("low-precision noise ball increases monotonically with sigma1, x%.1f >= 10", lpGrowth),
                mono && lpGrowth >= 10);
        out.claim(String.format("full-precision SGD noise ball stays flat: max/min = %.3f < 1.6", fmax / fmin),
                fmax / fmin < 1.6);
        return out;
    }
}
