// The README is the crate's front page, and its examples run as doctests,
// so the tour it shows stays true.
#![doc = include_str!("../README.md")]

pub mod array;
pub mod autodiff;
// Public only for `codegen::cranelift_ir` (the text `ndjit ir` and the
// golden tests print); compiling and running kernels stays inside.
pub mod codegen;
pub mod error;
mod function;
pub mod integrate;
pub mod io;
pub mod linalg;
pub mod optimize;
// Public: the backend choice, the thread limit, statistics and evaluating
// an IR graph; the caches, programs and threads behind them are private.
pub mod runtime;

pub use array::eval::{eval_many, eval_many_with, trace_graph as trace, trace_with_inputs};
pub use array::{
    array_repr, binary, concatenate, stack, where_, ArangeElement, Array, Axes, Operand,
    SliceBound, SliceItem,
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
