//! The NumPy-like expression language of the command-line tool.
//!
//! An expression is Python syntax for NumPy code, without the `np.`:
//!
//! ```text
//! exp(-x*x) * sin(y) + cos(z)
//! where(x > 0, sqrt(x), 0.0)
//! sum(x * y, axis=1) / std(x, axis=(0, 1), ddof=1)
//! x[1:3, ::-1].T + reshape(y, (2, 3))[:, None]
//! ```
//!
//! - Literals: integers (`2`) and floats (`2.0`, `.5`, `1e-3`). As Python
//!   scalars do in NumPy 2, they take the dtype of the array they meet
//!   (`x * 2.0` keeps `x` in `f32`). An operation between two literals is a
//!   0-d array.
//! - Names: variables (arrays declared to the command), `None`.
//! - Operators, loosest first, as in Python: comparisons `< <= > >= == !=`
//!   (not chained); `|`; `&` (logical or/and of truth values); `+ -`;
//!   `* / // %`; unary `-` and `+`; `**` (right-associative, and tighter
//!   than a unary minus on its left: `-x**2` is `-(x**2)`); then calls,
//!   indexing `x[...]` and `.T`.
//! - Indexing: integers, slices `start:stop:step` (each part optional,
//!   negative values from the end) and `None` (a new axis).
//! - Functions: see [`build`](crate::build).
//!
//! [`parse`] gives a syntax tree ([`Expr`]) that commands turn into arrays.
//! Errors are [`SourceError`](crate::source_error::SourceError)s that
//! point at the offending text.

mod ast;
mod lex;
mod parse;

pub use ast::{BinaryOperator, Expr, ExprKind, IndexItem, Keyword, UnaryOperator};
pub use parse::parse;

#[cfg(test)]
mod tests;
