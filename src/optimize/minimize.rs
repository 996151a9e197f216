//! `minimize`: checks the inputs, runs the method, builds the result.

use super::objective::IntoObjective;
use super::options::{Bounds, Method, Monitor, Options};
use super::result::{HessInv, OptimizeResult};
use super::{bfgs, cg, lbfgsb, nelder_mead, newton_cg, Objective};
use crate::error::{Error, Result};

/// Minimizes a scalar function of n variables from `x0`, as SciPy's
/// `scipy.optimize.minimize(fun, x0, method=..., options=...)`.
///
/// `f` is a closure over [`Array`](crate::Array)s (traced once and
/// compiled, its gradient and Hessian-vector products exact by autodiff)
/// or an [`Objective`] built from plain closures. Non-convergence is
/// reported in the result (`success = false`, SciPy's status and message);
/// invalid input (an empty or non-finite x0, bounds of the wrong length,
/// lower > upper, x0 outside the bounds, bounds given to a method that
/// ignores them, an objective that does not return one value) is an
/// `Error`.
///
/// ```
/// use ndjit::optimize::{minimize, Method, Options};
/// use ndjit::{s, Array};
/// // SciPy's rosen.
/// let rosen = |x: &Array| {
///     let (head, tail) = (x.slice(s![..-1]), x.slice(s![1..]));
///     (100.0 * (&tail - head.square()).square() + (1.0 - &head).square()).sum(..)
/// };
/// let result = minimize(rosen, &[-1.2, 1.0], Method::Bfgs, Options::default())?;
/// assert!(result.success);
/// assert!((result.x[0] - 1.0).abs() < 1e-5 && (result.x[1] - 1.0).abs() < 1e-5);
/// println!("{result}");
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn minimize<'a>(
    f: impl IntoObjective<'a>,
    x0: &[f64],
    method: Method,
    options: Options<'_>,
) -> Result<OptimizeResult> {
    let mut objective = f.into_objective();
    objective.set_scheme(options.finite_difference);
    check_inputs(x0, method, options.bounds.as_ref())?;
    let mut options = options;
    let monitor = Monitor::new(options.disp, options.callback.take());
    let mut run = Run {
        objective: &mut objective,
        options: &options,
        monitor,
        x: x0.to_vec(),
        fun: f64::NAN,
        jac: None,
        hess_inv: None,
        nit: 0,
    };
    let finish = match method {
        Method::Bfgs => bfgs::bfgs(&mut run)?,
        Method::LBfgsB => lbfgsb::lbfgsb(&mut run)?,
        Method::Cg => cg::cg(&mut run)?,
        Method::NewtonCg => newton_cg::newton_cg(&mut run)?,
        Method::NelderMead => nelder_mead::nelder_mead(&mut run)?,
    };
    let counts = run.objective.counts();
    let Run {
        x,
        fun,
        jac,
        hess_inv,
        nit,
        ..
    } = run;
    let (status, message) = finish.status_and_message();
    Ok(OptimizeResult {
        x,
        fun,
        jac,
        hess_inv,
        nit,
        nfev: counts.nfev,
        njev: if method.uses_gradient() {
            counts.njev
        } else {
            0
        },
        nhev: counts.nhev,
        success: status == 0,
        status,
        message,
    })
}

/// The state a method works on and leaves its answer in.
pub(crate) struct Run<'o, 'a> {
    pub objective: &'o mut Objective<'a>,
    pub options: &'o Options<'o>,
    pub monitor: Monitor<'o>,
    pub x: Vec<f64>,
    pub fun: f64,
    pub jac: Option<Vec<f64>>,
    pub hess_inv: Option<HessInv>,
    pub nit: usize,
}

/// Why a method stopped.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Finish {
    /// The method's convergence test passed.
    Converged,
    /// L-BFGS-B's convergence tests, with their messages.
    ConvergedWith(&'static str),
    MaxIter,
    MaxFun,
    /// The line search found no acceptable step.
    PrecisionLoss,
    Nan,
    Callback,
    /// L-BFGS-B's other stops, SciPy's status and message.
    Other(i32, String),
}

impl Finish {
    fn status_and_message(self) -> (i32, String) {
        let (status, message) = match self {
            Finish::Converged => (0, "Optimization terminated successfully."),
            Finish::ConvergedWith(message) => (0, message),
            Finish::MaxIter => (1, "Maximum number of iterations has been exceeded."),
            Finish::MaxFun => (
                1,
                "Maximum number of function evaluations has been exceeded.",
            ),
            Finish::PrecisionLoss => (
                2,
                "Desired error not necessarily achieved due to precision loss.",
            ),
            Finish::Nan => (3, "NaN result encountered."),
            Finish::Callback => (99, "`callback` raised `StopIteration`."),
            Finish::Other(status, message) => return (status, message),
        };
        (status, message.to_string())
    }
}

fn check_inputs(x0: &[f64], method: Method, bounds: Option<&Bounds>) -> Result<()> {
    if x0.is_empty() {
        return Err(Error::invalid("minimize", "x0 is empty"));
    }
    if let Some(i) = x0.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(
            "minimize",
            format!("x0[{i}] is {}, not finite", x0[i]),
        ));
    }
    let Some(bounds) = bounds else {
        return Ok(());
    };
    if !matches!(method, Method::LBfgsB | Method::NelderMead) {
        return Err(Error::invalid(
            "minimize",
            format!("method {method} cannot handle bounds (use L-BFGS-B or Nelder-Mead)"),
        ));
    }
    let n = x0.len();
    if bounds.lower.len() != n || bounds.upper.len() != n {
        return Err(Error::invalid(
            "minimize",
            format!(
                "bounds have {} lower and {} upper values for {n} variables",
                bounds.lower.len(),
                bounds.upper.len()
            ),
        ));
    }
    for (i, (&l, &u)) in bounds.lower.iter().zip(&bounds.upper).enumerate() {
        if l.is_nan() || u.is_nan() || l > u {
            return Err(Error::invalid(
                "minimize",
                format!("bounds of variable {i} are not an interval: lower {l} > upper {u}"),
            ));
        }
        if x0[i] < l || x0[i] > u {
            return Err(Error::invalid(
                "minimize",
                format!("x0[{i}] = {} is outside its bounds [{l}, {u}]", x0[i]),
            ));
        }
    }
    Ok(())
}
