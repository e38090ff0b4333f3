package lowp.acc;

import lowp.format.Format;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Rounder;
import lowp.round.Rounding;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link FastRound} equals {@link Rounder#round} (value and flags) wherever it decides. */
class FastRoundProperties {

    @Provide
    Arbitrary<Format> formats() {
        return Arbitraries.of(ModelProperties.ACCS);
    }

    @Provide
    Arbitrary<Rounding> modes() {
        return Arbitraries.of(Rounding.RNE, Rounding.RTZ);
    }

    @Provide
    Arbitrary<Double> values() {
        // significands of up to 30 bits at exponents spanning every format's range, both signs, ties included
        return net.jqwik.api.Combinators.combine(Arbitraries.longs().between(1, (1L << 30) - 1),
                Arbitraries.integers().between(-200, 150), Arbitraries.of(false, true))
                .as((sig, e, neg) -> (neg ? -1 : 1) * Math.scalb((double) sig, e - 30));
    }

    @Property(tries = 20000)
    void fastRoundEqualsRounder(@ForAll("formats") Format f, @ForAll("modes") Rounding r, @ForAll("values") double x) {
        FastRound fr = FastRound.of(f, r);
        if (fr == null) {
            return;
        }
        double got = fr.round(x);
        if (Double.isNaN(got)) {
            return;
        }
        long raw = Double.doubleToRawLongBits(x);
        int e = Math.getExponent(x);
        long sig = (raw & 0xFFFFFFFFFFFFFL) | (1L << 52);
        Env env = new Env(r);
        long bits = Rounder.round(f, x < 0, sig, e - 52, false, env);
        assertEquals(f.toDouble(bits), got, f + " " + r + " " + x);
        assertEquals(Double.doubleToRawLongBits(f.toDouble(bits)), Double.doubleToRawLongBits(got), "sign of zero");
        int flags = 0;
        if (got != x) {
            flags |= Flags.INEXACT;
            if (Math.abs(x) < fr.minNormal) flags |= Flags.UNDERFLOW;
        }
        assertEquals(env.flags, flags, f + " " + r + " " + x);
    }
}
