//! The per-iteration dense toolkit: factorizations and updates on plain
//! row-major `f64` slices, for solvers that call them thousands of times.
//!
//! A matrix is a `&[f64]` of `rows * cols` elements in row-major order with
//! its sizes passed beside it, as LAPACK passes them. Nothing here builds a
//! graph, allocates per call beyond the result it returns, or spawns a
//! thread: a 10×10 solve costs well under a microsecond, which is what an
//! optimizer iteration can afford. Lazy [`Array`](crate::Array)s are for
//! the user's objective (traced once, compiled, fused); this module is for
//! the method's own arithmetic. `src/design.md` says where the line runs.
//!
//! Failures that LAPACK reports through `info` (a zero pivot, a matrix that
//! is not positive definite, a rank-deficient least-squares problem) and
//! non-finite input are [`Error`](crate::Error)s naming the routine and the
//! column where it stopped; no routine loops on NaN.
//!
//! ```
//! use ndjit::linalg::dense::Lu;
//! // [[2, 1], [1, 3]] x = [3, 5]
//! let lu = Lu::factor(&[2.0, 1.0, 1.0, 3.0], 2)?;
//! let mut b = [3.0, 5.0];
//! lu.solve_in_place(&mut b)?;
//! assert!((b[0] - 0.8).abs() < 1e-15 && (b[1] - 1.4).abs() < 1e-15);
//! # Ok::<(), ndjit::Error>(())
//! ```

mod cholesky;
mod lu;
mod qr;
mod triangular;
mod update;
mod vector;

pub use cholesky::Cholesky;
pub use lu::Lu;
pub use qr::Qr;
pub use triangular::{solve_triangular, Triangle};
pub use update::{matvec, syr, syr2};
pub use vector::{axpy, dot, norm2, norm_inf};

use crate::error::{Error, Result};

/// Checks that `data` holds a `rows × cols` matrix.
#[track_caller]
fn check_matrix(routine: &str, data: &[f64], rows: usize, cols: usize) -> Result<()> {
    match rows.checked_mul(cols) {
        Some(size) if size == data.len() => Ok(()),
        _ => Err(Error::invalid(
            routine,
            format!(
                "a {rows}x{cols} matrix needs {} elements, the slice has {}",
                rows.saturating_mul(cols),
                data.len()
            ),
        )),
    }
}

/// Checks that a vector has the length the matrix needs.
#[track_caller]
fn check_vector(routine: &str, name: &str, len: usize, expected: usize) -> Result<()> {
    if len == expected {
        Ok(())
    } else {
        Err(Error::invalid(
            routine,
            format!("{name} has length {len}, the matrix needs {expected}"),
        ))
    }
}

#[cfg(test)]
pub(crate) mod test_matrices {
    /// A deterministic uniform generator in [-1, 1) (xorshift64*), so the
    /// tests need no random crate and always see the same matrices.
    pub struct Uniform(u64);

    impl Uniform {
        pub fn new(seed: u64) -> Uniform {
            Uniform(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }
        pub fn next(&mut self) -> f64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
            bits as f64 / (1u64 << 52) as f64 - 1.0
        }
        pub fn vector(&mut self, n: usize) -> Vec<f64> {
            (0..n).map(|_| self.next()).collect()
        }
    }

    /// A random symmetric positive definite matrix: B Bᵀ + n I.
    pub fn spd(n: usize, seed: u64) -> Vec<f64> {
        let b = Uniform::new(seed).vector(n * n);
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                a[i * n + j] = (0..n).map(|k| b[i * n + k] * b[j * n + k]).sum::<f64>();
            }
            a[i * n + i] += n as f64;
        }
        a
    }

    /// The Hilbert matrix 1 / (i + j + 1).
    pub fn hilbert(n: usize) -> Vec<f64> {
        (0..n * n)
            .map(|k| 1.0 / ((k / n + k % n + 1) as f64))
            .collect()
    }

    /// A x for a row-major `m × n` matrix.
    pub fn multiply(a: &[f64], m: usize, n: usize, x: &[f64]) -> Vec<f64> {
        (0..m)
            .map(|i| (0..n).map(|j| a[i * n + j] * x[j]).sum())
            .collect()
    }
}
