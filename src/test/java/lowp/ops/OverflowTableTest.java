package lowp.ops;

import lowp.format.Format;
import lowp.ref.RefOps;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Rounding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The overflow rule, written out as a table by hand, so that it is checked against something other than the
 * code the fast path and the reference share ({@code Rounding.overflowsToMax}, {@code Format.saturating}...).
 *
 * <p>The rule (issue 3, "Semantics to implement"; docs/formats.md §5): overflow is decided after rounding to
 * the precision with unbounded exponent (|r| &gt; max finite). The result is then
 * <ul>
 *   <li>±max finite for the toward-zero side of the directed modes: rtz (both signs), rup for negative
 *       results, rdn for positive results;</li>
 *   <li>±max finite for rto (round to odd);</li>
 *   <li>±max finite for {@code :sat} formats and the MX element types (e2m1fn), in every mode;</li>
 *   <li>otherwise ±Inf in IEEE-like formats, and the canonical NaN in fn / fnuz / e8m0 formats (the
 *       positive NaN 0x7F for e4m3fn, 0x80 for e4m3fnuz, 0xFF for e8m0fnu: NaN results keep no sign);</li>
 *   <li>flags overflow | inexact = 05 in every case.</li>
 * </ul>
 * e8m0fnu is unsigned: a negative value is not an overflow but a negative result, NaN 0xFF with invalid (10)
 * in every mode (docs §5).
 *
 * <p>Columns are the modes rne rna rtz rup rdn rto. Each row is checked for {@code RefOps.fromDouble},
 * {@code FloatOps.fromDouble} at two magnitudes (a value just past any rounding doubt, and 1e300) and for
 * {@code mul(max, ±max)}, which overflows in every format of the table, on both paths.
 */
class OverflowTableTest {
    private static final int OVF = Flags.OVERFLOW | Flags.INEXACT;

    /** format, sign, results under rne rna rtz rup rdn rto, flags, the magnitude below 1e300 to convert. */
    private static final Object[][] TABLE = {
            // fp16: Inf 7C00, max 7BFF (65504); 1e6 >> 65504
            {"fp16", '+', "7C00 7C00 7BFF 7C00 7BFF 7BFF", OVF, 1e6},
            {"fp16", '-', "FC00 FC00 FBFF FBFF FC00 FBFF", OVF, 1e6},
            // e5m2: Inf 7C, max 7B (57344)
            {"e5m2", '+', "7C 7C 7B 7C 7B 7B", OVF, 1e6},
            {"e5m2", '-', "FC FC FB FB FC FB", OVF, 1e6},
            // e4m3fn: no Inf, NaN 7F (canonical, positive), max 7E (448)
            {"e4m3fn", '+', "7F 7F 7E 7F 7E 7E", OVF, 1e6},
            {"e4m3fn", '-', "7F 7F FE FE 7F FE", OVF, 1e6},
            // e4m3fnuz: no Inf, NaN 80, max 7F (240), -max FF
            {"e4m3fnuz", '+', "80 80 7F 80 7F 7F", OVF, 1e6},
            {"e4m3fnuz", '-', "80 80 FF FF 80 FF", OVF, 1e6},
            // e2m1fn (MX, 4 bits): always saturates to ±6 = 0x7 / 0xF
            {"e2m1fn", '+', "7 7 7 7 7 7", OVF, 1e6},
            {"e2m1fn", '-', "F F F F F F", OVF, 1e6},
            // e8m0fnu: max FE = 2^127, NaN FF; 2^200 overflows. Negative: invalid NaN, not an overflow
            {"e8m0fnu", '+', "FF FF FE FF FE FE", OVF, 0x1p200},
            {"e8m0fnu", '-', "FF FF FF FF FF FF", Flags.INVALID, 0x1p200},
            // e5m2:sat: ±max 7B / FB in every mode
            {"e5m2:sat", '+', "7B 7B 7B 7B 7B 7B", OVF, 1e6},
            {"e5m2:sat", '-', "FB FB FB FB FB FB", OVF, 1e6},
    };

    static Stream<Arguments> rows() {
        List<Arguments> out = new ArrayList<>();
        for (Object[] row : TABLE) {
            String[] want = ((String) row[2]).split(" ");
            for (int i = 0; i < 6; i++) {
                out.add(Arguments.of(row[0], row[1], Rounding.DETERMINISTIC[i], Long.parseLong(want[i], 16), row[3], row[4]));
            }
        }
        return out.stream();
    }

    private static void check(String what, long want, int wantFlags, long got, Env env, Format f) {
        assertEquals(f.hex(want) + " " + Flags.hex(wantFlags), f.hex(got) + " " + Flags.hex(env.flags), what);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @MethodSource("rows")
    void overflowResult(String spec, char sign, Rounding mode, long want, int flags, double large) {
        Format f = Format.parse(spec);
        double s = sign == '-' ? -1 : 1;
        for (double v : new double[] {s * large, s * 1e300}) {
            Env e = new Env(mode);
            check("RefOps.fromDouble " + v, want, flags, RefOps.fromDouble(f, v, e), e, f);
            e = new Env(mode);
            check("FloatOps.fromDouble " + v, want, flags, FloatOps.fromDouble(f, v, e), e, f);
        }
        if (!f.signed() && sign == '-') {
            return; // an unsigned format has no negative operand for mul
        }
        long max = f.maxFiniteBits();
        long other = sign == '-' ? f.signBit() | max : max; // max * (±max) > max in every format of the table
        Env e = new Env(mode);
        check("RefOps.mul", want, flags, RefOps.mul(f, max, other, e), e, f);
        e = new Env(mode);
        check("FloatOps.mul", want, flags, FloatOps.mul(f, max, other, e), e, f);
        e = new Env(mode);
        check("FloatOps.mul (operands swapped)", want, flags, FloatOps.mul(f, other, max, e), e, f);
    }
}
