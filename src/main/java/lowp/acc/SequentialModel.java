package lowp.acc;

import lowp.format.Format;
import lowp.round.Rounding;

import java.util.Objects;

/**
 * Floating-point accumulation with separately chosen product and accumulator formats (mptorch /
 * APyTypes style). Terms: t_0 = c, t_i = x_i*y_i rounded into the product format with its rounding
 * ({@code mulFormat == null}: the exact product, i.e. FMA, one rounding per multiply-add).
 *
 * <p>Order spec:
 * <ul>
 *   <li>{@link Order#SEQUENTIAL}: s = c; for i = 1..n: s = round_acc(s + t_i). Rounding steps: product of
 *       term i (1-based) = 2(i-1), addition = 2(i-1)+1.</li>
 *   <li>{@link Order#SEQUENTIAL} compensated (Kahan in the accumulator format, comp = 0 initially):
 *       y = round(t_i - comp); t = round(s + y); z = round(t - s); comp = round(z - y); s = t.
 *       With FMA the first step is y = round(x_i*y_i - comp) (exact product). Steps of term i: product
 *       5(i-1), y +1, t +2, z +3, comp +4.</li>
 *   <li>{@link Order#PAIRWISE}: over the n+1 terms (c first): P(lo,hi) = round_acc(t_lo) for one term,
 *       round_acc(t_lo + t_{lo+1}) (one rounding of the exact sum) for two, else
 *       round_acc(P(lo,mid) + P(mid,hi)) with mid = lo + ceil((hi-lo)/2). Steps: product i = i-1,
 *       tree roundings n + (post-order index of the node).</li>
 * </ul>
 */
public final class SequentialModel extends AccumulatorModel {

    public enum Order { SEQUENTIAL, PAIRWISE }

    final Format in;
    final Format mul;
    final Rounding mulRnd;
    final Format acc;
    final Rounding accRnd;
    final Order order;
    final boolean compensated;
    private final FastRound fastMul;
    private final FastRound fastAcc;
    private final boolean fast;
    private final boolean sumExact;

    public SequentialModel(Format in, Format mul, Rounding mulRnd, Format acc, Rounding accRnd, Order order,
                           boolean compensated) {
        this.in = Objects.requireNonNull(in);
        this.mul = mul;
        this.mulRnd = mul == null ? null : Objects.requireNonNull(mulRnd);
        this.acc = Objects.requireNonNull(acc);
        this.accRnd = Objects.requireNonNull(accRnd);
        this.order = Objects.requireNonNull(order);
        this.compensated = compensated;
        checkInput(in);
        checkAcc(acc);
        if (mul != null) {
            checkAcc(mul);
        }
        if (compensated && order != Order.SEQUENTIAL) {
            throw new IllegalArgumentException("compensated summation is defined for the sequential order only");
        }
        this.fastMul = FastRound.of(mul, mulRnd);
        this.fastAcc = FastRound.of(acc, accRnd);
        this.fast = order == Order.SEQUENTIAL && !compensated && fastAcc != null && (mul == null || fastMul != null);
        // s + t is exact in binary64 when the span from the largest possible leading bit to the smallest
        // possible last bit of both operands fits in 53 bits
        int top = Math.max(acc.emax(), mul == null ? 2 * in.emax() + 1 : mul.emax());
        int low = Math.min(acc.minQuantumExp(), mul == null ? 2 * in.minQuantumExp() : mul.minQuantumExp());
        this.sumExact = (long) top - low + 1 <= 53;
    }

    /** Sequential, products rounded into mul, sums into acc. */
    public static SequentialModel separate(Format in, Format mul, Rounding mulRnd, Format acc, Rounding accRnd) {
        return new SequentialModel(in, mul, mulRnd, acc, accRnd, Order.SEQUENTIAL, false);
    }

    /** Sequential FMA chain: s = round_acc(s + x_i*y_i), one rounding per multiply-add. */
    public static SequentialModel fma(Format in, Format acc, Rounding accRnd) {
        return new SequentialModel(in, null, null, acc, accRnd, Order.SEQUENTIAL, false);
    }

    public Format productFormat() { return mul; }
    public Rounding productRounding() { return mulRnd; }
    public Format accumulatorFormat() { return acc; }
    public Rounding accumulatorRounding() { return accRnd; }
    public Order order() { return order; }
    public boolean compensated() { return compensated; }
    public boolean isFma() { return mul == null; }

    @Override
    public Format inputFormat() { return in; }

    @Override
    public Format outputFormat() { return acc; }

    @Override
    public String describe() {
        return (compensated ? "kahan " : "") + order.name().toLowerCase() + " in=" + in
                + (mul == null ? " fma" : " mul=" + mul + "/" + mulRnd) + " acc=" + acc + "/" + accRnd;
    }

    @Override
    public long stepsFor(int n) {
        if (order == Order.PAIRWISE) {
            return 3L * n + 3;
        }
        return (compensated ? 5L : 2L) * n;
    }

    @Override
    public boolean hasDoubleKernel() {
        return fast;
    }

    /**
     * Sequential fast kernel (RNE/RTZ, IEEE/FN formats): products are exact in binary64 (inputs have at most
     * 24 bits), each sum is checked exact with TwoSum, each rounding by {@link FastRound}; anything else
     * (specials, tiny or overflowing values, an inexact binary64 sum) returns NONE.
     */
    @Override
    public long dotDouble(double[] a, int ao, int as, double[] b, int bo, int bs, int n, long c, Lane lane) {
        if (!fast || Packed.special(c)) {
            return Packed.NONE;
        }
        if (fastMul != null && sumExact && !fastMul.rtz && !fastAcc.rtz) {
            return rneSeparate(a, ao, as, b, bo, bs, n, c, lane);
        }
        double s = Packed.toDouble(c);
        boolean inexact = false;
        boolean underflow = false;
        final FastRound fm = fastMul;
        final FastRound fa = fastAcc;
        for (int i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) {
            double p = a[ia] * b[ib];
            double t = p;
            if (fm != null) {
                t = fm.round(p);
                if (t != t) {
                    return Packed.NONE;
                }
                if (t != p) {
                    inexact = true;
                    underflow |= Math.abs(p) < fm.minNormal;
                }
            }
            double sum = s + t;
            if (!sumExact) {
                double bb = sum - s;
                double err = (s - (sum - bb)) + (t - bb);
                if (err != 0 || sum != sum) {
                    return Packed.NONE;
                }
            }
            double r = fa.round(sum);
            if (r != r) {
                return Packed.NONE;
            }
            if (r != sum) {
                inexact = true;
                underflow |= Math.abs(sum) < fa.minNormal;
            }
            s = r;
        }
        if (inexact) {
            lane.env.flags |= lowp.round.Flags.INEXACT;
        }
        if (underflow) {
            lane.env.flags |= lowp.round.Flags.UNDERFLOW;
        }
        return Packed.fromDouble(acc, s);
    }

    private static final long EXP = 0x7FF0000000000000L;

    /** Whether {@link #rneSeparate4} applies: separate RNE product and accumulator roundings, exact binary64 sums. */
    boolean hasDouble4Kernel() {
        return fast && fastMul != null && sumExact && !fastMul.rtz && !fastAcc.rtz;
    }

    /** Marks a value that needs the general path (a NaN pattern the inline rule never produces). */
    private static final long BAD = 0x7FF8000000000001L;

    /**
     * RNE of the binary64 pattern r into the format of {@code f} for {@link #rneSeparate4}, written so that C2
     * keeps the loop simple (no call, no exit): binades emin .. emax-1 (exponent fields tiny .. top) round on the
     * bit pattern, where the result cannot pass max finite (it reaches at most 2^emax, and max finite is at least
     * 2^emax); zeros and tiny values round on the subnormal grid 2^q, q = emin - m, as x + C - C with
     * C = 1.5 * 2^(q+52) (x + C stays in C's binade, whose ulp is 2^q, because |x| &lt; 2^emin &lt;= 2^(q+51); the
     * hardware rounding is RNE and ties go to even multiples of 2^q since C / 2^q is even; the subtraction is
     * exact; x's sign is put back so that a zero result keeps it). A tiny inexact rounding raises
     * UNDERFLOW|INEXACT on the lane at once. {@link #BAD} (a NaN) for the top binade, Inf, NaN, tiny values of a
     * format without subnormals ({@code tinyC} is NaN then), and tiny values that round up to 2^emin (the
     * tininess rule needs the general path). One compare decides the common case: (e - tiny) | (top - e) is
     * negative iff the exponent field e lies outside [tiny, top].
     */
    private static long roundBits(long r, long tiny, long top, long half, long low, int s, double tinyC,
                                  long minNormalBits, Lane lane) {
        long e = r & EXP;
        if (((e - tiny) | (top - e)) < 0) {
            if (e >= tiny) {
                return BAD;
            }
            double x = Double.longBitsToDouble(r);
            double y = (x + tinyC) - tinyC;
            if (y != y) {
                return BAD; // no subnormals: the general path flushes
            }
            long t = Double.doubleToRawLongBits(y) | (r & Long.MIN_VALUE);
            if (t != r) {
                if ((t & Long.MAX_VALUE) == minNormalBits) {
                    return BAD;
                }
                lane.env.flags |= lowp.round.Flags.UNDERFLOW | lowp.round.Flags.INEXACT;
            }
            return t;
        }
        return (r + (half + ((r >>> s) & 1))) & low;
    }

    /**
     * Four dot products sharing the row {@code a[ao..ao+n)} against four rows of {@code b} (B transposed),
     * interleaved so that their four rounding chains overlap (each chain is exactly {@link #rneSeparate}'s:
     * the same roundings in the same order, so the same bits and flags). Returns false, with {@code out}
     * unspecified, when any of them needs the general path (special c, overflow, a tiny value that rounds up
     * to 2^emin); flags raised before that are ones the general path raises too (it recomputes the same chains
     * with the same roundings).
     */
    boolean rneSeparate4(double[] a, int ao, double[] b, int b0, int b1, int b2, int b3, int n,
                         long c0, long c1, long c2, long c3, long[] out, Lane lane) {
        if (Packed.special(c0) || Packed.special(c1) || Packed.special(c2) || Packed.special(c3)) {
            return false;
        }
        final FastRound fm = fastMul;
        final FastRound fa = fastAcc;
        final long mT = fm.tinyField, mH = fm.hugeField - (1L << 52), mHalf = fm.halfMinus1, mLow = ~fm.lowMask;
        final int mS = fm.s;
        final double mC = fm.sub ? 1.5 * FastRound.pow2(fm.emin - fm.m + 52) : Double.NaN;
        final long mMin = Double.doubleToRawLongBits(fm.minNormal);
        final long aT = fa.tinyField, aH = fa.hugeField - (1L << 52), aHalf = fa.halfMinus1, aLow = ~fa.lowMask;
        final int aS = fa.s;
        final double aC = fa.sub ? 1.5 * FastRound.pow2(fa.emin - fa.m + 52) : Double.NaN;
        final long aMin = Double.doubleToRawLongBits(fa.minNormal);
        double s0 = Packed.toDouble(c0), s1 = Packed.toDouble(c1), s2 = Packed.toDouble(c2), s3 = Packed.toDouble(c3);
        long changed = 0; // OR of (rounded XOR exact) over every rounding: non-zero iff some rounding was inexact
        // No exit inside the loop (C2 compiles the loop worse with early returns): a BAD
        // rounding is a NaN; NaN + t is NaN and roundBits(NaN) is BAD again, so it reaches s0..s3, and the check
        // after the loop sends the group to the general path. The c values are not special, so s starts finite.
        for (int i = 0; i < n; i++) {
            double x = a[ao + i];
            long p0 = Double.doubleToRawLongBits(x * b[b0 + i]);
            long p1 = Double.doubleToRawLongBits(x * b[b1 + i]);
            long p2 = Double.doubleToRawLongBits(x * b[b2 + i]);
            long p3 = Double.doubleToRawLongBits(x * b[b3 + i]);
            long t0 = roundBits(p0, mT, mH, mHalf, mLow, mS, mC, mMin, lane);
            long t1 = roundBits(p1, mT, mH, mHalf, mLow, mS, mC, mMin, lane);
            long t2 = roundBits(p2, mT, mH, mHalf, mLow, mS, mC, mMin, lane);
            long t3 = roundBits(p3, mT, mH, mHalf, mLow, mS, mC, mMin, lane);
            changed |= (t0 ^ p0) | (t1 ^ p1) | (t2 ^ p2) | (t3 ^ p3);
            long u0 = Double.doubleToRawLongBits(s0 + Double.longBitsToDouble(t0));
            long u1 = Double.doubleToRawLongBits(s1 + Double.longBitsToDouble(t1));
            long u2 = Double.doubleToRawLongBits(s2 + Double.longBitsToDouble(t2));
            long u3 = Double.doubleToRawLongBits(s3 + Double.longBitsToDouble(t3));
            long r0 = roundBits(u0, aT, aH, aHalf, aLow, aS, aC, aMin, lane);
            long r1 = roundBits(u1, aT, aH, aHalf, aLow, aS, aC, aMin, lane);
            long r2 = roundBits(u2, aT, aH, aHalf, aLow, aS, aC, aMin, lane);
            long r3 = roundBits(u3, aT, aH, aHalf, aLow, aS, aC, aMin, lane);
            changed |= (r0 ^ u0) | (r1 ^ u1) | (r2 ^ u2) | (r3 ^ u3);
            s0 = Double.longBitsToDouble(r0);
            s1 = Double.longBitsToDouble(r1);
            s2 = Double.longBitsToDouble(r2);
            s3 = Double.longBitsToDouble(r3);
        }
        return finish4(s0, s1, s2, s3, changed, out, lane);
    }

    /** The end of the four-column kernel: false if a BAD NaN reached a sum, else flags and packed results. */
    private boolean finish4(double s0, double s1, double s2, double s3, long changed, long[] out, Lane lane) {
        if (s0 != s0 || s1 != s1 || s2 != s2 || s3 != s3) {
            return false; // some rounding gave BAD, a NaN that every later sum and rounding carries to the end
        }
        if (changed != 0) {
            lane.env.flags |= lowp.round.Flags.INEXACT;
        }
        out[0] = Packed.fromDouble(acc, s0);
        out[1] = Packed.fromDouble(acc, s1);
        out[2] = Packed.fromDouble(acc, s2);
        out[3] = Packed.fromDouble(acc, s3);
        return true;
    }

    /**
     * The hot loop of {@link #dotDouble} for separate RNE product and accumulator roundings whose binary64
     * sums are always exact: {@link FastRound#round}'s normal-range rule written inline (bit-pattern
     * rounding), edge values through {@link FastRound#round} itself.
     */
    private long rneSeparate(double[] a, int ao, int as, double[] b, int bo, int bs, int n, long c, Lane lane) {
        final FastRound fm = fastMul;
        final FastRound fa = fastAcc;
        final long mTiny = fm.tinyField, mHuge = fm.hugeField, mHalf = fm.halfMinus1, mLow = ~fm.lowMask, mMax = fm.maxBits;
        final int mS = fm.s;
        final long aTiny = fa.tinyField, aHuge = fa.hugeField, aHalf = fa.halfMinus1, aLow = ~fa.lowMask, aMax = fa.maxBits;
        final int aS = fa.s;
        double s = Packed.toDouble(c);
        boolean inexact = false;
        boolean underflow = false;
        for (int i = 0, ia = ao, ib = bo; i < n; i++, ia += as, ib += bs) {
            double p = a[ia] * b[ib];
            long pr = Double.doubleToRawLongBits(p);
            long pe = pr & EXP;
            double t;
            if (pe >= mTiny && pe <= mHuge) {
                long tr = (pr + (mHalf + ((pr >>> mS) & 1))) & mLow;
                if ((tr & Long.MAX_VALUE) > mMax) {
                    return Packed.NONE;
                }
                inexact |= tr != pr;
                t = Double.longBitsToDouble(tr);
            } else {
                t = fm.round(p);
                if (t != t) {
                    return Packed.NONE;
                }
                if (t != p) {
                    inexact = true;
                    underflow |= Math.abs(p) < fm.minNormal;
                }
            }
            double sum = s + t;
            long sr = Double.doubleToRawLongBits(sum);
            long se = sr & EXP;
            if (se >= aTiny && se <= aHuge) {
                long rr = (sr + (aHalf + ((sr >>> aS) & 1))) & aLow;
                if ((rr & Long.MAX_VALUE) > aMax) {
                    return Packed.NONE;
                }
                inexact |= rr != sr;
                s = Double.longBitsToDouble(rr);
            } else {
                double r = fa.round(sum);
                if (r != r) {
                    return Packed.NONE;
                }
                if (r != sum) {
                    inexact = true;
                    underflow |= Math.abs(sum) < fa.minNormal;
                }
                s = r;
            }
        }
        if (inexact) {
            lane.env.flags |= lowp.round.Flags.INEXACT;
        }
        if (underflow) {
            lane.env.flags |= lowp.round.Flags.UNDERFLOW;
        }
        return Packed.fromDouble(acc, s);
    }

    @Override
    public long dotPacked(long[] a, int ao, int as, long[] b, int bo, int bs, int n, long c, Lane lane) {
        if (order == Order.PAIRWISE) {
            return pairwise(a, ao, as, b, bo, bs, n, c, lane);
        }
        if (compensated) {
            return kahan(a, ao, as, b, bo, bs, n, c, lane);
        }
        long s = c;
        for (int i = 0; i < n; i++) {
            long x = a[ao + i * as];
            long y = b[bo + i * bs];
            if (Packed.special(x) || Packed.special(y) || Packed.special(s)) {
                long t = productSpecialAware(x, y, 2L * i, lane);
                s = FloatArith.add(acc, accRnd, 2L * i + 1, s, t, lane);
                if (Packed.isNaN(s)) {
                    return s;
                }
                continue;
            }
            boolean neg = (x ^ y) < 0;
            long sig = Packed.sig(x) * Packed.sig(y);
            int exp = Packed.exp(x) + Packed.exp(y);
            if (mul != null) {
                long t = FloatArith.round(mul, mulRnd, 2L * i, neg, sig, exp, false, lane);
                s = FloatArith.add(acc, accRnd, 2L * i + 1, s, t, lane);
            } else {
                s = FloatArith.addRound(acc, accRnd, 2L * i + 1, s < 0, Packed.sig(s), Packed.exp(s), neg, sig, exp,
                        lane);
            }
        }
        return s;
    }

    /**
     * The term x*y as a packed value: rounded into the product format, or (FMA) exact, which must then be
     * special or fit a packed significand; used on the special-value path only.
     */
    private long productSpecialAware(long x, long y, long step, Lane lane) {
        if (Packed.special(x) || Packed.special(y)) {
            if (mul != null) {
                return FloatArith.mul(mul, mulRnd, step, x, y, lane);
            }
            if (Packed.isNaN(x) || Packed.isNaN(y)) {
                return Packed.NAN;
            }
            if (Packed.isZero(x) || Packed.isZero(y)) {
                lane.env.flags |= lowp.round.Flags.INVALID;
                return Packed.NAN;
            }
            return Packed.inf((x ^ y) < 0);
        }
        if (mul != null) {
            return FloatArith.mul(mul, mulRnd, step, x, y, lane);
        }
        return Packed.POS_ZERO; // finite product added to a special accumulator: only its finiteness matters
    }

    private long kahan(long[] a, int ao, int as, long[] b, int bo, int bs, int n, long c, Lane lane) {
        long s = c;
        long comp = Packed.POS_ZERO;
        for (int i = 0; i < n; i++) {
            long x = a[ao + i * as];
            long y = b[bo + i * bs];
            long st = 5L * i;
            long yv;
            if (Packed.special(x) || Packed.special(y) || Packed.special(comp)) {
                long t = productSpecialAware(x, y, st, lane);
                if (mul == null && !Packed.special(x) && !Packed.special(y)) {
                    t = Packed.POS_ZERO; // finite exact product, comp special
                }
                yv = FloatArith.add(acc, accRnd, st + 1, t, comp ^ Long.MIN_VALUE, lane);
            } else if (mul != null) {
                long t = FloatArith.round(mul, mulRnd, st, (x ^ y) < 0, Packed.sig(x) * Packed.sig(y),
                        Packed.exp(x) + Packed.exp(y), false, lane);
                yv = FloatArith.add(acc, accRnd, st + 1, t, comp ^ Long.MIN_VALUE, lane);
            } else {
                yv = FloatArith.addRound(acc, accRnd, st + 1, (x ^ y) < 0, Packed.sig(x) * Packed.sig(y),
                        Packed.exp(x) + Packed.exp(y), comp >= 0, Packed.sig(comp), Packed.exp(comp), lane);
            }
            long t = FloatArith.add(acc, accRnd, st + 2, s, yv, lane);
            long z = FloatArith.add(acc, accRnd, st + 3, t, s ^ Long.MIN_VALUE, lane);
            comp = FloatArith.add(acc, accRnd, st + 4, z, yv ^ Long.MIN_VALUE, lane);
            s = t;
        }
        return s;
    }

    // ------------------------------------------------------------------ pairwise

    private long pairwise(long[] a, int ao, int as, long[] b, int bo, int bs, int n, long c, Lane lane) {
        int m = n + 1;
        Terms t = new Terms(m);
        t.set(0, c);
        for (int i = 0; i < n; i++) {
            long x = a[ao + i * as];
            long y = b[bo + i * bs];
            if (Packed.special(x) || Packed.special(y)) {
                t.set(i + 1, productSpecialAware(x, y, i, lane));
            } else if (mul != null) {
                t.set(i + 1, FloatArith.round(mul, mulRnd, i, (x ^ y) < 0, Packed.sig(x) * Packed.sig(y),
                        Packed.exp(x) + Packed.exp(y), false, lane));
            } else {
                t.setExact(i + 1, (x ^ y) < 0, Packed.sig(x) * Packed.sig(y), Packed.exp(x) + Packed.exp(y));
            }
        }
        long[] counter = {n};
        return node(t, 0, m, counter, lane);
    }

    private long node(Terms t, int lo, int hi, long[] counter, Lane lane) {
        int size = hi - lo;
        long r;
        if (size == 1) {
            if (t.special[lo] != 0) {
                r = t.special[lo] == 1 ? FloatArith.addSpecial(acc, Packed.inf(t.neg[lo]), Packed.POS_ZERO, lane)
                        : Packed.NAN;
            } else {
                r = FloatArith.round(acc, accRnd, counter[0], t.neg[lo], t.sig[lo], t.exp[lo], false, lane);
            }
        } else if (size == 2) {
            int h = lo + 1;
            if (t.special[lo] != 0 || t.special[h] != 0) {
                r = FloatArith.addSpecial(acc, t.packedSpecial(lo), t.packedSpecial(h), lane);
            } else {
                r = FloatArith.addRound(acc, accRnd, counter[0], t.neg[lo], t.sig[lo], t.exp[lo], t.neg[h], t.sig[h],
                        t.exp[h], lane);
            }
        } else {
            int mid = lo + (size + 1) / 2;
            long left = node(t, lo, mid, counter, lane);
            long right = node(t, mid, hi, counter, lane);
            r = FloatArith.add(acc, accRnd, counter[0], left, right, lane);
        }
        counter[0]++;
        return r;
    }

    /** Terms of a pairwise sum: exact values (products up to 48 bits) or specials. */
    private static final class Terms {
        final boolean[] neg;
        final long[] sig;
        final int[] exp;
        final byte[] special; // 0 finite, 1 inf, 2 nan

        Terms(int m) {
            neg = new boolean[m];
            sig = new long[m];
            exp = new int[m];
            special = new byte[m];
        }

        void set(int i, long p) {
            neg[i] = Packed.neg(p);
            if (Packed.special(p)) {
                special[i] = (byte) (Packed.isNaN(p) ? 2 : 1);
            } else {
                sig[i] = Packed.sig(p);
                exp[i] = Packed.exp(p);
            }
        }

        void setExact(int i, boolean n, long s, int e) {
            neg[i] = n;
            sig[i] = s;
            exp[i] = e;
        }

        /** Packed stand-in for the special-value rules: the special itself, or a finite zero placeholder. */
        long packedSpecial(int i) {
            if (special[i] == 2) return Packed.NAN;
            if (special[i] == 1) return Packed.inf(neg[i]);
            return Packed.POS_ZERO;
        }
    }
}
