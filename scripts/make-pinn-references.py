#!/usr/bin/env python3
"""Reference values for FluxionPINN's tests, made with SciPy (run once; the output is committed).

    python3 scripts/make-pinn-references.py > Tests/FluxionPINNTests/Reference/sobol.json
"""
import json
from scipy.stats import qmc

# The unscrambled Sobol sequence (Joe–Kuo direction numbers) in 21 dimensions, first 256 points.
points = qmc.Sobol(d=21, scramble=False).random(256)
print(json.dumps({"sobol21": points.tolist()}))
