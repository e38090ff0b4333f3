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
        return Combinators.combine(inputs(), Arbitraries.of(Format.BINARY32, Format.BINARY16),
                Arbitraries.integers().between(1, 9), Arbitraries.integers().between(2, 30),
                Arbitraries.integers().between(1, 23), roundings(),
                Arbitraries.of(FusedBlockModel.Align.values()), Arbitraries.of(true, false)).as(
                (in, out, k, f, af, r, al, cz) -> new FusedBlockModel(in, out, k, f, Math.min(af, out.manBits()), r, al,
                        cz, Integer.MIN_VALUE));
    }

    static Arbitrary<AccumulatorModel> chunkedModels() {
        return Combinators.combine(Arbitraries.oneOf(sequentialModels(), fusedModels()),
                Arbitraries.integers().between(1, 6), accs(), roundings()).as(ChunkedModel::new);
    }

    static Arbitrary<Case> cases(Arbitrary<AccumulatorModel> models) {
        return models.flatMap(m -> {
            Arbitrary<Long> in = bits(m.inputFormat());
            Arbitrary<Integer> n = Arbitraries.integers().between(0, 24);
            return n.flatMap(len -> Combinators.combine(in.array(long[].class).ofSize(len),
                    in.array(long[].class).ofSize(len), bits(m.outputFormat()), Arbitraries.longs())
                    .as((x, y, c, seed) -> new Case(m, x, y, c, seed)));
        });
    }

    /** Bit patterns: mostly finite values near 1 (so sums interact), some arbitrary patterns (specials too). */
    static Arbitrary<Long> bits(Format f) {
        long max = f.width() == 64 ? Long.MAX_VALUE : (1L << f.width()) - 1;
        Arbitrary<Long> any = Arbitraries.longs().between(0, max);
        long one = Packed.toBits(f, Packed.fromDouble(f, 1.0));
        int spread = Math.min(f.width() - 1, f.manBits() + 3);
        long lo = Math.max(0, one - (1L << spread));
        long hi = Math.min(f.magnitudeMask(), one + (1L << spread));
        Arbitrary<Long> near = Combinators.combine(Arbitraries.longs().between(lo, hi), Arbitraries.of(false, true))
                .as((v, s) -> (s ? f.signBit() : 0) | v);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, near), net.jqwik.api.Tuple.of(1, any));
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

    @Property(tries = 500)
    void sequentialMatchesReference(@ForAll("sequentialCases") Case k) {
        check(k);
    }

    @Property(tries = 500)
    void fusedBlockMatchesReference(@ForAll("fusedCases") Case k) {
        check(k);
    }

    @Property(tries = 300)
    void chunkedMatchesReference(@ForAll("chunkedCases") Case k) {
        check(k);
    }

    @Property(tries = 300)
    void profilesMatchReference(@ForAll("profileCases") Case k) {
        check(k);
    }
}
