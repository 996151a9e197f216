//! Automatic differentiation of Rust closures over [`Array`](crate::Array)s,
//! in the spirit of JAX: [`grad`], [`value_and_grad`], [`vjp`], [`jvp`],
//! [`hvp`], [`jacobian`], [`hessian`], and the several-argument forms
//! [`grad_n`], [`value_and_grad_n`], [`vjp_n`], [`jvp_n`].
//!
//! Each call runs the closure on lazy stand-ins of its arguments, traces the
//! graph it builds back to them, applies the IR transformation
//! ([`ndjit_ir::autodiff`]: one VJP and one JVP rule per op), and rebuilds
//! the new nodes as lazy arrays over the closure's own intermediates. So a
//! derivative is an ordinary lazy array, a function of the arguments: it is
//! optimized, fused and compiled like any other expression, evaluated
//! together with the value when asked (`eval_many`), differentiated again
//! (`grad(grad(f))`, [`hvp`], [`hessian`]), or traced into a
//! [`crate::Function`] to run many times on new data.
//!
//! While a closure is traced nothing is realized (neither by the automatic
//! depth limit nor by `eval`, which then computes without storing), so very
//! deep closures stay differentiable. Conventions at non-differentiable
//! points (ties of `max`, `abs` at 0, ...) are listed in
//! [`ndjit_ir::autodiff`].

mod forward;
mod jacobian;
mod record;
mod reverse;

pub use forward::{hvp, jvp, jvp_n};
pub use jacobian::{hessian, jacobian};
pub use reverse::{grad, grad_n, value_and_grad, value_and_grad_n, vjp, vjp_n};
