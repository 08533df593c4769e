#!/usr/bin/env python3
"""Fits the polynomial of Sources/CVectorMath/vector_tanh.c: expm1(r) = r + r²/2 + r³·Q(r) on
|r| ≤ ln2/2, Q of degree 9 (a near-minimax Chebyshev fit in 60-digit arithmetic), and prints Q's
coefficients (lowest degree first) as C literals with the fit's largest relative error of expm1.

    python3 scripts/fit-expm1-polynomial.py
"""
import mpmath

mpmath.mp.dps = 60
half_ln2 = mpmath.log(2) / 2


def q(r):
    """(expm1(r) - r - r²/2) / r³, continued at 0 by its limit 1/6."""
    if abs(r) < mpmath.mpf("1e-20"):
        return mpmath.mpf(1) / 6 + r / 24
    return (mpmath.expm1(r) - r - r * r / 2) / r**3


coefficients, _ = mpmath.chebyfit(q, [-half_ln2, half_ln2], 10, error=True)
coefficients = [float(c) for c in reversed(coefficients)]  # chebyfit gives the highest degree first


def worst_relative_error(samples=20001):
    worst = mpmath.mpf(0)
    for i in range(samples):
        r = -half_ln2 + 2 * half_ln2 * i / (samples - 1)
        if r == 0:
            continue
        approximation = r + r * r / 2 + r**3 * mpmath.polyval(list(reversed([mpmath.mpf(c) for c in coefficients])), r)
        worst = max(worst, abs(approximation / mpmath.expm1(r) - 1))
    return worst


for degree, c in enumerate(coefficients):
    print(f"    {c!r},  // r^{degree + 3}")
print(f"worst relative error of expm1 on |r| <= ln2/2: {float(worst_relative_error()):.3g}")
