#!/usr/bin/env python3
"""SciPy's side of ndjit's optimize tests and benches.

counts: nit / nfev / njev / nhev of scipy.optimize.minimize on the test
        problems of tests/optimize.rs (gradients exact to rounding by the
        complex step; Hessian-vector products by central differences of it),
        printed as the ballparks recorded in the tests.
time:   wall time of the benched problems (benches/optimize.rs), medians.

Usage: /work/venv/bin/python benches/optimize_scipy.py counts|time
"""
import sys
import time

import numpy as np
from scipy import optimize
from scipy.optimize import rosen, rosen_der, rosen_hess_prod

import numpy as jnp


def beale(x):
    return ((1.5 - x[0] + x[0] * x[1]) ** 2 + (2.25 - x[0] + x[0] * x[1] ** 2) ** 2
            + (2.625 - x[0] + x[0] * x[1] ** 3) ** 2)


def powell_singular(x):
    return ((x[0] + 10 * x[1]) ** 2 + 5 * (x[2] - x[3]) ** 2 + (x[1] - 2 * x[2]) ** 4
            + 10 * (x[0] - x[3]) ** 4)


def wood(x):
    return (100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2 + 90 * (x[3] - x[2] ** 2) ** 2
            + (1 - x[2]) ** 2 + 10.1 * ((x[1] - 1) ** 2 + (x[3] - 1) ** 2)
            + 19.8 * (x[1] - 1) * (x[3] - 1))


def helical_valley(x):
    # arctan2 has no complex form: its branch for x1 < 0 written out, so
    # the complex step works.
    theta = jnp.arctan(x[1] / x[0]) / (2 * jnp.pi) + (0.5 if x[0].real < 0 else 0.0)
    return 100 * ((x[2] - 10 * theta) ** 2 + (jnp.sqrt(x[0] ** 2 + x[1] ** 2) - 1) ** 2) + x[2] ** 2


PROBLEMS = {
    "beale": (beale, [1.0, 1.0]),
    "powell_singular": (powell_singular, [3.0, -1.0, 0.0, 1.0]),
    "wood": (wood, [-3.0, -1.0, -3.0, -1.0]),
    "helical_valley": (helical_valley, [-1.0, 0.0, 0.0]),
}


def rosen_x0(n):
    x0 = np.empty(n)
    x0[0::2] = -1.2
    x0[1::2] = 1.0
    return x0


def counts():
    methods = ["BFGS", "L-BFGS-B", "CG", "Newton-CG", "Nelder-Mead"]
    for name, (f, x0) in PROBLEMS.items():
        fun = lambda x, f=f: float(f(np.asarray(x, dtype=float)))

        def jac(x, f=f):
            x = np.asarray(x, dtype=complex)
            g = np.empty(len(x))
            for i in range(len(x)):
                e = np.zeros(len(x), dtype=complex)
                e[i] = 1e-30j
                g[i] = f(x + e).imag / 1e-30
            return g

        def hessp(x, v, jac=jac):
            h = 1e-6 * (1 + np.linalg.norm(x)) / max(np.linalg.norm(v), 1e-300)
            return (jac(x + h * v) - jac(x - h * v)) / (2 * h)

        for m in methods:
            kw = {} if m == "Nelder-Mead" else {"jac": jac}
            if m == "Newton-CG":
                kw["hessp"] = hessp
            r = optimize.minimize(fun, np.array(x0), method=m, **kw)
            print(f"{name:16} {m:12} success={r.success!s:5} nit={r.nit:5} nfev={r.nfev:6} "
                  f"njev={getattr(r, 'njev', '-')} nhev={getattr(r, 'nhev', '-')} fun={r.fun:.3e}")
    for n in [2, 10, 100]:
        r = optimize.minimize(rosen, rosen_x0(n), method="Nelder-Mead",
                              options={"maxiter": 200 * n, "maxfev": 200 * n})
        print(f"rosen n={n:<5} Nelder-Mead  success={r.success!s:5} nit={r.nit:5} nfev={r.nfev:6} fun={r.fun:.3e}")
    # L-BFGS-B with bounds: active at the solution, and inactive.
    for label, bounds in [("active", [(-2.0, 0.5)] * 10), ("inactive", [(-2.0, 2.0)] * 10)]:
        r = optimize.minimize(rosen, rosen_x0(10), jac=rosen_der, method="L-BFGS-B", bounds=bounds)
        print(f"rosen n=10 bounds {label:8} L-BFGS-B nit={r.nit} nfev={r.nfev} fun={r.fun:.10e} "
              f"x={np.array2string(r.x, precision=6)}")


def median_time(fn, runs=5):
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        r = fn()
        ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[len(ts) // 2], r


def timing():
    import os
    print("loadavg", os.getloadavg())
    cases = [
        ("L-BFGS-B rosen n=1000", lambda: optimize.minimize(rosen, rosen_x0(1000), jac=rosen_der, method="L-BFGS-B"), 3),
        ("BFGS rosen n=100", lambda: optimize.minimize(rosen, rosen_x0(100), jac=rosen_der, method="BFGS"), 5),
        ("Newton-CG rosen n=1000", lambda: optimize.minimize(rosen, rosen_x0(1000), jac=rosen_der,
                                                           hessp=rosen_hess_prod, method="Newton-CG"), 3),
        ("BFGS rosen n=2", lambda: optimize.minimize(rosen, rosen_x0(2), jac=rosen_der, method="BFGS"), 20),
        ("L-BFGS-B rosen n=2", lambda: optimize.minimize(rosen, rosen_x0(2), jac=rosen_der, method="L-BFGS-B"), 20),
    ]
    m = 10_000
    truth = np.array([1.0, 0.5, 2.0, 1.0, 3.0, 2.0, 4.0, 4.0, 5.0, 8.0])
    t = np.arange(m) * 3.0 / m
    y = sum(truth[2 * k] * np.exp(-truth[2 * k + 1] * t) for k in range(5))

    def residuals(p):
        return sum(p[2 * k] * np.exp(-p[2 * k + 1] * t) for k in range(5)) - y

    def jac(p):
        J = np.empty((m, 10))
        for k in range(5):
            e = np.exp(-p[2 * k + 1] * t)
            J[:, 2 * k] = e
            J[:, 2 * k + 1] = -p[2 * k] * t * e
        return J

    cases.append(("least_squares lm 10x1e4", lambda: optimize.least_squares(residuals, 1.2 * truth, jac=jac, method="lm"), 5))
    for name, fn, runs in cases:
        t, r = median_time(fn, runs)
        nit = getattr(r, "nit", r.nfev)
        print(f"{name:26} {t * 1e3:10.3f} ms  nit={nit} nfev={r.nfev}  per iteration {t / nit * 1e6:8.1f} us")


if __name__ == "__main__":
    {"counts": counts, "time": timing}[sys.argv[1] if len(sys.argv) > 1 else "counts"]()
