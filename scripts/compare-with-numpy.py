#!/usr/bin/env python3
"""Runs W1 (a 1024² float64 product) and W2 (FFTs with measured plans) in Fluxion's benchmark suite
and in NumPy/pyFFTW (Benchmarks/peers/numpy_workloads.py), and prints each workload's medians and
the ratio Fluxion / peer (below 1: Fluxion is faster), with peak memory.

    pip install numpy pyfftw      # once
    python3 scripts/compare-with-numpy.py

Fluxion's FFTs are the jitted ones (planned with measurement on the first call, outside the timing),
pyFFTW's are built with FFTW_MEASURE on all cores.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchmark_environment import fluxion_benchmark, name_openblas_kernels  # noqa: E402

name_openblas_kernels()

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
peers = json.loads(subprocess.run([sys.executable, os.path.join(root, "Benchmarks/peers/numpy_workloads.py")],
                                  capture_output=True, text=True, check=True).stdout)
implementation = {"W1 matmul 1024 float64": "Fluxion"}

print(f"{'workload':40} {'peer':>7} {'Fluxion µs':>11} {'peer µs':>11} {'Fluxion/peer':>12} {'Fluxion MB':>10} {'peer MB':>8}")
for name, peer in peers.items():
    median, memory, _ = fluxion_benchmark(root, f"{name} / {implementation.get(name, 'Fluxion jit')}")
    ratio = f"{median / peer['median_us']:.2f}" if median else "n/a"
    print(f"{name:40} {peer['peer']:>7} {median or float('nan'):11.1f} {peer['median_us']:11.1f} {ratio:>12} "
          f"{memory or float('nan'):10.0f} {peer['peak_rss_mb']:8.0f}")
