package lowp.backend;

import lowp.format.Format;
import lowp.format.Kind;
import lowp.round.Mode;
import lowp.round.Rounding;

/** Shared validation and the encoding of formats and roundings as the small int descriptors the kernels read. */
public final class Specs {
    private Specs() {
    }

    /** Descriptor length (ints per format). */
    public static final int FD = 16;
    public static final int F_M = 0, F_EMIN = 1, F_KIND = 2, F_SAT = 3, F_SUB = 4, F_WIDTH = 5, F_MAXQE = 6,
            F_MAXSIG = 7, F_MAXFIN = 8, F_DEFNAN = 9, F_INF = 10, F_SIGN = 11, F_BIAS = 12, F_E = 13, F_NAN = 14;

    /** Kind codes: IEEE 0, FN 1, FNUZ 2, MX 3, E8M0 4. */
    public static int kindCode(Kind k) {
        return k.ordinal();
    }

    /** Backends handle formats whose bit patterns fit in 32 bits. */
    public static void checkStorable(Format f, String what) {
        if (f == null) throw new IllegalArgumentException("missing format for " + what);
        if (f.width() > 32) {
            throw new IllegalArgumentException("format '" + f + "' is " + f.width()
                    + " bits wide; the backends handle formats of at most 32 bits (" + what + ")");
        }
    }

    /** Formats that take part in arithmetic (GEMM / gradient step): at most 32 bits and precision at most 30. */
    public static void checkArith(Format f, String what) {
        checkStorable(f, what);
        if (f.precision() > 30) {
            throw new IllegalArgumentException("format '" + f + "' has precision " + f.precision()
                    + "; backend arithmetic needs precision <= 30 (" + what + ")");
        }
    }

    /** Accumulator/output formats must have a zero (not e8m0fnu). */
    public static void checkAcc(Format f, String what) {
        checkArith(f, what);
        if (f.kind() == Kind.E8M0) {
            throw new IllegalArgumentException("format '" + f + "' has no zero and cannot be an accumulator (" + what + ")");
        }
    }

    public static int[] desc(Format f) {
        int[] d = new int[FD];
        d[F_M] = f.manBits();
        d[F_EMIN] = f.emin();
        d[F_KIND] = kindCode(f.kind());
        d[F_SAT] = f.saturating() ? 1 : 0;
        d[F_SUB] = f.subnormals() ? 1 : 0;
        d[F_WIDTH] = f.width();
        d[F_MAXQE] = f.maxQuantumExp();
        d[F_MAXSIG] = (int) f.maxSignificand();
        d[F_MAXFIN] = (int) f.maxFiniteBits();
        d[F_DEFNAN] = (int) f.defaultNaN();
        d[F_INF] = f.hasInf() ? (int) f.infBits() : -1;
        d[F_SIGN] = (int) f.signBit();
        d[F_BIAS] = f.bias();
        d[F_E] = f.expBits();
        d[F_NAN] = f.hasNaN() ? (int) f.nanBits() : -1;
        return d;
    }

    /** Mode codes: RNE 0, RNA 1, RTZ 2, RUP 3, RDN 4, RTO 5, SR 6, SR_EQUAL 7, SR_BITS 8. */
    public static int modeCode(Rounding r) {
        switch (r.mode()) {
            case RNE: return 0;
            case RNA: return 1;
            case RTZ: return 2;
            case RUP: return 3;
            case RDN: return 4;
            case RTO: return 5;
            case SR: return 6;
            case SR_EQUAL: return 7;
            case SR_BITS: return 8;
            default: throw new AssertionError(r);
        }
    }

    /** Rounding descriptor: {mode code, random bits N (srN) or 0}. */
    public static int[] rdesc(Rounding r) {
        return new int[] {modeCode(r), r.mode() == Mode.SR_BITS ? r.randomBits() : 0};
    }
}
