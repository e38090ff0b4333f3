package lowp.acc.bounds;

import lowp.acc.AccContext;
import lowp.acc.ChunkedModel;
import lowp.acc.Dot;
import lowp.acc.FusedBlockModel;
import lowp.acc.SequentialModel;
import lowp.format.Format;
import lowp.round.Flags;
import lowp.round.Mode;
import lowp.round.Rounding;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Error-bound checkers for the accumulator models (docs/accumulators.md, research §5). Each runs the model
 * (through {@link Dot}, with the caller's random source), computes the exact value c + Σ x_i y_i, and
 * compares |computed - exact| with the bound. Notation: p = precision of a format, u = 2^-p for
 * round-to-nearest rules and 2^(1-p) for directed, round-to-odd and stochastic rules ("u doubled"),
 * γ_k(u) = k u / (1 - k u). Terms: t_i = the products rounded into the product format (exact under FMA),
 * which costs u_mul Σ|p_i|. Gradual underflow adds per rounding at most η = half (RN) or one (other rules)
 * unit of the format's smallest quantum (2^emin for formats without subnormals); the checkers add
 * 2·(number of roundings)·η to cover it and its propagation. Bounds do not apply after overflow or to
 * non-finite results.
 */
public final class ErrorBounds {
    private ErrorBounds() {
    }

    static final MathContext MC = new MathContext(60, RoundingMode.UP);

    /** u for a format under a rounding rule (RN: 2^-p; others: 2^(1-p)). */
    public static BigDecimal unitRoundoff(Format f, Rounding r) {
        int p = f.precision();
        boolean nearest = r.mode() == Mode.RNE || r.mode() == Mode.RNA;
        return pow2(nearest ? -p : 1 - p);
    }

    /** Absolute underflow error of one rounding into f under r. */
    static BigDecimal eta(Format f, Rounding r) {
        if (!f.subnormals()) {
            return pow2(f.emin());
        }
        boolean nearest = r.mode() == Mode.RNE || r.mode() == Mode.RNA;
        return pow2(f.minQuantumExp() - (nearest ? 1 : 0));
    }

    /** γ_k(u) = k u / (1 - k u); requires k u &lt; 1. */
    public static BigDecimal gamma(int k, BigDecimal u) {
        BigDecimal ku = u.multiply(BigDecimal.valueOf(k));
        if (ku.compareTo(BigDecimal.ONE) >= 0) {
            throw new NoBound("k*u >= 1 (k = " + k + "): no γ bound");
        }
        return ku.divide(BigDecimal.ONE.subtract(ku), MC);
    }

    /** Thrown inside a checker when the bound's hypotheses fail; reported as "not applicable". */
    static final class NoBound extends RuntimeException {
        NoBound(String why) {
            super(why, null, false, false);
        }
    }

    static BigDecimal pow2(int e) {
        return e >= 0 ? new BigDecimal(BigInteger.ONE.shiftLeft(e)) : BigDecimal.ONE.divide(new BigDecimal(BigInteger.ONE.shiftLeft(-e)));
    }

    static BigDecimal exact(double[] x, double[] y, double c) {
        BigDecimal s = new BigDecimal(c);
        for (int i = 0; i < x.length; i++) {
            s = s.add(new BigDecimal(x[i]).multiply(new BigDecimal(y[i])));
        }
        return s;
    }

    static BigDecimal sumAbsProducts(double[] x, double[] y) {
        BigDecimal s = BigDecimal.ZERO;
        for (int i = 0; i < x.length; i++) {
            s = s.add(new BigDecimal(x[i]).multiply(new BigDecimal(y[i])).abs());
        }
        return s;
    }

    /** Runs the model; returns null (with the reason in why[0]) when no bound applies to the result. */
    static Double run(lowp.acc.AccumulatorModel m, double[] x, double[] y, double c, AccContext ctx, String[] why) {
        AccContext local = new AccContext().random(ctx.random);
        double d = Dot.dot(x, y, c, m, local);
        ctx.flags |= local.flags;
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            why[0] = "non-finite result";
            return null;
        }
        if ((local.flags & Flags.OVERFLOW) != 0) {
            why[0] = "overflow";
            return null;
        }
        return d;
    }

    private static BoundResult result(String name, BigDecimal bound, double d, BigDecimal exact) {
        return new BoundResult(name, true, bound, new BigDecimal(d).subtract(exact).abs(), 0, null);
    }

    /** Product-rounding part: u_mul Σ|p_i| + n η_mul, and the factor (1 + u_mul) on Σ|t_i|. */
    private static BigDecimal[] productPart(SequentialModel m, double[] x, double[] y) {
        BigDecimal sp = sumAbsProducts(x, y);
        if (m.isFma()) {
            return new BigDecimal[] {BigDecimal.ZERO, sp};
        }
        BigDecimal um = unitRoundoff(m.productFormat(), m.productRounding());
        BigDecimal err = um.multiply(sp).add(eta(m.productFormat(), m.productRounding()).multiply(BigDecimal.valueOf(x.length)));
        return new BigDecimal[] {err, sp.multiply(BigDecimal.ONE.add(um)).add(err)};
    }

    /**
     * Recursive summation, a priori: |ŝ - s| &lt;= u_mul Σ|p| + γ_n(u_acc) (|c| + Σ|t|) + 2 n η_acc, n = number
     * of products (each of the n additions is one rounding). Sequential order, no compensation.
     */
    public static BoundResult recursive(SequentialModel m, double[] x, double[] y, double c, AccContext ctx) {
        try {
            return recursive0(m, x, y, c, ctx);
        } catch (NoBound e) {
            return BoundResult.notApplicable("recursive", e.getMessage());
        }
    }

    private static BoundResult recursive0(SequentialModel m, double[] x, double[] y, double c, AccContext ctx) {
        String name = "recursive γ_n";
        require(m.order() == SequentialModel.Order.SEQUENTIAL && !m.compensated(), "sequential, uncompensated model");
        String[] why = new String[1];
        Double d = run(m, x, y, c, ctx, why);
        if (d == null) return BoundResult.notApplicable(name, why[0]);
        int n = x.length;
        BigDecimal[] pp = productPart(m, x, y);
        BigDecimal ua = unitRoundoff(m.accumulatorFormat(), m.accumulatorRounding());
        BigDecimal bound = pp[0].add(gamma(n, ua).multiply(new BigDecimal(c).abs().add(pp[1])))
                .add(eta(m.accumulatorFormat(), m.accumulatorRounding()).multiply(BigDecimal.valueOf(2L * n)));
        return result(name, bound, d, exact(x, y, c));
    }

    /**
     * Recursive summation, a posteriori: |ŝ - s| &lt;= u_mul Σ|p| + u_acc Σ_i |T̂_i| + 2 n η_acc, with T̂_i the
     * emulator's own partial sums (recomputed on prefixes: same random words by the step numbering).
     */
    public static BoundResult aPosteriori(SequentialModel m, double[] x, double[] y, double c, AccContext ctx) {
        try {
            return aPosteriori0(m, x, y, c, ctx);
        } catch (NoBound e) {
            return BoundResult.notApplicable("aPosteriori", e.getMessage());
        }
    }

    private static BoundResult aPosteriori0(SequentialModel m, double[] x, double[] y, double c, AccContext ctx) {
        String name = "recursive a posteriori u Σ|T_i|";
        require(m.order() == SequentialModel.Order.SEQUENTIAL && !m.compensated(), "sequential, uncompensated model");
        String[] why = new String[1];
        Double d = run(m, x, y, c, ctx, why);
        if (d == null) return BoundResult.notApplicable(name, why[0]);
        int n = x.length;
        BigDecimal partial = BigDecimal.ZERO;
        for (int i = 1; i <= n; i++) {
            double ti = Dot.dot(java.util.Arrays.copyOf(x, i), java.util.Arrays.copyOf(y, i), c, m,
                    new AccContext().random(ctx.random));
            partial = partial.add(new BigDecimal(ti).abs());
        }
        BigDecimal[] pp = productPart(m, x, y);
        BigDecimal ua = unitRoundoff(m.accumulatorFormat(), m.accumulatorRounding());
        BigDecimal bound = pp[0].add(ua.multiply(partial))
                .add(eta(m.accumulatorFormat(), m.accumulatorRounding()).multiply(BigDecimal.valueOf(2L * n)));
        return result(name, bound, d, exact(x, y, c));
    }

    /**
     * Pairwise order (n+1 terms, c first): every term passes through at most ⌈log2(n+1)⌉ roundings:
     * |ŝ - s| &lt;= u_mul Σ|p| + γ_⌈log2(n+1)⌉(u_acc) (|c| + Σ|t|) + 2 (n+1) η_acc.
     */
    public static BoundResult pairwise(SequentialModel m, double[] x, double[] y, double c, AccContext ctx) {
        try {
            return pairwise0(m, x, y, c, ctx);
        } catch (NoBound e) {
            return BoundResult.notApplicable("pairwise", e.getMessage());
        }
    }

    private static BoundResult pairwise0(SequentialModel m, double[] x, double[] y, double c, AccContext ctx) {
        String name = "pairwise γ_⌈log2 n⌉";
        require(m.order() == SequentialModel.Order.PAIRWISE, "pairwise model");
        String[] why = new String[1];
        Double d = run(m, x, y, c, ctx, why);
        if (d == null) return BoundResult.notApplicable(name, why[0]);
        int terms = x.length + 1;
        int depth = terms <= 1 ? 1 : 32 - Integer.numberOfLeadingZeros(terms - 1);
        BigDecimal[] pp = productPart(m, x, y);
        BigDecimal ua = unitRoundoff(m.accumulatorFormat(), m.accumulatorRounding());
        BigDecimal bound = pp[0].add(gamma(depth, ua).multiply(new BigDecimal(c).abs().add(pp[1])))
                .add(eta(m.accumulatorFormat(), m.accumulatorRounding()).multiply(BigDecimal.valueOf(2L * terms)));
        return result(name, bound, d, exact(x, y, c));
    }

    /**
     * Blocked summation (ChunkedModel over a sequential uncompensated inner model, block b): a product
     * passes through at most b inner roundings (b - 1 when the product format is inside the accumulator
     * format, since a chunk starts from +0) and ⌈n/b⌉ outer ones; c through ⌈n/b⌉:
     * |ŝ - s| &lt;= u_mul Σ|p| + γ_{k}(u) (|c| + Σ|t|) + 2 (n + ⌈n/b⌉) η, k = k_in + ⌈n/b⌉, u = max(u_in, u_out).
     * (Higham's γ_{b+n/b-2} counts the textbook scheme without c and without the first rounding of a block.)
     */
    public static BoundResult blocked(ChunkedModel m, double[] x, double[] y, double c, AccContext ctx) {
        try {
            return blocked0(m, x, y, c, ctx);
        } catch (NoBound e) {
            return BoundResult.notApplicable("blocked", e.getMessage());
        }
    }

    private static BoundResult blocked0(ChunkedModel m, double[] x, double[] y, double c, AccContext ctx) {
        String name = "blocked γ_{b+n/b}";
        require(m.inner() instanceof SequentialModel, "chunked model over a sequential inner model");
        SequentialModel in = (SequentialModel) m.inner();
        require(in.order() == SequentialModel.Order.SEQUENTIAL && !in.compensated(), "sequential inner model");
        String[] why = new String[1];
        Double d = run(m, x, y, c, ctx, why);
        if (d == null) return BoundResult.notApplicable(name, why[0]);
        int n = x.length;
        int b = m.chunk();
        int chunks = (n + b - 1) / b;
        boolean firstExact = !in.isFma() && contains(in.accumulatorFormat(), in.productFormat());
        int k = (firstExact ? Math.min(b, n) - 1 : Math.min(b, n)) + chunks;
        BigDecimal u = unitRoundoff(in.accumulatorFormat(), in.accumulatorRounding())
                .max(unitRoundoff(m.outerFormat(), m.outerRounding()));
        BigDecimal e = eta(in.accumulatorFormat(), in.accumulatorRounding()).max(eta(m.outerFormat(), m.outerRounding()));
        BigDecimal[] pp = productPart(in, x, y);
        BigDecimal bound = pp[0].add(gamma(Math.max(k, 1), u).multiply(new BigDecimal(c).abs().add(pp[1])))
                .add(e.multiply(BigDecimal.valueOf(2L * (n + chunks))));
        return result(name, bound, d, exact(x, y, c));
    }

    /** Whether every value of g is a value of f (same kind family, wider or equal range and precision). */
    static boolean contains(Format f, Format g) {
        return g.manBits() <= f.manBits() && g.emin() - g.manBits() >= f.emin() - f.manBits()
                && g.emax() <= f.emax() && (f.subnormals() || !g.subnormals() || g.emin() >= f.emin());
    }

    /**
     * Tensor-core trace bound (research §5.4): for each block j with alignment exponent E_j, m_j non-zero
     * addends and exact truncated sum v_j, the block error is below m_j 2^(E_j - F) (truncation) plus the
     * output rounding ρ_j = 2^(1-p)|v_j| (RZ, directed, SR) or 2^-p |v_j| (RN), plus one (RZ) or half (RN)
     * smallest-subnormal quantum; chaining is exactly additive, so |D - (C + A·B)| &lt;= Σ_j (...).
     */
    public static BoundResult tensorCore(FusedBlockModel m, double[] x, double[] y, double c, AccContext ctx) {
        String name = "tensor-core trace bound";
        String[] why = new String[1];
        Double d = run(m, x, y, c, ctx, why);
        if (d == null) return BoundResult.notApplicable(name, why[0]);
        Format in = m.inputFormat();
        Format out = m.outputFormat();
        int p = m.accumulatorFraction() + 1;
        boolean nearest = m.outRounding().mode() == Mode.RNE || m.outRounding().mode() == Mode.RNA;
        BigDecimal rel = pow2(nearest ? -p : 1 - p);
        BigDecimal sub = pow2(out.emin() - m.accumulatorFraction() - (nearest ? 1 : 0));
        BigDecimal bound = BigDecimal.ZERO;
        double cj = c;
        int k = m.blockSize();
        for (int k0 = 0; k0 < x.length; k0 += k) {
            int len = Math.min(k, x.length - k0);
            Integer e = m.expFloor() == Integer.MIN_VALUE ? null : m.expFloor();
            int count = 0;
            if (cj != 0) {
                int ec = Math.max(Math.getExponent(cj), out.emin());
                e = e == null ? ec : Math.max(e, ec);
                count++;
            } else if (m.cZeroParticipates()) {
                e = e == null ? out.emin() : Math.max(e, out.emin());
            }
            for (int i = k0; i < k0 + len; i++) {
                if (x[i] == 0 || y[i] == 0) continue;
                int ex = Math.max(Math.getExponent(x[i]), in.emin());
                int ey = Math.max(Math.getExponent(y[i]), in.emin());
                e = e == null ? ex + ey : Math.max(e, ex + ey);
                count++;
            }
            // next c: the model's own output after this block (prefix dot over whole blocks)
            double next = Dot.dot(java.util.Arrays.copyOf(x, k0 + len), java.util.Arrays.copyOf(y, k0 + len), c, m,
                    new AccContext().random(ctx.random));
            if (e != null) {
                BigDecimal unit = pow2(e - m.fractionBits());
                BigDecimal blockExact = new BigDecimal(cj);
                for (int i = k0; i < k0 + len; i++) {
                    blockExact = blockExact.add(new BigDecimal(x[i]).multiply(new BigDecimal(y[i])));
                }
                BigDecimal align = unit.multiply(BigDecimal.valueOf(count));
                // |v| <= |block exact| + alignment error
                BigDecimal v = blockExact.abs().add(align);
                bound = bound.add(align).add(rel.multiply(v)).add(sub);
            }
            cj = next;
        }
        return result(name, bound, d, exact(x, y, c));
    }

    /**
     * Probabilistic bound for stochastic rounding (Higham & Mary 2019 Thm 3.1 with Connolly, Higham & Mary
     * 2021: SR errors are mean-independent, so it holds unconditionally): a sequential FMA chain with an SR
     * accumulator performs n roundings with |δ| &lt;= δ = 2^(1-p); with probability at least
     * 1 - n·2 exp(-λ²(1-δ)²/2), |ŝ - s| &lt;= γ̃_n(λ) (|c| + Σ|x_i y_i|), γ̃_n(λ) = exp(λ√n δ + n δ²/(1-δ)) - 1.
     * Requires no underflow in the run (relative error model).
     */
    public static BoundResult stochastic(SequentialModel m, double[] x, double[] y, double c, double lambda,
                                         AccContext ctx) {
        String name = "Higham-Mary / Connolly-Higham-Mary λ√n u";
        require(m.isFma() && m.order() == SequentialModel.Order.SEQUENTIAL && !m.compensated()
                && m.accumulatorRounding().mode() == Mode.SR, "sequential FMA model with an sr accumulator");
        String[] why = new String[1];
        AccContext local = new AccContext().random(ctx.random);
        Double d = run(m, x, y, c, local, why);
        if (d == null) return BoundResult.notApplicable(name, why[0]);
        if ((local.flags & Flags.UNDERFLOW) != 0) return BoundResult.notApplicable(name, "underflow");
        int n = x.length;
        double delta = Math.scalb(1.0, 1 - m.accumulatorFormat().precision());
        double g = Math.expm1(lambda * Math.sqrt(n) * delta + n * delta * delta / (1 - delta));
        // round the bound up: BigDecimal of the double times (1 + 2^-50) covers exp/sqrt errors
        BigDecimal gamma = new BigDecimal(g).multiply(BigDecimal.ONE.add(pow2(-50)));
        BigDecimal bound = gamma.multiply(new BigDecimal(c).abs().add(sumAbsProducts(x, y)));
        double fail = Math.min(1, n * 2 * Math.exp(-lambda * lambda * (1 - delta) * (1 - delta) / 2));
        return new BoundResult(name, true, bound, new BigDecimal(d).subtract(exact(x, y, c)).abs(), fail, null);
    }

    /** λ giving failure probability alpha for n roundings: λ = sqrt(2 ln(2n/alpha)) / (1 - δ). */
    public static double lambdaFor(int n, double alpha, Format acc) {
        double delta = Math.scalb(1.0, 1 - acc.precision());
        return Math.sqrt(2 * Math.log(2.0 * n / alpha)) / (1 - delta);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("this bound needs a " + what);
        }
    }
}
