//! Levenberg–Marquardt with MINPACK's variable scaling.

use super::residuals::Residuals;
use crate::error::{Error, Result};
use crate::linalg::dense::{dot, norm_inf, Cholesky};
use crate::Array;

/// SciPy's `least_squares` options for `method="lm"`; `None` is SciPy's
/// default.
#[derive(Clone, Debug, Default)]
pub struct LeastSquaresOptions {
    /// Stop when the relative reduction of the cost is below ftol (1e-8).
    pub ftol: Option<f64>,
    /// Stop when the relative step is below xtol (1e-8).
    pub xtol: Option<f64>,
    /// Stop when `‖Jᵀr‖∞` is below gtol (1e-8).
    pub gtol: Option<f64>,
    /// Limit on residual evaluations (100 n).
    pub max_nfev: Option<usize>,
}

impl LeastSquaresOptions {
    /// Sets ftol.
    pub fn ftol(mut self, v: f64) -> Self {
        self.ftol = Some(v);
        self
    }
    /// Sets xtol.
    pub fn xtol(mut self, v: f64) -> Self {
        self.xtol = Some(v);
        self
    }
    /// Sets gtol.
    pub fn gtol(mut self, v: f64) -> Self {
        self.gtol = Some(v);
        self
    }
    /// Sets max_nfev.
    pub fn max_nfev(mut self, v: usize) -> Self {
        self.max_nfev = Some(v);
        self
    }
}

/// SciPy's `least_squares` result.
#[derive(Clone, Debug, PartialEq)]
pub struct LeastSquaresResult {
    /// The solution.
    pub x: Vec<f64>,
    /// `½ Σ rᵢ²` at x.
    pub cost: f64,
    /// The residuals at x.
    pub fun: Vec<f64>,
    /// The Jacobian at x, row-major m × n.
    pub jac: Vec<f64>,
    /// `Jᵀ r` at x.
    pub grad: Vec<f64>,
    /// `‖Jᵀ r‖∞`, the first-order optimality.
    pub optimality: f64,
    /// Residual evaluations.
    pub nfev: usize,
    /// Jacobian evaluations.
    pub njev: usize,
    /// SciPy's status: 1 gtol, 2 ftol, 3 xtol, 4 ftol and xtol, 0 the
    /// evaluation limit.
    pub status: i32,
    /// SciPy's message.
    pub message: String,
    /// `status > 0`.
    pub success: bool,
}

/// Minimizes `½‖r(x)‖²` by Levenberg–Marquardt, as SciPy's
/// `least_squares(fun, x0, method="lm")`.
///
/// `residuals` maps x (1-d f64, length n) to r (1-d, length m ≥ n); its
/// Jacobian is traced and compiled with it (one call gives both). The
/// damped step solves `(JᵀJ + λ D²) δ = −Jᵀr` with MINPACK's scaling D
/// (the running maximum of the column norms of J), so badly scaled
/// parameters converge as well as well-scaled ones.
///
/// ```
/// use ndjit::optimize::{least_squares, LeastSquaresOptions};
/// use ndjit::Array;
/// // r = (x0 − 1, 10 (x1 − x0²)): Rosenbrock as least squares.
/// let r = |x: &Array| {
///     let (a, b) = (x.slice(ndjit::s![0..1]), x.slice(ndjit::s![1..2]));
///     ndjit::concatenate(&[&a - 1.0, 10.0 * (&b - a.square())], 0)
/// };
/// let result = least_squares(r, &[-1.2, 1.0], LeastSquaresOptions::default())?;
/// assert!(result.success && (result.x[0] - 1.0).abs() < 1e-8);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn least_squares(
    residuals: impl Fn(&Array) -> Array,
    x0: &[f64],
    options: LeastSquaresOptions,
) -> Result<LeastSquaresResult> {
    let n = x0.len();
    if n == 0 || x0.iter().any(|v| !v.is_finite()) {
        return Err(Error::invalid(
            "least_squares",
            "x0 must be non-empty and finite",
        ));
    }
    let problem = Residuals::trace(&residuals, n)?;
    let m = problem.m;
    if m < n {
        return Err(Error::invalid(
            "least_squares",
            format!("method lm needs at least as many residuals as variables, got {m} < {n}"),
        ));
    }
    let ftol = options.ftol.unwrap_or(1e-8);
    let xtol = options.xtol.unwrap_or(1e-8);
    let gtol = options.gtol.unwrap_or(1e-8);
    let max_nfev = options.max_nfev.unwrap_or(100 * n);
    let mut x = x0.to_vec();
    let (mut r, mut jac) = (vec![0.0; m], vec![0.0; m * n]);
    problem.evaluate(&x, &mut r, &mut jac)?;
    let (mut nfev, mut njev) = (1, 1);
    if r.iter().any(|v| !v.is_finite()) {
        return Err(Error::invalid(
            "least_squares",
            "residuals are not finite at x0",
        ));
    }
    let mut cost = 0.5 * dot(&r, &r);
    let (mut normal, mut grad) = (vec![0.0; n * n], vec![0.0; n]);
    let mut scale = vec![0.0; n];
    normal_equations(&jac, &r, m, n, &mut normal, &mut grad);
    update_scale(&normal, n, &mut scale);
    let mut lambda = 1e-3
        * (0..n)
            .map(|j| normal[j * n + j] / (scale[j] * scale[j]))
            .fold(0.0, f64::max);
    let mut nu = 2.0;
    let (mut trial_x, mut trial_r, mut trial_jac) = (vec![0.0; n], vec![0.0; m], vec![0.0; m * n]);
    let (status, message) = loop {
        if norm_inf(&grad) <= gtol {
            break (1, "`gtol` termination condition is satisfied.");
        }
        if nfev >= max_nfev {
            break (0, "The maximum number of function evaluations is exceeded.");
        }
        // (JᵀJ + λ D²) δ = −Jᵀr; a failed factorization means λ is too
        // small for the rank of J.
        let mut damped = normal.clone();
        for j in 0..n {
            damped[j * n + j] += lambda * scale[j] * scale[j];
        }
        let step = match Cholesky::factor(&damped, n) {
            Ok(c) => c.solve(&grad.iter().map(|g| -g).collect::<Vec<_>>())?,
            Err(_) => {
                lambda = (lambda * nu).max(1e-12);
                nu *= 2.0;
                continue;
            }
        };
        let scaled_step: f64 = step
            .iter()
            .zip(&scale)
            .map(|(d, s)| (d * s).powi(2))
            .sum::<f64>()
            .sqrt();
        let scaled_x: f64 = x
            .iter()
            .zip(&scale)
            .map(|(v, s)| (v * s).powi(2))
            .sum::<f64>()
            .sqrt();
        for j in 0..n {
            trial_x[j] = x[j] + step[j];
        }
        problem.evaluate(&trial_x, &mut trial_r, &mut trial_jac)?;
        nfev += 1;
        njev += 1;
        let trial_cost = 0.5 * dot(&trial_r, &trial_r);
        // Predicted reduction of the model: −(gᵀδ + ½ δᵀJᵀJδ) = ½ δᵀ(λD²δ − g).
        let predicted: f64 = (0..n)
            .map(|j| 0.5 * step[j] * (lambda * scale[j] * scale[j] * step[j] - grad[j]))
            .sum();
        let actual = cost - trial_cost;
        let ratio = if predicted > 0.0 {
            actual / predicted
        } else {
            -1.0
        };
        let small_step = scaled_step <= xtol * (xtol + scaled_x);
        if trial_cost.is_finite() && ratio > 0.0 {
            let small_reduction = actual <= ftol * cost && predicted <= ftol * cost && ratio <= 2.0;
            std::mem::swap(&mut x, &mut trial_x);
            std::mem::swap(&mut r, &mut trial_r);
            std::mem::swap(&mut jac, &mut trial_jac);
            cost = trial_cost;
            normal_equations(&jac, &r, m, n, &mut normal, &mut grad);
            update_scale(&normal, n, &mut scale);
            lambda *= (1.0f64 / 3.0).max(1.0 - (2.0 * ratio - 1.0).powi(3));
            nu = 2.0;
            match (small_reduction, small_step) {
                (true, true) => {
                    break (
                        4,
                        "Both `ftol` and `xtol` termination conditions are satisfied.",
                    )
                }
                (true, false) => break (2, "`ftol` termination condition is satisfied."),
                (false, true) => break (3, "`xtol` termination condition is satisfied."),
                _ => {}
            }
        } else {
            if small_step {
                break (3, "`xtol` termination condition is satisfied.");
            }
            lambda *= nu;
            nu *= 2.0;
        }
    };
    Ok(LeastSquaresResult {
        optimality: norm_inf(&grad),
        x,
        cost,
        fun: r,
        jac,
        grad,
        nfev,
        njev,
        status,
        message: message.to_string(),
        success: status > 0,
    })
}

/// `JᵀJ` and `Jᵀr`.
fn normal_equations(
    jac: &[f64],
    r: &[f64],
    m: usize,
    n: usize,
    normal: &mut [f64],
    grad: &mut [f64],
) {
    normal.iter_mut().for_each(|v| *v = 0.0);
    grad.iter_mut().for_each(|v| *v = 0.0);
    for i in 0..m {
        let row = &jac[i * n..i * n + n];
        crate::linalg::dense::syr(normal, n, 1.0, row);
        crate::linalg::dense::axpy(r[i], row, grad);
    }
}

/// MINPACK's scaling: D_j = max(D_j, ‖J_j‖), with 1 for a zero column.
fn update_scale(normal: &[f64], n: usize, scale: &mut [f64]) {
    for j in 0..n {
        let norm = normal[j * n + j].sqrt();
        scale[j] = scale[j].max(if norm == 0.0 { 1.0 } else { norm });
    }
}
