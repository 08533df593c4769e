#!/usr/bin/env python3
"""Reference minimizations for FluxionNN's L-BFGS, made with SciPy's L-BFGS-B (memory 10) in float64:
the 10-dimensional Rosenbrock function from the standard start, and a small tanh MLP (1-2-1) fitted
to noisy sin on 32 points from fixed initial weights (value and gradient by JAX in float64). The minima,
values and SciPy's iteration counts go to scipy.npz (gradient tolerance 1e-10 for Rosenbrock, 1e-8
for the MLP, which SciPy reaches in 120 iterations; no function-value tolerance). Run from the repository root:

    pip install scipy "jax[cpu]" && python3 Tests/FluxionNNTests/Reference/make_scipy_reference.py
"""
import os

import jax
import jax.numpy as jnp
import numpy as np
from scipy.optimize import minimize, rosen, rosen_der

jax.config.update("jax_enable_x64", True)
options = {"maxcor": 10, "ftol": 0.0, "gtol": 1e-10, "maxiter": 20000, "maxfun": 20000}
out = {}

x0 = np.array([-1.2, 1.0] * 5)
r = minimize(rosen, x0, jac=rosen_der, method="L-BFGS-B", options=options)
out["rosenbrock/x0"], out["rosenbrock/x"] = x0, r.x
out["rosenbrock/value"], out["rosenbrock/iterations"] = np.array(r.fun), np.array(r.nit)

rng = np.random.default_rng(1)
t = np.linspace(-1, 1, 32)[:, None]
y = np.sin(2 * t) + 0.1 * rng.standard_normal(t.shape)
shapes = [("w1", (1, 2)), ("b1", (2,)), ("w2", (2, 1)), ("b2", (1,))]
p0 = {"w1": rng.standard_normal((1, 2)), "b1": 0.1 * rng.standard_normal(2),
      "w2": rng.standard_normal((2, 1)) / np.sqrt(2), "b2": np.zeros(1)}
# Raveled in Fluxion's canonical order: keys sorted (b1, b2, w1, w2), each row-major.
order = sorted(p0)


def unravel(v):
    p, i = {}, 0
    for k in order:
        shape = dict(shapes)[k]
        n = int(np.prod(shape))
        p[k] = v[i:i + n].reshape(shape)
        i += n
    return p


def loss(v):
    p = unravel(v)
    h = jnp.tanh(t @ p["w1"] + p["b1"])
    r = h @ p["w2"] + p["b2"] - y
    return jnp.mean(r * r)


value_and_grad = jax.jit(jax.value_and_grad(loss))
v0 = np.concatenate([p0[k].ravel() for k in order])
mlp_options = dict(options, gtol=1e-8)
r = minimize(lambda v: tuple(np.asarray(a) for a in value_and_grad(v)), v0, jac=True, method="L-BFGS-B", options=mlp_options)
out["mlp/t"], out["mlp/y"], out["mlp/x0"], out["mlp/x"] = t, y, v0, r.x
out["mlp/value"], out["mlp/iterations"] = np.array(r.fun), np.array(r.nit)
for k in order:
    out["mlp/" + k] = p0[k]
np.savez(os.path.join(os.path.dirname(os.path.abspath(__file__)), "scipy.npz"), **out)
print("rosenbrock", out["rosenbrock/value"], out["rosenbrock/iterations"], "mlp", out["mlp/value"], out["mlp/iterations"])
