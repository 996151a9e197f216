//! Derivatives of the views: reshape, permute, broadcast, slice and pad,
//! and of `concat`, which only moves elements too.
//!
//! Views are linear, so a view's tangent is the same view of the operand's
//! tangent ([`jvp`]), and its cotangent is the transposed index map applied
//! to the output's cotangent: reshape back, the inverse permutation, a sum
//! over the broadcast axes, a zero pad around a slice, a slice out of a pad.
//! A concat's tangent is the concat of its operands' tangents
//! ([`concat_jvp`]); each operand's cotangent is its window of the output's
//! ([`concat_vjp`]).

use super::derivative_builder::DerivativeBuilder;
use crate::error::Result;
use crate::graph::NodeId;
use crate::op::{Op, PadAxis, SliceAxis};

/// The tangent of a view: the same view of the operand's tangent `t`.
pub(super) fn jvp(e: &mut DerivativeBuilder, op: &Op, t: NodeId) -> Result<NodeId> {
    e.add_op(op.clone(), &[t])
}

/// Cotangent of `reshape(x)`: `g` reshaped back to `x`'s shape.
pub(super) fn reshape_vjp(e: &mut DerivativeBuilder, x: NodeId, g: NodeId) -> Result<NodeId> {
    let ty = e.ty(x);
    e.reshape(g, &ty)
}

/// Cotangent of `permute(x, perm)`: `g` under the inverse permutation.
pub(super) fn permute_vjp(e: &mut DerivativeBuilder, perm: &[usize], g: NodeId) -> Result<NodeId> {
    let mut inverse = vec![0; perm.len()];
    for (i, &p) in perm.iter().enumerate() {
        inverse[p] = i;
    }
    e.add_op(Op::Permute(inverse), &[g])
}

/// Cotangent of `broadcast(x)`: `g` summed over the axes the broadcast
/// added or stretched, then reshaped to `x`'s shape.
pub(super) fn broadcast_vjp(e: &mut DerivativeBuilder, x: NodeId, g: NodeId) -> Result<NodeId> {
    let from = e.ty(x);
    let to = e.ty(g).shape;
    let added = to.rank() - from.shape.rank();
    let axes: Vec<usize> = (0..to.rank())
        .filter(|&axis| axis < added || (from.shape.0[axis - added] == 1 && to.0[axis] != 1))
        .collect();
    let summed = e.sum(g, axes)?;
    e.reshape(summed, &from)
}

/// Cotangent of `slice(x, axes)`: `g` with its reversed axes (negative
/// steps) put back in order, then zero-padded into `x`'s shape: zeros
/// before the first taken index, after the last, and between taken indices.
pub(super) fn slice_vjp(
    e: &mut DerivativeBuilder,
    axes: &[SliceAxis],
    x: NodeId,
    g: NodeId,
) -> Result<NodeId> {
    let dims = e.ty(x).shape.0;
    let forward = if axes.iter().any(|s| s.step < 0 && s.len > 1) {
        let reverse = axes
            .iter()
            .map(|s| match s.step < 0 && s.len > 1 {
                true => SliceAxis {
                    start: s.len - 1,
                    step: -1,
                    len: s.len,
                },
                false => SliceAxis {
                    start: 0,
                    step: 1,
                    len: s.len,
                },
            })
            .collect();
        e.add_op(Op::Slice(reverse), &[g])?
    } else {
        g
    };
    let pads: Vec<PadAxis> = axes
        .iter()
        .zip(&dims)
        .map(|(s, &dim)| {
            if s.len == 0 {
                return PadAxis {
                    low: 0,
                    high: dim,
                    interior: 0,
                };
            }
            let stride = s.step.unsigned_abs();
            let span = (s.len - 1) * stride;
            let first = if s.step > 0 { s.start } else { s.start - span };
            PadAxis {
                low: first,
                high: dim - 1 - (first + span),
                interior: if s.len > 1 { stride - 1 } else { 0 },
            }
        })
        .collect();
    if pads.iter().all(|p| *p == PadAxis::default()) {
        return Ok(forward);
    }
    e.add_op(Op::Pad(pads), &[forward])
}

/// Cotangent of `pad(x, axes)`: the elements of `g` that came from `x`.
pub(super) fn pad_vjp(
    e: &mut DerivativeBuilder,
    axes: &[PadAxis],
    x: NodeId,
    g: NodeId,
) -> Result<NodeId> {
    let dims = e.ty(x).shape.0;
    let window = axes
        .iter()
        .zip(&dims)
        .map(|(p, &dim)| SliceAxis {
            start: p.low,
            step: p.interior as isize + 1,
            len: dim,
        })
        .collect();
    e.add_op(Op::Slice(window), &[g])
}

/// Tangent of `concat(xs, axis)`: the concat of the operands' tangents `t`,
/// zeros standing in for an operand without one (at least one has one).
pub(super) fn concat_jvp(
    e: &mut DerivativeBuilder,
    axis: usize,
    xs: &[NodeId],
    t: &[Option<NodeId>],
) -> Result<NodeId> {
    let tangents = xs
        .iter()
        .zip(t)
        .map(|(&x, t)| match t {
            Some(t) => Ok(*t),
            None => {
                let ty = e.ty(x);
                e.zeros(&ty)
            }
        })
        .collect::<Result<Vec<_>>>()?;
    e.add_op(Op::Concat { axis }, &tangents)
}

/// Cotangents of `concat(xs, axis)`: for each operand `wanted`, the slice of
/// `g` along `axis` where that operand's elements went.
pub(super) fn concat_vjp(
    e: &mut DerivativeBuilder,
    axis: usize,
    xs: &[NodeId],
    g: NodeId,
    wanted: impl Fn(usize) -> bool,
) -> Result<Vec<Option<NodeId>>> {
    let whole = e.ty(g).shape.0;
    let mut start = 0;
    let mut cotangents = Vec::with_capacity(xs.len());
    for (k, &x) in xs.iter().enumerate() {
        let len = e.ty(x).shape.0[axis];
        cotangents.push(if wanted(k) && len == whole[axis] {
            Some(g)
        } else if wanted(k) {
            let window = whole
                .iter()
                .enumerate()
                .map(|(a, &dim)| match a == axis {
                    true => SliceAxis {
                        start,
                        step: 1,
                        len,
                    },
                    false => SliceAxis {
                        start: 0,
                        step: 1,
                        len: dim,
                    },
                })
                .collect();
            Some(e.add_op(Op::Slice(window), &[g])?)
        } else {
            None
        });
        start += len;
    }
    Ok(cotangents)
}
