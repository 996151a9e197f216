//! Reverse mode: [`vjp`], the adjoint computation appended to a graph.

use super::derivative_builder::DerivativeBuilder;
use super::{check_seeds, elementwise, reductions, views};
use crate::error::Result;
use crate::graph::{Graph, Node, NodeId};
use crate::op::Op;

/// Appends to `graph` the vector-Jacobian product of `outputs` with
/// `cotangents` (one per output, of its type), and returns the adjoint of
/// each `wrt` node: `Σ_k cotangents[k]ᵀ · ∂outputs[k]/∂wrt`.
///
/// Nodes are added through [`Graph::add`], so the adjoint shares the forward
/// nodes it reads and any subexpression it builds twice. Only float nodes
/// carry gradients; a `wrt` node the outputs do not depend on (or of an
/// integer or bool dtype) gets zeros, as a broadcast constant. The adjoint
/// of a `wrt` node is its total derivative: if one `wrt` node depends on
/// another, the path through it counts. The graph's outputs are unchanged.
///
/// ```
/// use ndjit_ir::autodiff::vjp;
/// use ndjit_ir::{interp::evaluate, DType, Graph, Op, Scalar, Tensor, TensorType, UnaryOp};
///
/// let mut g = Graph::new();
/// let x = g.input(TensorType::new([], DType::F64));
/// let y = g.add(Op::Unary(UnaryOp::Sin), &[x]).unwrap();
/// let one = g.constant(Scalar::F64(1.0));
/// let dx = vjp(&mut g, &[y], &[one], &[x]).unwrap();
/// g.set_outputs(dx);
/// let out = evaluate(&g, &[Tensor::from_slice([], &[0.5]).unwrap()]).unwrap();
/// assert_eq!(out[0].as_slice::<f64>(), &[0.5f64.cos()]);
/// ```
pub fn vjp(
    graph: &mut Graph,
    outputs: &[NodeId],
    cotangents: &[NodeId],
    wrt: &[NodeId],
) -> Result<Vec<NodeId>> {
    check_seeds(graph, "vjp", outputs, cotangents, wrt)?;
    let end = outputs.iter().map(|o| o.index() + 1).max().unwrap_or(0);
    let active = super::active(graph, wrt, end);
    let mut adjoints: Vec<Option<NodeId>> = vec![None; end];
    let mut e = DerivativeBuilder { graph };
    for (&output, &cotangent) in outputs.iter().zip(cotangents) {
        accumulate(&mut e, &mut adjoints, output, cotangent, &active)?;
    }
    for index in (0..end).rev() {
        let Some(g) = adjoints[index] else { continue };
        let id = NodeId(index as u32);
        let node = e.graph.node(id).clone();
        let contributions = rule(&mut e, &node, id, g, &active)?;
        for (&arg, contribution) in node.args.iter().zip(contributions) {
            if let Some(c) = contribution {
                accumulate(&mut e, &mut adjoints, arg, c, &active)?;
            }
        }
    }
    wrt.iter()
        .map(|&w| match adjoints.get(w.index()).copied().flatten() {
            Some(adjoint) => Ok(adjoint),
            None => {
                let ty = e.ty(w);
                e.zeros(&ty)
            }
        })
        .collect()
}

/// Adds `contribution` to the adjoint of `id`, if `id` carries a gradient.
fn accumulate(
    e: &mut DerivativeBuilder,
    adjoints: &mut [Option<NodeId>],
    id: NodeId,
    contribution: NodeId,
    active: &[bool],
) -> Result<()> {
    if !active[id.index()] {
        return Ok(());
    }
    let slot = &mut adjoints[id.index()];
    *slot = Some(match *slot {
        Some(sum) => e.add(sum, contribution)?,
        None => contribution,
    });
    Ok(())
}

/// The VJP rule of each op: the cotangent contribution of `g` (the adjoint
/// of `out`) to each operand of `node`, `None` for operands that carry no
/// gradient.
fn rule(
    e: &mut DerivativeBuilder,
    node: &Node,
    out: NodeId,
    g: NodeId,
    active: &[bool],
) -> Result<Vec<Option<NodeId>>> {
    let args = &node.args;
    let wanted = |k: usize| active[args[k].index()];
    let pull = |e: &mut DerivativeBuilder, partials: Vec<Option<elementwise::Partial>>| {
        partials
            .into_iter()
            .map(|p| p.map(|p| p.apply(e, g)).transpose())
            .collect::<Result<Vec<_>>>()
    };
    Ok(match &node.op {
        Op::Input(_) | Op::Const(_) => Vec::new(),
        Op::Unary(op) => {
            let partial = elementwise::unary_partial(e, *op, args[0], out)?;
            pull(e, vec![partial])?
        }
        Op::Binary(op) => {
            let partials = elementwise::binary_partials(
                e,
                *op,
                [args[0], args[1]],
                out,
                [wanted(0), wanted(1)],
            )?;
            pull(e, partials.into())?
        }
        Op::Select => pull(e, elementwise::select_partials(args[0]).into())?,
        Op::MulAdd => pull(e, elementwise::mul_add_partials(args[0], args[1]).into())?,
        Op::Cast(_) => {
            let from = e.ty(args[0]).dtype;
            vec![elementwise::cast(e, g, from)?]
        }
        Op::Reshape(_) => vec![Some(views::reshape_vjp(e, args[0], g)?)],
        Op::Permute(perm) => vec![Some(views::permute_vjp(e, perm, g)?)],
        Op::Broadcast(_) => vec![Some(views::broadcast_vjp(e, args[0], g)?)],
        Op::Slice(axes) => vec![Some(views::slice_vjp(e, axes, args[0], g)?)],
        Op::Pad(axes) => vec![Some(views::pad_vjp(e, axes, args[0], g)?)],
        Op::Reduce { op, axes } => vec![reductions::vjp(e, *op, axes, args[0], out, g)?],
        Op::ArgReduce { .. } => vec![None],
        Op::Concat { axis } => views::concat_vjp(e, *axis, args, g, wanted)?,
    })
}
