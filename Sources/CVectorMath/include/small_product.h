// Products with a small right-hand matrix or a small result: C (m×n) = op(A) · B, row-major, where
// op(A) is A (m×k) or, with transpose_a, the transpose of A stored k×m. The shapes of a dense layer
// over a batch: the forward product (a PINN's [8192, 20] × [20, 20], an MLP's [4096, 64] × [64, 64],
// B small) and the weight gradient (Aᵀ·B over the batch, C small). BLAS packs A, zeroes C and
// blocks for large k and n; for these shapes that costs a third of the time or more. Here each tile
// of C is accumulated in registers straight from A's and B's rows: no packing, C written once per
// block of the contraction.
#ifndef FLUXION_SMALL_PRODUCT_H
#define FLUXION_SMALL_PRODUCT_H

// Computes C = op(A)·B when the CPU has AVX-512 or AVX2 with FMA and returns 1; returns 0 (C
// untouched) otherwise, and the caller uses BLAS. Every element of C is the sum over l = 0, 1, …,
// k-1 of op(A)[i,l]·B[l,j], accumulated from 0 with one fused multiply-add per term in that order,
// whichever vector width runs it: results do not depend on the CPU or on how rows are split over
// threads.
int fluxion_small_dgemm(int transpose_a, long m, long n, long k, const double *a, long lda, const double *b,
                        long ldb, double *c, long ldc);

// The same with a chosen vector width (512 or 256 bits; 0: the widest the CPU has). Returns 0 when
// the CPU does not have that width. For tests, which check that the widths agree bit for bit.
int fluxion_small_dgemm_width(int bits, int transpose_a, long m, long n, long k, const double *a, long lda,
                              const double *b, long ldb, double *c, long ldc);

// Called with rows [first, first + count) of C once they are final (every term of the contraction
// added), in order, so that the caller can apply an epilogue (a bias and an activation) to them while
// they are in cache.
typedef void (*fluxion_rows_done)(void *context, long first, long count);

// fluxion_small_dgemm, calling `done(context, …)` for every `group` rows of C as they are finished
// (the last group may be shorter). Returns 0, computing nothing, when the CPU lacks AVX2/FMA.
int fluxion_small_dgemm_notify(int transpose_a, long m, long n, long k, const double *a, long lda, const double *b,
                               long ldb, double *c, long ldc, fluxion_rows_done done, void *context, long group);

#endif
