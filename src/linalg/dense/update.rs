//! Symmetric rank-one and rank-two updates (BLAS `syr`, `syr2`) and the
//! matrix-vector product (`gemv`), on full row-major storage.

/// `A += alpha (x yᵀ + y xᵀ)` on a full symmetric `n × n` matrix: the
/// BFGS update of an inverse Hessian is one of these. Both triangles are
/// written, so the matrix stays usable by [`matvec`]. `x` and `y` must
/// have length n and `a` n² elements (checked in debug builds; callers are
/// solvers that size them once).
pub fn syr2(a: &mut [f64], n: usize, alpha: f64, x: &[f64], y: &[f64]) {
    debug_assert!(a.len() == n * n && x.len() == n && y.len() == n);
    for (i, row) in a.chunks_exact_mut(n).enumerate() {
        let (ax, ay) = (alpha * x[i], alpha * y[i]);
        for ((r, xj), yj) in row.iter_mut().zip(x).zip(y) {
            *r += ax * yj + ay * xj;
        }
    }
}

/// `A += alpha x xᵀ` on a full symmetric `n × n` matrix.
pub fn syr(a: &mut [f64], n: usize, alpha: f64, x: &[f64]) {
    debug_assert!(a.len() == n * n && x.len() == n);
    for (i, row) in a.chunks_exact_mut(n).enumerate() {
        let ax = alpha * x[i];
        for (r, xj) in row.iter_mut().zip(x) {
            *r += ax * xj;
        }
    }
}

/// `y = A x` for a row-major `m × n` matrix (`y` has length m).
pub fn matvec(a: &[f64], m: usize, n: usize, x: &[f64], y: &mut [f64]) {
    debug_assert!(a.len() == m * n && x.len() == n && y.len() == m);
    for (yi, row) in y.iter_mut().zip(a.chunks_exact(n)) {
        *yi = super::dot(row, x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_updates_and_product() {
        let mut a = vec![1.0, 0.0, 0.0, 1.0];
        syr2(&mut a, 2, 0.5, &[1.0, 2.0], &[3.0, 4.0]);
        // 0.5 (x yᵀ + y xᵀ) = [[3, 5], [5, 8]]
        assert_eq!(a, vec![4.0, 5.0, 5.0, 9.0]);
        syr(&mut a, 2, -1.0, &[1.0, 1.0]);
        assert_eq!(a, vec![3.0, 4.0, 4.0, 8.0]);
        let mut y = [0.0; 2];
        matvec(&a, 2, 2, &[1.0, -1.0], &mut y);
        assert_eq!(y, [-1.0, -4.0]);
    }
}
