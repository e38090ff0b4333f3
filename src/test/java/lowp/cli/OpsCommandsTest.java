package lowp.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The testfloat / eval / speed op / formats / demo contracts. Expected lines are hand-derived (comments give
 * the derivation); flags: 01 inexact, 02 underflow, 04 overflow, 08 infinite, 10 invalid.
 */
class OpsCommandsTest {

    private static void ok(CliRunner r) {
        assertEquals(0, r.exit, () -> "exit " + r.exit + ", stderr: " + r.err + ", stdout: " + r.out);
    }

    @Test
    void testfloatF16AddEchoesOperandsAndIgnoresExpected() {
        // 1+1 = 2 (0x4000); Inf + -Inf is invalid: canonical NaN 0x7E00; 0x0001 + 0x8001 is an exact zero: +0
        CliRunner r = CliRunner.run("3C00 3C00 4000 00\n7C00 FC00 FFFF 10\n0001 8001 0000 00\n", "testfloat", "f16_add");
        ok(r);
        assertEquals("3C00 3C00 4000 00\n7C00 FC00 7E00 10\n0001 8001 0000 00\n", r.out);
    }

    @Test
    void testfloatRoundingAndTininessOptions() {
        // exact zero sum under round-down is -0
        assertEquals("0001 8001 8000 00\n", CliRunner.run("0001 8001\n", "testfloat", "f16_add", "-rmin").out);
        // 1 + 2^-11 (0x1000 = 2^-11) ties: even 3C00; away 3C01; odd 3C01; up 3C01; toward zero 3C00
        assertEquals("3C00 1000 3C00 01\n", CliRunner.run("3C00 1000\n", "testfloat", "f16_add", "-rnear_even").out);
        assertEquals("3C00 1000 3C01 01\n", CliRunner.run("3C00 1000\n", "testfloat", "f16_add", "-rnear_maxMag").out);
        assertEquals("3C00 1000 3C01 01\n", CliRunner.run("3C00 1000\n", "testfloat", "f16_add", "-rodd").out);
        assertEquals("3C00 1000 3C01 01\n", CliRunner.run("3C00 1000\n", "testfloat", "f16_add", "-rmax").out);
        assertEquals("3C00 1000 3C00 01\n", CliRunner.run("3C00 1000\n", "testfloat", "f16_add", "-rminMag").out);
        // 0x03FF * 0x3C01: just below 2^-14, rounds to 0x0400; tiny only before rounding
        assertEquals("03FF 3C01 0400 01\n", CliRunner.run("03FF 3C01\n", "testfloat", "f16_mul").out);
        assertEquals("03FF 3C01 0400 03\n", CliRunner.run("03FF 3C01\n", "testfloat", "f16_mul", "-tininessbefore").out);
    }

    @Test
    void testfloatMulAddConversionsAndWideFormats() {
        // fma(0, inf, qNaN) raises invalid (SoftFloat); 65504 * 2 overflows to Inf
        CliRunner r = CliRunner.run("0000 7C00 7E00\n7BFF 4000 0000\n", "testfloat", "f16_mulAdd");
        ok(r);
        assertEquals("0000 7C00 7E00 7E00 10\n7BFF 4000 0000 7C00 05\n", r.out);
        // 1 + 2^-11 + 2^-30 -> 0x3C01 directly (no double rounding)
        assertEquals("3FF0020000400000 3C01 01\n", CliRunner.run("3FF0020000400000\n", "testfloat", "f64_to_f16").out);
        // signalling f32 NaN -> bf16: canonical NaN, invalid
        assertEquals("7F800001 7FC0 10\n", CliRunner.run("7F800001\n", "testfloat", "f32_to_bf16").out);
        assertEquals("3F80 3F800000 00\n", CliRunner.run("3F80\n", "testfloat", "bf16_to_f32").out);
        // f64: 1/3 = 0x3FD5555555555555 (RNE: ...5555 since the next bit is 0)
        assertEquals("3FF0000000000000 4008000000000000 3FD5555555555555 01\n",
                CliRunner.run("3FF0000000000000 4008000000000000\n", "testfloat", "f64_div").out);
        // sqrt(2) in f32 = 0x3FB504F3 (1.41421353816986083984375, below sqrt 2 by less than half an ulp)
        assertEquals("40000000 3FB504F3 01\n", CliRunner.run("40000000\n", "testfloat", "f32_sqrt").out);
    }

    @Test
    void testfloatMalformedLinesFail() {
        CliRunner r = CliRunner.run("3C00 3C00\n3C00 XYZ\n", "testfloat", "f16_add");
        assertEquals(2, r.exit);
        assertTrue(r.err.contains("line 2") && r.err.contains("XYZ"), r.err);
        assertEquals("3C00 3C00 4000 00\n", r.out); // the good line before it was written
        CliRunner r2 = CliRunner.run("3C00\n", "testfloat", "f16_add");
        assertEquals(2, r2.exit);
        assertTrue(r2.err.contains("line 1") && r2.err.contains("expected 2"), r2.err);
        CliRunner r3 = CliRunner.run("13C00 0000\n", "testfloat", "f16_add");
        assertEquals(2, r3.exit);
        assertTrue(r3.err.contains("13C00"), r3.err);
        CliRunner r4 = CliRunner.run("", "testfloat", "f16_frobnicate");
        assertEquals(2, r4.exit);
        assertTrue(r4.err.contains("f16_frobnicate"), r4.err);
    }

    @Test
    void evalAnyFormat() {
        // e4m3fn: 0x7E = 448, 0x38 = 1.0, 0x40 = 2.0; 448*2 = 896 > 464: overflow to NaN 0x7F
        CliRunner r = CliRunner.run("7E 38\n7E 40\n", "eval", "--format", "e4m3fn", "--op", "mul", "--rounding", "rne");
        ok(r);
        assertEquals("7E 38 7E 00\n7E 40 7F 05\n", r.out);
        // with :sat the overflow saturates to 448
        assertEquals("7E 40 7E 05\n", CliRunner.run("7E 40\n", "eval", "--format", "e4m3fn:sat", "--op", "mul",
                "--rounding", "rne").out);
        // e5m2 57344 + 57344 -> Inf (0x7C) under rne, max 0x7B under rtz
        assertEquals("7B 7B 7C 05\n", CliRunner.run("7B 7B\n", "eval", "--format", "e5m2", "--op", "add", "--rounding", "rne").out);
        assertEquals("7B 7B 7B 05\n", CliRunner.run("7B 7B\n", "eval", "--format", "e5m2", "--op", "add", "--rounding", "rtz").out);
        // convert e4m3fn 448 to e5m2: 1.75 * 2^8 = 0 10111 11 = 0x5F exactly
        assertEquals("0x7E 5F 00\n", CliRunner.run("0x7E\n", "eval", "--format", "e4m3fn", "--op", "convert", "--to", "e5m2",
                "--rounding", "rne").out);
        // fma in fp16: 1*1 + 2^-11 ties to 1 (0x3C00) under rne; tf32 is 19 bits: 1.0 = 1FC00, width 5 hex digits
        assertEquals("3C00 3C00 1000 3C00 01\n", CliRunner.run("3C00 3C00 1000\n", "eval", "--format", "fp16", "--op", "fma",
                "--rounding", "rne").out);
        assertEquals("1FC00 1FC00 20000 00\n", CliRunner.run("1FC00 1FC00\n", "eval", "--format", "tf32", "--op", "add",
                "--rounding", "rne").out);
        // tininess before: e5m2 min normal 0x04 times 0.75 (0x3A) = 0.75 * 2^-14: subnormal 3 * 2^-16 = 0x03 exact
        assertEquals("04 3A 03 00\n", CliRunner.run("04 3A\n", "eval", "--format", "e5m2", "--op", "mul", "--rounding", "rne",
                "--tininess", "before").out);
    }

    @Test
    void evalErrors() {
        CliRunner r = CliRunner.run("3C00\n", "eval", "--format", "e9m99", "--op", "add", "--rounding", "rne");
        assertEquals(2, r.exit);
        assertTrue(r.err.contains("e9m99"), r.err);
        CliRunner r2 = CliRunner.run("3C00\n", "eval", "--format", "fp16", "--op", "convert");
        assertEquals(2, r2.exit);
        assertTrue(r2.err.contains("--to"), r2.err);
        CliRunner r3 = CliRunner.run("3C00 12\n40 40 40\n", "eval", "--format", "e4m3fn", "--op", "add");
        assertEquals(2, r3.exit);
        assertTrue(r3.err.contains("line 1") && r3.err.contains("3C00"), r3.err);
        CliRunner r4 = CliRunner.run("", "eval", "--format", "fp16", "--op", "pow");
        assertEquals(2, r4.exit);
        assertTrue(r4.err.contains("pow"), r4.err);
        CliRunner r5 = CliRunner.run("", "eval", "--format", "fp16", "--op", "add", "--rounding", "nearest-ish");
        assertEquals(2, r5.exit);
        assertTrue(r5.err.contains("nearest-ish"), r5.err);
    }

    @Test
    void evalRejectsExtraOperandsButTestfloatIgnoresThem() {
        // eval: a line must hold exactly the operands of the op; the good first line is still written
        CliRunner r = CliRunner.run("3C00 3C00\n3C00 3C00 3C00\n", "eval", "--format", "fp16", "--op", "add",
                "--rounding", "rne");
        assertEquals(2, r.exit);
        assertTrue(r.err.contains("line 2: expected 2 hex operands for --op add in binary16, got 3"), r.err);
        assertEquals("3C00 3C00 4000 00\n", r.out);
        // sqrt takes one operand: 4.0 (0x4400) with a second token is an error, not sqrt(4)
        CliRunner s = CliRunner.run("4400 3C00\n", "eval", "--format", "fp16", "--op", "sqrt");
        assertEquals(2, s.exit);
        assertTrue(s.err.contains("line 1: expected 1 hex operand for --op sqrt in binary16, got 2"), s.err);
        assertEquals("", s.out);
        // fma takes three; convert one (trailing tab-separated token counts too)
        CliRunner t = CliRunner.run("3C00 3C00 3C00 3C00\n", "eval", "--format", "fp16", "--op", "fma");
        assertEquals(2, t.exit);
        assertTrue(t.err.contains("expected 3 hex operands for --op fma in binary16, got 4"), t.err);
        CliRunner c = CliRunner.run("7E\t5F\n", "eval", "--format", "e4m3fn", "--op", "convert", "--to", "e5m2");
        assertEquals(2, c.exit);
        assertTrue(c.err.contains("got 2"), c.err);
        // trailing whitespace and CRLF are not tokens: sqrt(4) = 2 (0x4000) exactly
        CliRunner ok = CliRunner.run("4400  \t\r\n", "eval", "--format", "fp16", "--op", "sqrt");
        ok(ok);
        assertEquals("4400 4000 00\n", ok.out);
        // testfloat keeps its leniency: the expected result and flags after the operands are skipped
        CliRunner tf = CliRunner.run("4400 FFFF 1F\n", "testfloat", "f16_sqrt");
        ok(tf);
        assertEquals("4400 4000 00\n", tf.out);
    }

    @Test
    void speedOpPrintsOpsPerSecondLast() {
        CliRunner r = CliRunner.run("", "speed", "op", "--format", "e4m3fn", "--op", "add", "--rounding", "rne",
                "--n", "1000", "--reps", "3");
        ok(r);
        String[] lines = r.out.trim().split("\n");
        assertTrue(lines[lines.length - 1].matches("ops/s: [1-9][0-9]*"), r.out);
        CliRunner r2 = CliRunner.run("", "speed", "op", "--format", "fp64", "--op", "convert", "--to", "fp16",
                "--n", "1000", "--reps", "3");
        ok(r2);
        CliRunner r3 = CliRunner.run("", "speed", "op", "--format", "fp16", "--op", "convert", "--n", "10");
        assertEquals(2, r3.exit);
    }

    @Test
    void formatsTableSpecAndValues() {
        CliRunner r = CliRunner.run("", "formats");
        ok(r);
        assertTrue(r.out.contains("e4m3fn") && r.out.contains("448") && r.out.contains("65504"), r.out);
        CliRunner s = CliRunner.run("", "formats", "--spec", "e4m3fn");
        ok(s);
        assertTrue(s.out.contains("max finite:    448  = 0x7E"), s.out);
        assertTrue(s.out.contains("only 0x7F and 0xFF"), s.out);
        CliRunner v = CliRunner.run("", "formats", "--values", "e2m1fn");
        ok(v);
        String[] lines = v.out.trim().split("\n");
        assertEquals(17, lines.length); // header + 16 codes
        assertEquals("7 normal 6", lines[8]);
        assertEquals("9 subnormal -0.5", lines[10]);
        CliRunner bad = CliRunner.run("", "formats", "--spec", "e4m3fn:sot");
        assertEquals(2, bad.exit);
        assertTrue(bad.err.contains("'sot'"), bad.err);
        CliRunner big = CliRunner.run("", "formats", "--values", "fp32");
        assertEquals(2, big.exit);
        // a wide format with a huge bias: extremes as exact sig*2^exp, not ~300k digits. Max finite of e15m48:
        // field 2^15 - 2 = 32766, (2^49 - 1) * 2^(32766 + 1000000 - 48) = 562949953421311 * 2^1032718
        CliRunner huge = CliRunner.run("", "formats", "--spec", "e15m48:bias=-1000000");
        ok(huge);
        assertTrue(huge.out.length() < 2000, () -> huge.out.length() + " characters");
        assertTrue(huge.out.contains("max finite:    562949953421311*2^1032718  (~7.00700e+310893)  = 0x7FFEFFFFFFFFFFFF"),
                huge.out);
        assertTrue(huge.out.contains("min subnormal: 1*2^999953 "), huge.out); // emin - M = 1000001 - 48
        // binary64's extremes are still printed in full decimal: max = (2^53 - 1) * 2^971
        CliRunner d = CliRunner.run("", "formats", "--spec", "fp64");
        assertTrue(d.out.contains("max finite:    179769313486231570814527423731704356798070567525844996598917476803157"), d.out);
    }

    @Test
    void demoShowsFormatsAndWorkedRoundings() {
        CliRunner r = CliRunner.run("", "demo");
        ok(r);
        assertTrue(r.out.contains("e4m3fn") && r.out.contains("0x4248"), r.out);
        assertTrue(r.out.contains("fp64 -> fp16 directly:      0x3C01"), r.out);
        assertTrue(r.out.contains("fp64 -> fp32 -> fp16:       0x3C00"), r.out);
    }
}
