//! Inline lowering of elementwise ops, for one element (`lanes == 1`) or a
//! vector register of lanes. The semantics are NumPy's, as the reference
//! interpreter implements them; plain IEEE operations are exact, so
//! compiled and interpreted results are bit-identical.
//!
//! Bools are `i8` 0/1 one at a time and lane masks in vector registers,
//! hence the two forms of `select` and `not`.

use super::kernel_function::{scalar_type, Emitter};
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Value};
use ndjit_ir::{BinaryOp, DType, UnaryOp};

/// `op(x)` for `x` of `dtype`. Ops computed by chunk routines are not
/// lowered here.
pub(super) fn unary(
    e: &mut Emitter,
    op: UnaryOp,
    dtype: DType,
    lanes: usize,
    x: Value,
) -> Result<Value, String> {
    use UnaryOp::*;
    let float = dtype.is_float();
    Ok(match op {
        Neg if float => e.builder.ins().fneg(x),
        Neg => e.builder.ins().ineg(x),
        Abs if float => e.builder.ins().fabs(x),
        Abs => e.builder.ins().iabs(x),
        Sign if float => {
            // NumPy: 1 if x > 0, -1 if x < 0, 0 if x == 0 (either zero), else x (NaN).
            let zero = e.number(dtype, lanes, 0.0);
            let one = e.number(dtype, lanes, 1.0);
            let minus_one = e.number(dtype, lanes, -1.0);
            let is_zero = e.builder.ins().fcmp(FloatCC::Equal, x, zero);
            let below = e.builder.ins().fcmp(FloatCC::LessThan, x, zero);
            let above = e.builder.ins().fcmp(FloatCC::GreaterThan, x, zero);
            let r = select(e, lanes, is_zero, zero, x);
            let r = select(e, lanes, below, minus_one, r);
            select(e, lanes, above, one, r)
        }
        Sign => {
            let zero = e.number(dtype, lanes, 0.0);
            let above = e.builder.ins().icmp(IntCC::SignedGreaterThan, x, zero);
            let below = e.builder.ins().icmp(IntCC::SignedLessThan, x, zero);
            let ty = e.value_type(dtype, lanes);
            let above = e.builder.ins().uextend(ty, above);
            let below = e.builder.ins().uextend(ty, below);
            e.builder.ins().isub(above, below)
        }
        Sqrt => e.builder.ins().sqrt(x),
        Floor => e.builder.ins().floor(x),
        Ceil => e.builder.ins().ceil(x),
        Trunc => e.builder.ins().trunc(x),
        // Cranelift's `nearest` rounds half to even, as `np.round`.
        Round => e.builder.ins().nearest(x),
        Recip => {
            let one = e.number(dtype, lanes, 1.0);
            e.builder.ins().fdiv(one, x)
        }
        Square if float => e.builder.ins().fmul(x, x),
        Square => e.builder.ins().imul(x, x),
        Not if lanes == 1 => e.builder.ins().bxor_imm_s(x, 1),
        Not => e.builder.ins().bnot(x),
        IsNan if float => e.builder.ins().fcmp(FloatCC::Unordered, x, x),
        IsNan => e.boolean(lanes, false),
        IsFinite if float => {
            let infinity = e.number(dtype, lanes, f64::INFINITY);
            let magnitude = e.builder.ins().fabs(x);
            e.builder.ins().fcmp(FloatCC::LessThan, magnitude, infinity)
        }
        IsFinite => e.boolean(lanes, true),
        Exp | Expm1 | Exp2 | Log | Log1p | Log2 | Sin | Cos | Tan | Tanh | Asin | Acos | Atan
        | Sinh | Cosh | Erf => return Err(format!("{} is computed by a routine", op.name())),
    })
}

/// `op(a, b)` for operands of `dtype`. Ops computed by chunk routines are
/// not lowered here.
pub(super) fn binary(
    e: &mut Emitter,
    op: BinaryOp,
    dtype: DType,
    lanes: usize,
    a: Value,
    b: Value,
) -> Result<Value, String> {
    use BinaryOp::*;
    let float = dtype.is_float();
    Ok(match op {
        Add if float => e.ins().fadd(a, b),
        Add => e.ins().iadd(a, b),
        Sub if float => e.ins().fsub(a, b),
        Sub => e.ins().isub(a, b),
        Mul if float => e.ins().fmul(a, b),
        Mul => e.ins().imul(a, b),
        Div if float => e.ins().fdiv(a, b),
        FloorDiv | Rem if dtype.is_int() && lanes == 1 => int_division(e, op, dtype, a, b),
        Maximum | Minimum if float => extreme(e, op == Maximum, lanes, a, b),
        // np.fmax/fmin: `a` when `b` is NaN or `a` wins or ties, else `b`.
        Fmax | Fmin => {
            let cc = if op == Fmax {
                FloatCC::GreaterThanOrEqual
            } else {
                FloatCC::LessThanOrEqual
            };
            let wins = e.ins().fcmp(cc, a, b);
            let b_nan = e.ins().fcmp(FloatCC::Unordered, b, b);
            let keep_a = e.ins().bor(wins, b_nan);
            select(e, lanes, keep_a, a, b)
        }
        // |a| with b's sign, by bits (the x86-64 backend has no vector
        // `fcopysign`): -0.0 is exactly the sign bit.
        CopySign => {
            let sign = e.number(dtype, lanes, -0.0);
            let magnitude = e.ins().band_not(a, sign);
            let sign_of_b = e.ins().band(b, sign);
            e.ins().bor(magnitude, sign_of_b)
        }
        Maximum if dtype == DType::Bool => e.ins().bor(a, b),
        Minimum if dtype == DType::Bool => e.ins().band(a, b),
        Maximum => e.ins().smax(a, b),
        Minimum => e.ins().smin(a, b),
        Eq | Ne | Lt | Le | Gt | Ge if float => {
            let cc = match op {
                Eq => FloatCC::Equal,
                // True for unordered operands: NaN != NaN.
                Ne => FloatCC::NotEqual,
                Lt => FloatCC::LessThan,
                Le => FloatCC::LessThanOrEqual,
                Gt => FloatCC::GreaterThan,
                _ => FloatCC::GreaterThanOrEqual,
            };
            e.ins().fcmp(cc, a, b)
        }
        Eq | Ne | Lt | Le | Gt | Ge => {
            // Bools (0/1 or masks) compare unsigned: false < true.
            let signed = dtype.is_int();
            let cc = match (op, signed) {
                (Eq, _) => IntCC::Equal,
                (Ne, _) => IntCC::NotEqual,
                (Lt, true) => IntCC::SignedLessThan,
                (Le, true) => IntCC::SignedLessThanOrEqual,
                (Gt, true) => IntCC::SignedGreaterThan,
                (Lt, false) => IntCC::UnsignedLessThan,
                (Le, false) => IntCC::UnsignedLessThanOrEqual,
                (Gt, false) => IntCC::UnsignedGreaterThan,
                (_, false) => IntCC::UnsignedGreaterThanOrEqual,
                (_, true) => IntCC::SignedGreaterThanOrEqual,
            };
            e.ins().icmp(cc, a, b)
        }
        And => e.ins().band(a, b),
        Or => e.ins().bor(a, b),
        Xor => e.ins().bxor(a, b),
        Div | FloorDiv | Rem | Fmod | Pow | Atan2 => {
            return Err(format!("{} on {dtype} is computed by a routine", op.name()))
        }
    })
}

/// NumPy's integer `floor_divide` and `remainder`: the quotient rounds
/// toward -inf and the remainder takes the divisor's sign; division by
/// zero gives 0 and `MIN / -1` wraps to `MIN` (Cranelift's `sdiv` would
/// trap on both, so the divisor is replaced by 1 there).
fn int_division(e: &mut Emitter, op: BinaryOp, dtype: DType, a: Value, b: Value) -> Value {
    let ty = scalar_type(dtype);
    let zero = e.number(dtype, 1, 0.0);
    let one = e.number(dtype, 1, 1.0);
    let by_zero = e.ins().icmp_imm_s(IntCC::Equal, b, 0);
    let by_minus_one = e.ins().icmp_imm_s(IntCC::Equal, b, -1);
    let special = e.ins().bor(by_zero, by_minus_one);
    let divisor = e.ins().select(special, one, b);
    let remainder = e.ins().srem(a, divisor);
    // A non-zero remainder of the other sign than the divisor: floor is one lower.
    let inexact = e.ins().icmp_imm_s(IntCC::NotEqual, remainder, 0);
    let signs = e.ins().bxor(remainder, b);
    let opposite = e.ins().icmp_imm_s(IntCC::SignedLessThan, signs, 0);
    let adjust = e.ins().band(inexact, opposite);
    let result = if op == BinaryOp::FloorDiv {
        let quotient = e.ins().sdiv(a, divisor);
        let adjust = e.ins().uextend(ty, adjust);
        let floored = e.ins().isub(quotient, adjust);
        let negated = e.ins().ineg(a);
        e.ins().select(by_minus_one, negated, floored)
    } else {
        let shifted = e.ins().iadd(remainder, b);
        e.ins().select(adjust, shifted, remainder)
    };
    e.ins().select(by_zero, zero, result)
}

/// `np.maximum(a, b)` (or `np.minimum`) on floats: `a` if it is larger
/// (smaller) or NaN, else `b`. So NaN propagates from either side, and ties
/// (`0.0` against `-0.0`) give `b`, as NumPy's (and the interpreter's).
/// Two compares and a select: cheaper than Cranelift's `fmax`, whose
/// IEEE 754-2019 semantics (`-0 < +0`) NumPy does not have.
pub(super) fn extreme(e: &mut Emitter, maximum: bool, lanes: usize, a: Value, b: Value) -> Value {
    let wins = if maximum {
        FloatCC::GreaterThan
    } else {
        FloatCC::LessThan
    };
    let larger = e.ins().fcmp(wins, a, b);
    let nan = e.ins().fcmp(FloatCC::Unordered, a, a);
    let pick_a = e.ins().bor(larger, nan);
    select(e, lanes, pick_a, a, b)
}

/// `cond ? a : b`, with `cond` a bool of `lanes` elements.
pub(super) fn select(e: &mut Emitter, lanes: usize, cond: Value, a: Value, b: Value) -> Value {
    if lanes == 1 {
        return e.builder.ins().select(cond, a, b);
    }
    let ty = e.builder.func.dfg.value_type(a);
    let mask = if ty == e.builder.func.dfg.value_type(cond) {
        cond
    } else {
        e.builder.ins().bitcast(ty, little_endian(), cond)
    };
    e.builder.ins().bitselect(mask, a, b)
}

/// Flags for lane-reinterpreting vector bitcasts (Cranelift requires an
/// explicit byte order for them).
pub(super) fn little_endian() -> MemFlagsData {
    MemFlagsData::new().with_endianness(cranelift_codegen::ir::Endianness::Little)
}

/// `x` converted from `from` to `to` as NumPy's `astype`: floats to
/// integers truncate and saturate with NaN to 0 (Rust's `as`), integers
/// wrap, anything to bool is `x != 0` (NaN is true).
pub(super) fn cast(
    e: &mut Emitter,
    from: DType,
    to: DType,
    lanes: usize,
    x: Value,
) -> Result<Value, String> {
    use DType::*;
    if from == to {
        return Ok(x);
    }
    let target = e.value_type(to, lanes);
    Ok(match (from, to) {
        (F32 | F64, Bool) => {
            let zero = e.number(from, lanes, 0.0);
            e.ins().fcmp(FloatCC::NotEqual, x, zero)
        }
        (Bool, F32 | F64) if lanes > 1 => {
            let one = e.number(to, lanes, 1.0);
            let mask = e.ins().bitcast(target, little_endian(), x);
            e.ins().band(mask, one)
        }
        _ if lanes > 1 => return Err(format!("no vector cast from {from} to {to}")),
        (F32, F64) => e.ins().fpromote(types::F64, x),
        (F64, F32) => e.ins().fdemote(types::F32, x),
        (F32 | F64, I32 | I64) => e.ins().fcvt_to_sint_sat(target, x),
        (I32 | I64, F32 | F64) => e.ins().fcvt_from_sint(target, x),
        (Bool, F32 | F64) => {
            let wide = e.ins().uextend(types::I32, x);
            e.ins().fcvt_from_sint(target, wide)
        }
        (I32, I64) => e.ins().sextend(types::I64, x),
        (Bool, I32 | I64) => e.ins().uextend(target, x),
        (I64, I32) => e.ins().ireduce(types::I32, x),
        (I32 | I64, Bool) => e.ins().icmp_imm_s(IntCC::NotEqual, x, 0),
        (Bool, Bool) | (I32, I32) | (I64, I64) | (F32, F32) | (F64, F64) => x,
    })
}
