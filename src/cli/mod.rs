//! The `ndjit` command-line tool: `ndjit ir`, `ndjit tour`, `ndjit help`.

pub mod build;
pub mod expr;
pub mod source_error;
