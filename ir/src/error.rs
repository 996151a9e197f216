//! Errors raised by the graph layer.

use thiserror::Error;

/// What can go wrong while building, parsing or evaluating a graph.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum IrError {
    /// An op was given operands its shape or dtype rule rejects.
    #[error("{op}: {message}")]
    Type {
        /// The op's name in the text form (`add`, `reshape`, ...).
        op: &'static str,
        /// What is wrong, naming the shapes/dtypes involved.
        message: String,
    },
    /// The text form could not be read.
    #[error("line {line}: {message}")]
    Parse {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Memory for a value could not be allocated (NumPy's `MemoryError`).
    #[error("{op}: cannot allocate {bytes} bytes")]
    Memory {
        /// What was being computed.
        op: String,
        /// The bytes asked for (exact, even beyond `usize`).
        bytes: u128,
    },
    /// Buffers handed to an evaluator do not match the graph's inputs.
    #[error("input {index}: {message}")]
    Input {
        /// The input's position.
        index: usize,
        /// What is wrong.
        message: String,
    },
}

/// Shorthand for the graph layer's results.
pub type Result<T, E = IrError> = std::result::Result<T, E>;
