"""Shared set-up of the benchmark scripts."""
import os
import re
import subprocess


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


def fluxion_benchmark(root, name):
    """Median (µs), peak resident memory (MB) and fastest sample (µs) of one Fluxion benchmark
    ("<workload> / <implementation>"), run alone in its own process by package-benchmark from the
    package at `root`."""
    pattern = "^" + re.escape(name) + "$"
    out = subprocess.run(["swift", "package", "--disable-sandbox", "benchmark", "--filter", pattern,
                          "--time-units", "microseconds", "--no-progress"],
                         cwd=root, capture_output=True, text=True, check=True).stdout
    median = memory = fastest = None
    for line in out.splitlines():
        if line.startswith("│ Time (wall clock)"):
            columns = line.split("│")  # the percentiles p0, p25, p50, ...
            fastest, median = float(columns[2]), float(columns[4])
        elif line.startswith("│ Memory (resident peak)"):
            memory = float(line.split("│")[4])
    return median, memory, fastest
