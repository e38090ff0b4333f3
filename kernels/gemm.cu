// Quantized GEMM D = A*B (+C) under an accumulator model (lowp.backend.GemmSpec): one thread per output
// element, in the model's exact accumulation order (increasing k). Threads of a block cover a 16x16 output
// tile so that A rows and B columns are shared through the caches; the per-element order never depends on
// the tiling. Numerics: lowp_numerics.h / lowp_ops.h.
#include "lowp_ops.h"

extern "C" __global__ void lowp_gemm(const uint32_t *a, const uint32_t *b, const uint32_t *c, int hasC, uint32_t *d,
                                     int m, int n, int k, const int *fd, const int *prm, u64 seed, uint32_t stream,
                                     uint32_t step) {
    int i = blockIdx.y * blockDim.y + threadIdx.y;
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < m && j < n) {
        lowp_key key = {seed, stream, step};
        int o = i * n + j;
        d[o] = lowp_gemm_elem(a, b, c, hasC, n, k, fd, prm, key, o);
    }
}
