"""SciPy's side of benches/integrate.rs, measured in the same run.

    python benches/integrate_scipy.py            # SciPy timings, then `cargo bench --bench integrate`, side by side
    python benches/integrate_scipy.py --no-cargo # SciPy timings only
    python benches/integrate_scipy.py --counts   # SciPy's neval/last and nfev on the problems tests/integrate_*.rs use

Needs numpy and scipy (the project's venv has them); nothing in the build or
the tests depends on this script.
"""
import argparse
import glob
import json
import math
import os
import subprocess
import sys
import time
import timeit
import warnings

import numpy as np
import scipy
from scipy import integrate

MU = 0.012277471
NU = 1 - MU
Y0 = [0.994, 0.0, 0.0, -2.00158510637908252240537862224]
PERIOD = 17.0652165601579625588917206249


def arenstorf(t, y):
    x, yy, vx, vy = y
    d1 = ((x + MU) ** 2 + yy ** 2) ** 1.5
    d2 = ((x - NU) ** 2 + yy ** 2) ** 1.5
    return [vx, vy, x + 2 * vy - NU * (x + MU) / d1 - MU * (x - NU) / d2,
            yy - 2 * vx - NU * yy / d1 - MU * yy / d2]


def median_seconds(f, budget=2.0):
    f()
    number = max(1, int(0.05 / max(timeit.timeit(f, number=1), 1e-7)))
    runs = []
    start = time.perf_counter()
    while time.perf_counter() - start < budget or len(runs) < 5:
        runs.append(timeit.timeit(f, number=number) / number)
    return float(np.median(runs))


CASES = [
    # (criterion function id, label, SciPy call)
    ("exp 0..1 (array, 21 evals)", "quad exp(x) on [0, 1]",
     lambda: integrate.quad(math.exp, 0.0, 1.0)),
    ("x^-1/2 0..1 (array, 231 evals)", "quad x^-1/2 on [0, 1]",
     lambda: integrate.quad(lambda x: x ** -0.5, 0.0, 1.0)),
    ("arenstorf DOP853 rtol 1e-10 (array)", "Arenstorf, DOP853, rtol = atol = 1e-10",
     lambda: integrate.solve_ivp(arenstorf, (0.0, PERIOD), Y0, method="DOP853", rtol=1e-10, atol=1e-10)),
]


def criterion_medians(root):
    """function id -> median ns, from criterion's files."""
    out = {}
    for path in glob.glob(os.path.join(root, "target", "criterion", "**", "new", "benchmark.json"),
                          recursive=True):
        with open(path) as fh:
            bench = json.load(fh)
        if not bench.get("group_id", "").startswith("integrate/"):
            continue
        with open(os.path.join(os.path.dirname(path), "estimates.json")) as fh:
            estimates = json.load(fh)
        out[bench["function_id"]] = estimates["median"]["point_estimate"]
    return out


def counts():
    warnings.simplefilter("ignore")
    print("quad (defaults): integral | value | abserr | neval | last")
    quads = [
        ("x^-1/2 [0,1]", lambda x: x ** -0.5, 0, 1, {}),
        ("log x [0,1]", lambda x: math.log(x), 0, 1, {}),
        ("x^-1/2 log x [0,1]", lambda x: x ** -0.5 * math.log(x), 0, 1, {}),
        ("exp(-x^2) [0,inf)", lambda x: math.exp(-x * x), 0, np.inf, {}),
        ("exp(-x^2) (-inf,inf)", lambda x: math.exp(-x * x), -np.inf, np.inf, {}),
        ("1/(1+x^2) [0,inf)", lambda x: 1 / (1 + x * x), 0, np.inf, {}),
        ("cos(100x) [0,1]", lambda x: math.cos(100 * x), 0, 1, {}),
        ("cos(1000x) [0,1] limit 1000", lambda x: math.cos(1000 * x), 0, 1, {"limit": 1000}),
        ("sqrt(1-x^2) [-1,1]", lambda x: math.sqrt(max(0.0, 1 - x * x)), -1, 1, {}),
        ("step [0,2]", lambda x: 1.0 if x < 1 else x * x, 0, 2, {}),
        ("step [0,2] points=[1]", lambda x: 1.0 if x < 1 else x * x, 0, 2, {"points": [1.0]}),
        ("|x-0.3|^-1/2 points=[0.3]", lambda x: abs(x - 0.3) ** -0.5, 0, 1, {"points": [0.3]}),
        ("exp(x)/(x-0.5) cauchy [-1,1]", math.exp, -1, 1, {"weight": "cauchy", "wvar": 0.5}),
        ("1/(1+x^2)/(x-0.3) cauchy [-1,5]", lambda x: 1 / (1 + x * x), -1, 5,
         {"weight": "cauchy", "wvar": 0.3}),
    ]
    for name, f, a, b, kw in quads:
        out = integrate.quad(f, a, b, full_output=1, **kw)
        print(f"{name} | {out[0]!r} | {out[1]:.2e} | {out[2]['neval']} | {out[2].get('last')}")
    print("\nsolve_ivp nfev: problem | RK23 | RK45 | DOP853")
    problems = [
        ("decay rtol 1e-8 atol 1e-10", lambda t, y: -0.5 * y, (0, 10), [2.0, 4.0, 8.0], 1e-8, 1e-10),
        ("oscillator rtol 1e-10 atol 1e-12", lambda t, y: [y[1], -y[0]], (0, 10), [1.0, 0.0], 1e-10, 1e-12),
        ("logistic rtol 1e-8 atol 1e-10", lambda t, y: 0.8 * y * (1 - y / 10), (0, 20), [0.5], 1e-8, 1e-10),
        ("Lotka-Volterra rtol 1e-6 atol 1e-9",
         lambda t, z: [1.5 * z[0] - z[0] * z[1], -3 * z[1] + z[0] * z[1]], (0, 15), [10.0, 5.0], 1e-6, 1e-9),
        ("Arenstorf rtol = atol = 1e-10", arenstorf, (0, PERIOD), Y0, 1e-10, 1e-10),
    ]
    for name, f, span, y0, rtol, atol in problems:
        row = [str(integrate.solve_ivp(f, span, y0, method=m, rtol=rtol, atol=atol).nfev)
               for m in ("RK23", "RK45", "DOP853")]
        print(f"{name} | " + " | ".join(row))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-cargo", action="store_true")
    ap.add_argument("--counts", action="store_true")
    args = ap.parse_args()
    if args.counts:
        counts()
        return
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    print(f"scipy {scipy.__version__}, numpy {np.__version__}; load at start {os.getloadavg()}")
    scipy_times = {}
    for key, label, call in CASES:
        scipy_times[key] = median_seconds(call)
        print(f"SciPy {label}: {scipy_times[key] * 1e6:.1f} us", flush=True)
    if args.no_cargo:
        return
    subprocess.run(["cargo", "bench", "--bench", "integrate"], cwd=root, check=True,
                   stdout=sys.stderr)
    ours = criterion_medians(root)
    print(f"load at end {os.getloadavg()}\n")
    print("| problem | SciPy | ndjit (array closure) | ndjit (plain closure) | speed-up (array) |")
    print("|---|---|---|---|---|")
    for key, label, _ in CASES:
        array_ns = ours.get(key)
        plain_ns = ours.get(key.replace("(array", "(plain"))
        s = scipy_times[key] * 1e6

        def us(ns):
            return f"{ns / 1e3:.1f} us" if ns is not None else "-"
        speedup = f"{s / (array_ns / 1e3):.1f}x" if array_ns else "-"
        print(f"| {label} | {s:.1f} us | {us(array_ns)} | {us(plain_ns)} | {speedup} |")


if __name__ == "__main__":
    main()
