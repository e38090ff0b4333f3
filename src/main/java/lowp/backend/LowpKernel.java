package lowp.backend;

import com.aparapi.Kernel;

/**
 * The Aparapi (OpenCL) kernel: one class for all operations (selected by {@link #op}) so that the OpenCL
 * program is built once per process. Everything inside {@link #run()} is integer arithmetic on int/long that
 * Aparapi translates to OpenCL C: bit patterns arrive as int/long arrays (doubles as their raw long bits),
 * formats and roundings as int descriptors ({@link Specs}). The numerics are a line-by-line port of
 * {@link CpuMath} / {@link lowp.round.Rounder} (without exception flags) and of kernels/lowp_numerics.h.
 */
public final class LowpKernel extends Kernel {
    static final int OP_QD = 0, OP_QF = 1, OP_GEMM = 2, OP_STEP = 3;

    // ---- launch parameters (fields: Aparapi passes them as kernel arguments)
    int op;
    int n;
    long seed;
    int stream;
    int step;
    int nseg;
    int gm, gn, gk, hasC;
    /** GEMM index mapping: 0 = D = A·B (element o = (i, j)); 1 = dot batch (line o: a and b rows o, see gemmElem). */
    int gdot;

    long[] inL = new long[1];
    int[] inI = new int[1];
    int[] out = new int[1];
    int[] fd = new int[Specs.FD * 5];
    int[] prm = new int[16];
    int[] seg = new int[2];
    int[] ga = new int[1], gb = new int[1], gc = new int[1];
    int[] sv = new int[1];

    @Override
    public void run() {
        int gid = getGlobalId();
        if (gid < n) {
            if (op == OP_QD) {
                quantizeElem(gid, true);
            } else if (op == OP_QF) {
                quantizeElem(gid, false);
            } else if (op == OP_GEMM) {
                gemmElem(gid);
            } else {
                stepElem(gid);
            }
        }
    }

    // ------------------------------------------------------------------ Philox4x32-10 (docs/rng.md)

    long philox(int strm, long index) {
        long mask = 0xFFFFFFFFL;
        int c0 = (int) (index >>> 1);
        int c1 = (int) (index >>> 33);
        int c2 = strm;
        int c3 = step;
        int k0 = (int) seed;
        int k1 = (int) (seed >>> 32);
        for (int r = 0; r < 10; r++) {
            if (r > 0) {
                k0 += 0x9E3779B9;
                k1 += 0xBB67AE85;
            }
            long p0 = 0xD2511F53L * (c0 & mask);
            long p1 = 0xCD9E8D57L * (c2 & mask);
            int n0 = ((int) (p1 >>> 32)) ^ c1 ^ k0;
            int n2 = ((int) (p0 >>> 32)) ^ c3 ^ k1;
            c1 = (int) p1;
            c3 = (int) p0;
            c0 = n0;
            c2 = n2;
        }
        long w = (((long) c1) << 32) | (c0 & mask);
        if ((index & 1) != 0) {
            w = (((long) c3) << 32) | (c2 & mask);
        }
        return w;
    }

    long rnd(int mode, int strm, long index) {
        long w = 0;
        if (mode >= 6) {
            w = philox(strm, index);
        }
        return w;
    }

    // ------------------------------------------------------------------ format queries (descriptor at fo)

    long signBit(int fo) {
        return fd[fo + 11] & 0xFFFFFFFFL;
    }

    long magMask(int fo) {
        return (1L << (fd[fo + 13] + fd[fo]) ) - 1L;
    }

    /** 0 zero, 1 finite, 2 inf, 3 nan. */
    int dcls(int fo, long bits) {
        int m = fd[fo];
        int kind = fd[fo + 2];
        long mag = bits & magMask(fo);
        long expField = (1L << fd[fo + 13]) - 1L;
        long fracMask = (1L << m) - 1L;
        boolean nan = false;
        if (kind == 0) {
            nan = ((bits >>> m) & expField) == expField && (bits & fracMask) != 0;
        } else if (kind == 1) {
            nan = mag == magMask(fo);
        } else if (kind == 2) {
            nan = bits == signBit(fo);
        } else if (kind == 4) {
            nan = bits == magMask(fo);
        }
        int c = 1;
        if (nan) {
            c = 3;
        } else if (fd[fo + 10] >= 0 && mag == fd[fo + 10]) {
            c = 2;
        } else if (dsig(fo, bits) == 0) {
            c = 0;
        }
        return c;
    }

    boolean dneg(int fo, long bits) {
        return (bits & signBit(fo)) != 0;
    }

    long dsig(int fo, long bits) {
        int m = fd[fo];
        long mag = bits & magMask(fo);
        long ef = mag >>> m;
        long f = mag & ((1L << m) - 1L);
        long s = f | (1L << m);
        if (fd[fo + 2] == 4) {
            s = 1;
        } else if (ef == 0) {
            s = fd[fo + 4] != 0 ? f : 0;
        }
        return s;
    }

    int dexp(int fo, long bits) {
        int m = fd[fo];
        long mag = bits & magMask(fo);
        int ef = (int) (mag >>> m);
        int e = ef - fd[fo + 12] - m;
        if (fd[fo + 2] == 4) {
            e = ef - fd[fo + 12];
        } else if (ef == 0) {
            e = fd[fo + 1] - m;
        }
        return e;
    }

    // ------------------------------------------------------------------ special results (Rounder)

    long zeroBits(int fo, boolean neg) {
        long z = 0;
        if (neg && fd[fo + 2] != 2) {
            z = signBit(fo);
        }
        return z;
    }

    long unsignedNeg(int fo) {
        long r = (fd[fo + 9] & 0xFFFFFFFFL);
        if (fd[fo + 3] != 0) {
            r = 0;
        }
        return r;
    }

    long zeroR(int fo, boolean neg) {
        long r = zeroBits(fo, neg);
        if (fd[fo + 2] == 4) {
            r = fd[fo + 3] != 0 ? 0L : (fd[fo + 9] & 0xFFFFFFFFL);
        }
        return r;
    }

    long infR(int fo, boolean neg) {
        long r = (fd[fo + 9] & 0xFFFFFFFFL);
        long sign = neg ? signBit(fo) : 0L;
        if (neg && fd[fo + 2] == 4) {
            r = unsignedNeg(fo);
        } else if (fd[fo + 10] >= 0 && fd[fo + 3] == 0) {
            r = sign | fd[fo + 10];
        } else if (fd[fo + 3] != 0) {
            r = sign | (fd[fo + 8] & 0xFFFFFFFFL);
        }
        return r;
    }

    boolean overflowsToMax(int mode, boolean neg) {
        return mode == 2 || mode == 5 || (mode == 3 && neg) || (mode == 4 && !neg);
    }

    long overflowR(int fo, boolean neg, int mode) {
        long r = (fd[fo + 9] & 0xFFFFFFFFL);
        long sign = neg ? signBit(fo) : 0L;
        if (neg && fd[fo + 2] == 4) {
            r = unsignedNeg(fo);
        } else if (fd[fo + 3] != 0 || overflowsToMax(mode, neg)) {
            r = sign | (fd[fo + 8] & 0xFFFFFFFFL);
        } else if (fd[fo + 10] >= 0) {
            r = sign | fd[fo + 10];
        }
        return r;
    }

    // ------------------------------------------------------------------ rounding (Rounder.round)

    int msb(long x) {
        int r = 0;
        long v = x;
        if ((v >>> 32) != 0) { r += 32; v = v >>> 32; }
        if ((v >>> 16) != 0) { r += 16; v = v >>> 16; }
        if ((v >>> 8) != 0) { r += 8; v = v >>> 8; }
        if ((v >>> 4) != 0) { r += 4; v = v >>> 4; }
        if ((v >>> 2) != 0) { r += 2; v = v >>> 2; }
        if ((v >>> 1) != 0) { r += 1; }
        return r;
    }

    /**
     * Unsigned a &lt; b. (Aparapi translates a long comparison a &lt; b into (a - b) &lt; 0, which overflows for
     * full-range words, so the halves are compared separately: each difference fits.)
     */
    boolean ultU(long a, long b) {
        long ah = a >>> 32;
        long bh = b >>> 32;
        long al = a & 0xFFFFFFFFL;
        long bl = b & 0xFFFFFFFFL;
        return ah < bh || (ah == bh && al < bl);
    }

    /** Rounding decision for k with fraction (f64, low): k, k+1 or k|1, with bit 62 set when inexact. */
    long decide(boolean neg, long k, long f64, boolean low, int mode, int nb, long rw) {
        // (no comparison on an unsigned-shift expression: Aparapi compares (unsigned)(a - b) >= 0)
        long fTop = f64 >>> ((64 - nb) & 63);
        long rTop = rw >>> ((64 - nb) & 63);
        long lim = 1L << nb;
        boolean inexact = f64 != 0 || low;
        boolean up = false;
        if (mode == 0) {
            up = ultU(0x8000000000000000L, f64) || (f64 == 0x8000000000000000L && (low || (k & 1) != 0));
        } else if (mode == 1) {
            up = !ultU(f64, 0x8000000000000000L);
        } else if (mode == 3) {
            up = !neg;
        } else if (mode == 4) {
            up = neg;
        } else if (mode == 6) {
            up = ultU(rw, f64) || (rw == f64 && low);
        } else if (mode == 7) {
            up = rw < 0;
        } else if (mode == 8) {
            up = fTop + rTop >= lim;
        }
        long r = k;
        if (inexact && mode == 5) {
            r = (k | 1L) | (1L << 62);
        }
        if (inexact && mode != 5 && up) {
            r = (k + 1) | (1L << 62);
        }
        if (inexact && mode != 5 && !up) {
            r = k | (1L << 62);
        }
        return r;
    }

    /** Rounder.quantize64 (Aparapi's decompiler rejects an if nested at the end of a branch with an else: flat). */
    long roundQ(boolean neg, long sig, int exp, boolean sticky, int qe, int mode, int nb, long rw) {
        int shift = qe - exp;
        int s2 = shift - 64;
        long k = 0;
        long f64 = 0;
        boolean low = sticky;
        if (shift <= 0) {
            k = sig << (-shift);
        }
        if (shift > 0 && shift < 64) {
            k = sig >>> shift;
            f64 = sig << (64 - shift);
        }
        if (shift >= 64 && s2 < 64) {
            f64 = sig >>> s2;
        }
        if (s2 > 0 && s2 < 64 && (sig << (64 - s2)) != 0) {
            low = true;
        }
        if (s2 >= 64) {
            low = true;
        }
        return decide(neg, k, f64, low, mode, nb, rw);
    }

    /** Rounder.quantize128 for hi:lo with hi != 0. */
    long roundQ128(boolean neg, long hi, long lo, int exp, boolean sticky, int qe, int mode, int nb, long rw) {
        int shift = qe - exp;
        long k = 0;
        long f64 = 0;
        boolean low = sticky;
        if (shift < 64) {
            k = (hi << ((64 - shift) & 63)) | (lo >>> (shift & 63));
            f64 = lo << ((64 - shift) & 63);
        }
        if (shift == 64) {
            k = hi;
            f64 = lo;
        }
        if (shift > 64 && shift < 128) {
            k = hi >>> (shift - 64);
            f64 = (hi << (128 - shift)) | (lo >>> (shift - 64));
        }
        if (shift > 64 && shift < 128 && (lo << (128 - shift)) != 0) {
            low = true;
        }
        if (shift == 128) {
            f64 = hi;
        }
        if (shift >= 128 && lo != 0) {
            low = true;
        }
        if (shift > 128 && shift < 192) {
            f64 = hi >>> (shift - 128);
        }
        if (shift > 128 && shift < 192 && (hi << (192 - shift)) != 0) {
            low = true;
        }
        if (shift >= 192) {
            low = true;
        }
        return decide(neg, k, f64, low, mode, nb, rw);
    }

    /** Rounder.finish without flags: overflow, underflow, flush and encoding of k * 2^qe. */
    long finish(int fo, boolean neg, long kx, int qe0, int mode) {
        int m = fd[fo];
        int kind = fd[fo + 2];
        int maxqe = fd[fo + 6];
        long sign = neg ? signBit(fo) : 0L;
        long k = kx & ~(1L << 62);
        int qe = qe0;
        long res = 0;
        boolean done = false;
        if (k == 0) {
            res = kind == 4 ? (fd[fo + 3] != 0 ? 0L : (fd[fo + 9] & 0xFFFFFFFFL)) : zeroBits(fo, neg);
            done = true;
        }
        if (!done && k >= (1L << (m + 1))) {
            k = k >>> 1;
            qe++;
        }
        if (!done && (qe > maxqe || (qe == maxqe && k > fd[fo + 7]))) {
            res = overflowR(fo, neg, mode);
            done = true;
        }
        if (!done && kind == 4) {
            res = qe + fd[fo + 12];
            done = true;
        }
        if (!done && k < (1L << m)) {
            res = fd[fo + 4] == 0 ? zeroBits(fo, neg) : (sign | k);
            done = true;
        }
        if (!done) {
            long ef = (long) (qe + m + fd[fo + 12]);
            res = sign | (ef << m) | (k - (1L << m));
        }
        return res;
    }

    /** Rounder.round without flags. */
    long roundF(int fo, boolean neg, long sig, int exp, boolean sticky, int mode, int nb, long rw) {
        int m = fd[fo];
        int emin = fd[fo + 1];
        long res = 0;
        if (sig == 0) {
            res = zeroR(fo, neg);
        } else if (neg && fd[fo + 2] == 4) {
            res = unsignedNeg(fo);
        } else if (fd[fo + 2] == 4 && mode == 0 && exp + msb(sig) == emin - 1 && !sticky && (sig & (sig - 1)) == 0) {
            res = 0; // e8m0 rne: the tie 2^(emin-1) goes up to 2^emin = code 0 (Rounder.e8m0TieUp)
        } else {
            int e = exp + msb(sig);
            int qe = (e > emin ? e : emin) - m;
            res = finish(fo, neg, roundQ(neg, sig, exp, sticky, qe, mode, nb, rw), qe, mode);
        }
        return res;
    }

    /** Rounder.round128 without flags. */
    long roundF128(int fo, boolean neg, long hi, long lo, int exp, boolean sticky, int mode, int nb, long rw) {
        int m = fd[fo];
        int emin = fd[fo + 1];
        long res = 0;
        int e = exp + 64 + msb(hi);
        int qe = (e > emin ? e : emin) - m;
        if (hi == 0 && lo >= 0) {
            res = roundF(fo, neg, lo, exp, sticky, mode, nb, rw);
        } else if (hi == 0) {
            res = roundF(fo, neg, lo >>> 1, exp + 1, sticky || (lo & 1) != 0, mode, nb, rw);
        } else if (neg && fd[fo + 2] == 4) {
            res = unsignedNeg(fo);
        } else if (fd[fo + 2] == 4 && mode == 0 && e == emin - 1 && !sticky && lo == 0 && (hi & (hi - 1)) == 0) {
            res = 0; // e8m0 rne: the tie 2^(emin-1) goes up to 2^emin = code 0 (Rounder.e8m0TieUp)
        } else {
            res = finish(fo, neg, roundQ128(neg, hi, lo, exp, sticky, qe, mode, nb, rw), qe, mode);
        }
        return res;
    }

    // ------------------------------------------------------------------ exact sums (CpuMath.add128)

    /**
     * One part of the exact 128-bit sum of two non-zero exact values (CpuMath.add128): which = 0 the high
     * word, 1 the low word, 2 the flags (bit 0 sign, bit 1 sticky). (Aparapi functions return one value.)
     */
    long addPart(int which, boolean na0, long sa0, int ea0, boolean nb0, long sb0, int eb0) {
        int ta = ea0 + msb(sa0);
        int tb = eb0 + msb(sb0);
        boolean na = na0;
        boolean nb = nb0;
        long sa = sa0;
        long sb = sb0;
        if (ta < tb) {
            na = nb0;
            nb = na0;
            sa = sb0;
            sb = sa0;
            int tt = ta;
            ta = tb;
            tb = tt;
        }
        int d = ta - tb;
        long ah = sa << (60 - msb(sa));
        long bh0 = sb << (60 - msb(sb));
        long bh = bh0;
        long bl = 0;
        boolean sticky = false;
        if (d >= 128) {
            bh = 0;
            sticky = true;
        }
        if (d > 64 && d < 128) {
            bl = bh0 >>> (d - 64);
            bh = 0;
        }
        if (d > 64 && d < 128 && (bh0 << (128 - d)) != 0) {
            sticky = true;
        }
        if (d == 64) {
            bl = bh0;
            bh = 0;
        }
        if (d > 0 && d < 64) {
            bl = bh0 << (64 - d);
            bh = bh0 >>> d;
        }
        boolean neg = na;
        long hi = ah + bh;
        long lo = bl;
        long st = sticky ? 1L : 0L;
        long borrow = (bl != 0 || sticky) ? 1L : 0L;
        if (na != nb) {
            lo = 0L - bl - st;
            hi = ah - bh - borrow;
        }
        if (hi < 0) {
            lo = 0L - lo;
            hi = 0L - hi - (lo != 0 ? 1L : 0L);
            neg = !neg;
        }
        long r = (neg ? 1L : 0L) | (sticky ? 2L : 0L);
        if (which == 0) {
            r = hi;
        }
        if (which == 1) {
            r = lo;
        }
        return r;
    }

    long addFin(int ro, boolean nx, long sx, int ex, boolean ny, long sy, int ey, int mode, int nb, long rw) {
        long hi = addPart(0, nx, sx, ex, ny, sy, ey);
        long lo = addPart(1, nx, sx, ex, ny, sy, ey);
        long fl = addPart(2, nx, sx, ex, ny, sy, ey);
        int ta = ex + msb(sx);
        int tb = ey + msb(sy);
        int exp = (ta > tb ? ta : tb) - 124;
        boolean sticky = (fl & 2L) != 0;
        long r = 0;
        if (hi == 0 && lo == 0 && !sticky) {
            r = zeroR(ro, mode == 4);
        } else {
            r = roundF128(ro, (fl & 1L) != 0, hi, lo, exp, sticky, mode, nb, rw);
        }
        return r;
    }

    /** Q_ro(x + y) on decoded operands. */
    long addV(int ro, int cx, boolean nx, long sx, int ex, int cy, boolean ny, long sy, int ey, int mode, int nb, long rw) {
        long r = 0;
        if (cx == 3 || cy == 3) {
            r = (fd[ro + 9] & 0xFFFFFFFFL);
        } else if (cx == 2 && cy == 2) {
            r = nx != ny ? (fd[ro + 9] & 0xFFFFFFFFL) : infR(ro, nx);
        } else if (cx == 2) {
            r = infR(ro, nx);
        } else if (cy == 2) {
            r = infR(ro, ny);
        } else if (cx == 0 && cy == 0) {
            r = zeroR(ro, nx == ny ? nx : mode == 4);
        } else if (cx == 0) {
            r = roundF(ro, ny, sy, ey, false, mode, nb, rw);
        } else if (cy == 0) {
            r = roundF(ro, nx, sx, ex, false, mode, nb, rw);
        } else {
            r = addFin(ro, nx, sx, ex, ny, sy, ey, mode, nb, rw);
        }
        return r;
    }

    /** Q_ro(x * y). */
    long mulV(int ro, int cx, boolean nx, long sx, int ex, int cy, boolean ny, long sy, int ey, int mode, int nb, long rw) {
        long r = 0;
        boolean neg = nx != ny;
        if (cx == 3 || cy == 3 || (cx == 2 && cy == 0) || (cx == 0 && cy == 2)) {
            r = (fd[ro + 9] & 0xFFFFFFFFL);
        } else if (cx == 2 || cy == 2) {
            r = infR(ro, neg);
        } else if (cx == 0 || cy == 0) {
            r = zeroR(ro, neg);
        } else {
            r = roundF(ro, neg, sx * sy, ex + ey, false, mode, nb, rw);
        }
        return r;
    }

    /** Q_ro(x * y + z), one rounding. */
    long fmaV(int ro, int cx, boolean nx, long sx, int ex, int cy, boolean ny, long sy, int ey,
              int cz, boolean nz, long sz, int ez, int mode, int nb, long rw) {
        long r = 0;
        boolean pneg = nx != ny;
        boolean pinf = cx == 2 || cy == 2;
        boolean pzero = cx == 0 || cy == 0;
        if ((cx == 2 && cy == 0) || (cx == 0 && cy == 2) || cx == 3 || cy == 3 || cz == 3) {
            r = (fd[ro + 9] & 0xFFFFFFFFL);
        } else if (pinf && cz == 2 && pneg != nz) {
            r = (fd[ro + 9] & 0xFFFFFFFFL);
        } else if (pinf) {
            r = infR(ro, pneg);
        } else if (cz == 2) {
            r = infR(ro, nz);
        } else if (pzero && cz == 0) {
            r = zeroR(ro, pneg == nz ? pneg : mode == 4);
        } else if (pzero) {
            r = roundF(ro, nz, sz, ez, false, mode, nb, rw);
        } else if (cz == 0) {
            r = roundF(ro, pneg, sx * sy, ex + ey, false, mode, nb, rw);
        } else {
            r = addFin(ro, pneg, sx * sy, ex + ey, nz, sz, ez, mode, nb, rw);
        }
        return r;
    }

    // ------------------------------------------------------------------ decoding IEEE storage

    /** Rounds a binary64 (raw bits) into the format at fo. */
    long quantD(int fo, long bits, int mode, int nb, long rw) {
        boolean neg = bits < 0;
        int ef = (int) ((bits >>> 52) & 0x7FFL);
        long fr = bits & 0xFFFFFFFFFFFFFL;
        long r = 0;
        if (ef == 0x7FF) {
            r = fr != 0 ? (fd[fo + 9] & 0xFFFFFFFFL) : infR(fo, neg);
        } else if (ef == 0) {
            r = fr == 0 ? zeroR(fo, neg) : roundF(fo, neg, fr, -1074, false, mode, nb, rw);
        } else {
            r = roundF(fo, neg, fr | (1L << 52), ef - 1075, false, mode, nb, rw);
        }
        return r;
    }

    int fcls(int bits) {
        int ef = (bits >>> 23) & 0xFF;
        int fr = bits & 0x7FFFFF;
        int c = 1;
        if (ef == 0xFF) {
            c = fr != 0 ? 3 : 2;
        } else if (ef == 0 && fr == 0) {
            c = 0;
        }
        return c;
    }

    long fsig(int bits) {
        int ef = (bits >>> 23) & 0xFF;
        long fr = bits & 0x7FFFFF;
        return ef == 0 ? fr : (fr | 0x800000L);
    }

    int fexp(int bits) {
        int ef = (bits >>> 23) & 0xFF;
        return ef == 0 ? -149 : ef - 150;
    }

    /** Rounds a binary32 (raw bits) into the format at fo. */
    long quantF(int fo, int bits, int mode, int nb, long rw) {
        int c = fcls(bits);
        boolean neg = bits < 0;
        long r = 0;
        if (c == 3) {
            r = (fd[fo + 9] & 0xFFFFFFFFL);
        } else if (c == 2) {
            r = infR(fo, neg);
        } else if (c == 0) {
            r = zeroR(fo, neg);
        } else {
            r = roundF(fo, neg, fsig(bits), fexp(bits), false, mode, nb, rw);
        }
        return r;
    }

    // ------------------------------------------------------------------ operations

    void quantizeElem(int gid, boolean dbl) {
        // segment (batched arrays): binary search of gid in seg[0..nseg]
        int lo = 0;
        int hi = nseg - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >> 1;
            if (seg[mid] <= gid) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        long idx = gid - seg[lo];
        int mode = prm[0];
        int nb = prm[1];
        long rw = rnd(mode, stream + lo, idx);
        if (dbl) {
            out[gid] = (int) quantD(0, inL[gid], mode, nb, rw);
        } else {
            out[gid] = (int) quantF(0, inI[gid], mode, nb, rw);
        }
    }

    static final int FA = 0, FB = Specs.FD, FP = 2 * Specs.FD, FACC = 3 * Specs.FD, FOUT = 4 * Specs.FD;

    /** One fused block over k indices [kb, ke): term kk is ga[aOff + kk] · gb[bOff + kk·bs]. */
    long fusedBlock(int aOff, int bOff, int bs, int kb, int ke, long c, int mode, int nb, long rw) {
        int cz = dcls(FACC, c);
        boolean nz = dneg(FACC, c);
        boolean nan = cz == 3;
        boolean posInf = cz == 2 && !nz;
        boolean negInf = cz == 2 && nz;
        int ma = fd[FA];
        int mb = fd[FB];
        int mo = fd[FACC];
        int e = fd[FACC + 1];
        if (cz == 1) {
            e = dexp(FACC, c) + mo;
        }
        for (int kk = kb; kk < ke; kk++) {
            long a = ga[aOff + kk] & 0xFFFFFFFFL;
            long b = gb[bOff + kk * bs] & 0xFFFFFFFFL;
            int ca = dcls(FA, a);
            int cb = dcls(FB, b);
            boolean pn = dneg(FA, a) != dneg(FB, b);
            if (ca == 3 || cb == 3) {
                nan = true;
            }
            if ((ca == 2 || cb == 2) && (ca == 0 || cb == 0)) {
                nan = true;
            }
            if ((ca == 2 || cb == 2) && ca != 0 && cb != 0 && ca != 3 && cb != 3 && pn) {
                negInf = true;
            }
            if ((ca == 2 || cb == 2) && ca != 0 && cb != 0 && ca != 3 && cb != 3 && !pn) {
                posInf = true;
            }
            int x = dexp(FA, a) + ma + dexp(FB, b) + mb;
            if (ca == 1 && cb == 1 && x > e) {
                e = x;
            }
        }
        int f = prm[3];
        long sum = 0;
        if (cz == 1) {
            sum = shiftTrunc(dsig(FACC, c), dexp(FACC, c) + f - e);
        }
        if (cz == 1 && nz) {
            sum = -sum;
        }
        for (int kk = kb; kk < ke; kk++) {
            long a = ga[aOff + kk] & 0xFFFFFFFFL;
            long b = gb[bOff + kk * bs] & 0xFFFFFFFFL;
            long t = 0;
            if (dcls(FA, a) == 1 && dcls(FB, b) == 1) {
                t = shiftTrunc(dsig(FA, a) * dsig(FB, b), dexp(FA, a) + dexp(FB, b) + f - e);
            }
            if (dneg(FA, a) != dneg(FB, b)) {
                t = -t;
            }
            sum += t;
        }
        long mag = sum < 0 ? -sum : sum;
        boolean big = prm[13] != 0 && sum != 0 && msb(mag) + e - f > prm[12];
        long r = 0;
        if (sum != 0 && !big) {
            r = roundF(FP, sum < 0, mag, e - f, false, mode, nb, rw) << prm[11];
        }
        if (big) {
            r = infR(FACC, sum < 0);
        }
        if (posInf || negInf) {
            r = infR(FACC, negInf);
        }
        if (nan || (posInf && negInf)) {
            r = (fd[FACC + 9] & 0xFFFFFFFFL);
        }
        return r;
    }

    long shiftTrunc(long v, int sh) {
        long r = 0;
        if (sh >= 0) {
            r = v << sh;
        } else if (-sh < 63) {
            r = v >>> (-sh);
        }
        return r;
    }

    /**
     * GEMM output element o (gdot = 0: (i, j) = (o / gn, o % gn), row i of A, column j of B) or line o of a dot
     * batch (gdot = 1: ga and gb rows o, both of length gk, stride 1); either way the random words of element
     * index o and the addend gc[o].
     */
    void gemmElem(int o) {
        int k = gk;
        int i = o / gn;
        int aOff = i * k;
        int bOff = o - i * gn;
        int bs = gn;
        if (gdot != 0) {
            aOff = o * k;
            bOff = o * k;
            bs = 1;
        }
        boolean fused = prm[0] != 0;
        boolean fma = prm[1] != 0;
        int bk = prm[2];
        int promote = prm[4];
        int pm = prm[5], pn = prm[6], am = prm[7], an = prm[8], om = prm[9], on = prm[10];
        long base = ((long) o) << 36;
        int fo = promote > 0 ? FOUT : FACC;
        long init = hasC != 0 ? (gc[o] & 0xFFFFFFFFL) : 0L;
        long outer = init;
        long acc = promote > 0 ? 0L : init;
        int chunk = promote > 0 ? promote : (k > 1 ? k : 1);
        int q = 0;
        for (int k0 = 0; k0 < k; k0 += chunk) {
            int k1 = k0 + chunk < k ? k0 + chunk : k;
            long ib = base;
            long fb = base;
            if (promote > 0) {
                acc = 0L;
                ib = base + (((long) (q + 1)) << 20) - 2L * k0;
                fb = base + (((long) (q + 1)) << 20) - (bk > 0 ? k0 / bk : 0);
            }
            if (fused) {
                for (int kb = k0; kb < k1; kb += bk) {
                    long idx = fb + kb / bk;
                    acc = fusedBlock(aOff, bOff, bs, kb, (kb + bk < k1 ? kb + bk : k1), acc, am, an, rnd(am, stream, idx));
                }
            } else {
                for (int kk = k0; kk < k1; kk++) {
                    long a = ga[aOff + kk] & 0xFFFFFFFFL;
                    long b = gb[bOff + kk * bs] & 0xFFFFFFFFL;
                    int ca = dcls(FA, a);
                    int cb = dcls(FB, b);
                    int cz = dcls(FACC, acc);
                    boolean na = dneg(FA, a), nbb = dneg(FB, b), nz = dneg(FACC, acc);
                    long sa = dsig(FA, a), sb = dsig(FB, b), sz = dsig(FACC, acc);
                    int ea = dexp(FA, a), eb = dexp(FB, b), ez = dexp(FACC, acc);
                    long i1 = ib + 2L * kk + 1;
                    if (fma) {
                        acc = fmaV(FACC, ca, na, sa, ea, cb, nbb, sb, eb, cz, nz, sz, ez, am, an, rnd(am, stream, i1));
                    } else {
                        long p = mulV(FP, ca, na, sa, ea, cb, nbb, sb, eb, pm, pn, rnd(pm, stream, i1 - 1));
                        acc = addV(FACC, cz, nz, sz, ez, dcls(FP, p), dneg(FP, p), dsig(FP, p), dexp(FP, p), am, an,
                                rnd(am, stream, i1));
                    }
                }
            }
            if (promote > 0) {
                outer = addV(FOUT, dcls(FOUT, outer), dneg(FOUT, outer), dsig(FOUT, outer), dexp(FOUT, outer),
                        dcls(FACC, acc), dneg(FACC, acc), dsig(FACC, acc), dexp(FACC, acc), om, on,
                        rnd(om, stream, base + q));
            }
            q++;
        }
        out[o] = (int) (promote > 0 ? outer : acc);
    }

    static final int SG = 0, SU = Specs.FD, SW = 2 * Specs.FD, SV = 3 * Specs.FD;

    void stepElem(int i) {
        long base = 4L * i;
        int gmode = prm[1], gnb = prm[2], um = prm[3], un = prm[4], wm = prm[5], wn = prm[6], vm = prm[7], vn = prm[8];
        int lr = prm[9];
        int beta = prm[10];
        long q = quantF(SG, inI[i], gmode, gnb, rnd(gmode, stream, base));
        int sf = SG;
        long sb = q;
        if (prm[0] != 0) {
            long v = sv[i] & 0xFFFFFFFFL;
            long nv = fmaV(SV, fcls(beta), beta < 0, fsig(beta), fexp(beta),
                    dcls(SV, v), dneg(SV, v), dsig(SV, v), dexp(SV, v),
                    dcls(SG, q), dneg(SG, q), dsig(SG, q), dexp(SG, q), vm, vn, rnd(vm, stream, base + 1));
            sv[i] = (int) nv;
            sf = SV;
            sb = nv;
        }
        long u = mulV(SU, fcls(lr), lr < 0, fsig(lr), fexp(lr), dcls(sf, sb), dneg(sf, sb), dsig(sf, sb), dexp(sf, sb),
                um, un, rnd(um, stream, base + 2));
        long w = out[i] & 0xFFFFFFFFL;
        out[i] = (int) addV(SW, dcls(SW, w), dneg(SW, w), dsig(SW, w), dexp(SW, w),
                dcls(SU, u), !dneg(SU, u), dsig(SU, u), dexp(SU, u), wm, wn, rnd(wm, stream, base + 3));
    }
}
