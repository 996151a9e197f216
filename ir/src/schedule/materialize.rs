//! Choosing the materialized nodes (fusion rules 1 and 3): which nodes
//! get a buffer of their own, and which are fused into the kernels that
//! read them; and bounding how much work one fused expression carries.

use super::index_map::reshape_is_affine;
use super::partition::is_library;
use crate::graph::{Graph, NodeId};
use crate::op::{Elementwise, Op, ROUTINE_COST};

/// A node's own fused cost: its elementwise function's
/// ([`Elementwise::cost`]: 1 inline, [`ROUTINE_COST`] for a routine call),
/// nothing for views and concats (index maps), 1 for anything else.
fn own_cost(graph: &Graph, id: NodeId) -> usize {
    let node = graph.node(id);
    match node.op.elementwise() {
        Some(function) => {
            // A select's condition is a bool: its branches say the dtype.
            let typed = node.args[usize::from(function == Elementwise::Select)];
            function.cost(graph.ty(typed).dtype)
        }
        None if node.op.is_view() || matches!(node.op, Op::Concat { .. }) => 0,
        None => 1,
    }
}

/// Nodes worth storing rather than recomputing in each user (rule 3):
/// routine calls.
fn is_expensive(graph: &Graph, id: NodeId) -> bool {
    graph.node(id).op.is_elementwise() && own_cost(graph, id) > 1
}

/// Which nodes get a buffer, and each node's fused cost (see
/// [`limit_kernel_size`]).
pub(super) fn choose_materialized(graph: &Graph) -> (Vec<bool>, Vec<usize>) {
    let live = graph.live();
    let uses = graph.use_counts();
    let mut materialized = vec![false; graph.len()];
    for &o in graph.outputs() {
        materialized[o.index()] = true;
    }
    // A concat whose one use is as an operand of another concat is written
    // by that concat's kernels, into a window of its buffer.
    let mut inside_concat = vec![false; graph.len()];
    for id in graph.ids().filter(|id| live[id.index()]) {
        if let Op::Concat { .. } = graph.node(id).op {
            for a in &graph.node(id).args {
                inside_concat[a.index()] = uses[a.index()] == 1;
            }
        }
    }
    // Users come after operands, so one backward sweep sees every reason a
    // node must be stored before reaching the node itself.
    for id in graph.ids().rev() {
        let node = graph.node(id);
        if !live[id.index()] {
            continue;
        }
        if node.op.is_reduction()
            || is_library(&node.op)
            || matches!(node.op, Op::Pad(_))
            || (matches!(node.op, Op::Concat { .. }) && !inside_concat[id.index()])
            || (uses[id.index()] > 1 && is_expensive(graph, id))
        {
            materialized[id.index()] = true;
        }
        if is_library(&node.op) {
            for a in &node.args {
                materialized[a.index()] = true;
            }
        }
        if let Op::Reshape(shape) = &node.op {
            let operand = node.args[0];
            if !reshape_is_affine(&graph.ty(operand).shape, shape) {
                materialized[operand.index()] = true;
            }
        }
    }
    // Inputs are buffers already; constants never need one unless returned.
    for id in graph.ids() {
        if matches!(graph.node(id).op, Op::Input(_)) {
            materialized[id.index()] = false;
        }
    }
    let cost = limit_kernel_size(graph, &live, &mut materialized);
    (materialized, cost)
}

/// The most work one fused expression may carry (an op costs 1, a
/// routine call [`ROUTINE_COST`]). Cranelift's compile time grows
/// faster than linearly with function size, and very long chains (built
/// by loops, or by differentiating them) would make one huge kernel.
pub(super) const MAX_FUSED_COST: usize = 512;

/// Materializes nodes along chains whose fused cost since the last
/// materialized node would pass [`MAX_FUSED_COST`]. The cost of a node is
/// its own plus the largest of its operands' (the longest chain, a cheap
/// stand-in for the size of its expression tree). Returns each node's cost
/// (for a materialized node, the cost of computing it in its kernel).
fn limit_kernel_size(graph: &Graph, live: &[bool], materialized: &mut [bool]) -> Vec<usize> {
    let mut cost = vec![0usize; graph.len()];
    for id in graph.ids() {
        let node = graph.node(id);
        if !live[id.index()] || matches!(node.op, Op::Input(_) | Op::Const(_)) {
            continue;
        }
        let own = own_cost(graph, id);
        // A broadcast that repeats a fused vector-math call would redo the
        // call for every copy: store the operand once instead (rule 3).
        if let Op::Broadcast(shape) = &node.op {
            let operand = node.args[0];
            let repeats = shape.numel() > graph.ty(operand).shape.numel();
            if repeats && !materialized[operand.index()] && cost[operand.index()] >= ROUTINE_COST {
                materialized[operand.index()] = true;
            }
        }
        let operand_cost = |a: &NodeId| {
            if materialized[a.index()] {
                0
            } else {
                cost[a.index()]
            }
        };
        let mut chain = own + node.args.iter().map(operand_cost).max().unwrap_or(0);
        if chain > MAX_FUSED_COST && !is_library(&node.op) {
            // Store the operands: this node starts a new chain.
            for a in &node.args {
                if !matches!(graph.node(*a).op, Op::Input(_) | Op::Const(_)) {
                    materialized[a.index()] = true;
                }
            }
            chain = own;
        }
        cost[id.index()] = chain;
    }
    cost
}
