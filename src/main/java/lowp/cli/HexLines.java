package lowp.cli;

import lowp.format.Format;
import lowp.round.Env;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streaming driver shared by {@code testfloat} and {@code eval}: reads lines of whitespace-separated hex
 * operands, applies an operation and writes {@code operands result flags} per line, with byte-level buffered
 * IO. In lenient mode ({@code testfloat}) further tokens, such as TestFloat's expected result and flags, are
 * ignored; in strict mode ({@code eval}) a line with more tokens than operands is an error. A malformed line
 * stops the run with a {@link UserException} naming the line and the bad token (everything before it has
 * been written and flushed).
 */
final class HexLines {

    /** The operation of one line: operands in, result pattern out, flags OR-ed into env. */
    interface LineOp {
        long apply(long[] x, Env env);

        /** As {@link #apply(long[], Env)} for the line numbered {@code lineNo} (1-based, blank lines counted). */
        default long apply(long[] x, Env env, long lineNo) {
            return apply(x, env);
        }
    }

    private static final byte[] HEX = "0123456789ABCDEF".getBytes();

    private final Format[] inFormats;
    private final Format outFormat;
    private final LineOp op;
    private final Env env;
    private final String what;
    private final boolean strict;

    /** A lenient driver: tokens after the operands are ignored (TestFloat's expected result and flags). */
    HexLines(Format[] inFormats, Format outFormat, LineOp op, Env env, String what) {
        this(inFormats, outFormat, op, env, what, false);
    }

    /**
     * @param strict if true, a line must hold exactly as many tokens as operands (more is an error, as
     *               fewer always is)
     */
    HexLines(Format[] inFormats, Format outFormat, LineOp op, Env env, String what, boolean strict) {
        this.inFormats = inFormats;
        this.outFormat = outFormat;
        this.op = op;
        this.env = env;
        this.what = what;
        this.strict = strict;
    }

    /** Processes all of {@code in}; returns the number of lines computed. */
    long run(InputStream in, OutputStream out) throws IOException {
        final int arity = inFormats.length;
        final long[] x = new long[arity];
        final int[] tokStart = new int[arity];
        final int[] tokEnd = new int[arity];
        final int outDigits = (outFormat.width() + 3) / 4;
        byte[] buf = new byte[1 << 16];
        int len = 0; // bytes in buf
        byte[] ob = new byte[1 << 16];
        int op0 = 0;
        long lineNo = 0;
        long count = 0;
        boolean eof = false;
        int pos = 0;
        while (true) {
            // find a complete line in buf[pos, len)
            int nl = -1;
            for (int i = pos; i < len; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            if (nl < 0) {
                if (eof) {
                    if (pos >= len) break;
                    nl = len; // last line without a newline
                } else {
                    // compact and read more
                    if (pos > 0) {
                        System.arraycopy(buf, pos, buf, 0, len - pos);
                        len -= pos;
                        pos = 0;
                    }
                    if (len == buf.length) {
                        byte[] nb = new byte[buf.length * 2];
                        System.arraycopy(buf, 0, nb, 0, len);
                        buf = nb;
                    }
                    int r = in.read(buf, len, buf.length - len);
                    if (r < 0) eof = true; else len += r;
                    continue;
                }
            }
            lineNo++;
            int end = nl;
            if (end > pos && buf[end - 1] == '\r') end--;
            // tokenize the first `arity` tokens
            int i = pos;
            int nt = 0;
            while (nt < arity) {
                while (i < end && (buf[i] == ' ' || buf[i] == '\t')) i++;
                if (i >= end) break;
                int s = i;
                while (i < end && buf[i] != ' ' && buf[i] != '\t') i++;
                tokStart[nt] = s;
                tokEnd[nt] = i;
                nt++;
            }
            if (nt == 0) { // blank line: skipped
                pos = Math.min(nl + 1, len);
                if (nl >= len) break;
                continue;
            }
            if (strict && nt == arity) { // count any further tokens
                while (true) {
                    while (i < end && (buf[i] == ' ' || buf[i] == '\t')) i++;
                    if (i >= end) break;
                    while (i < end && buf[i] != ' ' && buf[i] != '\t') i++;
                    nt++;
                }
            }
            if (nt != arity) {
                flushOut(out, ob, op0);
                throw new UserException("line " + lineNo + ": expected " + arity + " hex operand"
                        + (arity > 1 ? "s" : "") + " for " + what + ", got " + nt + ": '"
                        + new String(buf, pos, end - pos) + "'");
            }
            for (int k = 0; k < arity; k++) {
                x[k] = parseHex(buf, tokStart[k], tokEnd[k], inFormats[k], lineNo, out, ob, op0);
            }
            env.flags = 0;
            long res = op.apply(x, env, lineNo);
            int fl = env.flags;
            // write operands as given, result, flags
            int need = (tokEnd[arity - 1] - tokStart[0]) + arity + outDigits + 5 + 2 * arity;
            if (op0 + need > ob.length) {
                out.write(ob, 0, op0);
                op0 = 0;
                if (need > ob.length) ob = new byte[need * 2];
            }
            for (int k = 0; k < arity; k++) {
                int tl = tokEnd[k] - tokStart[k];
                System.arraycopy(buf, tokStart[k], ob, op0, tl);
                op0 += tl;
                ob[op0++] = ' ';
            }
            for (int d = outDigits - 1; d >= 0; d--) {
                ob[op0++] = HEX[(int) (res >>> (4 * d)) & 15];
            }
            ob[op0++] = ' ';
            ob[op0++] = HEX[(fl >>> 4) & 15];
            ob[op0++] = HEX[fl & 15];
            ob[op0++] = '\n';
            count++;
            if (nl >= len) break;
            pos = nl + 1;
        }
        flushOut(out, ob, op0);
        return count;
    }

    private static void flushOut(OutputStream out, byte[] ob, int n) throws IOException {
        out.write(ob, 0, n);
        out.flush();
    }

    private long parseHex(byte[] b, int s, int e, Format f, long lineNo, OutputStream out, byte[] ob, int n)
            throws IOException {
        int i = s;
        if (e - i > 2 && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) i += 2;
        long v = 0;
        int digits = 0;
        boolean ok = i < e;
        for (; i < e && ok; i++) {
            int c = b[i];
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else { ok = false; break; }
            if (digits > 0 || d != 0) digits++;
            if (digits > 16) { ok = false; break; }
            v = (v << 4) | d;
        }
        if (ok && f.width() < 64 && (v >>> f.width()) != 0) ok = false;
        if (!ok) {
            flushOut(out, ob, n);
            throw new UserException("line " + lineNo + ": operand '" + new String(b, s, e - s)
                    + "' is not a hex bit pattern of " + f + " (" + f.width() + " bits)");
        }
        return v;
    }
}
