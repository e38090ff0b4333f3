package lowp.round;

import lowp.format.Format;
import lowp.format.Kind;
import lowp.ref.Exact;
import lowp.ref.RefRounder;
import net.jqwik.api.*;

import java.math.BigInteger;

/**
 * The fast {@link Rounder} equals the BigInteger {@link RefRounder} for random exact values in random formats,
 * every rounding rule (stochastic ones with random words), both tininess modes. A sticky value
 * (sig + t) * 2^exp with 0 &lt; t &lt; 1 is given to the reference as the exact (2 sig + 1) * 2^(exp - 1).
 */
class RounderProperties {

    @Provide
    Arbitrary<Format> formats() {
        Arbitrary<Format> generic = Combinators.combine(
                Arbitraries.integers().between(2, 11),
                Arbitraries.integers().between(1, 30),
                Arbitraries.of(Kind.IEEE, Kind.FN, Kind.FNUZ, Kind.MX),
                Arbitraries.integers().between(-3, 3),
                Arbitraries.of(true, false),
                Arbitraries.of(true, false, true)).as((e, m, k, db, sat, sub) -> {
                    try {
                        return Format.of(e, m, Format.defaultBias(e, k) + db, k, sat, sub);
                    } catch (IllegalArgumentException ex) {
                        return Format.BINARY16;
                    }
                });
        Arbitrary<Format> named = Arbitraries.of(Format.namedFormats().values().toArray(new Format[0]));
        return Arbitraries.oneOf(generic, named);
    }

    @Provide
    Arbitrary<Rounding> roundings() {
        return Arbitraries.of(Rounding.RNE, Rounding.RNA, Rounding.RTZ, Rounding.RUP, Rounding.RDN, Rounding.RTO,
                Rounding.SR, Rounding.SR_EQUAL, Rounding.srBits(1), Rounding.srBits(8), Rounding.srBits(13));
    }

    @Provide
    Arbitrary<Long> sigs() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(1, (1L << 62) - 1),
                Arbitraries.longs().between(1, 1L << 12),
                // patterns near ties: 1 followed by zeros, ones
                Arbitraries.integers().between(1, 61).map(s -> (1L << s) | 1),
                Arbitraries.integers().between(1, 61).map(s -> (1L << s) - 1),
                Arbitraries.integers().between(1, 61).map(s -> 3L << s));
    }

    @Property(tries = 20000)
    void fastEqualsReference(@ForAll("formats") Format f, @ForAll("roundings") Rounding r,
                             @ForAll boolean neg, @ForAll("sigs") long sig,
                             @ForAll("exps") int expOffset, @ForAll boolean sticky, @ForAll boolean before,
                             @ForAll long random) {
        // place the value around the format's range: offsets relative to emin and emax
        int exp = expOffset + (expOffset >= 0 ? f.minQuantumExp() - 40 : f.emax() + 40);
        if (sticky) { // sticky needs a guard bit: give sig 62 significant bits
            int sh = Long.numberOfLeadingZeros(sig) - 2;
            if (sh >= 0) {
                sig <<= sh;
                exp -= sh;
            } else {
                sig >>>= -sh; // the test value is defined from the shifted sig
                exp += -sh;
            }
            if (r.mode() == Mode.SR || r.mode() == Mode.SR_BITS) {
                r = Rounding.RNE; // these need 64 exact fraction bits: covered by the 128-bit property
            }
        }
        Tininess t = before ? Tininess.BEFORE : Tininess.AFTER;
        Env e1 = new Env(r, t);
        e1.random = random;
        long fast = Rounder.round(f, neg, sig, exp, sticky, e1);
        Env e2 = new Env(r, t);
        e2.random = random;
        Exact x = sticky ? Exact.dyadic(BigInteger.valueOf(sig).shiftLeft(1).add(BigInteger.ONE), exp - 1)
                : Exact.dyadic(BigInteger.valueOf(sig), exp);
        long ref = RefRounder.round(f, neg, x, e2);
        String ctx = f + " " + r + " " + t + " neg=" + neg + " sig=" + sig + " exp=" + exp + " sticky=" + sticky;
        org.junit.jupiter.api.Assertions.assertEquals(ref, fast, "bits " + ctx);
        org.junit.jupiter.api.Assertions.assertEquals(e2.flags, e1.flags, "flags " + ctx);
    }

    @Property(tries = 20000)
    void fast128EqualsReference(@ForAll("formats") Format f, @ForAll("roundings") Rounding r,
                                @ForAll boolean neg, @ForAll("sigs") long hiSeed, @ForAll long lo,
                                @ForAll("exps") int expOffset, @ForAll boolean sticky, @ForAll boolean before,
                                @ForAll long random) {
        // hi >= 2^52 keeps at least 64 exact bits below the last place, as stochastic rounding with sticky needs
        long hi = hiSeed | (1L << 52);
        int exp = expOffset + (expOffset >= 0 ? f.minQuantumExp() - 40 : f.emax() + 40) - 64;
        Tininess t = before ? Tininess.BEFORE : Tininess.AFTER;
        Env e1 = new Env(r, t);
        e1.random = random;
        long fast = Rounder.round128(f, neg, hi, lo, exp, sticky, e1);
        Env e2 = new Env(r, t);
        e2.random = random;
        BigInteger s = BigInteger.valueOf(hi).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
        Exact x = sticky ? Exact.dyadic(s.shiftLeft(1).add(BigInteger.ONE), exp - 1) : Exact.dyadic(s, exp);
        long ref = RefRounder.round(f, neg, x, e2);
        String ctx = f + " " + r + " " + t + " neg=" + neg + " hi=" + hi + " lo=" + lo + " exp=" + exp + " sticky=" + sticky;
        org.junit.jupiter.api.Assertions.assertEquals(ref, fast, "bits " + ctx);
        org.junit.jupiter.api.Assertions.assertEquals(e2.flags, e1.flags, "flags " + ctx);
    }

    @Provide
    Arbitrary<Integer> exps() {
        // >= 0: offset above (emin quantum - 40); < 0: offset below (emax + 40)
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 120), Arbitraries.integers().between(-150, -1));
    }
}
