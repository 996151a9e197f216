//! `.npy` files: `load`, `save`, `info`, and their in-memory forms.

use super::descr::{with_element, ByteOrder, Codec};
use super::header::NpyHeader;
use super::{file_error, Named};
use crate::{Array, Result};
use ndjit_ir::{Buffer, Shape, Tensor};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

/// Bytes decoded or encoded per step: the staging buffer between the file
/// and the array (the array itself is allocated once, at its full size).
const CHUNK_BYTES: usize = 1 << 20;

/// Zip archives (`.npz`) start with this.
const ZIP_MAGIC: &[u8; 4] = b"PK\x03\x04";

/// Reads a `.npy` file, as `np.load`: every dtype ndjit has, either byte
/// order, C or Fortran order, format 1.0, 2.0 or 3.0. A Fortran-order file
/// gives a transposed view of its data (no copy). Errors name the file and
/// say what is wrong with it.
///
/// ```
/// use ndjit::{io, Array};
/// let path = std::env::temp_dir().join("ndjit_doc_load.npy");
/// io::save(&path, &Array::from_vec(vec![1.0, 2.0, 3.0], [3]))?;
/// assert_eq!(io::load(&path)?.to_vec::<f64>()?, vec![1.0, 2.0, 3.0]);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn load(path: impl AsRef<Path>) -> Result<Array> {
    let path = path.as_ref();
    let (mut reader, len) = open(path)?;
    let header = read_header(&mut reader, path)?;
    let available = len.saturating_sub(header.data_offset as u64);
    read_data(&mut reader, &header, available).map_err(|e| file_error(path, e))
}

/// The header of a `.npy` file (dtype, byte order, shape, order, format
/// version, where the data starts), checked against the file's length;
/// it prints as `ndjit info` shows it. Reads only the header.
///
/// ```
/// use ndjit::{io, Array};
/// let path = std::env::temp_dir().join("ndjit_doc_info.npy");
/// io::save(&path, &Array::zeros([2, 3], ndjit::DType::I32))?;
/// let header = io::info(&path)?;
/// assert_eq!(header.shape, vec![2, 3]);
/// assert!(header.to_string().contains("dtype    i32 ('<i4', little-endian)"));
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn info(path: impl AsRef<Path>) -> Result<NpyHeader> {
    let path = path.as_ref();
    let (mut reader, len) = open(path)?;
    let header = read_header(&mut reader, path)?;
    check_available(&header, len.saturating_sub(header.data_offset as u64))
        .map_err(|e| file_error(path, e))?;
    Ok(header)
}

/// Writes `array` to a `.npy` file (evaluating it first), as `np.save`:
/// C order, little-endian, format 1.0 (2.0 for a header past 64 KiB).
/// NumPy reads it back unchanged.
pub fn save(path: impl AsRef<Path>, array: &Array) -> Result<()> {
    let path = path.as_ref();
    let tensor = array.value()?;
    let shape = array.shape();
    let file = File::create(path).map_err(|e| file_error(path, format!("cannot create: {e}")))?;
    let mut writer = BufWriter::new(file);
    write_tensor(&mut writer, shape, &tensor)
        .and_then(|()| writer.flush())
        .map_err(|e| file_error(path, format!("writing: {e}")))
}

/// Reads a `.npy` file held in memory (as `np.load(io.BytesIO(bytes))`).
/// Errors name the source `<bytes>`.
pub fn read_npy(bytes: &[u8]) -> Result<Array> {
    let name = Named("<bytes>");
    let mut reader = bytes;
    let header = NpyHeader::read(&mut reader).map_err(|e| name.error(e))?;
    let available = reader.len() as u64;
    read_data(&mut reader, &header, available).map_err(|e| name.error(e))
}

/// Writes `array` in `.npy` format to `writer` (evaluating it first).
pub fn write_npy(writer: &mut impl Write, array: &Array) -> Result<()> {
    let tensor = array.value()?;
    write_tensor(writer, array.shape(), &tensor)
        .map_err(|e| Named("<writer>").error(format!("writing: {e}")))
}

/// Opens `path` for reading, with its length.
pub(crate) fn open(path: &Path) -> Result<(BufReader<File>, u64)> {
    let file = File::open(path).map_err(|e| file_error(path, format!("cannot open: {e}")))?;
    let len = file
        .metadata()
        .map_err(|e| file_error(path, format!("cannot read its size: {e}")))?
        .len();
    Ok((BufReader::with_capacity(CHUNK_BYTES, file), len))
}

/// Reads the header, saying so when the file is an `.npz` archive instead.
pub(crate) fn read_header(reader: &mut BufReader<File>, path: &Path) -> Result<NpyHeader> {
    use std::io::BufRead;
    if reader
        .fill_buf()
        .is_ok_and(|start| start.starts_with(ZIP_MAGIC))
    {
        return Err(file_error(
            path,
            "this is a zip archive (.npz), not a .npy file: read it with io::load_npz",
        ));
    }
    NpyHeader::read(reader).map_err(|e| file_error(path, e))
}

/// An error unless `available` bytes hold the data the header calls for.
pub(crate) fn check_available(header: &NpyHeader, available: u64) -> Result<usize, String> {
    let needed = header.data_bytes()?;
    if needed as u64 > available {
        return Err(format!(
            "the data is truncated: shape {} of '{}' needs {needed} bytes after the header, \
             the file holds {available}",
            header.shape_text(),
            header.descr
        ));
    }
    Ok(needed)
}

/// Reads the array that `header` describes from `reader`, which holds at
/// most `available` bytes: a shape asking for more is refused before any
/// allocation. Bytes after the data are ignored, as NumPy does.
pub(crate) fn read_data(
    reader: &mut impl Read,
    header: &NpyHeader,
    available: u64,
) -> Result<Array, String> {
    check_available(header, available)?;
    let numel = header.numel()?;
    let mut buffer = Buffer::zeros(header.descr.dtype, numel);
    with_element!(header.descr.dtype, T => {
        decode_into::<T>(reader, buffer.as_mut_slice::<T>(), header.descr.byte_order)
    })
    .map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => format!(
            "the data is truncated: shape {} of '{}' needs {} bytes",
            header.shape_text(),
            header.descr,
            numel * header.descr.dtype.size_bytes()
        ),
        _ => format!("reading the data: {e}"),
    })?;
    Ok(from_file_order(buffer, header))
}

/// The array over `buffer`, which holds the data in the file's order: a
/// Fortran-order file is the C-order array of the reversed shape,
/// transposed (a view, not a copy).
pub(crate) fn from_file_order(buffer: Buffer, header: &NpyHeader) -> Array {
    let mut shape = header.shape.clone();
    if header.fortran_order {
        shape.reverse();
    }
    let tensor = Tensor::new(Shape(shape), buffer).expect("the buffer holds numel elements");
    let array = Array::from_tensor(tensor);
    if header.fortran_order && header.shape.len() > 1 {
        let reversed: Vec<usize> = (0..header.shape.len()).rev().collect();
        array.permute(&reversed)
    } else {
        array
    }
}

/// Fills `out` from `reader`, `CHUNK_BYTES` at a time.
fn decode_into<T: Codec>(
    reader: &mut impl Read,
    out: &mut [T],
    order: ByteOrder,
) -> std::io::Result<()> {
    let per_chunk = CHUNK_BYTES / T::SIZE;
    let mut staging = vec![0u8; out.len().min(per_chunk) * T::SIZE];
    for block in out.chunks_mut(per_chunk) {
        let bytes = &mut staging[..block.len() * T::SIZE];
        reader.read_exact(bytes)?;
        // One loop per byte order, so each inlines to plain loads (or
        // byte swaps) without a branch per element.
        let pairs = block.iter_mut().zip(bytes.chunks_exact(T::SIZE));
        match order {
            ByteOrder::Little => pairs.for_each(|(v, raw)| *v = T::decode(raw, ByteOrder::Little)),
            ByteOrder::Big => pairs.for_each(|(v, raw)| *v = T::decode(raw, ByteOrder::Big)),
        }
    }
    Ok(())
}

/// Writes a header and the elements of `tensor` (of `shape`), little-endian.
pub(crate) fn write_tensor(
    writer: &mut impl Write,
    shape: &[usize],
    tensor: &Tensor,
) -> std::io::Result<()> {
    let dtype = tensor.dtype();
    writer.write_all(&NpyHeader::new(dtype, shape).to_bytes())?;
    with_element!(dtype, T => encode_from::<T>(writer, tensor.as_slice::<T>()))
}

/// Writes `values` little-endian, `CHUNK_BYTES` at a time.
fn encode_from<T: Codec>(writer: &mut impl Write, values: &[T]) -> std::io::Result<()> {
    let per_chunk = CHUNK_BYTES / T::SIZE;
    let mut staging = vec![0u8; values.len().min(per_chunk) * T::SIZE];
    for block in values.chunks(per_chunk) {
        let bytes = &mut staging[..block.len() * T::SIZE];
        for (value, raw) in block.iter().zip(bytes.chunks_exact_mut(T::SIZE)) {
            value.encode_le(raw);
        }
        writer.write_all(bytes)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndjit_ir::DType;

    fn bytes_of(array: &Array) -> Vec<u8> {
        let mut out = Vec::new();
        write_npy(&mut out, array).unwrap();
        out
    }

    #[test]
    fn round_trips_every_dtype_in_memory() {
        let values = Array::from_vec(vec![0.0, 1.5, -2.0, 3.0, 4.25, -0.0], [2, 3]);
        for dtype in DType::ALL {
            let array = values.astype(dtype);
            let back = read_npy(&bytes_of(&array)).unwrap();
            assert_eq!(back.dtype(), dtype);
            assert_eq!(back.shape(), &[2, 3]);
            assert_eq!(back.value().unwrap(), array.value().unwrap());
        }
    }

    #[test]
    fn zero_d_and_empty_arrays() {
        let scalar = read_npy(&bytes_of(&Array::scalar(7i64))).unwrap();
        assert_eq!(scalar.shape(), &[] as &[usize]);
        assert_eq!(scalar.item::<i64>().unwrap(), 7);
        let empty = read_npy(&bytes_of(&Array::zeros([0, 3], DType::F32))).unwrap();
        assert_eq!(empty.shape(), &[0, 3]);
    }

    #[test]
    fn truncated_data_is_an_error() {
        let bytes = bytes_of(&Array::from_vec(vec![1i32, 2, 3], [3]));
        let error = read_npy(&bytes[..bytes.len() - 1]).unwrap_err().to_string();
        assert!(
            error.starts_with("<bytes>: the data is truncated"),
            "{error}"
        );
        assert!(
            error.contains("needs 12 bytes after the header, the file holds 11"),
            "{error}"
        );
    }
}
