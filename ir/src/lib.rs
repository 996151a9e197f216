//! `ndjit-ir`: ndjit's expression graph and everything graph → graph.
//!
//! The graph ([`Graph`]) is an arena of [`Node`]s, each an [`Op`] with
//! operands and a static [`TensorType`]. This crate holds the op vocabulary
//! with its shape and dtype rules, the text form, the reference interpreter,
//! the optimization passes, the kernel schedule and automatic
//! differentiation. It knows nothing of Cranelift, threads or I/O.

pub mod autodiff;
pub mod buffer;
mod buffer_pool;
pub mod dtype;
pub mod error;
pub mod graph;
mod graphviz;
pub mod interp;
pub mod math;
pub mod op;
pub mod passes;
#[cfg(test)]
mod random_graph;
pub mod scalar;
pub mod schedule;
pub mod shape;
pub mod text;

pub use buffer::{AllocError, Buffer, Element, Tensor};
pub use dtype::{promote, promote_weak, DType, ScalarKind};
pub use error::IrError;
pub use graph::{Graph, Node, NodeId};
pub use op::{
    ArgReduceOp, BinaryOp, Elementwise, Lowering, Op, PadAxis, ReduceOp, SliceAxis, TensorType,
    UnaryOp,
};
pub use scalar::Scalar;
pub use shape::{broadcast_shapes, broadcasts_to, Shape};
