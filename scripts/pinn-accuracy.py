#!/usr/bin/env python3
"""Runs the shipped PINN problems (examples/pinn/*.toml, or those named) with the release `fluxion`
and prints each one's relative L2 error against its reference, its time and learned coefficients.
These are the accuracy benchmarks of FluxionPINN (unit tests use small budgets).

    swift build -c release --product fluxion
    python3 scripts/pinn-accuracy.py                 # all of them, one after the other
    python3 scripts/pinn-accuracy.py burgers heat    # some
"""
import json, os, pathlib, platform, subprocess, sys, tempfile

root = pathlib.Path(__file__).resolve().parents[1]
binary = os.environ.get("FLUXION", str(root / ".build/release/fluxion"))
names = sys.argv[1:] or sorted(p.stem for p in (root / "examples/pinn").glob("*.toml"))
work = pathlib.Path(tempfile.mkdtemp(prefix="pinn-accuracy-"))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
print(f"CPU: {cpu}; results in {work}")
print("| problem | relative L2 error | seconds | Adam + L-BFGS | coefficients |")
print("|---|---|---|---|---|")
for name in names:
    config = root / "examples/pinn" / f"{name}.toml"
    subprocess.run([binary, "pinn", "run", str(config), "--quiet"], cwd=work, check=True, stdout=subprocess.DEVNULL)
    text = config.read_text()
    output = next(l.split("=", 1)[1].split("#")[0].strip().strip('"') for l in text.splitlines() if l.startswith("output"))
    s = json.loads((work / output / "summary.json").read_text())
    coefficients = ", ".join(f"{k} = {v:.6g}" for k, v in s.get("coefficients", {}).items())
    budget = f"{s['adam_steps']} + {s['lbfgs_iterations']}"
    if "time_windows" in s:
        budget = f"{s['time_windows']} windows of {budget}"
    print(f"| {name} | {s.get('relative_l2_error', float('nan')):.2e} | {s['seconds']:.0f} | "
          f"{budget} | {coefficients} |", flush=True)
