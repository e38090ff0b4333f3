package lowp.round;

/** Rounding-mode families; {@link Rounding} adds the parameter of {@link #SR_BITS}. */
public enum Mode {
    /** Round to nearest, ties to even. */
    RNE,
    /** Round to nearest, ties away from zero. */
    RNA,
    /** Toward zero (truncate). */
    RTZ,
    /** Toward +infinity. */
    RUP,
    /** Toward -infinity. */
    RDN,
    /** Round to odd: truncate, then set the last bit if inexact (SoftFloat's definition). */
    RTO,
    /** Stochastic, proportional: up (in magnitude) with probability equal to the fractional distance. */
    SR,
    /** Stochastic, equal: an inexact result goes up or down with probability 1/2 each. */
    SR_EQUAL,
    /** Stochastic with N random bits: up iff floor(frac*2^N) + R_N &gt;= 2^N (the common hardware scheme). */
    SR_BITS
}
