//! NumPy's dtype descriptors (`'<f8'`, `'|b1'`, ...) and the byte codec
//! of each element type.
//!
//! [`TYPE_CODES`] is the one table mapping ndjit dtypes to NumPy's type
//! codes: a dtype ndjit gains is one row there (and the compiler then
//! points at the `match` in [`with_element!`] and the [`Codec`] impl it
//! needs).

use ndjit_ir::{DType, Element};
use std::fmt;

/// Every dtype ndjit reads and writes, with NumPy's type code (kind letter
/// and item size in bytes, as in `np.dtype('<f8').str` without its byte
/// order).
const TYPE_CODES: [(DType, &str); 5] = [
    (DType::Bool, "b1"),
    (DType::I32, "i4"),
    (DType::I64, "i8"),
    (DType::F32, "f4"),
    (DType::F64, "f8"),
];

/// The order of an element's bytes in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteOrder {
    /// Least significant byte first (`<`, what x86 and ARM use, and what
    /// ndjit writes).
    Little,
    /// Most significant byte first (`>`).
    Big,
}

impl ByteOrder {
    /// The order of the machine running this code.
    pub const NATIVE: ByteOrder = if cfg!(target_endian = "little") {
        ByteOrder::Little
    } else {
        ByteOrder::Big
    };
}

/// A parsed dtype descriptor: an ndjit dtype and the byte order of its
/// elements in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Descr {
    /// The element type.
    pub dtype: DType,
    /// The order of each element's bytes.
    pub byte_order: ByteOrder,
}

impl Descr {
    /// Little-endian `dtype`, as ndjit writes it.
    pub fn little_endian(dtype: DType) -> Descr {
        Descr {
            dtype,
            byte_order: ByteOrder::Little,
        }
    }

    /// Parses a NumPy type string: an optional byte order (`<` little, `>`
    /// big, `=` native, `|` not applicable) and a type code of
    /// [`TYPE_CODES`]. `None` for anything else (`'<u2'`, `'<c16'`,
    /// `'|S8'`, `'O'`, ...).
    pub fn parse(descr: &str) -> Option<Descr> {
        let (byte_order, code) = match descr.as_bytes().first()? {
            b'<' => (ByteOrder::Little, &descr[1..]),
            b'>' => (ByteOrder::Big, &descr[1..]),
            b'=' | b'|' => (ByteOrder::NATIVE, &descr[1..]),
            _ => (ByteOrder::NATIVE, descr),
        };
        let (dtype, _) = TYPE_CODES.iter().find(|(_, c)| *c == code)?;
        Some(Descr {
            dtype: *dtype,
            byte_order,
        })
    }

    /// The descriptor as NumPy writes it: `'|'` for one-byte types,
    /// otherwise `'<'` or `'>'`.
    pub fn to_numpy(self) -> String {
        let order = if self.dtype.size_bytes() == 1 {
            '|'
        } else if self.byte_order == ByteOrder::Little {
            '<'
        } else {
            '>'
        };
        format!("{order}{}", type_code(self.dtype))
    }
}

impl fmt::Display for Descr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_numpy())
    }
}

/// NumPy's type code of `dtype`.
fn type_code(dtype: DType) -> &'static str {
    TYPE_CODES
        .iter()
        .find(|(d, _)| *d == dtype)
        .map(|(_, code)| *code)
        .expect("TYPE_CODES has a row for every DType")
}

/// The descriptors ndjit reads, for error messages (`|b1, <i4, ...`).
pub fn supported_list() -> String {
    TYPE_CODES
        .iter()
        .map(|&(dtype, _)| Descr::little_endian(dtype).to_numpy())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An element's bytes in a file: decoded from and encoded to either byte
/// order.
pub trait Codec: Element {
    /// Bytes per element.
    const SIZE: usize;
    /// The element stored in `bytes` (exactly [`Codec::SIZE`] of them).
    fn decode(bytes: &[u8], order: ByteOrder) -> Self;
    /// Writes the element's little-endian bytes into `out` (exactly
    /// [`Codec::SIZE`] of them).
    fn encode_le(self, out: &mut [u8]);
}

impl Codec for bool {
    const SIZE: usize = 1;
    /// Any non-zero byte is `true`, as NumPy reads it.
    fn decode(bytes: &[u8], _: ByteOrder) -> bool {
        bytes[0] != 0
    }
    fn encode_le(self, out: &mut [u8]) {
        out[0] = u8::from(self);
    }
}

macro_rules! numeric_codec {
    ($($t:ty),*) => {$(
        impl Codec for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline]
            fn decode(bytes: &[u8], order: ByteOrder) -> $t {
                let mut raw = [0u8; std::mem::size_of::<$t>()];
                raw.copy_from_slice(bytes);
                match order {
                    ByteOrder::Little => <$t>::from_le_bytes(raw),
                    ByteOrder::Big => <$t>::from_be_bytes(raw),
                }
            }
            #[inline]
            fn encode_le(self, out: &mut [u8]) {
                out.copy_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
numeric_codec!(i32, i64, f32, f64);

/// Runs `$body` with `$t` bound to the Rust element type of `$dtype`.
macro_rules! with_element {
    ($dtype:expr, $t:ident => $body:expr) => {
        match $dtype {
            ndjit_ir::DType::Bool => {
                type $t = bool;
                $body
            }
            ndjit_ir::DType::I32 => {
                type $t = i32;
                $body
            }
            ndjit_ir::DType::I64 => {
                type $t = i64;
                $body
            }
            ndjit_ir::DType::F32 => {
                type $t = f32;
                $body
            }
            ndjit_ir::DType::F64 => {
                type $t = f64;
                $body
            }
        }
    };
}
pub(crate) use with_element;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numpy_type_strings() {
        assert_eq!(Descr::parse("<f8"), Some(Descr::little_endian(DType::F64)));
        let big = Descr::parse(">i4").unwrap();
        assert_eq!((big.dtype, big.byte_order), (DType::I32, ByteOrder::Big));
        assert_eq!(Descr::parse("|b1").unwrap().dtype, DType::Bool);
        assert_eq!(Descr::parse("f4").unwrap().byte_order, ByteOrder::NATIVE);
        for unsupported in ["<u2", "<c16", "|S8", "O", "<f2", "", "<", "<f8 "] {
            assert_eq!(Descr::parse(unsupported), None, "{unsupported}");
        }
    }

    #[test]
    fn writes_what_numpy_writes() {
        let names: Vec<String> = DType::ALL
            .iter()
            .map(|&d| Descr::little_endian(d).to_numpy())
            .collect();
        assert_eq!(names, ["|b1", "<i4", "<i8", "<f4", "<f8"]);
        assert_eq!(supported_list(), "|b1, <i4, <i8, <f4, <f8");
    }

    #[test]
    fn every_dtype_has_a_type_code_of_its_size() {
        for dtype in DType::ALL {
            let code = type_code(dtype);
            assert_eq!(code[1..].parse::<usize>().unwrap(), dtype.size_bytes());
            with_element!(dtype, T => assert_eq!(<T as Codec>::SIZE, dtype.size_bytes()));
        }
    }

    #[test]
    fn decodes_both_byte_orders() {
        assert_eq!(i32::decode(&[1, 0, 0, 0], ByteOrder::Little), 1);
        assert_eq!(i32::decode(&[0, 0, 0, 1], ByteOrder::Big), 1);
        let mut out = [0u8; 8];
        1.5f64.encode_le(&mut out);
        assert_eq!(f64::decode(&out, ByteOrder::Little), 1.5);
        assert!(bool::decode(&[7], ByteOrder::Little));
    }
}
