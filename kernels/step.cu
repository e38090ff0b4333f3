// Fused low-precision gradient step w <- Q_w(w - Q_u(lr * Q_g(g))) (+ momentum v <- Q_v(beta*v + Q_g(g))),
// in place, one thread per element. Numerics: lowp_numerics.h / lowp_ops.h.
#include "lowp_ops.h"

extern "C" __global__ void lowp_step(uint32_t *w, const uint32_t *g, uint32_t *v, int n, const int *fd,
                                     const int *prm, u64 seed, uint32_t stream, uint32_t step) {
    lowp_key key = {seed, stream, step};
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
        lowp_step_elem(w, g, v, fd, prm, key, i);
    }
}
