//! Integration: SciPy's `scipy.integrate`.
//!
//! - [`quad`]: adaptive quadrature of a function of one variable
//!   (QUADPACK's QAGS, QAGI for infinite ranges, QAGP with break points,
//!   QAWC for Cauchy principal values). The integrand may be an array
//!   closure, traced once and compiled, then evaluated on all nodes of a
//!   batch in one call.
//! - [`trapezoid`], [`simpson`], [`romb`], [`cumulative_trapezoid`]:
//!   integrals of sampled data along an axis, as lazy array expressions.
//! - [`solve_ivp`]: initial value problems with RK23, RK45 and DOP853,
//!   dense output and events; the right-hand side may be an array closure,
//!   traced once and compiled.

mod adaptive;
mod epsilon;
mod gauss_kronrod;
mod integrand;
mod ode;
mod quad;
mod sampled;
mod weighted;

pub use adaptive::{Interval, QuadStatus};
pub use integrand::{ArrayFn, Integrand, IntoIntegrand, Prepared, ScalarFn};
pub use ode::{
    solve_ivp, ArrayRhs, Event, IntoRhs, IvpOptions, Method, OdeResult, OdeSolution, PlainRhs, Rhs,
    Tolerance,
};
pub use quad::{quad, QuadOptions, QuadResult, Weight};
pub use sampled::{cumulative_trapezoid, romb, simpson, trapezoid, Spacing};
