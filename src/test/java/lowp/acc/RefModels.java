package lowp.acc;

import lowp.format.Format;
import lowp.ref.Exact;
import lowp.ref.RefRounder;
import lowp.round.Env;
import lowp.round.Mode;
import lowp.round.Rounding;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * BigInteger reference of every accumulator model, written from the order specs in the model javadocs:
 * exact values, the spec's order, each rounding by {@link RefRounder}. Operands are bit patterns.
 * Random words: word(base + step) with the spec's step numbers.
 */
final class RefModels {
    private RefModels() {
    }

    /** An exact value: NaN, ±Inf, or (-1)^neg * sig * 2^exp (sig may be 0: a signed zero). */
    static final class V {
        final boolean nan;
        final boolean inf;
        final boolean neg;
        final BigInteger sig;
        final int exp;

        V(boolean nan, boolean inf, boolean neg, BigInteger sig, int exp) {
            this.nan = nan;
            this.inf = inf;
            this.neg = neg;
            this.sig = sig;
            this.exp = exp;
        }

        static final V NAN = new V(true, false, false, BigInteger.ZERO, 0);

        static V inf(boolean neg) {
            return new V(false, true, neg, BigInteger.ZERO, 0);
        }

        boolean special() {
            return nan || inf;
        }

        boolean zero() {
            return !special() && sig.signum() == 0;
        }

        BigInteger signed() {
            return neg ? sig.negate() : sig;
        }

        static V of(Format f, long bits) {
            if (f.isNaN(bits)) return NAN;
            if (f.isInf(bits)) return inf(f.isNegative(bits));
            return new V(false, false, f.isNegative(bits), BigInteger.valueOf(f.sigOf(bits)), f.expOf(bits));
        }

        V negate() {
            return new V(nan, inf, !neg, sig, exp);
        }
    }

    /** Environment of the reference: env + random words by step. */
    static final class Ctx {
        final Env env = new Env(Rounding.RNE);
        final RandomSource rng;
        long base;

        Ctx(RandomSource rng, long element) {
            this.rng = rng;
            this.base = element << Lane.ELEMENT_SHIFT;
        }
    }

    /** Rounds the exact value (-1)^neg sig 2^exp into f; zero sig gives a zero of sign zneg. */
    static V round(Format f, Rounding r, long step, boolean neg, BigInteger sig, int exp, Ctx ctx) {
        ctx.env.rounding = r;
        if (r.isStochastic()) {
            ctx.env.random = ctx.rng.word(ctx.base + step);
        }
        long bits = RefRounder.round(f, neg, sig.signum() == 0 ? null : Exact.dyadic(sig, exp), ctx.env);
        return V.of(f, bits);
    }

    static V add(Format f, Rounding r, long step, V x, V y, Ctx ctx) {
        if (x.nan || y.nan) return V.NAN;
        if (x.inf && y.inf && x.neg != y.neg) {
            ctx.env.flags |= lowp.round.Flags.INVALID; // Inf - Inf (IEEE 754 §7.2)
            return V.NAN;
        }
        if (x.inf || y.inf) return V.of(f, infinity(f, x.inf ? x.neg : y.neg, ctx.env));
        if (x.zero() && y.zero()) {
            boolean zneg = x.neg == y.neg ? x.neg : r.mode() == Mode.RDN;
            return round(f, r, step, zneg, BigInteger.ZERO, 0, ctx);
        }
        int e = Math.min(x.exp, y.exp);
        BigInteger s = x.signed().shiftLeft(x.exp - e).add(y.signed().shiftLeft(y.exp - e));
        if (s.signum() == 0) {
            return round(f, r, step, r.mode() == Mode.RDN, BigInteger.ZERO, 0, ctx);
        }
        return round(f, r, step, s.signum() < 0, s.abs(), e, ctx);
    }

    /** An exact infinite result in f (via the reference conversion of a binary64 infinity). */
    static long infinity(Format f, boolean neg, Env env) {
        long inf = 0x7FF0000000000000L | (neg ? Long.MIN_VALUE : 0);
        return lowp.ref.RefOps.convert(Format.BINARY64, inf, f, env);
    }

    /** Exact product (no rounding); 0*Inf = NaN, raising INVALID (IEEE 754 §7.2). */
    static V mulExact(V x, V y, Ctx ctx) {
        if (x.nan || y.nan) return V.NAN;
        boolean neg = x.neg ^ y.neg;
        if ((x.inf && y.zero()) || (y.inf && x.zero())) {
            ctx.env.flags |= lowp.round.Flags.INVALID;
            return V.NAN;
        }
        if (x.inf || y.inf) return V.inf(neg);
        return new V(false, false, neg, x.sig.multiply(y.sig), x.exp + y.exp);
    }

    /** Rounds an exact (possibly special) value into f. */
    static V convert(Format f, Rounding r, long step, V p, Ctx ctx) {
        if (p.nan) return V.NAN;
        if (p.inf) return V.of(f, infinity(f, p.neg, ctx.env));
        return round(f, r, step, p.neg, p.sig, p.exp, ctx);
    }

    // ------------------------------------------------------------------ models

    static V sequential(SequentialModel m, long[] x, long[] y, long c, Ctx ctx) {
        Format in = m.inputFormat();
        Format acc = m.accumulatorFormat();
        int n = x.length;
        List<V> t = new ArrayList<>();
        V cv = V.of(acc, c);
        if (m.order() == SequentialModel.Order.PAIRWISE) {
            t.add(cv);
            for (int i = 0; i < n; i++) {
                V p = mulExact(V.of(in, x[i]), V.of(in, y[i]), ctx);
                t.add(m.isFma() ? p : convert(m.productFormat(), m.productRounding(), i, p, ctx));
            }
            long[] counter = {n};
            return pair(m, t, 0, n + 1, counter, ctx);
        }
        V s = cv;
        if (!m.compensated()) {
            for (int i = 0; i < n; i++) {
                V p = mulExact(V.of(in, x[i]), V.of(in, y[i]), ctx);
                if (!m.isFma()) p = convert(m.productFormat(), m.productRounding(), 2L * i, p, ctx);
                s = add(acc, m.accumulatorRounding(), 2L * i + 1, s, p, ctx);
            }
            return s;
        }
        V comp = new V(false, false, false, BigInteger.ZERO, 0);
        Rounding r = m.accumulatorRounding();
        for (int i = 0; i < n; i++) {
            long st = 5L * i;
            V p = mulExact(V.of(in, x[i]), V.of(in, y[i]), ctx);
            if (!m.isFma()) p = convert(m.productFormat(), m.productRounding(), st, p, ctx);
            V yv = add(acc, r, st + 1, p, comp.negate(), ctx);
            V tt = add(acc, r, st + 2, s, yv, ctx);
            V z = add(acc, r, st + 3, tt, s.negate(), ctx);
            comp = add(acc, r, st + 4, z, yv.negate(), ctx);
            s = tt;
        }
        return s;
    }

    private static V pair(SequentialModel m, List<V> t, int lo, int hi, long[] counter, Ctx ctx) {
        Format acc = m.accumulatorFormat();
        Rounding r = m.accumulatorRounding();
        V res;
        if (hi - lo == 1) {
            res = convert(acc, r, counter[0], t.get(lo), ctx);
        } else if (hi - lo == 2) {
            res = add(acc, r, counter[0], t.get(lo), t.get(lo + 1), ctx);
        } else {
            int mid = lo + (hi - lo + 1) / 2;
            V a = pair(m, t, lo, mid, counter, ctx);
            V b = pair(m, t, mid, hi, counter, ctx);
            res = add(acc, r, counter[0], a, b, ctx);
        }
        counter[0]++;
        return res;
    }

    static V chunked(ChunkedModel m, long[] x, long[] y, long c, Ctx ctx) {
        Format outF = m.outerFormat();
        V d = V.of(outF, c);
        long base = ctx.base;
        int q = 0;
        for (int k0 = 0; k0 < x.length; k0 += m.chunk(), q++) {
            int len = Math.min(m.chunk(), x.length - k0);
            long[] xs = java.util.Arrays.copyOfRange(x, k0, k0 + len);
            long[] ys = java.util.Arrays.copyOfRange(y, k0, k0 + len);
            ctx.base = base + ((long) (q + 1) << 20);
            Format innerOut = m.inner().outputFormat();
            V s = model(m.inner(), xs, ys, innerOut.zeroBits(false), ctx);
            ctx.base = base;
            d = add(outF, m.outerRounding(), q, d, s, ctx);
        }
        return d;
    }

    static V fused(FusedBlockModel m, long[] x, long[] y, long c, Ctx ctx) {
        Format out = m.outputFormat();
        V d = V.of(out, c);
        int j = 0;
        for (int k0 = 0; k0 < x.length; k0 += m.blockSize(), j++) {
            int len = Math.min(m.blockSize(), x.length - k0);
            d = block(m, java.util.Arrays.copyOfRange(x, k0, k0 + len), java.util.Arrays.copyOfRange(y, k0, k0 + len),
                    d, j, ctx);
        }
        return d;
    }

    /** §1.3 BlockFMA written directly: exponents from the formats' fields, BigInteger alignment. */
    static V block(FusedBlockModel m, long[] x, long[] y, V c, long step, Ctx ctx) {
        Format in = m.inputFormat();
        Format out = m.outputFormat();
        // specials
        boolean pinf = false, ninf = false;
        if (c.nan) return V.NAN;
        if (c.inf) { if (c.neg) ninf = true; else pinf = true; }
        boolean bad = false;
        for (int i = 0; i < x.length; i++) {
            V a = V.of(in, x[i]);
            V b = V.of(in, y[i]);
            if (a.nan || b.nan) return V.NAN;
            if (a.inf || b.inf) {
                if (a.zero() || b.zero()) bad = true;
                else if (a.neg ^ b.neg) ninf = true;
                else pinf = true;
            }
        }
        if (bad || (pinf && ninf)) return V.NAN;
        if (pinf || ninf) return V.inf(ninf);
        // exponents: e(v) = max(floor(log2|v|), emin) for the format the value belongs to
        Integer emax = null;
        if (m.expFloor() != Integer.MIN_VALUE) emax = m.expFloor();
        if (!c.zero()) {
            int ec = Math.max(c.sig.bitLength() - 1 + c.exp, out.emin());
            emax = emax == null ? ec : Math.max(emax, ec);
        } else if (m.cZeroParticipates()) {
            emax = emax == null ? out.emin() : Math.max(emax, out.emin());
        }
        List<V> prods = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            V a = V.of(in, x[i]);
            V b = V.of(in, y[i]);
            if (a.zero() || b.zero()) continue;
            int ea = Math.max(a.sig.bitLength() - 1 + a.exp, in.emin());
            int eb = Math.max(b.sig.bitLength() - 1 + b.exp, in.emin());
            emax = emax == null ? ea + eb : Math.max(emax, ea + eb);
            prods.add(mulExact(a, b, ctx));
        }
        if (emax == null) return new V(false, false, false, BigInteger.ZERO, 0);
        int q = emax - m.fractionBits(); // unit of the aligned integers
        BigInteger sum = BigInteger.ZERO;
        List<V> addends = new ArrayList<>(prods);
        if (!c.zero()) addends.add(c);
        for (V t : addends) {
            // floor(|t| / 2^q) (magnitude) or floor(t / 2^q) (FLOOR)
            int sh = t.exp - q;
            BigInteger mag = sh >= 0 ? t.sig.shiftLeft(sh) : t.sig.shiftRight(-sh);
            boolean lost = sh < 0 && !mag.shiftLeft(-sh).equals(t.sig);
            BigInteger v = t.neg ? mag.negate() : mag;
            if (t.neg && lost && m.align() == FusedBlockModel.Align.FLOOR) v = v.subtract(BigInteger.ONE);
            sum = sum.add(v);
        }
        if (sum.signum() == 0) return new V(false, false, false, BigInteger.ZERO, 0);
        boolean neg = sum.signum() < 0;
        BigInteger mag = sum.abs();
        if (mag.bitLength() - 1 + q > out.emax()) return V.inf(neg);
        Format rf = m.accumulatorFraction() == out.manBits() ? out
                : Format.of(out.expBits(), m.accumulatorFraction(), out.bias(), out.kind(), false, true);
        return round(rf, m.outRounding(), step, neg, mag, q, ctx);
    }

    static V model(AccumulatorModel m, long[] x, long[] y, long c, Ctx ctx) {
        if (m instanceof SequentialModel) return sequential((SequentialModel) m, x, y, c, ctx);
        if (m instanceof ChunkedModel) return chunked((ChunkedModel) m, x, y, c, ctx);
        if (m instanceof FusedBlockModel) return fused((FusedBlockModel) m, x, y, c, ctx);
        throw new IllegalArgumentException(m.toString());
    }

    /** The reference result as a bit pattern of the model's output format. */
    static long dot(AccumulatorModel m, long[] x, long[] y, long c, RandomSource rng, long element) {
        return dot(m, x, y, c, rng, element, new int[1]);
    }

    /** {@link #dot}, with the IEEE flags the reference raised stored in {@code flags[0]}. */
    static long dot(AccumulatorModel m, long[] x, long[] y, long c, RandomSource rng, long element, int[] flags) {
        Ctx ctx = new Ctx(rng, element);
        V v = model(m, x, y, c, ctx);
        flags[0] = ctx.env.flags;
        Format f = m.outputFormat();
        if (v.nan) return f.defaultNaN();
        if (v.inf) return (v.neg ? f.signBit() : 0) | f.infBits();
        // v is a value of f (or of a subset format): re-encode exactly
        long bits = RefRounder.round(f, v.neg, v.sig.signum() == 0 ? null : Exact.dyadic(v.sig, v.exp), new Env(Rounding.RTZ));
        return bits;
    }
}
