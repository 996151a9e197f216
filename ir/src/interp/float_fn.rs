//! The one table of float-only elementwise functions (transcendentals,
//! rounding, `sqrt`, `recip`, `pow`, `atan2`), evaluated a slice at a time.
//!
//! Every per-element float function the interpreter evaluates goes through
//! here. Transcendentals are ndjit's vectorized math routines
//! ([`crate::math`]), the very ones compiled kernels call, so eager and fused
//! results agree bit for bit; rounding, `sqrt` and `recip` are exact.

use super::arith::Real;
use super::unsupported;
use crate::error::Result;
use crate::op::{BinaryOp, UnaryOp};

/// `out[i] = op(x[i])` for a float-only unary `op`. The ops defined on
/// other dtypes too (`neg`, `abs`, `sign`, `square`, `not`, `isnan`,
/// `isfinite`) are evaluated by the elementwise module, not here.
pub(super) fn unary<T: Real>(op: UnaryOp, x: &[T], out: &mut [T]) -> Result<()> {
    use UnaryOp::*;
    if crate::math::is_vector_math(op) {
        T::vector_unary(op, x, out);
        return Ok(());
    }
    match op {
        Sqrt => map(x, out, T::sqrt),
        Floor => map(x, out, T::floor),
        Ceil => map(x, out, T::ceil),
        Round => map(x, out, T::round_half_even),
        Trunc => map(x, out, T::trunc),
        Recip => map(x, out, T::recip),
        Neg | Abs | Sign | Square | Not | IsNan | IsFinite => {
            return Err(unsupported(op.name(), T::DTYPE))
        }
        Exp | Expm1 | Exp2 | Log | Log1p | Log2 | Sin | Cos | Tan | Tanh | Asin | Acos | Atan
        | Sinh | Cosh | Erf => {
            unreachable!("vector math provides {}", op.name())
        }
    }
    Ok(())
}

/// `out[i] = op(a[i], b[i])` for `pow` and `atan2` on floats.
pub(super) fn binary<T: Real>(op: BinaryOp, a: &[T], b: &[T], out: &mut [T]) -> Result<()> {
    if !crate::math::is_vector_math(op) {
        return Err(unsupported(op.name(), T::DTYPE));
    }
    T::vector_binary(op, a, b, out);
    Ok(())
}

fn map<T: Copy>(x: &[T], out: &mut [T], f: impl Fn(T) -> T) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = f(v);
    }
}
