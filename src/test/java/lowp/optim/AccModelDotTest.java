package lowp.optim;

import lowp.acc.SequentialModel;
import lowp.format.Format;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The package's own sequential datapath agrees bit for bit with lowp.acc's SequentialModel (two implementations). */
class AccModelDotTest {
    @Test
    void sequentialDotMatchesAccSequentialModel() {
        SplittableRandom r = new SplittableRandom(4);
        Prec bf = Prec.of("bf16", "rne", 0, 0);
        for (String acc : new String[] {"e8m10", "e8m15", "fp32"}) {
            Format af = Format.parse(acc);
            SequentialModel m = SequentialModel.separate(Format.BINARY32, af, Rounding.RNE, af, Rounding.RNE);
            AccModelDot theirs = new AccModelDot(m, Prec.of("bf16", "rne", 0, 0));
            SequentialDot ours = new SequentialDot(Prec.of(acc, "rne", 0, 0), Prec.of(acc, "rne", 0, 0),
                    Prec.of("bf16", "rne", 0, 0));
            for (int t = 0; t < 200; t++) {
                int n = 1 + r.nextInt(300);
                double[] x = new double[n];
                double[] y = new double[n];
                for (int i = 0; i < n; i++) {
                    x[i] = bf.round(r.nextGaussian());
                    y[i] = bf.round(r.nextGaussian() * 3);
                }
                assertEquals(Double.doubleToRawLongBits(ours.dot(x, y)), Double.doubleToRawLongBits(theirs.dot(x, y)),
                        acc + " n=" + n);
            }
        }
    }
}
