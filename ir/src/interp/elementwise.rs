//! Elementwise ops: unary, binary and select.
//!
//! The dtype is dispatched once per op; each arm then runs a loop
//! monomorphized for one element type and one function, with no allocation
//! or dispatch per element.

use super::arith::{maximum, minimum, Integer, Number, Real, Value};
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
    binary_buffers(op, &a.buffer, &b.buffer)
}

/// A binary op applied to corresponding elements of two buffers of one
/// dtype and length.
pub(super) fn binary_buffers(op: BinaryOp, a: &Buffer, b: &Buffer) -> Result<Buffer> {
    let dtype = a.dtype();
    if op.is_comparison() {
        return with_dtype!(dtype, T => compare(op, a.as_slice::<T>(), b.as_slice::<T>()));
    }
    match dtype {
        DType::Bool => logical(op, a.as_slice(), b.as_slice()),
        DType::I32 => integer_binary::<i32>(op, a.as_slice(), b.as_slice()),
        DType::I64 => integer_binary::<i64>(op, a.as_slice(), b.as_slice()),
        DType::F32 => real_binary::<f32>(op, a.as_slice(), b.as_slice()),
        DType::F64 => real_binary::<f64>(op, a.as_slice(), b.as_slice()),
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

/// The binary ops defined on bools.
fn logical(op: BinaryOp, a: &[bool], b: &[bool]) -> Result<Buffer> {
    Ok(match op {
        BinaryOp::And => zip_map(a, b, |x, y| x & y),
        BinaryOp::Or => zip_map(a, b, |x, y| x | y),
        BinaryOp::Xor => zip_map(a, b, |x, y| x ^ y),
        BinaryOp::Maximum => zip_map(a, b, maximum),
        BinaryOp::Minimum => zip_map(a, b, minimum),
        _ => return Err(unsupported(op.name(), DType::Bool)),
    })
}

fn integer_binary<T: Integer>(op: BinaryOp, a: &[T], b: &[T]) -> Result<Buffer> {
    match op {
        BinaryOp::Pow => Ok(zip_map(a, b, T::power)),
        _ => arithmetic(op, a, b),
    }
}

fn real_binary<T: Real>(op: BinaryOp, a: &[T], b: &[T]) -> Result<Buffer> {
    match op {
        BinaryOp::Div => Ok(zip_map(a, b, |x, y| x / y)),
        BinaryOp::Pow | BinaryOp::Atan2 => {
            let mut out = Buffer::zeros(T::DTYPE, a.len());
            float_fn::binary(op, a, b, out.as_mut_slice())?;
            Ok(out)
        }
        _ => arithmetic(op, a, b),
    }
}

/// The binary ops shared by integers and floats.
fn arithmetic<T: Number>(op: BinaryOp, a: &[T], b: &[T]) -> Result<Buffer> {
    Ok(match op {
        BinaryOp::Add => zip_map(a, b, T::add),
        BinaryOp::Sub => zip_map(a, b, T::subtract),
        BinaryOp::Mul => zip_map(a, b, T::multiply),
        BinaryOp::FloorDiv => zip_map(a, b, T::floor_divide),
        BinaryOp::Rem => zip_map(a, b, T::remainder),
        BinaryOp::Maximum => zip_map(a, b, maximum),
        BinaryOp::Minimum => zip_map(a, b, minimum),
        _ => return Err(unsupported(op.name(), T::DTYPE)),
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
