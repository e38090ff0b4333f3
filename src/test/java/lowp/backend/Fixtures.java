package lowp.backend;

import lowp.format.Format;
import lowp.round.Rounding;

import java.util.List;
import java.util.SplittableRandom;

/** Deterministic test inputs shared by the backend tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** n, or 20n under -Dlowp.exhaustive=true (the -Pexhaustive profile). */
    static int scale(int n) {
        return Boolean.getBoolean("lowp.exhaustive") ? 20 * n : n;
    }

    static final List<String> QUANT_FORMATS = List.of("fp16", "bf16", "tf32", "e4m3fn", "e5m2", "e4m3fnuz", "e5m2fnuz",
            "e3m2fn", "e2m3fn", "e2m1fn", "e8m0fnu", "fp32", "e5m2:sat", "bf16:nosub", "e6m9:bias=20");
    static final List<String> MODES = List.of("rne", "rna", "rtz", "rup", "rdn", "rto", "sr", "sr-equal", "sr8", "sr3");

    /** Doubles over a wide range, with zeros, infinities, NaN, subnormals and exact representables. */
    static double[] doubles(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(40);
            double v;
            if (kind == 0) v = 0.0;
            else if (kind == 1) v = -0.0;
            else if (kind == 2) v = Double.POSITIVE_INFINITY;
            else if (kind == 3) v = Double.NEGATIVE_INFINITY;
            else if (kind == 4) v = Double.NaN;
            else if (kind == 5) v = Double.MIN_VALUE * r.nextInt(1, 1000);
            else if (kind == 6) v = Math.scalb((double) r.nextInt(1, 16), r.nextInt(-30, 20)); // often exact
            else v = Math.scalb(r.nextDouble(0.5, 1.0), r.nextInt(-150, 140));
            x[i] = r.nextBoolean() ? -v : v;
        }
        return x;
    }

    static float[] floats(long seed, int n) {
        double[] d = doubles(seed, n);
        float[] f = new float[n];
        SplittableRandom r = new SplittableRandom(seed + 1);
        for (int i = 0; i < n; i++) {
            f[i] = (float) d[i];
            if (r.nextInt(8) == 0) f[i] = Float.intBitsToFloat(r.nextInt()); // any pattern, incl. subnormals/NaNs
        }
        return f;
    }

    /** Random bit patterns of f: mostly finite values of moderate magnitude, some specials and extremes. */
    static int[] patterns(Format f, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] p = new int[n];
        long mask = f.width() == 64 ? -1 : (1L << f.width()) - 1;
        for (int i = 0; i < n; i++) {
            long bits;
            if (r.nextInt(30) == 0) {
                bits = r.nextLong() & mask; // anything, incl. NaN/Inf/subnormal
            } else {
                // exponent near the middle of the range: values around 1
                long ef = Math.max(1, Math.min((1L << f.expBits()) - 2, f.bias() + r.nextInt(-3, 4)));
                long frac = r.nextLong() & ((1L << f.manBits()) - 1);
                bits = f.pack(f.signed() && r.nextBoolean(), ef, frac);
            }
            p[i] = (int) bits;
        }
        return p;
    }

    static Rounding rounding(String s) {
        return Rounding.parse(s);
    }
}
