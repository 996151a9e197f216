//! Ops that compiled kernels do not lower inline but compute a whole chunk
//! at a time by calling a Rust routine, as their [`Lowering`] says: the
//! transcendentals (vector math from [`ndjit_ir::math`], the routines the
//! interpreter uses too), float `floor_div`/`rem` (NumPy's `divmod`, built
//! on `fmod`, which has no Cranelift instruction) and integer `pow` (a loop
//! per element). Each routine reads `n` elements from its operand pointers
//! and writes `n` results; the generated code calls it once per chunk.

use ndjit_ir::math::{
    floor_divide, fmod, integer_fmod, integer_power, remainder, BinaryEntry, UnaryEntry,
};
use ndjit_ir::{BinaryOp, DType, Elementwise, Lowering};

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
        routine as BinaryEntry
    }};
}

/// A chunk routine, by arity (the calling contract is
/// [`ndjit_ir::math`]'s, for vector math and the exact routines alike).
#[derive(Clone, Copy, Debug)]
pub(super) enum Routine {
    /// One operand.
    Unary(UnaryEntry),
    /// Two operands.
    Binary(BinaryEntry),
}

/// The routine computing `function` on operands of `dtype` chunk by
/// chunk, when its [`Lowering`] says it is one; `None` when it is
/// lowered inline.
pub(super) fn routine(function: Elementwise, dtype: DType) -> Option<Routine> {
    use BinaryOp::*;
    match (function.lowering(dtype), function) {
        (Lowering::Inline, _) => None,
        (Lowering::VectorMath, Elementwise::Unary(op)) => {
            ndjit_ir::math::unary_entry(op, dtype).map(Routine::Unary)
        }
        (Lowering::VectorMath, Elementwise::Binary(op)) => {
            ndjit_ir::math::binary_entry(op, dtype).map(Routine::Binary)
        }
        (Lowering::Routine, Elementwise::Binary(op)) => Some(Routine::Binary(match (op, dtype) {
            (FloorDiv, DType::F64) => binary!(f64, floor_divide::<f64>),
            (FloorDiv, DType::F32) => binary!(f32, floor_divide::<f32>),
            (Rem, DType::F64) => binary!(f64, remainder::<f64>),
            (Rem, DType::F32) => binary!(f32, remainder::<f32>),
            (Fmod, DType::F64) => binary!(f64, fmod::<f64>),
            (Fmod, DType::F32) => binary!(f32, fmod::<f32>),
            (Fmod, DType::I64) => binary!(i64, integer_fmod::<i64>),
            (Fmod, DType::I32) => binary!(i32, integer_fmod::<i32>),
            (Pow, DType::I64) => binary!(i64, integer_power::<i64>),
            (Pow, DType::I32) => binary!(i32, integer_power::<i32>),
            _ => return None,
        })),
        (Lowering::Routine | Lowering::VectorMath, _) => None,
    }
}
