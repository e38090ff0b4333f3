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

    /**
     * Whether {@link #rneSeparate4} applies: separate RNE product and accumulator roundings, exact binary64
     * sums, and format ranges for which Veltkamp's splitting ({@link #split}) stays inside binary64's normal
     * range (every value and every intermediate x*(2^(52-m)+1) between 2^-900 and 2^900).
     */
    boolean hasDouble4Kernel() {
        return fast && fastMul != null && sumExact && !fastMul.rtz && !fastAcc.rtz
                && splitRange(mul) && splitRange(acc) && 2 * in.minQuantumExp() >= -900 && 2 * in.emax() + 2 <= 840;
    }

    private static boolean splitRange(Format f) {
        return f.emax() + 1 + 52 - f.manBits() <= 900 && f.minQuantumExp() >= -900;
    }

    /**
     * Veltkamp's splitting: for x a binary64 value with 2^-900 &lt; |x| &lt; 2^840 (or zero) and
     * k = 2^(52-m) + 1, {@code g - (g - x)} with g = x*k is x rounded to m+1 significant bits, to nearest with
     * ties to even, when binary64 arithmetic is RNE (Java's always is). Dekker (1971) and Boldo ("Pitfalls of
     * a full floating-point proof", IJCAR 2006) prove round-to-nearest for any exponent range without
     * overflow; the tie rule depends only on the significand (every step scales exactly by a power of two),
     * and {@code SplitRoundingTest} checks every tie of one binade (all m+1 &lt;= 26, both signs) and random
     * values against the BigDecimal rounding. A zero x gives x itself, sign included.
     */
    static double split(double x, double k) {
        double g = x * k;
        return g - (g - x);
    }

    /**
     * The rounding of x into the format of {@code f} when x lies outside the range where {@link #split} is the
     * answer (zero, tiny, overflowing, NaN): zero as is; tiny values with subnormals on the grid 2^q,
     * q = emin - m, as x + C - C with C = 1.5 * 2^(q+52) (x + C stays in C's binade, whose ulp is 2^q, since
     * |x| &lt; 2^emin &lt;= 2^(q+51); RNE ties go to even multiples of 2^q since C / 2^q is even; the
     * subtraction is exact; x's sign is put back so that a zero result keeps it), raising UNDERFLOW|INEXACT if
     * inexact. NaN ("use the general path") for overflow, Inf, NaN, tiny values of a format without
     * subnormals ({@code tinyC} is NaN then) and tiny values that round up to 2^emin (the tininess rule needs
     * the general path).
     */
    private static double edge(double x, double minNormal, double tinyC, Lane lane) {
        if (x == 0) {
            return x;
        }
        if (!(Math.abs(x) < minNormal)) {
            return Double.NaN;
        }
        double y = (x + tinyC) - tinyC;
        if (y != y) {
            return Double.NaN;
        }
        long t = Double.doubleToRawLongBits(y) | (Double.doubleToRawLongBits(x) & Long.MIN_VALUE);
        y = Double.longBitsToDouble(t);
        if (y != x) {
            if (Math.abs(y) == minNormal) {
                return Double.NaN;
            }
            lane.env.flags |= lowp.round.Flags.UNDERFLOW | lowp.round.Flags.INEXACT;
        }
        return y;
    }

    /**
     * Four dot products sharing the row {@code a[ao..ao+n)} against four rows of {@code b} (B transposed),
     * interleaved so that their four rounding chains overlap (each chain is exactly {@link #rneSeparate}'s:
     * the same roundings in the same order, so the same bits and flags). Each rounding is {@link #split}
     * (three floating-point operations, no move to the integer unit); a product is checked to lie in
     * [2^emin, max finite] before and after it, a sum after it (and before it unless a tiny sum is exact:
     * accumulator with subnormals whose quantum divides the product format's), and anything else goes through
     * {@link #edge}.
     * Returns false, with {@code out} unspecified, when any of them needs the general path (special c,
     * overflow, a tiny value that rounds up to 2^emin); flags raised before that are ones the general path
     * raises too (it recomputes the same chains with the same roundings).
     */
    boolean rneSeparate4(double[] a, int ao, double[] b, int b0, int b1, int b2, int b3, int n,
                         long c0, long c1, long c2, long c3, boolean bounded, boolean productsSafe,
                         long[] out, Lane lane) {
        if (Packed.special(c0) || Packed.special(c1) || Packed.special(c2) || Packed.special(c3)) {
            return false;
        }
        if ((bounded || productsSafe) && (lane.env.flags & lowp.round.Flags.INEXACT) != 0 && fastAcc.sub
                && mul.minQuantumExp() >= acc.minQuantumExp()) {
            return quick4(a, ao, b, b0, b1, b2, b3, n, c0, c1, c2, c3, !bounded, out, lane);
        }
        final FastRound fm = fastMul;
        final FastRound fa = fastAcc;
        final double mK = FastRound.pow2(52 - fm.m) + 1, mMin = fm.minNormal, mMax = fm.maxFinite;
        final double mC = fm.sub ? 1.5 * FastRound.pow2(fm.emin - fm.m + 52) : Double.NaN;
        final double aK = FastRound.pow2(52 - fa.m) + 1, aMin = fa.minNormal, aMax = fa.maxFinite;
        // a tiny sum is exact when the accumulator has subnormals and its quantum divides the product format's
        // (both terms are multiples of it); otherwise sums below 2^emin go through edge
        final double aLo = fa.sub && mul.minQuantumExp() >= acc.minQuantumExp() ? 0 : aMin;
        final double aC = fa.sub ? 1.5 * FastRound.pow2(fa.emin - fa.m + 52) : Double.NaN;
        double s0 = Packed.toDouble(c0), s1 = Packed.toDouble(c1), s2 = Packed.toDouble(c2), s3 = Packed.toDouble(c3);
        // sums of |rounded - exact| per column: non-zero iff some rounding was inexact (no term underflows:
        // every value is a multiple of 2^-900 or more)
        double e0 = 0, e1 = 0, e2 = 0, e3 = 0;
        final boolean track = (lane.env.flags & lowp.round.Flags.INEXACT) == 0; // else INEXACT is known already
        // No exit inside the loop (C2 compiles the loop worse with early returns): edge's NaN propagates
        // through every later sum and rounding to s0..s3, and finish4 sends the group to the general path.
        for (int i = 0; i < n; i++) {
            double x = a[ao + i];
            double p0 = x * b[b0 + i];
            double p1 = x * b[b1 + i];
            double p2 = x * b[b2 + i];
            double p3 = x * b[b3 + i];
            double t0 = split(p0, mK);
            double t1 = split(p1, mK);
            double t2 = split(p2, mK);
            double t3 = split(p3, mK);
            if (!(Math.abs(p0) >= mMin & Math.abs(t0) <= mMax)) t0 = edge(p0, mMin, mC, lane);
            if (!(Math.abs(p1) >= mMin & Math.abs(t1) <= mMax)) t1 = edge(p1, mMin, mC, lane);
            if (!(Math.abs(p2) >= mMin & Math.abs(t2) <= mMax)) t2 = edge(p2, mMin, mC, lane);
            if (!(Math.abs(p3) >= mMin & Math.abs(t3) <= mMax)) t3 = edge(p3, mMin, mC, lane);
            double u0 = s0 + t0;
            double u1 = s1 + t1;
            double u2 = s2 + t2;
            double u3 = s3 + t3;
            double r0 = split(u0, aK);
            double r1 = split(u1, aK);
            double r2 = split(u2, aK);
            double r3 = split(u3, aK);
            if (!(Math.abs(r0) <= aMax & Math.abs(u0) >= aLo)) r0 = edge(u0, aMin, aC, lane);
            if (!(Math.abs(r1) <= aMax & Math.abs(u1) >= aLo)) r1 = edge(u1, aMin, aC, lane);
            if (!(Math.abs(r2) <= aMax & Math.abs(u2) >= aLo)) r2 = edge(u2, aMin, aC, lane);
            if (!(Math.abs(r3) <= aMax & Math.abs(u3) >= aLo)) r3 = edge(u3, aMin, aC, lane);
            if (track) {
                e0 += Math.abs(t0 - p0) + Math.abs(r0 - u0);
                e1 += Math.abs(t1 - p1) + Math.abs(r1 - u1);
                e2 += Math.abs(t2 - p2) + Math.abs(r2 - u2);
                e3 += Math.abs(t3 - p3) + Math.abs(r3 - u3);
            }
            s0 = r0;
            s1 = r1;
            s2 = r2;
            s3 = r3;
        }
        return finish4(s0, s1, s2, s3, (e0 + e1) + (e2 + e3) != 0, out, lane);
    }

    /**
     * Whether no product and no partial sum of the chains of the row {@code a[ao..ao+k)} against any column
     * with |b_q| &lt;= maxB and any |c| &lt;= maxC can pass max finite (for {@link #rneSeparate4}'s
     * {@code bounded}). RNE is monotone and odd, so |t_q| = |round(a_q b_q)| &lt;= T_q = round(|a_q| maxB)
     * (or 2^emin when |a_q| maxB is below it: no tiny value rounds above 2^emin), and if |s| &lt;= S then
     * |round(s + t_q)| &lt;= round(S + T_q) (the binary64 sums are exact; the same bound on 2^emin applies); the
     * bound S_0 = maxC, S_q = round(S_(q-1) + T_q) grows with q and every step must stay finite. False
     * when the fast rounding declines any step (a product or a sum that could overflow; NaN or Inf maxima).
     */
    boolean cannotOverflow(double[] a, int ao, int k, double maxB, double maxC) {
        if (!hasDouble4Kernel()) {
            return false;
        }
        double s = boundRound(fastAcc, maxC);
        for (int q = 0; q < k && s == s; q++) {
            double t = boundRound(fastMul, Math.abs(a[ao + q]) * maxB); // exact: inputs have at most 24 bits
            s = t != t ? t : boundRound(fastAcc, s + t);
        }
        return s == s;
    }

    /**
     * {@link #cannotOverflow} for every row at once when all |a_q| &lt;= maxA: the same bound with T_q =
     * round(maxA * maxB) for every q; it stops early once S stops growing (S_q = S_(q-1) then for all later q).
     */
    boolean cannotOverflowUniform(double maxA, double maxB, double maxC, int k) {
        if (!hasDouble4Kernel()) {
            return false;
        }
        double t = boundRound(fastMul, maxA * maxB);
        double s = boundRound(fastAcc, maxC);
        for (int q = 0; q < k && s == s && t == t; q++) {
            double next = boundRound(fastAcc, s + t);
            if (next == s) {
                break;
            }
            s = next;
        }
        return s == s && t == t;
    }

    /**
     * Whether no product of inputs with |a_q| &lt;= maxA, |b_q| &lt;= maxB can round past max finite (for
     * {@link #rneSeparate4}'s {@code productsSafe}): round(maxA * maxB) is finite (RNE is monotone and odd).
     */
    boolean productsCannotOverflow(double maxA, double maxB) {
        if (!hasDouble4Kernel()) {
            return false;
        }
        double t = boundRound(fastMul, maxA * maxB);
        return t == t;
    }

    /** An upper bound of round(x) for x &gt;= 0: round(x), 2^emin below it, NaN if x (or round(x)) passes max. */
    private static double boundRound(FastRound f, double x) {
        return x < f.minNormal ? f.minNormal : f.round(x);
    }

    /**
     * {@link #rneSeparate4} once nothing is left to learn but the values: the lane already holds INEXACT (so
     * the per-rounding exactness bookkeeping cannot change a flag), no product can pass max finite
     * ({@link #productsCannotOverflow}), and a tiny sum is exact (accumulator with subnormals whose quantum
     * divides the product format's). What is left per term: the product, its {@link #split}, a check that it
     * is not below 2^emin (zero or tiny: {@link #edge}), the sum and its split, and with {@code checkSums} a
     * check that the sum did not round past max finite (a NaN then, and the general path); without it the
     * caller guarantees that no partial sum can ({@link #cannotOverflow}). The invariant test on
     * {@code checkSums} inside the loop is unswitched by C2 into two loops.
     */
    boolean quick4(double[] a, int ao, double[] b, int b0, int b1, int b2, int b3, int n,
                   long c0, long c1, long c2, long c3, boolean checkSums, long[] out, Lane lane) {
        final FastRound fm = fastMul;
        final double mK = FastRound.pow2(52 - fm.m) + 1, mMin = fm.minNormal;
        final double mC = fm.sub ? 1.5 * FastRound.pow2(fm.emin - fm.m + 52) : Double.NaN;
        final double aK = FastRound.pow2(52 - fastAcc.m) + 1, aMax = fastAcc.maxFinite;
        double s0 = Packed.toDouble(c0), s1 = Packed.toDouble(c1), s2 = Packed.toDouble(c2), s3 = Packed.toDouble(c3);
        for (int i = 0; i < n; i++) {
            double x = a[ao + i];
            double p0 = x * b[b0 + i];
            double p1 = x * b[b1 + i];
            double p2 = x * b[b2 + i];
            double p3 = x * b[b3 + i];
            double t0 = split(p0, mK);
            double t1 = split(p1, mK);
            double t2 = split(p2, mK);
            double t3 = split(p3, mK);
            if (!(Math.abs(p0) >= mMin)) t0 = edge(p0, mMin, mC, lane);
            if (!(Math.abs(p1) >= mMin)) t1 = edge(p1, mMin, mC, lane);
            if (!(Math.abs(p2) >= mMin)) t2 = edge(p2, mMin, mC, lane);
            if (!(Math.abs(p3) >= mMin)) t3 = edge(p3, mMin, mC, lane);
            s0 = split(s0 + t0, aK);
            s1 = split(s1 + t1, aK);
            s2 = split(s2 + t2, aK);
            s3 = split(s3 + t3, aK);
            if (checkSums) {
                if (!(Math.abs(s0) <= aMax)) s0 = Double.NaN; // overflow (or NaN already): the general path
                if (!(Math.abs(s1) <= aMax)) s1 = Double.NaN;
                if (!(Math.abs(s2) <= aMax)) s2 = Double.NaN;
                if (!(Math.abs(s3) <= aMax)) s3 = Double.NaN;
            }
        }
        return finish4(s0, s1, s2, s3, false, out, lane);
    }

    /** The end of the four-column kernel: false if a BAD NaN reached a sum, else flags and packed results. */
    private boolean finish4(double s0, double s1, double s2, double s3, boolean inexact, long[] out, Lane lane) {
        if (s0 != s0 || s1 != s1 || s2 != s2 || s3 != s3) {
            return false; // some rounding gave BAD, a NaN that every later sum and rounding carries to the end
        }
        if (inexact) {
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
                // no early return on a NaN sum: every later product is still rounded (its flags, e.g. a tiny
                // inexact product's UNDERFLOW, are raised as the hardware and the reference raise them)
                s = FloatArith.add(acc, accRnd, 2L * i + 1, s, t, lane);
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
