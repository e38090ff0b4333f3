package lowp.backend;

import lowp.format.Format;
import lowp.round.Rounding;

/**
 * A quantized GEMM {@code D = A·B + C} (A is M×K, B is K×N, C and D are M×N, all row-major bit patterns)
 * under one accumulator model. Each output element's accumulation order is fixed by the model (increasing
 * k), never by tiling or threads. The models (docs/gpu.md gives the exact algorithms):
 * <ul>
 *   <li>{@link #sequential}: acc = Q_acc(acc + Q_prod(a·b)) for k = 0..K-1 (two roundings per step);</li>
 *   <li>{@link #fma}: acc = Q_acc(a·b + acc) with one rounding per step;</li>
 *   <li>{@link #fused}: the tensor-core block FMA of the shared research/accumulators.md §1.3: blocks of
 *   {@code blockK} exact products plus c aligned to the largest exponent, each truncated (magnitude toward
 *   zero) to {@code fracBits} fraction bits, summed exactly, rounded once into the accumulator format; the
 *   result is the next block's c;</li>
 *   <li>{@link #promoted}: any of the above restarted from +0 every {@code every} products (a chunk), each
 *   chunk's result added into an outer accumulator with one rounding (the DeepSeek-V3 / CUTLASS 2xAcc scheme).</li>
 * </ul>
 * C (optional) is in the output format: the outer format when promoting, else the accumulator format.
 */
public final class GemmSpec {
    public enum Kind { SEQUENTIAL, FUSED }

    public final Kind kind;
    public final Format a;
    public final Format b;
    /** Product format and rounding (sequential, not fma). */
    public final Format prod;
    public final Rounding prodRounding;
    /** Accumulator format and rounding (sequential) or block output format and rounding (fused). */
    public final Format acc;
    public final Rounding accRounding;
    public final boolean fma;
    public final int blockK;
    public final int fracBits;
    /** Fused: fraction bits kept by the block rounding (e8m13 = 13 in an fp32 container); = acc.manBits() normally. */
    public final int accFraction;
    /** Promotion interval in products (0: none), outer accumulator format and rounding. */
    public final int promoteEvery;
    public final Format outer;
    public final Rounding outerRounding;
    public final RngKey key;

    private GemmSpec(Kind kind, Format a, Format b, Format prod, Rounding prodRounding, Format acc,
                     Rounding accRounding, boolean fma, int blockK, int fracBits, int promoteEvery, Format outer,
                     Rounding outerRounding, RngKey key) {
        this(kind, a, b, prod, prodRounding, acc, accRounding, fma, blockK, fracBits, promoteEvery, outer, outerRounding,
                key, acc == null ? 0 : acc.manBits());
    }

    private GemmSpec(Kind kind, Format a, Format b, Format prod, Rounding prodRounding, Format acc,
                     Rounding accRounding, boolean fma, int blockK, int fracBits, int promoteEvery, Format outer,
                     Rounding outerRounding, RngKey key, int accFraction) {
        Specs.checkArith(a, "GEMM input A");
        Specs.checkArith(b, "GEMM input B");
        Specs.checkAcc(acc, "GEMM accumulator");
        if (kind == Kind.SEQUENTIAL && !fma) Specs.checkAcc(prod, "GEMM product");
        if (kind == Kind.FUSED) {
            if (blockK < 1 || blockK > 1024) {
                throw new IllegalArgumentException("bad block size " + blockK + " (expected 1..1024)");
            }
            if (fracBits < 1 || fracBits > 48) {
                throw new IllegalArgumentException("bad fraction bits " + fracBits + " (expected 1..48)");
            }
        }
        if (accFraction < 1 || accFraction > acc.manBits()
                || (accFraction != acc.manBits() && (kind != Kind.FUSED || acc.kind() != lowp.format.Kind.IEEE))) {
            throw new IllegalArgumentException("bad accumulator fraction " + accFraction + " for " + acc
                    + " (1.." + acc.manBits() + ", fewer only for a fused block with an IEEE-like container)");
        }
        if (promoteEvery < 0) throw new IllegalArgumentException("bad promotion interval " + promoteEvery);
        if (promoteEvery > 0) {
            Specs.checkAcc(outer, "GEMM outer accumulator");
            if (kind == Kind.FUSED && promoteEvery % blockK != 0) {
                throw new IllegalArgumentException("promotion interval " + promoteEvery
                        + " must be a multiple of the block size " + blockK);
            }
        }
        this.kind = kind;
        this.a = a;
        this.b = b;
        this.prod = prod;
        this.prodRounding = prodRounding;
        this.acc = acc;
        this.accRounding = accRounding;
        this.fma = fma;
        this.blockK = blockK;
        this.fracBits = fracBits;
        this.accFraction = accFraction;
        this.promoteEvery = promoteEvery;
        this.outer = outer;
        this.outerRounding = outerRounding;
        this.key = key == null ? RngKey.DEFAULT : key;
    }

    /** acc = Q_acc(acc + Q_prod(a·b)), sequential in k. */
    public static GemmSpec sequential(Format a, Format b, Format prod, Rounding prodRounding, Format acc,
                                      Rounding accRounding) {
        return new GemmSpec(Kind.SEQUENTIAL, a, b, prod, prodRounding, acc, accRounding, false, 0, 0, 0, null,
                null, null);
    }

    /** acc = Q_acc(a·b + acc) (one rounding per step), sequential in k. */
    public static GemmSpec fma(Format a, Format b, Format acc, Rounding accRounding) {
        return new GemmSpec(Kind.SEQUENTIAL, a, b, null, null, acc, accRounding, true, 0, 0, 0, null, null, null);
    }

    /** Tensor-core block FMA: blocks of k products, F fraction bits, block output rounded into out. */
    public static GemmSpec fused(Format a, Format b, int blockK, int fracBits, Format out, Rounding outRounding) {
        return new GemmSpec(Kind.FUSED, a, b, null, null, out, outRounding, false, blockK, fracBits, 0, null, null,
                null);
    }

    /**
     * Tensor-core block whose result keeps only {@code accFraction} fraction bits inside the IEEE-like container
     * {@code out} (Hopper/Ada FP8: e8m13 in fp32, accFraction 13): the block is rounded to that precision with
     * out's exponent range and stored in out with the low bits zero.
     */
    public static GemmSpec fused(Format a, Format b, int blockK, int fracBits, Format out, int accFraction,
                                 Rounding outRounding) {
        return new GemmSpec(Kind.FUSED, a, b, null, null, out, outRounding, false, blockK, fracBits, 0, null, null,
                null, accFraction);
    }

    /**
     * The spec of a shipped named accumulator profile ({@link lowp.acc.Profiles}, e.g. {@code h100-fp16-fp32},
     * {@code a100-bf16-fp32}, {@code h100-e4m3-fp32}, {@code h100-e4m3-fp32-2xacc}), so the backends run the
     * same arithmetic as {@code lowp dot --profile NAME}.
     *
     * @throws IllegalArgumentException naming the profile if it is unknown or not representable here
     */
    public static GemmSpec fromProfile(String name) {
        try {
            return fromModel(lowp.acc.Profiles.get(name));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("'" + name + "'")) throw e;
            throw new IllegalArgumentException("profile '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * The spec equal to a lowp.acc accumulator model: {@link lowp.acc.FusedBlockModel} (NVIDIA conventions:
     * magnitude truncation, c = 0 takes part in the alignment, no extra exponent floor) → {@link #fused};
     * {@link lowp.acc.SequentialModel} (sequential order, not compensated) → {@link #sequential} / {@link #fma};
     * {@link lowp.acc.ChunkedModel} → the inner spec {@link #promoted}. A and B both use the model's input format.
     *
     * @throws IllegalArgumentException for a model the backends do not implement (pairwise or compensated
     *     summation, floor alignment, other fused-block variants, integer accumulators)
     */
    public static GemmSpec fromModel(lowp.acc.AccumulatorModel m) {
        if (m instanceof lowp.acc.ChunkedModel) {
            lowp.acc.ChunkedModel c = (lowp.acc.ChunkedModel) m;
            return fromModel(c.inner()).promoted(c.chunk(), c.outerFormat(), c.outerRounding());
        }
        if (m instanceof lowp.acc.FusedBlockModel) {
            lowp.acc.FusedBlockModel f = (lowp.acc.FusedBlockModel) m;
            if (f.align() != lowp.acc.FusedBlockModel.Align.TRUNC_MAGNITUDE || !f.cZeroParticipates()
                    || f.expFloor() != Integer.MIN_VALUE) {
                throw new IllegalArgumentException("fused-block variant not supported by the backends: " + m.describe());
            }
            Format in = f.inputFormat();
            return fused(in, in, f.blockSize(), f.fractionBits(), f.outputFormat(), f.accumulatorFraction(),
                    f.outRounding());
        }
        if (m instanceof lowp.acc.SequentialModel) {
            lowp.acc.SequentialModel q = (lowp.acc.SequentialModel) m;
            if (q.order() != lowp.acc.SequentialModel.Order.SEQUENTIAL || q.compensated()) {
                throw new IllegalArgumentException("only sequential, uncompensated summation runs on the backends: "
                        + m.describe());
            }
            Format in = q.inputFormat();
            return q.isFma() ? fma(in, in, q.accumulatorFormat(), q.accumulatorRounding())
                    : sequential(in, in, q.productFormat(), q.productRounding(), q.accumulatorFormat(),
                    q.accumulatorRounding());
        }
        throw new IllegalArgumentException("accumulator model not supported by the backends: " + m.describe());
    }

    /** This model restarted from +0 every {@code every} products, chunk results added into {@code outer}. */
    public GemmSpec promoted(int every, Format outerFormat, Rounding outerRnd) {
        if (every <= 0) throw new IllegalArgumentException("bad promotion interval " + every + " (expected > 0)");
        return new GemmSpec(kind, a, b, prod, prodRounding, acc, accRounding, fma, blockK, fracBits, every,
                outerFormat, outerRnd, key, accFraction);
    }

    public GemmSpec withKey(RngKey k) {
        return new GemmSpec(kind, a, b, prod, prodRounding, acc, accRounding, fma, blockK, fracBits, promoteEvery,
                outer, outerRounding, k, accFraction);
    }

    /** The format a fused block rounds into: acc itself, or acc's exponent range with accFraction bits. */
    public Format blockRoundFormat() {
        if (accFraction == acc.manBits()) return acc;
        return Format.of(acc.expBits(), accFraction, acc.bias(), lowp.format.Kind.IEEE, false, acc.subnormals());
    }

    /** Format of C and D. */
    public Format output() {
        return promoteEvery > 0 ? outer : acc;
    }

    /**
     * Random-word index of rounding {@code step} of output element {@code o} (the lowp.acc convention,
     * RandomSource): {@code (o << 36) + step}. Steps: sequential product of term i = 2i, accumulation 2i+1;
     * fused block j = j; with promotion the outer addition of chunk q is step q and inner step r of chunk q is
     * {@code ((q+1) << 20) + r} (inner steps counted within the chunk).
     */
    public static long index(long o, long step) {
        return (o << 36) + step;
    }

    /** Formats as kernel descriptors, in the order A, B, PROD, ACC, OUTER (absent ones copy ACC). */
    public int[] formatDescs() {
        int[] d = new int[5 * Specs.FD];
        Format[] fs = {a, b, prod != null ? prod : (kind == Kind.FUSED ? blockRoundFormat() : acc), acc,
                outer != null ? outer : acc};
        for (int i = 0; i < 5; i++) {
            System.arraycopy(Specs.desc(fs[i]), 0, d, i * Specs.FD, Specs.FD);
        }
        return d;
    }

    /**
     * Integer parameters: kind, fma, blockK, F, promote, prod mode, prod N, acc mode, acc N, outer mode, outer N,
     * container shift (acc.manBits() - accFraction), acc emax, acc has Inf.
     */
    public int[] params() {
        Rounding pr = prodRounding != null ? prodRounding : Rounding.RNE;
        Rounding or = outerRounding != null ? outerRounding : Rounding.RNE;
        int[] p = Specs.rdesc(pr), q = Specs.rdesc(accRounding), r = Specs.rdesc(or);
        return new int[] {kind == Kind.FUSED ? 1 : 0, fma ? 1 : 0, blockK, fracBits, promoteEvery, p[0], p[1], q[0],
                q[1], r[0], r[1], acc.manBits() - accFraction, acc.emax(), acc.hasInf() ? 1 : 0};
    }

    @Override
    public String toString() {
        String s;
        if (kind == Kind.FUSED) {
            s = "fused(" + a + "x" + b + ", k=" + blockK + ", F=" + fracBits + ", out=" + acc + (accFraction != acc.manBits() ? "(" + accFraction + " fraction bits)" : "") + "/" + accRounding + ")";
        } else if (fma) {
            s = "fma(" + a + "x" + b + ", acc=" + acc + "/" + accRounding + ")";
        } else {
            s = "sequential(" + a + "x" + b + ", prod=" + prod + "/" + prodRounding + ", acc=" + acc + "/" + accRounding + ")";
        }
        if (promoteEvery > 0) s += ".promoted(" + promoteEvery + ", " + outer + "/" + outerRounding + ")";
        return s;
    }
}
