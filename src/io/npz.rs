//! `.npz` archives: a zip file of `.npy` members, stored or deflated
//! (`np.savez`, `np.savez_compressed`, `np.load` of an archive).
//!
//! Reading is bounded: the bytes of array data decompressed from one
//! archive are capped ([`DEFAULT_NPZ_LIMIT`], or the limit given to
//! [`load_npz_with_limit`]), each member is decompressed only as far as
//! its header's shape says, and a shape asking for more than the member
//! declares is refused before allocating. A zip bomb is an error, not an
//! exhausted machine.

use super::header::NpyHeader;
use super::npy::{read_data, write_tensor};
use super::{file_error, Named};
use crate::array::eval::values;
use crate::{Array, Result};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::Path;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The default cap on array bytes decompressed from one archive: 4 GiB.
/// An archive holding more is read with [`load_npz_with_limit`].
pub const DEFAULT_NPZ_LIMIT: u64 = 4 << 30;

/// Arrays of an `.npz` archive by name (the member's name without `.npy`:
/// `x` for `np.savez(f, x=...)`, `arr_0` for a positional array).
pub type NpzArrays = BTreeMap<String, Array>;

/// Reads every array of an `.npz` archive, as `np.load` on one: stored or
/// deflated members, at most [`DEFAULT_NPZ_LIMIT`] bytes of data in all.
///
/// ```
/// use ndjit::{io, Array};
/// let path = std::env::temp_dir().join("ndjit_doc_npz.npz");
/// let x = Array::from_vec(vec![1.0, 2.0], [2]);
/// io::savez_compressed(&path, &[("x", &x), ("n", &Array::scalar(3i64))])?;
/// let arrays = io::load_npz(&path)?;
/// assert_eq!(arrays["x"].to_vec::<f64>()?, vec![1.0, 2.0]);
/// assert_eq!(arrays["n"].item::<i64>()?, 3);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn load_npz(path: impl AsRef<Path>) -> Result<NpzArrays> {
    load_npz_with_limit(path, DEFAULT_NPZ_LIMIT)
}

/// [`load_npz`] decompressing at most `max_bytes` bytes of array data: an
/// archive asking for more is an error naming the member that passed the
/// limit.
pub fn load_npz_with_limit(path: impl AsRef<Path>, max_bytes: u64) -> Result<NpzArrays> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| file_error(path, format!("cannot open: {e}")))?;
    read_archive(BufReader::new(file), &path.display().to_string(), max_bytes)
}

/// Reads an `.npz` archive from memory or any seekable reader (errors name
/// the source `<archive>`), decompressing at most `max_bytes` bytes of
/// array data.
pub fn read_npz(reader: impl Read + Seek, max_bytes: u64) -> Result<NpzArrays> {
    read_archive(reader, "<archive>", max_bytes)
}

/// Writes `arrays` to an uncompressed `.npz` archive, each as a `.npy`
/// member named `name.npy`, as `np.savez(path, name=array, ...)`.
pub fn savez(path: impl AsRef<Path>, arrays: &[(&str, &Array)]) -> Result<()> {
    write_archive(path.as_ref(), arrays, CompressionMethod::Stored)
}

/// [`savez`] with deflated members, as `np.savez_compressed`.
pub fn savez_compressed(path: impl AsRef<Path>, arrays: &[(&str, &Array)]) -> Result<()> {
    write_archive(path.as_ref(), arrays, CompressionMethod::Deflated)
}

fn read_archive(reader: impl Read + Seek, source: &str, max_bytes: u64) -> Result<NpzArrays> {
    let archive_error = |message: String| Named(source).error(message);
    let mut archive = ZipArchive::new(reader)
        .map_err(|e| archive_error(format!("not a readable zip archive: {e}")))?;
    let mut budget = max_bytes;
    let mut arrays = NpzArrays::new();
    for index in 0..archive.len() {
        let mut member = archive
            .by_index(index)
            .map_err(|e| archive_error(format!("member {index}: {e}")))?;
        let name = String::from_utf8_lossy(member.name_raw()).into_owned();
        let member_path = format!("{source}/{name}");
        let member_error = |message: String| Named(&member_path).error(message);
        let Some(key) = name.strip_suffix(".npy") else {
            return Err(member_error(
                "not a .npy member (ndjit reads arrays only)".into(),
            ));
        };
        let header = NpyHeader::read(&mut member).map_err(member_error)?;
        let needed = header.data_bytes().map_err(member_error)? as u64;
        if needed > budget {
            return Err(member_error(format!(
                "its {needed} bytes of data would pass the archive's limit of {max_bytes} \
                 decompressed bytes ({} already read); if the archive is trusted, raise the \
                 limit with io::load_npz_with_limit",
                max_bytes - budget
            )));
        }
        let declared = member.size().saturating_sub(header.data_offset as u64);
        let array = read_data(&mut member, &header, declared).map_err(member_error)?;
        budget -= needed;
        if arrays.insert(key.to_string(), array).is_some() {
            return Err(member_error(
                "the archive holds two members of this name".into(),
            ));
        }
    }
    Ok(arrays)
}

fn write_archive(path: &Path, arrays: &[(&str, &Array)], method: CompressionMethod) -> Result<()> {
    for (i, (name, _)) in arrays.iter().enumerate() {
        if name.is_empty() || arrays[..i].iter().any(|(other, _)| other == name) {
            return Err(file_error(
                path,
                format!("array names must be distinct and non-empty: {name:?}"),
            ));
        }
    }
    let handles: Vec<Array> = arrays.iter().map(|(_, a)| (*a).clone()).collect();
    let tensors = values(&handles)?;
    let write_error = |e: String| file_error(path, format!("writing: {e}"));
    let file = File::create(path).map_err(|e| file_error(path, format!("cannot create: {e}")))?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    for ((name, array), tensor) in arrays.iter().zip(&tensors) {
        let header_bytes = NpyHeader::new(tensor.dtype(), array.shape()).data_offset;
        let size = header_bytes + array.size() * tensor.dtype().size_bytes();
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .large_file(size as u64 >= u32::MAX as u64);
        zip.start_file(format!("{name}.npy"), options)
            .map_err(|e| write_error(e.to_string()))?;
        write_tensor(&mut zip, array.shape(), tensor).map_err(|e| write_error(e.to_string()))?;
    }
    zip.finish()
        .map_err(|e| write_error(e.to_string()))?
        .flush()
        .map_err(|e| write_error(e.to_string()))
}
