"""Prints the table of erf values that checks the tests' double-double erf
(`erf_reference.rs`, beside this file, holds the output as `MPMATH_ERF`).

Run with `python3 ir/src/math/erf_reference_values.py` (needs `mpmath`).
Each row is `(x, hi, lo)`: x an f64, and erf(x) to 50 digits split as
hi + lo, hi the f64 nearest to it and lo the f64 nearest to the rest.
"""

from mpmath import mp, mpf, erf

mp.dps = 50

# Both series regimes of the reference and the switch between them (4),
# where erf saturates, tiny arguments, and a few irrational-looking ones.
xs = [i / 8 for i in range(1, 81)]
xs += [10.0**-e for e in (1, 2, 3, 5, 8, 12, 17)]
xs += [0.1 * i + 0.01 for i in range(1, 60, 7)]
xs += [3.999, 4.001, 5.921, -0.3, -1.7, -4.5]

print("const MPMATH_ERF: [(f64, f64, f64); %d] = [" % len(xs))
for x in xs:
    value = erf(mpf(x))
    hi = float(value)
    lo = float(value - mpf(hi))
    print(f"    ({x!r}, {hi!r}, {lo!r}),")
print("];")
