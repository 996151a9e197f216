//! The cost of a gradient relative to its function, the compile latency of
//! a gradient program, and the per-call overhead of a compiled `Function`
//! (the hot path of optimizers). `cargo bench --bench autodiff`.
//!
//! Functions are compiled once (`Function`), then called on the same data:
//! the ratio time(value_and_grad f) / time(f) is what an optimizer pays per
//! iteration for the gradient. ../shared/anchors has JAX's ratios.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use ndjit::autodiff::value_and_grad;
use ndjit::runtime::set_max_threads;
use ndjit::{s, Array, DType, Function, TensorType};
use std::cell::Cell;
use std::hint::black_box;
use std::time::Duration;

fn sin_x_squared(x: &Array) -> Array {
    (x.sin() * x.square()).sum(..)
}

/// SciPy's `rosen`: Σ 100 (x[i+1] - x[i]²)² + (1 - x[i])².
fn rosenbrock(x: &Array) -> Array {
    let head = x.slice(s![..-1]);
    let tail = x.slice(s![1..]);
    (100.0 * (&tail - head.square()).square() + (1.0 - &head).square()).sum(..)
}

fn point(n: usize) -> Array {
    let values: Vec<f64> = (0..n)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 } + (i % 7) as f64 * 1e-3)
        .collect();
    Array::from_vec(values, [n])
}

fn ratio(c: &mut Criterion) {
    let n = 1_000_000;
    let ty = TensorType::new([n], DType::F64);
    let x = point(n).eval().expect("input");
    set_max_threads(1);
    for (name, f) in [
        ("sum(sin(x)*x^2)", sin_x_squared as fn(&Array) -> Array),
        ("rosenbrock", rosenbrock),
    ] {
        let value = Function::new(std::slice::from_ref(&ty), |a| vec![f(&a[0])]).expect("traces");
        let both = Function::new(std::slice::from_ref(&ty), |a| {
            let (v, g) = value_and_grad(f)(&a[0]);
            vec![v, g]
        })
        .expect("traces");
        let mut group = c.benchmark_group(format!("autodiff/{name}/n=1e6/1thread"));
        group
            .sample_size(20)
            .measurement_time(Duration::from_secs(4));
        group.bench_function("f", |b| {
            b.iter(|| {
                value
                    .call(black_box(std::slice::from_ref(&x)))
                    .expect("runs")
            })
        });
        group.bench_function("value_and_grad", |b| {
            b.iter(|| {
                both.call(black_box(std::slice::from_ref(&x)))
                    .expect("runs")
            })
        });
        group.finish();
    }
    set_max_threads(0);
}

fn compile_gradient(c: &mut Criterion) {
    // A fresh length each time, so nothing comes from the caches.
    let length = Cell::new(1_000usize);
    c.bench_function("autodiff/compile/value_and_grad(rosenbrock)", |b| {
        b.iter_batched(
            || {
                length.set(length.get() + 1);
                TensorType::new([length.get()], DType::F64)
            },
            |ty| {
                Function::new(&[ty], |a| {
                    let (v, g) = value_and_grad(rosenbrock)(&a[0]);
                    vec![v, g]
                })
                .expect("compiles")
            },
            BatchSize::SmallInput,
        )
    });
}

fn call_overhead(c: &mut Criterion) {
    let ty = TensorType::new([2], DType::F64);
    let both = Function::new(&[ty], |a| {
        let (v, g) = value_and_grad(rosenbrock)(&a[0]);
        vec![v, g]
    })
    .expect("traces");
    let x = Array::from_vec(vec![-1.2, 1.0], [2]).eval().expect("input");
    c.bench_function(
        "autodiff/function-call/rosenbrock-value-and-grad/n=2",
        |b| {
            b.iter(|| {
                both.call(black_box(std::slice::from_ref(&x)))
                    .expect("runs")
            })
        },
    );
}

criterion_group!(benches, ratio, compile_gradient, call_overhead);
criterion_main!(benches);
