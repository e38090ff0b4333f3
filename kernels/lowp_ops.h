/*
 * lowp_ops.h - per-element bodies of the lowp kernels (quantize, GEMM, gradient step), shared by the CUDA
 * __global__ wrappers (quantize.cu, gemm.cu, step.cu) and the host shim (host/lowp_host.c), which runs the
 * grid as plain loops. Each body computes one output element; random indices are fixed by the element, never
 * by thread or block ids (docs/gpu.md).
 */
#ifndef LOWP_OPS_H
#define LOWP_OPS_H

#include "lowp_numerics.h"

/* prm layout of the quantize kernels: {mode, N} */
/* seg: nseg+1 offsets of batched arrays; array j uses stream key.stream + j and its own indices */
LOWP_FN int lowp_segment(const int *seg, int nseg, int gid) {
    int lo = 0, hi = nseg - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) >> 1;
        if (seg[mid] <= gid) lo = mid; else hi = mid - 1;
    }
    return lo;
}

LOWP_FN uint32_t lowp_quantize_f64_elem(const u64 *x, const int *fd, const int *prm, lowp_key key,
                                        const int *seg, int nseg, int gid) {
    int j = lowp_segment(seg, nseg, gid);
    lowp_key k = key;
    k.stream = key.stream + (uint32_t) j;
    u64 rw = lowp_rnd(prm[0], k, (u64) (gid - seg[j]));
    return (uint32_t) lowp_round_val(fd, lowp_decode_f64(x[gid]), prm[0], prm[1], rw);
}

LOWP_FN uint32_t lowp_quantize_f32_elem(const uint32_t *x, const int *fd, const int *prm, lowp_key key,
                                        const int *seg, int nseg, int gid) {
    int j = lowp_segment(seg, nseg, gid);
    lowp_key k = key;
    k.stream = key.stream + (uint32_t) j;
    u64 rw = lowp_rnd(prm[0], k, (u64) (gid - seg[j]));
    return (uint32_t) lowp_round_val(fd, lowp_decode_f32(x[gid]), prm[0], prm[1], rw);
}

/* ------------------------------------------------------------------ GEMM */
/* fd: descriptors A, B, PROD, ACC, OUTER (16 ints each); prm: GemmSpec.params() =
   {fused, fma, blockK, F, promote, prod mode, prod N, acc mode, acc N, outer mode, outer N,
    container shift, acc emax, acc has Inf}; for fused blocks the PROD slot holds the block rounding format */

LOWP_FN u64 lowp_shift_trunc(u64 v, int sh) {
    if (sh >= 0) return v << sh;
    return -sh >= 63 ? 0 : v >> (-sh);
}

/* one block over k indices [kb, ke): a term kk is arow[kk] * bcol[kk * bs] (a GEMM row and column, or a dot's two
   vectors with bs = 1) */
LOWP_FN u64 lowp_fused_block(const uint32_t *arow, const uint32_t *bcol, long bs, int kb, int ke,
                             u64 c, const int *fd, const int *prm, int mode, int nb, u64 rw) {
    const int *fa = fd, *fb = fd + FD, *fo = fd + 3 * FD;
    lowp_val z = lowp_decode(fo, c);
    int nan = z.cls == C_NAN, posInf = z.cls == C_INF && !z.neg, negInf = z.cls == C_INF && z.neg;
    int ma = fa[F_M], mb = fb[F_M], mo = fo[F_M];
    int e = z.cls == C_FIN ? z.exp + mo : fo[F_EMIN];
    for (int kk = kb; kk < ke; kk++) {
        lowp_val x = lowp_decode(fa, arow[kk]);
        lowp_val y = lowp_decode(fb, bcol[(long) kk * bs]);
        if (x.cls == C_NAN || y.cls == C_NAN) {
            nan = 1;
        } else if (x.cls == C_INF || y.cls == C_INF) {
            if (x.cls == C_ZERO || y.cls == C_ZERO) nan = 1;
            else if (x.neg != y.neg) negInf = 1;
            else posInf = 1;
        } else if (x.cls == C_FIN && y.cls == C_FIN) {
            int xe = x.exp + ma + y.exp + mb;
            if (xe > e) e = xe;
        }
    }
    if (nan || (posInf && negInf)) return lowp_def_nan(fo);
    if (posInf || negInf) return lowp_infinity(fo, negInf);
    const int f = prm[3];
    i64 sum = 0;
    if (z.cls == C_FIN) {
        i64 t = (i64) lowp_shift_trunc(z.sig, z.exp + f - e);
        sum = z.neg ? -t : t;
    }
    for (int kk = kb; kk < ke; kk++) {
        lowp_val x = lowp_decode(fa, arow[kk]);
        lowp_val y = lowp_decode(fb, bcol[(long) kk * bs]);
        if (x.cls == C_FIN && y.cls == C_FIN) {
            i64 t = (i64) lowp_shift_trunc(x.sig * y.sig, x.exp + y.exp + f - e);
            sum += x.neg != y.neg ? -t : t;
        }
    }
    if (sum == 0) return 0;
    u64 mag = (u64) (sum < 0 ? -sum : sum);
    /* at or above 2^(emax+1): +-Inf even under round-toward-zero (accumulators.md 1.3 step 9) */
    if (prm[13] && lowp_msb(mag) + e - f > prm[12]) return lowp_infinity(fo, sum < 0);
    /* round into the block format (fd slot PROD: e.g. e8m13) and place it in the container (<< shift) */
    return lowp_round(fd + 2 * FD, sum < 0, mag, e - f, 0, mode, nb, rw) << prm[11];
}

/* One output: sum over kk < k of arow[kk] * bcol[kk * bs] added to init (C's bits, or +0), in the model's order;
   the random words of element o (index (o << 36) + step). A GEMM element (i, j) is arow = A row i, bcol = B + j,
   bs = n, o = i*n + j; line i of a dot batch is arow = a + i*k, bcol = b + i*k, bs = 1, o = i. */
LOWP_FN uint32_t lowp_dot_elem(const uint32_t *arow, const uint32_t *bcol, long bs, u64 init, int k,
                               const int *fd, const int *prm, lowp_key key, int o) {
    const int *fa = fd, *fb = fd + FD, *fp = fd + 2 * FD, *facc = fd + 3 * FD, *fout = fd + 4 * FD;
    int fused = prm[0], fma = prm[1], bk = prm[2], promote = prm[4];
    int pm = prm[5], pn = prm[6], am = prm[7], an = prm[8], om = prm[9], on = prm[10];
    u64 base = (u64) o << 36; /* random index (o << 36) + step, lowp.acc convention (docs/gpu.md) */
    u64 outer = init;
    u64 acc = promote > 0 ? 0 : init;
    int chunk = promote > 0 ? promote : (k > 1 ? k : 1);
    int q = 0;
    for (int k0 = 0; k0 < k; k0 += chunk, q++) {
        int k1 = k0 + chunk < k ? k0 + chunk : k;
        u64 sbase = base, bbase = base; /* step bases: sequential steps, fused blocks */
        if (promote > 0) {
            acc = 0;
            sbase = base + ((u64) (q + 1) << 20) - 2 * (u64) k0;
            bbase = base + ((u64) (q + 1) << 20) - (u64) (bk > 0 ? k0 / bk : 0);
        }
        if (fused) {
            for (int kb = k0; kb < k1; kb += bk) {
                u64 idx = bbase + (u64) (kb / bk);
                acc = lowp_fused_block(arow, bcol, bs, kb, kb + bk < k1 ? kb + bk : k1, acc, fd, prm, am, an,
                                       lowp_rnd(am, key, idx));
            }
        } else {
            for (int kk = k0; kk < k1; kk++) {
                lowp_val x = lowp_decode(fa, arow[kk]);
                lowp_val y = lowp_decode(fb, bcol[(long) kk * bs]);
                lowp_val z = lowp_decode(facc, acc);
                u64 i1 = sbase + 2 * (u64) kk + 1;
                if (fma) {
                    acc = lowp_fma(facc, x, y, z, am, an, lowp_rnd(am, key, i1));
                } else {
                    u64 p = lowp_mul(fp, x, y, pm, pn, lowp_rnd(pm, key, i1 - 1));
                    acc = lowp_add(facc, z, lowp_decode(fp, p), am, an, lowp_rnd(am, key, i1));
                }
            }
        }
        if (promote > 0) {
            outer = lowp_add(fout, lowp_decode(fout, outer), lowp_decode(facc, acc), om, on,
                             lowp_rnd(om, key, base + (u64) q));
        }
    }
    return (uint32_t) (promote > 0 ? outer : acc);
}

/* GEMM output element o = i*n + j of D = A*B (+C) */
LOWP_FN uint32_t lowp_gemm_elem(const uint32_t *a, const uint32_t *b, const uint32_t *c, int hasC, int n, int k,
                                const int *fd, const int *prm, lowp_key key, int o) {
    int i = o / n, j = o % n;
    return lowp_dot_elem(a + (long) i * k, b + j, n, hasC ? (u64) c[o] : 0, k, fd, prm, key, o);
}

/* ------------------------------------------------------------------ gradient step */
/* fd: G, U, W, V; prm: StepSpec.params() = {momentum, g mode, g N, u mode, u N, w mode, w N, v mode, v N,
   bits(lr), bits(beta)}; w and v updated in place */

LOWP_FN void lowp_step_elem(uint32_t *w, const uint32_t *g, uint32_t *v, const int *fd, const int *prm,
                            lowp_key key, int i) {
    const int *fg = fd, *fu = fd + FD, *fw = fd + 2 * FD, *fv = fd + 3 * FD;
    u64 base = 4 * (u64) i;
    u64 q = lowp_round_val(fg, lowp_decode_f32(g[i]), prm[1], prm[2], lowp_rnd(prm[1], key, base));
    const int *sf = fg;
    u64 sb = q;
    if (prm[0]) {
        u64 nv = lowp_fma(fv, lowp_decode_f32((uint32_t) prm[10]), lowp_decode(fv, v[i]), lowp_decode(fg, q),
                          prm[7], prm[8], lowp_rnd(prm[7], key, base + 1));
        v[i] = (uint32_t) nv;
        sf = fv;
        sb = nv;
    }
    u64 u = lowp_mul(fu, lowp_decode_f32((uint32_t) prm[9]), lowp_decode(sf, sb), prm[3], prm[4],
                     lowp_rnd(prm[3], key, base + 2));
    lowp_val nu = lowp_decode(fu, u);
    nu.neg = !nu.neg;
    w[i] = (uint32_t) lowp_add(fw, lowp_decode(fw, w[i]), nu, prm[5], prm[6], lowp_rnd(prm[5], key, base + 3));
}

#endif /* LOWP_OPS_H */
