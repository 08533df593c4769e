#!/usr/bin/env python3
"""Runs the reference workloads in Fluxion's benchmark suite and in JAX (Benchmarks/peers), and prints
each workload's medians and the ratio Fluxion / JAX (below 1: Fluxion is faster), with peak memory.

    pip install "jax[cpu]"      # once
    python3 scripts/compare-with-jax.py                        # every workload
    python3 scripts/compare-with-jax.py "W7.*|KS.*"            # the workloads whose names match
    python3 scripts/compare-with-jax.py "W3.*" --rounds 3      # three alternations, every ratio shown

The two sides of a workload are measured back to back (JAX, then Fluxion), so that both see the
machine in the same state: a shared virtual machine can run at two speeds minutes apart, which a
comparison of all of JAX's figures with all of Fluxion's would mix up. With --rounds R each workload
is measured R times that way; the row gives the median of each side and of the R ratios, and the
ratios themselves. The last column divides the fastest call Fluxion made in all rounds by JAX's
fastest: the machine at its best for both, which a slow spell of a shared machine does not move.
Fluxion's workloads run one per benchmark process (so peak memory is the
workload's own); JAX's one per Python process. Both time warm, compiled calls.
"""
import argparse
import importlib.metadata
import json
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchmark_environment import fluxion_benchmark, name_openblas_kernels  # noqa: E402

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(root, "Benchmarks/peers"))
from jax_workloads import NAMES  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("pattern", nargs="?", help="a regular expression the workload names must match")
parser.add_argument("--rounds", type=int, default=1, help="alternations of JAX and Fluxion per workload")
args = parser.parse_args()
name_openblas_kernels()

# Workloads that FluxionPINN computes another way, measured that way too (a second row).
variants = {"W4 Burgers PINN value and grad, MLP 2-20-20-20-1, 8192 points": "Fluxion, blocks per core"}


def jax(short):
    """Median (µs) and peak memory (MB) of one JAX workload, in its own process."""
    out = subprocess.run([sys.executable, os.path.join(root, "Benchmarks/peers/jax_workloads.py"), short],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def row(label, pairs):
    """One line: medians over the rounds of each side, of the ratios, the ratios of every round, and
    the ratio of the fastest calls."""
    ratios = [f / j["median_us"] for (f, _, _), j in pairs if f]
    fluxion_median = statistics.median([f for (f, _, _), _ in pairs if f]) if ratios else float("nan")
    jax_median = statistics.median([j["median_us"] for _, j in pairs])
    ratio = f"{statistics.median(ratios):.2f}" if ratios else "n/a"
    each = " ".join(f"{r:.2f}" for r in ratios) if len(pairs) > 1 else ""
    fastest = [b for (_, _, b), _ in pairs if b]
    best = f"{min(fastest) / min(j['min_us'] for _, j in pairs):.2f}" if fastest else "n/a"
    memory = max((m for (_, m, _), _ in pairs if m), default=float("nan"))
    print(f"{label:52} {fluxion_median:11.1f} {jax_median:11.1f} {ratio:>11} {memory:10.0f} "
          f"{max(j['peak_rss_mb'] for _, j in pairs):8.0f}  {each:16} {best:>6}")


print(f"JAX {importlib.metadata.version('jax')} on CPU, float64; each workload's two sides measured back to back.\n")
print(f"{'workload':52} {'Fluxion µs':>11} {'JAX µs':>11} {'Fluxion/JAX':>11} {'Fluxion MB':>10} {'JAX MB':>8}"
      + f"  {'ratio per round' if args.rounds > 1 else '':16} {'best':>6}")

pattern = re.compile(args.pattern) if args.pattern else None
for short, name in NAMES.items():
    if pattern and not pattern.fullmatch(name):
        continue
    pairs, variant_pairs = [], []
    for _ in range(args.rounds):
        peer = jax(short)
        pairs.append((fluxion_benchmark(root, name + " / Fluxion"), peer))
        if name in variants:
            variant_pairs.append((fluxion_benchmark(root, f"{name} / {variants[name]}"), peer))
    row(name, pairs)
    if variant_pairs:
        row(f"  ({variants[name]})", variant_pairs)
