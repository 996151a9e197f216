//! SciPy's Rosenbrock benchmark with exact compiled gradients:
//! `minimize(rosen, x0, method="BFGS" / "L-BFGS-B")` at n = 1000.
//!
//! `cargo run --release --example rosenbrock`

use ndjit::optimize::{minimize, Method, Options};
use ndjit::{s, Array};
use std::time::Instant;

/// SciPy's `rosen`, written once over arrays: its gradient is traced and
/// compiled by `minimize`, no hand-written `rosen_der` needed.
fn rosen(x: &Array) -> Array {
    let (head, tail) = (x.slice(s![..-1]), x.slice(s![1..]));
    (100.0 * (&tail - head.square()).square() + (1.0 - &head).square()).sum(..)
}

fn main() -> ndjit::Result<()> {
    let n = 1000;
    let x0: Vec<f64> = (0..n)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
        .collect();
    for method in [Method::LBfgsB, Method::Bfgs] {
        let start = Instant::now();
        let result = minimize(rosen, &x0, method, Options::default())?;
        let seconds = start.elapsed().as_secs_f64();
        println!("minimize(rosen, x0, method={method:?}), n = {n}: {seconds:.3} s");
        println!("{result}\n");
    }
    Ok(())
}
