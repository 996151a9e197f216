//! Level-1 routines on slices: the inner loops of every solver iteration.

/// The dot product `Σ x_i y_i` over the common length.
///
/// Four independent partial sums, so the loop pipelines and vectorizes.
pub fn dot(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    let (x, y) = (&x[..n], &y[..n]);
    let mut partial = [0.0f64; 4];
    let mut x4 = x.chunks_exact(4);
    let mut y4 = y.chunks_exact(4);
    for (a, b) in (&mut x4).zip(&mut y4) {
        for k in 0..4 {
            partial[k] += a[k] * b[k];
        }
    }
    let tail: f64 = x4
        .remainder()
        .iter()
        .zip(y4.remainder())
        .map(|(a, b)| a * b)
        .sum();
    (partial[0] + partial[1]) + (partial[2] + partial[3]) + tail
}

/// `y += alpha x` over the common length.
pub fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

/// The Euclidean norm, scaled so that it neither overflows nor underflows
/// (as LAPACK's `dnrm2`). NaN if an element is NaN.
pub fn norm2(x: &[f64]) -> f64 {
    let scale = norm_inf(x);
    if scale == 0.0 || !scale.is_finite() {
        return scale;
    }
    let sum: f64 = x.iter().map(|v| (v / scale) * (v / scale)).sum();
    scale * sum.sqrt()
}

/// The largest absolute value (0 for an empty slice, NaN if one is NaN).
pub fn norm_inf(x: &[f64]) -> f64 {
    let mut best = 0.0f64;
    for v in x {
        let a = v.abs();
        if a.is_nan() {
            return f64::NAN;
        }
        best = best.max(a);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_one() {
        let x: Vec<f64> = (1..=7).map(f64::from).collect();
        let y = vec![1.0; 7];
        assert_eq!(dot(&x, &y), 28.0);
        let mut z = y.clone();
        axpy(2.0, &x, &mut z);
        assert_eq!(z[6], 15.0);
        assert_eq!(norm2(&[3.0, 4.0]), 5.0);
        assert_eq!(norm2(&[3e300, 4e300]), 5e300);
        assert_eq!(norm_inf(&[-3.0, 2.0]), 3.0);
        assert!(norm_inf(&[1.0, f64::NAN]).is_nan());
        assert!(norm2(&[1.0, f64::NAN]).is_nan());
    }
}
