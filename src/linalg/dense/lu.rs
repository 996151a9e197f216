//! LU factorization with partial pivoting, kept for many solves.

use super::{check_matrix, check_vector};
use crate::error::{Error, Result};

/// `P A = L U` of a square matrix (LAPACK's `getrf`), stored for reuse:
/// a stiff ODE solver factors its Newton matrix once and solves with it
/// for many steps, so factoring and solving are separate calls, and
/// [`Lu::refactor`] reuses the storage.
///
/// ```
/// use ndjit::linalg::dense::Lu;
/// let a = [0.0, 1.0, 1.0, 1.0]; // needs a row swap
/// let lu = Lu::factor(&a, 2)?;
/// let x = lu.solve(&[2.0, 3.0])?;
/// assert_eq!(x, vec![1.0, 2.0]);
/// assert!(Lu::factor(&[1.0, 2.0, 2.0, 4.0], 2).is_err()); // singular
/// # Ok::<(), ndjit::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Lu {
    n: usize,
    /// L below the diagonal (unit diagonal implied) and U on and above it.
    factors: Vec<f64>,
    /// LAPACK's `ipiv`: at step k, row k was swapped with row `pivots[k]`
    /// (≥ k), so a solve permutes its right-hand side in place.
    pivots: Vec<usize>,
}

impl Lu {
    /// Factors the `n × n` row-major matrix `a`. A zero pivot (an exactly
    /// singular matrix, as NumPy's `LinAlgError`) or a non-finite one is an
    /// error naming the column.
    #[track_caller]
    pub fn factor(a: &[f64], n: usize) -> Result<Lu> {
        let mut lu = Lu {
            n,
            factors: Vec::new(),
            pivots: Vec::new(),
        };
        lu.refactor(a, n)?;
        Ok(lu)
    }

    /// Factors a new matrix into this factorization's storage. On error
    /// the factorization is left unusable until a successful refactor.
    #[track_caller]
    pub fn refactor(&mut self, a: &[f64], n: usize) -> Result<()> {
        check_matrix("lu_factor", a, n, n)?;
        self.n = n;
        self.factors.clear();
        self.factors.extend_from_slice(a);
        self.pivots.clear();
        self.pivots.resize(n, 0);
        let m = &mut self.factors;
        for k in 0..n {
            let mut best = k;
            let mut best_abs = m[k * n + k].abs();
            for i in k + 1..n {
                let candidate = m[i * n + k].abs();
                if candidate > best_abs {
                    best = i;
                    best_abs = candidate;
                }
            }
            if best != k {
                for j in 0..n {
                    m.swap(k * n + j, best * n + j);
                }
            }
            self.pivots[k] = best;
            let pivot = m[k * n + k];
            if !pivot.is_finite() {
                self.n = 0;
                return Err(Error::invalid(
                    "lu_factor",
                    format!("the matrix has a non-finite value (pivot of column {k} is {pivot})"),
                ));
            }
            if pivot == 0.0 {
                self.n = 0;
                return Err(Error::invalid(
                    "lu_factor",
                    format!("singular matrix: column {k} has no nonzero pivot"),
                ));
            }
            let (upper, lower) = m.split_at_mut((k + 1) * n);
            let pivot_row = &upper[k * n + k + 1..k * n + n];
            for row in lower.chunks_exact_mut(n) {
                let factor = row[k] / pivot;
                row[k] = factor;
                if factor != 0.0 {
                    for (r, p) in row[k + 1..].iter_mut().zip(pivot_row) {
                        *r -= factor * p;
                    }
                }
            }
        }
        Ok(())
    }

    /// The order of the factored matrix.
    pub fn order(&self) -> usize {
        self.n
    }

    /// Solves `A x = b`, overwriting `b` with `x`.
    #[track_caller]
    pub fn solve_in_place(&self, b: &mut [f64]) -> Result<()> {
        let n = self.n;
        if self.factors.len() != n * n || self.pivots.len() != n {
            return Err(Error::invalid(
                "lu_solve",
                "the factorization failed and holds no factors",
            ));
        }
        check_vector("lu_solve", "b", b.len(), n)?;
        for (k, &row) in self.pivots.iter().enumerate() {
            b.swap(k, row);
        }
        let m = &self.factors;
        for i in 0..n {
            let row = &m[i * n..i * n + i];
            let s: f64 = row.iter().zip(&b[..i]).map(|(l, x)| l * x).sum();
            b[i] -= s;
        }
        for i in (0..n).rev() {
            let row = &m[i * n + i + 1..i * n + n];
            let s: f64 = row.iter().zip(&b[i + 1..]).map(|(u, x)| u * x).sum();
            b[i] = (b[i] - s) / m[i * n + i];
        }
        Ok(())
    }

    /// Solves `A x = b` into a new vector.
    #[track_caller]
    pub fn solve(&self, b: &[f64]) -> Result<Vec<f64>> {
        let mut x = b.to_vec();
        self.solve_in_place(&mut x)?;
        Ok(x)
    }

    /// The determinant, from the pivots and the row swaps.
    pub fn det(&self) -> f64 {
        let n = self.n;
        let det: f64 = (0..n).map(|k| self.factors[k * n + k]).product();
        let swaps = self
            .pivots
            .iter()
            .enumerate()
            .filter(|(k, &row)| *k != row)
            .count();
        if swaps % 2 == 1 {
            -det
        } else {
            det
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_matrices::{hilbert, multiply, Uniform};
    use super::*;

    #[test]
    fn solves_random_systems_and_reuses_the_factors() {
        for n in [1, 2, 5, 17, 40] {
            let mut rng = Uniform::new(n as u64);
            let a = rng.vector(n * n);
            let lu = Lu::factor(&a, n).expect("random matrices are regular");
            for _ in 0..3 {
                let x = rng.vector(n);
                let b = multiply(&a, n, n, &x);
                let solved = lu.solve(&b).expect("solves");
                let error = solved
                    .iter()
                    .zip(&x)
                    .map(|(s, x)| (s - x).abs())
                    .fold(0.0, f64::max);
                assert!(error < 1e-10 * n as f64, "n = {n}: error {error}");
            }
        }
    }

    #[test]
    fn hilbert_within_its_condition() {
        // cond(H_10) ≈ 1.6e13: the error is bounded by n ε cond.
        let n = 10;
        let a = hilbert(n);
        let x = vec![1.0; n];
        let b = multiply(&a, n, n, &x);
        let solved = Lu::factor(&a, n)
            .and_then(|lu| lu.solve(&b))
            .expect("regular");
        let error = solved.iter().map(|s| (s - 1.0).abs()).fold(0.0, f64::max);
        assert!(error < n as f64 * f64::EPSILON * 1.6e13, "error {error}");
    }

    #[test]
    fn determinant_with_swaps() {
        let lu = Lu::factor(&[0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 2.0, 0.0, 0.0], 3).expect("regular");
        // A cyclic permutation of diag(2, 1, 1): an even permutation.
        assert_eq!(lu.det(), 2.0);
        let swap = Lu::factor(&[0.0, 1.0, 1.0, 0.0], 2).expect("regular");
        assert_eq!(swap.det(), -1.0);
    }

    #[test]
    fn singular_non_finite_and_misshapen_inputs_are_errors() {
        let singular = Lu::factor(&[1.0, 2.0, 2.0, 4.0], 2).unwrap_err();
        assert!(singular.to_string().contains("singular"), "{singular}");
        let nan = Lu::factor(&[f64::NAN, 1.0, 1.0, 1.0], 2).unwrap_err();
        assert!(nan.to_string().contains("non-finite"), "{nan}");
        assert!(Lu::factor(&[1.0, 2.0, 3.0], 2).is_err());
        let lu = Lu::factor(&[1.0], 1).expect("regular");
        assert!(lu.solve(&[1.0, 2.0]).is_err());
        let empty = Lu::factor(&[], 0).expect("empty is fine");
        assert_eq!(empty.solve(&[]).expect("empty"), Vec::<f64>::new());
        assert_eq!(empty.det(), 1.0);
    }
}
