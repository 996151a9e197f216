//! Ordinary differential equations: SciPy's `solve_ivp` with the explicit
//! Runge–Kutta methods (RK23, RK45, DOP853), dense output and events.
//!
//! The right-hand side is traced once into a compiled [`Function`]
//! (crate::Function) and called on each stage's state; the method's own
//! arithmetic (stages, error norm, step control, interpolation, event
//! location) runs on plain `f64` slices.

mod events;
mod rhs;
mod runge_kutta;
mod solution;
mod solve_ivp;
mod tableaus;

pub use events::Event;
pub use rhs::{ArrayRhs, IntoRhs, PlainRhs, Rhs};
pub use solution::OdeSolution;
pub use solve_ivp::{solve_ivp, IvpOptions, Method, OdeResult, Tolerance};
