// See include/vector_math.h. Each function checks once whether the CPU has AVX2 and FMA (the
// requirement of libmvec's "d" variants), then runs four doubles per call, finishing the tail
// with scalar libm.
#include "vector_math.h"
#include <immintrin.h>
#include <math.h>

#define DECLARE(name) __attribute__((target("avx2,fma"))) __m256d _ZGVdN4v_##name(__m256d);
DECLARE(exp)
DECLARE(expm1)
DECLARE(log)
DECLARE(log1p)
DECLARE(sin)
DECLARE(cos)
DECLARE(tanh)

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
    void fluxion_v##name(const double *x, double *y, long n) {                           \
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
