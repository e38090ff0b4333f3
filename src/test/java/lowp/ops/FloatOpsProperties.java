package lowp.ops;

import lowp.format.Format;
import lowp.ref.RefOps;
import lowp.round.Env;
import lowp.round.Flags;
import lowp.round.Rounding;
import lowp.round.Tininess;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.math.BigDecimal;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fast path == reference, bit for bit and flag for flag: every op x every rounding mode (the six
 * deterministic ones, sr, sr-equal, srN with random N) x both tininess modes x random formats (random
 * E, M, bias, kind, sat, nosub) and edge-biased operands. Each try draws one format and one operand set and
 * checks it under all modes ({@link Gen#ALL_MODES} plus a random srN) and both tininess settings, with a
 * random word per check. Conversions (convert, fromDouble) aim half their operands at the target's rounding
 * boundaries ({@link #boundary}: midpoints between neighbours, max + ulp/2, half the smallest value), and
 * +-1 source ulp around them. Tries: jqwik's default (1000), 20000 with -Pexhaustive.
 */
class FloatOpsProperties {

    interface Op {
        long apply(Format f, long[] x, Env env);
    }

    static void check(String name, Format f, long[] x, Random r, Op fast, Op ref) {
        Rounding[] modes = new Rounding[Gen.ALL_MODES.length + 1];
        System.arraycopy(Gen.ALL_MODES, 0, modes, 0, Gen.ALL_MODES.length);
        modes[modes.length - 1] = Gen.rounding(r);
        for (Rounding rd : modes) {
            for (Tininess t : Tininess.values()) {
                long word = Gen.randomWord(r);
                Env e1 = Gen.env(rd, t, word);
                Env e2 = Gen.env(rd, t, word);
                long want = ref.apply(f, x, e1);
                long got = fast.apply(f, x, e2);
                if (want != got || e1.flags != e2.flags) {
                    StringBuilder sb = new StringBuilder(name).append(" in ").append(f).append(' ').append(rd)
                            .append(" tininess ").append(t).append(" random 0x").append(Long.toHexString(word))
                            .append(" operands");
                    for (long v : x) sb.append(' ').append(f.hex(v));
                    sb.append(": want ").append(f.hex(want)).append(' ').append(Flags.hex(e1.flags))
                            .append(" got ").append(f.hex(got)).append(' ').append(Flags.hex(e2.flags));
                    assertEquals(sb.toString(), "", "mismatch");
                }
            }
        }
    }

    private static long[] pair(Format f, Random r) {
        long a = Gen.operand(f, r);
        long b = r.nextBoolean() ? Gen.related(f, a, r) : Gen.operand(f, r);
        return r.nextBoolean() ? new long[] {a, b} : new long[] {b, a};
    }

    @Property
    void addMatchesReference(@ForAll long seed) {
        Random r = new Random(seed);
        Format f = Gen.anyFormat(r);
        check("add", f, pair(f, r), r, (g, x, e) -> FloatOps.add(g, x[0], x[1], e), (g, x, e) -> RefOps.add(g, x[0], x[1], e));
    }

    @Property
    void subMatchesReference(@ForAll long seed) {
        Random r = new Random(seed);
        Format f = Gen.anyFormat(r);
        check("sub", f, pair(f, r), r, (g, x, e) -> FloatOps.sub(g, x[0], x[1], e), (g, x, e) -> RefOps.sub(g, x[0], x[1], e));
    }

    @Property
    void mulMatchesReference(@ForAll long seed) {
        Random r = new Random(seed);
        Format f = Gen.anyFormat(r);
        check("mul", f, pair(f, r), r, (g, x, e) -> FloatOps.mul(g, x[0], x[1], e), (g, x, e) -> RefOps.mul(g, x[0], x[1], e));
    }

    @Property
    void divMatchesReference(@ForAll long seed) {
        Random r = new Random(seed);
        Format f = Gen.anyFormat(r);
        check("div", f, pair(f, r), r, (g, x, e) -> FloatOps.div(g, x[0], x[1], e), (g, x, e) -> RefOps.div(g, x[0], x[1], e));
    }

    @Property
    void sqrtMatchesReference(@ForAll long seed) {
        Random r = new Random(seed);
        Format f = Gen.anyFormat(r);
        long[] x = {Gen.operand(f, r)};
        check("sqrt", f, x, r, (g, v, e) -> FloatOps.sqrt(g, v[0], e), (g, v, e) -> RefOps.sqrt(g, v[0], e));
    }

    @Property
    void fmaMatchesReference(@ForAll long seed) {
        Random r = new Random(seed);
        Format f = Gen.anyFormat(r);
        long a = Gen.operand(f, r);
        long b = Gen.operand(f, r);
        long c;
        switch (r.nextInt(4)) {
            case 0: { // c close to -(a*b): cancellation
                Env e = new Env(Rounding.RNE);
                long p = RefOps.mul(f, a, b, e);
                c = r.nextBoolean() ? (p ^ f.signBit()) & Gen.mask(f) : Gen.related(f, p ^ f.signBit(), r);
                if (f.isNaN(c) && !f.isNaN(p)) c = Gen.operand(f, r);
                break;
            }
            case 1: c = Gen.related(f, a, r); break;
            default: c = Gen.operand(f, r);
        }
        long[] x = {a, b, c};
        check("fma", f, x, r, (g, v, e) -> FloatOps.fma(g, v[0], v[1], v[2], e),
                (g, v, e) -> RefOps.fma(g, v[0], v[1], v[2], e));
    }

    /**
     * A rounding boundary of {@code to} next to the finite code t, as an exact value: the midpoint between |t|
     * and its upper neighbour (max finite + ulp/2, the overflow threshold, when |t| is the largest value) or
     * between |t| and its lower neighbour (half the smallest positive value below it: the underflow-to-zero
     * tie). Null for a non-finite t. These are the ties of rne/rna and the points where the directed modes and
     * overflow change their answer.
     */
    static BigDecimal boundary(Format to, long t, Random r) {
        long a = t & to.magnitudeMask();
        if (!to.classify(a).isFinite()) {
            return null;
        }
        BigDecimal v = to.toBigDecimal(a);
        BigDecimal other;
        if (r.nextBoolean() || v.signum() == 0) { // upper neighbour
            long u = to.nextUp(a);
            other = to.classify(u).isFinite() && u != a ? to.toBigDecimal(u) : v.add(to.ulp(a));
        } else { // lower neighbour, or 0 below the smallest positive value
            long d = to.nextDown(a);
            other = to.classify(d).isFinite() && d != a && !to.isNegative(d) ? to.toBigDecimal(d) : BigDecimal.ZERO;
        }
        BigDecimal mid = v.add(other).divide(BigDecimal.valueOf(2)); // exact: a dyadic midpoint
        return r.nextBoolean() ? mid.negate() : mid;
    }

    @Property
    void convertMatchesReference(@ForAll long seed) {
        Random r = new Random(seed);
        Format from = Gen.anyFormat(r);
        Format to = Gen.anyFormat(r);
        long[] x = {Gen.operand(from, r)};
        BigDecimal mid = r.nextBoolean() ? boundary(to, Gen.operand(to, r), r) : null;
        if (mid != null) { // the source code nearest a tie / the overflow threshold of the target, or a neighbour
            long c = RefOps.fromBigDecimal(from, mid, new Env(Rounding.RNE));
            switch (r.nextInt(4)) {
                case 0: c = from.nextUp(c); break;
                case 1: c = from.nextDown(c); break;
                default: break; // the midpoint itself when the source holds it
            }
            x[0] = c;
        }
        check("convert " + from + " ->", to, x, r, (g, v, e) -> FloatOps.convert(from, v[0], g, e),
                (g, v, e) -> RefOps.convert(from, v[0], g, e));
    }

    @Property
    void fromDoubleMatchesReference(@ForAll long seed) {
        Random r = new Random(seed);
        Format to = Gen.anyFormat(r);
        long bits = Gen.operand(Format.BINARY64, r);
        int pick = r.nextInt(4);
        if (pick == 1) { // a double near a value of the target format
            long t = Gen.operand(to, r);
            if (to.classify(t).isFinite() && to.fitsInDouble()) {
                double d = to.toDouble(t);
                bits = Double.doubleToRawLongBits(d) + r.nextInt(5) - 2;
            }
        } else if (pick >= 2) { // a target tie or the overflow threshold, and +-1 double ulp when it is a double
            BigDecimal mid = boundary(to, Gen.operand(to, r), r);
            if (mid != null) {
                double d = mid.doubleValue();
                bits = Double.doubleToRawLongBits(d);
                if (!Double.isInfinite(d) && d != 0 && new BigDecimal(d).compareTo(mid) == 0) {
                    bits += r.nextInt(3) - 1; // same sign, one ulp either way (magnitude order = bit order)
                }
            }
        }
        long[] x = {bits};
        check("fromDouble", to, x, r, (g, v, e) -> FloatOps.fromDouble(g, Double.longBitsToDouble(v[0]), e),
                (g, v, e) -> RefOps.fromDouble(g, Double.longBitsToDouble(v[0]), e));
    }

    /** The binary16 specialised path ({@code Half}): add, sub, mul, fma on edge-biased operands. */
    @Property
    void binary16PathMatchesReference(@ForAll long seed) {
        Random r = new Random(seed);
        Format f = r.nextBoolean() ? Format.BINARY16 : Format.parse("fp16");
        long[] x = pair(f, r);
        check("add", f, x, r, (g, v, e) -> FloatOps.add(g, v[0], v[1], e), (g, v, e) -> RefOps.add(g, v[0], v[1], e));
        check("sub", f, x, r, (g, v, e) -> FloatOps.sub(g, v[0], v[1], e), (g, v, e) -> RefOps.sub(g, v[0], v[1], e));
        check("mul", f, x, r, (g, v, e) -> FloatOps.mul(g, v[0], v[1], e), (g, v, e) -> RefOps.mul(g, v[0], v[1], e));
        long c = r.nextBoolean() ? Gen.operand(f, r) : Gen.related(f, RefOps.mul(f, x[0], x[1], new Env(Rounding.RNE)) ^ 0x8000, r);
        long[] y = {x[0], x[1], c & 0xFFFF};
        check("fma", f, y, r, (g, v, e) -> FloatOps.fma(g, v[0], v[1], v[2], e),
                (g, v, e) -> RefOps.fma(g, v[0], v[1], v[2], e));
    }
}
