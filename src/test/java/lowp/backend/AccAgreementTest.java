package lowp.backend;

import lowp.acc.AccContext;
import lowp.acc.AccumulatorModel;
import lowp.acc.ChunkedModel;
import lowp.acc.FusedBlockModel;
import lowp.acc.Packed;
import lowp.acc.SequentialModel;
import lowp.format.Format;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The backends' GEMM models are lowp.acc's accumulator models (SequentialModel, FusedBlockModel, ChunkedModel)
 * with the same random-word indices: the CPU backend (and hence Aparapi and CUDA, tested equal to it) gives the
 * bits of lowp.acc.Gemm, stochastic modes included, when lowp.acc draws its words from the same Philox key.
 */
class AccAgreementTest {
    record Pair(GemmSpec spec, AccumulatorModel model) {
    }

    static List<Pair> pairs() {
        Format fp16 = Format.BINARY16, bf16 = Format.BFLOAT16, fp32 = Format.BINARY32, e4m3 = Format.E4M3FN, e5m2 = Format.E5M2;
        RngKey key = new RngKey(77, 5, 3);
        List<Pair> p = new ArrayList<>();
        for (Rounding r : List.of(Rounding.RNE, Rounding.RTZ, Rounding.SR, Rounding.parse("sr8"))) {
            p.add(new Pair(GemmSpec.sequential(fp16, fp16, fp16, r, fp16, r).withKey(key),
                    SequentialModel.separate(fp16, fp16, r, fp16, r)));
            p.add(new Pair(GemmSpec.sequential(e4m3, e4m3, bf16, r, fp16, Rounding.RNE).withKey(key),
                    SequentialModel.separate(e4m3, bf16, r, fp16, Rounding.RNE)));
            p.add(new Pair(GemmSpec.fma(bf16, bf16, bf16, r).withKey(key), SequentialModel.fma(bf16, bf16, r)));
            p.add(new Pair(GemmSpec.fma(e5m2, e5m2, fp16, r).promoted(8, fp32, r).withKey(key),
                    new ChunkedModel(SequentialModel.fma(e5m2, fp16, r), 8, fp32, r)));
        }
        p.add(new Pair(GemmSpec.fused(fp16, fp16, 4, 23, fp32, Rounding.RTZ), new FusedBlockModel(fp16, fp32, 4, 23, 23, Rounding.RTZ)));
        p.add(new Pair(GemmSpec.fused(fp16, fp16, 16, 25, fp32, Rounding.RTZ), new FusedBlockModel(fp16, fp32, 16, 25, 23, Rounding.RTZ)));
        p.add(new Pair(GemmSpec.fused(bf16, bf16, 8, 24, fp16, Rounding.RNE), new FusedBlockModel(bf16, fp16, 8, 24, 10, Rounding.RNE)));
        p.add(new Pair(GemmSpec.fused(e4m3, e4m3, 32, 13, fp32, 13, Rounding.RTZ), new FusedBlockModel(e4m3, fp32, 32, 13, 13, Rounding.RTZ)));
        p.add(new Pair(GemmSpec.fused(e4m3, e4m3, 32, 13, fp32, 13, Rounding.RTZ).promoted(128, fp32, Rounding.RNE),
                new ChunkedModel(new FusedBlockModel(e4m3, fp32, 32, 13, 13, Rounding.RTZ), 128, fp32, Rounding.RNE)));
        p.add(new Pair(GemmSpec.fused(fp16, fp16, 8, 24, fp32, Rounding.SR).withKey(key), new FusedBlockModel(fp16, fp32, 8, 24, 23, Rounding.SR)));
        return p;
    }

    static long[] packed(Format f, int[] bits) {
        long[] r = new long[bits.length];
        for (int i = 0; i < bits.length; i++) r[i] = Packed.fromBits(f, bits[i] & 0xFFFFFFFFL);
        return r;
    }

    @Test
    void cpuBackendEqualsLowpAcc() {
        int m = 4, n = 5, k = Fixtures.scale(300);
        CpuBackend cpu = CpuBackend.reference();
        List<String> bad = new ArrayList<>();
        for (Pair pr : pairs()) {
            GemmSpec s = pr.spec();
            AccumulatorModel model = pr.model();
            int[] a = Fixtures.patterns(s.a, 61, m * k), b = Fixtures.patterns(s.b, 62, k * n);
            int[] c = Fixtures.patterns(s.output(), 63, m * n);
            int[] bt = new int[k * n];
            for (int kk = 0; kk < k; kk++) for (int j = 0; j < n; j++) bt[j * k + kk] = b[kk * n + j];
            RngKey key = s.key;
            AccContext ctx = new AccContext().random(idx -> Philox64.word(key, idx));
            long[] want = lowp.acc.Gemm.gemmPacked(m, n, k, packed(s.a, a), packed(s.b, bt), packed(s.output(), c), model, ctx);
            int[] got = cpu.gemm(s, m, n, k, a, b, c);
            for (int i = 0; i < m * n; i++) {
                long w = Packed.toBits(s.output(), want[i]);
                if (w != (got[i] & 0xFFFFFFFFL)) {
                    bad.add(s + " element " + i + ": lowp.acc " + Long.toHexString(w) + " backend " + Integer.toHexString(got[i]));
                    break;
                }
            }
        }
        assertEquals(List.of(), bad);
    }
}
