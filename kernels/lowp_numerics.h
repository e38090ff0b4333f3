/*
 * lowp_numerics.h - the numerics of the lowp GPU kernels, shared by the CUDA kernels (kernels/NAME.cu) and the
 * host build used in tests (kernels/host/lowp_host.c compiles this header with gcc).
 *
 * Integer-only: decode, exact products and sums, one rounding (a port of lowp.round.Rounder, without exception
 * flags), encode, and Philox4x32-10 with the lowp key/counter layout of docs/rng.md. No floating-point
 * arithmetic is used anywhere, so FMA contraction cannot change a result; the build still passes
 * --fmad=false to nvcc. Bit-for-bit equal to lowp.backend.CpuBackend / CpuMath and to the Aparapi kernel
 * (lowp.backend.LowpKernel); tested by CudaHostNumericsTest.
 *
 * Formats are described by int[16] descriptors (lowp.backend.Specs): at most 32-bit patterns, zero-extended.
 */
#ifndef LOWP_NUMERICS_H
#define LOWP_NUMERICS_H

#ifdef __CUDACC__
#define LOWP_FN __host__ __device__ static inline
#include <stdint.h>
#else
#define LOWP_FN static inline
#include <stdint.h>
#endif

typedef int64_t i64;
typedef uint64_t u64;

/* descriptor fields (lowp.backend.Specs) */
#define F_M 0
#define F_EMIN 1
#define F_KIND 2
#define F_SAT 3
#define F_SUB 4
#define F_WIDTH 5
#define F_MAXQE 6
#define F_MAXSIG 7
#define F_MAXFIN 8
#define F_DEFNAN 9
#define F_INF 10
#define F_SIGN 11
#define F_BIAS 12
#define F_E 13
#define F_NAN 14
#define FD 16

#define K_IEEE 0
#define K_FN 1
#define K_FNUZ 2
#define K_MX 3
#define K_E8M0 4

/* rounding modes (lowp.backend.Specs.modeCode) */
#define M_RNE 0
#define M_RNA 1
#define M_RTZ 2
#define M_RUP 3
#define M_RDN 4
#define M_RTO 5
#define M_SR 6
#define M_SR_EQUAL 7
#define M_SR_BITS 8

/* value classes */
#define C_ZERO 0
#define C_FIN 1
#define C_INF 2
#define C_NAN 3

#define INEXACT_BIT (((u64) 1) << 62)
#define U32(x) ((u64) (uint32_t) (x))

typedef struct {
    int cls;
    int neg;
    u64 sig;
    int exp;
} lowp_val;

/* ------------------------------------------------------------------ Philox4x32-10 (docs/rng.md) */

LOWP_FN u64 lowp_philox(u64 seed, uint32_t stream, uint32_t step, u64 index) {
    uint32_t c0 = (uint32_t) (index >> 1), c1 = (uint32_t) (index >> 33), c2 = stream, c3 = step;
    uint32_t k0 = (uint32_t) seed, k1 = (uint32_t) (seed >> 32);
    for (int r = 0; r < 10; r++) {
        if (r > 0) {
            k0 += 0x9E3779B9u;
            k1 += 0xBB67AE85u;
        }
        u64 p0 = (u64) 0xD2511F53u * c0;
        u64 p1 = (u64) 0xCD9E8D57u * c2;
        uint32_t n0 = (uint32_t) (p1 >> 32) ^ c1 ^ k0;
        uint32_t n2 = (uint32_t) (p0 >> 32) ^ c3 ^ k1;
        c1 = (uint32_t) p1;
        c3 = (uint32_t) p0;
        c0 = n0;
        c2 = n2;
    }
    return (index & 1) == 0 ? (((u64) c1 << 32) | c0) : (((u64) c3 << 32) | c2);
}

typedef struct {
    u64 seed;
    uint32_t stream;
    uint32_t step;
} lowp_key;

LOWP_FN u64 lowp_rnd(int mode, lowp_key key, u64 index) {
    return mode >= M_SR ? lowp_philox(key.seed, key.stream, key.step, index) : 0;
}

/* ------------------------------------------------------------------ format queries */

LOWP_FN u64 lowp_sign_bit(const int *f) { return U32(f[F_SIGN]); }
LOWP_FN u64 lowp_mag_mask(const int *f) { return (((u64) 1) << (f[F_E] + f[F_M])) - 1; }
LOWP_FN u64 lowp_def_nan(const int *f) { return U32(f[F_DEFNAN]); }

LOWP_FN lowp_val lowp_decode(const int *f, u64 bits) {
    lowp_val v;
    int m = f[F_M], kind = f[F_KIND];
    u64 mag = bits & lowp_mag_mask(f);
    u64 expField = (((u64) 1) << f[F_E]) - 1;
    u64 fracMask = (((u64) 1) << m) - 1;
    int nan = 0;
    if (kind == K_IEEE) nan = ((bits >> m) & expField) == expField && (bits & fracMask) != 0;
    else if (kind == K_FN) nan = mag == lowp_mag_mask(f);
    else if (kind == K_FNUZ) nan = bits == lowp_sign_bit(f);
    else if (kind == K_E8M0) nan = bits == lowp_mag_mask(f);
    v.neg = (bits & lowp_sign_bit(f)) != 0;
    v.sig = 0;
    v.exp = 0;
    if (nan) {
        v.cls = C_NAN;
        v.neg = 0;
        return v;
    }
    if (f[F_INF] >= 0 && mag == (u64) f[F_INF]) {
        v.cls = C_INF;
        return v;
    }
    u64 ef = mag >> m;
    u64 fr = mag & fracMask;
    if (kind == K_E8M0) {
        v.sig = 1;
        v.exp = (int) ef - f[F_BIAS];
    } else if (ef == 0) {
        v.sig = f[F_SUB] ? fr : 0;
        v.exp = f[F_EMIN] - m;
    } else {
        v.sig = fr | (((u64) 1) << m);
        v.exp = (int) ef - f[F_BIAS] - m;
    }
    v.cls = v.sig == 0 ? C_ZERO : C_FIN;
    return v;
}

LOWP_FN lowp_val lowp_decode_f64(u64 bits) {
    lowp_val v;
    int ef = (int) ((bits >> 52) & 0x7FF);
    u64 fr = bits & ((((u64) 1) << 52) - 1);
    v.neg = (int) (bits >> 63);
    v.sig = 0;
    v.exp = 0;
    if (ef == 0x7FF) {
        v.cls = fr != 0 ? C_NAN : C_INF;
    } else if (ef == 0) {
        v.cls = fr == 0 ? C_ZERO : C_FIN;
        v.sig = fr;
        v.exp = -1074;
    } else {
        v.cls = C_FIN;
        v.sig = fr | (((u64) 1) << 52);
        v.exp = ef - 1075;
    }
    return v;
}

LOWP_FN lowp_val lowp_decode_f32(uint32_t bits) {
    lowp_val v;
    int ef = (int) ((bits >> 23) & 0xFF);
    u64 fr = bits & 0x7FFFFF;
    v.neg = (int) (bits >> 31);
    v.sig = 0;
    v.exp = 0;
    if (ef == 0xFF) {
        v.cls = fr != 0 ? C_NAN : C_INF;
    } else if (ef == 0) {
        v.cls = fr == 0 ? C_ZERO : C_FIN;
        v.sig = fr;
        v.exp = -149;
    } else {
        v.cls = C_FIN;
        v.sig = fr | 0x800000u;
        v.exp = ef - 150;
    }
    return v;
}

/* ------------------------------------------------------------------ special results (Rounder) */

LOWP_FN u64 lowp_zero_bits(const int *f, int neg) {
    return (neg && f[F_KIND] != K_FNUZ) ? lowp_sign_bit(f) : 0;
}

LOWP_FN u64 lowp_unsigned_neg(const int *f) { return f[F_SAT] ? 0 : lowp_def_nan(f); }

LOWP_FN u64 lowp_zero(const int *f, int neg) {
    if (f[F_KIND] == K_E8M0) return f[F_SAT] ? 0 : lowp_def_nan(f);
    return lowp_zero_bits(f, neg);
}

LOWP_FN u64 lowp_infinity(const int *f, int neg) {
    if (neg && f[F_KIND] == K_E8M0) return lowp_unsigned_neg(f);
    u64 sign = neg ? lowp_sign_bit(f) : 0;
    if (f[F_INF] >= 0 && !f[F_SAT]) return sign | (u64) f[F_INF];
    if (f[F_SAT]) return sign | U32(f[F_MAXFIN]);
    return lowp_def_nan(f);
}

LOWP_FN int lowp_overflows_to_max(int mode, int neg) {
    return mode == M_RTZ || mode == M_RTO || (mode == M_RUP && neg) || (mode == M_RDN && !neg);
}

LOWP_FN u64 lowp_overflow(const int *f, int neg, int mode) {
    if (neg && f[F_KIND] == K_E8M0) return lowp_unsigned_neg(f);
    u64 sign = neg ? lowp_sign_bit(f) : 0;
    if (f[F_SAT] || lowp_overflows_to_max(mode, neg)) return sign | U32(f[F_MAXFIN]);
    if (f[F_INF] >= 0) return sign | (u64) f[F_INF];
    return lowp_def_nan(f);
}

/* ------------------------------------------------------------------ rounding (Rounder.round) */

LOWP_FN int lowp_msb(u64 x) {
    int r = 0;
    if (x >> 32) { r += 32; x >>= 32; }
    if (x >> 16) { r += 16; x >>= 16; }
    if (x >> 8) { r += 8; x >>= 8; }
    if (x >> 4) { r += 4; x >>= 4; }
    if (x >> 2) { r += 2; x >>= 2; }
    if (x >> 1) { r += 1; }
    return r;
}

/* The rounding decision for k with the non-zero fraction (f64, low): k or k+1 (k|1 for rto), with INEXACT_BIT. */
LOWP_FN u64 lowp_decide(int neg, u64 k, u64 f64, int low, int mode, int nb, u64 rw) {
    if (f64 == 0 && !low) return k;
    if (mode == M_RTO) return (k | 1) | INEXACT_BIT;
    int up = 0;
    const u64 half = ((u64) 1) << 63;
    switch (mode) {
        case M_RNE: up = f64 > half || (f64 == half && (low || (k & 1))); break;
        case M_RNA: up = f64 >= half; break;
        case M_RUP: up = !neg; break;
        case M_RDN: up = neg; break;
        case M_SR: up = rw < f64 || (rw == f64 && low); break;
        case M_SR_EQUAL: up = (i64) rw < 0; break;
        case M_SR_BITS: up = (f64 >> (64 - nb)) + (rw >> (64 - nb)) >= (((u64) 1) << nb); break;
        default: up = 0;
    }
    return (up ? k + 1 : k) | INEXACT_BIT;
}

/* Rounds (sig + sticky) * 2^exp to an integer multiple k of 2^qe (Rounder.quantize64). */
LOWP_FN u64 lowp_round_q(int neg, u64 sig, int exp, int sticky, int qe, int mode, int nb, u64 rw) {
    int shift = qe - exp;
    u64 k, f64;
    int low = sticky;
    if (shift <= 0) {
        k = sig << (-shift);
        f64 = 0;
    } else if (shift < 64) {
        k = sig >> shift;
        f64 = sig << (64 - shift);
    } else {
        int s2 = shift - 64;
        k = 0;
        if (s2 < 64) {
            f64 = sig >> s2;
            if (s2 > 0 && (sig << (64 - s2)) != 0) low = 1;
        } else {
            f64 = 0;
            low = 1;
        }
    }
    return lowp_decide(neg, k, f64, low, mode, nb, rw);
}

/* Rounder.quantize128 for the 128-bit significand hi:lo (hi != 0). */
LOWP_FN u64 lowp_round_q128(int neg, u64 hi, u64 lo, int exp, int sticky, int qe, int mode, int nb, u64 rw) {
    int shift = qe - exp;
    u64 k, f64;
    int low = sticky;
    if (shift < 64) {
        k = (hi << (64 - shift)) | (lo >> shift);
        f64 = lo << (64 - shift);
    } else if (shift == 64) {
        k = hi;
        f64 = lo;
    } else if (shift < 128) {
        int s = shift - 64;
        k = hi >> s;
        f64 = (hi << (64 - s)) | (lo >> s);
        low = sticky || (lo << (64 - s)) != 0;
    } else {
        int s2 = shift - 128;
        k = 0;
        if (s2 == 0) {
            f64 = hi;
            low = sticky || lo != 0;
        } else if (s2 < 64) {
            f64 = hi >> s2;
            low = sticky || lo != 0 || (hi << (64 - s2)) != 0;
        } else {
            f64 = 0;
            low = 1;
        }
    }
    return lowp_decide(neg, k, f64, low, mode, nb, rw);
}

/* Overflow, underflow, flush-to-zero and encoding of k * 2^qe (Rounder.finish, without flags). */
LOWP_FN u64 lowp_finish(const int *f, int neg, u64 kx, int qe, int mode) {
    int kind = f[F_KIND], m = f[F_M];
    u64 k = kx & ~INEXACT_BIT;
    if (k == 0) {
        if (kind == K_E8M0) return f[F_SAT] ? 0 : lowp_def_nan(f);
        return lowp_zero_bits(f, neg);
    }
    if (k >= (((u64) 1) << (m + 1))) {
        k >>= 1;
        qe++;
    }
    if (qe > f[F_MAXQE] || (qe == f[F_MAXQE] && k > (u64) (uint32_t) f[F_MAXSIG])) return lowp_overflow(f, neg, mode);
    u64 sign = neg ? lowp_sign_bit(f) : 0;
    if (kind == K_E8M0) return (u64) (i64) (qe + f[F_BIAS]);
    if (k < (((u64) 1) << m)) return f[F_SUB] ? (sign | k) : lowp_zero_bits(f, neg);
    u64 ef = (u64) (i64) (qe + m + f[F_BIAS]);
    return sign | (ef << m) | (k - (((u64) 1) << m));
}

/* Rounds the exact (-1)^neg (sig + t) 2^exp (t in (0,1) iff sticky) into f (Rounder.round). */
LOWP_FN u64 lowp_round(const int *f, int neg, u64 sig, int exp, int sticky, int mode, int nb, u64 rw) {
    if (sig == 0) return lowp_zero(f, neg);
    if (neg && f[F_KIND] == K_E8M0) return lowp_unsigned_neg(f);
    int m = f[F_M], emin = f[F_EMIN];
    int e = exp + lowp_msb(sig);
    /* e8m0 rne: the tie 2^(emin-1) goes up to 2^emin = code 0 (Rounder.e8m0TieUp) */
    if (f[F_KIND] == K_E8M0 && mode == M_RNE && e == emin - 1 && !sticky && (sig & (sig - 1)) == 0) return 0;
    int qe = (e > emin ? e : emin) - m;
    return lowp_finish(f, neg, lowp_round_q(neg, sig, exp, sticky, qe, mode, nb, rw), qe, mode);
}

/* Rounds (-1)^neg (hi 2^64 + lo + t) 2^exp into f (Rounder.round128). */
LOWP_FN u64 lowp_round128(const int *f, int neg, u64 hi, u64 lo, int exp, int sticky, int mode, int nb, u64 rw) {
    if (hi == 0 && (i64) lo >= 0) return lowp_round(f, neg, lo, exp, sticky, mode, nb, rw);
    if (hi == 0) return lowp_round(f, neg, lo >> 1, exp + 1, sticky || (lo & 1) != 0, mode, nb, rw);
    if (neg && f[F_KIND] == K_E8M0) return lowp_unsigned_neg(f);
    int m = f[F_M], emin = f[F_EMIN];
    int e = exp + 64 + lowp_msb(hi);
    if (f[F_KIND] == K_E8M0 && mode == M_RNE && e == emin - 1 && !sticky && lo == 0 && (hi & (hi - 1)) == 0) return 0;
    int qe = (e > emin ? e : emin) - m;
    return lowp_finish(f, neg, lowp_round_q128(neg, hi, lo, exp, sticky, qe, mode, nb, rw), qe, mode);
}

LOWP_FN u64 lowp_round_val(const int *f, lowp_val x, int mode, int nb, u64 rw) {
    if (x.cls == C_NAN) return lowp_def_nan(f);
    if (x.cls == C_INF) return lowp_infinity(f, x.neg);
    if (x.cls == C_ZERO) return lowp_zero(f, x.neg);
    return lowp_round(f, x.neg, x.sig, x.exp, 0, mode, nb, rw);
}

/* ------------------------------------------------------------------ exact two-term sums (CpuMath.add128) */

typedef struct {
    int neg;
    u64 hi;
    u64 lo;
    int exp;
    int sticky;
} lowp_sum;

/* Exact sum of two non-zero exact values (significands in (0, 2^61)): the addend with the larger leading
   exponent has its leading bit at bit 124 of hi:lo, the other is shifted right by the difference d; bits
   below bit 0 (only when d > 64) become the sticky bit (a borrow when subtracting). */
LOWP_FN lowp_sum lowp_add128(int na, u64 sa, int ea, int nb, u64 sb, int eb) {
    int ta = ea + lowp_msb(sa), tb = eb + lowp_msb(sb);
    if (ta < tb) {
        int tn = na; na = nb; nb = tn;
        u64 ts = sa; sa = sb; sb = ts;
        int tt = ta; ta = tb; tb = tt;
    }
    int d = ta - tb;
    u64 ah = sa << (60 - lowp_msb(sa));
    u64 bh = sb << (60 - lowp_msb(sb));
    u64 bl = 0;
    int sticky = 0;
    if (d >= 128) {
        bh = 0;
        sticky = 1;
    } else if (d > 64) {
        int s = d - 64;
        sticky = (bh << (64 - s)) != 0;
        bl = bh >> s;
        bh = 0;
    } else if (d == 64) {
        bl = bh;
        bh = 0;
    } else if (d > 0) {
        bl = bh << (64 - d);
        bh >>= d;
    }
    lowp_sum r;
    r.neg = na;
    if (na == nb) {
        r.lo = bl;
        r.hi = ah + bh;
    } else {
        u64 st = (u64) sticky;
        r.lo = (u64) 0 - bl - st;
        u64 borrow = (bl != 0 || st != 0) ? 1 : 0;
        r.hi = ah - bh - borrow;
        if ((i64) r.hi < 0) {
            r.lo = (u64) 0 - r.lo;
            r.hi = (u64) 0 - r.hi - (r.lo != 0 ? 1 : 0);
            r.neg = !r.neg;
        }
    }
    r.exp = ta - 124;
    r.sticky = sticky;
    return r;
}

LOWP_FN u64 lowp_add_fin(const int *r, int nx, u64 sx, int ex, int ny, u64 sy, int ey, int mode, int nb, u64 rw) {
    lowp_sum s = lowp_add128(nx, sx, ex, ny, sy, ey);
    if (s.hi == 0 && s.lo == 0 && !s.sticky) return lowp_zero(r, mode == M_RDN);
    return lowp_round128(r, s.neg, s.hi, s.lo, s.exp, s.sticky, mode, nb, rw);
}

/* Q_r(x + y) */
LOWP_FN u64 lowp_add(const int *r, lowp_val x, lowp_val y, int mode, int nb, u64 rw) {
    if (x.cls == C_NAN || y.cls == C_NAN) return lowp_def_nan(r);
    if (x.cls == C_INF && y.cls == C_INF) return x.neg != y.neg ? lowp_def_nan(r) : lowp_infinity(r, x.neg);
    if (x.cls == C_INF) return lowp_infinity(r, x.neg);
    if (y.cls == C_INF) return lowp_infinity(r, y.neg);
    if (x.cls == C_ZERO && y.cls == C_ZERO) return lowp_zero(r, x.neg == y.neg ? x.neg : mode == M_RDN);
    if (x.cls == C_ZERO) return lowp_round(r, y.neg, y.sig, y.exp, 0, mode, nb, rw);
    if (y.cls == C_ZERO) return lowp_round(r, x.neg, x.sig, x.exp, 0, mode, nb, rw);
    return lowp_add_fin(r, x.neg, x.sig, x.exp, y.neg, y.sig, y.exp, mode, nb, rw);
}

/* Q_r(x * y) */
LOWP_FN u64 lowp_mul(const int *r, lowp_val x, lowp_val y, int mode, int nb, u64 rw) {
    int neg = x.neg != y.neg;
    if (x.cls == C_NAN || y.cls == C_NAN) return lowp_def_nan(r);
    if ((x.cls == C_INF && y.cls == C_ZERO) || (x.cls == C_ZERO && y.cls == C_INF)) return lowp_def_nan(r);
    if (x.cls == C_INF || y.cls == C_INF) return lowp_infinity(r, neg);
    if (x.cls == C_ZERO || y.cls == C_ZERO) return lowp_zero(r, neg);
    return lowp_round(r, neg, x.sig * y.sig, x.exp + y.exp, 0, mode, nb, rw);
}

/* Q_r(x * y + z), one rounding */
LOWP_FN u64 lowp_fma(const int *r, lowp_val x, lowp_val y, lowp_val z, int mode, int nb, u64 rw) {
    int zeroTimesInf = (x.cls == C_INF && y.cls == C_ZERO) || (x.cls == C_ZERO && y.cls == C_INF);
    if (zeroTimesInf || x.cls == C_NAN || y.cls == C_NAN || z.cls == C_NAN) return lowp_def_nan(r);
    int pneg = x.neg != y.neg;
    int pinf = x.cls == C_INF || y.cls == C_INF;
    if (pinf && z.cls == C_INF && pneg != z.neg) return lowp_def_nan(r);
    if (pinf) return lowp_infinity(r, pneg);
    if (z.cls == C_INF) return lowp_infinity(r, z.neg);
    int pzero = x.cls == C_ZERO || y.cls == C_ZERO;
    if (pzero && z.cls == C_ZERO) return lowp_zero(r, pneg == z.neg ? pneg : mode == M_RDN);
    if (pzero) return lowp_round(r, z.neg, z.sig, z.exp, 0, mode, nb, rw);
    if (z.cls == C_ZERO) return lowp_round(r, pneg, x.sig * y.sig, x.exp + y.exp, 0, mode, nb, rw);
    return lowp_add_fin(r, pneg, x.sig * y.sig, x.exp + y.exp, z.neg, z.sig, z.exp, mode, nb, rw);
}

#endif /* LOWP_NUMERICS_H */
