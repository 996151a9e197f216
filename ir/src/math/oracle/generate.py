"""Writes the correctly rounded reference values that `oracle_tests.rs`
measures the vector math routines against: an oracle independent of the C
library.

Run with `python3 ir/src/math/oracle/generate.py` (needs `mpmath` and
`numpy`; about a minute). Every value is computed by mpmath at 200 bits
(mpmath raises its working precision by the argument's exponent for trig
reduction) and rounded once to f64.

For each routine and dtype, one file `<routine>_<dtype>.bin` of
little-endian f64 records, with no header:

- unary f64: `x, hi, lo` — hi the exact value rounded to f64, lo the
  rest rounded to f64 (so errors below an ulp are measured exactly);
- unary f32: `x, value` — x an f32 widened to f64, value the exact
  result rounded to f64 (2^-29 ulp of f32 from exact);
- binary (pow(x, y), atan2(y, x)): the two operands first, then as above.

The points: log-uniform and uniform samples over each routine's domain
(fixed seed), the routine's hard cases (overflow and underflow thresholds,
near 1 for the logs, near ±1 for asin/acos, subnormals, pow's huge and tiny
exponents and negative bases, for trig the doubles nearest to multiples of
π/2 in every binade and the hardest-to-reduce double), and the IEEE special
values with C99's results.
"""

import math
import os
import struct
import sys

import numpy as np
from mpmath import mp, mpf, mpc, inf as mp_inf, floor, nint, pi

mp.prec = 200
HERE = os.path.dirname(os.path.abspath(__file__))
RANDOM = 2400  # sampled points per routine and dtype
rng = np.random.default_rng(20261204)

F64 = dict(mant=53, emin=-1074, emax=1024, tiny=5e-324, big=1.7976931348623157e308)
F32 = dict(mant=24, emin=-149, emax=128, tiny=1.401298464324817e-45, big=3.4028234663852886e38)


def round_to(v, mant=53, emin=-1074, emax=1024):
    """The mpf v rounded to nearest-even with `mant` bits, exponent of the
    last place >= emin, as a Python float (±inf on overflow)."""
    if isinstance(v, float):
        return v
    if v != v:
        return math.nan
    if v in (mp_inf, -mp_inf):
        return math.copysign(math.inf, v)
    sign, man, exp, bc = v._mpf_
    if not man:
        return -0.0 if sign else 0.0
    if exp + bc < emin:  # below half the smallest subnormal
        return -0.0 if sign else 0.0
    ulp = max(exp + bc - mant, emin)
    if exp >= ulp:
        n = man << (exp - ulp)
    else:
        shift = ulp - exp
        n, rest = man >> shift, man & ((1 << shift) - 1)
        half = 1 << (shift - 1)
        if rest > half or (rest == half and n & 1):
            n += 1
    if n.bit_length() + ulp > emax:
        return -math.inf if sign else math.inf
    r = math.ldexp(n, ulp)
    return -r if sign else r


def split(v):
    """(hi, lo) of an exact mpf value, or of a float special result."""
    if isinstance(v, float):
        return v, 0.0
    hi = round_to(v)
    if math.isinf(hi) or math.isnan(hi):
        return hi, 0.0
    return hi, round_to(v - mpf(hi))


def real(f):
    """f, with complex results (outside the real domain) as NaN."""

    def g(*args):
        try:
            v = f(*args)
        except (ValueError, ZeroDivisionError):
            return math.nan
        if isinstance(v, mpc):
            return math.nan if v.imag != 0 else v.real
        return v

    return g


def odd_at_zero(f):
    """f, keeping the sign of a zero argument (f(±0) = ±0)."""
    return lambda x: x if x == 0 else f(x)


def unary(f, at_inf, at_minus_inf):
    """f on finite floats, the given results at ±inf, NaN for NaN."""
    g = real(f)

    def h(x):
        if math.isnan(x):
            return math.nan
        if x == math.inf:
            return at_inf
        if x == -math.inf:
            return at_minus_inf
        return g(mpf(x))

    return h


NAN = math.nan
ROUTINES = {
    "exp": unary(mp.exp, math.inf, 0.0),
    "expm1": odd_at_zero(unary(mp.expm1, math.inf, -1.0)),
    "exp2": unary(lambda x: mp.power(2, x), math.inf, 0.0),
    "log": unary(mp.log, math.inf, NAN),
    "log1p": odd_at_zero(unary(lambda x: mp.log1p(x) if x > -1 else (-mp_inf if x == -1 else mpc(0, 1)), math.inf, NAN)),
    "log2": unary(lambda x: mp.log(x, 2) if x != 0 else -mp_inf, math.inf, NAN),
    "sin": odd_at_zero(unary(mp.sin, NAN, NAN)),
    "cos": unary(mp.cos, NAN, NAN),
    "tan": odd_at_zero(unary(mp.tan, NAN, NAN)),
    "tanh": odd_at_zero(unary(mp.tanh, 1.0, -1.0)),
    "sinh": odd_at_zero(unary(mp.sinh, math.inf, -math.inf)),
    "cosh": unary(mp.cosh, math.inf, math.inf),
    "atan": odd_at_zero(unary(mp.atan, mp.pi / 2, -mp.pi / 2)),
    "asin": odd_at_zero(unary(mp.asin, NAN, NAN)),
    "acos": unary(mp.acos, NAN, NAN),
    "erf": odd_at_zero(unary(mp.erf, 1.0, -1.0)),
}


def is_odd_integer(y):
    return math.isfinite(y) and y == math.floor(y) and abs(y) < 2**53 and int(y) % 2 == 1


def pow_reference(x, y):
    """C99 pow, special cases included."""
    if y == 0 or x == 1:
        return 1.0
    if math.isnan(x) or math.isnan(y):
        return NAN
    if x == 0:
        if y < 0:
            return math.copysign(math.inf, x) if is_odd_integer(y) else math.inf
        return x if is_odd_integer(y) else 0.0
    if x == -1 and math.isinf(y):
        return 1.0
    if math.isinf(y):
        below = abs(x) < 1
        return (math.inf if below else 0.0) if y < 0 else (0.0 if below else math.inf)
    if math.isinf(x):
        if x < 0:
            if y < 0:
                return -0.0 if is_odd_integer(y) else 0.0
            return -math.inf if is_odd_integer(y) else math.inf
        return 0.0 if y < 0 else math.inf
    if x < 0 and y != math.floor(y):
        return NAN
    magnitude = mp.power(mpf(abs(x)), mpf(y))
    return -magnitude if x < 0 and is_odd_integer(y) else magnitude


def atan2_reference(y, x):
    """C99 atan2, special cases included."""
    if math.isnan(x) or math.isnan(y):
        return NAN
    negative_x = math.copysign(1.0, x) < 0
    if y == 0:
        return math.copysign(1.0, y) * mp.pi if negative_x else math.copysign(0.0, y)
    if math.isinf(y):
        if math.isinf(x):
            return math.copysign(1.0, y) * (3 * mp.pi / 4 if x < 0 else mp.pi / 4)
        return math.copysign(1.0, y) * mp.pi / 2
    if x == 0:
        return math.copysign(1.0, y) * mp.pi / 2
    if math.isinf(x):
        return math.copysign(1.0, y) * mp.pi if x < 0 else math.copysign(0.0, y)
    return mp.atan2(mpf(y), mpf(x))


BINARY = {"pow": pow_reference, "atan2": atan2_reference}


# --- sampling ---------------------------------------------------------------


def log_uniform(lo, hi, n, signed=True):
    m = np.exp(rng.uniform(math.log(lo), math.log(hi), n))
    if signed:
        m *= rng.choice([-1.0, 1.0], n)
    return list(m)


def uniform(lo, hi, n):
    return list(rng.uniform(lo, hi, n))


def near(at, spread, n):
    return list(at * (1 + spread * rng.uniform(-1, 1, n)))


def sample(pieces, n):
    """n points spread evenly over the pieces: (kind, *args)."""
    out = []
    for i, (kind, *args) in enumerate(pieces):
        count = n * (i + 1) // len(pieces) - n * i // len(pieces)
        out += {"log": log_uniform, "uniform": uniform, "near": near,
                "logpos": lambda lo, hi, c: log_uniform(lo, hi, c, False)}[kind](*args, count)
    return out


def neighbours(x, k=2, dtype=F64):
    """x rounded to the dtype and its k neighbours each side."""
    if dtype is F32:
        v = np.float32(x)
        out = [v]
        a = b = v
        for _ in range(k):
            a, b = np.nextafter(a, np.float32(-np.inf)), np.nextafter(b, np.float32(np.inf))
            out += [a, b]
        return [float(t) for t in out]
    out = [x]
    a = b = x
    for _ in range(k):
        a, b = math.nextafter(a, -math.inf), math.nextafter(b, math.inf)
        out += [a, b]
    return out


def hardest_near_multiples(step, mant, emax):
    """In each binade [2^e, 2^(e+1)), 0 <= e < emax, the doubles (of `mant`
    bits) closest to a multiple of `step`: candidates from the continued
    fraction of 2^(e-mant+1)/step, where ||M·α|| is small."""
    out = []
    with mp.workprec(emax + 3 * mant + 100):
        inverse = 1 / step
        for e in range(0, emax):
            ulp = mpf(2) ** (e - mant + 1)
            alpha = ulp * inverse
            frac = alpha - floor(alpha)
            lo, hi = 2 ** (mant - 1), 2**mant
            # Convergent denominators of frac, and semiconvergents.
            q_prev, q = 0, 1
            t = frac
            candidates = set()
            for _ in range(200):
                if t == 0:
                    break
                t = 1 / t
                a = int(floor(t))
                t -= a
                # Semiconvergents q_prev + j·q get closer as j grows: the
                # largest j that stays in range.
                j = min(a, (hi - 1 - q_prev) // q)
                if j >= 1 and q_prev + j * q >= lo:
                    candidates.add(q_prev + j * q)
                q_prev, q = q, q_prev + a * q
                if q >= hi:
                    break
                # The first multiple of a convergent in range.
                candidates.add(q if q >= lo else -(-lo // q) * q)
            scored = []
            for m in candidates:
                v = m * alpha
                scored.append((abs(v - nint(v)), m))
            scored.sort()
            for _, m in scored[:2]:
                out.append(float(mpf(m) * ulp))
    return out


def trig_hard(dtype):
    mant = dtype["mant"]
    emax = 1024 if dtype is F64 else 128
    xs = hardest_near_multiples(mp.pi / 2, mant, emax)
    xs += [-x for x in xs[::7]]
    # k·π/2 for small k, rounded, with neighbours.
    for k in list(range(1, 40)) + [100, 1000, 10**4, 10**5, 667544, 10**6]:
        xs += neighbours(float(k * mp.pi / 2), 1, dtype)
    xs += [2.0**20, -(2.0**20), math.nextafter(2.0**20, math.inf), 1e22, 3.4e38]
    if dtype is F64:
        xs += [6381956970095103 * 2.0**797, float.fromhex("0x1.7512069b7430dp+48"), 1e300, 1.7976931348623157e308]
    return xs


def specials(dtype):
    return [0.0, -0.0, math.inf, -math.inf, math.nan, dtype["tiny"], -dtype["tiny"],
            1e-310 if dtype is F64 else 1e-40, 2.2250738585072014e-308 if dtype is F64 else 1.1754943508222875e-38,
            dtype["big"], -dtype["big"], 1.0, -1.0, 0.5, -0.5, 2.0, -2.0]


def unary_points(name, dtype):
    """(pieces, hard cases) of a unary routine for a dtype."""
    d64 = dtype is F64
    big = dtype["big"]
    tiny = dtype["tiny"]
    # Thresholds of the dtype: e^x overflows/underflows, sinh/cosh overflow.
    over = math.log(big)
    under = math.log(tiny)
    if name == "exp":
        pieces = [("log", 1e-300 if d64 else 1e-40, 800.0), ("uniform", under - 1, over + 1), ("uniform", -1.0, 1.0)]
        hard = neighbours(over, 3, dtype) + neighbours(under, 3, dtype) + neighbours(math.log(2.2250738585072014e-308 if d64 else 1.1754943508222875e-38), 2, dtype)
        hard += [k * math.log(2) for k in range(-60, 61)] + [1e-300, -1e-300, 1e-20, -1e-20]
    elif name == "expm1":
        pieces = [("log", 1e-300 if d64 else 1e-40, 800.0), ("log", 1e-10, 1.0), ("uniform", -40.0, over), ("uniform", -1.0, 1.0)]
        hard = neighbours(over, 3, dtype) + [-37.5, -38.0, -17.4, -17.3, 1e-300, -1e-300, 1e-310, math.log(0.5), math.log(2), -1e-8, 1e-8]
    elif name == "exp2":
        pieces = [("log", 1e-300 if d64 else 1e-40, 1100.0), ("uniform", -1075.0 if d64 else -150.0, 1024.0 if d64 else 128.0), ("uniform", -1.0, 1.0)]
        lim = 1024.0 if d64 else 128.0
        sub = -1074.0 if d64 else -149.0
        hard = neighbours(lim, 3, dtype) + neighbours(sub, 3, dtype) + neighbours(sub - 1, 2, dtype) + [k + 0.5 for k in range(-40, 40)] + [float(k) for k in range(-30, 30)]
    elif name in ("log", "log2"):
        pieces = [("logpos", tiny * 2, big), ("uniform", 0.5, 2.0), ("near", 1.0, 1e-6), ("logpos", 1e-10, 1e10)]
        hard = neighbours(1.0, 8, dtype) + [2.0**k for k in range(-60, 60)] + neighbours(math.sqrt(0.5), 2, dtype) + neighbours(math.sqrt(2), 2, dtype)
        hard += [tiny, tiny * 3, -1.0, -tiny, 1e-310 if d64 else 1e-40, big]
    elif name == "log1p":
        pieces = [("logpos", tiny * 2, big), ("log", 1e-300 if d64 else 1e-40, 1.0), ("uniform", -1.0, 1.0), ("near", -1.0, 1e-10 if d64 else 1e-6)]
        hard = neighbours(-1.0, 4, dtype)[1:] + [-1.0, -1.5, 1e-310, -1e-310, math.sqrt(2) - 1, math.sqrt(0.5) - 1] + neighbours(-0.2928932188134524, 2, dtype) + neighbours(0.41421356237309503, 2, dtype)
    elif name in ("sin", "cos", "tan"):
        pieces = [("log", 1e-300 if d64 else 1e-40, big), ("log", 1e-3, 1048576.0), ("uniform", -10.0, 10.0), ("uniform", -1048576.0, 1048576.0)]
        hard = trig_hard(dtype)
    elif name in ("sinh", "cosh"):
        lim = math.log(big) + math.log(2)
        pieces = [("log", 1e-300 if d64 else 1e-40, 800.0), ("uniform", -3.0, 3.0), ("near", lim, 1e-4), ("uniform", -30.0, 30.0)]
        hard = neighbours(lim, 3, dtype) + neighbours(1.0, 3, dtype) + neighbours(-1.0, 2, dtype) + [1e-300, 1e-8, 0.5, 20.0, 37.0, -40.0]
    elif name == "tanh":
        pieces = [("log", 1e-300 if d64 else 1e-40, 1e3), ("uniform", -3.0, 3.0), ("uniform", -25.0, 25.0), ("near", 1.0, 1e-3)]
        hard = neighbours(1.0, 3, dtype) + neighbours(-0.5262, 2, dtype) + [19.06, 19.07, 19.1, 9.01, 1e-300, 1e-8, 22.0]
    elif name == "atan":
        pieces = [("log", 1e-300 if d64 else 1e-40, big), ("uniform", -3.0, 3.0), ("near", 0.41421356237309503, 1e-3), ("near", 1.0, 1e-3)]
        hard = neighbours(0.41421356237309503, 3, dtype) + neighbours(1.0, 3, dtype) + neighbours(2.414213562373095, 2, dtype) + [1e-300, 1e300, 1e-8, 1e8, 2.0**60]
    elif name in ("asin", "acos"):
        pieces = [("log", 1e-300 if d64 else 1e-40, 1.0), ("uniform", -1.0, 1.0), ("near", 0.5, 1e-3), ("near", 1.0, 1e-6), ("near", -1.0, 1e-6)]
        hard = neighbours(1.0, 6, dtype) + neighbours(-1.0, 6, dtype) + neighbours(0.5, 3, dtype) + neighbours(-0.5, 3, dtype) + [1e-300, 1e-8, 1.5, -2.0, 1e-310]
    elif name == "erf":
        pieces = [("log", tiny, 1e-5), ("log", 1e-5, 30.0), ("uniform", -1.5, 1.5), ("near", 0.875, 0.05), ("uniform", -6.5, 6.5), ("log", 1.0, big)]
        hard = neighbours(0.875, 4, dtype) + neighbours(5.9216, 2, dtype) + neighbours(3.9, 2, dtype) + [6.0, 5.0, 1e-300, 1e-310, -1e-310, 4.0]
    else:
        raise KeyError(name)
    return pieces, hard


def binary_points(name, dtype):
    """Operand pairs of pow and atan2 for a dtype."""
    d64 = dtype is F64
    n = RANDOM // 4
    pairs = []
    big, tiny = dtype["big"], dtype["tiny"]
    if name == "pow":
        pairs += zip(log_uniform(1e-10, 1e10, n, False), uniform(-30.0, 30.0, n))
        pairs += zip(near(1.0, 1e-3, n), log_uniform(1.0, 5e5 if d64 else 5e3, n))
        limit = math.log(big)
        for x in log_uniform(1e-300 if d64 else 1e-30, 1e300 if d64 else 1e30, n, False):
            if x != 1.0:
                target = rng.choice([limit, math.log(tiny)]) + rng.uniform(-3, 3)
                pairs.append((x, target / math.log(x)))
        for x in log_uniform(1e-9, 1e9, n):
            pairs.append((-abs(x), float(round(rng.uniform(-100, 100) if d64 else rng.uniform(-20, 20)))))
        # Hard: huge and tiny exponents, subnormal results, exact powers.
        pairs += [(2.0, 1023.0), (2.0, -1074.0), (0.5, 1074.0), (2.0, 1024.0), (2.0, -1075.0), (10.0, 308.0), (10.0, -323.0),
                  (1.0000000000000002, 2.0**60), (0.9999999999999999, 2.0**61), (1.0000000000000002, 1e300), (-1.0000000000000002, 2.0**53 + 1),
                  (-2.0, 1023.0), (-2.0, -1074.0), (-0.5, 1073.0), (3.0, 0.5), (1e300, 1e-300), (tiny, 0.5), (tiny, -0.01), (-8.0, 1 / 3),
                  (big, 1.0000000001), (big, -1.0), (0.1, 320.0), (7.0, -380.0)]
    else:
        pairs += zip(log_uniform(1e-300 if d64 else 1e-40, big, n), log_uniform(1e-300 if d64 else 1e-40, big, n))
        pairs += zip(log_uniform(0.1, 10.0, n), log_uniform(0.1, 10.0, n))
        pairs += zip(uniform(-1, 1, n), uniform(-1, 1, n))
        for y in log_uniform(0.1, 10.0, n):
            pairs.append((y, y * (1 + rng.uniform(-1e-6, 1e-6)) * rng.choice([1, -1])))
        for t in (0.41421356237309503, 2.414213562373095, 1.0):
            for y in neighbours(t, 3, dtype):
                pairs += [(y, 1.0), (1.0, y), (-y, 1.0), (y, -1.0)]
        pairs += [(1e-300, 1e300), (1e300, 1e-300), (tiny, 1.0), (1.0, tiny), (tiny, -1.0), (big, big), (big, -big), (tiny, tiny)]
    operands = specials(dtype)
    pairs += [(a, b) for a in operands for b in operands]
    return pairs


def as_dtype(x, dtype):
    return float(np.float32(x)) if dtype is F32 else float(x)


def write(name, dtype_name, records):
    path = os.path.join(HERE, f"{name}_{dtype_name}.bin")
    with open(path, "wb") as f:
        for r in records:
            f.write(struct.pack(f"<{len(r)}d", *r))
    return path


def main():
    only = set(sys.argv[1:])
    total = 0
    for dtype_name, dtype in (("f64", F64), ("f32", F32)):
        for name, f in ROUTINES.items():
            if only and name not in only:
                continue
            pieces, hard = unary_points(name, dtype)
            xs = sample(pieces, RANDOM) + hard + specials(dtype)
            records = []
            with np.errstate(over="ignore", under="ignore"):
                xs = [as_dtype(x, dtype) for x in xs]
            for x in dict.fromkeys(xs):  # unique, in order (NaN kept once by identity)
                hi, lo = split(f(x))
                records.append((x, hi, lo) if dtype is F64 else (x, hi))
            total += os.path.getsize(write(name, dtype_name, records))
        for name, f in BINARY.items():
            if only and name not in only:
                continue
            records = []
            with np.errstate(over="ignore", under="ignore", invalid="ignore"):
                pairs = [(as_dtype(a, dtype), as_dtype(b, dtype)) for a, b in binary_points(name, dtype)]
            for a, b in pairs:
                hi, lo = split(f(a, b))
                records.append((a, b, hi, lo) if dtype is F64 else (a, b, hi))
            total += os.path.getsize(write(name, dtype_name, records))
    print(f"{total} bytes")


if __name__ == "__main__":
    main()
