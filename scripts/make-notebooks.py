#!/usr/bin/env python3
"""Writes notebooks/pinn_burgers.ipynb (the source of truth for its cells is this script).

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
notebook = nbf.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
nbf.write(notebook, "notebooks/pinn_burgers.ipynb")
