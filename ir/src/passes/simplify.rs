//! Algebraic simplification that is exact under IEEE 754: every rule gives
//! the same bits as the expression it replaces for every input, including
//! NaN, infinities and signed zeros (a NaN may come back with another
//! payload, which no ndjit operation observes). Integer rules hold in
//! wrapping two's complement arithmetic, which is what NumPy computes.
//!
//! Left out on purpose, because they are not exact:
//! - `x + 0.0 → x`: `-0.0 + 0.0` is `+0.0`.
//! - `x * 0 → 0` for floats: `inf * 0` and `NaN * 0` are NaN, `-1 * 0` is `-0.0`.
//! - `x - x → 0` for floats: `inf - inf` is NaN.
//! - `pow(x, 0.5) → sqrt(x)`: `pow(-0.0, 0.5)` is `+0.0` but `sqrt(-0.0)` is
//!   `-0.0`, and `pow(-inf, 0.5)` is `+inf` but `sqrt(-inf)` is NaN.
//! - `-(a - b) → b - a`: for `a == b`, `-(+0.0)` is `-0.0` but `b - a` is `+0.0`.
//! - `not(a < b) → a >= b` for floats: both are false when either is NaN.
//! - `x == x → true` for floats (NaN), and a float `sum` over one element
//!   (`+0.0 + -0.0` is `+0.0` when the sum starts from its identity).
//!
//! These are allowed by [`fast_math`](super::fast_math) when asked for.

use super::rewrite::{build, is_uniform, rewrite, splat, uniform_value};
use crate::dtype::DType;
use crate::graph::{Graph, Node, NodeId};
use crate::op::{BinaryOp, Op, ReduceOp, UnaryOp};
use crate::scalar::Scalar;

/// Applies the exact algebraic rules of this module everywhere; returns
/// whether the graph changed.
pub fn simplify(graph: &mut Graph) -> bool {
    rewrite(graph, simplify_node)
}

fn simplify_node(graph: &mut Graph, node: &Node) -> Option<NodeId> {
    match &node.op {
        Op::Unary(op) => unary(graph, *op, node.args[0]),
        Op::Binary(op) => binary(graph, *op, node.args[0], node.args[1]),
        Op::Select => select(graph, node.args[0], node.args[1], node.args[2]),
        Op::Cast(dtype) => cast(graph, *dtype, node.args[0]),
        Op::Reduce { op, axes } => reduce(graph, *op, axes, node.args[0]),
        // Searching one element finds it at index 0.
        Op::ArgReduce { axis, .. } if graph.ty(node.args[0]).shape.0[*axis] == 1 => {
            Some(splat(graph, Scalar::I64(0), &node.ty.shape))
        }
        _ => None,
    }
}

/// The op of a node and its operands, to match on.
fn producer(graph: &Graph, id: NodeId) -> (&Op, &[NodeId]) {
    let node = graph.node(id);
    (&node.op, &node.args)
}

fn unary(graph: &mut Graph, op: UnaryOp, x: NodeId) -> Option<NodeId> {
    use UnaryOp::*;
    let dtype = graph.ty(x).dtype;
    let shape = graph.ty(x).shape.clone();
    let (inner_op, inner_args) = producer(graph, x);
    let (inner_op, inner_args) = (inner_op.clone(), inner_args.to_vec());
    let inner = inner_args.first().copied();
    match (op, inner_op) {
        // -(-x) = x and !!x = x: negation flips the sign bit (wrapping for
        // integers: -(-MIN) = MIN), twice restores it.
        (Neg, Op::Unary(Neg)) | (Not, Op::Unary(Not)) => inner,
        // |−x| = |x|, ||x|| = |x|, (−x)² = |x|² = x²: the sign never reaches
        // the result (for integers, abs(MIN) = MIN = abs(-MIN) wrapping).
        (Abs | Square, Op::Unary(Neg)) | (Abs, Op::Unary(Abs)) | (Square, Op::Unary(Abs)) => {
            Some(build(graph, Op::Unary(op), &[inner?]))
        }
        // -(x · c) = x · (-c), and -(x / c) = x / (-c): rounding to nearest
        // is symmetric in sign (and integers wrap in a ring), so the
        // negation folds into the constant. (`c = ±1` is simplified away
        // before; it is skipped so the two rules never undo each other.)
        (Neg, Op::Binary(inner @ (BinaryOp::Mul | BinaryOp::Div))) => {
            let (p, q) = (inner_args[0], inner_args[1]);
            let constant_at = |id| uniform_value(graph, id).filter(|c| c.to_f64().abs() != 1.0);
            let (x, c) = match (constant_at(p), constant_at(q)) {
                (_, Some(c)) => (p, c),
                (Some(c), None) if inner == BinaryOp::Mul => (q, c),
                _ => return None,
            };
            let negated = match c {
                Scalar::F32(v) => Scalar::F32(-v),
                Scalar::F64(v) => Scalar::F64(-v),
                Scalar::I32(v) => Scalar::I32(v.wrapping_neg()),
                Scalar::I64(v) => Scalar::I64(v.wrapping_neg()),
                Scalar::Bool(_) => return None,
            };
            let constant = splat(graph, negated, &shape);
            Some(build(graph, Op::Binary(inner), &[x, constant]))
        }
        // Rounding an integral value (or ±inf, NaN) leaves it unchanged.
        (Floor | Ceil | Round, Op::Unary(Floor | Ceil | Round)) => Some(x),
        // not(a == b) is a != b for every dtype (a NaN makes != true); the
        // order comparisons invert only without NaN, so for non-floats.
        (Not, Op::Binary(comparison)) if comparison.is_comparison() => {
            let (a, b) = (inner_args[0], inner_args[1]);
            let float = graph.ty(a).dtype.is_float();
            let inverse = match comparison {
                BinaryOp::Eq => BinaryOp::Ne,
                BinaryOp::Ne => BinaryOp::Eq,
                _ if float => return None,
                BinaryOp::Lt => BinaryOp::Ge,
                BinaryOp::Le => BinaryOp::Gt,
                BinaryOp::Gt => BinaryOp::Le,
                BinaryOp::Ge => BinaryOp::Lt,
                _ => unreachable!("a comparison"),
            };
            Some(build(graph, Op::Binary(inverse), &[a, b]))
        }
        // Integers and bools are never NaN and always finite.
        (IsNan, _) if !dtype.is_float() => Some(splat(graph, Scalar::Bool(false), &shape)),
        (IsFinite, _) if !dtype.is_float() => Some(splat(graph, Scalar::Bool(true), &shape)),
        _ => None,
    }
}

fn binary(graph: &mut Graph, op: BinaryOp, a: NodeId, b: NodeId) -> Option<NodeId> {
    use BinaryOp::*;
    let ty = graph.ty(a).clone();
    let float = ty.dtype.is_float();
    let neg = |graph: &mut Graph, x| build(graph, Op::Unary(UnaryOp::Neg), &[x]);
    let negated = |x: NodeId| match producer(graph, x) {
        (Op::Unary(UnaryOp::Neg), args) => Some(args[0]),
        _ => None,
    };
    let (neg_a, neg_b) = (negated(a), negated(b));
    // `-0.0` is the additive identity of floats (`+0.0 + -0.0 = +0.0`,
    // `-0.0 + -0.0 = -0.0`); it reads as 0 for integers.
    match op {
        Add if is_uniform(graph, b, -0.0) => Some(a),
        Add if is_uniform(graph, a, -0.0) => Some(b),
        // x - (+0.0) is x + (-0.0).
        Sub if is_uniform(graph, b, 0.0) => Some(a),
        // -0.0 - x is -0.0 + (-x), which is -x (for x = -0.0 too: +0.0).
        Sub if is_uniform(graph, a, -0.0) => Some(neg(graph, b)),
        Sub if a == b && !float => Some(splat(graph, Scalar::zero(ty.dtype), &ty.shape)),
        // x + (-y) and x - y are the same IEEE operation, as x - (-y) and x + y.
        Add if neg_b.is_some() => Some(build(graph, Op::Binary(Sub), &[a, neg_b?])),
        Add if neg_a.is_some() => Some(build(graph, Op::Binary(Sub), &[b, neg_a?])),
        Sub if neg_b.is_some() => Some(build(graph, Op::Binary(Add), &[a, neg_b?])),
        // Multiplying by ±1 is exact, and by -1 only flips the sign.
        Mul | Div if is_uniform(graph, b, 1.0) => Some(a),
        Mul if is_uniform(graph, a, 1.0) => Some(b),
        Mul | Div if is_uniform(graph, b, -1.0) => Some(neg(graph, a)),
        Mul if is_uniform(graph, a, -1.0) => Some(neg(graph, b)),
        // Integer products with 0 are 0; the zero operand is that splat.
        Mul if !float && is_uniform(graph, b, 0.0) => Some(b),
        Mul if !float && is_uniform(graph, a, 0.0) => Some(a),
        // The signs of (-x)(-y) and (-x)/(-y) cancel exactly.
        Mul | Div if neg_a.is_some() && neg_b.is_some() => {
            Some(build(graph, Op::Binary(op), &[neg_a?, neg_b?]))
        }
        Mul if float => scaled_twice(graph, a, b).or_else(|| scaled_twice(graph, b, a)),
        FloorDiv if !float && is_uniform(graph, b, 1.0) => Some(a),
        Rem if !float && is_uniform(graph, b, 1.0) => {
            Some(splat(graph, Scalar::zero(ty.dtype), &ty.shape))
        }
        // pow(x, 0) = 1 for every x, NaN included (C99 F.9.4.4, np.power);
        // pow(x, 1) = x; pow(x, 2) = x·x and pow(x, -1) = 1/x are the
        // correctly rounded results, with the same special cases.
        Pow if is_uniform(graph, b, 0.0) || is_uniform(graph, b, -0.0) => {
            Some(splat(graph, Scalar::one(ty.dtype), &ty.shape))
        }
        Pow if is_uniform(graph, b, 1.0) => Some(a),
        Pow if is_uniform(graph, b, 2.0) => Some(build(graph, Op::Unary(UnaryOp::Square), &[a])),
        Pow if float && is_uniform(graph, b, -1.0) => {
            Some(build(graph, Op::Unary(UnaryOp::Recip), &[a]))
        }
        // An operand against itself.
        _ if a == b && op.is_idempotent() => Some(a),
        Xor if a == b => Some(splat(graph, Scalar::Bool(false), &ty.shape)),
        Eq | Le | Ge if a == b && !float => Some(splat(graph, Scalar::Bool(true), &ty.shape)),
        Ne | Lt | Gt if a == b && !float => Some(splat(graph, Scalar::Bool(false), &ty.shape)),
        // x != x exactly when x is NaN.
        Ne if a == b => Some(build(graph, Op::Unary(UnaryOp::IsNan), &[a])),
        // Logic with a known operand.
        And | Or | Xor => logic(graph, op, a, b).or_else(|| logic(graph, op, b, a)),
        _ => None,
    }
}

/// `(x · c1) · c2` as `x · (c1 c2)`, where `scaled` is `x · c1` (either
/// way round) and `c1`, `c2` are float splats with `|c1|` a power of two
/// at least 1 and `|c2| ≥ 1`: `x · c1` is then exact (a scaling by a power
/// of two, away from the subnormals), or overflows, and then so does
/// `x · c1 c2`, to the same infinity; otherwise both round the one exact
/// product `x c1 c2` once. (`c1 c2` is exact too: a power-of-two scaling.)
/// The gradient of `c · t²` is `(t · 2) · c`: one multiplication saved.
fn scaled_twice(graph: &mut Graph, scaled: NodeId, c2: NodeId) -> Option<NodeId> {
    let outer = uniform_value(graph, c2)?;
    let (Op::Binary(BinaryOp::Mul), &[p, q]) = producer(graph, scaled) else {
        return None;
    };
    let (x, inner) = match (uniform_value(graph, p), uniform_value(graph, q)) {
        (_, Some(c1)) => (p, c1),
        (Some(c1), None) => (q, c1),
        (None, None) => return None,
    };
    let (c1, c2) = (inner.to_f64().abs(), outer.to_f64().abs());
    let power_of_two = c1.is_finite() && c1 >= 1.0 && c1.to_bits() & 0xf_ffff_ffff_ffff == 0;
    if !(power_of_two && c2.is_finite() && c2 >= 1.0) {
        return None;
    }
    let product = match (inner, outer) {
        (Scalar::F32(c1), Scalar::F32(c2)) => Scalar::F32(c1 * c2),
        (Scalar::F64(c1), Scalar::F64(c2)) => Scalar::F64(c1 * c2),
        _ => return None,
    };
    if !product.to_f64().is_finite() {
        return None;
    }
    let shape = graph.ty(scaled).shape.clone();
    let constant = splat(graph, product, &shape);
    Some(build(graph, Op::Binary(BinaryOp::Mul), &[x, constant]))
}

/// `a op b` for a logical op when `b` is a known bool.
fn logic(graph: &mut Graph, op: BinaryOp, a: NodeId, b: NodeId) -> Option<NodeId> {
    let Scalar::Bool(known) = uniform_value(graph, b)? else {
        unreachable!("logical ops take bools")
    };
    Some(match (op, known) {
        (BinaryOp::And, true) | (BinaryOp::Or, false) | (BinaryOp::Xor, false) => a,
        (BinaryOp::And, false) | (BinaryOp::Or, true) => b,
        (BinaryOp::Xor, true) => build(graph, Op::Unary(UnaryOp::Not), &[a]),
        _ => unreachable!("a logical op"),
    })
}

fn select(graph: &mut Graph, condition: NodeId, a: NodeId, b: NodeId) -> Option<NodeId> {
    if a == b {
        return Some(a);
    }
    match uniform_value(graph, condition) {
        Some(Scalar::Bool(true)) => return Some(a),
        Some(Scalar::Bool(false)) => return Some(b),
        _ => {}
    }
    if let (Op::Unary(UnaryOp::Not), args) = producer(graph, condition) {
        let condition = args[0];
        return Some(build(graph, Op::Select, &[condition, b, a]));
    }
    // where(c, true, false) is c, where(c, false, true) is !c.
    match (uniform_value(graph, a), uniform_value(graph, b)) {
        (Some(Scalar::Bool(true)), Some(Scalar::Bool(false))) => Some(condition),
        (Some(Scalar::Bool(false)), Some(Scalar::Bool(true))) => {
            Some(build(graph, Op::Unary(UnaryOp::Not), &[condition]))
        }
        _ => None,
    }
}

/// Whether every value of `from` is exactly a value of `to`, so that a
/// cast through `to` changes nothing that a cast from `from` would see
/// (casts depend only on the value and the target dtype).
fn lossless(from: DType, to: DType) -> bool {
    use DType::*;
    from == to || matches!((from, to), (Bool, _) | (I32, I64 | F64) | (F32, F64))
}

fn cast(graph: &mut Graph, dtype: DType, x: NodeId) -> Option<NodeId> {
    let from = graph.ty(x).dtype;
    if from == dtype {
        return Some(x);
    }
    match producer(graph, x) {
        (Op::Cast(_), args) if lossless(graph.ty(args[0]).dtype, from) => {
            let inner = args[0];
            if graph.ty(inner).dtype == dtype {
                Some(inner)
            } else {
                Some(build(graph, Op::Cast(dtype), &[inner]))
            }
        }
        _ => None,
    }
}

/// Reduced axes of extent 1 combine nothing: they are dropped from the
/// list, and a reduction left with none is its operand when combining one
/// element with the reduction's start is exact (`max(-inf, x) = x`,
/// `1 * x = x`, integer `0 + x = x`; but float `+0.0 + -0.0` is `+0.0`).
fn reduce(graph: &mut Graph, op: ReduceOp, axes: &[usize], x: NodeId) -> Option<NodeId> {
    let shape = &graph.ty(x).shape;
    let kept: Vec<usize> = axes.iter().copied().filter(|&a| shape.0[a] != 1).collect();
    let float_sum = op == ReduceOp::Sum && graph.ty(x).dtype.is_float();
    match (kept.is_empty(), float_sum) {
        (true, false) => Some(x),
        (true, true) => None,
        (false, _) => Some(build(graph, Op::Reduce { op, axes: kept }, &[x])),
    }
}
