//! Files: NumPy's `.npy` and `.npz` formats, and text tables.
//!
//! - [`load`] / [`save`] / [`info`]: one array in a `.npy` file, every
//!   dtype ndjit has, either byte order, C or Fortran order, format
//!   versions 1.0, 2.0 and 3.0. [`read_npy`] / [`write_npy`] do the same
//!   in memory.
//! - [`load_npz`] / [`savez`] / [`savez_compressed`]: several named arrays
//!   in a `.npz` zip archive, stored or deflated, read with a cap on the
//!   bytes decompressed (zip bombs are errors).
//! - [`memmap`]: a `.npy` file mapped into memory, whose array is a lazy
//!   input over the file's pages (no copy on open).
//! - [`loadtxt`] / [`genfromtxt`] / [`savetxt`]: text tables (CSV and
//!   whitespace-separated), missing values as NaN in `genfromtxt`.
//!
//! Files are untrusted input: a wrong magic string, an absurd header
//! length, a header that is not a Python literal, a shape whose size
//! overflows or exceeds the file, an unsupported dtype, truncated data —
//! each is an [`Error::File`] naming the file and saying what is wrong,
//! never a panic, an out-of-bounds read, or an allocation larger than the
//! file.

mod descr;
mod header;
mod literal;
mod memmap;
mod npy;
mod npz;
mod text;

pub use descr::{ByteOrder, Descr};
pub use header::NpyHeader;
pub use memmap::{memmap, Memmap, MmapMode};
pub use npy::{info, load, read_npy, save, write_npy};
pub use npz::{
    load_npz, load_npz_with_limit, read_npz, savez, savez_compressed, NpzArrays, DEFAULT_NPZ_LIMIT,
};
pub use text::{genfromtxt, loadtxt, parse_text, savetxt, SaveTxt, TextOptions};

use crate::Error;
use std::path::Path;

/// An [`Error::File`] about `path`.
pub(crate) fn file_error(path: &Path, message: impl Into<String>) -> Error {
    Error::File {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// A source that is not a file on disk (`<bytes>`, an archive member), for
/// naming in errors.
pub(crate) struct Named<'a>(pub(crate) &'a str);

impl Named<'_> {
    /// An [`Error::File`] about this source.
    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        Error::File {
            path: self.0.to_string(),
            message: message.into(),
        }
    }
}
