//! The one error type of the `ndjit` crate.

use ndjit_ir::IrError;
use std::panic::Location;
use thiserror::Error;

/// Everything that can go wrong in ndjit. User input never panics the
/// library; it yields one of these, saying what went wrong and where.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum Error {
    /// An array operation was given operands it cannot accept (shapes that
    /// do not broadcast, a bad axis, a reshape to another size, a dtype the
    /// op is not defined on, a slice out of range, ...).
    #[error("{op}: {message} (at {location})")]
    InvalidOp {
        /// The operation, by its NumPy-style name.
        op: String,
        /// What is wrong, naming the shapes and dtypes involved.
        message: String,
        /// The caller's source location.
        location: &'static Location<'static>,
    },
    /// Reading data out of an array in a form it does not have (wrong
    /// element type, `item()` of a non-scalar, ...).
    #[error("{0}")]
    Access(String),
    /// Compiling a kernel failed. This is a bug of ndjit, never of the
    /// user's program: please report it with the kernel text.
    #[error("code generation failed: {message}\nkernel:\n{kernel}")]
    Codegen {
        /// What failed (a Cranelift error, or the malformed part of the kernel).
        message: String,
        /// The kernel's text form.
        kernel: String,
    },
    /// A file could not be read or written: missing or unreadable, not in
    /// the format it claims (a `.npy` header that is not NumPy's, data
    /// shorter than its shape says, a member past an `.npz` size limit), or
    /// holding a dtype ndjit does not have (see [`crate::io`]).
    #[error("{path}: {message}")]
    File {
        /// The file (or archive member, `archive.npz/name.npy`).
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// An error of the graph layer (text form, evaluation).
    #[error(transparent)]
    Ir(#[from] IrError),
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An [`Error::InvalidOp`] at the caller's location.
    #[track_caller]
    pub(crate) fn invalid(op: impl Into<String>, message: impl Into<String>) -> Error {
        Error::InvalidOp {
            op: op.into(),
            message: message.into(),
            location: Location::caller(),
        }
    }

    /// Turns a graph-layer type error into an [`Error::InvalidOp`] at the
    /// caller's location; other errors pass through.
    #[track_caller]
    pub(crate) fn at_caller(error: IrError) -> Error {
        match error {
            IrError::Type { op, message } => Error::invalid(op, message),
            other => Error::Ir(other),
        }
    }
}
