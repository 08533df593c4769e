#!/usr/bin/env python3
"""Reference values for FluxionMD's tests, made with LAMMPS (Debian's `lammps` package) and ASE.

    python3 scripts/make-md-references.py

Writes Tests/FluxionMDTests/Reference/:
  lammps_lj.json      energy, forces and virial of LJ configurations in a cubic and a triclinic box
                      (lj/cut 2.5, plain cut), an NVE run's energy drift over 1000 steps, and the
                      minimum reached by LAMMPS's FIRE from a jittered crystal
  ase_*.xyz, ase.json extended-XYZ files written by ASE, and the values ASE reads back from them
Nothing here runs at test time: the values are committed.
"""
import json, os, subprocess, tempfile
import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "FluxionMDTests", "Reference")


def fcc(cells, density, jitter, seed):
    a = (4 / density) ** (1 / 3)
    basis = np.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]])
    x = np.array([(np.array([i, j, k]) + b) * a for i in range(cells) for j in range(cells) for k in range(cells) for b in basis])
    rng = np.random.default_rng(seed)
    return x + rng.uniform(-jitter, jitter, x.shape), a * cells


def data_file(path, x, lengths, tilts=(0.0, 0.0, 0.0), v=None):
    lx, ly, lz = lengths
    with open(path, "w") as f:
        f.write("LAMMPS data\n\n%d atoms\n1 atom types\n\n" % len(x))
        f.write("0 %.17g xlo xhi\n0 %.17g ylo yhi\n0 %.17g zlo zhi\n" % (lx, ly, lz))
        if any(tilts):
            f.write("%.17g %.17g %.17g xy xz yz\n" % tilts)
        f.write("\nMasses\n\n1 1.0\n\nAtoms # atomic\n\n")
        for i, p in enumerate(x):
            f.write("%d 1 %.17g %.17g %.17g\n" % (i + 1, *p))
        if v is not None:
            f.write("\nVelocities\n\n")
            for i, u in enumerate(v):
                f.write("%d %.17g %.17g %.17g\n" % (i + 1, *u))


def run(script, workdir):
    with open(os.path.join(workdir, "in.lmp"), "w") as f:
        f.write(script)
    subprocess.run(["lmp", "-in", "in.lmp", "-log", "log.lammps", "-screen", "none"], cwd=workdir, check=True,
                   env={**os.environ, "OMP_NUM_THREADS": "1"})


def single_point(x, lengths, tilts, workdir):
    data_file(os.path.join(workdir, "data.lj"), x, lengths, tilts)
    run("""units lj
atom_style atomic
boundary p p p
read_data data.lj
pair_style lj/cut 2.5
pair_coeff 1 1 1.0 1.0 2.5
neighbor 0.3 bin
compute virial all pressure NULL virial
thermo_style custom step pe c_virial[1] c_virial[2] c_virial[3] c_virial[4] c_virial[5] c_virial[6] vol
thermo_modify format float %.17g norm no
dump forces all custom 1 forces.dump id fx fy fz
dump_modify forces format float %.17g sort id
run 0
""", workdir)
    forces = np.loadtxt(os.path.join(workdir, "forces.dump"), skiprows=9)[:, 1:]
    row = thermo_rows(workdir)[-1]
    pe, pxx, pyy, pzz, pxy, pxz, pyz, vol = row[1:9]
    # LAMMPS's virial pressure P = W/V: W = P·V.
    w = np.array([[pxx, pxy, pxz], [pxy, pyy, pyz], [pxz, pyz, pzz]]) * vol
    return {"lengths": list(lengths), "tilts": list(tilts), "positions": x.reshape(-1).tolist(), "energy": pe,
            "forces": forces.reshape(-1).tolist(), "virial": w.reshape(-1).tolist()}


def thermo_rows(workdir):
    rows, reading = [], False
    for line in open(os.path.join(workdir, "log.lammps")):
        parts = line.split()
        if parts[:1] == ["Step"]:
            reading = True
            continue
        if reading:
            try:
                rows.append([float(p) for p in parts])
            except ValueError:
                reading = False
    return rows


def nve_drift(workdir):
    """LJ fluid from W8 at a test's size: fcc 5x5x5 (500 atoms), rho 0.8442, T 0.72, dt 0.005, 1000 steps."""
    x, length = fcc(5, 0.8442, 0.0, 0)
    rng = np.random.default_rng(3)
    v = rng.normal(size=x.shape)
    v -= v.mean(axis=0)
    v *= np.sqrt(0.72 / ((v * v).sum() / (3 * (len(x) - 1))))
    data_file(os.path.join(workdir, "data.nve"), x, (length,) * 3, v=v)
    run("""units lj
atom_style atomic
read_data data.nve
pair_style lj/cut 2.5
pair_coeff 1 1 1.0 1.0 2.5
neighbor 0.3 bin
neigh_modify every 1 delay 0 check yes
fix 1 all nve
timestep 0.005
thermo_style custom step etotal pe ke
thermo_modify format float %.17g norm no
thermo 10
run 1000
""", workdir)
    rows = np.array(thermo_rows(workdir))
    e = rows[:, 1]
    return {"positions": x.reshape(-1).tolist(), "velocities": v.reshape(-1).tolist(), "length": length,
            "steps": 1000, "timeStep": 0.005, "energies": e.tolist(),
            "maximumDeviation": float(np.max(np.abs(e - e[0]))), "finalDeviation": float(abs(e[-1] - e[0]))}


def fire_minimum(workdir):
    """A jittered fcc crystal (108 atoms, rho 1.0) relaxed by LAMMPS's FIRE."""
    x, length = fcc(3, 1.0, 0.08, 5)
    data_file(os.path.join(workdir, "data.min"), x, (length,) * 3)
    run("""units lj
atom_style atomic
read_data data.min
pair_style lj/cut 2.5
pair_coeff 1 1 1.0 1.0 2.5
neighbor 0.3 bin
neigh_modify every 1 delay 0 check yes
thermo_style custom step pe fmax
thermo_modify format float %.17g norm no
min_style fire
minimize 0.0 1.0e-10 100000 1000000
""", workdir)
    rows = thermo_rows(workdir)
    return {"positions": x.reshape(-1).tolist(), "length": length, "energy": rows[-1][1], "fmax": rows[-1][2]}


def ase_files():
    from ase import Atoms
    from ase.calculators.singlepoint import SinglePointCalculator
    from ase.io import read, write
    rng = np.random.default_rng(1)
    a = Atoms("Ar3Kr2", positions=rng.uniform(0, 5, (5, 3)), cell=[[5, 0, 0], [1, 6, 0], [0.5, 0.2, 7]], pbc=True)
    a.set_velocities(rng.normal(size=(5, 3)))
    a.info["step"] = 10
    a.info["note"] = "two frames"
    a.calc = SinglePointCalculator(a, energy=-1.5, forces=rng.normal(size=(5, 3)), stress=rng.normal(size=6))
    b = a.copy()
    b.positions += 0.1
    b.calc = SinglePointCalculator(b, energy=-1.25, forces=rng.normal(size=(5, 3)), stress=rng.normal(size=6))
    write(os.path.join(OUT, "ase_triclinic.xyz"), [a, b], format="extxyz")
    m = Atoms("H2O", positions=[[0, 0, 0], [0.96, 0, 0], [-0.24, 0.93, 0]])
    write(os.path.join(OUT, "ase_molecule.xyz"), m, format="extxyz")
    s = Atoms("Cu4", positions=rng.uniform(0, 3, (4, 3)), cell=[3.6, 3.6, 10], pbc=[True, True, False])
    write(os.path.join(OUT, "ase_slab.xyz"), s, format="extxyz")
    out = {}
    for name in ["ase_triclinic", "ase_molecule", "ase_slab"]:
        frames = read(os.path.join(OUT, name + ".xyz"), index=":")
        out[name] = [{"symbols": f.get_chemical_symbols(), "positions": f.positions.reshape(-1).tolist(),
                      "cell": f.cell.array.reshape(-1).tolist(), "pbc": [bool(p) for p in f.pbc],
                      "momenta": f.get_momenta().reshape(-1).tolist(),
                      "energy": f.calc.results.get("energy") if f.calc else None,
                      "forces": f.calc.results["forces"].reshape(-1).tolist() if f.calc and "forces" in f.calc.results else None}
                     for f in frames]
    json.dump(out, open(os.path.join(OUT, "ase.json"), "w"), indent=1)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        x, length = fcc(4, 0.8442, 0.1, 1)
        cubic = single_point(x, (length,) * 3, (0.0, 0.0, 0.0), work)
        # The same atoms in a triclinic cell: fractional coordinates kept, the cell tilted.
        lx = ly = lz = length
        tilts = (0.9, -0.6, 0.7)
        h = np.array([[lx, 0, 0], [tilts[0], ly, 0], [tilts[1], tilts[2], lz]])
        tri = single_point((x / length) @ h, (lx, ly, lz), tilts, work)
        references = {"cubic": cubic, "triclinic": tri, "nve": nve_drift(work), "fire": fire_minimum(work)}
        version = subprocess.run(["lmp", "-log", "none"], input="", capture_output=True, text=True).stdout.split("\n")
        references["lammps"] = next((l.strip() for l in version if l.startswith("LAMMPS (")), "LAMMPS")
    json.dump(references, open(os.path.join(OUT, "lammps_lj.json"), "w"))
    ase_files()
    print("wrote", OUT)
