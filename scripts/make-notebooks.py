#!/usr/bin/env python3
"""Writes notebooks/pinn_burgers.ipynb and notebooks/md_lennard_jones.ipynb (the source of truth for
their cells is this script).

    python3 scripts/make-notebooks.py
"""
import nbformat as nbf

cells = [
    nbf.v4.new_markdown_cell("""# Burgers' equation with `fluxion pinn`

This notebook runs the `fluxion` program on a small configuration of Burgers' equation
(u_t + u u_x = (0.01/π) u_xx on [-1, 1] × [0, 1], u(x, 0) = -sin πx, u(±1, t) = 0), then reads what
it wrote — the solution on a grid (NPZ), the loss history (CSV) and the summary (JSON) — with NumPy
and plots it with matplotlib beside the exact (Cole–Hopf) solution.

The budget here is small so that the notebook runs in a minute; `fluxion pinn init burgers` writes
the full configuration."""),
    nbf.v4.new_code_cell("""import json, os, pathlib, subprocess
import numpy as np
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

root = pathlib.Path.cwd().parent if pathlib.Path.cwd().name == "notebooks" else pathlib.Path.cwd()
fluxion = os.environ.get("FLUXION") or str(root / ".build/release/fluxion")
if not pathlib.Path(fluxion).exists():
    subprocess.run(["swift", "build", "-c", "release", "--product", "fluxion"], cwd=root, check=True)
work = pathlib.Path(os.environ.get("FLUXION_NOTEBOOK_DIR", "/tmp/fluxion-notebook"))
work.mkdir(parents=True, exist_ok=True)
print(fluxion)"""),
    nbf.v4.new_code_cell("""config = '''
problem = "burgers"
seed = 0
output = "burgers-small"

[network]
hidden = [20, 20, 20, 20]
hard_constraints = true

[sampling]
collocation = 1000

[training]
adam_steps = 1000
lbfgs_iterations = 1000
rar_every = 0

[results]
report_every = 100
grid = [128, 50]
'''
(work / "burgers-small.toml").write_text(config)
run = subprocess.run([fluxion, "pinn", "run", "burgers-small.toml", "--quiet"], cwd=work,
                     capture_output=True, text=True)
print(run.stdout[-1500:])
assert run.returncode == 0, run.stderr"""),
    nbf.v4.new_code_cell("""out = work / "burgers-small"
solution = np.load(out / "solution.npz")
x, t, u, reference = solution["x"], solution["t"], solution["u"], solution["reference"]
summary = json.loads((out / "summary.json").read_text())
error = np.linalg.norm(u - reference) / np.linalg.norm(reference)
print(f"relative L2 error: {error:.3e} (summary.json: {summary['relative_l2_error']:.3e}), "
      f"{summary['adam_steps']} Adam steps + {summary['lbfgs_iterations']} L-BFGS iterations in {summary['seconds']:.1f} s")
assert abs(error - summary["relative_l2_error"]) < 1e-12 * max(1.0, error)
assert error < 0.2, "the small run should at least find the shape of the solution\""""),
    nbf.v4.new_code_cell("""fig, axes = plt.subplots(1, 3, figsize=(15, 4))
for ax, field, title in zip(axes, [u, reference, np.abs(u - reference)], ["PINN", "Cole–Hopf", "|error|"]):
    image = ax.pcolormesh(t, x, field, shading="auto", cmap="viridis")
    ax.set_xlabel("t"); ax.set_ylabel("x"); ax.set_title(title)
    fig.colorbar(image, ax=ax)
fig.tight_layout()
fig.savefig(work / "burgers-fields.png", dpi=80)"""),
    nbf.v4.new_code_cell("""fig, axes = plt.subplots(1, 3, figsize=(15, 3.5))
for ax, time in zip(axes, [0.25, 0.5, 0.75]):
    j = int(np.argmin(np.abs(t - time)))
    ax.plot(x, reference[:, j], "k-", label="Cole–Hopf")
    ax.plot(x, u[:, j], "r--", label="PINN")
    ax.set_title(f"t = {t[j]:.2f}"); ax.set_xlabel("x"); ax.legend()
fig.tight_layout()
fig.savefig(work / "burgers-slices.png", dpi=80)"""),
    nbf.v4.new_code_cell("""history = np.genfromtxt(out / "history.csv", delimiter=",", names=True)
fig, ax = plt.subplots(figsize=(7, 4))
ax.semilogy(history["step"], history["loss"], label="loss")
measured = ~np.isnan(history["error"])
ax.semilogy(history["step"][measured], history["error"][measured], "o-", label="relative L2 error")
ax.axvline(summary["adam_steps"], color="gray", ls=":", label="Adam → L-BFGS")
ax.set_xlabel("step"); ax.legend()
fig.savefig(work / "burgers-history.png", dpi=80)
print(history.dtype.names)"""),
]
SETUP = cells[1].source

md_cells = [
    nbf.v4.new_markdown_cell("""# A Lennard-Jones liquid with `fluxion md`

This notebook runs the `fluxion` program on 500 Lennard-Jones atoms (an fcc crystal at ρ = 0.8442
melting at T ≈ 0.7, the LAMMPS `in.lj` system at a small size), then reads what it wrote — the thermo
log (CSV), the summary (JSON), the radial distribution function (CSV) and the trajectory (extended
XYZ) — with NumPy, checks the physics (energy conservation, zero momentum, the liquid's g(r)) and
plots it."""),
    nbf.v4.new_code_cell(SETUP),
    nbf.v4.new_code_cell("""config = '''
seed = 1
output = "lj-small"
[system]
lattice = "fcc"
cells = [5, 5, 5]
density = 0.8442
temperature = 1.44
[potential]
kind = "lennard-jones"
cutoff = 2.5
truncation = "shifted"
[run]
ensemble = "nve"
time_step = 0.005
steps = 3000
[results]
thermo_every = 20
trajectory_every = 100
rdf_every = 20
rdf_range = 4.0
'''
(work / "lj-small.toml").write_text(config)
run = subprocess.run([fluxion, "md", "run", "lj-small.toml", "--quiet"], cwd=work, capture_output=True, text=True)
print(run.stdout[-800:])
assert run.returncode == 0, run.stderr"""),
    nbf.v4.new_code_cell("""out = work / "lj-small"
thermo = np.genfromtxt(out / "thermo.csv", delimiter=",", names=True)
summary = json.loads((out / "summary.json").read_text())
rdf = np.genfromtxt(out / "rdf.csv", delimiter=",", names=True)
e = thermo["total_energy"]
fluctuation = np.max(np.abs(e - e[0])) / abs(e[0])
print(f"{summary['atoms']} atoms, {summary['steps']} steps in {summary['seconds']:.1f} s; "
      f"total energy {e[0]:.4f} -> {e[-1]:.4f} (largest relative change {fluctuation:.1e}); "
      f"mean T over the second half {summary['mean_temperature_second_half']:.3f}")
assert fluctuation < 1e-3, "velocity Verlet with a shifted potential conserves energy"
assert summary["rdf"]["peak_g"] > 2 and abs(summary["rdf"]["peak_r"] - 1.1) < 0.1"""),
    nbf.v4.new_code_cell('''def read_extxyz(path):
    """Frames of an extended XYZ file as dicts of NumPy arrays (enough for fluxion's trajectories)."""
    lines = pathlib.Path(path).read_text().splitlines()
    frames, i = [], 0
    while i < len(lines):
        n, header = int(lines[i]), lines[i + 1]
        rows = np.array([l.split()[1:] for l in lines[i + 2:i + 2 + n]], dtype=float)
        info = dict(kv.split("=", 1) for kv in header.split() if kv.startswith(("step=", "energy=")))
        frames.append({"step": int(info["step"]), "energy": float(info["energy"]),
                       "positions": rows[:, 0:3], "momenta": rows[:, 3:6], "forces": rows[:, 6:9]})
        i += n + 2
    return frames

frames = read_extxyz(out / "trajectory.xyz")
print(len(frames), "frames; steps", [f["step"] for f in frames[:4]], "...")
momentum = np.array([f["momenta"].sum(axis=0) for f in frames])
net_force = np.array([f["forces"].sum(axis=0) for f in frames])
print("largest total momentum component:", np.abs(momentum).max(), " largest net force:", np.abs(net_force).max())
assert np.abs(momentum).max() < 1e-5 and np.abs(net_force).max() < 1e-5'''),
    nbf.v4.new_code_cell("""fig, axes = plt.subplots(1, 3, figsize=(16, 4))
n = summary["atoms"]
axes[0].plot(thermo["time"], thermo["total_energy"] / n, label="total")
axes[0].plot(thermo["time"], thermo["potential_energy"] / n, label="potential")
axes[0].plot(thermo["time"], thermo["kinetic_energy"] / n, label="kinetic")
axes[0].set_xlabel("time (τ)"); axes[0].set_ylabel("energy per atom (ε)"); axes[0].legend()
axes[1].plot(thermo["time"], thermo["temperature"])
axes[1].set_xlabel("time (τ)"); axes[1].set_ylabel("temperature")
axes[2].plot(rdf["r"], rdf["g"]); axes[2].axhline(1, color="gray", ls=":")
axes[2].set_xlabel("r (σ)"); axes[2].set_ylabel("g(r)")
fig.tight_layout()
fig.savefig(work / "lj-thermo.png", dpi=80)"""),
    nbf.v4.new_code_cell("""fig, ax = plt.subplots(figsize=(6, 4))
ax.plot(thermo["time"], thermo["msd"])
ax.set_xlabel("time (τ)"); ax.set_ylabel("mean-square displacement (σ²)")
late = thermo["time"] > thermo["time"][-1] / 2
slope = np.polyfit(thermo["time"][late], thermo["msd"][late], 1)[0]
print(f"diffusion coefficient D ≈ slope / 6 = {slope / 6:.3f} σ²/τ")
assert slope > 0, "a liquid diffuses"
fig.savefig(work / "lj-msd.png", dpi=80)"""),
]

metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
nbf.write(nbf.v4.new_notebook(cells=cells, metadata=metadata), "notebooks/pinn_burgers.ipynb")
nbf.write(nbf.v4.new_notebook(cells=md_cells, metadata=metadata), "notebooks/md_lennard_jones.ipynb")
