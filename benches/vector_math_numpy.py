"""NumPy's ns/element for the routines `cargo bench --bench vector_math`
measures, on the same 4096 points (erf from scipy.special, NumPy has none).

Run with `/work/venv/bin/python benches/vector_math_numpy.py` right after
the Rust benchmark. Times are this thread's CPU time (`time.thread_time_ns`),
as in the Rust benchmark, the median of 200 batches of 20 calls.
"""

import time

import numpy as np
import scipy.special

N = 4096
DOMAINS = {
    "exp": (-20, 20), "expm1": (-20, 20), "sinh": (-20, 20), "cosh": (-20, 20),
    "exp2": (-30, 30), "log": (1e-3, 1e6), "log2": (1e-3, 1e6), "log1p": (-0.5, 100),
    "sin": (-100, 100), "cos": (-100, 100), "tan": (-100, 100),
    "asin": (-1, 1), "acos": (-1, 1), "tanh": (-5, 5), "atan": (-5, 5), "erf": (-5, 5),
}
UNARY = {
    "exp": np.exp, "expm1": np.expm1, "exp2": np.exp2, "log": np.log, "log1p": np.log1p,
    "log2": np.log2, "sin": np.sin, "cos": np.cos, "tan": np.tan, "tanh": np.tanh,
    "sinh": np.sinh, "cosh": np.cosh, "atan": np.arctan, "asin": np.arcsin, "acos": np.arccos,
    "erf": scipy.special.erf,
}


def points(lo, hi):
    return lo + (hi - lo) * (np.arange(N) + 0.5) / N


def ns_per_element(call):
    samples = []
    for _ in range(200):
        start = time.thread_time_ns()
        for _ in range(20):
            call()
        samples.append((time.thread_time_ns() - start) / (20 * N))
    return float(np.median(samples))


def main():
    print(f"numpy {np.__version__}, scipy {scipy.__version__}; ns/element (thread CPU time)")
    print(f"{'routine':8} {'f64':>8} {'f32':>8}")
    for name, f in UNARY.items():
        row = []
        for dtype in (np.float64, np.float32):
            x = points(*DOMAINS[name]).astype(dtype)
            out = np.empty_like(x)
            row.append(ns_per_element(lambda: f(x, out=out)))
        print(f"{name:8} {row[0]:8.2f} {row[1]:8.2f}")
    a = points(0.01, 10.0)
    b = points(-20.0, 20.0)[::-1].copy()
    for name, f in (("pow", np.power), ("atan2", np.arctan2)):
        row = []
        for dtype in (np.float64, np.float32):
            u, v = a.astype(dtype), b.astype(dtype)
            out = np.empty_like(u)
            row.append(ns_per_element(lambda: f(u, v, out=out)))
        print(f"{name:8} {row[0]:8.2f} {row[1]:8.2f}")
    # E3 on 10^6 f64 elements in [0, 1), as the Rust benchmark's E3 group.
    a, b, c = (np.random.default_rng(k).random(10**6) for k in range(3))
    start = time.thread_time_ns()
    for _ in range(20):
        np.exp(-a * a) * np.sin(b) + np.cos(c)
    print(f"E3 exp(-a*a)*sin(b) + cos(c), 1e6 f64: {(time.thread_time_ns() - start) / (20 * 10**6):.2f} ns/element")


if __name__ == "__main__":
    main()
