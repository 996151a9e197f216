"""Derives the polynomial coefficients used by ndjit's vector math routines.

Run with `python3 ir/src/math/fit_coefficients.py` (needs `mpmath`). Each
fit is a near-minimax Chebyshev fit (mpmath.chebyfit, 60-digit arithmetic) of
the *tail* of a function's series, so the leading terms stay exact and the
fitted part only contributes a small correction. The printed error is the
largest absolute error of the tail polynomial with its coefficients rounded
to f64, over 20001 points of the interval; the routines' doc comments quote
what this means for their results. erf's polynomials are instead weighted
minimax fits that account for the rounding of their coefficients
(`weighted_fit`): the erfc one's error matters in proportion to a weight that
falls by 10^14 across its interval, and both are fitted to a small fraction
of an ulp.
"""

import math

from mpmath import mp, mpf, chebyfit, sqrt, sin, cos, atan, asin, atanh, exp, log, pi, polyval, erf, erfc, matrix, qr_solve

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


def lawson(nodes, values, weights, degree, fixed, center, half, rounds=12):
    """The coefficients (of powers of x - center) not in `fixed` of the
    polynomial of `degree` minimizing max |weight·(p - f)| over the nodes:
    Lawson's iteratively reweighted least squares, in the scaled variable
    (x - center) / half for conditioning."""
    free = [j for j in range(degree + 1) if j not in fixed]
    rest = [v - sum(c * (x - center) ** j for j, c in fixed.items()) for x, v in zip(nodes, values)]
    lawson_weights = [mpf(1) / len(nodes)] * len(nodes)
    for _ in range(rounds):
        A = matrix(len(nodes), len(free))
        y = matrix(len(nodes), 1)
        for i, x in enumerate(nodes):
            s = sqrt(lawson_weights[i]) * weights[i]
            for column, j in enumerate(free):
                A[i, column] = s * ((x - center) / half) ** j
            y[i] = s * rest[i]
        solution, _ = qr_solve(A, y)
        errors = [
            abs(sum(solution[column] * ((x - center) / half) ** j for column, j in enumerate(free)) - rest[i]) * weights[i]
            for i, x in enumerate(nodes)
        ]
        total = sum(w * e for w, e in zip(lawson_weights, errors))
        lawson_weights = [w * e / total for w, e in zip(lawson_weights, errors)]
    return {j: solution[column] / half**j for column, j in enumerate(free)}


def weighted_fit(name, f, weight, a, b, degree, center=0, points=150):
    """Fits f on [a, b] minimizing max |weight·(p - f)|, p a polynomial in
    x - center (the center rounded to f64, so the routine's variable is the
    fitted one). Rounding-aware: the coefficients are rounded to f64 one at a
    time from degree 1 up, the rest refitted after each, so later ones absorb
    the earlier roundings; the constant term, fitted last, is printed as
    hi + lo. Prints the coefficients, constant term first, and the largest
    weighted error with them (hi + lo for the constant) over 20001 points."""
    a, b, center = mpf(a), mpf(b), mpf(float(center))
    half = (b - a) / 2
    nodes = [(a + b) / 2 + half * cos(pi * (i + mpf(1) / 2) / points) for i in range(points)]
    values = [f(x) for x in nodes]
    weights = [weight(x) for x in nodes]
    fixed = {}
    for j in range(1, degree + 1):
        fixed[j] = mpf(float(lawson(nodes, values, weights, degree, fixed, center, half)[j]))
    constant = lawson(nodes, values, weights, degree, fixed, center, half)[0]
    hi = float(constant)
    lo = float(constant - mpf(hi))
    coefficients = [mpf(hi) + mpf(lo)] + [fixed[j] for j in range(1, degree + 1)]
    worst = mpf(0)
    for i in range(20001):
        x = a + (b - a) * i / 20000
        worst = max(worst, abs(polyval(coefficients[::-1], x - center) - f(x)) * weight(x))
    print(f"// {name}: degree {degree} on [{float(a):.6g}, {float(b):.6g}] centered at {float(center)!r}, max weighted error {float(worst):.3g}")
    print("[" + ", ".join(repr(float(c)) for c in [hi] + coefficients[1:]) + "]")
    print(f"// constant term = {hi!r} + {lo!r}")


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

# erf: erf(x) = x + x Q(z), z = x^2, |x| <= 7/8. Weighted by 2^53: the error
# of x Q relative to erf(x) ~ 1.13 x, in ulps (within a factor 2).
weighted_fit("erf Q(z) = erf(x)/x - 1", limit(lambda z: erf(sqrt(z)) / sqrt(z) - 1, 2 / sqrt(pi) - 1), lambda z: 2**53, 0, (mpf(7) / 8) ** 2, 11)
# erfc(x) = e^(-x^2) R(t) for 7/8 <= x <= 6, t = 3/(3+x), R a polynomial in
# t - center. Weighted by e^(-x^2) 2^53, the error is in ulps of erf = 1 - erfc.
x_of = lambda t: 3 / t - 3
t_lo, t_hi = mpf(3) / 9, mpf(3) / (3 + mpf(7) / 8)
weighted_fit(
    "erfc R(t) = e^(x^2) erfc(x), t = 3/(3+x)",
    lambda t: exp(x_of(t) ** 2) * erfc(x_of(t)),
    lambda t: exp(-x_of(t) ** 2) * 2**53,
    t_lo,
    t_hi,
    12,
    (t_lo + t_hi) / 2,
)

split("ln2", ln2, 42)
split3("pi/2", pi / 2)
for name, value in [("ln2", ln2), ("1/ln2", 1 / ln2), ("pi/4", pi / 4), ("pi/2", pi / 2), ("pi", pi), ("2/3", mpf(2) / 3), ("tan(pi/8)", sqrt(2) - 1)]:
    print(f"// {name} = {float(value)!r} + {float(value - mpf(float(value)))!r}")
