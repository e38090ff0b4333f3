package lowp.cli;

import lowp.format.Format;
import lowp.ref.RefOps;
import lowp.rng.Philox;
import lowp.rng.RandomKey;
import lowp.round.Env;
import lowp.round.Rounding;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code eval --seed}: line L rounds with Philox.word(seed, 0, 0, L - 1) (docs/formats.md, docs/rng.md). */
class EvalSeedTest {
    static final long SEED = 0x1234_5678_9ABC_DEF0L;

    @Test
    void srLinesUseThePhiloxWordOfTheirLineNumber() {
        // fp16 1 + 2^-11 (0x3C00 + 0x1000): exactly half an ulp above 1, so under sr the result is 0x3C01 iff
        // the unsigned word is below 2^63 (top bit 0), else 0x3C00; the flags are 01 (inexact) either way.
        // Line 4 is blank (counted, no output).
        String in = "3C00 1000\n3C00 1000\n3C00 1000\n\n3C00 1000\n3C00 1000\n3C00 1000\n3C00 1000\n3C00 1000\n";
        CliRunner r = CliRunner.run(in, "eval", "--format", "fp16", "--op", "add", "--rounding", "sr",
                "--seed", Long.toString(SEED));
        assertEquals(0, r.exit, r.err);
        String[] out = r.out.split("\n");
        assertEquals(8, out.length);
        int[] lineNos = {1, 2, 3, 5, 6, 7, 8, 9};
        int ups = 0;
        for (int k = 0; k < 8; k++) {
            long w = Philox.word(SEED, 0, 0, lineNos[k] - 1);
            assertEquals(w, RandomKey.of(SEED, 0, 0).word(lineNos[k] - 1));
            String want = w >= 0 ? "3C01" : "3C00"; // hand rule above
            assertEquals("3C00 1000 " + want + " 01", out[k], "line " + lineNos[k]);
            if (w >= 0) ups++;
        }
        assertTrue(ups > 0 && ups < 8, "this seed must give both outcomes, so the test sees the words");
    }

    @Test
    void srDivLineMatchesTheReferenceWithThatWord() {
        // fp16 1/3 and 2/3 under sr with seed 7: lines 1 and 2 use Philox words (7, 0, 0, 0) and (7, 0, 0, 1)
        CliRunner r = CliRunner.run("3C00 4200\n4000 4200\n", "eval", "--format", "fp16", "--op", "div",
                "--rounding", "sr", "--seed", "7");
        assertEquals(0, r.exit, r.err);
        String[] out = r.out.split("\n");
        long[][] ops = {{0x3C00, 0x4200}, {0x4000, 0x4200}};
        for (int k = 0; k < 2; k++) {
            Env env = new Env(Rounding.SR);
            env.random = Philox.word(7, 0, 0, k);
            long res = RefOps.div(Format.BINARY16, ops[k][0], ops[k][1], env);
            String want = String.format(Locale.ROOT, "%04X %04X %04X %02X", ops[k][0], ops[k][1], res, env.flags);
            assertEquals(want, out[k]);
        }
    }
}
