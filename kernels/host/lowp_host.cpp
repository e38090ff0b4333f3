/*
 * Host shim for the lowp CUDA kernels: compiles the real kernels/NAME.cu sources with the host C++ compiler
 * (g++) by defining the CUDA qualifiers away and emulating blockIdx/threadIdx, then runs each launch grid
 * as nested loops. A small driver reads a job from a binary file and writes the results, so JUnit
 * (CudaHostNumericsTest) can compare the CUDA numerics bit for bit with the Java CPU backend.
 *
 *   g++ -O1 -std=c++17 -Wall -Wextra -Werror -o lowp_host kernels/host/lowp_host.cpp
 *   lowp_host quantize_f64|quantize_f32|gemm|dot|step IN OUT      (little-endian binary, see read_job below)
 */
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

struct dim3 {
    unsigned x, y, z;
};
static dim3 blockIdx, threadIdx, blockDim, gridDim;
#define __global__
#define __device__
#define __host__

#include "../quantize.cu"
#include "../gemm.cu"
#include "../step.cu"

/* Runs kernel body `call` over a grid of gx*gy blocks of bx*by threads, sequentially. */
template <typename F>
static void launch(unsigned gx, unsigned gy, unsigned bx, unsigned by, F call) {
    gridDim = {gx, gy, 1};
    blockDim = {bx, by, 1};
    for (unsigned y = 0; y < gy; y++)
        for (unsigned x = 0; x < gx; x++)
            for (unsigned ty = 0; ty < by; ty++)
                for (unsigned tx = 0; tx < bx; tx++) {
                    blockIdx = {x, y, 0};
                    threadIdx = {tx, ty, 0};
                    call();
                }
}

struct Reader {
    FILE *f;
    int32_t i32() { int32_t v; must(fread(&v, 4, 1, f) == 1); return v; }
    uint32_t u32() { uint32_t v; must(fread(&v, 4, 1, f) == 1); return v; }
    uint64_t u64v() { uint64_t v; must(fread(&v, 8, 1, f) == 1); return v; }
    std::vector<int> ints(size_t n) { std::vector<int> v(n ? n : 1); for (size_t i = 0; i < n; i++) v[i] = i32(); return v; }
    std::vector<uint32_t> u32s(size_t n) { std::vector<uint32_t> v(n ? n : 1); for (size_t i = 0; i < n; i++) v[i] = u32(); return v; }
    std::vector<uint64_t> u64s(size_t n) { std::vector<uint64_t> v(n ? n : 1); for (size_t i = 0; i < n; i++) v[i] = u64v(); return v; }
    static void must(bool ok) { if (!ok) { fprintf(stderr, "lowp_host: truncated input\n"); exit(3); } }
};

static void write_u32(FILE *o, const uint32_t *p, size_t n) {
    if (n && fwrite(p, 4, n, o) != n) { fprintf(stderr, "lowp_host: write failed\n"); exit(4); }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: lowp_host quantize_f64|quantize_f32|gemm|dot|step IN OUT\n");
        return 2;
    }
    FILE *in = fopen(argv[2], "rb");
    FILE *out = fopen(argv[3], "wb");
    if (!in || !out) { fprintf(stderr, "lowp_host: cannot open files\n"); return 2; }
    Reader r{in};
    const unsigned T = 128;
    if (!strcmp(argv[1], "quantize_f64") || !strcmp(argv[1], "quantize_f32")) {
        bool dbl = argv[1][10] == '6';
        int n = r.i32(), nseg = r.i32();
        std::vector<int> seg = r.ints(nseg + 1), fd = r.ints(FD), prm = r.ints(2);
        uint64_t seed = r.u64v();
        uint32_t stream = r.u32(), step = r.u32();
        std::vector<uint32_t> res(n ? n : 1);
        unsigned blocks = (n + T - 1) / T;
        if (blocks > 7) blocks = 7; /* fewer blocks than elements: exercises the grid-stride loop */
        if (dbl) {
            std::vector<uint64_t> x = r.u64s(n);
            launch(blocks, 1, T, 1, [&] { lowp_quantize_f64(x.data(), res.data(), n, fd.data(), prm.data(), seed, stream, step, seg.data(), nseg); });
        } else {
            std::vector<uint32_t> x = r.u32s(n);
            launch(blocks, 1, T, 1, [&] { lowp_quantize_f32(x.data(), res.data(), n, fd.data(), prm.data(), seed, stream, step, seg.data(), nseg); });
        }
        write_u32(out, res.data(), n);
    } else if (!strcmp(argv[1], "gemm")) {
        int m = r.i32(), n = r.i32(), k = r.i32(), hasC = r.i32();
        std::vector<int> fd = r.ints(5 * FD), prm = r.ints(14);
        uint64_t seed = r.u64v();
        uint32_t stream = r.u32(), step = r.u32();
        std::vector<uint32_t> a = r.u32s((size_t) m * k), b = r.u32s((size_t) k * n);
        std::vector<uint32_t> c = hasC ? r.u32s((size_t) m * n) : std::vector<uint32_t>(1);
        std::vector<uint32_t> d((size_t) m * n + 1);
        unsigned blocks = (unsigned) (((size_t) m * n + T - 1) / T);
        if (blocks > 7) blocks = 7; /* fewer blocks than outputs: exercises the grid-stride loop */
        if (blocks == 0) blocks = 1;
        launch(blocks, 1, T, 1, [&] {
            lowp_gemm(a.data(), b.data(), c.data(), hasC, d.data(), m, n, k, fd.data(), prm.data(), seed, stream, step);
        });
        write_u32(out, d.data(), (size_t) m * n);
    } else if (!strcmp(argv[1], "dot")) {
        int count = r.i32(), k = r.i32(), hasC = r.i32();
        std::vector<int> fd = r.ints(5 * FD), prm = r.ints(14);
        uint64_t seed = r.u64v();
        uint32_t stream = r.u32(), step = r.u32();
        std::vector<uint32_t> a = r.u32s((size_t) count * k), b = r.u32s((size_t) count * k);
        std::vector<uint32_t> c = hasC ? r.u32s((size_t) count) : std::vector<uint32_t>(1);
        std::vector<uint32_t> d((size_t) count + 1);
        unsigned blocks = (unsigned) (((size_t) count + T - 1) / T);
        if (blocks > 7) blocks = 7; /* fewer blocks than lines: exercises the grid-stride loop */
        if (blocks == 0) blocks = 1;
        launch(blocks, 1, T, 1, [&] {
            lowp_dot_batch(a.data(), b.data(), c.data(), hasC, d.data(), count, k, fd.data(), prm.data(), seed, stream, step);
        });
        write_u32(out, d.data(), (size_t) count);
    } else if (!strcmp(argv[1], "step")) {
        int n = r.i32();
        std::vector<int> fd = r.ints(4 * FD), prm = r.ints(11);
        uint64_t seed = r.u64v();
        uint32_t stream = r.u32(), step = r.u32();
        std::vector<uint32_t> w = r.u32s(n), g = r.u32s(n);
        std::vector<uint32_t> v = prm[0] ? r.u32s(n) : std::vector<uint32_t>(1);
        unsigned blocks = (n + T - 1) / T;
        launch(blocks, 1, T, 1, [&] { lowp_step(w.data(), g.data(), v.data(), n, fd.data(), prm.data(), seed, stream, step); });
        write_u32(out, w.data(), n);
        if (prm[0]) write_u32(out, v.data(), n);
    } else {
        fprintf(stderr, "lowp_host: unknown operation %s\n", argv[1]);
        return 2;
    }
    fclose(in);
    if (fclose(out) != 0) return 4;
    return 0;
}
