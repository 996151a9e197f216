//! `curve_fit`: fit a model's parameters to data, with SciPy's covariance.

use super::levenberg_marquardt::{least_squares, LeastSquaresOptions, LeastSquaresResult};
use crate::error::{Error, Result};
use crate::linalg::dense::{solve_triangular, Qr, Triangle};
use crate::Array;

/// The fitted parameters, their covariance (row-major p × p) and the
/// underlying least-squares result.
#[derive(Clone, Debug, PartialEq)]
pub struct CurveFit {
    /// The optimal parameters (SciPy's `popt`).
    pub popt: Vec<f64>,
    /// Their estimated covariance (SciPy's `pcov`), scaled by the reduced
    /// χ² unless `absolute_sigma`; all `inf` when it cannot be estimated
    /// (a rank-deficient Jacobian, or no more points than parameters).
    pub pcov: Vec<f64>,
    /// The least-squares run.
    pub result: LeastSquaresResult,
}

/// Fits `model(xdata, params)` to `ydata`, as SciPy's
/// `curve_fit(f, xdata, ydata, p0, sigma, absolute_sigma)` with
/// `method="lm"`: minimizes `Σ ((model − y)/σ)²`, Jacobian by autodiff.
/// A run that does not converge is an error, as SciPy's `RuntimeError`.
///
/// ```
/// use ndjit::optimize::curve_fit;
/// use ndjit::Array;
/// let t: Vec<f64> = (0..20).map(|i| i as f64 * 0.25).collect();
/// let y: Vec<f64> = t.iter().map(|t| 3.0 * (-0.7 * t).exp() + 0.5).collect();
/// let model = |t: &Array, p: &Array| {
///     let (a, k, c) = (p.slice(ndjit::s![0]), p.slice(ndjit::s![1]), p.slice(ndjit::s![2]));
///     a * (-(k * t)).exp() + c
/// };
/// let fit = curve_fit(model, &Array::from_vec(t, [20]), &y, &[1.0, 1.0, 0.0], None, false)?;
/// assert!((fit.popt[0] - 3.0).abs() < 1e-8 && (fit.popt[1] - 0.7).abs() < 1e-8);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn curve_fit(
    model: impl Fn(&Array, &Array) -> Array,
    xdata: &Array,
    ydata: &[f64],
    p0: &[f64],
    sigma: Option<&[f64]>,
    absolute_sigma: bool,
) -> Result<CurveFit> {
    let m = ydata.len();
    if let Some(sigma) = sigma {
        if sigma.len() != m || sigma.iter().any(|s| s.is_nan() || *s <= 0.0) {
            return Err(Error::invalid(
                "curve_fit",
                format!("sigma must hold {m} positive values, one per data point"),
            ));
        }
    }
    if ydata.iter().any(|v| !v.is_finite()) {
        return Err(Error::invalid("curve_fit", "ydata holds non-finite values"));
    }
    let xdata = xdata.eval()?;
    let y = Array::from_slice(ydata, [m]);
    let weights =
        sigma.map(|s| Array::from_vec(s.iter().map(|v| 1.0 / v).collect::<Vec<f64>>(), [m]));
    let residuals = |p: &Array| {
        let difference = model(&xdata, p).flatten() - &y;
        match &weights {
            Some(w) => difference * w,
            None => difference,
        }
    };
    let result = least_squares(residuals, p0, LeastSquaresOptions::default())?;
    if !result.success {
        return Err(Error::invalid(
            "curve_fit",
            format!("optimal parameters not found: {}", result.message),
        ));
    }
    let n = p0.len();
    let mut pcov = covariance(&result.jac, m, n).unwrap_or_else(|| vec![f64::INFINITY; n * n]);
    if !absolute_sigma {
        if m > n {
            let reduced_chi_squared = 2.0 * result.cost / (m - n) as f64;
            pcov.iter_mut().for_each(|v| *v *= reduced_chi_squared);
        } else {
            pcov.iter_mut().for_each(|v| *v = f64::INFINITY);
        }
    }
    Ok(CurveFit {
        popt: result.x.clone(),
        pcov,
        result,
    })
}

/// `(JᵀJ)⁻¹ = R⁻¹R⁻ᵀ` from the QR of J; `None` if J is rank deficient.
fn covariance(jac: &[f64], m: usize, n: usize) -> Option<Vec<f64>> {
    let r = Qr::factor(jac, m, n).ok()?.r();
    let largest = (0..n).map(|k| r[k * n + k].abs()).fold(0.0, f64::max);
    if (0..n).any(|k| r[k * n + k].abs() <= f64::EPSILON * m.max(n) as f64 * largest) {
        return None;
    }
    // Column k of R⁻¹R⁻ᵀ is R⁻¹ (R⁻ᵀ e_k): two triangular solves.
    let mut cov = vec![0.0; n * n];
    let mut column = vec![0.0; n];
    for k in 0..n {
        column.iter_mut().for_each(|v| *v = 0.0);
        column[k] = 1.0;
        solve_triangular(&r, n, Triangle::Upper, true, false, &mut column).ok()?;
        solve_triangular(&r, n, Triangle::Upper, false, false, &mut column).ok()?;
        for i in 0..n {
            cov[i * n + k] = column[i];
        }
    }
    Some(cov)
}
