//! Ops that compiled kernels do not lower inline but compute a whole chunk
//! at a time by calling a Rust routine from [`ndjit_ir::math`] (the ones
//! the interpreter uses too): the transcendentals (vector math), float
//! `floor_div`/`rem` (NumPy's `divmod`, built on `fmod`, which has no
//! Cranelift instruction) and integer `pow` (a loop per element). Each routine reads `n` elements from its operand pointers and
//! writes `n` results; the generated code calls it once per chunk.

use ndjit_ir::math::{floor_divide, integer_power, remainder};
use ndjit_ir::{BinaryOp, DType, UnaryOp};

/// `f(x, out, n)`: `out[i] = op(x[i])` for `i < n`.
pub(super) type UnaryRoutine = unsafe extern "C" fn(x: *const u8, out: *mut u8, n: usize);

/// `f(a, b, out, n)`: `out[i] = op(a[i], b[i])` for `i < n`.
pub(super) type BinaryRoutine =
    unsafe extern "C" fn(a: *const u8, b: *const u8, out: *mut u8, n: usize);

/// A chunk routine applying an element function of two operands: a
/// distinct `extern "C"` function per use, so the pointer handed to
/// generated code carries no data.
macro_rules! binary {
    ($t:ty, $f:expr) => {{
        unsafe extern "C" fn routine(a: *const u8, b: *const u8, out: *mut u8, n: usize) {
            // SAFETY: generated code passes `n` elements of `$t` at `a` and
            // `b` and room for `n` at `out` (a scratch region no operand overlaps).
            let (a, b, out) = unsafe {
                (
                    std::slice::from_raw_parts(a.cast::<$t>(), n),
                    std::slice::from_raw_parts(b.cast::<$t>(), n),
                    std::slice::from_raw_parts_mut(out.cast::<$t>(), n),
                )
            };
            for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
                *o = $f(x, y);
            }
        }
        routine as BinaryRoutine
    }};
}

/// A chunk routine, by arity.
#[derive(Clone, Copy, Debug)]
pub(super) enum Routine {
    /// One operand.
    Unary(UnaryRoutine),
    /// Two operands.
    Binary(BinaryRoutine),
}

/// The routine computing a unary op on `dtype` chunk by chunk, or `None`
/// when the op is lowered inline.
pub(super) fn unary_routine(op: UnaryOp, dtype: DType) -> Option<Routine> {
    ndjit_ir::math::unary_entry(op, dtype).map(Routine::Unary)
}

/// The routine computing a binary op on `dtype` chunk by chunk, or `None`
/// when the op is lowered inline.
pub(super) fn binary_routine(op: BinaryOp, dtype: DType) -> Option<Routine> {
    use BinaryOp::*;
    let routine: BinaryRoutine = match (op, dtype) {
        (FloorDiv, DType::F64) => binary!(f64, floor_divide::<f64>),
        (FloorDiv, DType::F32) => binary!(f32, floor_divide::<f32>),
        (Rem, DType::F64) => binary!(f64, remainder::<f64>),
        (Rem, DType::F32) => binary!(f32, remainder::<f32>),
        (Pow, DType::I64) => binary!(i64, integer_power::<i64>),
        (Pow, DType::I32) => binary!(i32, integer_power::<i32>),
        _ => return ndjit_ir::math::binary_entry(op, dtype).map(Routine::Binary),
    };
    Some(Routine::Binary(routine))
}
