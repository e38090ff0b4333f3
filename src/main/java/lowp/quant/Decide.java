package lowp.quant;

import lowp.round.Rounding;

/**
 * The rounding decision of lowp.round.Rounder (same semantics, see {@link Rounding}) for quantizers that are
 * not floating-point formats: given the magnitude's integer part k (only its parity matters) and its fraction
 * (first 64 bits f64, plus whether any further bit is set), whether to go up in magnitude.
 */
final class Decide {
    private Decide() {
    }

    /** Decision for a non-zero fraction (f64 != 0 || low). RTO is handled by the caller (k | 1). */
    static boolean up(Rounding r, boolean neg, boolean kOdd, long f64, boolean low, long random) {
        switch (r.mode()) {
            case RNE: {
                int c = Long.compareUnsigned(f64, 1L << 63);
                return c > 0 || (c == 0 && (low || kOdd));
            }
            case RNA:
                return Long.compareUnsigned(f64, 1L << 63) >= 0;
            case RTZ:
            case RTO:
                return false;
            case RUP:
                return !neg;
            case RDN:
                return neg;
            case SR: {
                int c = Long.compareUnsigned(random, f64);
                return c < 0 || (c == 0 && low);
            }
            case SR_EQUAL:
                return random < 0;
            case SR_BITS: {
                int n = r.randomBits();
                return (f64 >>> (64 - n)) + (random >>> (64 - n)) >= (1L << n);
            }
            default:
                throw new AssertionError(r);
        }
    }
}
