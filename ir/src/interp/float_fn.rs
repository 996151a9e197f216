//! The one table of float-only elementwise functions (transcendentals,
//! rounding, `sqrt`, `recip`, `pow`, `atan2`), evaluated a slice at a time.
//!
//! Every per-element float function the interpreter evaluates goes through
//! here, so that switching to ndjit's vectorized math routines (which the
//! compiled kernels call, making eager and fused results agree) is a change
//! to this file alone. Until then the functions are `std`'s (the platform
//! libm) and, for `erf`, Cody's approximation in [`super::erf`].

use super::arith::Real;
use super::unsupported;
use crate::error::Result;
use crate::op::{BinaryOp, UnaryOp};

/// `out[i] = op(x[i])` for a float-only unary `op`. The ops defined on
/// other dtypes too (`neg`, `abs`, `sign`, `square`, `not`, `isnan`,
/// `isfinite`) are evaluated by the elementwise module, not here.
pub(super) fn unary<T: Real>(op: UnaryOp, x: &[T], out: &mut [T]) -> Result<()> {
    use UnaryOp::*;
    match op {
        Sqrt => map(x, out, T::sqrt),
        Exp => map(x, out, T::exp),
        Expm1 => map(x, out, T::exp_m1),
        Exp2 => map(x, out, T::exp2),
        Log => map(x, out, T::ln),
        Log1p => map(x, out, T::ln_1p),
        Log2 => map(x, out, T::log2),
        Sin => map(x, out, T::sin),
        Cos => map(x, out, T::cos),
        Tan => map(x, out, T::tan),
        Tanh => map(x, out, T::tanh),
        Asin => map(x, out, T::asin),
        Acos => map(x, out, T::acos),
        Atan => map(x, out, T::atan),
        Sinh => map(x, out, T::sinh),
        Cosh => map(x, out, T::cosh),
        Erf => map(x, out, T::erf),
        Floor => map(x, out, T::floor),
        Ceil => map(x, out, T::ceil),
        Round => map(x, out, T::round_half_even),
        Recip => map(x, out, T::recip),
        Neg | Abs | Sign | Square | Not | IsNan | IsFinite => {
            return Err(unsupported(op.name(), T::DTYPE))
        }
    }
    Ok(())
}

/// `out[i] = op(a[i], b[i])` for `pow` and `atan2` on floats.
pub(super) fn binary<T: Real>(op: BinaryOp, a: &[T], b: &[T], out: &mut [T]) -> Result<()> {
    match op {
        BinaryOp::Pow => zip_map(a, b, out, T::powf),
        BinaryOp::Atan2 => zip_map(a, b, out, T::atan2),
        _ => return Err(unsupported(op.name(), T::DTYPE)),
    }
    Ok(())
}

fn map<T: Copy>(x: &[T], out: &mut [T], f: impl Fn(T) -> T) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = f(v);
    }
}

fn zip_map<T: Copy>(a: &[T], b: &[T], out: &mut [T], f: impl Fn(T, T) -> T) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = f(x, y);
    }
}
