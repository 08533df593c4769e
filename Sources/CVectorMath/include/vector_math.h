// Vectorized elementwise math on contiguous float64 arrays, through glibc's libmvec (AVX-512, 8
// doubles per call, or AVX2, 4) when the CPU supports it, and scalar libm otherwise. libmvec's
// results are within 4 ulp; tanh is our own (vector_tanh.c: an inline expm1, within 4 ulp measured).
#ifndef FLUXION_VECTOR_MATH_H
#define FLUXION_VECTOR_MATH_H

void fluxion_vexp(const double *x, double *y, long n);
void fluxion_vexpm1(const double *x, double *y, long n);
void fluxion_vlog(const double *x, double *y, long n);
void fluxion_vlog1p(const double *x, double *y, long n);
void fluxion_vsin(const double *x, double *y, long n);
void fluxion_vcos(const double *x, double *y, long n);
void fluxion_vtanh(const double *x, double *y, long n);
// tanh in a given vector width (512, 256, or 64 for scalar libm; 0: the widest the CPU has).
// Returns 0, computing nothing, when the CPU lacks that width.
int fluxion_vtanh_width(int bits, const double *x, double *y, long n);
// Correctly rounded (the vector square-root instruction).
void fluxion_vsqrt(const double *x, double *y, long n);

// d[i] = a[i] op b[i], where a null `a` (or `b`) stands for the scalar `as` (`bs`) at every element.
// IEEE 754 arithmetic is correctly rounded at every vector width, so the results are the scalar
// loop's, bit for bit.
void fluxion_vadd(const double *a, double as, const double *b, double bs, double *d, long n);
void fluxion_vsub(const double *a, double as, const double *b, double bs, double *d, long n);
void fluxion_vmul(const double *a, double as, const double *b, double bs, double *d, long n);
void fluxion_vdiv(const double *a, double as, const double *b, double bs, double *d, long n);

// sums[j] = x[0, j] + x[1, j] + … + x[m − 1, j] for a row-major m×n array, added from 0 in row
// order (the plain loop's sums, bit for bit), the partial sums held in vector registers.
void fluxion_vsum_rows(const double *x, long m, long n, double *sums);
// The same in a given vector width (512, 256, or 64 for the scalar loop; 0: the widest the CPU
// has). Returns 0, computing nothing, when the CPU lacks that width.
int fluxion_vsum_rows_width(int bits, const double *x, long m, long n, double *sums);

#endif
