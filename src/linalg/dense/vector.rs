//! Level-1 routines on slices: the inner loops of every solver iteration.

/// The dot product `Σ x_i y_i` over the common length.
///
/// Eight independent partial sums, so the loop pipelines and vectorizes;
/// compiled twice, and the AVX2 copy (four lanes, no FMA, so the same
/// rounding) taken when the CPU has it: these loops are most of an
/// L-BFGS-B iteration at n = 1000.
pub fn dot(x: &[f64], y: &[f64]) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU was just found to support AVX2.
        return unsafe { dot_avx2(x, y) };
    }
    dot_body(x, y)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn dot_avx2(x: &[f64], y: &[f64]) -> f64 {
    dot_body(x, y)
}

#[inline(always)]
fn dot_body(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    let (x, y) = (&x[..n], &y[..n]);
    let mut partial = [0.0f64; 8];
    let mut x8 = x.chunks_exact(8);
    let mut y8 = y.chunks_exact(8);
    for (a, b) in (&mut x8).zip(&mut y8) {
        for k in 0..8 {
            partial[k] += a[k] * b[k];
        }
    }
    let tail: f64 = x8
        .remainder()
        .iter()
        .zip(y8.remainder())
        .map(|(a, b)| a * b)
        .sum();
    let quads = [
        partial[0] + partial[4],
        partial[1] + partial[5],
        partial[2] + partial[6],
        partial[3] + partial[7],
    ];
    (quads[0] + quads[1]) + (quads[2] + quads[3]) + tail
}

/// `y += alpha x` over the common length (AVX2 when the CPU has it, as
/// [`dot`]).
pub fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU was just found to support AVX2.
        return unsafe { axpy_avx2(alpha, x, y) };
    }
    axpy_body(alpha, x, y)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn axpy_avx2(alpha: f64, x: &[f64], y: &mut [f64]) {
    axpy_body(alpha, x, y)
}

#[inline(always)]
fn axpy_body(alpha: f64, x: &[f64], y: &mut [f64]) {
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
