#!/usr/bin/env python3
"""Burgers' equation with DeepXDE and with `fluxion pinn`, side by side in one run: the same network,
the same numbers of points, the same schedule (Adam, then L-BFGS), float64, errors against one
Cole–Hopf reference computed here with NumPy (independent of Fluxion's).

    pip install deepxde tensorflow-cpu
    swift build -c release --product fluxion
    python3 Benchmarks/peers/deepxde_burgers.py --adam 2000 --lbfgs 2000

DeepXDE runs on its TensorFlow backend (tensorflow.compat.v1, whose L-BFGS is SciPy's L-BFGS-B),
soft constraints (as DeepXDE's Burgers example); Fluxion runs the same problem without hard
constraints. Wall times cover training only (imports and the reference excluded).
"""
import argparse, json, os, pathlib, subprocess, sys, tempfile, time
import numpy as np

NU = 0.01 / np.pi


def cole_hopf(x, t, nodes=4001):
    """u(x, t) by the Cole–Hopf formula, trapezoidal rule in s = η / (2√(νt)) with a shifted exponent."""
    half = np.sqrt(1 / (np.pi * NU) + 40)
    s = np.linspace(-half, half, nodes)
    out = np.empty(len(x))
    for i, (xi, ti) in enumerate(zip(x, t)):
        if ti <= 0:
            out[i] = -np.sin(np.pi * xi)
            continue
        y = np.pi * (xi - 2 * np.sqrt(NU * ti) * s)
        e = -np.cos(y) / (2 * np.pi * NU) - s * s
        w = np.exp(e - e.max())
        out[i] = -(np.sin(y) * w).sum() / w.sum()
    return out


def grid():
    x = np.linspace(-1, 1, 256)
    t = np.linspace(0, 1, 100)
    X, T = np.meshgrid(x, t, indexing="ij")
    return x, t, np.stack([X.ravel(), T.ravel()], axis=1)


def run_deepxde(args, points):
    os.environ.setdefault("DDE_BACKEND", "tensorflow.compat.v1")
    import deepxde as dde
    dde.config.set_default_float("float64")
    dde.config.set_random_seed(args.seed)
    geomtime = dde.geometry.GeometryXTime(dde.geometry.Interval(-1, 1), dde.geometry.TimeDomain(0, 1))

    def pde(x, y):
        dy_x = dde.grad.jacobian(y, x, i=0, j=0)
        dy_t = dde.grad.jacobian(y, x, i=0, j=1)
        dy_xx = dde.grad.hessian(y, x, i=0, j=0)
        return dy_t + y * dy_x - NU * dy_xx

    bc = dde.icbc.DirichletBC(geomtime, lambda x: 0, lambda _, on_boundary: on_boundary)
    ic = dde.icbc.IC(geomtime, lambda x: -np.sin(np.pi * x[:, 0:1]), lambda _, on_initial: on_initial)
    data = dde.data.TimePDE(geomtime, pde, [bc, ic], num_domain=args.collocation, num_boundary=args.condition_points,
                            num_initial=args.condition_points)
    net = dde.nn.FNN([2] + args.hidden + [1], "tanh", "Glorot normal")
    model = dde.Model(data, net)
    started = time.perf_counter()
    steps = {"adam": 0, "lbfgs": 0}
    if args.adam > 0:
        model.compile("adam", lr=args.lr)
        model.train(iterations=args.adam, display_every=max(args.adam, 1000), verbose=0)
        steps["adam"] = model.train_state.step
    if args.lbfgs > 0:
        dde.optimizers.config.set_LBFGS_options(maxiter=args.lbfgs, maxfun=2 * args.lbfgs, ftol=0, gtol=0)
        model.compile("L-BFGS")
        model.train(display_every=max(args.lbfgs, 1000), verbose=0)
        steps["lbfgs"] = model.train_state.step - steps["adam"]
    seconds = time.perf_counter() - started
    return model.predict(points)[:, 0], seconds, steps


def run_fluxion(args, binary):
    work = pathlib.Path(tempfile.mkdtemp(prefix="fluxion-burgers-"))
    (work / "burgers.toml").write_text(f"""
problem = "burgers"
seed = {args.seed}
output = "out"
[network]
hidden = {args.hidden}
hard_constraints = false
[sampling]
collocation = {args.collocation}
condition_points = {args.condition_points}
[training]
adam_steps = {args.adam}
learning_rate = {args.lr}
decay_rate = 1.0
lbfgs_iterations = {args.lbfgs}
rar_every = 0
[results]
report_every = {max(args.adam + args.lbfgs, 1)}
grid = [256, 100]
""")
    subprocess.run([binary, "pinn", "run", "burgers.toml", "--quiet"], cwd=work, check=True, stdout=subprocess.DEVNULL)
    summary = json.loads((work / "out/summary.json").read_text())
    u = np.load(work / "out/solution.npz")["u"]
    return u.ravel(), summary["seconds"], summary


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--adam", type=int, default=2000)
    p.add_argument("--lbfgs", type=int, default=2000)
    p.add_argument("--collocation", type=int, default=2540)
    p.add_argument("--condition-points", type=int, default=160)
    p.add_argument("--hidden", type=lambda s: [int(v) for v in s.split(",")], default=[20, 20, 20])
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--only-deepxde", action="store_true", help="skip the Fluxion run")
    p.add_argument("--fluxion", default=str(pathlib.Path(__file__).resolve().parents[2] / ".build/release/fluxion"))
    args = p.parse_args()
    x, t, points = grid()
    reference = cole_hopf(points[:, 0], points[:, 1])
    def error(u):
        return float(np.linalg.norm(u - reference) / np.linalg.norm(reference))
    u_f, s_f, summary = (None, None, None) if args.only_deepxde else run_fluxion(args, args.fluxion)
    u_d, s_d, steps_d = run_deepxde(args, points)
    # The two references agree: Fluxion's own (in its summary) and this one.
    if args.only_deepxde:
        print(json.dumps({"deepxde": {"seconds": s_d, "error": error(u_d), **steps_d}}, indent=2))
        return
    print(json.dumps({
        "setup": {"adam": args.adam, "lbfgs": args.lbfgs, "collocation": args.collocation,
                  "condition_points": args.condition_points, "hidden": args.hidden},
        "fluxion": {"seconds": s_f, "error": error(u_f), "error_own_reference": summary.get("relative_l2_error"),
                    "lbfgs_iterations": summary["lbfgs_iterations"]},
        "deepxde": {"seconds": s_d, "error": error(u_d), "adam_steps": steps_d["adam"],
                    "lbfgs_iterations": steps_d["lbfgs"]},
        "time_ratio_fluxion_over_deepxde": s_f / s_d,
    }, indent=2))


if __name__ == "__main__":
    sys.exit(main())
