//! Householder QR for least squares (LAPACK's `geqrf` + `ormqr` + `trtrs`).

use super::triangular::{solve_triangular, Triangle};
use super::{check_matrix, check_vector};
use crate::error::{Error, Result};

/// `A = Q R` of an `m × n` matrix with `m ≥ n`, by Householder
/// reflections; Q is kept as its reflectors. Least-squares solves of
/// `min ‖A x − b‖` go through R without forming AᵀA, so they lose half as
/// many digits as the normal equations.
///
/// ```
/// use ndjit::linalg::dense::Qr;
/// // Fit y = c0 + c1 t through (0, 1), (1, 3), (2, 5).
/// let a = [1.0, 0.0, 1.0, 1.0, 1.0, 2.0];
/// let c = Qr::factor(&a, 3, 2)?.least_squares(&[1.0, 3.0, 5.0])?;
/// assert!((c[0] - 1.0).abs() < 1e-14 && (c[1] - 2.0).abs() < 1e-14);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Qr {
    rows: usize,
    cols: usize,
    /// R on and above the diagonal; reflector k (with its leading 1
    /// implied) below the diagonal of column k.
    factors: Vec<f64>,
    /// The scale of each reflector `I − tau v vᵀ`.
    taus: Vec<f64>,
}

impl Qr {
    /// Factors the row-major `rows × cols` matrix `a` (`rows ≥ cols`).
    /// Non-finite input is an error.
    #[track_caller]
    pub fn factor(a: &[f64], rows: usize, cols: usize) -> Result<Qr> {
        check_matrix("qr", a, rows, cols)?;
        if rows < cols {
            return Err(Error::invalid(
                "qr",
                format!("least-squares QR needs rows >= columns, got {rows}x{cols}"),
            ));
        }
        if let Some(bad) = a.iter().find(|v| !v.is_finite()) {
            return Err(Error::invalid(
                "qr",
                format!("the matrix holds a non-finite value ({bad})"),
            ));
        }
        let (m, n) = (rows, cols);
        let mut f = a.to_vec();
        let mut taus = vec![0.0; n];
        for k in 0..n {
            let norm = (k..m)
                .map(|i| f[i * n + k] * f[i * n + k])
                .sum::<f64>()
                .sqrt();
            if norm == 0.0 {
                continue;
            }
            let head = f[k * n + k];
            let beta = if head >= 0.0 { -norm } else { norm };
            let scale = head - beta;
            for i in k + 1..m {
                f[i * n + k] /= scale;
            }
            f[k * n + k] = beta;
            let tau = (beta - head) / beta;
            taus[k] = tau;
            // Apply I − tau v vᵀ to the remaining columns.
            for j in k + 1..n {
                let mut s = f[k * n + j];
                for i in k + 1..m {
                    s += f[i * n + k] * f[i * n + j];
                }
                s *= tau;
                f[k * n + j] -= s;
                for i in k + 1..m {
                    f[i * n + j] -= s * f[i * n + k];
                }
            }
        }
        Ok(Qr {
            rows,
            cols,
            factors: f,
            taus,
        })
    }

    /// Overwrites `b` (length rows) with `Qᵀ b`.
    // The reflector is a strided column of `factors`: indexing reads
    // plainer than zipping a step_by iterator with b.
    #[allow(clippy::needless_range_loop)]
    #[track_caller]
    pub fn apply_qt(&self, b: &mut [f64]) -> Result<()> {
        let (m, n) = (self.rows, self.cols);
        check_vector("qr", "b", b.len(), m)?;
        for k in 0..n {
            let tau = self.taus[k];
            if tau == 0.0 {
                continue;
            }
            let mut s = b[k];
            for i in k + 1..m {
                s += self.factors[i * n + k] * b[i];
            }
            s *= tau;
            b[k] -= s;
            for i in k + 1..m {
                b[i] -= s * self.factors[i * n + k];
            }
        }
        Ok(())
    }

    /// The `cols × cols` upper triangle R, row-major.
    pub fn r(&self) -> Vec<f64> {
        let n = self.cols;
        let mut r = vec![0.0; n * n];
        for i in 0..n {
            r[i * n + i..i * n + n].copy_from_slice(&self.factors[i * n + i..i * n + n]);
        }
        r
    }

    /// The solution of `min ‖A x − b‖₂`. A rank-deficient A (a diagonal
    /// element of R below `max(m, n) ε max|R_kk|`) is an error, since the
    /// minimizer is then not unique.
    #[track_caller]
    pub fn least_squares(&self, b: &[f64]) -> Result<Vec<f64>> {
        let n = self.cols;
        let mut qtb = b.to_vec();
        self.apply_qt(&mut qtb)?;
        let r = self.r();
        let largest = (0..n).map(|k| r[k * n + k].abs()).fold(0.0, f64::max);
        let tolerance = self.rows.max(n) as f64 * f64::EPSILON * largest;
        if let Some(k) = (0..n).find(|&k| r[k * n + k].abs() <= tolerance) {
            return Err(Error::invalid(
                "lstsq",
                format!("the matrix is rank deficient (column {k} is dependent on the others)"),
            ));
        }
        qtb.truncate(n);
        solve_triangular(&r, n, Triangle::Upper, false, false, &mut qtb)?;
        Ok(qtb)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_matrices::{multiply, Uniform};
    use super::*;

    #[test]
    fn recovers_an_exact_solution_and_is_orthogonal() {
        let (m, n) = (30, 7);
        let mut rng = Uniform::new(21);
        let a = rng.vector(m * n);
        let x = rng.vector(n);
        let b = multiply(&a, m, n, &x);
        let qr = Qr::factor(&a, m, n).expect("finite");
        let solved = qr.least_squares(&b).expect("full rank");
        let error = solved
            .iter()
            .zip(&x)
            .map(|(s, x)| (s - x).abs())
            .fold(0.0, f64::max);
        assert!(error < 1e-13, "error {error}");
        // Qᵀ preserves norms.
        let mut v = rng.vector(m);
        let before: f64 = v.iter().map(|t| t * t).sum();
        qr.apply_qt(&mut v).expect("sizes match");
        let after: f64 = v.iter().map(|t| t * t).sum();
        assert!((before - after).abs() < 1e-13 * before);
    }

    #[test]
    fn residual_is_orthogonal_to_the_columns() {
        let (m, n) = (12, 3);
        let mut rng = Uniform::new(4);
        let a = rng.vector(m * n);
        let b = rng.vector(m);
        let x = Qr::factor(&a, m, n)
            .and_then(|qr| qr.least_squares(&b))
            .expect("full rank");
        let fitted = multiply(&a, m, n, &x);
        for j in 0..n {
            let dot: f64 = (0..m).map(|i| a[i * n + j] * (b[i] - fitted[i])).sum();
            assert!(dot.abs() < 1e-13, "column {j}: {dot}");
        }
    }

    #[test]
    fn rank_deficient_wide_and_nan_are_errors() {
        let dependent = [1.0, 2.0, 2.0, 4.0, 3.0, 6.0];
        let error = Qr::factor(&dependent, 3, 2)
            .and_then(|qr| qr.least_squares(&[1.0, 2.0, 3.0]))
            .unwrap_err();
        assert!(error.to_string().contains("rank deficient"), "{error}");
        assert!(Qr::factor(&[1.0, 2.0], 1, 2).is_err());
        assert!(Qr::factor(&[f64::NAN, 1.0], 2, 1).is_err());
    }
}
