//! Automatic differentiation as graph → graph transformations.
//!
//! [`vjp`] (reverse mode) and [`jvp`] (forward mode) append the derivative
//! computation to the graph they are given, built from one rule per op
//! (`elementwise`, `views`, `reductions`), so a derivative is an ordinary
//! graph: it is optimized, fused and compiled like any other, and can be
//! differentiated again. Each mode's dispatch matches [`Op`](crate::Op)
//! exhaustively, so a new op does not compile until it has its rules.
//!
//! # Conventions
//!
//! Only float nodes carry derivatives. Integer and bool values (and ops
//! that produce them: comparisons, logical ops, `isnan`, `isfinite`,
//! `not`, `argmax`, `argmin`, `any`, `all`, casts to integers) have none;
//! `select` passes none to its condition; a cast between floats passes the
//! derivative through (cast back in reverse mode), a cast from an integer
//! starts none. Where a function is not differentiable, the rules choose:
//!
//! | op | at | derivative |
//! |---|---|---|
//! | `abs` | `x = 0` | `sign(0) = 0` (as PyTorch; JAX takes 1) |
//! | `sign`, `floor`, `ceil`, `round`, `floor_div` | everywhere | 0 |
//! | `rem` (`a - b·floor(a/b)`) | everywhere | `1` for `a`, `-floor(a/b)` for `b` |
//! | `maximum`, `minimum` | `a = b` | ½ to each operand (as JAX) |
//! | `max`, `min` reductions | ties | shared equally among the tied elements (as JAX) |
//! | `pow(a, b)` | `b = 0` | `∂/∂a = 0` (never `0·inf`) |
//! | `pow(a, b)` | `a = 0` | `∂/∂b = 0` (as JAX) |
//! | `prod` | zeros in the group | exact first derivative (the product of the others, computed without dividing by 0); second derivatives where a group holds a zero miss the terms through the zero count |
//! | `sqrt`, `log`, `recip`, `asin`, `acos`, `atan2` | singular points | `inf` or NaN, as the formula gives |
//!
//! A NaN operand of `maximum`/`minimum`, or a NaN extremum of `max`/`min`,
//! gives a zero or NaN derivative (the result equals no operand).
//!
//! ```
//! use ndjit_ir::autodiff::{jvp, vjp};
//! use ndjit_ir::{interp::evaluate, BinaryOp, DType, Graph, Op, ReduceOp, Scalar, Tensor, TensorType};
//!
//! // f(x) = sum(x * x); ∇f = 2x, and the JVP along v is 2 x·v.
//! let mut g = Graph::new();
//! let x = g.input(TensorType::new([3], DType::F64));
//! let v = g.input(TensorType::new([3], DType::F64));
//! let sq = g.add(Op::Binary(BinaryOp::Mul), &[x, x]).unwrap();
//! let f = g.add(Op::Reduce { op: ReduceOp::Sum, axes: vec![0] }, &[sq]).unwrap();
//! let one = g.constant(Scalar::F64(1.0));
//! let seed = g.add(Op::Broadcast([1].into()), &[one]).unwrap();
//! let grad = vjp(&mut g, &[f], &[seed], &[x]).unwrap();
//! let tangent = jvp(&mut g, &[f], &[x], &[v]).unwrap();
//! g.set_outputs(vec![grad[0], tangent[0]]);
//!
//! let xs = Tensor::from_slice([3], &[1.0, 2.0, 3.0]).unwrap();
//! let vs = Tensor::from_slice([3], &[1.0, 0.0, -1.0]).unwrap();
//! let out = evaluate(&g, &[xs, vs]).unwrap();
//! assert_eq!(out[0].as_slice::<f64>(), &[2.0, 4.0, 6.0]);
//! assert_eq!(out[1].as_slice::<f64>(), &[-4.0]);
//! ```

mod derivative_builder;
mod elementwise;
mod forward;
mod reductions;
mod reverse;
mod views;

pub use forward::jvp;
pub use reverse::vjp;

use crate::error::{IrError, Result};
use crate::graph::{Graph, NodeId};
use crate::op::Op;
use crate::scalar::Scalar;

/// The graph with the gradient of its first output (a float value of one
/// element) with respect to every float input appended: its outputs become
/// that value, then one gradient per float input, in input order. This is
/// what a `test grad` filetest prints.
///
/// ```
/// use ndjit_ir::{autodiff, Graph};
/// let g = Graph::parse("graph(%0: f64[]) { %1 = sin %0 : f64[]  return %1 }").unwrap();
/// let text = autodiff::value_and_grad(&g).unwrap().dump();
/// assert!(text.contains("%3 = cos %0 : f64[]"), "{text}");
/// assert!(text.ends_with("return %1, %4\n}\n"), "{text}");
/// ```
pub fn value_and_grad(graph: &Graph) -> Result<Graph> {
    let fail = |message: String| IrError::Type {
        op: "value_and_grad",
        message,
    };
    let &value = graph
        .outputs()
        .first()
        .ok_or_else(|| fail("the graph has no output".into()))?;
    let ty = graph.ty(value).clone();
    if !ty.dtype.is_float() || ty.shape.numel() != 1 {
        return Err(fail(format!(
            "the first output must be one float element, not {ty}"
        )));
    }
    let mut graph = graph.clone();
    let one = graph.constant(Scalar::one(ty.dtype));
    let seed = match ty.shape.rank() {
        0 => one,
        _ => graph.add(Op::Broadcast(ty.shape.clone()), &[one])?,
    };
    let wrt: Vec<NodeId> = graph
        .inputs()
        .iter()
        .copied()
        .filter(|&input| graph.ty(input).dtype.is_float())
        .collect();
    let mut outputs = vec![value];
    outputs.extend(vjp(&mut graph, &[value], &[seed], &wrt)?);
    graph.set_outputs(outputs);
    Ok(graph)
}

/// Checks that each seed (cotangent or tangent) pairs with a node of its
/// exact type, and that every id (`others` too) exists.
fn check_seeds(
    graph: &Graph,
    op: &'static str,
    nodes: &[NodeId],
    seeds: &[NodeId],
    others: &[NodeId],
) -> Result<()> {
    let fail = |message: String| Err(IrError::Type { op, message });
    if nodes.len() != seeds.len() {
        return fail(format!("{} nodes but {} seeds", nodes.len(), seeds.len()));
    }
    if let Some(bad) = nodes
        .iter()
        .chain(seeds)
        .chain(others)
        .find(|id| id.index() >= graph.len())
    {
        return fail(format!("node {bad} does not exist"));
    }
    for (&node, &seed) in nodes.iter().zip(seeds) {
        if graph.ty(node) != graph.ty(seed) {
            return fail(format!(
                "seed {seed} of type {} for node {node} of type {}",
                graph.ty(seed),
                graph.ty(node)
            ));
        }
    }
    Ok(())
}

/// Which of the first `end` nodes carry a derivative with respect to `wrt`:
/// float nodes that are, or depend on, a float `wrt` node.
fn active(graph: &Graph, wrt: &[NodeId], end: usize) -> Vec<bool> {
    let mut active = vec![false; end];
    for &w in wrt {
        if w.index() < end && graph.ty(w).dtype.is_float() {
            active[w.index()] = true;
        }
    }
    for index in 0..end {
        let node = &graph.nodes()[index];
        if node.ty.dtype.is_float() && node.args.iter().any(|a| active[a.index()]) {
            active[index] = true;
        }
    }
    active
}

#[cfg(test)]
mod tests;
