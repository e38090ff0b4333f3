package lowp.acc;

import lowp.format.Format;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** GEMM: element (i,j) is the model's dot with element index i*n+j; thread count never changes a bit. */
class GemmTest {

    static double[] randomValues(Format f, int len, Random r) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) {
            long bits;
            do {
                bits = r.nextLong() & f.magnitudeMask() | (r.nextBoolean() ? f.signBit() : 0);
                // keep finite values of moderate size
            } while (f.isNaN(bits) || f.isInf(bits) || Math.abs(f.toDouble(bits)) > 64 || Math.abs(f.toDouble(bits)) < 1e-3);
            v[i] = f.toDouble(bits);
        }
        return v;
    }

    @Test
    void threadCountDoesNotChangeResults() {
        Random r = new Random(7);
        int m = 13, n = 11, k = 70;
        AccumulatorModel[] models = {
                SequentialModel.separate(Format.BINARY16, Format.BINARY16, Rounding.SR, Format.BINARY16, Rounding.SR),
                Profiles.get("h100-fp16-fp32"),
                Profiles.get("h100-e4m3-fp32-2xacc"),
                new ChunkedModel(SequentialModel.fma(Format.BFLOAT16, Format.BFLOAT16, Rounding.SR), 8,
                        Format.BINARY32, Rounding.RNE)};
        for (AccumulatorModel model : models) {
            Format in = model.inputFormat();
            double[] a = randomValues(in, m * k, r);
            double[] b = randomValues(in, k * n, r);
            double[] c = new double[m * n];
            for (int i = 0; i < c.length; i++) c[i] = (float) (r.nextGaussian());
            if (model.outputFormat() == Format.BINARY16) {
                for (int i = 0; i < c.length; i++) c[i] = Format.BINARY16.toDouble(
                        lowp.ref.RefOps.fromDouble(Format.BINARY16, c[i], lowp.round.Env.rne()));
            }
            double[] d1 = Gemm.gemm(m, n, k, a, b, c, model, new AccContext().threads(1));
            for (int t : new int[] {2, 3, 5}) {
                double[] dt = Gemm.gemm(m, n, k, a, b, c, model, new AccContext().threads(t));
                assertArrayEquals(d1, dt, model + " threads=" + t);
            }
            // element (i, j) == the single dot with element index i*n + j
            int i = 5, j = 7;
            double[] row = java.util.Arrays.copyOfRange(a, i * k, i * k + k);
            double[] col = new double[k];
            for (int q = 0; q < k; q++) col[q] = b[q * n + j];
            long[] pr = new long[k];
            long[] pc = new long[k];
            for (int q = 0; q < k; q++) {
                pr[q] = Packed.fromDouble(in, row[q]);
                pc[q] = Packed.fromDouble(in, col[q]);
            }
            Lane lane = new Lane(new AccContext().random);
            lane.start((long) i * n + j);
            long want = model.dotPacked(pr, 0, 1, pc, 0, 1, k, Packed.fromDouble(model.outputFormat(), c[i * n + j]), lane);
            assertEquals(Packed.toDouble(want), d1[i * n + j], model.toString());
        }
    }

    @Test
    void rejectsValuesOutsideTheInputFormat() {
        AccumulatorModel m = Profiles.get("a100-fp16-fp32");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(1, 1, 1, new double[] {0.1}, new double[] {1}, null, m, new AccContext()));
        assertEquals(true, e.getMessage().contains("0.1"));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.gemm(2, 1, 1, new double[] {1}, new double[] {1}, null, m, new AccContext()));
    }
}
