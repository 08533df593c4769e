// Products with a small right-hand matrix: C (m×n) = A (m×k) · B (k×n), row-major, for n and k up
// to a few hundred and any m — the shape of a dense layer applied to a batch (a PINN's [8192, 20] ×
// [20, 20], an MLP's [4096, 64] × [64, 64]). BLAS packs A, zeroes C and blocks for large k and n;
// for these shapes that is a third of the time. Here B stays in L1/L2 and each tile of C is
// accumulated in registers straight from A's rows: one pass over A, one store of C.
#ifndef FLUXION_SMALL_PRODUCT_H
#define FLUXION_SMALL_PRODUCT_H

// Computes C = A·B when the CPU has AVX-512 or AVX2 with FMA and returns 1; returns 0 (C untouched)
// otherwise, and the caller uses BLAS. Every element of C is the sum over l = 0, 1, …, k-1 of
// A[i,l]·B[l,j], accumulated from 0 with one fused multiply-add per term in that order, whichever
// vector width runs it: results do not depend on the CPU or on how rows are split over threads.
int fluxion_small_dgemm(long m, long n, long k, const double *a, long lda, const double *b, long ldb,
                        double *c, long ldc);

// The same with a chosen vector width (512 or 256 bits; 0: the widest the CPU has). Returns 0 when
// the CPU does not have that width. For tests, which check that the widths agree bit for bit.
int fluxion_small_dgemm_width(int bits, long m, long n, long k, const double *a, long lda, const double *b,
                              long ldb, double *c, long ldc);

#endif
