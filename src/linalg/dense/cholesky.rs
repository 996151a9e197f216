//! Cholesky factorization `A = L Lᵀ`, with rank-one updates and downdates.

use super::triangular::{solve_triangular, Triangle};
use super::{check_matrix, check_vector};
use crate::error::{Error, Result};

/// The lower Cholesky factor of a symmetric positive definite matrix
/// (LAPACK's `potrf`; only the lower triangle of A is read), kept for many
/// solves and for O(n²) rank-one updates (`A + x xᵀ`) and downdates
/// (`A − x xᵀ`), which quasi-Newton methods use instead of refactoring.
///
/// ```
/// use ndjit::linalg::dense::Cholesky;
/// let mut c = Cholesky::factor(&[4.0, 2.0, 2.0, 3.0], 2)?;
/// let x = c.solve(&[6.0, 5.0])?;
/// assert!((x[0] - 1.0).abs() < 1e-15 && (x[1] - 1.0).abs() < 1e-15);
/// c.update(&mut [1.0, 0.0])?; // now [[5, 2], [2, 3]]
/// let x = c.solve(&[7.0, 5.0])?;
/// assert!((x[0] - 1.0).abs() < 1e-14 && (x[1] - 1.0).abs() < 1e-14);
/// assert!(Cholesky::factor(&[1.0, 2.0, 2.0, 1.0], 2).is_err()); // indefinite
/// # Ok::<(), ndjit::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Cholesky {
    n: usize,
    /// L, row-major, zeros above the diagonal.
    lower: Vec<f64>,
}

impl Cholesky {
    /// Factors the `n × n` matrix `a`. A matrix that is not positive
    /// definite (a non-positive or non-finite pivot) is an error naming the
    /// order of the leading minor where it failed, as NumPy's.
    #[track_caller]
    pub fn factor(a: &[f64], n: usize) -> Result<Cholesky> {
        check_matrix("cholesky", a, n, n)?;
        let mut l = vec![0.0; n * n];
        for j in 0..n {
            let row_j = &l[j * n..j * n + j];
            let diagonal = a[j * n + j] - row_j.iter().map(|v| v * v).sum::<f64>();
            if !is_positive_finite(diagonal) {
                return Err(Error::invalid(
                    "cholesky",
                    format!(
                        "matrix is not positive definite (leading minor of order {} fails)",
                        j + 1
                    ),
                ));
            }
            let pivot = diagonal.sqrt();
            l[j * n + j] = pivot;
            for i in j + 1..n {
                let s: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
                l[i * n + j] = (a[i * n + j] - s) / pivot;
            }
        }
        Ok(Cholesky { n, lower: l })
    }

    /// The lower factor L, row-major `n × n`.
    pub fn lower(&self) -> &[f64] {
        &self.lower
    }

    /// The order n.
    pub fn order(&self) -> usize {
        self.n
    }

    /// Solves `A x = b` in place: `L y = b`, then `Lᵀ x = y`.
    #[track_caller]
    pub fn solve_in_place(&self, b: &mut [f64]) -> Result<()> {
        check_vector("cho_solve", "b", b.len(), self.n)?;
        solve_triangular(&self.lower, self.n, Triangle::Lower, false, false, b)?;
        solve_triangular(&self.lower, self.n, Triangle::Lower, true, false, b)
    }

    /// Solves `A x = b` into a new vector.
    #[track_caller]
    pub fn solve(&self, b: &[f64]) -> Result<Vec<f64>> {
        let mut x = b.to_vec();
        self.solve_in_place(&mut x)?;
        Ok(x)
    }

    /// Refactors in place for `A + x xᵀ` in O(n²). `x` is used as scratch
    /// and left overwritten.
    #[track_caller]
    pub fn update(&mut self, x: &mut [f64]) -> Result<()> {
        self.rotate(x, 1.0, "cholesky_update")
    }

    /// Refactors in place for `A − x xᵀ` in O(n²). An error if the result
    /// is not positive definite; the factor is then left unchanged. `x` is
    /// used as scratch and left overwritten.
    #[track_caller]
    pub fn downdate(&mut self, x: &mut [f64]) -> Result<()> {
        let saved = self.lower.clone();
        let result = self.rotate(x, -1.0, "cholesky_downdate");
        if result.is_err() {
            self.lower = saved;
        }
        result
    }

    /// The hyperbolic (`sign = -1`) or circular (`sign = 1`) rotations
    /// that fold `x` into L column by column.
    #[track_caller]
    fn rotate(&mut self, x: &mut [f64], sign: f64, routine: &str) -> Result<()> {
        let n = self.n;
        check_vector(routine, "x", x.len(), n)?;
        let l = &mut self.lower;
        for k in 0..n {
            let diagonal = l[k * n + k];
            let squared = diagonal * diagonal + sign * x[k] * x[k];
            if !is_positive_finite(squared) {
                return Err(Error::invalid(
                    routine,
                    format!("the result is not positive definite (pivot {k} would be {squared})"),
                ));
            }
            let r = squared.sqrt();
            let c = r / diagonal;
            let s = x[k] / diagonal;
            l[k * n + k] = r;
            for i in k + 1..n {
                let lik = (l[i * n + k] + sign * s * x[i]) / c;
                l[i * n + k] = lik;
                x[i] = c * x[i] - s * lik;
            }
        }
        Ok(())
    }
}

/// False for NaN, zero, negatives and infinity: the pivots that stop a
/// Cholesky factorization.
fn is_positive_finite(value: f64) -> bool {
    value.is_finite() && value > 0.0
}

#[cfg(test)]
mod tests {
    use super::super::test_matrices::{hilbert, multiply, spd, Uniform};
    use super::*;

    fn max_difference(a: &[f64], b: &[f64]) -> f64 {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max)
    }

    fn reconstruct(c: &Cholesky) -> Vec<f64> {
        let n = c.order();
        let l = c.lower();
        (0..n * n)
            .map(|k| (0..n).map(|m| l[k / n * n + m] * l[k % n * n + m]).sum())
            .collect()
    }

    #[test]
    fn factors_and_solves() {
        for n in [1, 3, 12, 30] {
            let a = spd(n, 7 + n as u64);
            let c = Cholesky::factor(&a, n).expect("positive definite");
            assert!(max_difference(&reconstruct(&c), &a) < 1e-12 * n as f64);
            let x = Uniform::new(3).vector(n);
            let solved = c.solve(&multiply(&a, n, n, &x)).expect("solves");
            assert!(max_difference(&solved, &x) < 1e-12);
        }
        let h = Cholesky::factor(&hilbert(8), 8).expect("Hilbert is positive definite");
        assert!(max_difference(&reconstruct(&h), &hilbert(8)) < 1e-15);
    }

    #[test]
    fn update_then_downdate_matches_refactoring() {
        let n = 9;
        let a = spd(n, 11);
        let x = Uniform::new(5).vector(n);
        let mut updated = Cholesky::factor(&a, n).expect("positive definite");
        updated
            .update(&mut x.clone())
            .expect("stays positive definite");
        let mut plus = a.clone();
        for i in 0..n {
            for j in 0..n {
                plus[i * n + j] += x[i] * x[j];
            }
        }
        assert!(max_difference(&reconstruct(&updated), &plus) < 1e-12);
        updated.downdate(&mut x.clone()).expect("back to A");
        assert!(max_difference(&reconstruct(&updated), &a) < 1e-12);
    }

    #[test]
    fn downdate_to_indefinite_is_an_error_and_keeps_the_factor() {
        let mut c = Cholesky::factor(&[1.0, 0.0, 0.0, 1.0], 2).expect("identity");
        let error = c.downdate(&mut [2.0, 0.0]).unwrap_err();
        assert!(
            error.to_string().contains("not positive definite"),
            "{error}"
        );
        assert_eq!(c.lower(), &[1.0, 0.0, 0.0, 1.0]);
    }

    #[test]
    fn indefinite_and_nan_are_errors() {
        let error = Cholesky::factor(&[1.0, 2.0, 2.0, 1.0], 2).unwrap_err();
        assert!(error.to_string().contains("order 2"), "{error}");
        assert!(Cholesky::factor(&[f64::NAN], 1).is_err());
        assert!(Cholesky::factor(&[-1.0], 1).is_err());
        assert!(Cholesky::factor(&[1.0, 0.0], 2).is_err());
    }
}
