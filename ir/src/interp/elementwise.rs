//! Elementwise ops: unary, binary and select.
//!
//! The dtype is dispatched once per op; each arm then runs a loop
//! monomorphized for one element type and one function, with no allocation
//! or dispatch per element.

use super::arith::{fmax, fmin, maximum, minimum, Integer, Number, Real, Value};
use super::{float_fn, unsupported};
use crate::buffer::{Buffer, Element, Tensor};
use crate::dtype::DType;
use crate::error::Result;
use crate::op::{BinaryOp, UnaryOp};

/// A unary op applied to every element of `x`.
pub(super) fn unary(op: UnaryOp, x: &Tensor) -> Result<Buffer> {
    use UnaryOp::*;
    let dtype = x.dtype();
    match (op, dtype) {
        (Not, DType::Bool) => Ok(map(x.as_slice::<bool>(), |v| !v)),
        (IsNan, _) => Ok(with_dtype!(dtype, T => map(x.as_slice::<T>(), T::is_nan))),
        (IsFinite, _) => Ok(with_dtype!(dtype, T => map(x.as_slice::<T>(), T::is_finite))),
        (Neg | Abs | Sign | Square, DType::I32) => signed_unary(op, x.as_slice::<i32>()),
        (Neg | Abs | Sign | Square, DType::I64) => signed_unary(op, x.as_slice::<i64>()),
        (Neg | Abs | Sign | Square, DType::F32) => signed_unary(op, x.as_slice::<f32>()),
        (Neg | Abs | Sign | Square, DType::F64) => signed_unary(op, x.as_slice::<f64>()),
        (_, DType::F32) => float_unary(op, x.as_slice::<f32>()),
        (_, DType::F64) => float_unary(op, x.as_slice::<f64>()),
        _ => Err(unsupported(op.name(), dtype)),
    }
}

/// `neg`, `abs`, `sign` and `square`, on any numeric type.
fn signed_unary<T: Number>(op: UnaryOp, x: &[T]) -> Result<Buffer> {
    Ok(match op {
        UnaryOp::Neg => map(x, T::negative),
        UnaryOp::Abs => map(x, T::absolute),
        UnaryOp::Sign => map(x, T::sign),
        UnaryOp::Square => map(x, T::square),
        _ => return Err(unsupported(op.name(), T::DTYPE)),
    })
}

fn float_unary<T: Real>(op: UnaryOp, x: &[T]) -> Result<Buffer> {
    let mut out = Buffer::zeros(T::DTYPE, x.len());
    float_fn::unary(op, x, out.as_mut_slice())?;
    Ok(out)
}

/// A binary op applied to corresponding elements of `a` and `b` (same
/// shape and dtype, as the op's type rule guarantees).
pub(super) fn binary(op: BinaryOp, a: &Tensor, b: &Tensor) -> Result<Buffer> {
    binary_buffers(op, a.buffer(), b.buffer())
}

/// A binary op applied to corresponding elements of two buffers of one
/// dtype and length (as the op's type rule guarantees). One arm per op:
/// a new op cannot be forgotten here.
pub(super) fn binary_buffers(op: BinaryOp, a: &Buffer, b: &Buffer) -> Result<Buffer> {
    use BinaryOp::*;
    let dtype = a.dtype();
    let unsupported = || Err(unsupported(op.name(), dtype));
    macro_rules! numbers {
        ($T:ident => $body:expr) => {
            with_number_dtype!(dtype, $T => $body, bool => unsupported())
        };
    }
    macro_rules! reals {
        ($T:ident => $body:expr) => {
            match dtype {
                DType::F32 => {
                    type $T = f32;
                    $body
                }
                DType::F64 => {
                    type $T = f64;
                    $body
                }
                _ => unsupported(),
            }
        };
    }
    macro_rules! integers {
        ($T:ident => $body:expr) => {
            match dtype {
                DType::I32 => {
                    type $T = i32;
                    $body
                }
                DType::I64 => {
                    type $T = i64;
                    $body
                }
                _ => unsupported(),
            }
        };
    }
    let (x, y) = (a, b);
    match op {
        Eq | Ne | Lt | Le | Gt | Ge => {
            with_dtype!(dtype, T => compare(op, x.as_slice::<T>(), y.as_slice::<T>()))
        }
        And | Or | Xor if dtype == DType::Bool => logical(op, x.as_slice(), y.as_slice()),
        And | Or | Xor => unsupported(),
        Maximum => {
            with_dtype!(dtype, T => Ok(zip_map(x.as_slice::<T>(), y.as_slice::<T>(), maximum)))
        }
        Minimum => {
            with_dtype!(dtype, T => Ok(zip_map(x.as_slice::<T>(), y.as_slice::<T>(), minimum)))
        }
        Add => numbers!(T => Ok(zip_map(x.as_slice::<T>(), y.as_slice::<T>(), T::add))),
        Sub => numbers!(T => Ok(zip_map(x.as_slice::<T>(), y.as_slice::<T>(), T::subtract))),
        Mul => numbers!(T => Ok(zip_map(x.as_slice::<T>(), y.as_slice::<T>(), T::multiply))),
        FloorDiv => {
            numbers!(T => Ok(zip_map(x.as_slice::<T>(), y.as_slice::<T>(), T::floor_divide)))
        }
        Rem => numbers!(T => Ok(zip_map(x.as_slice::<T>(), y.as_slice::<T>(), T::remainder))),
        Fmod => numbers!(T => Ok(zip_map(x.as_slice::<T>(), y.as_slice::<T>(), T::fmod))),
        Div => reals!(T => Ok(zip_map(x.as_slice::<T>(), y.as_slice::<T>(), |p, q| p / q))),
        Fmax => reals!(T => Ok(zip_map(x.as_slice::<T>(), y.as_slice::<T>(), fmax))),
        Fmin => reals!(T => Ok(zip_map(x.as_slice::<T>(), y.as_slice::<T>(), fmin))),
        CopySign => reals!(T => Ok(zip_map(x.as_slice::<T>(), y.as_slice::<T>(), T::copysign))),
        Pow if dtype.is_int() => {
            integers!(T => Ok(zip_map(x.as_slice::<T>(), y.as_slice::<T>(), T::power)))
        }
        Pow | Atan2 => reals!(T => {
            let mut out = Buffer::zeros(T::DTYPE, x.len());
            float_fn::binary(op, x.as_slice::<T>(), y.as_slice::<T>(), out.as_mut_slice())?;
            Ok(out)
        }),
    }
}

/// `eq` .. `ge` on any dtype (IEEE: every comparison with NaN is false,
/// except `ne`, which is true; bools order `false < true`).
fn compare<T: Value>(op: BinaryOp, a: &[T], b: &[T]) -> Result<Buffer> {
    Ok(match op {
        BinaryOp::Eq => zip_map(a, b, |x, y| x == y),
        BinaryOp::Ne => zip_map(a, b, |x, y| x != y),
        BinaryOp::Lt => zip_map(a, b, |x, y| x < y),
        BinaryOp::Le => zip_map(a, b, |x, y| x <= y),
        BinaryOp::Gt => zip_map(a, b, |x, y| x > y),
        BinaryOp::Ge => zip_map(a, b, |x, y| x >= y),
        _ => return Err(unsupported(op.name(), T::DTYPE)),
    })
}

/// The logical ops, on bools.
fn logical(op: BinaryOp, a: &[bool], b: &[bool]) -> Result<Buffer> {
    Ok(match op {
        BinaryOp::And => zip_map(a, b, |x, y| x & y),
        BinaryOp::Or => zip_map(a, b, |x, y| x | y),
        BinaryOp::Xor => zip_map(a, b, |x, y| x ^ y),
        _ => return Err(unsupported(op.name(), DType::Bool)),
    })
}

/// `where(condition, a, b)`.
pub(super) fn select(condition: &Tensor, a: &Tensor, b: &Tensor) -> Result<Buffer> {
    let condition = condition.as_slice::<bool>();
    Ok(with_dtype!(a.dtype(), T => {
        let (a, b) = (a.as_slice::<T>(), b.as_slice::<T>());
        let mut out = Buffer::zeros(T::DTYPE, a.len());
        let slots = out.as_mut_slice::<T>().iter_mut();
        for (((o, &c), &x), &y) in slots.zip(condition).zip(a).zip(b) {
            *o = if c { x } else { y };
        }
        out
    }))
}

/// `a * b + c` rounded once, elementwise (float operands of one dtype).
pub(super) fn mul_add(a: &Tensor, b: &Tensor, c: &Tensor) -> Result<Buffer> {
    fn fused<T: Element>(a: &[T], b: &[T], c: &[T], f: impl Fn(T, T, T) -> T) -> Buffer {
        let mut out = Buffer::zeros(T::DTYPE, a.len());
        let slots = out.as_mut_slice::<T>().iter_mut();
        for (((o, &x), &y), &z) in slots.zip(a).zip(b).zip(c) {
            *o = f(x, y, z);
        }
        out
    }
    match a.dtype() {
        DType::F64 => Ok(fused(
            a.as_slice::<f64>(),
            b.as_slice::<f64>(),
            c.as_slice::<f64>(),
            f64::mul_add,
        )),
        DType::F32 => Ok(fused(
            a.as_slice::<f32>(),
            b.as_slice::<f32>(),
            c.as_slice::<f32>(),
            f32::mul_add,
        )),
        other => Err(unsupported("mul_add", other)),
    }
}

/// A new buffer with `f` applied to each element of `x`.
pub(super) fn map<T: Element, U: Element>(x: &[T], f: impl Fn(T) -> U) -> Buffer {
    let mut out = Buffer::zeros(U::DTYPE, x.len());
    for (o, &v) in out.as_mut_slice::<U>().iter_mut().zip(x) {
        *o = f(v);
    }
    out
}

/// A new buffer with `f` applied to corresponding elements of `a` and `b`.
fn zip_map<T: Element, U: Element>(a: &[T], b: &[T], f: impl Fn(T, T) -> U) -> Buffer {
    let mut out = Buffer::zeros(U::DTYPE, a.len());
    for ((o, &x), &y) in out.as_mut_slice::<U>().iter_mut().zip(a).zip(b) {
        *o = f(x, y);
    }
    out
}
