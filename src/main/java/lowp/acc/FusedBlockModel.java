package lowp.acc;

import lowp.format.Format;
import lowp.format.Kind;
import lowp.round.Flags;
import lowp.round.Rounding;

import java.util.Objects;

/**
 * Tensor-core multi-term fused block (docs/accumulators.md, research §1.3): for each block of k products
 * (in increasing K; the last block may be shorter, which equals zero padding) with addend c:
 * <ol>
 *   <li>products are exact: x*y with exponent X_i = e_x + e_y (raw, not renormalised; a subnormal input
 *       has e = emin of the input format); zero products take no part;</li>
 *   <li>c takes part with X_c = max(e_c, emin_out) (when c = 0 only if {@code cZeroParticipates}, with
 *       X_c = emin_out);</li>
 *   <li>E = max(X_i, X_c, expFloor); every addend is scaled to units of 2^(E-F) and truncated toward zero
 *       in magnitude ({@link Align#TRUNC_MAGNITUDE}) or toward -inf ({@link Align#FLOOR});</li>
 *   <li>the truncated integers are summed exactly; a zero sum gives +0;</li>
 *   <li>the sum is normalised once and rounded ({@code outRounding}) to {@code accFraction} fraction bits in
 *       the output format's exponent range (e.g. fp32 with 23 bits, fp16 with 10, e8m13 with 13 held in an
 *       fp32 container); a value at or above 2^(emax+1) gives ±Inf even under round-toward-zero;</li>
 *   <li>the result is the next block's c.</li>
 * </ol>
 * Specials: any NaN, 0*Inf, or Infs of both signs (products and c) give NaN; otherwise an Inf gives that Inf.
 * Rounding step of block j (0-based) is j.
 */
public final class FusedBlockModel extends AccumulatorModel {

    public enum Align { TRUNC_MAGNITUDE, FLOOR }

    final Format in;
    final Format out;
    final int k;
    final int f;
    final int accFraction;
    final Rounding outRnd;
    final Align align;
    final boolean cZeroParticipates;
    final int expFloor;
    final Format roundFmt;
    private final int inM;
    private final int outEmin;
    private final int outEmax;
    private final FastRound fastOut;
    /** F - 2m clamped at 0: the largest left shift of an exact product significand. */
    private final int lead;
    private final boolean branchless;

    public FusedBlockModel(Format in, Format out, int k, int fractionBits, int accFraction, Rounding outRnd,
                           Align align, boolean cZeroParticipates, int expFloor) {
        this.in = Objects.requireNonNull(in);
        this.out = Objects.requireNonNull(out);
        checkInput(in);
        checkAcc(out);
        if (k < 1) {
            throw new IllegalArgumentException("block size k must be >= 1");
        }
        if (fractionBits < 1 || fractionBits > 40) {
            throw new IllegalArgumentException("F must be in 1..40, got " + fractionBits);
        }
        // the block sum is an exact long: each of the k products is below 2^(F+2) units of 2^(E-F), c below
        // 2^(F+1), so |sum| < (k+1)·2^(F+2), which must stay below 2^63
        if (k + 1L > (Long.MAX_VALUE >> (fractionBits + 2))) {
            throw new IllegalArgumentException("block size k = " + k + " with F = " + fractionBits
                    + " can overflow the exact 64-bit block sum ((k+1)*2^(F+2) must be < 2^63): k must be <= "
                    + ((Long.MAX_VALUE >> (fractionBits + 2)) - 1));
        }
        if (accFraction < 1 || accFraction > out.manBits()) {
            throw new IllegalArgumentException("accumulator fraction bits must be in 1.." + out.manBits());
        }
        if (out.kind() != Kind.IEEE) {
            throw new IllegalArgumentException("fused-block output format must be IEEE-like, got " + out);
        }
        this.k = k;
        this.f = fractionBits;
        this.accFraction = accFraction;
        this.outRnd = Objects.requireNonNull(outRnd);
        this.align = Objects.requireNonNull(align);
        this.cZeroParticipates = cZeroParticipates;
        this.expFloor = expFloor;
        this.roundFmt = accFraction == out.manBits() ? out
                : Format.of(out.expBits(), accFraction, out.bias(), Kind.IEEE, false, true);
        this.inM = in.manBits();
        this.outEmin = out.emin();
        this.outEmax = out.emax();
        this.fastOut = FastRound.of(roundFmt, outRnd);
        this.lead = Math.max(0, fractionBits - 2 * in.manBits());
        this.branchless = 2 * in.precision() + lead <= 62;
    }

    /** The NVIDIA default: truncation of magnitudes, c = 0 takes part (MMA-Sim), no extra floor. */
    public FusedBlockModel(Format in, Format out, int k, int fractionBits, int accFraction, Rounding outRnd) {
        this(in, out, k, fractionBits, accFraction, outRnd, Align.TRUNC_MAGNITUDE, true, Integer.MIN_VALUE);
    }

    public int blockSize() { return k; }
    public int fractionBits() { return f; }
    public int accumulatorFraction() { return accFraction; }
    public Rounding outRounding() { return outRnd; }
    public Align align() { return align; }
    public boolean cZeroParticipates() { return cZeroParticipates; }
    public int expFloor() { return expFloor; }

    @Override
    public Format inputFormat() { return in; }

    @Override
    public Format outputFormat() { return out; }

    @Override
    public String describe() {
        return "fused-block in=" + in + " k=" + k + " F=" + f + " align=" + align.name().toLowerCase()
                + " out=" + out + (accFraction != out.manBits() ? "(" + accFraction + " fraction bits)" : "")
                + "/" + outRnd + (cZeroParticipates ? "" : " c0-excluded")
                + (expFloor != Integer.MIN_VALUE ? " expFloor=" + expFloor : "");
    }

    @Override
    public long stepsFor(int n) {
        return (n + k - 1L) / k + 1;
    }

    @Override
    public long dotPacked(long[] a, int ao, int as, long[] b, int bo, int bs, int n, long c, Lane lane) {
        long d = c;
        int j = 0;
        for (int k0 = 0; k0 < n; k0 += k, j++) {
            d = block(a, ao + k0 * as, as, b, bo + k0 * bs, bs, Math.min(k, n - k0), d, j, lane);
        }
        return d;
    }

    @Override
    public boolean hasDecodedKernel() {
        return align == Align.TRUNC_MAGNITUDE && branchless;
    }

    @Override
    public long dotDecoded(int[] sa, int[] ea, int ao, int[] sb, int[] eb, int bo, int n, long c, Lane lane) {
        if (!hasDecodedKernel()) {
            return Packed.NONE;
        }
        long d = c;
        int j = 0;
        for (int k0 = 0; k0 < n; k0 += k, j++) {
            if (Packed.special(d)) {
                return Packed.NONE;
            }
            d = blockDecoded(sa, ea, ao + k0, sb, eb, bo + k0, Math.min(k, n - k0), d, j, lane);
        }
        return d;
    }

    /** {@link #block} on decoded finite operands (same algorithm, same result). */
    private long blockDecoded(int[] sa, int[] ea, int ao, int[] sb, int[] eb, int bo, int len, long c, long step,
                              Lane lane) {
        int e = expFloor;
        long csig = Packed.sig(c);
        if (csig != 0) {
            int ctop = Packed.exp(c) + 63 - Long.numberOfLeadingZeros(csig);
            e = Math.max(e, Math.max(ctop, outEmin));
        } else if (cZeroParticipates) {
            e = Math.max(e, outEmin);
        }
        boolean any = csig != 0 || cZeroParticipates || expFloor != Integer.MIN_VALUE;
        int maxX = Integer.MIN_VALUE;
        for (int i = 0; i < len; i++) {
            maxX = Math.max(maxX, ea[ao + i] + eb[bo + i]);
        }
        if (maxX > ZERO_EXP / 2) { // some product has two non-zero operands
            e = Math.max(e, maxX + 2 * inM);
            any = true;
        }
        if (!any) {
            return Packed.POS_ZERO;
        }
        final int base = f - e;
        long s = 0;
        if (csig != 0) {
            s += align(c < 0, csig, Packed.exp(c) + base);
        }
        final int shift = lead - base; // t = (|p| << lead) >>> (lead - (e_a + e_b + base))
        for (int i = 0; i < len; i++) {
            long p = (long) sa[ao + i] * sb[bo + i];
            int rs = shift - (ea[ao + i] + eb[bo + i]);
            long t = (Math.abs(p) << lead) >>> Math.min(rs, 63);
            s += p < 0 ? -t : t;
        }
        return finish(s, e, step, lane);
    }

    /** One fused block: d = BlockFMA(a[0..len), b[0..len), c). */
    long block(long[] a, int ao, int as, long[] b, int bo, int bs, int len, long c, long step, Lane lane) {
        if (Packed.special(c)) {
            return specials(a, ao, as, b, bo, bs, len, c, lane);
        }
        int e = expFloor;
        long csig = Packed.sig(c);
        if (csig != 0) {
            int ctop = Packed.exp(c) + 63 - Long.numberOfLeadingZeros(csig);
            e = Math.max(e, Math.max(ctop, outEmin));
        } else if (cZeroParticipates) {
            e = Math.max(e, outEmin);
        }
        boolean any = csig != 0 || cZeroParticipates || expFloor != Integer.MIN_VALUE;
        long specialOr = 0;
        // X_i = e_x + e_y with e = last-bit exponent + m (canonical packing); from the raw exponent fields
        final int xOff = 2 * inM - 2 * Packed.OFFSET;
        // pass 1: specials and the alignment exponent E
        for (int i = 0, ia = ao, ib = bo; i < len; i++, ia += as, ib += bs) {
            long x = a[ia];
            long y = b[ib];
            // special iff the exponent field is 0: one test for both operands
            specialOr |= ((x & Packed.EXP_FIELD) - 1) | ((y & Packed.EXP_FIELD) - 1);
            if ((x & Packed.SIG_MASK) != 0 && (y & Packed.SIG_MASK) != 0) {
                e = Math.max(e, (int) (((x & Packed.EXP_FIELD) + (y & Packed.EXP_FIELD)) >>> Packed.SHIFT) + xOff);
                any = true;
            }
        }
        if (specialOr < 0) {
            return specials(a, ao, as, b, bo, bs, len, c, lane);
        }
        if (!any) {
            return Packed.POS_ZERO;
        }
        final int base = f - e; // addend value v -> v * 2^(F - E)
        long s = 0;
        if (csig != 0) {
            s += align(c < 0, csig, Packed.exp(c) + base);
        }
        // pass 2: exact products truncated at 2^(E-F), summed exactly
        if (align == Align.TRUNC_MAGNITUDE && branchless) {
            // sh <= F - 2m = lead (X_i <= E): t = (mag << lead) >>> (lead - sh), without unpredictable branches
            final int base2 = base - 2 * Packed.OFFSET - lead;
            for (int i = 0, ia = ao, ib = bo; i < len; i++, ia += as, ib += bs) {
                long x = a[ia];
                long y = b[ib];
                long mag = ((x & Packed.SIG_MASK) * (y & Packed.SIG_MASK)) << lead;
                int rs = -((int) (((x & Packed.EXP_FIELD) + (y & Packed.EXP_FIELD)) >>> Packed.SHIFT) + base2);
                long t = mag >>> Math.min(rs, 63);
                s += (x ^ y) < 0 ? -t : t;
            }
        } else if (align == Align.TRUNC_MAGNITUDE) {
            final int base2 = base - 2 * Packed.OFFSET;
            for (int i = 0, ia = ao, ib = bo; i < len; i++, ia += as, ib += bs) {
                long x = a[ia];
                long y = b[ib];
                long mag = (x & Packed.SIG_MASK) * (y & Packed.SIG_MASK);
                int sh = (int) (((x & Packed.EXP_FIELD) + (y & Packed.EXP_FIELD)) >>> Packed.SHIFT) + base2;
                long t = sh >= 0 ? mag << sh : (sh > -64 ? mag >>> -sh : 0);
                s += (x ^ y) < 0 ? -t : t;
            }
        } else {
            for (int i = 0, ia = ao, ib = bo; i < len; i++, ia += as, ib += bs) {
                long x = a[ia];
                long y = b[ib];
                long mag = (x & Packed.SIG_MASK) * (y & Packed.SIG_MASK);
                if (mag != 0) {
                    s += align((x ^ y) < 0, mag, Packed.exp(x) + Packed.exp(y) + base);
                }
            }
        }
        return finish(s, e, step, lane);
    }

    /** Normalises and rounds the exact block sum s * 2^(e - F). */
    private long finish(long s, int e, long step, Lane lane) {
        if (s == 0) {
            return Packed.POS_ZERO;
        }
        boolean neg = s < 0;
        long mag = neg ? -s : s;
        int vexp = e - f;
        int top = vexp + 63 - Long.numberOfLeadingZeros(mag);
        if (top > outEmax) {
            lane.env.flags |= Flags.OVERFLOW | Flags.INEXACT;
            return Packed.inf(neg);
        }
        if (fastOut != null && mag < (1L << 53)) {
            double v = (double) mag * FastRound.pow2(vexp); // exact: |S| < 2^53, 2^vexp a normal double
            double r = fastOut.round(v);
            if (r == r) {
                if (r != v) {
                    lane.env.flags |= v < fastOut.minNormal ? Flags.INEXACT | Flags.UNDERFLOW : Flags.INEXACT;
                }
                return Packed.fromPositiveDouble(neg, r);
            }
        }
        return FloatArith.round(roundFmt, outRnd, step, neg, mag, vexp, false, lane);
    }

    /** sig * 2^sh truncated to an integer (magnitude toward zero, or floor), with the sign applied. */
    private long align(boolean neg, long sig, int sh) {
        long t;
        boolean lost;
        if (sh >= 0) {
            t = sig << sh;
            lost = false;
        } else if (sh > -64) {
            t = sig >>> -sh;
            lost = (t << -sh) != sig;
        } else {
            t = 0;
            lost = true;
        }
        if (!neg) {
            return t;
        }
        return (align == Align.FLOOR && lost) ? -t - 1 : -t;
    }

    private long specials(long[] a, int ao, int as, long[] b, int bo, int bs, int len, long c, Lane lane) {
        boolean pos = false;
        boolean negInf = false;
        if (Packed.isNaN(c)) {
            return Packed.NAN;
        }
        if (Packed.isInf(c)) {
            if (c < 0) negInf = true; else pos = true;
        }
        boolean invalid = false;
        for (int i = 0; i < len; i++) {
            long x = a[ao + i * as];
            long y = b[bo + i * bs];
            if (Packed.isNaN(x) || Packed.isNaN(y)) {
                return Packed.NAN;
            }
            boolean xi = Packed.isInf(x);
            boolean yi = Packed.isInf(y);
            if (xi || yi) {
                if (Packed.isZero(x) || Packed.isZero(y)) {
                    invalid = true;
                } else if ((x ^ y) < 0) {
                    negInf = true;
                } else {
                    pos = true;
                }
            }
        }
        if (invalid || (pos && negInf)) {
            lane.env.flags |= Flags.INVALID;
            return Packed.NAN;
        }
        return Packed.inf(negInf);
    }
}
