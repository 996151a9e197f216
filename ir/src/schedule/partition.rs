//! Cutting an optimized graph into kernels (DESIGN.md, "Fusion rules").
//!
//! 1. Choose the *materialized* nodes: graph outputs, reductions, pads,
//!    concats, library ops and their operands, expensive nodes with several
//!    users, and the operands of reshapes that cannot fold into an index
//!    map. Everything else (elementwise ops, casts, views, constants) is
//!    fused into the kernels that read it, recomputed if several kernels do
//!    (rules 1, 3).
//! 2. Each materialized node is a kernel output; a reduction's kernel
//!    iterates over its operand's shape and absorbs its producers (rule 2).
//!    A concat has one kernel per operand, each computing its operand
//!    straight into the operand's window of the concat's buffer (the
//!    windows tile it: nothing is copied, nothing zero-filled).
//! 3. Outputs over the same iteration shape share one kernel when their
//!    inputs are ready by then (rule 4: e.g. a value and its gradient).
//! 4. Kernel bodies are built by walking each output's expression back to
//!    materialized nodes, views folding into the loads' index maps; then
//!    iteration axes that every map walks contiguously are merged.
//! 5. Runs of kernels that only combine values within rows become row
//!    blocks (rule 5, see `row_blocks.rs`).
//!
//! This file holds the driver and the grouping of outputs into kernels;
//! `materialize.rs` chooses the stored nodes, `lower.rs` builds kernel
//! bodies, `axes.rs` reorders and merges their iteration axes.

use super::kernel::{BufferDecl, BufferId, BufferRole, Schedule};
use super::lower::Builder;
use super::materialize::{choose_materialized, MAX_FUSED_COST};
use crate::graph::{Graph, NodeId};
use crate::op::Op;
use crate::shape::Shape;
use std::collections::HashMap;

/// Schedules a graph (ideally optimized first) into kernels and library calls.
pub fn schedule(graph: &Graph) -> Schedule {
    let (materialized, cost) = choose_materialized(graph);
    let mut builder = Builder::new(graph);
    for id in graph.inputs() {
        builder
            .buffer_of
            .insert(*id, BufferId(builder.buffers.len() as u32));
        let index = match graph.node(*id).op {
            Op::Input(k) => k,
            _ => unreachable!("graph inputs are Input nodes"),
        };
        builder.buffers.push(BufferDecl {
            dtype: graph.ty(*id).dtype,
            len: graph.ty(*id).shape.numel(),
            role: BufferRole::Input(index),
            zeroed: false,
        });
    }
    let outputs: Vec<NodeId> = graph.outputs().to_vec();
    let mut roots = Vec::new();
    for id in graph.ids().filter(|id| materialized[id.index()]) {
        let node = graph.node(id);
        let is_output = outputs.contains(&id);
        // A reshape of a buffer is that buffer, relabelled: no copy.
        if let (Op::Reshape(_), Some(&buffer)) = (
            &node.op,
            node.args.first().and_then(|a| builder.buffer_of.get(a)),
        ) {
            builder.buffer_of.insert(id, buffer);
            let decl = &mut builder.buffers[buffer.0 as usize];
            if is_output && decl.role == BufferRole::Temporary {
                decl.role = BufferRole::Output;
            }
            continue;
        }
        let role = if is_output {
            BufferRole::Output
        } else {
            BufferRole::Temporary
        };
        builder
            .buffer_of
            .insert(id, BufferId(builder.buffers.len() as u32));
        builder.buffers.push(BufferDecl {
            dtype: node.ty.dtype,
            len: node.ty.shape.numel(),
            role,
            zeroed: matches!(node.op, Op::Pad(_)),
        });
        roots.push(id);
    }
    for group in group_roots(graph, &roots, &cost, &builder) {
        builder.emit_group(&group);
    }
    let outputs = outputs
        .iter()
        .map(|&o| (builder.buffer_of[&o], graph.ty(o).clone()))
        .collect();
    let mut schedule = Schedule {
        buffers: builder.buffers,
        steps: builder.steps,
        outputs,
    };
    super::row_blocks::form_row_blocks(&mut schedule);
    #[cfg(debug_assertions)]
    if let Err(error) = schedule.verify() {
        panic!(
            "the scheduler built an invalid schedule: {error}\n{}",
            schedule.dump()
        );
    }
    schedule
}

/// Ops computed by a library routine rather than generated code.
pub(super) fn is_library(op: &Op) -> bool {
    matches!(op, Op::ArgReduce { .. })
}

/// Ops whose kernel iterates over their operand's shape and writes their
/// result through a non-identity map: reductions (accumulating), pads
/// (storing the operand into a window of a zeroed buffer) and concats (one
/// kernel per operand, each storing into its window). Their result is
/// complete only after their whole kernel (or kernels) has run.
pub(super) fn writes_through_map(op: &Op) -> bool {
    matches!(op, Op::Reduce { .. } | Op::Pad(_) | Op::Concat { .. })
}

/// The iteration shape of a root's kernel: its operand's shape for a
/// reduction or a pad, its own otherwise (a concat, whose kernels iterate
/// over each operand's shape, never shares them with other roots).
pub(super) fn iteration_shape(graph: &Graph, root: NodeId) -> Shape {
    let node = graph.node(root);
    match node.op {
        Op::Reduce { .. } | Op::Pad(_) => graph.ty(node.args[0]).shape.clone(),
        _ => node.ty.shape.clone(),
    }
}

/// Roots grouped into steps, in execution order (rule 4). A root joins the
/// first group of its iteration shape that comes after everything it reads,
/// or the very group that computes what it reads, when it reads that value
/// at the same iteration point (so `sum(e)` shares the loop that computes
/// and stores `e`). A reduction's result is complete only after its whole
/// kernel, so its readers always come later.
///
/// A group's total fused cost stays within [`MAX_FUSED_COST`], so sharing
/// loops never rebuilds the huge kernels [`limit_kernel_size`] split.
fn group_roots(
    graph: &Graph,
    roots: &[NodeId],
    cost: &[usize],
    builder: &Builder,
) -> Vec<Vec<NodeId>> {
    struct Group {
        shape: Option<Shape>,
        roots: Vec<NodeId>,
        cost: usize,
    }
    let mut groups: Vec<Group> = Vec::new();
    // Keyed by buffer: a read may name a reshape aliasing a root's buffer.
    let mut group_of: HashMap<BufferId, (usize, NodeId)> = HashMap::new();
    for &root in roots {
        let earliest = builder
            .reads(root)
            .into_iter()
            .filter_map(|(read, same_point)| {
                let &(group, producer) = group_of.get(&builder.buffer_of[&read])?;
                let shares_loop = same_point
                    && read == producer
                    && !writes_through_map(&graph.node(read).op)
                    && !is_library(&graph.node(read).op);
                Some(if shares_loop { group } else { group + 1 })
            })
            .max()
            .unwrap_or(0);
        // Library ops and concats run as steps of their own.
        let op = &graph.node(root).op;
        let fusible = !is_library(op) && !matches!(op, Op::Concat { .. });
        let shape = fusible.then(|| iteration_shape(graph, root));
        let root_cost = cost[root.index()];
        let target = (earliest..groups.len()).find(|&g| {
            shape.is_some()
                && groups[g].shape == shape
                && groups[g].cost + root_cost <= MAX_FUSED_COST
        });
        let index = target.unwrap_or_else(|| {
            groups.push(Group {
                shape,
                roots: Vec::new(),
                cost: 0,
            });
            groups.len() - 1
        });
        groups[index].roots.push(root);
        groups[index].cost += root_cost;
        group_of.insert(builder.buffer_of[&root], (index, root));
    }
    groups.into_iter().map(|g| g.roots).collect()
}
