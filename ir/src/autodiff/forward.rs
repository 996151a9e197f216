//! Forward mode: [`jvp`], the tangent computation appended to a graph.

use super::derivative_builder::DerivativeBuilder;
use super::{check_seeds, elementwise, reductions, views};
use crate::error::Result;
use crate::graph::{Graph, Node, NodeId};
use crate::op::Op;

/// Appends to `graph` the Jacobian-vector product that pushes `tangents`
/// (one per `primals` node, of its type) forward, and returns the tangent
/// of each of `outputs`: `Σ_k ∂outputs/∂primals[k] · tangents[k]`.
///
/// Nodes are added through [`Graph::add`], so tangents share forward nodes.
/// Only float nodes carry tangents; an output that does not depend on the
/// primals (or is an integer or bool) gets zeros, as a broadcast constant.
/// A primal's own tangent is the one given, even if it depends on another
/// primal. The graph's outputs are unchanged.
///
/// ```
/// use ndjit_ir::autodiff::jvp;
/// use ndjit_ir::{interp::evaluate, DType, Graph, Op, Scalar, Tensor, TensorType, UnaryOp};
///
/// let mut g = Graph::new();
/// let x = g.input(TensorType::new([], DType::F64));
/// let y = g.add(Op::Unary(UnaryOp::Exp), &[x]).unwrap();
/// let v = g.constant(Scalar::F64(2.0));
/// let dy = jvp(&mut g, &[y], &[x], &[v]).unwrap();
/// g.set_outputs(dy);
/// let out = evaluate(&g, &[Tensor::from_slice([], &[0.0]).unwrap()]).unwrap();
/// assert_eq!(out[0].as_slice::<f64>(), &[2.0]);
/// ```
pub fn jvp(
    graph: &mut Graph,
    outputs: &[NodeId],
    primals: &[NodeId],
    tangents: &[NodeId],
) -> Result<Vec<NodeId>> {
    check_seeds(graph, "jvp", primals, tangents, outputs)?;
    let end = outputs.iter().map(|o| o.index() + 1).max().unwrap_or(0);
    let mut given: Vec<Option<NodeId>> = vec![None; graph.len()];
    let mut e = DerivativeBuilder { graph };
    for (&primal, &tangent) in primals.iter().zip(tangents) {
        if e.graph.ty(primal).dtype.is_float() {
            let slot = &mut given[primal.index()];
            *slot = Some(match *slot {
                Some(sum) => e.add(sum, tangent)?,
                None => tangent,
            });
        }
    }
    let mut tangent = given.clone();
    for index in 0..end {
        let id = NodeId(index as u32);
        let node = e.graph.node(id).clone();
        let carries =
            node.ty.dtype.is_float() && node.args.iter().any(|a| tangent[a.index()].is_some());
        if given[index].is_some() || !carries {
            continue;
        }
        let arg_tangents: Vec<Option<NodeId>> =
            node.args.iter().map(|a| tangent[a.index()]).collect();
        tangent[index] = rule(&mut e, &node, id, &arg_tangents)?;
    }
    outputs
        .iter()
        .map(|&o| match tangent[o.index()] {
            Some(t) => Ok(t),
            None => {
                let ty = e.ty(o);
                e.zeros(&ty)
            }
        })
        .collect()
}

/// The JVP rule of each op: the tangent of `out` from its operands'
/// tangents `t` (`None` for an operand without one, which counts as zero).
fn rule(
    e: &mut DerivativeBuilder,
    node: &Node,
    out: NodeId,
    t: &[Option<NodeId>],
) -> Result<Option<NodeId>> {
    let args = &node.args;
    let push = |e: &mut DerivativeBuilder,
                partials: Vec<Option<elementwise::Partial>>|
     -> Result<Option<NodeId>> {
        let mut total: Option<NodeId> = None;
        for (partial, tangent) in partials.iter().zip(t) {
            if let (Some(partial), Some(tangent)) = (partial, tangent) {
                let term = partial.apply(e, *tangent)?;
                total = Some(match total {
                    Some(sum) => e.add(sum, term)?,
                    None => term,
                });
            }
        }
        Ok(total)
    };
    match &node.op {
        Op::Input(_) | Op::Const(_) => Ok(None),
        Op::Unary(op) => {
            let partial = elementwise::unary_partial(e, *op, args[0], out)?;
            push(e, vec![partial])
        }
        Op::Binary(op) => {
            let wanted = [t[0].is_some(), t[1].is_some()];
            let partials = elementwise::binary_partials(e, *op, [args[0], args[1]], out, wanted)?;
            push(e, partials.into())
        }
        Op::Select => push(e, elementwise::select_partials(args[0]).into()),
        Op::MulAdd => push(e, elementwise::mul_add_partials(args[0], args[1]).into()),
        Op::Cast(dtype) => match t[0] {
            Some(t) => elementwise::cast(e, t, *dtype),
            None => Ok(None),
        },
        Op::Reshape(_) | Op::Permute(_) | Op::Broadcast(_) | Op::Slice(_) | Op::Pad(_) => {
            t[0].map(|t| views::jvp(e, &node.op, t)).transpose()
        }
        Op::Reduce { op, axes } => match t[0] {
            Some(t) => reductions::jvp(e, *op, axes, args[0], out, t),
            None => Ok(None),
        },
        Op::ArgReduce { .. } => Ok(None),
        Op::Concat { axis } => views::concat_jvp(e, *axis, args, t).map(Some),
    }
}
