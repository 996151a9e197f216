//! Derivatives of the reductions.
//!
//! A sum is linear: its tangent is the sum of the tangent, its cotangent
//! is broadcast back. Product, max and min have an elementwise *weight* `w`
//! (the derivative of the result with respect to each element of its
//! group): their tangent is `sum(t * w)` and their cotangent
//! `broadcast(g) * w`. Any, all and the arg-reductions carry no gradient.

use super::derivative_builder::DerivativeBuilder;
use crate::error::Result;
use crate::graph::NodeId;
use crate::op::{BinaryOp, Op, ReduceOp};

/// The tangent of `y = op(x, axes)` from the tangent `t` of `x`.
pub(super) fn jvp(
    e: &mut DerivativeBuilder,
    op: ReduceOp,
    axes: &[usize],
    x: NodeId,
    y: NodeId,
    t: NodeId,
) -> Result<Option<NodeId>> {
    let Some(weight) = weight(e, op, axes, x, y)? else {
        return Ok(match op {
            ReduceOp::Sum => Some(e.sum(t, axes.to_vec())?),
            _ => None,
        });
    };
    let weighted = e.mul(t, weight)?;
    e.sum(weighted, axes.to_vec()).map(Some)
}

/// The cotangent of `x` from the cotangent `g` of `y = op(x, axes)`.
pub(super) fn vjp(
    e: &mut DerivativeBuilder,
    op: ReduceOp,
    axes: &[usize],
    x: NodeId,
    y: NodeId,
    g: NodeId,
) -> Result<Option<NodeId>> {
    let ty = e.ty(x);
    let spread = e.broadcast(g, &ty)?;
    match weight(e, op, axes, x, y)? {
        Some(weight) => e.mul(spread, weight).map(Some),
        None if op == ReduceOp::Sum => Ok(Some(spread)),
        None => Ok(None),
    }
}

/// `∂y/∂x` elementwise for product, max and min (`None` for the others).
fn weight(
    e: &mut DerivativeBuilder,
    op: ReduceOp,
    axes: &[usize],
    x: NodeId,
    y: NodeId,
) -> Result<Option<NodeId>> {
    let ty = e.ty(x);
    let reduce = |e: &mut DerivativeBuilder, op: ReduceOp, v: NodeId| -> Result<NodeId> {
        let r = e.add_op(
            Op::Reduce {
                op,
                axes: axes.to_vec(),
            },
            &[v],
        )?;
        e.broadcast(r, &ty)
    };
    match op {
        ReduceOp::Sum | ReduceOp::Any | ReduceOp::All => Ok(None),
        ReduceOp::Prod => {
            // The product of the others, computed without dividing by zero:
            // with no zero in the group it is y/x; with one zero, the zero
            // gets the product of the non-zeros and the others 0; with more
            // zeros every element gets 0.
            let zero = e.constant_like(x, 0.0)?;
            let one = e.constant_like(x, 1.0)?;
            let is_zero = e.eq(x, zero)?;
            let nonzero = e.select(is_zero, one, x)?;
            let product = reduce(e, ReduceOp::Prod, nonzero)?;
            let zero_flags = e.cast(is_zero, ty.dtype)?;
            let zeros = reduce(e, ReduceOp::Sum, zero_flags)?;
            let no_zero = e.eq(zeros, zero)?;
            let one_zero = e.eq(zeros, one)?;
            let others = e.div(product, nonzero)?;
            let at_zero = e.select(one_zero, product, zero)?;
            let at_nonzero = e.select(no_zero, others, zero)?;
            e.select(is_zero, at_zero, at_nonzero).map(Some)
        }
        ReduceOp::Max | ReduceOp::Min => {
            // Shared equally among the elements equal to the extremum (as JAX).
            let extremum = e.broadcast(y, &ty)?;
            let hit = e.binary(BinaryOp::Eq, x, extremum)?;
            let mask = e.cast(hit, ty.dtype)?;
            let count = reduce(e, ReduceOp::Sum, mask)?;
            e.div(mask, count).map(Some)
        }
    }
}
