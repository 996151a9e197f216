//! Triangular solves (SciPy's `solve_triangular`, LAPACK's `trsv`).

use super::{check_matrix, check_vector};
use crate::error::{Error, Result};

/// Which triangle of the matrix holds the factor; the other is not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Triangle {
    /// On and below the diagonal.
    Lower,
    /// On and above the diagonal.
    Upper,
}

/// Solves `T x = b` (or `Tᵀ x = b` when `transpose`) for the triangle of
/// the `n × n` row-major `a`, overwriting `b` with `x`. With
/// `unit_diagonal` the diagonal is taken as ones and not read. A zero on
/// the diagonal is a singular-matrix error.
///
/// ```
/// use ndjit::linalg::dense::{solve_triangular, Triangle};
/// let l = [2.0, 0.0, 1.0, 4.0];
/// let mut b = [2.0, 9.0];
/// solve_triangular(&l, 2, Triangle::Lower, false, false, &mut b)?;
/// assert_eq!(b, [1.0, 2.0]);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[track_caller]
pub fn solve_triangular(
    a: &[f64],
    n: usize,
    triangle: Triangle,
    transpose: bool,
    unit_diagonal: bool,
    b: &mut [f64],
) -> Result<()> {
    check_matrix("solve_triangular", a, n, n)?;
    check_vector("solve_triangular", "b", b.len(), n)?;
    if !unit_diagonal {
        if let Some(k) = (0..n).find(|&k| a[k * n + k] == 0.0) {
            return Err(Error::invalid(
                "solve_triangular",
                format!("singular matrix: diagonal element {k} is zero"),
            ));
        }
    }
    let diagonal = |k: usize| if unit_diagonal { 1.0 } else { a[k * n + k] };
    // Solving with Lᵀ is solving with an upper triangle read by columns.
    let forward = (triangle == Triangle::Lower) != transpose;
    if !transpose {
        // Row-oriented: x_i = (b_i − Σ_j t_ij x_j) / t_ii.
        let mut solve_row = |i: usize, range: std::ops::Range<usize>| {
            let row = &a[i * n + range.start..i * n + range.end];
            let s: f64 = row.iter().zip(&b[range]).map(|(t, x)| t * x).sum();
            b[i] = (b[i] - s) / diagonal(i);
        };
        if forward {
            (0..n).for_each(|i| solve_row(i, 0..i));
        } else {
            (0..n).rev().for_each(|i| solve_row(i, i + 1..n));
        }
    } else {
        // Column-oriented on the transpose: once x_j is known, subtract
        // its contribution t_ji x_j from the remaining right-hand sides.
        let order: Box<dyn Iterator<Item = usize>> = if forward {
            Box::new(0..n)
        } else {
            Box::new((0..n).rev())
        };
        for j in order {
            b[j] /= diagonal(j);
            let x = b[j];
            let row = &a[j * n..j * n + n];
            let others = if forward { j + 1..n } else { 0..j };
            for i in others {
                b[i] -= row[i] * x;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_matrices::Uniform;
    use super::*;

    /// A well-conditioned random triangle.
    fn triangle(n: usize, which: Triangle) -> Vec<f64> {
        let mut rng = Uniform::new(n as u64 + 40);
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                let keep = match which {
                    Triangle::Lower => j <= i,
                    Triangle::Upper => j >= i,
                };
                if keep {
                    a[i * n + j] = rng.next() / n as f64;
                }
            }
            a[i * n + i] = 2.0 + rng.next();
        }
        a
    }

    #[test]
    fn all_four_cases_against_a_product() {
        let n = 13;
        for which in [Triangle::Lower, Triangle::Upper] {
            let a = triangle(n, which);
            for transpose in [false, true] {
                for unit in [false, true] {
                    let x = Uniform::new(9).vector(n);
                    let entry = |i: usize, j: usize| {
                        let (r, c) = if transpose { (j, i) } else { (i, j) };
                        if unit && r == c {
                            1.0
                        } else {
                            a[r * n + c]
                        }
                    };
                    let mut b: Vec<f64> = (0..n)
                        .map(|i| (0..n).map(|j| entry(i, j) * x[j]).sum())
                        .collect();
                    solve_triangular(&a, n, which, transpose, unit, &mut b).expect("regular");
                    let error = b
                        .iter()
                        .zip(&x)
                        .map(|(s, x)| (s - x).abs())
                        .fold(0.0, f64::max);
                    assert!(
                        error < 1e-13,
                        "{which:?} transpose={transpose} unit={unit}: {error}"
                    );
                }
            }
        }
    }

    #[test]
    fn zero_diagonal_is_singular() {
        let mut b = [1.0, 1.0];
        let error = solve_triangular(
            &[1.0, 0.0, 1.0, 0.0],
            2,
            Triangle::Lower,
            false,
            false,
            &mut b,
        )
        .unwrap_err();
        assert!(error.to_string().contains("singular"), "{error}");
        // With a unit diagonal the stored zero is not read.
        solve_triangular(
            &[0.0, 0.0, 1.0, 0.0],
            2,
            Triangle::Lower,
            false,
            true,
            &mut b,
        )
        .expect("unit diagonal");
        assert_eq!(b, [1.0, 0.0]);
    }
}
