//! Integration: SciPy's `scipy.integrate`.
//!
//! - [`quad`]: adaptive quadrature of a function of one variable
//!   (QUADPACK's QAGS, QAGI for infinite ranges, QAGP with break points,
//!   QAWO for cos/sin weights, QAWC for Cauchy principal values). The integrand may be an array
//!   closure, traced once and compiled, then evaluated on all nodes of a
//!   batch in one call.
//! - [`quad_vec`]: adaptive quadrature of vector-valued functions.
//! - [`fixed_quad`] (Gauss–Legendre), and [`nquad`], [`dblquad`],
//!   [`tplquad`] (nested `quad`).
//! - [`trapezoid`], [`simpson`], [`romb`], [`cumulative_trapezoid`]:
//!   integrals of sampled data along an axis, as lazy array expressions.
//! - [`solve_ivp`]: initial value problems with RK23, RK45 and DOP853,
//!   dense output and events; the right-hand side may be an array closure,
//!   traced once and compiled.

mod adaptive;
mod epsilon;
mod fixed;
mod gauss_kronrod;
mod integrand;
mod multiple;
mod ode;
mod oscillatory;
mod quad;
mod quad_vec;
mod sampled;
mod weighted;

pub use adaptive::{Interval, QuadStatus};
pub use fixed::fixed_quad;
pub use integrand::{ArrayFn, Integrand, IntoIntegrand, Prepared, ScalarFn};
pub use multiple::{dblquad, nquad, tplquad, NquadResult, Range};
pub use ode::{
    solve_ivp, ArrayRhs, Event, IntoRhs, IvpOptions, Method, OdeResult, OdeSolution, PlainRhs, Rhs,
    Tolerance,
};
pub use quad::{quad, QuadOptions, QuadResult, Weight};
pub use quad_vec::{
    quad_vec, ArrayVector, IntoVectorIntegrand, Norm, PlainVector, QuadVecOptions, QuadVecResult,
    QuadVecStatus, VectorIntegrand,
};
pub use sampled::{cumulative_trapezoid, romb, simpson, trapezoid, Spacing};
