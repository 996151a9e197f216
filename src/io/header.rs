//! The `.npy` header: magic, format version, and the dict literal saying
//! dtype, order and shape (NumPy's `numpy.lib.format`).
//!
//! ```text
//! \x93NUMPY  major minor  header_len (u16 LE in 1.0, u32 LE in 2.0/3.0)
//! {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }   ...spaces \n
//! data (shape × itemsize bytes)
//! ```
//!
//! NumPy pads the header with spaces so the data starts at a multiple of 64
//! bytes; ndjit writes the same, and reads any padding.

use super::descr::{self, ByteOrder, Descr};
use super::literal::{self, Literal};
use ndjit_ir::DType;
use std::fmt;
use std::io::Read;

/// The first six bytes of every `.npy` file.
pub const MAGIC: &[u8; 6] = b"\x93NUMPY";

/// The longest header read, as NumPy's `max_header_size` default: a longer
/// one is refused before it is read (only structured dtypes with thousands
/// of fields need more, and ndjit does not read those).
pub const MAX_HEADER_LEN: usize = 10_000;

/// The data starts at a multiple of this many bytes (NumPy's `ARRAY_ALIGN`).
const ALIGN: usize = 64;

/// What a `.npy` header says about the array that follows it.
#[derive(Clone, Debug, PartialEq)]
pub struct NpyHeader {
    /// Format version, `(1, 0)`, `(2, 0)` or `(3, 0)`.
    pub version: (u8, u8),
    /// Element type and byte order.
    pub descr: Descr,
    /// Whether the data is in column-major (Fortran) order.
    pub fortran_order: bool,
    /// Extents of each axis.
    pub shape: Vec<usize>,
    /// Where the data starts: the length of magic, version, length field
    /// and header.
    pub data_offset: usize,
}

impl NpyHeader {
    /// Number of elements (checked: a header's shape may be hostile).
    pub fn numel(&self) -> Result<usize, String> {
        self.shape
            .iter()
            .try_fold(1usize, |n, &d| n.checked_mul(d))
            .ok_or_else(|| {
                format!(
                    "shape {} has more elements than fit in memory",
                    self.shape_text()
                )
            })
    }

    /// Bytes of data the shape and dtype call for (checked).
    pub fn data_bytes(&self) -> Result<usize, String> {
        let itemsize = self.descr.dtype.size_bytes();
        self.numel()?.checked_mul(itemsize).ok_or_else(|| {
            format!(
                "shape {} of '{}' overflows the address space",
                self.shape_text(),
                self.descr
            )
        })
    }

    /// The shape as Python prints a tuple: `(3,)`, `(2, 3)`, `()`.
    pub fn shape_text(&self) -> String {
        shape_tuple(&self.shape)
    }

    /// Reads and checks a header from the start of `reader`, reading
    /// nothing past it. The error says what is wrong (the caller adds the
    /// file's name).
    pub fn read(reader: &mut impl Read) -> Result<NpyHeader, String> {
        let mut preamble = [0u8; 8];
        read_fully(reader, &mut preamble, "the magic string and version")?;
        if &preamble[..6] != MAGIC {
            return Err(format!(
                "not a .npy file: it starts with {:?}, not NumPy's magic \"\\x93NUMPY\"",
                String::from_utf8_lossy(&preamble[..6])
            ));
        }
        let version = (preamble[6], preamble[7]);
        let header_len = match version {
            (1, 0) => {
                let mut len = [0u8; 2];
                read_fully(reader, &mut len, "the header length")?;
                u16::from_le_bytes(len) as usize
            }
            (2, 0) | (3, 0) => {
                let mut len = [0u8; 4];
                read_fully(reader, &mut len, "the header length")?;
                u32::from_le_bytes(len) as usize
            }
            (major, minor) => {
                return Err(format!(
                    "unsupported .npy format version {major}.{minor} (ndjit reads 1.0, 2.0 and 3.0)"
                ))
            }
        };
        if header_len > MAX_HEADER_LEN {
            return Err(format!(
                "header length {header_len} bytes is more than the {MAX_HEADER_LEN} bytes \
                 NumPy allows by default"
            ));
        }
        let mut text = vec![0u8; header_len];
        read_fully(reader, &mut text, &format!("the {header_len}-byte header"))?;
        // 1.0 and 2.0 headers are latin-1 (ASCII in practice), 3.0 UTF-8.
        let text = match version.0 {
            3 => String::from_utf8(text).map_err(|_| "the header is not UTF-8".to_string())?,
            _ => text.iter().map(|&b| b as char).collect(),
        };
        let prefix = if version.0 == 1 { 10 } else { 12 };
        NpyHeader::from_dict(&text, version, prefix + header_len)
    }

    /// Interprets the header's dict literal.
    fn from_dict(text: &str, version: (u8, u8), data_offset: usize) -> Result<NpyHeader, String> {
        let parsed =
            literal::parse(text).map_err(|e| format!("header is not a Python literal: {e}"))?;
        let Literal::Dict(entries) = parsed else {
            return Err(format!("header is not a dict: {parsed}"));
        };
        let mut keys: Vec<String> = entries.iter().map(|(k, _)| k.to_string()).collect();
        keys.sort();
        if keys != ["'descr'", "'fortran_order'", "'shape'"] {
            return Err(format!(
                "header has keys {{{}}}; a .npy header has exactly 'descr', 'fortran_order' and 'shape'",
                keys.join(", ")
            ));
        }
        let field = |name: &str| {
            entries
                .iter()
                .find(|(k, _)| *k == Literal::Str(name.into()))
                .map(|(_, v)| v)
                .expect("keys were checked")
        };
        let descr = match field("descr") {
            Literal::Str(text) => Descr::parse(text).ok_or_else(|| {
                format!(
                    "unsupported dtype '{text}' (ndjit reads {}, in either byte order)",
                    descr::supported_list()
                )
            })?,
            Literal::List(_) => {
                return Err(format!(
                    "structured dtype {} is not supported (ndjit reads {})",
                    field("descr"),
                    descr::supported_list()
                ))
            }
            other => return Err(format!("'descr' is {other}, not a dtype string")),
        };
        let fortran_order = match field("fortran_order") {
            Literal::Bool(b) => *b,
            other => return Err(format!("'fortran_order' is {other}, not True or False")),
        };
        let shape = match field("shape") {
            Literal::Tuple(items) => items
                .iter()
                .map(|item| match item {
                    Literal::Int(n) if *n >= 0 => usize::try_from(*n).ok(),
                    _ => None,
                })
                .collect::<Option<Vec<usize>>>()
                .ok_or_else(|| {
                    format!(
                        "'shape' is {}, not a tuple of non-negative integers",
                        field("shape")
                    )
                })?,
            other => return Err(format!("'shape' is {other}, not a tuple")),
        };
        Ok(NpyHeader {
            version,
            descr,
            fortran_order,
            shape,
            data_offset,
        })
    }

    /// The header of a C-order, little-endian array of `dtype` and `shape`,
    /// in the oldest version that can hold it (1.0, or 2.0 past 64 KiB).
    pub fn new(dtype: DType, shape: &[usize]) -> NpyHeader {
        let mut header = NpyHeader {
            version: (1, 0),
            descr: Descr::little_endian(dtype),
            fortran_order: false,
            shape: shape.to_vec(),
            data_offset: 0,
        };
        if header.padded_dict().len() > u16::MAX as usize {
            header.version = (2, 0);
        }
        header.data_offset = header.prefix_len() + header.padded_dict().len();
        header
    }

    /// Magic, version and the length field: 10 bytes in 1.0, 12 after.
    fn prefix_len(&self) -> usize {
        if self.version.0 == 1 {
            10
        } else {
            12
        }
    }

    /// The dict as NumPy writes it, padded with spaces and a final newline
    /// so that the data starts at a multiple of `ALIGN`.
    fn padded_dict(&self) -> String {
        let mut dict = format!(
            "{{'descr': '{}', 'fortran_order': {}, 'shape': {}, }}",
            self.descr,
            if self.fortran_order { "True" } else { "False" },
            self.shape_text()
        );
        let prefix = self.prefix_len();
        let padded = (prefix + dict.len() + 1).next_multiple_of(ALIGN);
        dict.extend(std::iter::repeat_n(' ', padded - prefix - dict.len() - 1));
        dict.push('\n');
        dict
    }

    /// Magic, version, length and the padded dict, as NumPy writes them:
    /// the bytes that come before the data (`data_offset` of them for a
    /// header made by [`NpyHeader::new`]). A header asking for version 1.0
    /// with a dict past 64 KiB is written as 2.0, which can hold it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut header = self.clone();
        if header.version.0 == 1 && header.padded_dict().len() > u16::MAX as usize {
            header.version = (2, 0);
        }
        let dict = header.padded_dict();
        let mut bytes = Vec::with_capacity(header.prefix_len() + dict.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&[header.version.0, header.version.1]);
        match u16::try_from(dict.len()) {
            Ok(len) if header.version.0 == 1 => bytes.extend_from_slice(&len.to_le_bytes()),
            _ => {
                // A dict of a shape's text is far below 4 GiB.
                let len = u32::try_from(dict.len()).unwrap_or(u32::MAX);
                bytes.extend_from_slice(&len.to_le_bytes());
            }
        }
        bytes.extend_from_slice(dict.as_bytes());
        bytes
    }
}

impl fmt::Display for NpyHeader {
    /// What `ndjit info` prints: format, dtype, shape, order and size.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let order = if self.descr.byte_order == ByteOrder::Little {
            "little"
        } else {
            "big"
        };
        writeln!(f, "format   .npy {}.{}", self.version.0, self.version.1)?;
        writeln!(
            f,
            "dtype    {} ('{}', {order}-endian)",
            self.descr.dtype, self.descr
        )?;
        writeln!(f, "shape    {}", self.shape_text())?;
        let layout = if self.fortran_order {
            "F (column-major)"
        } else {
            "C (row-major)"
        };
        writeln!(f, "order    {layout}")?;
        match (self.numel(), self.data_bytes()) {
            (Ok(n), Ok(bytes)) => write!(f, "size     {n} elements, {bytes} bytes of data")?,
            (Err(e), _) | (_, Err(e)) => write!(f, "size     {e}")?,
        }
        write!(f, " from byte {}", self.data_offset)
    }
}

/// A shape as a Python tuple.
pub(crate) fn shape_tuple(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => {
            let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
            format!("({})", dims.join(", "))
        }
    }
}

/// `read_exact`, saying which part of the file ended early.
fn read_fully(reader: &mut impl Read, buf: &mut [u8], what: &str) -> Result<(), String> {
    reader.read_exact(buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => format!("the file ends inside {what}"),
        _ => format!("reading {what}: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<NpyHeader, String> {
        NpyHeader::read(&mut &bytes[..])
    }

    #[test]
    fn writes_numpys_layout_and_reads_it_back() {
        let header = NpyHeader::new(DType::F64, &[3, 4]);
        let bytes = header.to_bytes();
        assert_eq!(bytes.len() % 64, 0);
        assert_eq!(header.data_offset, bytes.len());
        assert_eq!(&bytes[..8], b"\x93NUMPY\x01\x00");
        let text = std::str::from_utf8(&bytes[10..]).unwrap();
        assert!(text.starts_with("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }"));
        assert!(text.ends_with(" \n"));
        assert_eq!(read(&bytes).unwrap(), header);
        for shape in [&[][..], &[0], &[7], &[2, 0, 5]] {
            let header = NpyHeader::new(DType::Bool, shape);
            assert_eq!(read(&header.to_bytes()).unwrap(), header);
        }
    }

    #[test]
    fn a_shape_too_long_for_version_1_gets_version_2() {
        let shape = vec![1usize; 30_000];
        let header = NpyHeader::new(DType::I32, &shape);
        assert_eq!(header.version, (2, 0));
        assert_eq!(header.to_bytes().len() % 64, 0);
    }

    #[test]
    fn hostile_headers_are_errors() {
        let good = NpyHeader::new(DType::F64, &[2]).to_bytes();
        let with = |edit: &dyn Fn(&mut Vec<u8>)| {
            let mut bytes = good.clone();
            edit(&mut bytes);
            read(&bytes).unwrap_err()
        };
        assert!(with(&|b| b[0] = b'P').contains("not a .npy file"));
        assert!(with(&|b| b[6] = 4).contains("unsupported .npy format version 4.0"));
        assert!(with(&|b| b.truncate(20)).contains("ends inside the 118-byte header"));
        assert!(with(&|b| b.truncate(7)).contains("ends inside the magic"));
        let long = with(&|b| {
            b[6] = 2;
            b.splice(8..10, 0xffff_fff0u32.to_le_bytes());
        });
        assert!(long.contains("more than the 10000 bytes"), "{long}");
        let replace = |from: &str, to: &str| {
            let mut bytes = good[..10].to_vec();
            let dict = std::str::from_utf8(&good[10..]).unwrap().replace(from, to);
            bytes.extend_from_slice(dict.as_bytes());
            // The length field follows the edited dict.
            bytes.splice(8..10, (dict.len() as u16).to_le_bytes());
            read(&bytes).unwrap_err()
        };
        assert!(replace("'<f8'", "'<c8'").contains("unsupported dtype '<c8'"));
        assert!(replace("'<f8'", "[('x', '<f8')]").contains("structured dtype"));
        assert!(replace("(2,)", "(-2,)").contains("not a tuple of non-negative"));
        assert!(replace("False", "0").contains("not True or False"));
        assert!(replace("'shape'", "'shap'").contains("exactly 'descr'"));
        assert!(replace("{", "[").contains("not a Python literal"));
    }

    #[test]
    fn overflowing_shapes_are_errors() {
        let mut header = NpyHeader::new(DType::F64, &[1]);
        header.shape = vec![1 << 40, 1 << 40];
        assert!(header.numel().unwrap_err().contains("more elements"));
        header.shape = vec![1 << 62];
        assert!(header.data_bytes().unwrap_err().contains("overflows"));
    }
}
