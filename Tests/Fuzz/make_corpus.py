#!/usr/bin/env python3
"""Writes the seed corpus of the NPY and NPZ fuzz harnesses with NumPy: small valid files of every
dtype, byte order, memory order and format version the reader supports, and archives stored and
deflated. Run from the repository root: python3 Tests/Fuzz/make_corpus.py"""
import io
import os
import zipfile

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
npy_dir, npz_dir = os.path.join(here, "corpus", "npy"), os.path.join(here, "corpus", "npz")
os.makedirs(npy_dir, exist_ok=True)
os.makedirs(npz_dir, exist_ok=True)
rng = np.random.default_rng(0)

arrays = {
    "f8": rng.standard_normal((2, 3)),
    "f4": rng.standard_normal(4).astype("<f4"),
    "be_f8": rng.standard_normal(3).astype(">f8"),
    "i4": np.arange(5, dtype="<i4"),
    "be_i8": np.arange(3, dtype=">i8"),
    "c16": (rng.standard_normal(2) + 1j * rng.standard_normal(2)).astype("<c16"),
    "be_c8": (rng.standard_normal(2) + 1j).astype(">c8"),
    "b1": np.array([True, False, True]),
    "u1": np.arange(4, dtype="u1"),
    "i2": np.arange(-2, 2, dtype="<i2"),
    "u4": np.arange(3, dtype="<u4"),
    "scalar": np.float64(2.5),
    "empty": np.zeros((0, 3)),
    "fortran": np.asfortranarray(rng.standard_normal((3, 2))),
    "nonfinite": np.array([np.nan, np.inf, -np.inf, 1 + 0j]),
}
for name, a in arrays.items():
    np.save(os.path.join(npy_dir, name + ".npy"), a)
# Format versions 2.0 and 3.0 (written by hand: NumPy picks them only when it must).
for version in [(2, 0), (3, 0)]:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arrays["f8"], version=version)
    with open(os.path.join(npy_dir, "version%d.npy" % version[0]), "wb") as f:
        f.write(buf.getvalue())

small = {k: arrays[k] for k in ["f8", "i4", "c16", "b1"]}
np.savez(os.path.join(npz_dir, "stored.npz"), **small)
np.savez_compressed(os.path.join(npz_dir, "deflated.npz"), **small)
np.savez(os.path.join(npz_dir, "one.npz"), x=arrays["scalar"])
with zipfile.ZipFile(os.path.join(npz_dir, "unicode.npz"), "w") as z:
    buf = io.BytesIO()
    np.save(buf, arrays["f4"])
    z.writestr("ünïcode.npy", buf.getvalue())
