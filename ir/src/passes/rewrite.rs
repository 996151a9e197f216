//! The machinery every pass shares: rebuilding a graph node by node through
//! a rule, and the small patterns rules look for.
//!
//! A [`Graph`] is an append-only, hash-consed arena, so a pass does not edit
//! it in place: it builds a new graph, offering each live node (operands
//! already rebuilt) to its rule, which may return a replacement. Building
//! through [`Graph::add`] merges identical nodes as they appear, so every
//! pass also eliminates the common subexpressions its rewrites expose, and
//! skipping dead nodes makes every pass a dead-code eliminator too.

use crate::graph::{Graph, Node, NodeId};
use crate::op::Op;
use crate::scalar::Scalar;
use crate::shape::Shape;

/// A rule: given the graph under construction and a node whose operands are
/// already ids in it, returns an equivalent node of the same type built in
/// that graph, or `None` to keep the node as it is.
pub(crate) trait Rule: FnMut(&mut Graph, &Node) -> Option<NodeId> {}

impl<F: FnMut(&mut Graph, &Node) -> Option<NodeId>> Rule for F {}

/// Rebuilds `graph` through `rule` and reports whether anything changed.
///
/// Inputs keep their indices and order (even unused ones); nodes the outputs
/// do not depend on are dropped, also those the rule's own replacements
/// leave behind, so the result holds no dead node.
pub(crate) fn rewrite(graph: &mut Graph, rule: impl Rule) -> bool {
    let mut rebuilt = rebuild(graph, rule);
    if rebuilt
        .live()
        .iter()
        .zip(rebuilt.nodes())
        .any(|(&live, node)| !live && !matches!(node.op, Op::Input(_)))
    {
        rebuilt = rebuild(&rebuilt, |_: &mut Graph, _: &Node| None);
    }
    let changed = rebuilt.nodes() != graph.nodes() || rebuilt.outputs() != graph.outputs();
    *graph = rebuilt;
    changed
}

fn rebuild(graph: &Graph, mut rule: impl Rule) -> Graph {
    let live = graph.live();
    let mut rebuilt = Graph::new();
    let mut new_id: Vec<Option<NodeId>> = vec![None; graph.len()];
    for id in graph.ids() {
        let node = graph.node(id);
        if let Op::Input(_) = node.op {
            new_id[id.index()] = Some(rebuilt.input(node.ty.clone()));
            continue;
        }
        if !live[id.index()] {
            continue;
        }
        let site = Node {
            op: node.op.clone(),
            args: node
                .args
                .iter()
                .map(|a| new_id[a.index()].expect("operands of live nodes are live"))
                .collect(),
            ty: node.ty.clone(),
        };
        let replacement = match rule(&mut rebuilt, &site) {
            Some(replacement) => replacement,
            None => build(&mut rebuilt, site.op, &site.args),
        };
        debug_assert_eq!(
            rebuilt.ty(replacement),
            &node.ty,
            "a rule changed the type of {}",
            node.op.name()
        );
        new_id[id.index()] = Some(replacement);
    }
    let outputs = graph
        .outputs()
        .iter()
        .map(|o| new_id[o.index()].expect("outputs are live"))
        .collect();
    rebuilt.set_outputs(outputs);
    rebuilt
}

/// Adds a node a rule has built from well-typed parts (operands of the
/// types the op was already applied to, or a shape the rule derived from
/// the op's own rule); a type error here is a bug in that rule.
pub(crate) fn build(graph: &mut Graph, op: Op, args: &[NodeId]) -> NodeId {
    let name = op.name();
    graph
        .add(op, args)
        .unwrap_or_else(|e| panic!("a rewrite built an ill-typed {name}: {e}"))
}

/// The one value every element of a node holds, when the node is a
/// constant seen through views that only move or repeat it (a broadcast,
/// reshape, permute or slice of a constant, or a chain of them).
pub(crate) fn uniform_value(graph: &Graph, mut id: NodeId) -> Option<Scalar> {
    loop {
        let node = graph.node(id);
        match node.op {
            Op::Const(value) => return Some(value),
            Op::Broadcast(_) | Op::Reshape(_) | Op::Permute(_) | Op::Slice(_) => id = node.args[0],
            _ => return None,
        }
    }
}

/// Whether every element of a node is `value` converted to its dtype (so
/// `-0.0` means `-0.0` for floats and `0` for integers); bit-exact.
pub(crate) fn is_uniform(graph: &Graph, id: NodeId, value: f64) -> bool {
    uniform_value(graph, id).is_some_and(|v| v == Scalar::from_f64(value, v.dtype()))
}

/// `value` in every element of `shape`: the constant itself for a 0-d
/// shape, otherwise its broadcast (the canonical form of a uniform array).
pub(crate) fn splat(graph: &mut Graph, value: Scalar, shape: &Shape) -> NodeId {
    let constant = graph.constant(value);
    broadcast_to(graph, constant, shape)
}

/// `x` broadcast to `shape`, or `x` itself when it already has that shape.
pub(crate) fn broadcast_to(graph: &mut Graph, x: NodeId, shape: &Shape) -> NodeId {
    if &graph.ty(x).shape == shape {
        x
    } else {
        build(graph, Op::Broadcast(shape.clone()), &[x])
    }
}
