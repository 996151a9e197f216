//! Newton's method on the Rosenbrock function, with exact derivatives.
//!
//! The objective is written once, on lazy arrays. `value_and_grad` and
//! `hessian` turn it into its gradient and Hessian (graph transformations,
//! not finite differences), and a `Function` compiles all three into one
//! program, traced once: each Newton step is one call on new data.
//!
//! Run with `cargo run --release --example newton_rosenbrock`.

use ndjit::autodiff::{hessian, value_and_grad};
use ndjit::{s, Array, DType, Function, TensorType};

/// `sum(100 (x[i+1] - x[i]²)² + (1 - x[i])²)`: minimum 0 at x = (1, ..., 1).
fn rosenbrock(x: &Array) -> Array {
    let head = x.slice(s![..-1]);
    let tail = x.slice(s![1..]);
    (100.0 * (&tail - head.square()).square() + (1.0 - &head).square()).sum(..)
}

fn main() -> ndjit::Result<()> {
    let n = 6;
    let derivatives = Function::new(&[TensorType::new([n], DType::F64)], |args| {
        let (value, gradient) = value_and_grad(rosenbrock)(&args[0]);
        vec![value, gradient, hessian(rosenbrock)(&args[0])]
    })?;

    // (From x = (-1.2, 1, -1.2, ...), n ≥ 4 would end in the function's
    // other, local minimum near x₀ = -1.)
    let mut x: Vec<f64> = vec![0.0; n];
    for step in 0.. {
        let out = derivatives.call(&[Array::from_vec(x.clone(), [n])])?;
        let (f, g, h) = (
            out[0].item::<f64>()?,
            out[1].to_vec::<f64>()?,
            out[2].to_vec::<f64>()?,
        );
        let norm = g.iter().map(|v| v * v).sum::<f64>().sqrt();
        println!("step {step:2}: f = {f:.3e}, |grad| = {norm:.3e}");
        if norm < 1e-10 || step == 100 {
            break;
        }
        // Newton direction (H + λI) p = -g; λ grows until p is a descent
        // direction that decreases f (a Levenberg–Marquardt safeguard).
        let mut lambda = 0.0;
        loop {
            let p = solve(&h, &g, lambda, n);
            let trial: Vec<f64> = x.iter().zip(&p).map(|(a, b)| a + b).collect();
            let f_trial = rosenbrock(&Array::from_vec(trial.clone(), [n])).item::<f64>()?;
            if f_trial < f {
                x = trial;
                break;
            }
            lambda = if lambda == 0.0 { 1e-3 } else { lambda * 10.0 };
        }
    }
    println!("x = {x:.6?}");
    Ok(())
}

/// Solves `(H + λI) p = -g` by Gaussian elimination with partial pivoting
/// (`H` row-major, `n × n`).
fn solve(h: &[f64], g: &[f64], lambda: f64, n: usize) -> Vec<f64> {
    let mut a: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let mut row: Vec<f64> = h[i * n..(i + 1) * n].to_vec();
            row[i] += lambda;
            row.push(-g[i]);
            row
        })
        .collect();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        let (done, rest) = a.split_at_mut(col + 1);
        let pivot_row = &done[col];
        for row in rest {
            let factor = row[col] / pivot_row[col];
            for (value, pivot_value) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *value -= factor * pivot_value;
            }
        }
    }
    let mut p = vec![0.0; n];
    for row in (0..n).rev() {
        let tail: f64 = (row + 1..n).map(|k| a[row][k] * p[k]).sum();
        p[row] = (a[row][n] - tail) / a[row][row];
    }
    p
}
