#!/usr/bin/env python3
"""W8 side by side: Lennard-Jones fluid from an fcc lattice (rho 0.8442, T 0.72, sigma = epsilon = 1,
r_c = 2.5, skin 0.3, dt 0.005), NVE velocity Verlet with the neighbor list checked every step, for
4,000 and 32,000 atoms: Fluxion (`fluxion md run`, release build), LAMMPS with 2 MPI ranks (Debian's
`lammps`), and JAX MD (PyPI, float64, jitted steps in `lax.fori_loop` chunks of 100 with the list
updated every step; a chunk whose list overflowed is redone with a list reallocated at the positions
where it overflowed). One run of the script, one machine; Fluxion and LAMMPS run three times each
(the median is printed: LAMMPS's 1000 steps of 4,000 atoms vary by ±15% between runs), JAX MD once.
Prints steps/s, atom-steps/s, the energy drift over the run (per atom) and peak memory.

    swift build -c release --product fluxion
    python3 Benchmarks/peers/md_w8.py                 # 1000 steps, both sizes, all three
    python3 Benchmarks/peers/md_w8.py --steps 200 --only fluxion,lammps
"""
import argparse, json, os, re, resource, subprocess, sys, tempfile, time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def peak_mib(rusage_before):
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def timed(cmd, **kw):
    """Runs a command under /usr/bin/time to read its own peak RSS."""
    full = ["/usr/bin/time", "-f", "PEAK_KB %M"] + cmd
    p = subprocess.run(full, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{p.stdout[-2000:]}\n{p.stderr[-2000:]}")
    peak = int(re.search(r"PEAK_KB (\d+)", p.stderr).group(1)) / 1024
    return p, peak


def fluxion(cells, steps, work):
    toml = os.path.join(work, f"w8-{cells}.toml")
    out = os.path.join(work, f"fluxion-{cells}")
    with open(toml, "w") as f:
        f.write(f"""output = "{out}"
[system]
lattice = "fcc"
cells = [{cells}, {cells}, {cells}]
density = 0.8442
temperature = 0.72
[potential]
kind = "lennard-jones"
cutoff = 2.5
skin = 0.3
[run]
ensemble = "nve"
time_step = 0.005
steps = {steps}
[results]
thermo_every = {steps}
trajectory_every = 0
rdf_every = 0
checkpoint_every = {10 * steps}
""")
    binary = os.path.join(ROOT, ".build", "release", "fluxion")
    p, peak = timed([binary, "md", "run", toml, "--quiet"])
    s = json.load(open(os.path.join(out, "summary.json")))
    return {"seconds": s["seconds"], "drift": s["conserved_energy_drift_per_atom"], "peak": peak, "atoms": s["atoms"]}


def lammps(cells, steps, work):
    script = os.path.join(work, "in.w8")
    with open(script, "w") as f:
        f.write(f"""units lj
atom_style atomic
lattice fcc 0.8442
region box block 0 {cells} 0 {cells} 0 {cells}
create_box 1 box
create_atoms 1 box
mass 1 1.0
velocity all create 0.72 87287 loop geom
pair_style lj/cut 2.5
pair_coeff 1 1 1.0 1.0 2.5
neighbor 0.3 bin
neigh_modify every 1 delay 0 check yes
fix 1 all nve
timestep 0.005
thermo_style custom step etotal
thermo_modify norm yes format float %.12g
thermo {steps}
run {steps}
""")
    env = {**os.environ, "OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1", "OMP_NUM_THREADS": "1"}
    p, peak = timed(["mpirun", "-np", "2", "lmp", "-in", script, "-log", "none"], env=env, cwd=work)
    loop = float(re.search(r"Loop time of ([0-9.e+-]+) on 2 procs", p.stdout).group(1))
    rows = re.findall(r"^\s+(\d+)\s+(-?[0-9.e+-]+)\s*$", p.stdout, re.M)
    e = {int(a): float(b) for a, b in rows}
    # The peak is of mpirun's process tree as /usr/bin/time sees it (the largest child).
    return {"seconds": loop, "drift": e[steps] - e[0], "peak": peak, "atoms": 4 * cells ** 3}


JAX_MD = r"""
import sys, time, json, resource
import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
from jax import lax, random
from jax_md import space, energy, simulate, quantity, partition
cells, steps = int(sys.argv[1]), int(sys.argv[2])
a = (4 / 0.8442) ** (1 / 3)
basis = jnp.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]])
grid = jnp.stack(jnp.meshgrid(*[jnp.arange(cells)] * 3, indexing="ij"), -1).reshape(-1, 1, 3)
R = ((grid + basis[None]) * a).reshape(-1, 3).astype(jnp.float64)
L = a * cells
displacement, shift = space.periodic(L)
neighbor_fn, energy_fn = energy.lennard_jones_neighbor_list(displacement, L, sigma=1.0, epsilon=1.0, r_onset=2.0,
                                                            r_cutoff=2.5, dr_threshold=0.3)
init_fn, apply_fn = simulate.nve(energy_fn, shift, 0.005)
nbrs = neighbor_fn.allocate(R)
state = init_fn(random.PRNGKey(0), R, kT=0.72, neighbor=nbrs)
def total(state, nbrs):
    return energy_fn(state.position, neighbor=nbrs) + quantity.kinetic_energy(momentum=state.momentum, mass=state.mass)
@jax.jit
def chunk(state, nbrs):
    def body(i, sn):
        s, n = sn
        s = apply_fn(s, neighbor=n)
        return s, n.update(s.position)
    return lax.fori_loop(0, 100, body, (state, nbrs))
e0 = float(total(state, nbrs))
state2, nbrs2 = chunk(state, nbrs)          # compile
jax.block_until_ready(state2.position)
start = time.perf_counter()
done, reallocations = 0, 0
while done < steps:
    new_state, new_nbrs = chunk(state, nbrs)
    if new_nbrs.did_buffer_overflow:
        # Reallocated at the positions where it overflowed (more pairs than where the chunk began,
        # which would give the same too-small capacity again), then brought back to the chunk's start.
        nbrs = neighbor_fn.allocate(new_state.position).update(state.position)
        reallocations += 1
        continue
    state, nbrs = new_state, new_nbrs
    done += 100
jax.block_until_ready(state.position)
seconds = time.perf_counter() - start
e1 = float(total(state, nbrs))
print(json.dumps({"seconds": seconds, "drift": (e1 - e0) / R.shape[0], "atoms": int(R.shape[0]), "reallocations": reallocations}))
"""


def jax_md(cells, steps, work):
    script = os.path.join(work, "jaxmd_w8.py")
    open(script, "w").write(JAX_MD)
    p, peak = timed([sys.executable, script, str(cells), str(steps)], env={**os.environ, "JAX_PLATFORMS": "cpu"})
    r = json.loads(p.stdout.strip().splitlines()[-1])
    r["peak"] = peak
    return r


def cpu():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            flags = open("/proc/cpuinfo").read()
            return line.split(":", 1)[1].strip() + (" (AVX-512)" if "avx512f" in flags else " (AVX2)")
    return "unknown CPU"


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--only", default="fluxion,lammps,jax-md")
    ap.add_argument("--cells", default="10,20")
    ap.add_argument("--repeat", type=int, default=3, help="runs of Fluxion and LAMMPS (the median is reported; JAX MD runs once)")
    args = ap.parse_args()
    runners = {"fluxion": fluxion, "lammps": lammps, "jax-md": jax_md}
    print(f"W8 on {cpu()}, {os.cpu_count()} cores, {args.steps} steps")
    print(f"{'atoms':>7} {'code':8} {'steps/s':>9} {'atom-steps/s':>13} {'drift/atom':>12} {'peak MiB':>9}")
    results = {}
    with tempfile.TemporaryDirectory() as work:
        for cells in [int(c) for c in args.cells.split(",")]:
            for name in args.only.split(","):
                runs = [runners[name](cells, args.steps, work) for _ in range(1 if name == "jax-md" else args.repeat)]
                r = sorted(runs, key=lambda x: x["seconds"])[len(runs) // 2]
                rate = args.steps / r["seconds"]
                results[(cells, name)] = rate
                print(f"{r['atoms']:7d} {name:8} {rate:9.1f} {rate * r['atoms']:13.3e} {r['drift']:12.2e} {r['peak']:9.0f}", flush=True)
            if (cells, "fluxion") in results:
                for other in ("lammps", "jax-md"):
                    if (cells, other) in results:
                        print(f"        fluxion / {other}: {results[(cells, 'fluxion')] / results[(cells, other)]:.2f}x")
