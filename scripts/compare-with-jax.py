#!/usr/bin/env python3
"""Runs the reference workloads in Fluxion's benchmark suite and in JAX (Benchmarks/peers), and prints
each workload's medians and the ratio Fluxion / JAX (below 1: Fluxion is faster), with peak memory.

    pip install "jax[cpu]"      # once
    python3 scripts/compare-with-jax.py                  # every workload
    python3 scripts/compare-with-jax.py "W7.*|KS.*"      # the workloads whose names match

Fluxion's workloads run one per benchmark process (so peak memory is the workload's own); JAX's run
one per Python process. Both time warm, compiled calls.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchmark_environment import fluxion_benchmark, name_openblas_kernels  # noqa: E402

name_openblas_kernels()

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
peer_args = [sys.executable, os.path.join(root, "Benchmarks/peers/jax_workloads.py")]
if len(sys.argv) > 1:
    peer_args += ["--filter", sys.argv[1]]
peers = json.loads(subprocess.run(peer_args, capture_output=True, text=True, check=True).stdout)


def fluxion(name):
    """Median (µs) and peak resident memory (MB) of one Fluxion benchmark, run alone."""
    return fluxion_benchmark(root, name + " / Fluxion")


def row(label, fluxion_result, jax):
    median, memory = fluxion_result
    ratio = f"{median / jax['median_us']:.2f}" if median else "n/a"
    print(f"{label:52} {median or float('nan'):11.1f} {jax['median_us']:11.1f} {ratio:>11} "
          f"{memory or float('nan'):10.0f} {jax['peak_rss_mb']:8.0f}")


# Workloads that FluxionPINN computes another way, measured that way too (a second row).
variants = {"W4 Burgers PINN value and grad, MLP 2-20-20-20-1, 8192 points": "Fluxion, blocks per core"}

print(f"JAX {peers.pop('jax_version')} on CPU, float64; all figures from this run.\n")
print(f"{'workload':52} {'Fluxion µs':>11} {'JAX µs':>11} {'Fluxion/JAX':>11} {'Fluxion MB':>10} {'JAX MB':>8}")

for name, jax in peers.items():
    row(name, fluxion(name), jax)
    if name in variants:
        row(f"  ({variants[name]})", fluxion_benchmark(root, f"{name} / {variants[name]}"), jax)
