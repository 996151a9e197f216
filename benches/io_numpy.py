"""NumPy's side of benches/io.rs: the same operations on 8 Mi f64 (64 MiB).

/work/venv/bin/python benches/io_numpy.py   (run right after `cargo bench --bench io`)
"""
import os, tempfile, time
import numpy as np

n = 8 << 20
d = tempfile.mkdtemp()
npy, npz = os.path.join(d, "x.npy"), os.path.join(d, "x.npz")
x = np.linspace(0.0, 1.0, n)
np.save(npy, x)
np.savez_compressed(npz, x=x)


def median_ms(f, repeat=10):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return 1e3 * sorted(times)[len(times) // 2]


def memmap_sum():
    m = np.load(npy, mmap_mode="r")
    return float((m * m).sum())


for name, f in [
    ("save npy", lambda: np.save(npy, x)),
    ("load npy", lambda: np.load(npy)),
    ("load npz deflated", lambda: np.load(npz)["x"]),
    ("memmap + sum(x*x)", memmap_sum),
    ("load + sum(x*x)", lambda: float((lambda a: (a * a).sum())(np.load(npy)))),
]:
    print(f"{name:22s} {median_ms(f):8.1f} ms")
