//! Fused JIT kernels vs the eager interpreter vs hand-written Rust loops,
//! for the expressions E1–E7 of ../shared/anchors (NumPy/numexpr/JAX
//! figures for the same expressions on this kind of machine).
//!
//! `cargo bench --bench fusion` runs all; a filter such as
//! `cargo bench --bench fusion -- E1/` runs some. Each benchmark's
//! throughput is bytes of inputs + output, so criterion prints GB/s.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ndjit::runtime::{set_backend, set_max_threads, Backend};
use ndjit::{where_, Array, DType};
use std::hint::black_box;
use std::time::Duration;

/// Deterministic values in [0, 1).
fn uniform(n: usize, seed: u64) -> Vec<f64> {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        })
        .collect()
}

struct Case {
    name: &'static str,
    inputs: usize,
    /// Output elements per input element (1 for elementwise, 0 for a full reduction).
    output_per_element: usize,
    build: fn(&[Array]) -> Array,
    rust: fn(&[Vec<f64>], &mut [f64]),
}

fn e1(x: &[Array]) -> Array {
    &x[0] * &x[1] + &x[2]
}
fn e2(x: &[Array]) -> Array {
    2.0 * &x[0] + 3.0 * &x[1] * &x[1] - &x[2] / 4.0
}
fn e3(x: &[Array]) -> Array {
    (-(&x[0] * &x[0])).exp() * x[1].sin() + x[2].cos()
}
fn e4(x: &[Array]) -> Array {
    (&x[0] * &x[1]).sum(..)
}
fn e5(x: &[Array]) -> Array {
    ((&x[0] - &x[1]).pow(2.0) + (&x[2] - &x[3]).pow(2.0)).sqrt()
}
fn e6(x: &[Array]) -> Array {
    where_(x[0].gt(0.5), &x[0] * &x[1], &x[2] - &x[1])
}
fn e7(x: &[Array]) -> Array {
    let n = x[0].size();
    let rows = n / 1000;
    let m = x[0].reshape([rows, 1000]);
    let e = (&m - m.max_keepdims(1)).exp();
    &e / e.sum_keepdims(1)
}

/// `out[i] = f(i)`: the hand-written loop, into an output buffer reused
/// across iterations (the STREAM-style best case: no allocation, no page
/// faults), so it measures the machine's bandwidth.
fn zip_map(out: &mut [f64], f: impl Fn(usize) -> f64) {
    for (i, o) in out.iter_mut().enumerate() {
        *o = f(i);
    }
}

fn r1(x: &[Vec<f64>], out: &mut [f64]) {
    zip_map(out, |i| x[0][i] * x[1][i] + x[2][i])
}
fn r2(x: &[Vec<f64>], out: &mut [f64]) {
    zip_map(out, |i| {
        2.0 * x[0][i] + 3.0 * x[1][i] * x[1][i] - x[2][i] / 4.0
    })
}
fn r3(x: &[Vec<f64>], out: &mut [f64]) {
    zip_map(out, |i| {
        (-(x[0][i] * x[0][i])).exp() * x[1][i].sin() + x[2][i].cos()
    })
}
fn r4(x: &[Vec<f64>], out: &mut [f64]) {
    out[0] = x[0].iter().zip(&x[1]).map(|(a, b)| a * b).sum();
}
fn r5(x: &[Vec<f64>], out: &mut [f64]) {
    zip_map(out, |i| {
        ((x[0][i] - x[1][i]).powi(2) + (x[2][i] - x[3][i]).powi(2)).sqrt()
    })
}
fn r6(x: &[Vec<f64>], out: &mut [f64]) {
    zip_map(out, |i| {
        if x[0][i] > 0.5 {
            x[0][i] * x[1][i]
        } else {
            x[2][i] - x[1][i]
        }
    })
}
fn r7(x: &[Vec<f64>], out: &mut [f64]) {
    for (row, out) in x[0].chunks(1000).zip(out.chunks_mut(1000)) {
        let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut sum = 0.0;
        for (o, &v) in out.iter_mut().zip(row) {
            *o = (v - max).exp();
            sum += *o;
        }
        for o in out.iter_mut() {
            *o /= sum;
        }
    }
}

const CASES: [Case; 7] = [
    Case {
        name: "E1",
        inputs: 3,
        output_per_element: 1,
        build: e1,
        rust: r1,
    },
    Case {
        name: "E2",
        inputs: 3,
        output_per_element: 1,
        build: e2,
        rust: r2,
    },
    Case {
        name: "E3",
        inputs: 3,
        output_per_element: 1,
        build: e3,
        rust: r3,
    },
    Case {
        name: "E4",
        inputs: 2,
        output_per_element: 0,
        build: e4,
        rust: r4,
    },
    Case {
        name: "E5",
        inputs: 4,
        output_per_element: 1,
        build: e5,
        rust: r5,
    },
    Case {
        name: "E6",
        inputs: 3,
        output_per_element: 1,
        build: e6,
        rust: r6,
    },
    Case {
        name: "E7",
        inputs: 1,
        output_per_element: 1,
        build: e7,
        rust: r7,
    },
];

fn bench_case(c: &mut Criterion, case: &Case, n: usize, dtype: DType) {
    let data: Vec<Vec<f64>> = (0..case.inputs).map(|k| uniform(n, k as u64 + 1)).collect();
    let arrays: Vec<Array> = data
        .iter()
        .map(|d| {
            Array::from_vec(d.clone(), [n])
                .astype(dtype)
                .eval()
                .expect("inputs evaluate")
        })
        .collect();
    let bytes = (n * (case.inputs + case.output_per_element) * dtype.size_bytes()) as u64;
    let mut group = c.benchmark_group(format!("{}/{}", case.name, dtype));
    group.throughput(Throughput::Bytes(bytes));
    if n >= 1_000_000 {
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3));
    }
    for (label, threads) in [("fused-1thread", 1), ("fused-all-threads", 0)] {
        group.bench_with_input(BenchmarkId::new(label, n), &arrays, |b, arrays| {
            set_max_threads(threads);
            b.iter(|| (case.build)(black_box(arrays)).eval().expect("evaluates"));
            set_max_threads(0);
        });
    }
    group.bench_with_input(
        BenchmarkId::new("eager-interpreter", n),
        &arrays,
        |b, arrays| {
            set_backend(Backend::Interpreter);
            b.iter(|| (case.build)(black_box(arrays)).eval().expect("evaluates"));
            set_backend(Backend::Jit);
        },
    );
    if dtype == DType::F64 {
        let mut out = vec![0.0; n];
        group.bench_with_input(BenchmarkId::new("rust-loop", n), &data, |b, data| {
            b.iter(|| (case.rust)(black_box(data), black_box(&mut out)))
        });
    }
    group.finish();
}

fn fusion(c: &mut Criterion) {
    for case in &CASES {
        // E7's anchor figures are for 1000x1000 rows; the others' for 1e3..1e7.
        let sizes: &[usize] = if case.name == "E7" {
            &[100_000, 1_000_000, 10_000_000]
        } else {
            &[1_000, 100_000, 10_000_000]
        };
        for &n in sizes {
            bench_case(c, case, n, DType::F64);
            if matches!(case.name, "E1" | "E3") {
                bench_case(c, case, n, DType::F32);
            }
        }
    }
}

criterion_group!(benches, fusion);
criterion_main!(benches);
