package lowp.acc;

import lowp.format.Format;
import lowp.round.Rounding;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Fast path == BigInteger reference ({@link RefModels}) for random models, operands and random seeds. */
class ModelProperties {

    static final List<Format> INPUTS = List.of(Format.BINARY16, Format.BFLOAT16, Format.E4M3FN, Format.E5M2,
            Format.TF32, Format.E2M3FN, Format.parse("e3m4"));
    static final List<Format> ACCS = List.of(Format.BINARY16, Format.BFLOAT16, Format.BINARY32, Format.E5M2,
            Format.E4M3FN, Format.parse("e8m13"), Format.parse("e6m9"), Format.parse("e5m2:sat"),
            Format.parse("bf16:nosub"));
    static final List<Rounding> ROUNDINGS = List.of(Rounding.RNE, Rounding.RNA, Rounding.RTZ, Rounding.RUP,
            Rounding.RDN, Rounding.RTO, Rounding.SR, Rounding.SR_EQUAL, Rounding.srBits(3));

    /** A test case: model, operands (input bits), c (output bits), seed. */
    record Case(AccumulatorModel model, long[] x, long[] y, long c, long seed) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(model.describe()).append(" x=[");
            for (long v : x) sb.append(model.inputFormat().hex(v)).append(' ');
            sb.append("] y=[");
            for (long v : y) sb.append(model.inputFormat().hex(v)).append(' ');
            return sb.append("] c=").append(model.outputFormat().hex(c)).append(" seed=").append(seed).toString();
        }
    }

    static Arbitrary<Format> inputs() {
        return Arbitraries.of(INPUTS);
    }

    static Arbitrary<Format> accs() {
        return Arbitraries.of(ACCS);
    }

    static Arbitrary<Rounding> roundings() {
        return Arbitraries.of(ROUNDINGS);
    }

    static Arbitrary<AccumulatorModel> sequentialModels() {
        Arbitrary<SequentialModel.Order> order = Arbitraries.of(SequentialModel.Order.values());
        return Combinators.combine(inputs(), accs().injectNull(0.3), roundings(), accs(), roundings(), order,
                Arbitraries.of(false, true)).as((in, mul, mr, acc, ar, o, comp) ->
                new SequentialModel(in, mul, mr, acc, ar, o, comp && o == SequentialModel.Order.SEQUENTIAL));
    }

    static Arbitrary<AccumulatorModel> fusedModels() {
        Arbitrary<FusedBlockModel> base = Combinators.combine(inputs(), Arbitraries.of(Format.BINARY32, Format.BINARY16),
                Arbitraries.integers().between(1, 9), Arbitraries.integers().between(2, 30),
                Arbitraries.integers().between(1, 23), roundings(),
                Arbitraries.of(FusedBlockModel.Align.values()), Arbitraries.of(true, false)).as(
                (in, out, k, f, af, r, al, cz) -> new FusedBlockModel(in, out, k, f, Math.min(af, out.manBits()), r, al,
                        cz, Integer.MIN_VALUE));
        // half the models with an alignment-exponent floor: around the exponents of values near 1 (where it
        // raises E and truncates more) and far below them (no effect)
        Arbitrary<Integer> floors = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(-6, 8)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(-140, -7))).injectNull(0.5);
        return Combinators.combine(base, floors).as((m, fl) -> fl == null ? m
                : new FusedBlockModel(m.inputFormat(), m.outputFormat(), m.blockSize(), m.fractionBits(),
                        m.accumulatorFraction(), m.outRounding(), m.align(), m.cZeroParticipates(), fl));
    }

    static Arbitrary<AccumulatorModel> chunkedModels() {
        return Combinators.combine(Arbitraries.oneOf(sequentialModels(), fusedModels()),
                Arbitraries.integers().between(1, 6), accs(), roundings()).as(ChunkedModel::new);
    }

    static Arbitrary<Case> cases(Arbitrary<AccumulatorModel> models) {
        return cases(models, false);
    }

    static Arbitrary<Case> cases(Arbitrary<AccumulatorModel> models, boolean finiteOnly) {
        return models.flatMap(m -> {
            Arbitrary<Long> in = finiteOnly ? finite(m.inputFormat()) : bits(m.inputFormat());
            Arbitrary<Integer> n = Arbitraries.integers().between(0, 24);
            return n.flatMap(len -> Combinators.combine(in.array(long[].class).ofSize(len),
                    in.array(long[].class).ofSize(len),
                    finiteOnly ? finite(m.outputFormat()) : bits(m.outputFormat()), Arbitraries.longs())
                    .as((x, y, c, seed) -> new Case(m, x, y, c, seed)));
        });
    }

    /** Bit patterns: mostly finite values near 1 (so sums interact), some arbitrary patterns (specials too). */
    static Arbitrary<Long> bits(Format f) {
        long max = f.width() == 64 ? Long.MAX_VALUE : (1L << f.width()) - 1;
        Arbitrary<Long> any = Arbitraries.longs().between(0, max);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, nearOne(f)), net.jqwik.api.Tuple.of(1, any));
    }

    /** Finite patterns: mostly near 1, some anywhere in the format's range (tiny, huge, subnormal). */
    static Arbitrary<Long> finite(Format f) {
        long max = f.width() == 64 ? Long.MAX_VALUE : (1L << f.width()) - 1;
        Arbitrary<Long> any = Arbitraries.longs().between(0, max).filter(v -> !f.isNaN(v) && !f.isInf(v));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, nearOne(f)), net.jqwik.api.Tuple.of(1, any));
    }

    /** Finite patterns with exponents within a few binades of 1 (and the format's small values), both signs. */
    static Arbitrary<Long> nearOne(Format f) {
        long one = Packed.toBits(f, Packed.fromDouble(f, 1.0));
        int spread = Math.min(f.width() - 1, f.manBits() + 3);
        long lo = Math.max(0, one - (1L << spread));
        long hi = Math.min(f.magnitudeMask(), one + (1L << spread));
        Arbitrary<Long> near = Combinators.combine(Arbitraries.longs().between(lo, hi), Arbitraries.of(false, true))
                .as((v, s) -> (s ? f.signBit() : 0) | v);
        return near.filter(v -> !f.isNaN(v) && !f.isInf(v));
    }

    @Provide
    Arbitrary<Case> sequentialCases() {
        return cases(sequentialModels());
    }

    @Provide
    Arbitrary<Case> fusedCases() {
        return cases(fusedModels());
    }

    @Provide
    Arbitrary<Case> chunkedCases() {
        return cases(chunkedModels());
    }

    @Provide
    Arbitrary<Case> profileCases() {
        return cases(Arbitraries.of(Profiles.all().stream().map(p -> p.model).toList()));
    }

    static void check(Case k) {
        RandomSource rng = RandomSource.splitMix(k.seed);
        long want = RefModels.dot(k.model, k.x, k.y, k.c, rng, 5);
        Lane lane = new Lane(rng);
        lane.start(5);
        long got = k.model.dotBits(k.x, k.y, k.c, lane);
        Format f = k.model.outputFormat();
        if (f.isNaN(want) && f.isNaN(got)) return;
        assertEquals(f.hex(want), f.hex(got), k.toString());
    }

    @Property(tries = 1000)
    void sequentialMatchesReference(@ForAll("sequentialCases") Case k) {
        check(k);
    }

    /** The general sequential kernel raises exactly the reference's flags, specials included. */
    @Property(tries = 1000)
    void sequentialFlagsMatchReference(@ForAll("sequentialCases") Case k) {
        RandomSource rng = RandomSource.splitMix(k.seed);
        int[] want = new int[1];
        RefModels.dot(k.model, k.x, k.y, k.c, rng, 5, want);
        Lane lane = new Lane(rng);
        lane.start(5);
        k.model.dotBits(k.x, k.y, k.c, lane);
        assertEquals(lowp.round.Flags.describe(want[0]), lowp.round.Flags.describe(lane.env.flags), k.toString());
    }

    /** The binary64 fast kernel (when it decides) equals the reference too, flags included. */
    @Property(tries = 1000)
    void doubleKernelMatchesReference(@ForAll("fastCases") Case k) {
        AccumulatorModel m = k.model;
        Format in = m.inputFormat();
        double[] x = new double[k.x.length];
        double[] y = new double[k.y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = Packed.toDouble(Packed.fromBits(in, k.x[i]));
            y[i] = Packed.toDouble(Packed.fromBits(in, k.y[i]));
        }
        Lane lane = new Lane(null);
        lane.start(0);
        long pc = Packed.fromBits(m.outputFormat(), k.c);
        long fast = m.dotDouble(x, 0, 1, y, 0, 1, x.length, pc, lane);
        net.jqwik.api.statistics.Statistics.label("fast kernel decided").collect(fast != Packed.NONE);
        net.jqwik.api.statistics.Statistics.label("fast kernel decided").coverage(
                cov -> cov.check(true).percentage(p -> p > 50));
        if (fast == Packed.NONE) {
            return;
        }
        Lane lane2 = new Lane(null);
        lane2.start(0);
        long[] px = new long[x.length];
        long[] py = new long[y.length];
        for (int i = 0; i < x.length; i++) {
            px[i] = Packed.fromBits(in, k.x[i]);
            py[i] = Packed.fromBits(in, k.y[i]);
        }
        long slow = m.dotPacked(px, 0, 1, py, 0, 1, x.length, pc, lane2);
        Format f = m.outputFormat();
        assertEquals(f.hex(RefModels.dot(m, k.x, k.y, k.c, RandomSource.splitMix(0), 0)), f.hex(Packed.toBits(f, fast)),
                k.toString());
        assertEquals(slow, fast, k.toString());
        assertEquals(lane2.env.flags, lane.env.flags, "flags " + k);
    }

    /** The decoded-operand kernel (fused blocks, chunks of them) equals the reference. */
    @Property(tries = 1000)
    void decodedKernelMatchesReference(@ForAll("decodedCases") Case k) {
        AccumulatorModel m = k.model;
        Format in = m.inputFormat();
        long[] px = new long[k.x.length];
        long[] py = new long[k.y.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = Packed.fromBits(in, k.x[i]);
            py[i] = Packed.fromBits(in, k.y[i]);
        }
        int[][] dec = Gemm.decode(px, py);
        org.junit.jupiter.api.Assumptions.assumeTrue(dec != null);
        RandomSource rng = RandomSource.splitMix(k.seed);
        Lane lane = new Lane(rng);
        lane.start(3);
        long got = m.dotDecoded(dec[0], dec[1], 0, dec[2], dec[3], 0, px.length, Packed.fromBits(m.outputFormat(), k.c), lane);
        net.jqwik.api.statistics.Statistics.label("decoded kernel decided").collect(got != Packed.NONE);
        if (got == Packed.NONE) {
            return;
        }
        Format f = m.outputFormat();
        long want = RefModels.dot(m, k.x, k.y, k.c, rng, 3);
        if (f.isNaN(want) && Packed.isNaN(got)) return;
        assertEquals(f.hex(want), f.hex(Packed.toBits(f, got)), k.toString());
    }

    @Provide
    Arbitrary<Case> decodedCases() {
        Arbitrary<AccumulatorModel> fused = fusedModels().filter(AccumulatorModel::hasDecodedKernel);
        Arbitrary<AccumulatorModel> chunked = Combinators.combine(fused, Arbitraries.integers().between(1, 6), accs(),
                roundings()).as((AccumulatorModel in, Integer q, Format o, Rounding r) -> (AccumulatorModel) new ChunkedModel(in, q, o, r));
        Arbitrary<AccumulatorModel> profiles = Arbitraries.of(Profiles.all().stream().map(p -> p.model)
                .filter(AccumulatorModel::hasDecodedKernel).toList());
        return cases(Arbitraries.oneOf(fused, chunked, profiles), true);
    }

    @Provide
    Arbitrary<Case> fastCases() {
        Arbitrary<Rounding> det = Arbitraries.of(Rounding.RNE, Rounding.RTZ);
        Arbitrary<AccumulatorModel> models = Combinators.combine(inputs(), accs().injectNull(0.3), det, accs(), det)
                .as((in, mul, mr, acc, ar) -> (AccumulatorModel) new SequentialModel(in, mul, mr, acc, ar,
                        SequentialModel.Order.SEQUENTIAL, false))
                .filter(AccumulatorModel::hasDoubleKernel);
        return cases(models, true);
    }

    @Property(tries = 1000)
    void fusedBlockMatchesReference(@ForAll("fusedCases") Case k) {
        check(k);
    }

    @Property(tries = 500)
    void chunkedMatchesReference(@ForAll("chunkedCases") Case k) {
        check(k);
    }

    @Property(tries = 500)
    void profilesMatchReference(@ForAll("profileCases") Case k) {
        check(k);
    }
}
