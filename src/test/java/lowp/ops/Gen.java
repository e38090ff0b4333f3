package lowp.ops;

import lowp.format.Format;
import lowp.format.Kind;
import lowp.round.Env;
import lowp.round.Rounding;
import lowp.round.Tininess;

import java.util.Random;

/** Random formats, edge-biased operands and environments for the fast == reference properties. */
public final class Gen {
    private Gen() {
    }

    static final Kind[] KINDS = Kind.values();

    /** A random valid format: any E, M, kind, bias near the default, sat, nosub. */
    public static Format format(Random r) {
        while (true) {
            int pick = r.nextInt(10);
            int e;
            int m;
            if (pick < 4) { // small formats (where ties and overflow are frequent)
                e = 1 + r.nextInt(6);
                m = r.nextInt(8);
            } else if (pick < 8) {
                e = 1 + r.nextInt(15);
                m = r.nextInt(25);
            } else {
                e = 1 + r.nextInt(15);
                m = r.nextInt(53);
            }
            Kind k = KINDS[r.nextInt(KINDS.length)];
            if (k == Kind.E8M0) {
                m = 0;
            }
            if (e + m > 63) continue;
            int bias;
            int db = (1 << (e - 1)) - 1 + (k == Kind.FNUZ ? 1 : 0);
            switch (r.nextInt(4)) {
                case 0: bias = db + r.nextInt(9) - 4; break;
                case 1: bias = r.nextInt(2 * (1 << Math.min(e, 12)) + 1) - (1 << Math.min(e, 12)); break;
                default: bias = db;
            }
            try {
                return Format.of(e, m, bias, k, r.nextInt(4) == 0, r.nextInt(5) != 0);
            } catch (IllegalArgumentException ex) {
                // invalid combination: draw again
            }
        }
    }

    static Format named(Random r) {
        Format[] all = Format.namedFormats().values().toArray(new Format[0]);
        return all[r.nextInt(all.length)];
    }

    /** Any format, half the time a named one. */
    static Format anyFormat(Random r) {
        return r.nextInt(3) == 0 ? named(r) : format(r);
    }

    static long mask(Format f) {
        return f.width() == 64 ? -1L : (1L << f.width()) - 1;
    }

    /** An edge-biased operand pattern. */
    static long operand(Format f, Random r) {
        long mk = mask(f);
        long sign = r.nextBoolean() ? f.signBit() : 0;
        int m = f.manBits();
        long expMax = (1L << f.expBits()) - 1;
        switch (r.nextInt(14)) {
            case 0: return sign; // ±0 (0x80.. is the NaN of fnuz)
            case 1: return sign | f.maxFiniteBits();
            case 2: return sign | f.minNormalBits();
            case 3: return sign | f.minPositiveBits();
            case 4: return f.hasInf() ? sign | f.infBits() : r.nextLong() & mk;
            case 5: return f.hasNaN() ? f.nanBits() | (r.nextBoolean() ? sign : 0) : r.nextLong() & mk;
            case 6: // signalling or other NaN payloads
                if (f.kind() == Kind.IEEE) {
                    long frac = (r.nextLong() & ((1L << m) - 1));
                    if (frac == 0) frac = 1;
                    return sign | (expMax << m) | frac;
                }
                return r.nextLong() & mk;
            case 7: // subnormal
                return sign | (r.nextLong() & ((1L << m) - 1));
            case 8: // near 1.0 / simple values: exponent field near the bias
            {
                long ef = Math.floorMod(f.bias() + r.nextInt(5) - 2, expMax + 1);
                long frac = r.nextInt(3) == 0 ? 0 : (r.nextLong() & ((1L << m) - 1));
                return (sign | (ef << m) | frac) & mk;
            }
            case 9: // max or min fractions
            {
                long ef = r.nextLong() & expMax;
                long frac = r.nextBoolean() ? 0 : (1L << m) - 1;
                return (sign | (ef << m) | frac) & mk;
            }
            default:
                return r.nextLong() & mk;
        }
    }

    /** A second operand related to a: close (cancellation), about half an ulp of a (ties), or far. */
    static long related(Format f, long a, Random r) {
        long mk = mask(f);
        int m = f.manBits();
        long mag = a & f.magnitudeMask();
        long sign = a & f.signBit();
        switch (r.nextInt(8)) {
            case 0: return (a ^ f.signBit()) & mk; // exact cancellation
            case 1: return ((mag + r.nextInt(5) - 2) & f.magnitudeMask()) | (r.nextBoolean() ? sign : sign ^ f.signBit());
            case 2: case 3: { // exponent field p (+-2) below: around half an ulp of a
                long ef = (mag >>> m) - (m + 1) + r.nextInt(5) - 2;
                if (ef < 0) ef = 0;
                long frac = r.nextInt(3) == 0 ? 0 : (r.nextBoolean() ? (1L << m) - 1 : r.nextLong() & ((1L << m) - 1));
                return ((r.nextBoolean() ? f.signBit() : 0) | (ef << m) | frac) & mk;
            }
            case 4: { // huge exponent difference
                long ef = r.nextInt(2);
                return ((r.nextBoolean() ? f.signBit() : 0) | (ef << m) | (r.nextLong() & ((1L << m) - 1))) & mk;
            }
            default:
                return operand(f, r);
        }
    }

    static final Rounding[] ALL_MODES = {Rounding.RNE, Rounding.RNA, Rounding.RTZ, Rounding.RUP, Rounding.RDN,
            Rounding.RTO, Rounding.SR, Rounding.SR_EQUAL, Rounding.srBits(1), Rounding.srBits(8), Rounding.srBits(62)};

    static Rounding rounding(Random r) {
        if (r.nextInt(8) == 0) return Rounding.srBits(1 + r.nextInt(62));
        return ALL_MODES[r.nextInt(ALL_MODES.length)];
    }

    static long randomWord(Random r) {
        switch (r.nextInt(6)) {
            case 0: return 0;
            case 1: return -1;
            case 2: return Long.MIN_VALUE;
            case 3: return Long.MIN_VALUE - 1 + r.nextInt(3);
            case 4: return (r.nextLong() & (-1L << (64 - 1 - r.nextInt(12)))) + r.nextInt(3) - 1; // short fractions
            default: return r.nextLong();
        }
    }

    static Env env(Rounding rd, Tininess t, long random) {
        Env e = new Env(rd, t);
        e.random = random;
        return e;
    }
}
