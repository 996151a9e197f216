//! `quad` of a smooth and a singular integrand, and the Arenstorf orbit
//! with DOP853, each as a user calls them (tracing included, compiled code
//! from the cache). `cargo bench --bench integrate`; SciPy's side, in the
//! same run, with `python benches/integrate_scipy.py` (which runs this
//! bench too and prints both).

use criterion::{criterion_group, criterion_main, Criterion};
use ndjit::integrate::{quad, solve_ivp, IvpOptions, Method, QuadOptions};
use ndjit::runtime::set_max_threads;
use ndjit::{s, stack, Array};
use std::hint::black_box;
use std::time::Duration;

const MU: f64 = 0.012277471;
const Y0: [f64; 4] = [0.994, 0.0, 0.0, -2.001_585_106_379_082_4];
const PERIOD: f64 = 17.065_216_560_157_964;

/// The restricted three-body problem, as array operations.
fn arenstorf(_t: &Array, y: &Array) -> Array {
    let nu = 1.0 - MU;
    let (x, yy, vx, vy) = (
        y.slice(s![0]),
        y.slice(s![1]),
        y.slice(s![2]),
        y.slice(s![3]),
    );
    let d1 = ((&x + MU).square() + yy.square()).pow(1.5);
    let d2 = ((&x - nu).square() + yy.square()).pow(1.5);
    let ax = &x + &vy * 2.0 - (&x + MU) * nu / &d1 - (&x - nu) * MU / &d2;
    let ay = &yy - &vx * 2.0 - &yy * nu / &d1 - &yy * MU / &d2;
    stack(&[vx, vy, ax, ay], 0)
}

/// The same, as a plain Rust function.
fn arenstorf_plain(_t: f64, y: &[f64]) -> Vec<f64> {
    let nu = 1.0 - MU;
    let (x, yy, vx, vy) = (y[0], y[1], y[2], y[3]);
    let d1 = ((x + MU).powi(2) + yy * yy).powf(1.5);
    let d2 = ((x - nu).powi(2) + yy * yy).powf(1.5);
    vec![
        vx,
        vy,
        x + 2.0 * vy - nu * (x + MU) / d1 - MU * (x - nu) / d2,
        yy - 2.0 * vx - nu * yy / d1 - MU * yy / d2,
    ]
}

fn quadrature(c: &mut Criterion) {
    set_max_threads(1);
    let options = QuadOptions::default();
    let mut group = c.benchmark_group("integrate/quad");
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("exp 0..1 (array, 21 evals)", |b| {
        b.iter(|| quad(|x: &Array| x.exp(), 0.0, black_box(1.0), &options).expect("quad"))
    });
    group.bench_function("exp 0..1 (plain, 21 evals)", |b| {
        b.iter(|| quad(|x: f64| x.exp(), 0.0, black_box(1.0), &options).expect("quad"))
    });
    group.bench_function("x^-1/2 0..1 (array, 231 evals)", |b| {
        b.iter(|| quad(|x: &Array| x.sqrt().recip(), 0.0, black_box(1.0), &options).expect("quad"))
    });
    group.bench_function("x^-1/2 0..1 (plain, 231 evals)", |b| {
        b.iter(|| quad(|x: f64| 1.0 / x.sqrt(), 0.0, black_box(1.0), &options).expect("quad"))
    });
    group.finish();
}

fn orbit(c: &mut Criterion) {
    set_max_threads(1);
    let mut group = c.benchmark_group("integrate/solve_ivp");
    group
        .measurement_time(Duration::from_secs(4))
        .sample_size(20);
    let options = || IvpOptions::default().rtol(1e-10).atol(1e-10);
    group.bench_function("arenstorf DOP853 rtol 1e-10 (array)", |b| {
        b.iter(|| {
            solve_ivp(
                arenstorf,
                (0.0, black_box(PERIOD)),
                &Y0,
                Method::DOP853,
                options(),
            )
            .expect("ivp")
        })
    });
    group.bench_function("arenstorf DOP853 rtol 1e-10 (plain)", |b| {
        b.iter(|| {
            solve_ivp(
                arenstorf_plain,
                (0.0, black_box(PERIOD)),
                &Y0,
                Method::DOP853,
                options(),
            )
            .expect("ivp")
        })
    });
    group.finish();
}

criterion_group!(benches, quadrature, orbit);
criterion_main!(benches);
