//! ns/element of ndjit's vector math routines against Rust `std`'s
//! per-element loop (the C library's for erf, which `std` lacks), on
//! 4096-element arrays (in L1/L2, as the JIT's chunks).
//!
//! `cargo bench --bench vector_math`; criterion reports elements/second,
//! whose reciprocal is the time per element.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ndjit_ir::math::{binary_f32, binary_f64, is_vector_math, unary_f32, unary_f64};
use ndjit_ir::{BinaryOp, UnaryOp};

const N: usize = 4096;

/// A representative argument range per routine.
fn domain(op: UnaryOp) -> (f64, f64) {
    match op {
        UnaryOp::Exp | UnaryOp::Expm1 | UnaryOp::Sinh | UnaryOp::Cosh => (-20.0, 20.0),
        UnaryOp::Exp2 => (-30.0, 30.0),
        UnaryOp::Log | UnaryOp::Log2 => (1e-3, 1e6),
        UnaryOp::Log1p => (-0.5, 100.0),
        UnaryOp::Sin | UnaryOp::Cos | UnaryOp::Tan => (-100.0, 100.0),
        UnaryOp::Asin | UnaryOp::Acos => (-1.0, 1.0),
        _ => (-5.0, 5.0),
    }
}

/// A routine's per-element `std` functions for f64 and f32.
type StdPair = (fn(f64) -> f64, fn(f32) -> f32);

// The C library's erf, which Rust links on the platforms it has libm.
unsafe extern "C" {
    safe fn erf(x: f64) -> f64;
    safe fn erff(x: f32) -> f32;
}

/// The per-element `std` functions for a routine (libm's for erf).
fn std_unary(op: UnaryOp) -> Option<StdPair> {
    Some(match op {
        UnaryOp::Exp => (f64::exp, f32::exp),
        UnaryOp::Expm1 => (f64::exp_m1, f32::exp_m1),
        UnaryOp::Exp2 => (f64::exp2, f32::exp2),
        UnaryOp::Log => (f64::ln, f32::ln),
        UnaryOp::Log1p => (f64::ln_1p, f32::ln_1p),
        UnaryOp::Log2 => (f64::log2, f32::log2),
        UnaryOp::Sin => (f64::sin, f32::sin),
        UnaryOp::Cos => (f64::cos, f32::cos),
        UnaryOp::Tan => (f64::tan, f32::tan),
        UnaryOp::Tanh => (f64::tanh, f32::tanh),
        UnaryOp::Sinh => (f64::sinh, f32::sinh),
        UnaryOp::Cosh => (f64::cosh, f32::cosh),
        UnaryOp::Atan => (f64::atan, f32::atan),
        UnaryOp::Asin => (f64::asin, f32::asin),
        UnaryOp::Acos => (f64::acos, f32::acos),
        UnaryOp::Erf => (|x| erf(x), |x| erff(x)),
        _ => return None,
    })
}

/// A binary routine with its `std` counterparts for f64 and f32.
type BinaryCase = (BinaryOp, fn(f64, f64) -> f64, fn(f32, f32) -> f32);

/// Evenly spread points of [lo, hi].
fn points(lo: f64, hi: f64) -> Vec<f64> {
    (0..N)
        .map(|i| lo + (hi - lo) * (i as f64 + 0.5) / N as f64)
        .collect()
}

fn unary(c: &mut Criterion) {
    for &op in UnaryOp::ALL.iter().filter(|&&op| is_vector_math(op)) {
        let Some((f, f32_std)) = std_unary(op) else {
            continue;
        };
        let (lo, hi) = domain(op);
        let x = points(lo, hi);
        let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
        let mut group = c.benchmark_group(op.name());
        group.throughput(Throughput::Elements(N as u64));
        let mut out = vec![0.0; N];
        let mut out32 = vec![0.0f32; N];
        group.bench_function(BenchmarkId::new("ndjit", "f64"), |b| {
            b.iter(|| unary_f64(op, black_box(&x), &mut out))
        });
        group.bench_function(BenchmarkId::new("std", "f64"), |b| {
            b.iter(|| {
                for (o, &v) in out.iter_mut().zip(black_box(&x)) {
                    *o = f(v);
                }
            })
        });
        group.bench_function(BenchmarkId::new("ndjit", "f32"), |b| {
            b.iter(|| unary_f32(op, black_box(&x32), &mut out32))
        });
        group.bench_function(BenchmarkId::new("std", "f32"), |b| {
            b.iter(|| {
                for (o, &v) in out32.iter_mut().zip(black_box(&x32)) {
                    *o = f32_std(v);
                }
            })
        });
        group.finish();
    }
}

fn binary(c: &mut Criterion) {
    let cases: [BinaryCase; 2] = [
        (BinaryOp::Pow, f64::powf, f32::powf),
        (BinaryOp::Atan2, f64::atan2, f32::atan2),
    ];
    for (op, f, f32_std) in cases {
        if !is_vector_math(op) {
            continue;
        }
        let a = points(0.01, 10.0);
        let mut b_values = points(-20.0, 20.0);
        b_values.reverse();
        let a32: Vec<f32> = a.iter().map(|&v| v as f32).collect();
        let b32: Vec<f32> = b_values.iter().map(|&v| v as f32).collect();
        let mut out = vec![0.0; N];
        let mut out32 = vec![0.0f32; N];
        let mut group = c.benchmark_group(op.name());
        group.throughput(Throughput::Elements(N as u64));
        group.bench_function(BenchmarkId::new("ndjit", "f64"), |bench| {
            bench.iter(|| binary_f64(op, black_box(&a), black_box(&b_values), &mut out))
        });
        group.bench_function(BenchmarkId::new("std", "f64"), |bench| {
            bench.iter(|| {
                for ((o, &u), &v) in out.iter_mut().zip(black_box(&a)).zip(&b_values) {
                    *o = f(u, v);
                }
            })
        });
        group.bench_function(BenchmarkId::new("ndjit", "f32"), |bench| {
            bench.iter(|| binary_f32(op, black_box(&a32), black_box(&b32), &mut out32))
        });
        group.bench_function(BenchmarkId::new("std", "f32"), |bench| {
            bench.iter(|| {
                for ((o, &u), &v) in out32.iter_mut().zip(black_box(&a32)).zip(&b32) {
                    *o = f32_std(u, v);
                }
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(300))
        .measurement_time(std::time::Duration::from_millis(700));
    targets = unary, binary
}
criterion_main!(benches);
