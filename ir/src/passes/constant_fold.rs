//! Constant folding: nodes whose every element is known at compile time
//! become a constant (0-d) or a broadcast of one.
//!
//! A fold must give the very bits the interpreter and the compiled kernels
//! would compute, so only operations whose result IEEE 754 (or two's
//! complement wrapping) pins down exactly are evaluated here: `+ - * /`,
//! `sqrt`, rounding, comparisons, `abs`, `neg`, casts. Transcendentals
//! (`exp`, `sin`, `pow`, ...) are computed at run time by ndjit's vector
//! math routines, whose results may differ from any Rust function in the
//! last bit, so they are never folded; neither are the operations whose
//! edge cases NumPy defines in ways a scalar formula could get wrong (float
//! `floor_div` and `rem`, the sign of `sign(±0)`, `maximum` of `0.0` and
//! `-0.0`, integer `pow`).

use super::rewrite::{rewrite, splat, uniform_value};
use crate::dtype::DType;
use crate::graph::{Graph, Node, NodeId};
use crate::op::{BinaryOp, Op, ReduceOp, UnaryOp};
use crate::scalar::Scalar;
use crate::shape::Shape;

/// Replaces every node with a uniform, exactly computable value by that
/// value (see the module documentation for what is folded and why).
/// Returns whether the graph changed.
pub fn constant_fold(graph: &mut Graph) -> bool {
    rewrite(graph, fold)
}

fn fold(graph: &mut Graph, node: &Node) -> Option<NodeId> {
    let operand = |i: usize| uniform_value(graph, node.args[i]);
    let value = match &node.op {
        Op::Input(_) | Op::Const(_) => return None,
        // A view moves or repeats elements: a uniform operand stays uniform.
        // Pad inserts zeros, which keep it uniform only if it already was zero.
        Op::Pad(_) => operand(0).filter(|v| *v == Scalar::zero(v.dtype()))?,
        Op::Reshape(_) | Op::Permute(_) | Op::Broadcast(_) | Op::Slice(_) => operand(0)?,
        Op::Unary(op) => fold_unary(*op, operand(0)?)?,
        Op::Binary(op) => fold_binary(*op, operand(0)?, operand(1)?)?,
        Op::Select => {
            let (condition, a, b) = (operand(0)?, operand(1)?, operand(2)?);
            if condition == Scalar::Bool(true) {
                a
            } else {
                b
            }
        }
        Op::MulAdd => match (operand(0)?, operand(1)?, operand(2)?) {
            (Scalar::F64(a), Scalar::F64(b), Scalar::F64(c)) => Scalar::F64(a.mul_add(b, c)),
            (Scalar::F32(a), Scalar::F32(b), Scalar::F32(c)) => Scalar::F32(a.mul_add(b, c)),
            _ => unreachable!("mul_add operands are floats of one dtype"),
        },
        Op::Cast(dtype) => operand(0)?.cast(*dtype),
        Op::Reduce { op, axes } => {
            let shape = &graph.ty(node.args[0]).shape;
            fold_reduce(*op, reduced_count(shape, axes)?, operand(0)?)?
        }
        // Every candidate ties (or is NaN): the first index wins.
        Op::ArgReduce { .. } => {
            operand(0)?;
            Scalar::I64(0)
        }
        // Joined operands that all hold one value (bit for bit).
        Op::Concat { .. } => {
            let first = operand(0)?;
            (1..node.args.len())
                .all(|k| operand(k) == Some(first))
                .then_some(first)?
        }
    };
    Some(splat(graph, value, &node.ty.shape))
}

/// How many elements each result element of a reduction combines.
fn reduced_count(shape: &Shape, axes: &[usize]) -> Option<usize> {
    axes.iter()
        .try_fold(1usize, |n, &a| n.checked_mul(shape.0[a]))
}

macro_rules! float_unary {
    ($op:expr, $v:expr, $variant:ident) => {{
        let v = $v;
        Scalar::$variant(match $op {
            UnaryOp::Neg => -v,
            UnaryOp::Abs => v.abs(),
            UnaryOp::Sqrt => v.sqrt(),
            UnaryOp::Floor => v.floor(),
            UnaryOp::Ceil => v.ceil(),
            UnaryOp::Round => v.round_ties_even(),
            UnaryOp::Recip => 1.0 / v,
            UnaryOp::Square => v * v,
            // sign(±0) is ±0 or +0 depending on the implementation: skip.
            UnaryOp::Sign if v.is_nan() || v != 0.0 => v.signum(),
            _ => return None,
        })
    }};
}

macro_rules! int_unary {
    ($op:expr, $v:expr, $variant:ident) => {{
        let v = $v;
        Scalar::$variant(match $op {
            UnaryOp::Neg => v.wrapping_neg(),
            UnaryOp::Abs => v.wrapping_abs(),
            UnaryOp::Sign => v.signum(),
            UnaryOp::Square => v.wrapping_mul(v),
            _ => return None,
        })
    }};
}

/// An elementwise function of one constant, where its result is exact.
fn fold_unary(op: UnaryOp, x: Scalar) -> Option<Scalar> {
    Some(match (op, x) {
        (UnaryOp::Not, Scalar::Bool(b)) => Scalar::Bool(!b),
        (UnaryOp::IsNan, x) => Scalar::Bool(x.to_f64().is_nan()),
        (UnaryOp::IsFinite, x) => Scalar::Bool(x.to_f64().is_finite()),
        (op, Scalar::F32(v)) => float_unary!(op, v, F32),
        (op, Scalar::F64(v)) => float_unary!(op, v, F64),
        (op, Scalar::I32(v)) => int_unary!(op, v, I32),
        (op, Scalar::I64(v)) => int_unary!(op, v, I64),
        (_, Scalar::Bool(_)) => return None,
    })
}

macro_rules! float_binary {
    ($op:expr, $a:expr, $b:expr, $variant:ident) => {{
        let (a, b) = ($a, $b);
        match $op {
            BinaryOp::Add => Scalar::$variant(a + b),
            BinaryOp::Sub => Scalar::$variant(a - b),
            BinaryOp::Mul => Scalar::$variant(a * b),
            BinaryOp::Div => Scalar::$variant(a / b),
            // NaN-propagating; ties (0.0 against -0.0) give `b`, as NumPy.
            BinaryOp::Maximum if a > b || a.is_nan() => Scalar::$variant(a),
            BinaryOp::Minimum if a < b || a.is_nan() => Scalar::$variant(a),
            BinaryOp::Maximum | BinaryOp::Minimum => Scalar::$variant(b),
            op if op.is_comparison() => Scalar::Bool(compare(op, a.partial_cmp(&b))),
            _ => return None,
        }
    }};
}

macro_rules! int_binary {
    ($op:expr, $a:expr, $b:expr, $variant:ident, $t:ty) => {{
        let (a, b): ($t, $t) = ($a, $b);
        match $op {
            BinaryOp::Add => Scalar::$variant(a.wrapping_add(b)),
            BinaryOp::Sub => Scalar::$variant(a.wrapping_sub(b)),
            BinaryOp::Mul => Scalar::$variant(a.wrapping_mul(b)),
            // np.floor_divide gives 0 for a zero divisor; MIN // -1 overflows
            // and NumPy's answer there is not pinned down: skip it.
            BinaryOp::FloorDiv if b == 0 => Scalar::$variant(0),
            BinaryOp::FloorDiv if !(a == <$t>::MIN && b == -1) => {
                let q = a / b;
                Scalar::$variant(if a % b != 0 && ((a < 0) != (b < 0)) {
                    q - 1
                } else {
                    q
                })
            }
            // The remainder takes the divisor's sign (np.remainder).
            BinaryOp::Rem if b != 0 => {
                let r = a.wrapping_rem(b);
                Scalar::$variant(if r != 0 && ((r < 0) != (b < 0)) {
                    r + b
                } else {
                    r
                })
            }
            BinaryOp::Maximum => Scalar::$variant(a.max(b)),
            BinaryOp::Minimum => Scalar::$variant(a.min(b)),
            op if op.is_comparison() => Scalar::Bool(compare(op, a.partial_cmp(&b))),
            _ => return None,
        }
    }};
}

/// An elementwise function of two constants of one dtype, where its
/// result is exact.
fn fold_binary(op: BinaryOp, a: Scalar, b: Scalar) -> Option<Scalar> {
    Some(match (a, b) {
        (Scalar::F32(a), Scalar::F32(b)) => float_binary!(op, a, b, F32),
        (Scalar::F64(a), Scalar::F64(b)) => float_binary!(op, a, b, F64),
        (Scalar::I32(a), Scalar::I32(b)) => int_binary!(op, a, b, I32, i32),
        (Scalar::I64(a), Scalar::I64(b)) => int_binary!(op, a, b, I64, i64),
        (Scalar::Bool(a), Scalar::Bool(b)) => Scalar::Bool(match op {
            BinaryOp::And | BinaryOp::Minimum => a & b,
            BinaryOp::Or | BinaryOp::Maximum => a | b,
            BinaryOp::Xor => a ^ b,
            op if op.is_comparison() => compare(op, a.partial_cmp(&b)),
            _ => return None,
        }),
        _ => unreachable!("binary operands share a dtype"),
    })
}

/// A comparison's result from the operands' order (`None`: unordered, a NaN).
fn compare(op: BinaryOp, order: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    match op {
        BinaryOp::Eq => order == Some(Equal),
        BinaryOp::Ne => order != Some(Equal),
        BinaryOp::Lt => order == Some(Less),
        BinaryOp::Le => matches!(order, Some(Less | Equal)),
        BinaryOp::Gt => order == Some(Greater),
        BinaryOp::Ge => matches!(order, Some(Greater | Equal)),
        _ => unreachable!("{} is not a comparison", op.name()),
    }
}

/// A reduction of `n` copies of `value`, when every order of combining
/// them gives the same bits.
fn fold_reduce(op: ReduceOp, n: usize, value: Scalar) -> Option<Scalar> {
    let dtype = value.dtype();
    if n == 0 {
        // Max and min reject empty axes when the node is built.
        return op.identity(dtype);
    }
    match (op, value) {
        (ReduceOp::Max | ReduceOp::Min | ReduceOp::Any | ReduceOp::All, value) => Some(value),
        // Wrapping integer arithmetic is associative and commutative.
        (ReduceOp::Sum, Scalar::I32(_) | Scalar::I64(_)) => {
            let v = value_as_i64(value);
            Some(Scalar::from_i64(v.wrapping_mul(n as i64), dtype))
        }
        (ReduceOp::Prod, Scalar::I32(_) | Scalar::I64(_)) => Some(Scalar::from_i64(
            wrapping_pow(value_as_i64(value), n as u64),
            dtype,
        )),
        (ReduceOp::Sum, _) => exact_float_sum(value, n),
        (ReduceOp::Prod, _) => exact_float_product(value, n),
    }
}

fn value_as_i64(value: Scalar) -> i64 {
    match value {
        Scalar::I32(v) => v as i64,
        Scalar::I64(v) => v,
        _ => unreachable!("an integer"),
    }
}

fn wrapping_pow(mut base: i64, mut exponent: u64) -> i64 {
    let mut result = 1i64;
    while exponent > 0 {
        if exponent & 1 == 1 {
            result = result.wrapping_mul(base);
        }
        base = base.wrapping_mul(base);
        exponent >>= 1;
    }
    result
}

/// The bits of a float's significand (with its implicit bit) and the
/// precision of its dtype, or `None` for non-floats.
fn significand(value: Scalar) -> Option<(u64, u32)> {
    match value {
        Scalar::F32(v) => {
            let bits = v.to_bits() as u64;
            let implicit = if bits >> 23 & 0xff != 0 { 1 << 23 } else { 0 };
            Some((bits & 0x7f_ffff | implicit, 24))
        }
        Scalar::F64(v) => {
            let bits = v.to_bits();
            let implicit = if bits >> 52 & 0x7ff != 0 { 1 << 52 } else { 0 };
            Some((bits & 0xf_ffff_ffff_ffff | implicit, 53))
        }
        _ => None,
    }
}

/// The sum of `n ≥ 1` copies of a float, when every partial sum `k·c` is
/// exactly representable, so that any association (pairwise, sequential,
/// from the identity `+0.0` or from the first element) gives `n·c`. With
/// `c = m·2^e` (`m` odd) that holds when `m·n ≤ 2^precision`:
/// every `k·m·2^e` is then a float (a subnormal too, as `e` is at least the
/// subnormal exponent) and the largest one does not overflow. Infinities
/// and NaN are absorbing; `-0.0` is not folded, because `+0.0 + -0.0` is
/// `+0.0` and the result would depend on whether the sum starts at the
/// identity.
fn exact_float_sum(value: Scalar, n: usize) -> Option<Scalar> {
    let x = value.to_f64();
    if x.is_nan() || x.is_infinite() || x.to_bits() == 0 {
        return Some(value);
    }
    if x == 0.0 {
        return None;
    }
    let (m, precision) = significand(value)?;
    let odd = m >> m.trailing_zeros();
    let fits = (odd as u128)
        .checked_mul(n as u128)
        .is_some_and(|p| p <= 1u128 << precision);
    // m·n ≤ 2^precision, so the product below is exact in f64 and the cast
    // to f32 only detects overflow.
    let total = Scalar::from_f64(x * n as f64, value.dtype());
    (fits && total.to_f64().is_finite()).then_some(total)
}

/// `k` when `|x| = 2^k` (normal or subnormal).
fn power_of_two_exponent(x: f64) -> Option<i64> {
    let bits = x.to_bits();
    let (field, mantissa) = ((bits >> 52 & 0x7ff) as i64, bits & 0xf_ffff_ffff_ffff);
    match field {
        0 if mantissa.is_power_of_two() => Some(-1074 + mantissa.trailing_zeros() as i64),
        1..=0x7fe if mantissa == 0 => Some(field - 1023),
        _ => None,
    }
}

/// The product of `n ≥ 1` copies of a float, when every partial product is
/// exact whatever the order: signed powers of two whose powers stay in
/// range (subnormals included), zeros, infinities and NaN. The sign is
/// `-` for an odd `n` of negative values.
fn exact_float_product(value: Scalar, n: usize) -> Option<Scalar> {
    let x = value.to_f64();
    let negative = x.is_sign_negative() && n % 2 == 1;
    let signed = |magnitude: f64| {
        Scalar::from_f64(if negative { -magnitude } else { magnitude }, value.dtype())
    };
    if x.is_nan() {
        return Some(value);
    }
    if x == 0.0 || x.is_infinite() {
        return Some(signed(x.abs()));
    }
    let exponent = power_of_two_exponent(x)?;
    let (min, max) = if value.dtype() == DType::F32 {
        (-149, 127)
    } else {
        (-1074, 1023)
    };
    let total = exponent.checked_mul(i64::try_from(n).ok()?)?;
    if !(min..=max).contains(&total) {
        return None;
    }
    let magnitude = if total >= -1022 {
        f64::from_bits(((total + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (total + 1074))
    };
    Some(signed(magnitude))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_edge_cases_follow_numpy() {
        let b = BinaryOp::FloorDiv;
        assert_eq!(
            fold_binary(b, Scalar::I32(-7), Scalar::I32(2)),
            Some(Scalar::I32(-4))
        );
        assert_eq!(
            fold_binary(b, Scalar::I32(7), Scalar::I32(0)),
            Some(Scalar::I32(0))
        );
        assert_eq!(fold_binary(b, Scalar::I64(i64::MIN), Scalar::I64(-1)), None);
        let r = BinaryOp::Rem;
        assert_eq!(
            fold_binary(r, Scalar::I32(-7), Scalar::I32(2)),
            Some(Scalar::I32(1))
        );
        assert_eq!(
            fold_binary(r, Scalar::I32(7), Scalar::I32(-2)),
            Some(Scalar::I32(-1))
        );
        assert_eq!(fold_binary(r, Scalar::I32(7), Scalar::I32(0)), None);
        assert_eq!(
            fold_binary(BinaryOp::Add, Scalar::I32(i32::MAX), Scalar::I32(1)),
            Some(Scalar::I32(i32::MIN))
        );
        assert_eq!(
            fold_unary(UnaryOp::Abs, Scalar::I64(i64::MIN)),
            Some(Scalar::I64(i64::MIN))
        );
    }

    #[test]
    fn float_edge_cases_fold_as_numpy_or_are_left_alone() {
        let (max, min) = (BinaryOp::Maximum, BinaryOp::Minimum);
        // Ties of signed zeros give the second operand, as NumPy's.
        let tie = |op, a: f64, b: f64| fold_binary(op, Scalar::F64(a), Scalar::F64(b));
        assert_eq!(
            tie(max, 0.0, -0.0).map(|v| v.bits()),
            Some((-0.0f64).to_bits())
        );
        assert_eq!(
            tie(max, -0.0, 0.0).map(|v| v.bits()),
            Some(0.0f64.to_bits())
        );
        assert_eq!(
            tie(min, 0.0, -0.0).map(|v| v.bits()),
            Some((-0.0f64).to_bits())
        );
        assert_eq!(
            fold_binary(max, Scalar::F64(1.0), Scalar::F64(f64::NAN)).map(|v| v.to_f64().is_nan()),
            Some(true)
        );
        assert_eq!(fold_unary(UnaryOp::Sign, Scalar::F64(-0.0)), None);
        assert_eq!(
            fold_unary(UnaryOp::Sign, Scalar::F64(-3.0)),
            Some(Scalar::F64(-1.0))
        );
        assert_eq!(
            fold_unary(UnaryOp::Round, Scalar::F32(2.5)),
            Some(Scalar::F32(2.0))
        );
        assert_eq!(
            fold_binary(BinaryOp::Pow, Scalar::F64(2.0), Scalar::F64(2.0)),
            None
        );
        assert_eq!(
            fold_binary(BinaryOp::Rem, Scalar::F64(5.0), Scalar::F64(2.0)),
            None
        );
    }

    #[test]
    fn reductions_fold_only_when_every_order_agrees() {
        use ReduceOp::*;
        assert_eq!(
            fold_reduce(Max, 5, Scalar::F64(-0.0)),
            Some(Scalar::F64(-0.0))
        );
        assert_eq!(
            fold_reduce(Sum, 4, Scalar::I32(i32::MAX)),
            Some(Scalar::I32(-4))
        );
        assert_eq!(fold_reduce(Prod, 3, Scalar::I64(-2)), Some(Scalar::I64(-8)));
        assert_eq!(
            fold_reduce(Sum, 0, Scalar::F32(1.5)),
            Some(Scalar::F32(0.0))
        );
        assert_eq!(
            fold_reduce(Sum, 10, Scalar::F64(0.5)),
            Some(Scalar::F64(5.0))
        );
        assert_eq!(
            fold_reduce(Sum, 3, Scalar::F64(0.1)),
            None,
            "0.1 has a 53-bit significand"
        );
        assert_eq!(
            fold_reduce(Sum, (1 << 24) + 1, Scalar::F32(1.0)),
            None,
            "2^24 + 1 is not an f32"
        );
        assert_eq!(
            fold_reduce(Sum, 1 << 24, Scalar::F32(1.0)),
            Some(Scalar::F32(16777216.0))
        );
        assert_eq!(
            fold_reduce(Sum, 3, Scalar::F32(0.75)),
            Some(Scalar::F32(2.25))
        );
        assert_eq!(fold_reduce(Sum, 3, Scalar::F64(-0.0)), None);
        assert_eq!(fold_reduce(Sum, 3, Scalar::F64(f64::MAX)), None);
        assert_eq!(
            fold_reduce(Sum, 3, Scalar::F64(f64::NEG_INFINITY)),
            Some(Scalar::F64(f64::NEG_INFINITY))
        );
        assert_eq!(
            fold_reduce(Prod, 3, Scalar::F64(-0.5)),
            Some(Scalar::F64(-0.125))
        );
        assert_eq!(
            fold_reduce(Prod, 2, Scalar::F64(-0.0)),
            Some(Scalar::F64(0.0))
        );
        assert_eq!(fold_reduce(Prod, 3, Scalar::F64(3.0)), None);
        assert_eq!(
            fold_reduce(Prod, 2, Scalar::F64(2f64.powi(-537))),
            Some(Scalar::F64(f64::from_bits(1)))
        );
        assert_eq!(fold_reduce(Prod, 2, Scalar::F32(2f32.powi(64))), None);
        assert_eq!(
            fold_reduce(Sum, 2, Scalar::F64(f64::from_bits(1))),
            Some(Scalar::F64(f64::from_bits(2)))
        );
    }
}
