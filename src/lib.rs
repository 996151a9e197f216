//! ndjit: NumPy and SciPy for Rust, built as a compiler.
//!
//! Array operations build a lazy expression graph; [`Array::eval`] compiles
//! and runs it. See the crate README for a tour.

pub mod array;
pub mod autodiff;
pub mod cli;
pub mod codegen;
pub mod error;
mod function;
pub mod runtime;

pub use array::eval::{eval_many, eval_many_with, trace_graph as trace};
pub use array::{array_repr, where_, ArangeElement, Array, Axes, Operand, SliceItem};
pub use error::{Error, Result};
pub use function::Function;
pub use ndjit_ir as ir;
pub use ndjit_ir::{DType, Shape, TensorType};
pub use runtime::{stats, Stats};
