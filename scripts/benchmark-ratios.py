#!/usr/bin/env python3
"""Runs the benchmark suite once and prints, for every workload, Fluxion's median beside each peer's
and the speed ratio (peer median / Fluxion median: above 1 means Fluxion is faster).

    python3 scripts/benchmark-ratios.py                 # every benchmark
    python3 scripts/benchmark-ratios.py "W1.*|W2.*"     # a filter (regular expression)

Benchmarks are named "<workload> / <implementation>"; the implementation "Fluxion..." is compared
with the others of the same workload. All figures come from one run.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchmark_environment import name_openblas_kernels  # noqa: E402

name_openblas_kernels()

args = ["swift", "package", "--disable-sandbox", "benchmark", "--time-units", "microseconds", "--no-progress"]
if len(sys.argv) > 1:
    args += ["--filter", sys.argv[1]]
out = subprocess.run(args, capture_output=True, text=True, check=True).stdout

medians, memory = {}, {}
name = None
for line in out.splitlines():
    if line and not line.startswith(("│", "╒", "╞", "├", "╘", "=")) and " / " in line:
        name = line.strip()
    elif name and line.startswith("│ Time (wall clock)"):
        medians[name] = float(line.split("│")[4])
    elif name and line.startswith("│ Memory (resident peak)"):
        memory[name] = line.split("│")[4].strip() + " M"

workloads = {}
for n, m in medians.items():
    workload, impl = n.rsplit(" / ", 1)
    workloads.setdefault(workload, {})[impl] = m
print(f"{'workload':58} {'implementation':32} {'median µs':>12} {'peak RSS':>10} {'speed ratio':>11}")
for workload, impls in workloads.items():
    ours = [v for k, v in impls.items() if k.startswith("Fluxion")]
    for impl, m in impls.items():
        ratio = "" if impl.startswith("Fluxion") or not ours else f"{m / ours[0]:.2f}"
        print(f"{workload:58} {impl:32} {m:12.0f} {memory.get(workload + ' / ' + impl, ''):>10} {ratio:>11}")
