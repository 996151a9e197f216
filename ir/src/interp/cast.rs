//! `Cast`: elementwise conversion between dtypes, as NumPy's `astype`.
//!
//! Integers narrowing to `i32` wrap; integers to floats round to nearest;
//! anything to bool is `x != 0` (so NaN becomes `true`); bool to numbers is
//! 0 or 1. Floats to integers truncate toward zero and saturate at the
//! integer's range, with NaN giving 0 (Rust's `as`). That last rule is a
//! deliberate choice: NumPy leaves these cases undefined (on x86-64 it gives
//! `MIN` for NaN and for every out-of-range value), and compiled kernels
//! use the same rule as the interpreter.

use super::elementwise::map;
use crate::buffer::{Buffer, Element, Tensor};
use crate::dtype::DType;

/// `x` converted elementwise to `dtype`.
pub(super) fn cast(x: &Tensor, dtype: DType) -> Buffer {
    with_dtype!(x.dtype(), Source => {
        let values = x.as_slice::<Source>();
        with_dtype!(dtype, Target => map(values, <Source as CastTo<Target>>::cast_to))
    })
}

/// Conversion of one element to the element type `To`.
trait CastTo<To: Element>: Element {
    fn cast_to(self) -> To;
}

/// Numeric to numeric: Rust's `as`, which is NumPy's conversion (wrapping,
/// rounding) except for the float-to-integer choice above.
macro_rules! cast_numeric {
    ($($from:ty),*) => {$(
        impl CastTo<i32> for $from { fn cast_to(self) -> i32 { self as i32 } }
        impl CastTo<i64> for $from { fn cast_to(self) -> i64 { self as i64 } }
        impl CastTo<f32> for $from { fn cast_to(self) -> f32 { self as f32 } }
        impl CastTo<f64> for $from { fn cast_to(self) -> f64 { self as f64 } }
        impl CastTo<bool> for $from {
            fn cast_to(self) -> bool {
                self != 0 as $from
            }
        }
        impl CastTo<$from> for bool {
            fn cast_to(self) -> $from {
                u8::from(self) as $from
            }
        }
    )*};
}
cast_numeric!(i32, i64, f32, f64);

impl CastTo<bool> for bool {
    fn cast_to(self) -> bool {
        self
    }
}
