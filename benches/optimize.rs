//! `minimize` on Rosenbrock against SciPy (its side:
//! `benches/optimize_scipy.py time`, run in the same session).
//!
//! Each measurement is a whole `minimize` call from SciPy's x0, tracing
//! and compiling (or fetching from the program cache) included.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ndjit::optimize::{least_squares, minimize, LeastSquaresOptions, Method, Options};
use ndjit::{s, Array};
use std::time::Duration;

fn rosen(x: &Array) -> Array {
    let (head, tail) = (x.slice(s![..-1]), x.slice(s![1..]));
    (100.0 * (&tail - head.square()).square() + (1.0 - &head).square()).sum(..)
}

fn rosen_x0(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
        .collect()
}

fn solve(method: Method, n: usize) -> usize {
    let result = minimize(rosen, &rosen_x0(n), method, Options::default()).expect("runs");
    assert!(result.success, "{result}");
    result.nit
}

fn rosenbrock(c: &mut Criterion) {
    let mut group = c.benchmark_group("optimize/rosen");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for (name, method, n) in [
        ("L-BFGS-B/n=1000", Method::LBfgsB, 1000),
        ("BFGS/n=100", Method::Bfgs, 100),
        ("Newton-CG/n=1000", Method::NewtonCg, 1000),
    ] {
        println!("{name}: nit = {}", solve(method, n));
        group.bench_function(name, |b| b.iter(|| solve(black_box(method), n)));
    }
    group.finish();
}

/// The overhead floor: a whole 2-variable run divided by its iterations
/// (SciPy: BFGS 32, L-BFGS-B 36 iterations).
fn per_iteration(c: &mut Criterion) {
    let mut group = c.benchmark_group("optimize/rosen-n=2");
    group.sample_size(30);
    for (name, method) in [("BFGS", Method::Bfgs), ("L-BFGS-B", Method::LBfgsB)] {
        println!("{name} n=2: nit = {}", solve(method, 2));
        group.bench_function(name, |b| b.iter(|| solve(black_box(method), 2)));
    }
    group.finish();
}

/// Five exponentials, 10 parameters, fitted to 10⁴ exact points from
/// 1.2× the true parameters (SciPy: `least_squares(method="lm")` with the
/// analytic Jacobian, same data and start).
fn exponential_fit(c: &mut Criterion) {
    let m = 10_000;
    let truth = [1.0, 0.5, 2.0, 1.0, 3.0, 2.0, 4.0, 4.0, 5.0, 8.0];
    let t: Vec<f64> = (0..m).map(|i| i as f64 * 3.0 / m as f64).collect();
    let y: Vec<f64> = t
        .iter()
        .map(|t| {
            (0..5)
                .map(|k| truth[2 * k] * (-truth[2 * k + 1] * t).exp())
                .sum()
        })
        .collect();
    let t = Array::from_vec(t, [m]).eval().expect("data");
    let y = Array::from_vec(y, [m]).eval().expect("data");
    let residuals = |p: &Array| {
        let mut total = -&y;
        for k in 0..5 {
            let (a, rate) = (p.slice(s![2 * k as isize]), p.slice(s![2 * k as isize + 1]));
            total = total + a * (-(rate * &t)).exp();
        }
        total
    };
    let p0: Vec<f64> = truth.iter().map(|v| 1.2 * v).collect();
    let first = least_squares(residuals, &p0, LeastSquaresOptions::default()).expect("runs");
    println!(
        "least_squares 10 params, 1e4 points: nfev = {}, cost = {:e}, {}",
        first.nfev, first.cost, first.message
    );
    let mut group = c.benchmark_group("optimize/least_squares");
    group.sample_size(10);
    group.bench_function("lm/10-params/1e4-points", |b| {
        b.iter(|| {
            least_squares(residuals, black_box(&p0), LeastSquaresOptions::default()).expect("runs")
        })
    });
    group.finish();
}

criterion_group!(benches, rosenbrock, per_iteration, exponential_fit);
criterion_main!(benches);
