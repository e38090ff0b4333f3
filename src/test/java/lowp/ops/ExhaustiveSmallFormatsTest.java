package lowp.ops;

import lowp.format.Format;
import lowp.ref.RefOps;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Rounding;
import lowp.round.Tininess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Exhaustive fast == reference: all operand pairs of small formats for add, sub and mul in the six
 * deterministic modes (both tininess settings), all triples of three 4- and 5-bit formats for fma (both tininess
 * settings), and all binary16 patterns
 * converted to the 8-bit formats. More formats and fma/div on 6-bit formats with -Dlowp.exhaustive=true.
 * The list includes every named format of at most 8 bits: FloatOps answers add/sub/mul in those from lookup
 * tables ({@link SmallTables}), so this test checks every table entry against the reference.
 */
class ExhaustiveSmallFormatsTest {

    static final boolean EXHAUSTIVE = Boolean.getBoolean("lowp.exhaustive");

    interface Op2 {
        long apply(Format f, long a, long b, Env e);
    }

    static int pairs(Format f, String name, Op2 fast, Op2 ref) {
        int n = 1 << f.width();
        int checked = 0;
        for (Rounding rd : Rounding.DETERMINISTIC) {
            for (Tininess t : Tininess.values()) {
                Env e1 = new Env(rd, t);
                Env e2 = new Env(rd, t);
                for (int a = 0; a < n; a++) {
                    for (int b = 0; b < n; b++) {
                        e1.flags = 0;
                        e2.flags = 0;
                        long want = ref.apply(f, a, b, e1);
                        long got = fast.apply(f, a, b, e2);
                        if (want != got || e1.flags != e2.flags) {
                            fail(name + " " + f + " " + rd + " " + t + " " + f.hex(a) + " " + f.hex(b) + ": want "
                                    + f.hex(want) + " " + Flags.hex(e1.flags) + ", got " + f.hex(got) + " "
                                    + Flags.hex(e2.flags));
                        }
                        checked++;
                    }
                }
            }
        }
        return checked;
    }

    @ParameterizedTest
    @ValueSource(strings = {"e4m3fn", "e5m2", "e2m1fn", "e4m3fnuz", "e5m2fnuz", "e4m3b11fnuz", "e3m2fn", "e2m3fn", "e8m0fnu",
            "e4m3fn:sat", "e5m2:sat", "e5m2:nosub", "e3m3fnuz:bias=2", "e4m2:bias=20", "e3m3fn:nosub:sat"})
    void addSubMulAllPairs(String spec) {
        Format f = Format.parse(spec);
        int n = 1 << f.width();
        int c = pairs(f, "add", FloatOps::add, RefOps::add);
        c += pairs(f, "mul", FloatOps::mul, RefOps::mul);
        c += pairs(f, "sub", FloatOps::sub, RefOps::sub);
        if (EXHAUSTIVE || f.width() <= 6) {
            c += pairs(f, "div", FloatOps::div, RefOps::div);
        }
        assertEquals(0, c % (n * n * 12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"e2m1fn", "e2m1", "e3m1fnuz"})
    void fmaAllTriples(String spec) {
        Format f = Format.parse(spec);
        int n = 1 << f.width();
        for (Rounding rd : Rounding.DETERMINISTIC) {
            for (Tininess t : Tininess.values()) {
                Env e1 = new Env(rd, t);
                Env e2 = new Env(rd, t);
                for (int a = 0; a < n; a++) {
                    for (int b = 0; b < n; b++) {
                        for (int c = 0; c < n; c++) {
                            e1.flags = 0;
                            e2.flags = 0;
                            long want = RefOps.fma(f, a, b, c, e1);
                            long got = FloatOps.fma(f, a, b, c, e2);
                            if (want != got || e1.flags != e2.flags) {
                                fail("fma " + f + " " + rd + " " + t + " " + f.hex(a) + " " + f.hex(b) + " " + f.hex(c)
                                        + ": want " + f.hex(want) + " " + Flags.hex(e1.flags) + ", got " + f.hex(got) + " "
                                        + Flags.hex(e2.flags));
                            }
                        }
                    }
                }
            }
        }
    }

    /** Every binary16 pattern into the 8-bit formats and into e2m1fn, all deterministic modes, and sqrt. */
    @ParameterizedTest
    @ValueSource(strings = {"e4m3fn", "e5m2", "e2m1fn", "e4m3fnuz", "e8m0fnu", "e5m2fnuz:sat"})
    void convertAllBinary16(String spec) {
        Format to = Format.parse(spec);
        Format from = Format.BINARY16;
        Rounding[] modes = EXHAUSTIVE ? Rounding.DETERMINISTIC : new Rounding[] {Rounding.RNE, Rounding.RTZ, Rounding.RTO};
        for (Rounding rd : modes) {
            for (Tininess t : Tininess.values()) {
                Env e1 = new Env(rd, t);
                Env e2 = new Env(rd, t);
                for (int a = 0; a < 1 << 16; a++) {
                    e1.flags = 0;
                    e2.flags = 0;
                    long want = RefOps.convert(from, a, to, e1);
                    long got = FloatOps.convert(from, a, to, e2);
                    if (want != got || e1.flags != e2.flags) {
                        fail("convert fp16 " + from.hex(a) + " -> " + to + " " + rd + " " + t + ": want " + to.hex(want)
                                + " " + Flags.hex(e1.flags) + ", got " + to.hex(got) + " " + Flags.hex(e2.flags));
                    }
                }
            }
        }
    }

    /** sqrt of every binary16 and every 8-bit pattern. */
    @ParameterizedTest
    @ValueSource(strings = {"binary16", "e4m3fn", "e5m2", "e8m0fnu", "bf16:nosub"})
    void sqrtAll(String spec) {
        Format f = Format.parse(spec);
        int n = f.width() <= 16 ? 1 << f.width() : 0;
        for (Rounding rd : Rounding.DETERMINISTIC) {
            Env e1 = new Env(rd);
            Env e2 = new Env(rd);
            for (int a = 0; a < n; a++) {
                e1.flags = 0;
                e2.flags = 0;
                long want = RefOps.sqrt(f, a, e1);
                long got = FloatOps.sqrt(f, a, e2);
                if (want != got || e1.flags != e2.flags) {
                    fail("sqrt " + f + " " + rd + " " + f.hex(a) + ": want " + f.hex(want) + " " + Flags.hex(e1.flags)
                            + ", got " + f.hex(got) + " " + Flags.hex(e2.flags));
                }
            }
        }
    }
}
