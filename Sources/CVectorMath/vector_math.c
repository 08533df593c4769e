// See include/vector_math.h. Each function checks once which vector width the CPU has: AVX-512
// (libmvec's "e" variants, eight doubles per call), else AVX2 with FMA (the "d" variants, four),
// finishing the tail with scalar libm; without AVX2, scalar libm throughout.
#include "vector_math.h"
#include "cpu_features.h"
#include <immintrin.h>
#include <math.h>

#define DECLARE(name) __attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_##name(__m256d); \
    __attribute__((target("avx512f"))) __m512d _ZGVeN8v_##name(__m512d);
DECLARE(exp)
DECLARE(expm1)
DECLARE(log)
DECLARE(log1p)
DECLARE(sin)
DECLARE(cos)

// A vector function over an array: `vector512`/`vector256` on full vectors, `scalar` on the tail and
// on CPUs without AVX2.
#define DEFINE_ARRAY_FUNCTION(name, scalar, vector256, vector512)                        \
    __attribute__((target("avx2,fma"))) static void name##_avx2(const double *x, double *y, long n) { \
        long i = 0;                                                                      \
        for (; i + 4 <= n; i += 4) _mm256_storeu_pd(y + i, vector256(_mm256_loadu_pd(x + i))); \
        for (; i < n; i++) y[i] = scalar(x[i]);                                          \
    }                                                                                    \
    __attribute__((target("avx512f"))) static void name##_avx512(const double *x, double *y, long n) { \
        long i = 0;                                                                      \
        for (; i + 8 <= n; i += 8) _mm512_storeu_pd(y + i, vector512(_mm512_loadu_pd(x + i))); \
        for (; i < n; i++) y[i] = scalar(x[i]);                                          \
    }                                                                                    \
    void fluxion_v##name(const double *x, double *y, long n) {                           \
        if (have_avx512()) { name##_avx512(x, y, n); return; }                           \
        if (have_avx2()) { name##_avx2(x, y, n); return; }                               \
        for (long i = 0; i < n; i++) y[i] = scalar(x[i]);                                \
    }

// A libm function through libmvec's vector variants.
#define DEFINE(name) DEFINE_ARRAY_FUNCTION(name, name, _ZGVdN4v_##name, _ZGVeN8v_##name)

DEFINE(exp)
DEFINE(expm1)
DEFINE(log)
DEFINE(log1p)
DEFINE(sin)
DEFINE(cos)

// Square root: the vector instruction, correctly rounded like scalar sqrt (IEEE 754), so every width
// gives the same bits.
DEFINE_ARRAY_FUNCTION(sqrt, sqrt, _mm256_sqrt_pd, _mm512_sqrt_pd)

// Binary arithmetic over arrays or a scalar (see include/vector_math.h): one loop per kind of
// operand, full vectors then the scalar tail.
#define BINARY_LOOPS(op, W, vec, load, store, set1, vop)                                 \
    long i = 0;                                                                          \
    if (a && b) {                                                                        \
        for (; i + W <= n; i += W) store(d + i, vop(load(a + i), load(b + i)));          \
        for (; i < n; i++) d[i] = a[i] op b[i];                                          \
    } else if (a) {                                                                      \
        const vec s = set1(bs);                                                          \
        for (; i + W <= n; i += W) store(d + i, vop(load(a + i), s));                    \
        for (; i < n; i++) d[i] = a[i] op bs;                                            \
    } else if (b) {                                                                      \
        const vec s = set1(as);                                                          \
        for (; i + W <= n; i += W) store(d + i, vop(s, load(b + i)));                    \
        for (; i < n; i++) d[i] = as op b[i];                                            \
    } else {                                                                             \
        const double r = as op bs;                                                       \
        for (; i < n; i++) d[i] = r;                                                     \
    }

#define DEFINE_BINARY(name, op, vop256, vop512)                                          \
    __attribute__((target("avx512f"))) static void name##_avx512(const double *a, double as, const double *b, \
                                                                 double bs, double *d, long n) { \
        BINARY_LOOPS(op, 8, __m512d, _mm512_loadu_pd, _mm512_storeu_pd, _mm512_set1_pd, vop512) \
    }                                                                                    \
    __attribute__((target("avx2"))) static void name##_avx2(const double *a, double as, const double *b, \
                                                            double bs, double *d, long n) { \
        BINARY_LOOPS(op, 4, __m256d, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_set1_pd, vop256) \
    }                                                                                    \
    void fluxion_v##name(const double *a, double as, const double *b, double bs, double *d, long n) { \
        if (have_avx512()) { name##_avx512(a, as, b, bs, d, n); return; }               \
        if (have_avx2()) { name##_avx2(a, as, b, bs, d, n); return; }                   \
        for (long i = 0; i < n; i++) d[i] = (a ? a[i] : as) op (b ? b[i] : bs);         \
    }

DEFINE_BINARY(add, +, _mm256_add_pd, _mm512_add_pd)
DEFINE_BINARY(sub, -, _mm256_sub_pd, _mm512_sub_pd)
DEFINE_BINARY(mul, *, _mm256_mul_pd, _mm512_mul_pd)
DEFINE_BINARY(div, /, _mm256_div_pd, _mm512_div_pd)
