// Quantized GEMM D = A*B (+C) under an accumulator model (lowp.backend.GemmSpec): one thread per output
// element o = i*n + j at a time, in the model's exact accumulation order (increasing k). 1-D grid-stride loop
// over the m*n outputs (consecutive threads take consecutive j of a row, sharing the A row through the caches),
// so any m*n < 2^27 (Backend.checkGemm) fits a grid of at most 65535 blocks; the per-element order never
// depends on the grid. Numerics: lowp_numerics.h / lowp_ops.h.
#include "lowp_ops.h"

extern "C" __global__ void lowp_gemm(const uint32_t *a, const uint32_t *b, const uint32_t *c, int hasC, uint32_t *d,
                                     int m, int n, int k, const int *fd, const int *prm, u64 seed, uint32_t stream,
                                     uint32_t step) {
    lowp_key key = {seed, stream, step};
    int mn = m * n; /* < 2^27, and o + stride < 2^27 + 65535 * 1024 < 2^31 */
    for (int o = blockIdx.x * blockDim.x + threadIdx.x; o < mn; o += gridDim.x * blockDim.x) {
        d[o] = lowp_gemm_elem(a, b, c, hasC, n, k, fd, prm, key, o);
    }
}

// Batched independent dot products d[i] = a_i . b_i (+ c[i]), a and b count x k row-major (line i's vectors at
// a + i*k and b + i*k): line i is computed exactly as GEMM element (i, 0) of a count x 1 output (same order,
// random words of element index i), so it equals gemm(1, 1, k) on that line alone up to the random-word index.
// Same 1-D grid-stride loop over the count < 2^27 lines (Backend.checkDotBatch).
extern "C" __global__ void lowp_dot_batch(const uint32_t *a, const uint32_t *b, const uint32_t *c, int hasC,
                                          uint32_t *d, int count, int k, const int *fd, const int *prm, u64 seed,
                                          uint32_t stream, uint32_t step) {
    lowp_key key = {seed, stream, step};
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < count; i += gridDim.x * blockDim.x) {
        d[i] = lowp_dot_elem(a + (long) i * k, b + (long) i * k, 1, hasC ? (u64) c[i] : 0, k, fd, prm, key, i);
    }
}
