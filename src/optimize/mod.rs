//! Optimization: SciPy's `scipy.optimize`, with exact compiled derivatives.
//!
//! The objective is a closure over [`Array`](crate::Array)s, traced once
//! into compiled [`Function`](crate::Function)s — value and gradient by
//! reverse-mode autodiff, Hessian-vector products for Newton methods —
//! that each iteration calls on new data; the method's own arithmetic
//! runs on plain slices with [`crate::linalg::dense`], so no graph is built
//! per iteration. Plain Rust closures are accepted too ([`Objective`]),
//! with a user gradient or finite differences.
//!
//! - [`minimize`] with [`Method`]: BFGS, L-BFGS-B (bounds), CG,
//!   Newton-CG, Nelder-Mead; a strong-Wolfe (Moré–Thuente) line search.
//! - [`OptimizeResult`] with SciPy's fields, printed like SciPy's.
//! - [`root_scalar`] (bisect, brentq, brenth, ridder, newton, halley,
//!   secant; derivatives by autodiff) and [`minimize_scalar`] (Brent,
//!   bounded, golden).
//! - [`least_squares`] (Levenberg–Marquardt, MINPACK scaling, Jacobian by
//!   autodiff) and [`curve_fit`] (parameters and SciPy's covariance).

mod bfgs;
mod cg;
mod lbfgsb;
mod least_squares;
mod line_search;
mod minimize;
mod nelder_mead;
mod newton_cg;
mod objective;
mod options;
mod result;
pub(crate) mod scalar;

pub use least_squares::{
    curve_fit, least_squares, CurveFit, LeastSquaresOptions, LeastSquaresResult,
};
pub use minimize::minimize;
pub use objective::{IntoObjective, Objective};
pub use options::{Bounds, Callback, FiniteDifference, Iterate, Method, Options};
pub use result::{HessInv, OptimizeResult};
pub use scalar::{
    minimize_scalar, root_scalar, IntoScalarFunction, RootMethod, RootOptions, RootResults,
    ScalarFunction, ScalarMethod, ScalarOptions,
};
