//! Nonlinear least squares: `least_squares` (Levenberg–Marquardt) and
//! `curve_fit`, Jacobians by autodiff.

mod curve_fit;
mod levenberg_marquardt;
mod residuals;

pub use curve_fit::{curve_fit, CurveFit};
pub use levenberg_marquardt::{least_squares, LeastSquaresOptions, LeastSquaresResult};
