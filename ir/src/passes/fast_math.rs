//! Fast-math rewrites: faster or simpler, but not exact. Off by default;
//! [`OptimizeOptions::fast_math`](super::OptimizeOptions) turns them on.
//!
//! They assume what C compilers' `-ffast-math` assumes: no NaN or infinity
//! ever appears, the sign of a zero does not matter, and real-number
//! algebra (associativity) may replace IEEE rounding. Exactly these
//! rewrites are made, on float operands (`c`, `c1`, `c2` stand for
//! uniform constants):
//!
//! | rewrite                          | what it ignores                    |
//! |----------------------------------|------------------------------------|
//! | `x * 0 → 0`, `0 * x → 0`         | `inf * 0` and `NaN * 0` are NaN; sign of zero |
//! | `x - x → 0`                      | `inf - inf` is NaN                 |
//! | `x / x → 1`                      | `0/0`, `inf/inf` are NaN           |
//! | `x + 0.0 → x`, `x - (-0.0) → x`  | `-0.0 + 0.0` is `+0.0`             |
//! | `x == x`, `x <= x`, `x >= x` → true; `x != x`, `x < x`, `x > x` → false | NaN |
//! | `pow(x, 0.5) → sqrt(x)`          | `pow(-0.0, 0.5)`, `pow(-inf, 0.5)` |
//! | `-(a - b) → b - a`               | sign of a zero result              |
//! | `x / c → x * (1/c)` (`c` finite, non-zero) | rounding of `1/c`        |
//! | `(x + c1) + c2 → x + (c1 + c2)`, likewise `*` | rounding (reassociation) |
//! | `sum` of `n` copies of `c` → `n·c` | the rounding of the running sum  |
//! | `a*b + c`, `c + a*b` → `mul_add(a, b, c)`; `a*b - c` → `mul_add(a, b, -c)`; `c - a*b` → `mul_add(-a, b, c)` | the rounding of `a*b` (contraction into one fused multiply-add, as `-ffp-contract=fast`) |

use super::rewrite::{build, is_uniform, rewrite, splat, uniform_value};
use crate::graph::{Graph, Node, NodeId};
use crate::op::{BinaryOp, Op, ReduceOp, UnaryOp};
use crate::scalar::Scalar;

/// Applies the fast-math rewrites listed in the module documentation;
/// returns whether the graph changed.
pub fn fast_math(graph: &mut Graph) -> bool {
    rewrite(graph, relax)
}

fn relax(graph: &mut Graph, node: &Node) -> Option<NodeId> {
    let dtype = node.ty.dtype;
    let shape = &node.ty.shape;
    match node.op {
        Op::Binary(op) if graph.ty(node.args[0]).dtype.is_float() => {
            binary(graph, op, node.args[0], node.args[1])
        }
        Op::Unary(UnaryOp::Neg) => match graph.node(node.args[0]) {
            Node {
                op: Op::Binary(BinaryOp::Sub),
                args,
                ..
            } if dtype.is_float() => {
                let (a, b) = (args[0], args[1]);
                Some(build(graph, Op::Binary(BinaryOp::Sub), &[b, a]))
            }
            _ => None,
        },
        Op::Reduce {
            op: ReduceOp::Sum,
            ref axes,
        } if dtype.is_float() => {
            let value = uniform_value(graph, node.args[0])?;
            let operand = &graph.ty(node.args[0]).shape;
            let n: usize = axes.iter().map(|&a| operand.0[a]).product();
            Some(splat(
                graph,
                Scalar::from_f64(value.to_f64() * n as f64, dtype),
                shape,
            ))
        }
        _ => None,
    }
}

fn binary(graph: &mut Graph, op: BinaryOp, a: NodeId, b: NodeId) -> Option<NodeId> {
    use BinaryOp::*;
    let ty = graph.ty(a).clone();
    let constant =
        |graph: &mut Graph, value: f64| splat(graph, Scalar::from_f64(value, ty.dtype), &ty.shape);
    let boolean = |graph: &mut Graph, value: bool| splat(graph, Scalar::Bool(value), &ty.shape);
    let combine = |x: f64, y: f64| if op == Add { x + y } else { x * y };
    match op {
        Mul if is_uniform(graph, b, 0.0) || is_uniform(graph, b, -0.0) => {
            Some(constant(graph, 0.0))
        }
        Mul if is_uniform(graph, a, 0.0) || is_uniform(graph, a, -0.0) => {
            Some(constant(graph, 0.0))
        }
        Sub if a == b => Some(constant(graph, 0.0)),
        Div if a == b => Some(constant(graph, 1.0)),
        Add if is_uniform(graph, b, 0.0) => Some(a),
        Add if is_uniform(graph, a, 0.0) => Some(b),
        Sub if is_uniform(graph, b, -0.0) => Some(a),
        Eq | Le | Ge if a == b => Some(boolean(graph, true)),
        Ne | Lt | Gt if a == b => Some(boolean(graph, false)),
        Pow if is_uniform(graph, b, 0.5) => Some(build(graph, Op::Unary(UnaryOp::Sqrt), &[a])),
        Div => {
            let c = uniform_value(graph, b)?.to_f64();
            (c.is_finite() && c != 0.0).then(|| {
                let reciprocal = constant(graph, 1.0 / c);
                build(graph, Op::Binary(Mul), &[a, reciprocal])
            })
        }
        // Contraction into a fused multiply-add (one rounding instead of two).
        Add | Sub if product(graph, a).or(product(graph, b)).is_some() => {
            Some(match (op, product(graph, a), product(graph, b)) {
                (Add, Some((x, y)), _) => build(graph, Op::MulAdd, &[x, y, b]),
                (Add, None, Some((x, y))) => build(graph, Op::MulAdd, &[x, y, a]),
                (_, Some((x, y)), _) => {
                    let minus_b = build(graph, Op::Unary(UnaryOp::Neg), &[b]);
                    build(graph, Op::MulAdd, &[x, y, minus_b])
                }
                (_, None, Some((x, y))) => {
                    let minus_x = build(graph, Op::Unary(UnaryOp::Neg), &[x]);
                    build(graph, Op::MulAdd, &[minus_x, y, a])
                }
                (_, None, None) => unreachable!("one operand is a product"),
            })
        }
        Add | Mul => {
            // (x op c1) op c2, with the constants on either side.
            let (inner, c2) = match (uniform_value(graph, a), uniform_value(graph, b)) {
                (None, Some(c2)) => (a, c2),
                (Some(c2), None) => (b, c2),
                _ => return None,
            };
            let (x, c1) = match graph.node(inner) {
                Node {
                    op: Op::Binary(inner_op),
                    args,
                    ..
                } if *inner_op == op => {
                    match (uniform_value(graph, args[0]), uniform_value(graph, args[1])) {
                        (None, Some(c1)) => (args[0], c1),
                        (Some(c1), None) => (args[1], c1),
                        _ => return None,
                    }
                }
                _ => return None,
            };
            let folded = constant(graph, combine(c1.to_f64(), c2.to_f64()));
            Some(build(graph, Op::Binary(op), &[x, folded]))
        }
        _ => None,
    }
}

/// The operands of `id` if it is a float product.
fn product(graph: &Graph, id: NodeId) -> Option<(NodeId, NodeId)> {
    match graph.node(id) {
        Node {
            op: Op::Binary(BinaryOp::Mul),
            args,
            ..
        } => Some((args[0], args[1])),
        _ => None,
    }
}
