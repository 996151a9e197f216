//! Common-subexpression elimination beyond hash-consing.
//!
//! [`Graph::add`] already returns the existing node for an identical op on
//! identical operands. This pass puts the operands of commutative ops in a
//! canonical order (ascending node id, constants last) and writes `a > b` as
//! `b < a` and `a >= b` as `b <= a`, so that `a * b` and `b * a` are
//! identical and merge as the graph is rebuilt.
//!
//! Constants go last whatever their ids: hash-consing gives two equal
//! constants one node, created where the first was, so ordering by id alone
//! would turn `x * c + 2.5` into `2.5 + x * c` exactly when `c` is 2.5 — a
//! new kernel, compiled anew, in one iteration of a loop over `c`
//! (DESIGN.md: a changing scalar never recompiles).
//!
//! Exact: IEEE 754 `+`, `*`, `==`, `!=` are commutative (only a NaN's
//! payload may come from the other operand), and `a > b` is `b < a` also
//! when either is NaN (both false). Float `maximum`/`minimum` are not
//! reordered: NumPy's `maximum(0.0, -0.0)` returns its first operand.

use super::rewrite::{build, rewrite, uniform_value};
use crate::graph::{Graph, Node, NodeId};
use crate::op::{BinaryOp, Op};

/// Canonicalizes commutative operand order, merging the nodes that become
/// identical; returns whether the graph changed.
pub fn cse(graph: &mut Graph) -> bool {
    rewrite(graph, canonicalize)
}

fn canonicalize(graph: &mut Graph, node: &Node) -> Option<NodeId> {
    use BinaryOp::*;
    let Op::Binary(op) = node.op else {
        return None;
    };
    let (a, b) = (node.args[0], node.args[1]);
    let rank = |id: NodeId| (uniform_value(graph, id).is_some(), id);
    let (first, second) = if rank(a) <= rank(b) { (a, b) } else { (b, a) };
    let (op, a, b) = match op {
        Gt | Ge => (op.mirrored()?, b, a),
        op if op.is_commutative(graph.ty(a).dtype) => (op, first, second),
        _ => return None,
    };
    Some(build(graph, Op::Binary(op), &[a, b]))
}
