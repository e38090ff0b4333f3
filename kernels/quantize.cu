// Batched quantization kernels: one thread per element (grid-stride), binary64 or binary32 storage in,
// bit patterns of a <= 32-bit format out. Numerics: lowp_numerics.h (integer-only).
#include "lowp_ops.h"

extern "C" __global__ void lowp_quantize_f64(const u64 *x, uint32_t *out, int n, const int *fd, const int *prm,
                                             u64 seed, uint32_t stream, uint32_t step, const int *seg, int nseg) {
    lowp_key key = {seed, stream, step};
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        out[i] = lowp_quantize_f64_elem(x, fd, prm, key, seg, nseg, i);
    }
}

extern "C" __global__ void lowp_quantize_f32(const uint32_t *x, uint32_t *out, int n, const int *fd, const int *prm,
                                             u64 seed, uint32_t stream, uint32_t step, const int *seg, int nseg) {
    lowp_key key = {seed, stream, step};
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        out[i] = lowp_quantize_f32_elem(x, fd, prm, key, seg, nseg, i);
    }
}

// Device copy, the bandwidth yardstick of the quantize benchmark (same bytes read/written as f32 -> 32-bit).
extern "C" __global__ void lowp_copy_u32(const uint32_t *x, uint32_t *out, int n) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        out[i] = x[i];
    }
}
