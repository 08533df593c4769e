// OpenBLAS (CBLAS) and LAPACKE. OpenBLAS on Debian is built without LAPACKE, so liblapacke is linked too.
#include <cblas.h>
#include <lapacke.h>
