"""Derives the polynomial coefficients used by ndjit's vector math routines.

Run with `python3 ir/src/math/fit_coefficients.py` (needs `mpmath`). Each
fit is a near-minimax Chebyshev fit (mpmath.chebyfit, 60-digit arithmetic) of
the *tail* of a function's series, so the leading terms stay exact and the
fitted part only contributes a small correction. The printed error is the
largest absolute error of the tail polynomial with its coefficients rounded
to f64, over 20001 points of the interval; the routines' doc comments quote
what this means for their results.
"""

import math

from mpmath import mp, mpf, chebyfit, sqrt, sin, cos, atan, asin, atanh, exp, log, pi, polyval

mp.dps = 60


def fit(name, f, a, b, degree):
    """Fits f on [a, b], prints the f64 coefficients (constant term first)."""
    coefficients, _ = chebyfit(f, [mpf(a), mpf(b)], degree + 1, error=True)
    rounded = [mpf(float(c)) for c in coefficients]  # highest degree first
    worst = mpf(0)
    for i in range(20001):
        x = mpf(a) + (mpf(b) - mpf(a)) * i / 20000
        worst = max(worst, abs(polyval(rounded, x) - f(x)))
    print(f"// {name}: degree {degree} on [{float(a):.6g}, {float(b):.6g}], max error {float(worst):.3g}")
    print("[" + ", ".join(repr(float(c)) for c in reversed(coefficients)) + "]")


def limit(f, at_zero):
    """f with its removable singularity at 0 filled in."""
    return lambda x: at_zero if x == 0 else f(x)


def split(name, value, bits):
    """value as hi + lo, hi keeping `bits` significant bits (so small multiples of hi are exact)."""
    hi = float(value)
    m, e = math.frexp(hi)
    hi = math.ldexp(round(m * 2**bits) / 2**bits, e)
    lo = float(value - mpf(hi))
    print(f"// {name} = hi + lo, hi with {bits} bits: {hi!r}, {lo!r}")


def split3(name, value):
    """value as three f64 parts, each the rounding of what is left."""
    parts = []
    rest = value
    for _ in range(3):
        p = float(rest)
        parts.append(p)
        rest -= mpf(p)
    print(f"// {name} in three parts: {', '.join(repr(p) for p in parts)}")


ln2 = log(2)
# exp: e^r = 1 + r + r^2 Q(r) on |r| <= ln2/2.
fit("exp Q(r) = (e^r - 1 - r) / r^2", limit(lambda r: (exp(r) - 1 - r) / r**2, mpf(1) / 2), -ln2 / 2, ln2 / 2, 10)
# log: ln((1+s)/(1-s)) = 2s + s z R(z), z = s^2, |s| <= (sqrt2-1)/(sqrt2+1).
smax = (sqrt(2) - 1) / (sqrt(2) + 1)
fit("log R(z) = (2 atanh(s)/s - 2) / z", limit(lambda z: (2 * atanh(sqrt(z)) / sqrt(z) - 2) / z, mpf(2) / 3), 0, smax**2, 7)
# sin: sin r = r + r z S(z); cos: cos r = 1 - z/2 + z^2 C(z); z = r^2, |r| <= pi/4.
fit("sin S(z) = (sin(r)/r - 1) / z", limit(lambda z: (sin(sqrt(z)) / sqrt(z) - 1) / z, -mpf(1) / 6), 0, (pi / 4) ** 2, 6)
fit("cos C(z) = (cos(r) - 1 + z/2) / z^2", limit(lambda z: (cos(sqrt(z)) - 1 + z / 2) / z**2, mpf(1) / 24), 0, (pi / 4) ** 2, 5)
# atan: atan t = t + t z A(z), |t| <= tan(pi/8).
fit("atan A(z) = (atan(t)/t - 1) / z", limit(lambda z: (atan(sqrt(z)) / sqrt(z) - 1) / z, -mpf(1) / 3), 0, (sqrt(2) - 1) ** 2, 10)
# asin: asin t = t + t z P(z), |t| <= 1/2.
fit("asin P(z) = (asin(t)/t - 1) / z", limit(lambda z: (asin(sqrt(z)) / sqrt(z) - 1) / z, mpf(1) / 6), 0, mpf(1) / 4, 14)

split("ln2", ln2, 42)
split3("pi/2", pi / 2)
for name, value in [("ln2", ln2), ("1/ln2", 1 / ln2), ("pi/4", pi / 4), ("pi/2", pi / 2), ("pi", pi), ("2/3", mpf(2) / 3), ("tan(pi/8)", sqrt(2) - 1)]:
    print(f"// {name} = {float(value)!r} + {float(value - mpf(float(value)))!r}")
