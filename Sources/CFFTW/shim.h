// FFTW3 (double and single precision). Planning is not thread-safe; see Kernels/FFTWPlans.swift.
#include <fftw3.h>
