//! .npy load/save, .npz deflated, and memmap + fused sum, on 8 Mi f64
//! (64 MiB). NumPy's side: `benches/io_numpy.py` (same sizes, same run).

use criterion::{criterion_group, criterion_main, Criterion};
use ndjit::io::{self, MmapMode};
use ndjit::Array;

fn io_benches(c: &mut Criterion) {
    let n = 8 << 20;
    let dir = std::env::temp_dir().join(format!("ndjit_bench_io_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let npy = dir.join("x.npy");
    let npz = dir.join("x.npz");
    let x = Array::linspace(0.0, 1.0, n, true).eval().unwrap();
    io::save(&npy, &x).unwrap();
    io::savez_compressed(&npz, &[("x", &x)]).unwrap();

    let mut group = c.benchmark_group("io_64MiB");
    group.sample_size(10);
    group.bench_function("save npy", |b| b.iter(|| io::save(&npy, &x).unwrap()));
    group.bench_function("load npy", |b| b.iter(|| io::load(&npy).unwrap()));
    group.bench_function("load npz deflated", |b| {
        b.iter(|| io::load_npz(&npz).unwrap())
    });
    group.bench_function("memmap + sum(x*x)", |b| {
        b.iter(|| {
            let x = io::memmap(&npy, MmapMode::ReadOnly).unwrap().array();
            (&x * &x).sum(..).item::<f64>().unwrap()
        })
    });
    group.bench_function("load + sum(x*x)", |b| {
        b.iter(|| {
            let x = io::load(&npy).unwrap();
            (&x * &x).sum(..).item::<f64>().unwrap()
        })
    });
    group.finish();
    std::fs::remove_dir_all(&dir).unwrap();
}

criterion_group!(benches, io_benches);
criterion_main!(benches);
