/*
 * Hardware oracle for lowp's `testfloat` command (HardwareOracleTest).
 *
 * Prints Berkeley-TestFloat-format lines "operands result flags" (hex, flags 01 inexact, 02 underflow,
 * 04 overflow, 08 infinite, 10 invalid) whose result and flags come from the host's binary32/binary64
 * hardware (x86-64 SSE; fmaf/fma from libm, which uses the FMA instruction where the CPU has it), under
 * the four IEEE rounding modes set with fesetround. Blocks start with "# FUNCTION -rMODE".
 *
 * Usage: hw_oracle N   (N cases per function; the operands are the same for every mode of a function)
 * Build: gcc -O1 -frounding-math -fsignaling-nans -fno-fast-math -ffp-contract=off -o hw_oracle hw_oracle.c -lm
 *
 * Every operation reads volatile operands and writes a volatile result between feclearexcept and
 * fetestexcept, so it can be neither constant-folded nor moved out of the flag window.
 */
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ADD, SUB, MUL, DIV, SQRT, FMA, CVT };

typedef struct {
    const char *name;
    int w, m, e; /* width, trailing significand bits, exponent bits */
} Fmt;

static const Fmt F32 = {"f32", 32, 23, 8};
static const Fmt F64 = {"f64", 64, 52, 11};

static int emaxb(const Fmt *f) { return (1 << f->e) - 1; }     /* all-ones biased exponent */
static int bias(const Fmt *f) { return (1 << (f->e - 1)) - 1; }
static uint64_t fmask(const Fmt *f) { return (1ULL << f->m) - 1; }

/* ---- fixed-seed generator (splitmix64) ---- */
static uint64_t state = 0x6C6F77702D68770FULL;

static uint64_t rnd(void) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t rbits(int n) { return n >= 64 ? rnd() : rnd() & ((1ULL << n) - 1); }

static int rint_(int lo, int hi) { return lo + (int) (rnd() % (uint64_t) (hi - lo + 1)); }

static uint64_t mk(const Fmt *f, int s, int be, uint64_t frac) {
    return ((uint64_t) s << (f->w - 1)) | ((uint64_t) be << f->m) | (frac & fmask(f));
}

static int bexp(const Fmt *f, uint64_t x) { return (int) ((x >> f->m) & (uint64_t) emaxb(f)); }

static uint64_t neg(const Fmt *f, uint64_t x) { return x ^ (1ULL << (f->w - 1)); }

/* x moved by d units in the last place of its magnitude, kept within [0, Inf] with x's sign */
static uint64_t nudge(const Fmt *f, uint64_t x, int d) {
    uint64_t sign = x & (1ULL << (f->w - 1)), mag = x ^ sign, top = (uint64_t) emaxb(f) << f->m;
    if (mag > top) return x; /* NaN: unchanged */
    if (d < 0 && mag < (uint64_t) -d) return sign;
    mag += (uint64_t) (int64_t) d;
    return sign | (mag > top ? top : mag);
}

/* a trailing significand: zero, all ones, short (exact products, ties), single bits, or random */
static uint64_t rfrac(const Fmt *f) {
    switch (rint_(0, 7)) {
    case 0: return 0;
    case 1: return fmask(f);
    case 2: return rbits(4) << (f->m - 4);
    case 3: return (rbits(4) << (f->m - 4)) | 1;
    case 4: return fmask(f) - rbits(3);
    case 5: return rbits(3);
    case 6: return 1ULL << rint_(0, f->m - 1);
    default: return rbits(f->m);
    }
}

/* a finite biased exponent, biased to the subnormal range, the top of the range and 1 */
static int rexp(const Fmt *f) {
    int mx = emaxb(f) - 1, b = bias(f);
    switch (rint_(0, 5)) {
    case 0: return rint_(0, 3);
    case 1: return rint_(mx - 3, mx);
    case 2: return rint_(b - 3, b + 3);
    default: return rint_(0, mx);
    }
}

static uint64_t rval(const Fmt *f) {
    if (rint_(0, 9) == 0) return rbits(f->w); /* raw random pattern (may be Inf/NaN) */
    return mk(f, rint_(0, 1), rexp(f), rfrac(f));
}

/* edge magnitudes (positive); callers add random signs */
static int mags(const Fmt *f, uint64_t *o) {
    int m = f->m, b = bias(f), mx = emaxb(f);
    uint64_t fm = fmask(f), half = 1ULL << (m - 1);
    int n = 0;
    o[n++] = 0;                        /* zero */
    o[n++] = 1;                        /* min subnormal */
    o[n++] = half;                     /* 2^(emin-1) */
    o[n++] = fm;                       /* max subnormal */
    o[n++] = mk(f, 0, 1, 0);           /* min normal */
    o[n++] = mk(f, 0, 1, 1);           /* min normal + ulp */
    o[n++] = mk(f, 0, 1, fm);          /* 2 min normal - ulp */
    o[n++] = mk(f, 0, b, 0);           /* 1 */
    o[n++] = mk(f, 0, b, 1);           /* 1 + ulp */
    o[n++] = mk(f, 0, b - 1, fm);      /* 1 - ulp/2 */
    o[n++] = mk(f, 0, b, half);        /* 1.5 */
    o[n++] = mk(f, 0, b + 1, 0);       /* 2 */
    o[n++] = mk(f, 0, b + 1, half);    /* 3 */
    o[n++] = mk(f, 0, b + m, 0);       /* 2^m: ulp 1 */
    o[n++] = mk(f, 0, b - m - 1, 0);   /* 2^-(m+1): half ulp of 1 */
    o[n++] = mk(f, 0, mx - 1, fm);     /* max finite */
    o[n++] = mk(f, 0, mx - 1, fm - 1); /* max finite - ulp */
    o[n++] = mk(f, 0, mx - 1, 0);      /* 2^emax */
    o[n++] = mk(f, 0, mx, 0);          /* Inf */
    o[n++] = mk(f, 0, mx, half);       /* default quiet NaN */
    o[n++] = mk(f, 0, mx, half | 0x5A5); /* quiet NaN with payload */
    o[n++] = mk(f, 0, mx, 1);          /* signalling NaN */
    o[n++] = mk(f, 0, mx, half >> 1 | 0x33); /* signalling NaN with payload */
    return n;
}

static uint64_t edge(const Fmt *f) {
    uint64_t o[32];
    int n = mags(f, o);
    uint64_t x = o[rint_(0, n - 1)];
    return rint_(0, 1) ? neg(f, x) : x;
}

/* a finite value with biased exponent be (clamped into [0, max finite exponent]) */
static uint64_t withexp(const Fmt *f, int be) {
    int mx = emaxb(f) - 1;
    if (be < 0) be = 0;
    if (be > mx) be = mx;
    return mk(f, rint_(0, 1), be, rfrac(f));
}

/* ---- bit casts and the operations under test ---- */
static float u2f(uint64_t x) { uint32_t u = (uint32_t) x; float r; memcpy(&r, &u, 4); return r; }
static double u2d(uint64_t x) { double r; memcpy(&r, &x, 8); return r; }
static uint64_t f2u(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static uint64_t d2u(double x) { uint64_t u; memcpy(&u, &x, 8); return u; }

static volatile float fa, fb, fc, fr;
static volatile double da, db, dc, dr;

static int hwflags(void) {
    int e = fetestexcept(FE_ALL_EXCEPT), r = 0;
    if (e & FE_INEXACT) r |= 0x01;
    if (e & FE_UNDERFLOW) r |= 0x02;
    if (e & FE_OVERFLOW) r |= 0x04;
    if (e & FE_DIVBYZERO) r |= 0x08;
    if (e & FE_INVALID) r |= 0x10;
    return r;
}

/* f32 ops; CVT is f32_to_f64 */
static uint64_t op32(int op, uint64_t a, uint64_t b, uint64_t c, int *flags) {
    fa = u2f(a); fb = u2f(b); fc = u2f(c);
    feclearexcept(FE_ALL_EXCEPT);
    switch (op) {
    case ADD: fr = fa + fb; break;
    case SUB: fr = fa - fb; break;
    case MUL: fr = fa * fb; break;
    case DIV: fr = fa / fb; break;
    case SQRT: fr = sqrtf(fa); break;
    case FMA: fr = fmaf(fa, fb, fc); break;
    case CVT: dr = (double) fa; *flags = hwflags(); return d2u(dr);
    }
    *flags = hwflags();
    return f2u(fr);
}

/* f64 ops; CVT is f64_to_f32 */
static uint64_t op64(int op, uint64_t a, uint64_t b, uint64_t c, int *flags) {
    da = u2d(a); db = u2d(b); dc = u2d(c);
    feclearexcept(FE_ALL_EXCEPT);
    switch (op) {
    case ADD: dr = da + db; break;
    case SUB: dr = da - db; break;
    case MUL: dr = da * db; break;
    case DIV: dr = da / db; break;
    case SQRT: dr = sqrt(da); break;
    case FMA: dr = fma(da, db, dc); break;
    case CVT: fr = (float) da; *flags = hwflags(); return f2u(fr);
    }
    *flags = hwflags();
    return d2u(dr);
}

/* a*b in the format, round to nearest (generation only) */
static uint64_t prod(const Fmt *f, uint64_t a, uint64_t b) {
    return f->w == 32 ? f2u(u2f(a) * u2f(b)) : d2u(u2d(a) * u2d(b));
}

/* ---- operand generation per function ---- */
static void gen2(const Fmt *f, int op, int i, int n, uint64_t *a, uint64_t *b) {
    uint64_t o[32];
    int nm = mags(f, o), mx = emaxb(f) - 1, bs = bias(f), m = f->m;
    if (i < nm * nm && i < n / 2) { /* every pair of edge magnitudes, random signs */
        *a = o[i / nm] ^ ((uint64_t) rint_(0, 1) << (f->w - 1));
        *b = o[i % nm] ^ ((uint64_t) rint_(0, 1) << (f->w - 1));
        return;
    }
    int k = rint_(0, 6);
    if (k == 0) { *a = rval(f); *b = rval(f); return; }
    if (k == 1) { *a = rval(f); *b = edge(f); if (rint_(0, 1)) { uint64_t t = *a; *a = *b; *b = t; } return; }
    if (k == 2) { *a = rbits(f->w); *b = rbits(f->w); return; }
    *a = mk(f, rint_(0, 1), rint_(1, mx), rfrac(f));
    int ea = bexp(f, *a);
    if (op == ADD || op == SUB) {
        if (k == 3) { /* cancellation: b = -a (for sub: a) give or take a few ulps */
            uint64_t x = nudge(f, *a, rint_(-3, 3));
            *b = op == ADD ? neg(f, x) : x;
        } else if (k == 4) { /* exponent difference around the precision: ties and sticky bits */
            *b = withexp(f, ea - rint_(m - 1, m + 3));
            if (rint_(0, 1)) *b = mk(f, (int) (*b >> (f->w - 1)), bexp(f, *b), 0);
        } else if (k == 5) { /* near overflow */
            *a = mk(f, 0, rint_(mx - 2, mx), rfrac(f));
            *b = mk(f, 0, rint_(mx - m - 2, mx), rfrac(f));
            if (rint_(0, 1)) { *a = neg(f, *a); *b = neg(f, *b); }
        } else { /* around the subnormal boundary */
            *a = withexp(f, rint_(0, 3));
            *b = withexp(f, rint_(0, 3));
        }
        return;
    }
    /* mul/div: aim the result exponent at overflow or the subnormal range (k 3..6) */
    int target = k == 3 ? rint_(mx - 2, mx + 2) : k == 4 ? rint_(-m - 2, 2) : k == 5 ? rint_(-3, 3) : rint_(1, mx);
    int eb = op == MUL ? target - ea + bs : ea + bs - target;
    if (eb < 0 || eb > mx) { *a = rval(f); *b = rval(f); return; }
    *b = mk(f, rint_(0, 1), eb, k == 5 ? rbits(4) << (m - 4) : rfrac(f));
    if (k == 5) *a = mk(f, (int) (*a >> (f->w - 1)), ea, rbits(5) << (m - 5));
}

static void gen3(const Fmt *f, int i, uint64_t *a, uint64_t *b, uint64_t *c) {
    int mx = emaxb(f) - 1, bs = bias(f), m = f->m;
    uint64_t inf = mk(f, 0, mx + 1, 0), zero = 0, qnan = mk(f, 0, mx + 1, 1ULL << (m - 1)), snan = mk(f, 0, mx + 1, 1);
    uint64_t one = mk(f, 0, bs, 0);
    const uint64_t special[][3] = {{zero, inf, qnan}, {inf, zero, qnan}, {zero, inf, snan}, {neg(f, zero), inf, one},
                                   {inf, one, neg(f, inf)}, {qnan, zero, inf}, {one, one, neg(f, one)}};
    int ns = (int) (sizeof special / sizeof special[0]);
    if (i < ns) { *a = special[i][0]; *b = special[i][1]; *c = special[i][2]; return; }
    int k = rint_(0, 7);
    *a = rval(f); *b = rval(f); *c = rval(f);
    switch (k) {
    case 0: break;
    case 1: *a = edge(f); *b = edge(f); *c = edge(f); break;
    case 2: if (rint_(0, 1)) *a = edge(f); else *b = edge(f); *c = edge(f); break;
    case 3: *a = rbits(f->w); *b = rbits(f->w); *c = rbits(f->w); break;
    case 4: { /* cancellation: c = -(a*b rounded), give or take an ulp */
        *a = mk(f, rint_(0, 1), rint_(bs - 40, bs + 40), rfrac(f));
        *b = mk(f, rint_(0, 1), rint_(bs - 40, bs + 40), rbits(m));
        uint64_t p = nudge(f, prod(f, *a, *b), rint_(-1, 1));
        *c = neg(f, p);
        break;
    }
    default: { /* product exponent pe near overflow (5), the subnormal range (6) or anywhere (7);
                  c placed relative to it (ties, sticky bits, carries) */
        int pe = k == 5 ? rint_(mx - 2, mx + 2) : k == 6 ? rint_(-m - 2, 3) : rint_(1, mx);
        int ea = rint_(1, mx), eb = pe - ea + bs;
        if (eb < 0 || eb > mx) break;
        *a = mk(f, rint_(0, 1), ea, rfrac(f));
        *b = mk(f, rint_(0, 1), eb, rfrac(f));
        *c = withexp(f, pe + rint_(-m - 4, m + 4));
        if (rint_(0, 2) == 0) *c = mk(f, (int) (*c >> (f->w - 1)), bexp(f, *c), 0);
    }
    }
}

static uint64_t gen1sqrt(const Fmt *f, int i) {
    uint64_t o[32];
    int nm = mags(f, o);
    if (i < 2 * nm) return i < nm ? o[i] : neg(f, o[i - nm]);
    switch (rint_(0, 4)) {
    case 0: { /* perfect squares and neighbours */
        uint64_t s = mk(f, 0, rexp(f), rbits(8) << (f->m - 8));
        return nudge(f, prod(f, s, s), rint_(-1, 1));
    }
    case 1: return rbits(f->w);
    case 2: return withexp(f, rint_(0, 3)) & ~(1ULL << (f->w - 1));
    default: { /* mostly non-negative: negative operands only give the default NaN */
        uint64_t x = rval(f);
        return rint_(0, 3) ? x & ~(1ULL << (f->w - 1)) : x;
    }
    }
}

/* f64 -> f32: f64 values around the f32 range, ties and neighbours at f32 precision */
static uint64_t gen_d2f(int i) {
    const Fmt *d = &F64;
    uint64_t o[32];
    int nm = mags(d, o);
    if (i < 2 * nm) return i < nm ? o[i] : neg(d, o[i - nm]);
    int k = rint_(0, 4);
    if (k == 0) return rval(d);
    if (k == 1) return rbits(64);
    /* f32 biased exponent e32 mapped into f64; -25 .. 0 are f32 subnormal/underflow */
    int e32 = k == 2 ? rint_(-26, 3) : k == 3 ? rint_(250, 256) : rint_(1, 254);
    uint64_t hi = rfrac(&F32), lo;
    switch (rint_(0, 4)) {
    case 0: lo = 1ULL << 28; break;                 /* exact tie at f32 precision (normal range) */
    case 1: lo = (1ULL << 28) + (rint_(0, 1) ? 1 : (uint64_t) -1); break;
    case 2: lo = 0; break;
    case 3: lo = rbits(3); break;
    default: lo = rbits(29);
    }
    uint64_t frac = (hi << 29) | (lo & ((1ULL << 29) - 1));
    if (e32 <= 0 && rint_(0, 1)) frac = rbits(52) >> rint_(0, 52); /* ties in the subnormal range come from short fractions too */
    return mk(d, rint_(0, 1), e32 - 127 + 1023, frac);
}

static const char *MODES[4] = {"-rnear_even", "-rminMag", "-rmin", "-rmax"};
static const int FEMODES[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};

static void block(const char *name, const Fmt *in, const Fmt *out, int op, int arity, int n,
                  const uint64_t *a, const uint64_t *b, const uint64_t *c) {
    int din = in->w / 4, dout = out->w / 4;
    for (int md = 0; md < 4; md++) {
        if (fesetround(FEMODES[md]) != 0) {
            fprintf(stderr, "fesetround(%s) failed\n", MODES[md]);
            exit(2);
        }
        printf("# %s %s\n", name, MODES[md]);
        for (int i = 0; i < n; i++) {
            int fl = 0;
            uint64_t r = in->w == 32 ? op32(op, a[i], b[i], c[i], &fl) : op64(op, a[i], b[i], c[i], &fl);
            printf("%0*llX", din, (unsigned long long) a[i]);
            if (arity > 1) printf(" %0*llX", din, (unsigned long long) b[i]);
            if (arity > 2) printf(" %0*llX", din, (unsigned long long) c[i]);
            printf(" %0*llX %02X\n", dout, (unsigned long long) r, fl);
        }
        fesetround(FE_TONEAREST);
    }
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    if (n < 1) n = 1;
    uint64_t *a = calloc((size_t) n, 8), *b = calloc((size_t) n, 8), *c = calloc((size_t) n, 8);
    if (!a || !b || !c) return 3;
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    printf("#cpu fma=%d\n", __builtin_cpu_supports("fma") ? 1 : 0);
#endif
    static const char *OPS[6] = {"add", "sub", "mul", "div", "sqrt", "mulAdd"};
    const Fmt *fmts[2] = {&F32, &F64};
    char name[32];
    for (int fi = 0; fi < 2; fi++) {
        const Fmt *f = fmts[fi];
        for (int op = ADD; op <= FMA; op++) {
            for (int i = 0; i < n; i++) {
                b[i] = c[i] = 0;
                if (op == SQRT) a[i] = gen1sqrt(f, i);
                else if (op == FMA) gen3(f, i, &a[i], &b[i], &c[i]);
                else gen2(f, op, i, n, &a[i], &b[i]);
            }
            snprintf(name, sizeof name, "%s_%s", f->name, OPS[op]);
            block(name, f, f, op, op == SQRT ? 1 : op == FMA ? 3 : 2, n, a, b, c);
        }
    }
    for (int i = 0; i < n; i++) { a[i] = i < 46 ? edge(&F32) : rval(&F32); b[i] = c[i] = 0; }
    { uint64_t o[32]; int nm = mags(&F32, o); for (int i = 0; i < 2 * nm && i < n; i++) a[i] = i < nm ? o[i] : neg(&F32, o[i - nm]); }
    block("f32_to_f64", &F32, &F64, CVT, 1, n, a, b, c);
    for (int i = 0; i < n; i++) { a[i] = gen_d2f(i); b[i] = c[i] = 0; }
    block("f64_to_f32", &F64, &F32, CVT, 1, n, a, b, c);
    free(a); free(b); free(c);
    return ferror(stdout) ? 4 : 0;
}
