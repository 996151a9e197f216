// The README is the crate's front page, and its examples run as doctests,
// so the tour it shows stays true.
#![doc = include_str!("../README.md")]

pub mod array;
pub mod autodiff;
pub mod cli;
pub mod codegen;
pub mod error;
mod function;
pub mod runtime;

pub use array::eval::{eval_many, eval_many_with, trace_graph as trace};
pub use array::{
    array_repr, concatenate, stack, where_, ArangeElement, Array, Axes, Operand, SliceBound,
    SliceItem,
};
pub use error::{Error, Result};
pub use function::Function;
pub use ndjit_ir as ir;
pub use ndjit_ir::{DType, Shape, TensorType};
pub use runtime::{stats, Stats};

/// How ndjit is built: the design decisions beyond the project's map
/// (`DESIGN.md`), each with the module that holds the details.
#[doc = include_str!("design.md")]
pub mod design {}
