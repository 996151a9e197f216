//! ndjit: NumPy and SciPy for Rust, built as a compiler.
//!
//! Array operations build a lazy expression graph; [`Array::eval`] compiles
//! and runs it. See the crate README for a tour.

pub mod array;
pub mod autodiff;
pub mod error;
mod function;

pub use array::eval::eval_many;
pub use array::{where_, ArangeElement, Array, Axes, Operand, SliceItem};
pub use error::{Error, Result};
pub use function::Function;
pub use ndjit_ir as ir;
pub use ndjit_ir::{DType, Shape, TensorType};
