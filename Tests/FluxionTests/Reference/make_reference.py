"""Generates the reference values the Fluxion tests compare against.

Run from this directory with NumPy and SciPy installed:  python3 make_reference.py
It writes reference.npz (inputs and expected outputs, keyed by test name) and a few .npy/.npz files
in layouts the NPY reader must handle. The outputs are committed; the tests never run Python.
"""
import numpy as np
import scipy.fft as sfft
import scipy.special as sp

rng = np.random.default_rng(20261122)
ref = {}

# Elementwise real functions on inputs inside each function's domain.
x = np.linspace(-3, 3, 25)
u = np.linspace(-0.95, 0.95, 25)
p = np.linspace(0.05, 6, 25)
ref["x"], ref["u"], ref["p"] = x, u, p
for name, f, arg in [
    ("exp", np.exp, "x"), ("expm1", np.expm1, "x"), ("log", np.log, "p"), ("log1p", np.log1p, "p"),
    ("sin", np.sin, "x"), ("cos", np.cos, "x"), ("tan", np.tan, "u"), ("asin", np.arcsin, "u"),
    ("acos", np.arccos, "u"), ("atan", np.arctan, "x"), ("sinh", np.sinh, "x"), ("cosh", np.cosh, "x"),
    ("tanh", np.tanh, "x"), ("erf", sp.erf, "x"), ("sqrt", np.sqrt, "p"), ("rsqrt", lambda v: 1 / np.sqrt(v), "p"),
    ("sigmoid", sp.expit, "x"), ("softplus", lambda v: np.logaddexp(0, v), "x"),
    ("floor", np.floor, "x"), ("ceil", np.ceil, "x"), ("sign", np.sign, "x"), ("abs", np.abs, "x"),
]:
    ref["unary_" + name] = f(ref[arg])
ref["round_in"] = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.4, -0.6, 3.7])
ref["unary_round"] = np.round(ref["round_in"])
ref["softplus_edge_in"] = np.array([-800.0, -40.0, 0.0, 40.0, 800.0])
ref["softplus_edge"] = np.logaddexp(0, ref["softplus_edge_in"])

# Complex elementwise functions.
z = (rng.standard_normal(12) + 1j * rng.standard_normal(12))
ref["z"] = z
for name, f in [("exp", np.exp), ("log", np.log), ("sqrt", np.sqrt), ("sin", np.sin), ("cos", np.cos),
                ("tanh", np.tanh), ("abs", np.abs)]:
    ref["complex_" + name] = f(z)
ref["complex_pow"] = z ** (0.5 + 0.25j)

# Binary functions with broadcasting.
a = rng.standard_normal((3, 1, 4))
b = rng.standard_normal((5, 1))
ref["bin_a"], ref["bin_b"] = a, b
ref["bin_add"], ref["bin_sub"], ref["bin_mul"], ref["bin_div"] = a + b, a - b, a * b, a / b
ref["bin_max"], ref["bin_min"] = np.maximum(a, b), np.minimum(a, b)
ref["bin_atan2"] = np.arctan2(a, b)
ref["bin_pow"] = np.abs(a) ** b
ref["pow_negative_base"] = np.power(np.array([-2.0, -3.0, -0.5]), np.array([2.0, 3.0, -2.0]))

# Reductions on a 3-D array.
r = rng.standard_normal((3, 4, 5))
ref["red_x"] = r
for axes in [(0,), (1,), (2,), (0, 2), (0, 1, 2)]:
    key = "".join(map(str, axes))
    ref[f"red_sum_{key}"] = r.sum(axis=axes)
    ref[f"red_mean_{key}"] = r.mean(axis=axes)
    ref[f"red_prod_{key}"] = r.prod(axis=axes)
    ref[f"red_max_{key}"] = r.max(axis=axes)
    ref[f"red_min_{key}"] = r.min(axis=axes)
    ref[f"red_var_{key}"] = r.var(axis=axes)
    ref[f"red_var1_{key}"] = r.var(axis=axes, ddof=1)
    ref[f"red_lse_{key}"] = sp.logsumexp(r, axis=axes)
for axis in range(3):
    ref[f"red_argmax_{axis}"] = r.argmax(axis=axis)
    ref[f"red_argmin_{axis}"] = r.argmin(axis=axis)
    ref[f"red_cumsum_{axis}"] = r.cumsum(axis=axis)
ref["red_norm_all"] = np.linalg.norm(r)

# Products.
ma = rng.standard_normal((2, 3, 4, 5))
mb = rng.standard_normal((3, 5, 6))
ref["mm_a"], ref["mm_b"], ref["mm_ab"] = ma, mb, ma @ mb
ref["einsum_bij_bjk"] = np.einsum("bij,bjk->bik", ma[0], mb)
ref["einsum_ij_ji"] = np.einsum("ij->ji", ma[0, 0])
ref["tensordot"] = np.tensordot(ma, mb, axes=([1, 3], [0, 1]))

# Linear algebra.
n = 6
g = rng.standard_normal((2, n, n))
spd = g @ np.swapaxes(g, -1, -2) + n * np.eye(n)
rhs = rng.standard_normal((2, n, 3))
ref["la_g"], ref["la_spd"], ref["la_rhs"] = g, spd, rhs
ref["la_cholesky"] = np.linalg.cholesky(spd)
ref["la_solve"] = np.linalg.solve(g, rhs)
ref["la_inv"] = np.linalg.inv(g)
ref["la_det"] = np.linalg.det(g)
sign, logdet = np.linalg.slogdet(g)
ref["la_slogdet_sign"], ref["la_slogdet_log"] = sign, logdet
ref["la_eigvalsh"] = np.linalg.eigvalsh(spd)
ref["la_svals"] = np.linalg.svd(g, compute_uv=False)
rect = rng.standard_normal((7, 4))
ref["la_rect"] = rect
ref["la_rect_svals"] = np.linalg.svd(rect, compute_uv=False)
ref["la_rect_rhs"] = rng.standard_normal(7)
ref["la_lstsq"] = np.linalg.lstsq(rect, ref["la_rect_rhs"], rcond=None)[0]
deficient = np.outer(np.arange(1.0, 6.0), np.array([1.0, 2.0, 3.0]))  # rank 1
ref["la_deficient"] = deficient
ref["la_deficient_rhs"] = np.arange(5.0)
ref["la_deficient_lstsq"] = np.linalg.lstsq(deficient, ref["la_deficient_rhs"], rcond=None)[0]
ref["la_pinv"] = np.linalg.pinv(rect)
for name, order in [("fro", "fro"), ("nuc", "nuc"), ("1", 1), ("m1", -1), ("inf", np.inf), ("minf", -np.inf), ("2", 2), ("m2", -2)]:
    ref["la_norm_" + name] = np.linalg.norm(rect, ord=order)
vec = rng.standard_normal(9)
ref["la_vec"] = vec
for name, order in [("2", 2), ("1", 1), ("inf", np.inf), ("minf", -np.inf), ("3", 3), ("0", 0)]:
    ref["la_vnorm_" + name] = np.linalg.norm(vec, ord=order)

# FFT.
c1 = rng.standard_normal(15) + 1j * rng.standard_normal(15)
c2 = rng.standard_normal((6, 9)) + 1j * rng.standard_normal((6, 9))
r1 = rng.standard_normal(15)
r2 = rng.standard_normal((6, 9))
r3 = rng.standard_normal((4, 6, 5))
ref["fft_c1"], ref["fft_c2"], ref["fft_r1"], ref["fft_r2"], ref["fft_r3"] = c1, c2, r1, r2, r3
for norm in ["backward", "ortho", "forward"]:
    ref[f"fft_{norm}"] = np.fft.fft(c1, norm=norm)
    ref[f"ifft_{norm}"] = np.fft.ifft(c1, norm=norm)
    ref[f"fft2_{norm}"] = np.fft.fft2(c2, norm=norm)
    ref[f"ifft2_{norm}"] = np.fft.ifft2(c2, norm=norm)
    ref[f"rfft_{norm}"] = np.fft.rfft(r1, norm=norm)
    ref[f"irfft_{norm}"] = np.fft.irfft(np.fft.rfft(r1), n=15, norm=norm)
    ref[f"rfft2_{norm}"] = np.fft.rfft2(r2, norm=norm)
    ref[f"irfft2_{norm}"] = np.fft.irfft2(np.fft.rfft2(r2), s=(6, 9), norm=norm)
    ref[f"rfftn_{norm}"] = np.fft.rfftn(r3, norm=norm)
    ref[f"fftn_{norm}"] = np.fft.fftn(r3, norm=norm)
ref["fft_axis0"] = np.fft.fft(c2, axis=0)
ref["fft_n20"] = np.fft.fft(c1, n=20)
ref["fft_n10"] = np.fft.fft(c1, n=10)
ref["fftn_axes"] = np.fft.fftn(r3, axes=(0, 2))
ref["irfft_default"] = np.fft.irfft(np.fft.rfft(r2, axis=1), axis=1)
ref["fftfreq_8"], ref["fftfreq_9"] = np.fft.fftfreq(8, d=0.1), np.fft.fftfreq(9)
ref["rfftfreq_8"], ref["rfftfreq_9"] = np.fft.rfftfreq(8, d=0.1), np.fft.rfftfreq(9)
ref["fftshift_r2"], ref["ifftshift_r2"] = np.fft.fftshift(r2), np.fft.ifftshift(r2)
tr = rng.standard_normal((3, 8))
ref["trig_x"] = tr
for t in range(1, 5):
    for norm in ["backward", "ortho", "forward"]:
        ref[f"dct{t}_{norm}"] = sfft.dct(tr, type=t, norm=norm)
        ref[f"dst{t}_{norm}"] = sfft.dst(tr, type=t, norm=norm)
        ref[f"idct{t}_{norm}"] = sfft.idct(tr, type=t, norm=norm)
        ref[f"idst{t}_{norm}"] = sfft.idst(tr, type=t, norm=norm)
ref["dct2_axis0"] = sfft.dct(tr, type=2, axis=0)
ref["dctn2"] = sfft.dctn(tr, type=2)

np.savez("reference.npz", **ref)

# Files in layouts the NPY reader must handle.
m = np.arange(12, dtype=np.float64).reshape(3, 4) / 4
np.save("fortran_f8.npy", np.asfortranarray(m))
np.save("bigendian_i4.npy", np.arange(6, dtype=">i4").reshape(2, 3))
np.save("bigendian_c16.npy", (np.arange(4) + 1j * np.arange(4)[::-1]).astype(">c16"))
np.save("bool.npy", np.array([[True, False], [False, True]]))
np.save("uint8.npy", np.arange(250, 256, dtype=np.uint8))
np.save("scalar_f4.npy", np.float32(2.5))
np.savez_compressed("compressed.npz", a=m, b=np.arange(5, dtype=np.int64), c=np.array(1.5 + 2j))

# Higher-order derivatives in closed form (SymPy), for the differentiation tests.
import sympy as sym

xs = sym.symbols("x")
points = np.array([-0.7, 0.3, 1.1])
closed = {}
for name, expr in [("sin", sym.sin(xs)), ("exp", sym.exp(xs)), ("tanh", sym.tanh(xs)), ("log1p", sym.log(1 + xs)),
                   ("pow5", xs ** 5), ("pow2_5", (xs + 2) ** sym.Rational(5, 2))]:
    table = np.zeros((6, len(points)))
    for n in range(1, 7):
        d = sym.diff(expr, xs, n)
        table[n - 1] = [float(d.subs(xs, p)) for p in points]
    closed["deriv_" + name] = table
closed["deriv_points"] = points
x, y, z = sym.symbols("x y z")
mixed = sym.sin(x * y) * sym.exp(z) + x ** 2 * y * z ** 3
closed["mixed_xyz"] = np.array(float(sym.diff(mixed, x, y, z).subs({x: 0.4, y: -0.9, z: 0.6})))
v = sym.symbols("v0:4")
rosen = sum(100 * (v[i + 1] - v[i] ** 2) ** 2 + (1 - v[i]) ** 2 for i in range(3))
at = {v[0]: 0.3, v[1]: -0.5, v[2]: 1.2, v[3]: 0.8}
closed["rosenbrock_point"] = np.array([0.3, -0.5, 1.2, 0.8])
closed["rosenbrock_hessian"] = np.array([[float(sym.diff(rosen, a, b).subs(at)) for b in v] for a in v])
np.savez("derivatives.npz", **closed)
