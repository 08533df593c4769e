"""Shared set-up of the benchmark scripts."""
import os


def name_openblas_kernels():
    """OpenBLAS picks its kernels by CPU model and falls back to generic SSE3 ("Prescott") kernels on
    CPUs it does not recognize, such as some virtual machines. Name the kernels the CPU can run,
    unless the caller already chose."""
    if "OPENBLAS_CORETYPE" in os.environ:
        return
    flags = open("/proc/cpuinfo").read()
    core = "SkylakeX" if " avx512f" in flags else "Haswell" if " avx2" in flags else None
    if core:
        os.environ["OPENBLAS_CORETYPE"] = core
        print(f"(OPENBLAS_CORETYPE={core}, from the CPU's flags)")
