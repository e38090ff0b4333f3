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
