//! Constant folding: nodes whose every element is known at compile time
//! become a constant (0-d) or a broadcast of one.
//!
//! A fold must give the very bits the interpreter and the compiled kernels
//! would compute, so an elementwise function of constants is evaluated by
//! the interpreter itself ([`evaluate_scalar`]): its semantics are written
//! once, NumPy's edge cases included (integer division by zero, the ties
//! of `maximum`, `sign(-0.0)`). Only vector-math functions
//! ([`Lowering::VectorMath`]: `exp`, `sin`, `pow`, ...) are left to run
//! time, since their last bit may differ between instruction sets.
//! Reductions fold only where every order of combining gives one result.

use super::rewrite::{rewrite, splat, uniform_value};
use crate::dtype::DType;
use crate::graph::{Graph, Node, NodeId};
use crate::interp::evaluate_scalar;
use crate::op::{Elementwise, Lowering, Op, ReduceOp};
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
        Op::Unary(_) | Op::Binary(_) | Op::Select | Op::MulAdd | Op::Cast(_) => {
            let function = node.op.elementwise()?;
            let operands = (0..node.args.len())
                .map(operand)
                .collect::<Option<Vec<Scalar>>>()?;
            // A select's condition is a bool: its branches say the dtype.
            let typed = operands[usize::from(function == Elementwise::Select)];
            if function.lowering(typed.dtype()) == Lowering::VectorMath {
                return None;
            }
            evaluate_scalar(function, &operands).ok()?
        }
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

    /// The value `function` of constant operands folds to, or `None` if
    /// it is left to run time.
    fn folded(function: Elementwise, operands: &[Scalar]) -> Option<Scalar> {
        let mut graph = Graph::new();
        let args: Vec<NodeId> = operands
            .iter()
            .map(|&v| graph.add(Op::Const(v), &[]).unwrap())
            .collect();
        let y = graph.add(Op::from(function), &args).unwrap();
        graph.set_outputs(vec![y]);
        constant_fold(&mut graph);
        match graph.node(graph.outputs()[0]).op {
            Op::Const(value) => Some(value),
            _ => None,
        }
    }

    #[test]
    fn folds_with_the_interpreters_semantics() {
        use crate::op::{BinaryOp::*, UnaryOp::*};
        let binary = |op, a, b| folded(Elementwise::Binary(op), &[a, b]);
        let (i32, i64, f64) = (Scalar::I32, Scalar::I64, Scalar::F64);
        // NumPy's integer division: floor, zero for a zero divisor, MIN // -1 wraps.
        assert_eq!(binary(FloorDiv, i32(-7), i32(2)), Some(i32(-4)));
        assert_eq!(binary(FloorDiv, i32(7), i32(0)), Some(i32(0)));
        assert_eq!(
            binary(FloorDiv, i64(i64::MIN), i64(-1)),
            Some(i64(i64::MIN))
        );
        assert_eq!(binary(Rem, i32(7), i32(-2)), Some(i32(-1)));
        assert_eq!(binary(Add, i32(i32::MAX), i32(1)), Some(i32(i32::MIN)));
        assert_eq!(binary(Pow, i64(3), i64(3)), Some(i64(27)));
        // Float division routines are exact: folded.
        assert_eq!(binary(Rem, f64(-5.0), f64(2.0)), Some(f64(1.0)));
        // Ties of signed zeros give the second operand, as NumPy's.
        let bits = |v: Option<Scalar>| v.map(Scalar::bits);
        assert_eq!(
            bits(binary(Maximum, f64(0.0), f64(-0.0))),
            Some((-0.0f64).to_bits())
        );
        assert_eq!(
            bits(binary(Minimum, f64(-0.0), f64(0.0))),
            Some(0.0f64.to_bits())
        );
        let unary = |op, x| folded(Elementwise::Unary(op), &[x]);
        assert_eq!(unary(Abs, i64(i64::MIN)), Some(i64(i64::MIN)));
        assert_eq!(bits(unary(Sign, f64(-0.0))), Some(0.0f64.to_bits()));
        assert_eq!(unary(Round, Scalar::F32(2.5)), Some(Scalar::F32(2.0)));
        // Vector math is left to run time, whose last bit may differ by host.
        assert_eq!(binary(Pow, f64(2.0), f64(2.0)), None);
        assert_eq!(unary(Exp, f64(0.0)), None);
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
