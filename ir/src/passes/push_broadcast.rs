//! Lifting broadcasts over elementwise ops: `f(broadcast(x))` becomes
//! `broadcast(f(x))`, so `f` runs once per element of the small operand
//! instead of once per element of the broadcast.
//!
//! Exact because an elementwise op computes each result element from the
//! operand elements at the same index alone, and a broadcast repeats
//! elements: computing before or after repeating gives the same values.
//!
//! Only done when it saves work (the operands' common shape has fewer
//! elements than the result). Views other than broadcasts are left below
//! elementwise ops: permuting or slicing before or after `f` costs the
//! same, and the scheduler folds them into loads either way.

use super::rewrite::{broadcast_to, build, rewrite};
use crate::graph::{Graph, Node, NodeId};
use crate::op::Op;
use crate::shape::{broadcast_shapes, Shape};

/// Lifts broadcasts over elementwise ops wherever that shrinks the
/// computation; returns whether the graph changed.
pub fn push_broadcast(graph: &mut Graph) -> bool {
    rewrite(graph, lift)
}

/// The operand a node broadcasts, or the node itself.
fn unbroadcast(graph: &Graph, id: NodeId) -> NodeId {
    match graph.node(id).op {
        Op::Broadcast(_) => graph.node(id).args[0],
        _ => id,
    }
}

fn lift(graph: &mut Graph, node: &Node) -> Option<NodeId> {
    if !node.op.is_elementwise() {
        return None;
    }
    let sources: Vec<NodeId> = node.args.iter().map(|&a| unbroadcast(graph, a)).collect();
    // The smallest shape every operand can be computed at: the broadcast
    // of the sources' shapes (each source broadcasts to the result, so
    // their common shape does too).
    let common = sources
        .iter()
        .try_fold(Shape::scalar(), |shape, &s| {
            broadcast_shapes(&shape, &graph.ty(s).shape)
        })
        .expect("every source broadcasts to the result shape");
    if common.numel() >= node.ty.shape.numel() {
        return None;
    }
    let args: Vec<NodeId> = sources
        .into_iter()
        .map(|s| broadcast_to(graph, s, &common))
        .collect();
    let small = build(graph, node.op.clone(), &args);
    Some(broadcast_to(graph, small, &node.ty.shape))
}
