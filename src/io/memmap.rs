//! Memory-mapped `.npy` files (`np.load(path, mmap_mode=...)`).
//!
//! [`memmap`] maps the file and gives an [`Array`] whose buffer is the
//! mapping: opening copies nothing, and the kernels of any expression over
//! it read the file's pages as they go (the kernel loads from the mapping
//! like from any input buffer). A fused reduction over a mapped file is one
//! pass over the page cache with no array-sized allocation.

use super::header::NpyHeader;
use super::npy::{from_file_order, open, read_header};
use super::{file_error, ByteOrder};
use crate::{Array, Result};
use memmap2::{MmapMut, MmapOptions};
use ndjit_ir::{Buffer, DType, Element};
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::ptr::NonNull;
use std::sync::Arc;

/// How the file is mapped (`np.load`'s `mmap_mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MmapMode {
    /// `'r'`: read only; [`Memmap::as_mut_slice`] is refused.
    ReadOnly,
    /// `'c'`: writes through [`Memmap::as_mut_slice`] change this
    /// process's view only, never the file.
    CopyOnWrite,
    /// `'r+'`: writes change the file ([`Memmap::flush`] forces them out).
    ReadWrite,
}

/// A memory-mapped `.npy` file: its header, and arrays over its data.
pub struct Memmap {
    path: PathBuf,
    header: NpyHeader,
    mode: MmapMode,
    mapping: Arc<MmapMut>,
}

/// Maps the `.npy` file at `path` (native byte order; C or Fortran
/// order). Nothing is read but the header: the data is paged in by the
/// kernels that use it.
///
/// ```
/// use ndjit::io::{self, MmapMode};
/// use ndjit::Array;
/// let path = std::env::temp_dir().join("ndjit_doc_memmap.npy");
/// io::save(&path, &Array::arange(0.0, 1000.0, 1.0))?;
/// let mapped = io::memmap(&path, MmapMode::ReadOnly)?;
/// let x = mapped.array();                        // a lazy input over the file's pages
/// let mean = x.mean(..);
/// let variance = (&x - &mean).square().mean(..);  // fused, reads the mapping
/// assert_eq!(variance.item::<f64>()?, 83333.25);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn memmap(path: impl AsRef<Path>, mode: MmapMode) -> Result<Memmap> {
    let path = path.as_ref();
    let (mut reader, len) = open(path)?;
    let header = read_header(&mut reader, path)?;
    let error = |message: String| file_error(path, message);
    super::npy::check_available(&header, len.saturating_sub(header.data_offset as u64))
        .map_err(error)?;
    if header.descr.byte_order != ByteOrder::NATIVE && header.descr.dtype.size_bytes() > 1 {
        return Err(error(format!(
            "memmap needs the machine's byte order, the file is '{}': io::load converts it",
            header.descr
        )));
    }
    if header.data_offset % header.descr.dtype.size_bytes() != 0 {
        return Err(error(format!(
            "the data starts at byte {}, not aligned for '{}': io::load reads it",
            header.data_offset, header.descr
        )));
    }
    let file = OpenOptions::new()
        .read(true)
        .write(mode == MmapMode::ReadWrite)
        .open(path)
        .map_err(|e| error(format!("cannot open for {mode:?}: {e}")))?;
    // SAFETY: the mapping is only read or written through this module,
    // which hands out arrays while no `&mut` slice exists (see
    // `as_mut_slice`). Another process truncating the file while it is
    // mapped is the hazard every memory map carries (np.memmap's too).
    let mapping = unsafe {
        match mode {
            // Private mappings: a write never reaches the file.
            MmapMode::ReadOnly | MmapMode::CopyOnWrite => MmapOptions::new().map_copy(&file),
            MmapMode::ReadWrite => MmapOptions::new().map_mut(&file),
        }
    }
    .map_err(|e| error(format!("cannot map: {e}")))?;
    let mapped = Memmap {
        path: path.to_path_buf(),
        header,
        mode,
        mapping: Arc::new(mapping),
    };
    if mapped.header.descr.dtype == DType::Bool {
        // A bool must be 0 or 1 to be read as a Rust `bool`; NumPy files
        // hold nothing else, hostile ones might.
        if let Some(at) = mapped.data().iter().position(|&b| b > 1) {
            return Err(error(format!(
                "bool element {at} holds byte {}, not 0 or 1: io::load reads it as true",
                mapped.data()[at]
            )));
        }
    }
    Ok(mapped)
}

impl Memmap {
    /// The file's header.
    pub fn header(&self) -> &NpyHeader {
        &self.header
    }

    /// The data's bytes.
    fn data(&self) -> &[u8] {
        let start = self.header.data_offset;
        let bytes = self.header.numel().unwrap_or(0) * self.header.descr.dtype.size_bytes();
        &self.mapping[start..start + bytes]
    }

    /// The array stored in the file, as a lazy input whose buffer is the
    /// mapping (no copy; a Fortran-order file gives a transposed view).
    /// The array keeps the mapping alive.
    pub fn array(&self) -> Array {
        let header = &self.header;
        let numel = header.numel().expect("checked when mapped");
        let data = self.data();
        let ptr = NonNull::new(data.as_ptr() as *mut u8).expect("a mapping is never null");
        // SAFETY: `data` holds `numel` elements of the dtype (checked
        // against the file's length), aligned (page-aligned base, offset a
        // multiple of the item size), valid (bools checked when mapped);
        // the buffer holds the mapping alive, and `as_mut_slice` writes only
        // while no buffer over it exists.
        let buffer =
            unsafe { Buffer::from_external(header.descr.dtype, numel, ptr, self.mapping.clone()) };
        from_file_order(buffer, header)
    }

    /// The elements as a mutable slice in the file's order, for a
    /// copy-on-write or read-write mapping. Refused while an array over
    /// the mapping is alive (it would see its input change under it), for
    /// a read-only mapping, and when `T` is not the file's dtype.
    pub fn as_mut_slice<T: Element>(&mut self) -> Result<&mut [T]> {
        let error = |message: &str| file_error(&self.path, message);
        if self.mode == MmapMode::ReadOnly {
            return Err(error(
                "mapped read-only; map it with CopyOnWrite or ReadWrite to write",
            ));
        }
        if T::DTYPE != self.header.descr.dtype {
            return Err(error(&format!(
                "as_mut_slice::<{}>() on a file of dtype {}",
                T::DTYPE,
                self.header.descr.dtype
            )));
        }
        let numel = self.header.numel().expect("checked when mapped");
        let start = self.header.data_offset;
        let Some(mapping) = Arc::get_mut(&mut self.mapping) else {
            return Err(file_error(
                &self.path,
                "arrays over this mapping are alive: drop them before writing",
            ));
        };
        let bytes = &mut mapping[start..start + numel * T::DTYPE.size_bytes()];
        // SAFETY: `bytes` holds `numel` valid elements of `T` (its dtype
        // was checked), aligned as in `array`, and is borrowed exclusively.
        Ok(unsafe { std::slice::from_raw_parts_mut(bytes.as_mut_ptr() as *mut T, numel) })
    }

    /// Writes changes of a read-write mapping to the file (a no-op for the
    /// private modes).
    pub fn flush(&self) -> Result<()> {
        if self.mode != MmapMode::ReadWrite {
            return Ok(());
        }
        self.mapping
            .flush()
            .map_err(|e| file_error(&self.path, format!("flushing the mapping: {e}")))
    }
}
