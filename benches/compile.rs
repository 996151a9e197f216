//! Compile latency (trace → optimize → schedule → Cranelift, per
//! expression) and the overhead of a cache-hit `eval()` on tiny inputs.
//!
//! `cargo bench --bench compile`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use ndjit::Array;
use std::cell::Cell;
use std::hint::black_box;

fn e3(a: &Array, b: &Array, c: &Array) -> Array {
    (-(a * a)).exp() * b.sin() + c.cos()
}

fn e1(a: &Array, b: &Array, c: &Array) -> Array {
    a * b + c
}

fn compile(c: &mut Criterion) {
    // A fresh length each time: the shape is part of the program and kernel
    // cache keys, so every evaluation compiles from scratch.
    let length = Cell::new(1_000usize);
    for (name, build) in [
        ("E1", e1 as fn(&Array, &Array, &Array) -> Array),
        ("E3", e3),
    ] {
        c.bench_function(&format!("compile/{name}"), |b| {
            b.iter_batched(
                || {
                    length.set(length.get() + 1);
                    let n = length.get();
                    let input = || Array::from_vec(vec![0.5; n], [n]);
                    (input(), input(), input())
                },
                |(x, y, z)| build(&x, &y, &z).eval().expect("evaluates"),
                BatchSize::SmallInput,
            )
        });
    }
}

fn cache_hit(c: &mut Criterion) {
    let x = Array::from_vec(vec![1.0, 2.0], [2]);
    let y = Array::from_vec(vec![3.0, 4.0], [2]);
    let z = Array::from_vec(vec![5.0, 6.0], [2]);
    e1(&x, &y, &z).eval().expect("warm-up compiles");
    c.bench_function("cache-hit-eval/E1/n=2", |b| {
        b.iter(|| {
            e1(black_box(&x), black_box(&y), black_box(&z))
                .eval()
                .expect("evaluates")
        })
    });
}

criterion_group!(benches, compile, cache_hit);
criterion_main!(benches);
