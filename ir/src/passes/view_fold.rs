//! View folding: chains of views become one view, views that change
//! nothing disappear, and broadcasts move outward past the views applied to
//! them (so that they end next to the elementwise ops
//! [`push_broadcast`](super::push_broadcast) lifts them over).
//!
//! Concatenations, which only move elements too, are kept flat: a concat
//! of one operand is that operand, empty operands are dropped, a concat
//! operand joined along the same axis gives its operands to the outer one,
//! and a slice that stays within one operand of a concat slices that
//! operand.
//!
//! Views only move or repeat elements, so every rule here is exact: it
//! maps each result element to the same operand element as before.

use super::rewrite::{broadcast_to, build, rewrite};
use crate::graph::{Graph, Node, NodeId};
use crate::op::{Op, PadAxis, SliceAxis};
use crate::shape::Shape;

/// Folds view chains and removes identity views everywhere; returns
/// whether the graph changed.
pub fn view_fold(graph: &mut Graph) -> bool {
    rewrite(graph, fold_view)
}

fn fold_view(graph: &mut Graph, node: &Node) -> Option<NodeId> {
    let x = *node.args.first()?;
    let result = &node.ty.shape;
    match &node.op {
        Op::Reshape(_) => Some(reshape(graph, x, result)),
        Op::Broadcast(_) => match &graph.node(x).op {
            // Broadcasting is transitive: each axis of the innermost operand
            // is 1 or the final extent.
            Op::Broadcast(_) => {
                let inner = graph.node(x).args[0];
                Some(broadcast_to(graph, inner, result))
            }
            _ => (&graph.ty(x).shape == result).then_some(x),
        },
        Op::Permute(perm) => permute(graph, x, perm),
        Op::Slice(axes) => slice(graph, x, axes, node),
        Op::Pad(axes) => axes.iter().all(|a| *a == PadAxis::default()).then_some(x),
        Op::Concat { axis } => concat(graph, *axis, &node.args),
        _ => None,
    }
}

/// A flatter concat along `axis` of `operands`: operands that are concats
/// along the same axis are replaced by their own operands and empty ones
/// are dropped; a concat left with one operand is that operand. `None`
/// when nothing changes.
fn concat(graph: &mut Graph, axis: usize, operands: &[NodeId]) -> Option<NodeId> {
    let mut flat = Vec::with_capacity(operands.len());
    for &x in operands {
        match &graph.node(x).op {
            Op::Concat { axis: inner } if *inner == axis => {
                flat.extend_from_slice(&graph.node(x).args)
            }
            _ => flat.push(x),
        }
    }
    let first = flat[0];
    flat.retain(|&x| graph.ty(x).shape.0[axis] > 0);
    match flat.as_slice() {
        // Every operand is empty along the axis: so is the result, which
        // then has the first operand's shape.
        [] => Some(first),
        [only] => Some(*only),
        _ if flat.as_slice() == operands => None,
        _ => Some(build(graph, Op::Concat { axis }, &flat)),
    }
}

/// The extents other than 1, in order: two shapes with equal such lists
/// differ only by extent-1 axes, and a reshape between them moves no
/// element relative to the others.
fn non_unit(shape: &Shape) -> Vec<usize> {
    shape.0.iter().copied().filter(|&d| d != 1).collect()
}

/// `x` reshaped to `shape`, folding the reshape into the view below it:
/// - reshape to `x`'s own shape: `x`;
/// - reshape of a reshape: one reshape (row-major order is kept by both);
/// - reshape of `broadcast(y)` that only adds or removes extent-1 axes: a
///   broadcast of `y` reshaped the same way (`y`'s non-1 axes are among the
///   broadcast's, in order, so they keep their places).
fn reshape(graph: &mut Graph, x: NodeId, shape: &Shape) -> NodeId {
    let operand = graph.node(x).clone();
    if &operand.ty.shape == shape {
        return x;
    }
    match operand.op {
        Op::Reshape(_) => reshape(graph, operand.args[0], shape),
        Op::Broadcast(ref from) if non_unit(from) == non_unit(shape) => {
            let y = operand.args[0];
            let y_shape = graph.ty(y).shape.clone();
            let lead = from.rank() - y_shape.rank();
            // Walk the result axes, matching each non-1 one to the next non-1
            // broadcast axis and taking `y`'s extent there.
            let mut from_axes = (0..from.rank()).filter(|&k| from.0[k] != 1);
            let mut dims: Vec<usize> = shape
                .0
                .iter()
                .map(|&d| match d {
                    1 => 1,
                    _ => {
                        let k = from_axes.next().expect("equal non-1 extents");
                        if k < lead {
                            1
                        } else {
                            y_shape.0[k - lead]
                        }
                    }
                })
                .collect();
            // Leading 1s beyond `y`'s rank are the broadcast's to add.
            let leading_ones = dims.iter().take_while(|&&d| d == 1).count();
            dims.drain(..leading_ones.min(dims.len().saturating_sub(y_shape.rank())));
            let reshaped = reshape(graph, y, &Shape(dims));
            broadcast_to(graph, reshaped, shape)
        }
        _ => build(graph, Op::Reshape(shape.clone()), &[x]),
    }
}

/// A permute that keeps the order of the non-1 axes is a reshape; a
/// permute of a permute is one permute (`r[i] = inner[outer[i]]`); a
/// permute of a same-rank broadcast is a broadcast of the permuted operand.
fn permute(graph: &mut Graph, x: NodeId, perm: &[usize]) -> Option<NodeId> {
    let shape = &graph.ty(x).shape;
    let result = Shape(perm.iter().map(|&p| shape.0[p]).collect());
    let moved: Vec<usize> = perm.iter().copied().filter(|&p| shape.0[p] != 1).collect();
    if moved.windows(2).all(|w| w[0] < w[1]) {
        return Some(reshape(graph, x, &result));
    }
    let operand = graph.node(x).clone();
    match operand.op {
        Op::Permute(inner) => {
            let composed: Vec<usize> = perm.iter().map(|&p| inner[p]).collect();
            permute(graph, operand.args[0], &composed)
                .or_else(|| Some(build(graph, Op::Permute(composed), &[operand.args[0]])))
        }
        Op::Broadcast(_) if graph.ty(operand.args[0]).shape.rank() == perm.len() => {
            let y = operand.args[0];
            let permuted = permute(graph, y, perm)
                .unwrap_or_else(|| build(graph, Op::Permute(perm.to_vec()), &[y]));
            Some(broadcast_to(graph, permuted, &result))
        }
        _ => None,
    }
}

/// The canonical form of one slice axis: a step is meaningless for fewer
/// than two elements (made 1), a start for none (made 0).
fn canonical(axis: SliceAxis) -> SliceAxis {
    match axis.len {
        0 => SliceAxis {
            start: 0,
            step: 1,
            len: 0,
        },
        1 => SliceAxis { step: 1, ..axis },
        _ => axis,
    }
}

/// `x` sliced by `axes`, or `x` itself when every axis takes all of its
/// extent in order.
fn sliced(graph: &mut Graph, x: NodeId, axes: Vec<SliceAxis>) -> NodeId {
    let shape = &graph.ty(x).shape;
    let identity = axes
        .iter()
        .zip(&shape.0)
        .all(|(a, &d)| a.len == d && (d == 0 || (a.start == 0 && a.step == 1)));
    if identity {
        x
    } else {
        build(graph, Op::Slice(axes), &[x])
    }
}

/// Slices are canonicalized (see [`canonical`]) and composed: element `j`
/// of `slice(slice(x, inner), outer)` is element
/// `inner.start + (outer.start + j·outer.step)·inner.step` of `x`. A slice of
/// a broadcast slices the broadcast's operand (keeping one element along
/// stretched axes) and broadcasts that.
fn slice(graph: &mut Graph, x: NodeId, axes: &[SliceAxis], node: &Node) -> Option<NodeId> {
    let axes: Vec<SliceAxis> = axes.iter().copied().map(canonical).collect();
    let operand = graph.node(x).clone();
    match operand.op {
        Op::Slice(inner) => {
            let composed = inner
                .iter()
                .zip(&axes)
                .map(|(i, o)| {
                    let start =
                        (i.start as isize).checked_add((o.start as isize).checked_mul(i.step)?)?;
                    Some(canonical(SliceAxis {
                        start: start as usize,
                        step: i.step.checked_mul(o.step)?,
                        len: o.len,
                    }))
                })
                .collect::<Option<Vec<_>>>()?;
            Some(sliced(graph, operand.args[0], composed))
        }
        Op::Broadcast(ref to) => {
            let y = operand.args[0];
            let y_shape = graph.ty(y).shape.clone();
            let lead = to.rank() - y_shape.rank();
            let y_axes = axes[lead..]
                .iter()
                .zip(&y_shape.0)
                .zip(&to.0[lead..])
                .map(|((&a, &from), &stretched)| {
                    if from == stretched {
                        a
                    } else {
                        SliceAxis {
                            start: 0,
                            step: 1,
                            len: 1,
                        }
                    }
                })
                .collect();
            let y_sliced = sliced(graph, y, y_axes);
            Some(broadcast_to(graph, y_sliced, &node.ty.shape))
        }
        Op::Concat { axis } => {
            let span = axes[axis];
            let (first, last) = match span.len {
                0 => return Some(sliced(graph, x, axes)),
                n => {
                    let last = span.start as isize + (n as isize - 1) * span.step;
                    let last = last as usize;
                    (span.start.min(last), span.start.max(last))
                }
            };
            // The operand whose window along the axis holds every index taken.
            let mut begin = 0;
            for &part in &operand.args {
                let end = begin + graph.ty(part).shape.0[axis];
                if begin <= first && last < end {
                    let mut inner = axes.clone();
                    inner[axis].start -= begin;
                    return Some(sliced(graph, part, inner));
                }
                begin = end;
            }
            Some(sliced(graph, x, axes))
        }
        _ => Some(sliced(graph, x, axes)),
    }
}
