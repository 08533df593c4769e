// See include/small_product.h.
//
// C is computed in tiles of R rows × P vectors of columns, the tile's R·P accumulators in registers.
// For each l along the contraction, the tile loads B's row l (P vectors, the last one masked to the
// columns that exist), broadcasts op(A)[i, l] for each of its R rows, and does R·P fused
// multiply-adds. A row block of C sweeps all of C's columns before the next block, so the block's
// rows of A stay in L1 and B (when it is the small operand, at most 128 KiB) in L2. Nothing is
// packed, and C is written once per block of the contraction.
//
// AVX-512: tiles of 4 rows × up to 4 vectors of 8 (4×32, 16 accumulators of the 32 registers).
// AVX2: tiles of 4 rows × up to 3 vectors of 4 (4×12, 12 accumulators of the 16 registers).
#include "small_product.h"
#include "cpu_features.h"
#include <immintrin.h>

#define AVX512_INLINE __attribute__((target("avx512f"), always_inline)) static inline
#define AVX2_INLINE __attribute__((target("avx2,fma"), always_inline)) static inline

// The contraction is walked in blocks of this many terms, so that a block's rows of A and B stay in
// L1/L2 while every tile of C passes over them (for A read transposed, the whole of C is swept
// once per block). A tile continues from the partial sums its earlier blocks stored in C, so the
// order of the terms is the same as without blocks.
enum { CONTRACTION_BLOCK = 128 };

// Where a tile reads A[r, l] (its row r, term l): a + r * ars + l * als. A as stored (m×k):
// ars = lda, als = 1; A read transposed (stored k×m): ars = 1, als = lda.

// Asks for the next row block of A (4 rows of `kb` terms) while this one is computed, when A is
// read as stored (its rows contiguous): A usually comes from L3, just written by the operation
// before, and the hardware prefetcher does not keep up with four interleaved short rows.
static inline void prefetch_rows(const double *next, long ars, long als, long remaining, long kb) {
    if (als != 1 || remaining <= 0) return;
    long rows = remaining < 4 ? remaining : 4;
    for (long r = 0; r < rows; r++)
        for (long l = 0; l < kb; l += 8) __builtin_prefetch(next + r * ars + l, 0, 3);
}

// One tile, R and P compile-time constants after inlining (the loops over them unroll and the
// accumulators live in registers). `last` masks the columns of the P-th vector. With `resume`, the
// accumulators start from C (the sums over earlier blocks of the contraction), else from 0.
AVX512_INLINE void tile512(const int R, const int P, long k, const double *a, long ars, long als, const double *b,
                           long ldb, double *c, long ldc, __mmask8 last, int resume) {
    __m512d acc[4][4];
    for (int r = 0; r < R; r++) {
        for (int p = 0; p < P - 1; p++) acc[r][p] = resume ? _mm512_loadu_pd(c + r * ldc + 8 * p) : _mm512_setzero_pd();
        acc[r][P - 1] = resume ? _mm512_maskz_loadu_pd(last, c + r * ldc + 8 * (P - 1)) : _mm512_setzero_pd();
    }
    for (long l = 0; l < k; l++) {
        const double *row = b + l * ldb;
        __m512d bv[4];
        for (int p = 0; p < P - 1; p++) bv[p] = _mm512_loadu_pd(row + 8 * p);
        bv[P - 1] = _mm512_maskz_loadu_pd(last, row + 8 * (P - 1));
        for (int r = 0; r < R; r++) {
            __m512d av = _mm512_set1_pd(a[r * ars + l * als]);
            for (int p = 0; p < P; p++) acc[r][p] = _mm512_fmadd_pd(av, bv[p], acc[r][p]);
        }
    }
    for (int r = 0; r < R; r++) {
        for (int p = 0; p < P - 1; p++) _mm512_storeu_pd(c + r * ldc + 8 * p, acc[r][p]);
        _mm512_mask_storeu_pd(c + r * ldc + 8 * (P - 1), last, acc[r][P - 1]);
    }
}

#define TILES512(R)                                                                           \
    switch (vectors) {                                                                        \
    case 1: tile512(R, 1, kb, ai, ars, als, bj, ldb, cij, ldc, last, resume); break;          \
    case 2: tile512(R, 2, kb, ai, ars, als, bj, ldb, cij, ldc, last, resume); break;          \
    case 3: tile512(R, 3, kb, ai, ars, als, bj, ldb, cij, ldc, last, resume); break;          \
    default: tile512(R, 4, kb, ai, ars, als, bj, ldb, cij, ldc, last, resume); break;         \
    }

AVX2_INLINE __m256i lanes256(long count) {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(count), _mm256_setr_epi64x(0, 1, 2, 3));
}

AVX2_INLINE void tile256(const int R, const int P, long k, const double *a, long ars, long als, const double *b,
                         long ldb, double *c, long ldc, __m256i last, int resume) {
    __m256d acc[4][3];
    for (int r = 0; r < R; r++) {
        for (int p = 0; p < P - 1; p++) acc[r][p] = resume ? _mm256_loadu_pd(c + r * ldc + 4 * p) : _mm256_setzero_pd();
        acc[r][P - 1] = resume ? _mm256_maskload_pd(c + r * ldc + 4 * (P - 1), last) : _mm256_setzero_pd();
    }
    for (long l = 0; l < k; l++) {
        const double *row = b + l * ldb;
        __m256d bv[3];
        for (int p = 0; p < P - 1; p++) bv[p] = _mm256_loadu_pd(row + 4 * p);
        bv[P - 1] = _mm256_maskload_pd(row + 4 * (P - 1), last);
        for (int r = 0; r < R; r++) {
            __m256d av = _mm256_broadcast_sd(a + r * ars + l * als);
            for (int p = 0; p < P; p++) acc[r][p] = _mm256_fmadd_pd(av, bv[p], acc[r][p]);
        }
    }
    for (int r = 0; r < R; r++) {
        for (int p = 0; p < P - 1; p++) _mm256_storeu_pd(c + r * ldc + 4 * p, acc[r][p]);
        _mm256_maskstore_pd(c + r * ldc + 4 * (P - 1), last, acc[r][P - 1]);
    }
}

#define TILES256(R)                                                                           \
    switch (vectors) {                                                                        \
    case 1: tile256(R, 1, kb, ai, ars, als, bj, ldb, cij, ldc, last, resume); break;          \
    case 2: tile256(R, 2, kb, ai, ars, als, bj, ldb, cij, ldc, last, resume); break;          \
    default: tile256(R, 3, kb, ai, ars, als, bj, ldb, cij, ldc, last, resume); break;         \
    }

// The driver for one vector width: blocks of the contraction, row blocks of 4 (a remainder row by
// row), column blocks of `columns` (a tile's P vectors of `lanes`, the last one masked by
// `mask_of(width of its part)`), each tile by `TILES`.
#define DEFINE_PRODUCT(suffix, features, columns, lanes, mask_type, mask_of, TILES)                         \
    __attribute__((target(features))) static void product##suffix(long m, long n, long k, const double *a,      \
                                                                   long ars, long als, const double *b, long ldb, \
                                                                   double *c, long ldc, fluxion_rows_done done,  \
                                                                   void *context, long group) {                \
        for (long l0 = 0; l0 < k || l0 == 0; l0 += CONTRACTION_BLOCK) {                                        \
            long kb = k - l0 < CONTRACTION_BLOCK ? k - l0 : CONTRACTION_BLOCK;                                 \
            int resume = l0 > 0, last = l0 + CONTRACTION_BLOCK >= k;                                           \
            long notified = 0;                                                                                 \
            for (long i = 0; i < m; i += 4) {                                                                  \
                if (done && last && i - notified >= group) {                                                   \
                    done(context, notified, i - notified);                                                     \
                    notified = i;                                                                              \
                }                                                                                              \
                long rows = m - i < 4 ? m - i : 4;                                                             \
                prefetch_rows(a + (i + 4) * ars + l0 * als, ars, als, m - i - 4, kb);                          \
                for (long j = 0; j < n; j += columns) {                                                        \
                    long width = n - j < columns ? n - j : columns;                                            \
                    int vectors = (int)((width + lanes - 1) / lanes);                                          \
                    mask_type last = mask_of(width - lanes * (vectors - 1));                                   \
                    for (long r = 0; r < rows; r += (rows == 4 ? 4 : 1)) {                                     \
                        const double *ai = a + (i + r) * ars + l0 * als, *bj = b + l0 * ldb + j;              \
                        double *cij = c + (i + r) * ldc + j;                                                   \
                        if (rows == 4) {                                                                       \
                            TILES(4)                                                                           \
                        } else {                                                                               \
                            TILES(1)                                                                           \
                        }                                                                                      \
                    }                                                                                          \
                }                                                                                              \
            }                                                                                                  \
            if (done && last && notified < m) done(context, notified, m - notified);                           \
        }                                                                                                      \
    }

#define LANES512(count) ((__mmask8)((1u << (count)) - 1))
DEFINE_PRODUCT(512, "avx512f", 32, 8, __mmask8, LANES512, TILES512)
DEFINE_PRODUCT(256, "avx2,fma", 12, 4, __m256i, lanes256, TILES256)

static int product_width(int bits, int transpose_a, long m, long n, long k, const double *a, long lda, const double *b,
                         long ldb, double *c, long ldc, fluxion_rows_done done, void *context, long group) {
    long ars = transpose_a ? 1 : lda, als = transpose_a ? lda : 1;
    if ((bits == 0 || bits == 512) && have_avx512()) {
        if (m > 0 && n > 0) product512(m, n, k, a, ars, als, b, ldb, c, ldc, done, context, group);
        return 1;
    }
    if ((bits == 0 || bits == 256) && have_avx2()) {
        if (m > 0 && n > 0) product256(m, n, k, a, ars, als, b, ldb, c, ldc, done, context, group);
        return 1;
    }
    return 0;
}

int fluxion_small_dgemm_width(int bits, int transpose_a, long m, long n, long k, const double *a, long lda,
                              const double *b, long ldb, double *c, long ldc) {
    return product_width(bits, transpose_a, m, n, k, a, lda, b, ldb, c, ldc, 0, 0, 0);
}

int fluxion_small_dgemm_notify(int transpose_a, long m, long n, long k, const double *a, long lda, const double *b,
                               long ldb, double *c, long ldc, fluxion_rows_done done, void *context, long group) {
    return product_width(0, transpose_a, m, n, k, a, lda, b, ldb, c, ldc, done, context, group < 1 ? 1 : group);
}

int fluxion_small_dgemm(int transpose_a, long m, long n, long k, const double *a, long lda, const double *b, long ldb,
                        double *c, long ldc) {
    return fluxion_small_dgemm_width(0, transpose_a, m, n, k, a, lda, b, ldb, c, ldc);
}
