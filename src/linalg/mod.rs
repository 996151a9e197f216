//! Linear algebra.
//!
//! This round holds the per-iteration dense toolkit, [`dense`]: small
//! factorizations and updates on plain row-major `f64` slices, called by the
//! solvers of [`crate::optimize`] (and the ODE solvers) every iteration
//! without building a graph. Matmul and decompositions as lazy graph ops
//! live beside it.

pub mod dense;
