//! A row softmax, from lazy arrays to fused kernels: what the compiler
//! makes of it at each stage, and how fused evaluation compares with the
//! eager (op by op, NumPy-style) interpreter on a 1000 × 1000 matrix.
//!
//! Run with `cargo run --release --example softmax_fusion`.

use ndjit::ir::passes::{optimize, OptimizeOptions};
use ndjit::ir::schedule::schedule;
use ndjit::runtime::Backend;
use ndjit::Array;
use std::time::{Duration, Instant};

/// `exp(x - max) / sum(exp(x - max))` along axis 1, numerically stable.
fn softmax(x: &Array) -> Array {
    let shifted = x - x.max_keepdims(1);
    let e = shifted.exp();
    &e / e.sum_keepdims(1)
}

fn main() -> ndjit::Result<()> {
    // The stages, on a small matrix.
    let x = Array::linspace(-2.0, 2.0, 12, true).reshape([3, 4]);
    let y = softmax(&x);
    let traced = ndjit::trace(&[&y])?;
    println!("; traced graph\n{}", traced.dump());
    let optimized = optimize(&traced, &OptimizeOptions::default());
    println!("; optimized graph\n{}", optimized.dump());
    println!("; kernel schedule\n{}", schedule(&optimized).dump());
    println!("{}\n", y.eval()?);

    // Fused JIT against the eager interpreter, on 10^6 elements.
    let (rows, columns) = (1000, 1000);
    let data: Vec<f64> = (0..rows * columns)
        .map(|i| ((i * 7919) % 1000) as f64 / 100.0)
        .collect();
    let x = Array::from_vec(data, [rows, columns]);
    for backend in [Backend::Interpreter, Backend::Jit] {
        let time = median_time(|| {
            let y = softmax(&x);
            ndjit::eval_many_with(std::slice::from_ref(&y), backend)
        })?;
        println!("{backend:?}: {:.2} ms", time.as_secs_f64() * 1e3);
    }
    Ok(())
}

/// The median of 15 timed runs, after one warm-up (which compiles).
fn median_time(mut run: impl FnMut() -> ndjit::Result<()>) -> ndjit::Result<Duration> {
    run()?;
    let mut times = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        run()?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
}
