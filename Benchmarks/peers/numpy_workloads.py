"""W1 and W2 in NumPy and pyFFTW (float64), the peers of Fluxion's products and FFTs.

    pip install numpy pyfftw                              # once
    python3 Benchmarks/peers/numpy_workloads.py           # every workload, one process each, JSON out
    python3 Benchmarks/peers/numpy_workloads.py W1        # one workload in this process

Timed as jax_workloads.py times JAX's: warm-up calls, then repeated calls for about four seconds;
the median per-call wall time in microseconds and the process's peak resident memory in MB. The FFTs
use pyFFTW's builders with FFTW_MEASURE planning (done in the warm-up, outside the timing) on all
cores, as Fluxion's jitted FFTs plan with measurement on their first call.
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import time

NAMES = {
    "W1": "W1 matmul 1024 float64",
    "W2a": "W2 fft complex 2^20, measured plans",
    "W2b": "W2 rfft2 1024x1024, measured plans",
}
PEERS = {"W1": "NumPy", "W2a": "pyFFTW", "W2b": "pyFFTW"}


def workload(name):
    import numpy as np
    rng = np.random.default_rng(0)
    if name == "W1":
        a, b = rng.standard_normal((1024, 1024)), rng.standard_normal((1024, 1024))
        return lambda: a @ b
    import pyfftw
    threads = len(os.sched_getaffinity(0))
    if name == "W2a":
        x = pyfftw.empty_aligned(1 << 20, dtype="complex128")
        x[:] = rng.standard_normal(1 << 20) + 1j * rng.standard_normal(1 << 20)
        return pyfftw.builders.fft(x, planner_effort="FFTW_MEASURE", threads=threads, overwrite_input=False)
    if name == "W2b":
        x = pyfftw.empty_aligned((1024, 1024), dtype="float64")
        x[:] = rng.standard_normal((1024, 1024))
        return pyfftw.builders.rfft2(x, planner_effort="FFTW_MEASURE", threads=threads, overwrite_input=False)
    raise SystemExit(f"unknown workload {name}")


def measure(name):
    call = workload(name)
    for _ in range(2):
        call()
    samples = []
    deadline = time.perf_counter() + 4
    while time.perf_counter() < deadline and len(samples) < 100000:
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1e6)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"median_us": statistics.median(samples), "peak_rss_mb": peak, "samples": len(samples),
            "peer": PEERS[name]}


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps(measure(sys.argv[1])))
    else:
        results = {}
        for short, full in NAMES.items():
            out = subprocess.run([sys.executable, __file__, short], capture_output=True, text=True, check=True)
            results[full] = json.loads(out.stdout.strip().splitlines()[-1])
        print(json.dumps(results, indent=1))
