// tanh over float64 arrays (see include/vector_math.h), in the CPU's vector width.
//
// tanh|x| = t / (t + 2) with t = expm1(2|x|), the sign copied from x. expm1 keeps the relative
// accuracy for small |x| (no 1 - 2/(e^2x + 1) cancellation), and the quotient's sensitivity to t is
// 2/(t + 2) <= 1, so the result is within expm1's error plus the rounding of t, of t + 2 (each one
// fused multiply-add from the reduced expm1 below) and of the quotient. |x| is clamped at 20, where
// t/(t + 2) already rounds to 1 (so 2^k stays finite); the clamp keeps NaN (min returns its second
// operand when one is NaN).
//
// expm1(y), y = 2|x| in [0, 40], inline (no call per vector, nothing but the polynomial and the
// scaling): y = k·ln2 + r with k the nearest integer to y/ln2 and |r| <= ln2/2 (ln2 split in two,
// the high part with 42 significant bits, so k·hi is exact for k <= 58 and r is exact to far below
// an ulp), expm1(r) = r + r²·(1/2 + r·Q(r)) with Q the near-minimax polynomial of degree 9 fitted by
// scripts/fit-expm1-polynomial.py (relative error 2.5e-18, far below the rounding), and
// expm1(y) = 2^k·(1 + expm1(r)) - 1 = 2^k·expm1(r) + (2^k - 1): one fused multiply-add, exact
// scaling, and 2^k - 1 exact. For k = 0 that is expm1(r) itself, so small arguments keep their
// relative accuracy; for k >= 1 the sum is at least 0.41 and both terms are exact or nearly so.
// Measured against scalar libm: within 4 ulp over [-20, 20], 3 near 0 (tests: Vector math accuracy).
// About 0.8 ns per element on AVX-512 (one division per eight elements is a third of it), 25% less
// than through libmvec's expm1.
#include "vector_math.h"
#include "cpu_features.h"
#include <immintrin.h>
#include <math.h>

static const double ln2_hi = 0x1.62e42fefa3800p-1, ln2_lo = 0x1.ef35793c76730p-45, inverse_ln2 = 0x1.71547652b82fep0;
// Q(r), lowest degree first (r³/3!, r⁴/4!, … after the economization).
static const double q3 = 0.16666666666666669, q4 = 0.041666666666666664, q5 = 0.008333333333330065,
                    q6 = 0.0013888888888886554, q7 = 0.00019841269863040545, q8 = 2.4801587317135164e-05,
                    q9 = 2.7557268480310024e-06, q10 = 2.755728298405588e-07, q11 = 2.5100375832561234e-08,
                    q12 = 2.091122972975856e-09;

// AVX-512F alone has the bitwise operations on integers only (the double forms need AVX-512DQ).
#define BITWISE512(name, op) __attribute__((target("avx512f"), always_inline)) static inline __m512d name(__m512d a, __m512d b) { \
        return _mm512_castsi512_pd(op(_mm512_castpd_si512(a), _mm512_castpd_si512(b))); }
BITWISE512(andnot512, _mm512_andnot_si512)
BITWISE512(and512, _mm512_and_si512)
BITWISE512(or512, _mm512_or_si512)

// Rounding to the nearest integer, and 2^k for an integer-valued k, in each width. AVX2 builds 2^k
// from k's bits, (k + 1023) << 52: for NaN the conversion gives garbage, but expm1(r) is NaN then.
__attribute__((target("avx512f"), always_inline)) static inline __m512d nearest512(__m512d x) {
    return _mm512_roundscale_pd(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
__attribute__((target("avx512f"), always_inline)) static inline __m512d pow2_512(__m512d k) {
    return _mm512_scalef_pd(_mm512_set1_pd(1.0), k);
}
__attribute__((target("avx2,fma"), always_inline)) static inline __m256d nearest256(__m256d x) {
    return _mm256_round_pd(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
__attribute__((target("avx2,fma"), always_inline)) static inline __m256d pow2_256(__m256d k) {
    __m128i biased = _mm_add_epi32(_mm256_cvtpd_epi32(k), _mm_set1_epi32(1023));
    return _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_cvtepi32_epi64(biased), 52));
}

// tanh of one vector, for a width whose intrinsics start with P (_mm512, _mm256): the clamp, the
// reduction, expm1(r) by Q in Horner form, the scaling, the quotient, the sign.
#define DEFINE_TANH_VECTOR(name, features, vec, P, andnot, and, or, nearest, pow2)                  \
    __attribute__((target(features), always_inline)) static inline vec name(vec v) {                \
        const vec sign = P##_set1_pd(-0.0), one = P##_set1_pd(1.0);                                 \
        vec a = P##_min_pd(P##_set1_pd(20.0), andnot(sign, v));                                     \
        vec y = P##_add_pd(a, a);                                                                   \
        vec k = nearest(P##_mul_pd(y, P##_set1_pd(inverse_ln2)));                                  \
        vec r = P##_fnmadd_pd(k, P##_set1_pd(ln2_lo), P##_fnmadd_pd(k, P##_set1_pd(ln2_hi), y));    \
        vec q = P##_fmadd_pd(P##_set1_pd(q12), r, P##_set1_pd(q11));                                \
        q = P##_fmadd_pd(q, r, P##_set1_pd(q10));                                                   \
        q = P##_fmadd_pd(q, r, P##_set1_pd(q9));                                                    \
        q = P##_fmadd_pd(q, r, P##_set1_pd(q8));                                                    \
        q = P##_fmadd_pd(q, r, P##_set1_pd(q7));                                                    \
        q = P##_fmadd_pd(q, r, P##_set1_pd(q6));                                                    \
        q = P##_fmadd_pd(q, r, P##_set1_pd(q5));                                                    \
        q = P##_fmadd_pd(q, r, P##_set1_pd(q4));                                                    \
        q = P##_fmadd_pd(q, r, P##_set1_pd(q3));                                                    \
        vec p = P##_fmadd_pd(P##_mul_pd(r, r), P##_fmadd_pd(r, q, P##_set1_pd(0.5)), r); /* expm1(r) */ \
        vec s = pow2(k);                                                                            \
        vec t = P##_fmadd_pd(s, p, P##_sub_pd(s, one)), t2 = P##_fmadd_pd(s, p, P##_add_pd(s, one)); \
        return or(P##_div_pd(t, t2), and(sign, v));                                                 \
    }
DEFINE_TANH_VECTOR(tanh8, "avx512f", __m512d, _mm512, andnot512, and512, or512, nearest512, pow2_512)
DEFINE_TANH_VECTOR(tanh4, "avx2,fma", __m256d, _mm256, _mm256_andnot_pd, _mm256_and_pd, _mm256_or_pd, nearest256, pow2_256)

__attribute__((target("avx512f"))) static void tanh_avx512(const double *x, double *y, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) _mm512_storeu_pd(y + i, tanh8(_mm512_loadu_pd(x + i)));
    if (i < n) {  // the tail, masked, so that every element gets the same function
        __mmask8 m = (__mmask8)((1u << (n - i)) - 1);
        _mm512_mask_storeu_pd(y + i, m, tanh8(_mm512_maskz_loadu_pd(m, x + i)));
    }
}

__attribute__((target("avx2,fma"))) static void tanh_avx2(const double *x, double *y, long n) {
    long i = 0;
    for (; i + 4 <= n; i += 4) _mm256_storeu_pd(y + i, tanh4(_mm256_loadu_pd(x + i)));
    if (i < n) {  // the tail through a small buffer, so that every element gets the same function
        double in[4] = {0, 0, 0, 0}, out[4];
        for (long j = i; j < n; j++) in[j - i] = x[j];
        _mm256_storeu_pd(out, tanh4(_mm256_loadu_pd(in)));
        for (long j = i; j < n; j++) y[j] = out[j - i];
    }
}

int fluxion_vtanh_width(int bits, const double *x, double *y, long n) {
    if ((bits == 0 || bits == 512) && have_avx512()) { tanh_avx512(x, y, n); return 1; }
    if ((bits == 0 || bits == 256) && have_avx2()) { tanh_avx2(x, y, n); return 1; }
    if (bits == 0 || bits == 64) {
        for (long i = 0; i < n; i++) y[i] = tanh(x[i]);
        return 1;
    }
    return 0;
}

void fluxion_vtanh(const double *x, double *y, long n) { fluxion_vtanh_width(0, x, y, n); }
