package lowp.quant;

import lowp.format.Format;
import lowp.ref.RefOps;
import lowp.rng.RandomKey;
import lowp.round.Env;
import lowp.round.Rounding;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * FloatQuantizer against the BigInteger reference (RefOps.fromDouble with the same random word), and the fast
 * array kernels (double/float in, values/bits out, 1/2/7 threads) against the scalar path.
 */
class FloatQuantizerProperties {
    static final String[] FORMATS = {"binary16", "bfloat16", "e4m3fn", "e5m2", "e4m3fnuz", "e5m2fnuz", "e3m2fn",
        "e2m3fn", "e2m1fn", "tf32", "binary32", "e8m0fnu", "binary16:nosub", "e5m2:sat", "e4m3fn:sat",
        "bfloat16:nosub", "e3m4", "e6m9:bias=40"};
    static final String[] ROUNDINGS = {"rne", "rna", "rtz", "rup", "rdn", "rto", "sr", "sr-equal", "sr1", "sr3",
        "sr8", "sr13", "sr20", "sr45", "sr62"};

    @Provide
    Arbitrary<String> formats() {
        return Arbitraries.of(FORMATS);
    }

    @Provide
    Arbitrary<String> roundings() {
        return Arbitraries.of(ROUNDINGS);
    }

    /** Doubles concentrated where rounding is delicate for the format: grid points, neighbours, midpoints. */
    static double interesting(Format f, Random r) {
        int kind = r.nextInt(10);
        switch (kind) {
            case 0: return Double.longBitsToDouble(r.nextLong());
            case 1: {
                double[] sp = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                    Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, Double.longBitsToDouble(0x7FF0000000000001L),
                    Double.MIN_NORMAL};
                return sp[r.nextInt(sp.length)];
            }
            default: {
                int emin = f.minQuantumExp();
                int emax = f.emax();
                int e = emin - 4 + r.nextInt(emax - emin + 8);
                double base = Math.scalb(1.0 + r.nextInt(1 << Math.min(f.manBits() + 2, 20)) / (double) (1 << Math.min(f.manBits() + 2, 20)), e);
                double v = base;
                switch (r.nextInt(5)) {
                    case 0: break;
                    case 1: v = Math.nextUp(base); break;
                    case 2: v = Math.nextDown(base); break;
                    case 3: v = base * (1 + r.nextDouble() * 1e-3); break;
                    default: v = Math.scalb(r.nextDouble() + 1, e);
                }
                return r.nextBoolean() ? -v : v;
            }
        }
    }

    static long reference(Format f, Rounding rd, double x, long word) {
        Env env = new Env(rd);
        env.random = word;
        return RefOps.fromDouble(f, x, env);
    }

    @Property(tries = 400)
    void scalarMatchesReference(@ForAll("formats") String fs, @ForAll("roundings") String rs,
                                @ForAll long seed) {
        Format f = Format.parse(fs);
        Rounding rd = Rounding.parse(rs);
        FloatQuantizer q = new FloatQuantizer(f, rd);
        Random r = new Random(seed);
        for (int i = 0; i < 50; i++) {
            double x = interesting(f, r);
            long w = r.nextLong();
            long want = reference(f, rd, x, w);
            Env env = new Env(Rounding.RNE);
            long got = q.encode(x, w, env);
            Env renv = new Env(rd);
            renv.random = w;
            RefOps.fromDouble(f, x, renv);
            assertEquals(want, got, () -> String.format("%s %s x=%s (%016x) w=%016x", fs, rs, x,
                    Double.doubleToRawLongBits(x), w));
            assertEquals(renv.flags, env.flags, () -> "flags " + fs + " " + rs + " x=" + x);
            if (f.fitsInDouble()) {
                assertEquals(Double.doubleToLongBits(f.toDouble(want)), Double.doubleToLongBits(q.quantize(x, w)));
            }
        }
    }

    @Property(tries = 300)
    void arrayKernelsMatchScalar(@ForAll("formats") String fs, @ForAll("roundings") String rs,
                                 @ForAll long seed) {
        Format f = Format.parse(fs);
        Rounding rd = Rounding.parse(rs);
        FloatQuantizer q = new FloatQuantizer(f, rd);
        checkArrays(q, f, seed);
    }

    @Property(tries = 100)
    void policiesArrayKernelsMatchScalar(@ForAll("formats") String fs, @ForAll("roundings") String rs,
                                         @ForAll long seed, @ForAll FloatQuantizer.Underflow uf,
                                         @ForAll FloatQuantizer.Overflow of) {
        Format f = Format.parse(fs);
        FloatQuantizer q = new FloatQuantizer(f, Rounding.parse(rs), uf, of);
        checkArrays(q, f, seed);
    }

    static void checkArrays(FloatQuantizer q, Format f, long seed) {
        Random r = new Random(seed);
        int n = 1 + r.nextInt(1500);
        int index0 = r.nextInt(5);
        double[] x = new double[n];
        float[] xf = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = interesting(f, r);
            xf[i] = (float) interesting(f, r);
        }
        RandomKey key = RandomKey.of(r.nextLong(), r.nextInt(), r.nextInt() & 0xFFFFFFFFL);
        for (int threads : new int[] {1, 2, 7}) {
            long[] bits = new long[n];
            q.encode(x, 0, bits, 0, n, key, index0, threads);
            long[] bitsF = new long[n];
            q.encode(xf, 0, bitsF, 0, n, key, index0, threads);
            for (int i = 0; i < n; i++) {
                long w = q.isStochastic() ? key.word(index0 + i) : 0;
                assertEquals(q.encode(x[i], w), bits[i], "double->bits element " + i + " x=" + x[i] + " " + q);
                assertEquals(q.encode(xf[i], w), bitsF[i], "float->bits element " + i + " x=" + xf[i] + " " + q);
            }
            if (f.fitsInDouble()) {
                double[] y = x.clone();
                q.quantize(y, 0, y, 0, n, key, index0, threads); // in place
                for (int i = 0; i < n; i++) {
                    long w = q.isStochastic() ? key.word(index0 + i) : 0;
                    assertEquals(Double.doubleToLongBits(f.toDouble(bits[i])), Double.doubleToLongBits(y[i]),
                            "double->double element " + i + " x=" + x[i] + " " + q);
                    assertEquals(Double.doubleToLongBits(q.quantize(x[i], w)), Double.doubleToLongBits(y[i]));
                }
            }
            boolean fitsFloat = f.manBits() <= 23 && f.emax() <= 127 && f.minQuantumExp() >= -149;
            if (fitsFloat) {
                float[] yf = new float[n];
                q.quantize(xf, 0, yf, 0, n, key, index0, threads);
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToIntBits((float) f.toDouble(bitsF[i])), Float.floatToIntBits(yf[i]),
                            "float->float element " + i + " x=" + xf[i] + " " + q);
                }
            }
        }
    }

    /** Large arrays cross chunk boundaries: same bits for 1, 2 and 7 threads, and equal to the scalar path. */
    @Test
    void sameBitsForAnyThreadCountOnLargeArrays() {
        Format f = Format.BINARY16;
        for (String rs : new String[] {"sr", "sr8", "sr-equal", "rne"}) {
            FloatQuantizer q = new FloatQuantizer(f, Rounding.parse(rs));
            Random r = new Random(7);
            int n = 3 * Parallel.CHUNK + 12345;
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = r.nextGaussian() * 100;
            RandomKey key = RandomKey.of(0xC0FFEEL, 3, 17);
            long[] b1 = new long[n], b2 = new long[n], b7 = new long[n];
            q.encode(x, 0, b1, 0, n, key, 0, 1);
            q.encode(x, 0, b2, 0, n, key, 0, 2);
            q.encode(x, 0, b7, 0, n, key, 0, 7);
            for (int i = 0; i < n; i += 1) {
                assertEquals(b1[i], b2[i]);
                assertEquals(b1[i], b7[i]);
            }
            for (int i = 0; i < n; i += 997) {
                assertEquals(reference(f, q.rounding(), x[i], q.isStochastic() ? key.word(i) : 0), b1[i]);
            }
        }
    }

    /** The policies, by hand. */
    @Test
    void edgePoliciesByHand() {
        Format h = Format.BINARY16;
        double minSub = Math.scalb(1.0, -24);
        // FLUSH: below the smallest subnormal -> signed zero, whatever the random word
        FloatQuantizer flush = new FloatQuantizer(h, Rounding.SR, FloatQuantizer.Underflow.FLUSH,
                FloatQuantizer.Overflow.FORMAT);
        assertEquals(0x0000L, flush.encode(minSub * 0.75, 0L));
        assertEquals(0x8000L, flush.encode(-minSub * 0.75, 0L));
        assertEquals(0x0001L, flush.encode(minSub, -1L)); // exact: never changes
        // GRADUAL: 0.75 of min subnormal rounds up iff word < 0.75 * 2^64
        FloatQuantizer grad = new FloatQuantizer(h, Rounding.SR);
        assertEquals(0x0001L, grad.encode(minSub * 0.75, 0xBFFF_FFFF_FFFF_FFFFL));
        assertEquals(0x0000L, grad.encode(minSub * 0.75, 0xC000_0000_0000_0000L));
        // overflow: 65520 = 65504 + 16 is half way to 65536 (ulp 32): SR overflows to Inf iff word < 2^63
        assertEquals(0x7C00L, grad.encode(65520.0, 0x7FFF_FFFF_FFFF_FFFFL));
        assertEquals(0x7BFFL, grad.encode(65520.0, 0x8000_0000_0000_0000L));
        FloatQuantizer clamp = new FloatQuantizer(h, Rounding.SR, FloatQuantizer.Underflow.GRADUAL,
                FloatQuantizer.Overflow.CLAMP);
        assertEquals(0x7BFFL, clamp.encode(65520.0, 0L));
        assertEquals(0xFBFFL, clamp.encode(-1e300, 0L));
        assertEquals(0x7C00L, clamp.encode(Double.POSITIVE_INFINITY, 0L));
        // RUP just above max under CLAMP gives max, under FORMAT Inf
        assertEquals(0x7BFFL, new FloatQuantizer(h, Rounding.RUP, FloatQuantizer.Underflow.GRADUAL,
                FloatQuantizer.Overflow.CLAMP).encode(65504.5, 0L));
        assertEquals(0x7C00L, new FloatQuantizer(h, Rounding.RUP).encode(65504.5, 0L));
    }
}
