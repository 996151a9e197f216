//! ndjit: NumPy and SciPy for Rust, built as a compiler.

pub use ndjit_ir as ir;
