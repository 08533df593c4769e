#!/usr/bin/env python3
"""Reference trajectories for FluxionNN's optimizers, made with Optax in float64.

A fixed regression, loss(p) = mean((tanh(x @ w + b) - y)^2), is run for 50 steps by each optimizer
configuration below; the losses and the final parameters are saved to optax.npz with the data and
the initial parameters, so the Swift tests replay the same problem. Run from the repository root:

    pip install "jax[cpu]" optax && python3 Tests/FluxionNNTests/Reference/make_optax_reference.py
"""
import os

import jax
import jax.numpy as jnp
import numpy as np
import optax

jax.config.update("jax_enable_x64", True)
rng = np.random.default_rng(42)
x = rng.standard_normal((16, 3))
y = np.tanh(x @ rng.standard_normal((3, 2)) + 0.3) + 0.05 * rng.standard_normal((16, 2))
params = {"w": 0.5 * rng.standard_normal((3, 2)), "b": np.zeros(2)}


def loss(p):
    r = jnp.tanh(x @ p["w"] + p["b"]) - y
    return jnp.mean(r * r)


def f64(schedule):
    """The schedule evaluated on a float64 count. (Optax passes its int32 step count, and with it
    some schedules compute in float32 even with x64 enabled: exponential_decay(0.05, ...) gives
    0.05000000074505806 at step 0. Fluxion's schedules compute in float64.)"""
    return lambda count: schedule(jnp.asarray(count, jnp.float64))


configs = {
    "sgd": optax.sgd(0.1),
    "momentum": optax.sgd(0.05, momentum=0.9),
    "nesterov": optax.sgd(0.05, momentum=0.9, nesterov=True),
    "adam": optax.adam(0.02),
    "adam_eps_root": optax.adam(0.02, b1=0.8, b2=0.99, eps=1e-6, eps_root=1e-10),
    "adamw": optax.adamw(0.02, weight_decay=0.1),
    "adam_exponential": optax.adam(f64(optax.exponential_decay(0.05, transition_steps=10, decay_rate=0.5))),
    "adam_staircase": optax.adam(f64(optax.exponential_decay(0.05, transition_steps=7, decay_rate=0.6, staircase=True,
                                                             transition_begin=5, end_value=0.01))),
    "adam_cosine": optax.adam(f64(optax.cosine_decay_schedule(0.05, decay_steps=40, alpha=0.1))),
    "adam_warmup_cosine": optax.adam(f64(optax.warmup_cosine_decay_schedule(0.0, 0.05, warmup_steps=10, decay_steps=45,
                                                                            end_value=0.001))),
    "adam_piecewise": optax.adam(f64(optax.piecewise_constant_schedule(0.05, {10: 0.5, 30: 0.2}))),
    "clipped_adam": optax.chain(optax.clip_by_global_norm(0.05), optax.adam(0.02)),
    "clipped_sgd": optax.chain(optax.clip_by_global_norm(0.1), optax.sgd(0.5, momentum=0.5)),
}

out = {"x": x, "y": y, "w0": params["w"], "b0": params["b"]}
for name, opt in configs.items():
    p = {k: jnp.asarray(v) for k, v in params.items()}
    state = opt.init(p)
    losses = []
    for _ in range(50):
        value, g = jax.value_and_grad(loss)(p)
        losses.append(float(value))
        updates, state = opt.update(g, state, p)
        p = optax.apply_updates(p, updates)
    out[name + "/losses"] = np.array(losses)
    out[name + "/w"] = np.asarray(p["w"])
    out[name + "/b"] = np.asarray(p["b"])
np.savez(os.path.join(os.path.dirname(os.path.abspath(__file__)), "optax.npz"), **out)
print("wrote", len(configs), "configurations")
