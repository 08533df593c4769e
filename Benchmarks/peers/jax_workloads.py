"""The reference workloads in JAX (CPU, float64), the peer Fluxion's benchmark suite is compared with.

    python3 Benchmarks/peers/jax_workloads.py            # every workload, one process each, JSON out
    python3 Benchmarks/peers/jax_workloads.py W5         # one workload in this process
    python3 Benchmarks/peers/jax_workloads.py --filter "W7.*|KS.*"   # the workloads whose names match

Each workload is timed like package-benchmark times Fluxion's: warm-up calls (tracing and compiling),
then repeated calls for about four seconds; the median per-call wall time is reported in
microseconds, with the process's peak resident memory in MB. Definitions match
Benchmarks/FluxionBenchmarks/Workloads.swift.
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import time

NAMES = {
    "W3": "W3 MLP 2-64-64-64-1 value and grad, batch 4096",
    "W3train": "W3 training step with Adam, batch 4096",
    "W5": "W5 Hessian d=256",
    "W6": "W6 per-example grads MLP 64-128-128-10, batch 256",
    "W7": "W7 Laplacian of MLP 3-128-128-1 at 4096 points",
    "W9": "W9 jitted sin(x)*x+1 scalar, cached call",
    "W9first": "W9 jitted sin(x)*x+1 scalar, first call",
    "W10": "W10 GP likelihood value and grad, n=512",
    "W4": "W4 Burgers PINN value and grad, MLP 2-20-20-20-1, 8192 points",
    "collapsed": "Laplacian of MLP 50-768-768-512-512-1 tanh at 256 points",
    "KS": "KS residual u_t+u u_x+u_xx+u_xxxx value and grad, MLP 2-20-20-1, 4096 points",
    **{f"D{n}": f"n-th derivative of tanh(x)·sin(x), n={n}" for n in (1, 2, 4, 6, 8, 12, 16)},
}


def workload(name):
    import jax
    import jax.numpy as jnp
    from jax.scipy.linalg import cho_solve

    key = jax.random.PRNGKey(0)

    def mlp_init(sizes, key):
        keys = jax.random.split(key, len(sizes) - 1)
        ws = [jax.random.normal(k, (a, b)) / jnp.sqrt(a) for k, a, b in zip(keys, sizes[:-1], sizes[1:])]
        return {"w": ws, "b": [jnp.zeros(b) for b in sizes[1:]]}

    def mlp(p, x):
        h = x
        for i, (w, b) in enumerate(zip(p["w"], p["b"])):
            h = h @ w + b
            if i < len(p["w"]) - 1:
                h = jnp.tanh(h)
        return h

    if name == "W3":
        x = jax.random.uniform(key, (4096, 2), minval=-1, maxval=1)
        y = jnp.sin(3 * x[:, :1]) * x[:, 1:]
        p = mlp_init([2, 64, 64, 64, 1], key)
        f = jax.jit(jax.value_and_grad(lambda p, x, y: jnp.mean((mlp(p, x) - y) ** 2)))
        return lambda: f(p, x, y)
    if name == "W3train":
        import optax
        x = jax.random.uniform(key, (4096, 2), minval=-1, maxval=1)
        y = jnp.sin(3 * x[:, :1]) * x[:, 1:]
        p = mlp_init([2, 64, 64, 64, 1], key)
        optimizer = optax.adam(1e-3)

        @jax.jit
        def step(p, s):
            value, g = jax.value_and_grad(lambda p: jnp.mean((mlp(p, x) - y) ** 2))(p)
            updates, s = optimizer.update(g, s, p)
            return optax.apply_updates(p, updates), s, value

        state = [p, optimizer.init(p)]

        def run():
            state[0], state[1], value = step(state[0], state[1])
            return value
        return run
    if name == "W5":
        d = 256
        w = jax.random.normal(key, (d, d)) / jnp.sqrt(d)
        x = jax.random.normal(jax.random.PRNGKey(1), (d,))
        f = jax.jit(lambda w, x: jax.jacfwd(jax.grad(lambda x: jnp.sum(jnp.tanh(w @ x)) + 0.5 * x @ x))(x))
        return lambda: f(w, x)
    if name == "W6":
        p = mlp_init([64, 128, 128, 10], key)
        x = jax.random.normal(key, (256, 64))
        y = jax.nn.one_hot(jax.random.randint(key, (256,), 0, 10), 10)

        def loss(p, x, y):
            logits = mlp(p, x)
            return -jnp.sum(y * jax.nn.log_softmax(logits))

        f = jax.jit(jax.vmap(jax.grad(loss), in_axes=(None, 0, 0)))
        return lambda: f(p, x, y)
    if name == "W7":
        p = mlp_init([3, 128, 128, 1], key)
        x = jax.random.uniform(key, (4096, 3), minval=-1, maxval=1)
        u = lambda x: jnp.sum(mlp(p, x))
        f = jax.jit(jax.vmap(lambda x: jnp.trace(jax.hessian(u)(x))))
        return lambda: f(x)
    if name == "collapsed":
        p = mlp_init([50, 768, 768, 512, 512, 1], key)
        x = jax.random.normal(key, (256, 50))
        u = lambda x: jnp.sum(mlp(p, x))
        f = jax.jit(jax.vmap(lambda x: jnp.trace(jax.hessian(u)(x))))
        return lambda: f(x)
    if name == "W4":
        # Burgers PINN as a JAX user writes it: nested grad for u_x, u_t, u_xx, vmapped over points.
        p = mlp_init([2, 20, 20, 20, 1], key)
        k1, k2, k3, k4 = jax.random.split(key, 4)
        col = jnp.concatenate([jax.random.uniform(k1, (8192, 1), minval=-1, maxval=1),
                               jax.random.uniform(k2, (8192, 1))], axis=1)
        x0 = jax.random.uniform(k3, (256, 1), minval=-1, maxval=1)
        ini = jnp.concatenate([x0, jnp.zeros((256, 1))], axis=1)
        side = jnp.concatenate([jnp.full((128, 1), -1.0), jnp.full((128, 1), 1.0)])
        bnd = jnp.concatenate([side, jax.random.uniform(k4, (256, 1))], axis=1)
        nu = 0.01 / jnp.pi

        def loss(p):
            u = lambda z: jnp.sum(mlp(p, z))
            du = jax.grad(u)
            uxx = lambda z: jax.grad(lambda z: du(z)[0])(z)[0]
            res = jax.vmap(lambda z: du(z)[1] + u(z) * du(z)[0] - nu * uxx(z))(col)
            ic = mlp(p, ini)[:, 0] + jnp.sin(jnp.pi * ini[:, 0])
            bc = mlp(p, bnd)
            return jnp.mean(res ** 2) + jnp.mean(ic ** 2) + jnp.mean(bc ** 2)

        f = jax.jit(jax.value_and_grad(loss))
        return lambda: f(p)
    if name == "KS":
        # The fourth-order residual with JAX's Taylor mode (jet) along x and grad along t.
        from jax.experimental.jet import jet
        p = mlp_init([2, 20, 20, 1], key)
        z = jax.random.uniform(key, (4096, 2), minval=-1, maxval=1)

        def residual(p, z):
            u = lambda z: jnp.sum(mlp(p, z))
            ex = jnp.array([1.0, 0.0])
            zero = jnp.zeros(2)
            y, (d1, d2, d3, d4) = jet(u, (z,), ((ex, zero, zero, zero),))
            ut = jax.grad(u)(z)[1]
            return ut + y * d1 + d2 + d4

        f = jax.jit(jax.value_and_grad(lambda p: jnp.mean(jax.vmap(lambda z: residual(p, z))(z) ** 2)))
        return lambda: f(p)
    if name.startswith("D"):
        from jax.experimental.jet import jet
        n = int(name[1:])
        g = lambda x: jnp.tanh(x) * jnp.sin(x)
        terms = (jnp.float64(1.0),) + (jnp.float64(0.0),) * (n - 1)
        f = jax.jit(lambda x: jet(g, (x,), (terms,))[1][-1])
        x = jnp.float64(0.3)
        return lambda: f(x)
    if name in ("W9", "W9first"):
        x = jnp.float64(0.5)
        if name == "W9":
            f = jax.jit(lambda x: jnp.sin(x) * x + 1)
            return lambda: f(x)
        return lambda: jax.jit(lambda x: jnp.sin(x) * x + 1)(x)
    if name == "W10":
        x = jax.random.uniform(key, (512, 3))
        y = jnp.sin(jnp.sum(x, axis=1) * 3)
        theta = jnp.log(jnp.array([0.5, 1.0, 0.01]))

        def nll(t):
            ls, sv, nv = jnp.exp(t[0]), jnp.exp(t[1]), jnp.exp(t[2])
            sq = jnp.sum(x * x, axis=1)
            d2 = jnp.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0)
            k = sv * jnp.exp(-0.5 * d2 / (ls * ls)) + nv * jnp.eye(512)
            l = jnp.linalg.cholesky(k)
            alpha = cho_solve((l, True), y)
            return 0.5 * y @ alpha + jnp.sum(jnp.log(jnp.diag(l))) + 0.5 * 512 * 1.8378770664093453

        f = jax.jit(jax.value_and_grad(nll))
        return lambda: f(theta)
    raise SystemExit(f"unknown workload {name}")


def measure(name):
    import jax
    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")
    call = workload(name)
    block = lambda r: jax.block_until_ready(r)
    for _ in range(2):
        block(call())
    samples = []
    deadline = time.perf_counter() + 4
    while time.perf_counter() < deadline and len(samples) < 100000:
        t0 = time.perf_counter()
        block(call())
        samples.append((time.perf_counter() - t0) * 1e6)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"median_us": statistics.median(samples), "min_us": min(samples), "peak_rss_mb": peak, "samples": len(samples)}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] != "--filter":
        print(json.dumps(measure(sys.argv[1])))
    else:
        import re
        import jax
        pattern = re.compile(sys.argv[2]) if len(sys.argv) > 2 else None
        results = {"jax_version": jax.__version__}
        for short, full in NAMES.items():
            if pattern and not pattern.fullmatch(full):
                continue
            out = subprocess.run([sys.executable, __file__, short], capture_output=True, text=True, check=True)
            results[full] = json.loads(out.stdout.strip().splitlines()[-1])
        print(json.dumps(results, indent=1))
