//! Building derivative nodes: thin helpers over [`Graph::add`] so the rules
//! read like the formulas they implement.

use crate::error::Result;
use crate::graph::{Graph, NodeId};
use crate::op::{BinaryOp, Op, ReduceOp, TensorType, UnaryOp};
use crate::scalar::Scalar;

/// Appends nodes to a graph. Every node goes through [`Graph::add`], so the
/// derivative shares (hash-conses) whatever the forward graph already has.
pub(super) struct DerivativeBuilder<'g> {
    pub(super) graph: &'g mut Graph,
}

impl DerivativeBuilder<'_> {
    /// The type of a node.
    pub(super) fn ty(&self, id: NodeId) -> TensorType {
        self.graph.ty(id).clone()
    }

    pub(super) fn add_op(&mut self, op: Op, args: &[NodeId]) -> Result<NodeId> {
        self.graph.add(op, args)
    }

    pub(super) fn unary(&mut self, op: UnaryOp, x: NodeId) -> Result<NodeId> {
        self.graph.add(Op::Unary(op), &[x])
    }

    pub(super) fn binary(&mut self, op: BinaryOp, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.graph.add(Op::Binary(op), &[a, b])
    }

    pub(super) fn add(&mut self, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.binary(BinaryOp::Add, a, b)
    }

    pub(super) fn sub(&mut self, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.binary(BinaryOp::Sub, a, b)
    }

    pub(super) fn mul(&mut self, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.binary(BinaryOp::Mul, a, b)
    }

    pub(super) fn div(&mut self, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.binary(BinaryOp::Div, a, b)
    }

    pub(super) fn neg(&mut self, x: NodeId) -> Result<NodeId> {
        self.unary(UnaryOp::Neg, x)
    }

    pub(super) fn eq(&mut self, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.binary(BinaryOp::Eq, a, b)
    }

    pub(super) fn select(&mut self, cond: NodeId, a: NodeId, b: NodeId) -> Result<NodeId> {
        self.graph.add(Op::Select, &[cond, a, b])
    }

    pub(super) fn cast(&mut self, x: NodeId, dtype: crate::DType) -> Result<NodeId> {
        if self.graph.ty(x).dtype == dtype {
            return Ok(x);
        }
        self.graph.add(Op::Cast(dtype), &[x])
    }

    /// `value` in the dtype of `like`, broadcast to its shape.
    pub(super) fn constant_like(&mut self, like: NodeId, value: f64) -> Result<NodeId> {
        let ty = self.ty(like);
        self.constant_of(&ty, value)
    }

    /// `value` as a constant of type `ty` (a broadcast 0-d constant).
    pub(super) fn constant_of(&mut self, ty: &TensorType, value: f64) -> Result<NodeId> {
        let scalar = self.graph.constant(Scalar::from_f64(value, ty.dtype));
        self.broadcast(scalar, ty)
    }

    /// Zeros of type `ty`.
    pub(super) fn zeros(&mut self, ty: &TensorType) -> Result<NodeId> {
        self.constant_of(ty, 0.0)
    }

    /// `x` (of the same rank as `ty`, or 0-d) broadcast to `ty`'s shape.
    pub(super) fn broadcast(&mut self, x: NodeId, ty: &TensorType) -> Result<NodeId> {
        if self.graph.ty(x).shape == ty.shape {
            return Ok(x);
        }
        self.graph.add(Op::Broadcast(ty.shape.clone()), &[x])
    }

    /// `x * value` (`value` a constant).
    pub(super) fn scale(&mut self, x: NodeId, value: f64) -> Result<NodeId> {
        let c = self.constant_like(x, value)?;
        self.mul(x, c)
    }

    /// Sum over `axes` (kept with extent 1); `x` itself when there are none.
    pub(super) fn sum(&mut self, x: NodeId, axes: Vec<usize>) -> Result<NodeId> {
        if axes.is_empty() {
            return Ok(x);
        }
        self.graph.add(
            Op::Reduce {
                op: ReduceOp::Sum,
                axes,
            },
            &[x],
        )
    }

    /// `x` reshaped to `ty`'s shape, unless it already has it.
    pub(super) fn reshape(&mut self, x: NodeId, ty: &TensorType) -> Result<NodeId> {
        if self.graph.ty(x).shape == ty.shape {
            return Ok(x);
        }
        self.graph.add(Op::Reshape(ty.shape.clone()), &[x])
    }
}
