// See include/vector_math.h. Each function checks once which vector width the CPU has: AVX-512
// (libmvec's "e" variants, eight doubles per call), else AVX2 with FMA (the "d" variants, four),
// finishing the tail with scalar libm; without AVX2, scalar libm throughout.
#include "vector_math.h"
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
DECLARE(tanh)

static int have_avx512(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx512f");
    }
    return cached;
}

static int have_avx2(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return cached;
}

#define DEFINE(name)                                                                     \
    __attribute__((target("avx2,fma"))) static void name##_avx2(const double *x, double *y, long n) { \
        long i = 0;                                                                      \
        for (; i + 4 <= n; i += 4) _mm256_storeu_pd(y + i, _ZGVdN4v_##name(_mm256_loadu_pd(x + i))); \
        for (; i < n; i++) y[i] = name(x[i]);                                            \
    }                                                                                    \
    __attribute__((target("avx512f"))) static void name##_avx512(const double *x, double *y, long n) { \
        long i = 0;                                                                      \
        for (; i + 8 <= n; i += 8) _mm512_storeu_pd(y + i, _ZGVeN8v_##name(_mm512_loadu_pd(x + i))); \
        for (; i < n; i++) y[i] = name(x[i]);                                            \
    }                                                                                    \
    void fluxion_v##name(const double *x, double *y, long n) {                           \
        if (have_avx512()) { name##_avx512(x, y, n); return; }                           \
        if (have_avx2()) { name##_avx2(x, y, n); return; }                               \
        for (long i = 0; i < n; i++) y[i] = name(x[i]);                                  \
    }

DEFINE(exp)
DEFINE(expm1)
DEFINE(log)
DEFINE(log1p)
DEFINE(sin)
DEFINE(cos)
DEFINE(tanh)
