// See include/vector_math.h. Column sums of a row-major m×n array: each column's sum is built row
// by row from 0, in row order — the additions of the plain loop
//     for i in rows: for j in columns: sums[j] += x[i, j]
// and so the same bits — with the partial sums of up to eight vectors of columns held in registers
// over all rows, instead of read from and written back to memory for every row.
#include "vector_math.h"
#include "cpu_features.h"
#include <immintrin.h>

// One group of `P` vectors of columns (P a constant after inlining), the last one masked to `last`.
#define SUM_GROUP(W, vec, zero, loadu, maskload, add, storeu, maskstore, mask_type)               \
    static inline __attribute__((always_inline)) void                                             \
    sum_group##W(const int P, const double *x, long m, long n, double *sums, mask_type last) {    \
        vec acc[8];                                                                               \
        for (int p = 0; p < P; p++) acc[p] = zero();                                              \
        for (long i = 0; i < m; i++) {                                                            \
            const double *row = x + i * n;                                                        \
            for (int p = 0; p < P - 1; p++) acc[p] = add(acc[p], loadu(row + W * p));            \
            acc[P - 1] = add(acc[P - 1], maskload(row + W * (P - 1), last));                     \
        }                                                                                         \
        for (int p = 0; p < P - 1; p++) storeu(sums + W * p, acc[p]);                            \
        maskstore(sums + W * (P - 1), last, acc[P - 1]);                                          \
    }

#define MASKZ512(p, mask) _mm512_maskz_loadu_pd(mask, p)
#define MASKSTORE512(p, mask, v) _mm512_mask_storeu_pd(p, mask, v)
#define MASKLOAD256(p, mask) _mm256_maskload_pd(p, mask)
#define MASKSTORE256(p, mask, v) _mm256_maskstore_pd(p, mask, v)

__attribute__((target("avx512f"))) SUM_GROUP(8, __m512d, _mm512_setzero_pd, _mm512_loadu_pd, MASKZ512, _mm512_add_pd,
                                             _mm512_storeu_pd, MASKSTORE512, __mmask8)
__attribute__((target("avx2"))) SUM_GROUP(4, __m256d, _mm256_setzero_pd, _mm256_loadu_pd, MASKLOAD256, _mm256_add_pd,
                                          _mm256_storeu_pd, MASKSTORE256, __m256i)

#define GROUPS(call)                                                                              \
    switch (vectors) {                                                                            \
    case 1: call(1); break;                                                                       \
    case 2: call(2); break;                                                                       \
    case 3: call(3); break;                                                                       \
    case 4: call(4); break;                                                                       \
    case 5: call(5); break;                                                                       \
    case 6: call(6); break;                                                                       \
    case 7: call(7); break;                                                                       \
    default: call(8); break;                                                                      \
    }

__attribute__((target("avx512f"))) static void sum_rows512(const double *x, long m, long n, double *sums) {
    for (long j = 0; j < n; j += 64) {
        long width = n - j < 64 ? n - j : 64;
        int vectors = (int)((width + 7) / 8);
        __mmask8 last = (__mmask8)((1u << (width - 8 * (vectors - 1))) - 1);
#define CALL512(P) sum_group8(P, x + j, m, n, sums + j, last)
        GROUPS(CALL512)
    }
}

__attribute__((target("avx2"))) static void sum_rows256(const double *x, long m, long n, double *sums) {
    for (long j = 0; j < n; j += 32) {
        long width = n - j < 32 ? n - j : 32;
        int vectors = (int)((width + 3) / 4);
        long tail = width - 4 * (vectors - 1);
        __m256i last = _mm256_cmpgt_epi64(_mm256_set1_epi64x(tail), _mm256_setr_epi64x(0, 1, 2, 3));
#define CALL256(P) sum_group4(P, x + j, m, n, sums + j, last)
        GROUPS(CALL256)
    }
}

int fluxion_vsum_rows_width(int bits, const double *x, long m, long n, double *sums) {
    if ((bits == 0 || bits == 512) && have_avx512()) { sum_rows512(x, m, n, sums); return 1; }
    if ((bits == 0 || bits == 256) && have_avx2()) { sum_rows256(x, m, n, sums); return 1; }
    if (bits != 0 && bits != 64) return 0;
    for (long j = 0; j < n; j++) sums[j] = 0;
    for (long i = 0; i < m; i++)
        for (long j = 0; j < n; j++) sums[j] += x[i * n + j];
    return 1;
}

void fluxion_vsum_rows(const double *x, long m, long n, double *sums) { fluxion_vsum_rows_width(0, x, m, n, sums); }
