//! Scalar constants as they appear in a graph.

use crate::dtype::DType;
use std::fmt;
use std::hash::{Hash, Hasher};

/// One typed scalar value.
///
/// Equality and hashing compare floats by their bits, so that a graph can be
/// hash-consed: `0.0` and `-0.0` are different constants, and a NaN equals
/// itself.
#[derive(Clone, Copy, Debug)]
pub enum Scalar {
    /// A `bool`.
    Bool(bool),
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`.
    F32(f32),
    /// An `f64`.
    F64(f64),
}

impl Scalar {
    /// The dtype of this value.
    pub fn dtype(self) -> DType {
        match self {
            Scalar::Bool(_) => DType::Bool,
            Scalar::I32(_) => DType::I32,
            Scalar::I64(_) => DType::I64,
            Scalar::F32(_) => DType::F32,
            Scalar::F64(_) => DType::F64,
        }
    }

    /// The zero of a dtype (`false` for bool).
    pub fn zero(dtype: DType) -> Scalar {
        Scalar::from_f64(0.0, dtype)
    }

    /// The one of a dtype (`true` for bool).
    pub fn one(dtype: DType) -> Scalar {
        Scalar::from_f64(1.0, dtype)
    }

    /// Converts `value` to `dtype` as a NumPy cast would (floats truncate
    /// toward zero and saturate when cast to integers; NaN becomes 0).
    pub fn from_f64(value: f64, dtype: DType) -> Scalar {
        match dtype {
            DType::Bool => Scalar::Bool(value != 0.0),
            DType::I32 => Scalar::I32(value as i32),
            DType::I64 => Scalar::I64(value as i64),
            DType::F32 => Scalar::F32(value as f32),
            DType::F64 => Scalar::F64(value),
        }
    }

    /// Converts an integer to `dtype` (wrapping for narrower integers, as
    /// NumPy's `astype` does).
    pub fn from_i64(value: i64, dtype: DType) -> Scalar {
        match dtype {
            DType::Bool => Scalar::Bool(value != 0),
            DType::I32 => Scalar::I32(value as i32),
            DType::I64 => Scalar::I64(value),
            DType::F32 => Scalar::F32(value as f32),
            DType::F64 => Scalar::F64(value as f64),
        }
    }

    /// This value cast to another dtype.
    pub fn cast(self, dtype: DType) -> Scalar {
        match self {
            Scalar::Bool(b) => Scalar::from_i64(b as i64, dtype),
            Scalar::I32(v) => Scalar::from_i64(v as i64, dtype),
            Scalar::I64(v) => Scalar::from_i64(v, dtype),
            Scalar::F32(v) => Scalar::from_f64(v as f64, dtype),
            Scalar::F64(v) => Scalar::from_f64(v, dtype),
        }
    }

    /// The value as `f64` (exact for everything but large `i64`).
    pub fn to_f64(self) -> f64 {
        match self {
            Scalar::Bool(b) => b as u8 as f64,
            Scalar::I32(v) => v as f64,
            Scalar::I64(v) => v as f64,
            Scalar::F32(v) => v as f64,
            Scalar::F64(v) => v,
        }
    }

    /// The raw bits, zero-extended to 64; used for hashing and equality.
    pub fn bits(self) -> u64 {
        match self {
            Scalar::Bool(b) => b as u64,
            Scalar::I32(v) => v as u32 as u64,
            Scalar::I64(v) => v as u64,
            Scalar::F32(v) => v.to_bits() as u64,
            Scalar::F64(v) => v.to_bits(),
        }
    }
}

impl PartialEq for Scalar {
    fn eq(&self, other: &Self) -> bool {
        self.dtype() == other.dtype() && self.bits() == other.bits()
    }
}

impl Eq for Scalar {}

impl Hash for Scalar {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.dtype().hash(state);
        self.bits().hash(state);
    }
}

impl fmt::Display for Scalar {
    /// Prints a value that [`Scalar`] parsing reads back exactly: floats use
    /// Rust's shortest round-trip form and always show a `.`, `e`, `inf` or `NaN`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Bool(b) => write!(f, "{b}"),
            Scalar::I32(v) => write!(f, "{v}"),
            Scalar::I64(v) => write!(f, "{v}"),
            Scalar::F32(v) => write_float(f, *v as f64, format!("{v:?}")),
            Scalar::F64(v) => write_float(f, *v, format!("{v:?}")),
        }
    }
}

fn write_float(f: &mut fmt::Formatter<'_>, v: f64, debug: String) -> fmt::Result {
    if v.is_nan() {
        f.write_str("nan")
    } else if v.is_infinite() {
        f.write_str(if v > 0.0 { "inf" } else { "-inf" })
    } else {
        f.write_str(&debug)
    }
}
