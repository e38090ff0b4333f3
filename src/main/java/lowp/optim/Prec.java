package lowp.optim;

import lowp.format.Format;
import lowp.round.Env;
import lowp.round.Mode;
import lowp.round.Rounding;

/**
 * The precision of one tensor of a computation: a format and a rounding rule, plus the random-word stream
 * its stochastic roundings consume (seed, stream id, running counter). Every operation rounds its exact
 * result once ({@link ExactRound}). {@link #exact()} (fp64, rne) is native double arithmetic and serves as the
 * "full precision" reference.
 * Not thread-safe.
 */
public final class Prec {
    /** Spec string meaning "no rounding beyond binary64 RNE". */
    public static final String EXACT_SPEC = "fp64";

    public final Format format;
    public final Rounding rounding;
    private final Env env;
    private final long seed;
    private final long stream;
    private long counter;
    private final boolean nativeDouble;
    /** Number of roundings performed and how many were inexact. */
    public long roundings;
    public long inexact;

    public Prec(Format format, Rounding rounding, long seed, long stream) {
        this.format = format;
        this.rounding = rounding;
        this.env = new Env(rounding);
        this.seed = seed;
        this.stream = stream;
        this.nativeDouble = format.equals(Format.BINARY64) && rounding.mode() == Mode.RNE;
    }

    public static Prec of(String format, String rounding, long seed, long stream) {
        return new Prec(Format.parse(format), Rounding.parse(rounding), seed, stream);
    }

    /** fp64 / RNE: native double arithmetic. */
    public static Prec exact() {
        return new Prec(Format.BINARY64, Rounding.RNE, 0, 0);
    }

    public boolean isNativeDouble() {
        return nativeDouble;
    }

    /** A copy with the same format/rounding but its own stream. */
    public Prec withStream(long seed, long stream) {
        return new Prec(format, rounding, seed, stream);
    }

    public Env env() {
        return env;
    }

    /** Sets the random word for the next rounding (stochastic modes). */
    private void draw() {
        if (rounding.isStochastic()) {
            env.random = Rng.word(seed, stream, counter++);
        }
    }

    private double done(long bits) {
        roundings++;
        return ExactRound.value(format, bits);
    }

    public double round(double x) {
        if (nativeDouble) {
            return x;
        }
        draw();
        int before = env.flags;
        long b = ExactRound.round(format, x, env);
        double v = done(b);
        if (v != x) {
            inexact++;
        }
        env.flags = before;
        return v;
    }

    public double add(double a, double b) {
        if (nativeDouble) {
            return a + b;
        }
        draw();
        double v = ExactRound.value(format, ExactRound.roundSum(format, a, b, env));
        roundings++;
        return v;
    }

    public double sub(double a, double b) {
        return add(a, -b);
    }

    public double mul(double a, double b) {
        if (nativeDouble) {
            return a * b;
        }
        draw();
        double v = ExactRound.value(format, ExactRound.roundProduct(format, a, b, env));
        roundings++;
        return v;
    }

    public double div(double a, double b) {
        if (nativeDouble) {
            return a / b;
        }
        draw();
        double v = ExactRound.value(format, ExactRound.roundQuotient(format, a, b, env));
        roundings++;
        return v;
    }

    public double sqrt(double a) {
        if (nativeDouble) {
            return Math.sqrt(a);
        }
        draw();
        double v = ExactRound.value(format, ExactRound.roundSqrt(format, a, env));
        roundings++;
        return v;
    }

    /** a*b + c with one rounding of the exact value (BigInteger reference path; for momentum buffers). */
    public double fma(double a, double b, double c) {
        if (nativeDouble) {
            return Math.fma(a, b, c);
        }
        draw();
        roundings++;
        if (a == 0 || b == 0) {
            return ExactRound.value(format, ExactRound.round(format, c, env));
        }
        long ab = Double.doubleToRawLongBits(a);
        long bb = Double.doubleToRawLongBits(b);
        java.math.BigInteger p = java.math.BigInteger.valueOf(ExactRound.sig53(ab))
                .multiply(java.math.BigInteger.valueOf(ExactRound.sig53(bb)));
        if ((a < 0) != (b < 0)) {
            p = p.negate();
        }
        int pe = ExactRound.exp53(ab) + ExactRound.exp53(bb);
        java.math.BigInteger sum = p;
        int e = pe;
        if (c != 0) {
            long cb = Double.doubleToRawLongBits(c);
            java.math.BigInteger cs = java.math.BigInteger.valueOf(ExactRound.sig53(cb));
            if (c < 0) {
                cs = cs.negate();
            }
            int ce = ExactRound.exp53(cb);
            e = Math.min(pe, ce);
            sum = p.shiftLeft(pe - e).add(cs.shiftLeft(ce - e));
        }
        if (sum.signum() == 0) {
            return ExactRound.value(format, lowp.round.Rounder.zero(format,
                    rounding.mode() == Mode.RDN, env));
        }
        long bits = lowp.ref.RefRounder.round(format, sum.signum() < 0,
                lowp.ref.Exact.dyadic(sum.abs(), e), env);
        return ExactRound.value(format, bits);
    }

    /** Rounds every element of v in place. */
    public void roundAll(double[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = round(v[i]);
        }
    }

    /** Unit roundoff u = 2^-(M+1) (round to nearest) of the format. */
    public double unitRoundoff() {
        return Math.scalb(1.0, -format.manBits() - 1);
    }

    /** Machine epsilon 2^-M (bound for any faithful rounding, incl. SR). */
    public double epsilon() {
        return Math.scalb(1.0, -format.manBits());
    }

    /** delta0 for the seed-000 model: u for round-to-nearest, eps otherwise. */
    public double delta0() {
        Mode m = rounding.mode();
        return (m == Mode.RNE || m == Mode.RNA) ? unitRoundoff() : epsilon();
    }

    @Override
    public String toString() {
        return format + "/" + rounding;
    }
}
