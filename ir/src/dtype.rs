//! Element types and NumPy's type promotion.

use std::fmt;

/// The element type of an array.
///
/// The order of the variants is the promotion lattice for same-kind
/// operands: `Bool < I32 < I64 < F32 < F64`, with the one NumPy exception
/// that an integer mixed with `F32` promotes to `F64` (see [`promote`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DType {
    /// `bool`, stored as one byte holding 0 or 1.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
}

/// The category of a Rust scalar mixed into an array expression.
///
/// NumPy 2 treats Python scalars as "weak": they take the array's dtype when
/// they fit its kind, so `f32_array * 2.0` stays `f32`. Rust scalars behave
/// the same way in ndjit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarKind {
    /// `bool`.
    Bool,
    /// Any Rust integer.
    Int,
    /// Any Rust float.
    Float,
}

impl DType {
    /// Every dtype, in promotion order.
    pub const ALL: [DType; 5] = [DType::Bool, DType::I32, DType::I64, DType::F32, DType::F64];

    /// The NumPy-style name (`bool`, `i32`, `i64`, `f32`, `f64`) used in the text form.
    pub fn name(self) -> &'static str {
        match self {
            DType::Bool => "bool",
            DType::I32 => "i32",
            DType::I64 => "i64",
            DType::F32 => "f32",
            DType::F64 => "f64",
        }
    }

    /// Parses a name printed by [`DType::name`]; also accepts NumPy's
    /// `float64`, `int32`, ... spellings.
    pub fn parse(name: &str) -> Option<DType> {
        Some(match name {
            "bool" => DType::Bool,
            "i32" | "int32" => DType::I32,
            "i64" | "int64" => DType::I64,
            "f32" | "float32" => DType::F32,
            "f64" | "float64" => DType::F64,
            _ => return None,
        })
    }

    /// Bytes per element.
    pub fn size_bytes(self) -> usize {
        match self {
            DType::Bool => 1,
            DType::I32 | DType::F32 => 4,
            DType::I64 | DType::F64 => 8,
        }
    }

    /// `f32` or `f64`.
    pub fn is_float(self) -> bool {
        matches!(self, DType::F32 | DType::F64)
    }

    /// `i32` or `i64`.
    pub fn is_int(self) -> bool {
        matches!(self, DType::I32 | DType::I64)
    }

    /// Any dtype arithmetic is defined on (everything but `bool`).
    pub fn is_numeric(self) -> bool {
        self != DType::Bool
    }

    /// The float dtype NumPy computes a float-only function in for this
    /// input: floats keep their width, `bool` and integers go to `f64`.
    pub fn to_float(self) -> DType {
        match self {
            DType::F32 => DType::F32,
            _ => DType::F64,
        }
    }

    /// The kind a scalar of this dtype has, for weak promotion.
    pub fn kind(self) -> ScalarKind {
        match self {
            DType::Bool => ScalarKind::Bool,
            DType::I32 | DType::I64 => ScalarKind::Int,
            DType::F32 | DType::F64 => ScalarKind::Float,
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The dtype of a binary operation between two arrays, as NumPy promotes
/// them (`np.result_type`): the larger of the two, except that `i32`/`i64`
/// with `f32` gives `f64`, because `f32` cannot hold every such integer.
pub fn promote(a: DType, b: DType) -> DType {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    if hi == DType::F32 && lo.is_int() {
        DType::F64
    } else {
        hi
    }
}

/// The dtype of a binary operation between an array and a Rust scalar,
/// following NumPy 2's weak-scalar rule: the array's dtype wins unless the
/// scalar is of a higher kind (bool < int < float), in which case the default
/// dtype of that kind is used (`i64` for integers, `f64` for floats).
pub fn promote_weak(array: DType, scalar: ScalarKind) -> DType {
    match (array.kind(), scalar) {
        (ScalarKind::Bool, ScalarKind::Int) => DType::I64,
        (ScalarKind::Bool | ScalarKind::Int, ScalarKind::Float) => DType::F64,
        _ => array,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn promotion_follows_numpy() {
        use DType::*;
        assert_eq!(promote(I32, F32), F64);
        assert_eq!(promote(I64, F32), F64);
        assert_eq!(promote(Bool, F32), F32);
        assert_eq!(promote(I32, I64), I64);
        assert_eq!(promote(F32, F64), F64);
        assert_eq!(promote(Bool, Bool), Bool);
        for a in DType::ALL {
            for b in DType::ALL {
                assert_eq!(promote(a, b), promote(b, a));
            }
        }
    }

    #[test]
    fn weak_scalars_keep_array_dtype() {
        use DType::*;
        assert_eq!(promote_weak(F32, ScalarKind::Float), F32);
        assert_eq!(promote_weak(I32, ScalarKind::Int), I32);
        assert_eq!(promote_weak(I32, ScalarKind::Float), F64);
        assert_eq!(promote_weak(Bool, ScalarKind::Int), I64);
        assert_eq!(promote_weak(Bool, ScalarKind::Bool), Bool);
        assert_eq!(promote_weak(F64, ScalarKind::Bool), F64);
    }
}
