//! The op vocabulary, and each op's shape and dtype rule.
//!
//! [`Op`] is the whole language of the graph. Every other table that is keyed
//! by op (the interpreter, the text form, codegen, VJP and JVP rules) matches
//! on it exhaustively, so adding a variant makes the compiler point at every
//! row still to be written.

mod elementwise;
mod infer;
mod names;

pub use elementwise::{BinaryOp, Elementwise, Lowering, UnaryOp, ROUTINE_COST};

use crate::dtype::DType;
use crate::error::{IrError, Result};
use crate::scalar::Scalar;
use crate::shape::Shape;
use names::named_enum;
use std::fmt;

/// The static type of a node: its shape and element type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TensorType {
    /// Extents, outermost first.
    pub shape: Shape,
    /// Element type.
    pub dtype: DType,
}

impl TensorType {
    /// A type from its parts.
    pub fn new(shape: impl Into<Shape>, dtype: DType) -> TensorType {
        TensorType {
            shape: shape.into(),
            dtype,
        }
    }

    /// Whether a value of this type can be addressed: the product of its
    /// non-zero extents times the element size fits in `isize` (NumPy's
    /// "array is too big"). Byte sizes, strides and offsets are computed
    /// from these (the strides of a zero-size shape as if its zero extents
    /// were 1, as NumPy's), so past this bound they would overflow.
    pub fn fits_in_memory(&self) -> bool {
        let bytes = self
            .shape
            .dims()
            .iter()
            .filter(|&&d| d != 0)
            .try_fold(self.dtype.size_bytes(), |n, &d| n.checked_mul(d));
        bytes.is_some_and(|bytes| bytes <= isize::MAX as usize)
    }
}

impl fmt::Display for TensorType {
    /// `f64[2, 3]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.dtype, self.shape)
    }
}

named_enum! {
    /// Reductions over a set of axes.
    ReduceOp {
        /// Sum (pairwise in compiled code).
        Sum => "sum",
        /// Product.
        Prod => "prod",
        /// Maximum, NaN-propagating.
        Max => "max",
        /// Minimum, NaN-propagating.
        Min => "min",
        /// Whether any element is true.
        Any => "any",
        /// Whether all elements are true.
        All => "all",
    }
}

named_enum! {
    /// Index-of-extremum reductions over one axis.
    ArgReduceOp {
        /// Index of the first maximum (the first NaN, if any).
        ArgMax => "argmax",
        /// Index of the first minimum (the first NaN, if any).
        ArgMin => "argmin",
    }
}

/// How one axis of a [`Op::Slice`] picks elements: `len` of them, starting
/// at index `start` and moving `step` (non-zero, may be negative) each time.
/// This is a NumPy slice `start:stop:step` already resolved against the
/// extent, so the rule is exact and simple.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SliceAxis {
    /// First index taken.
    pub start: usize,
    /// Distance between taken indices; never 0.
    pub step: isize,
    /// How many indices are taken.
    pub len: usize,
}

/// How one axis of a [`Op::Pad`] grows: `low` zeros before, `high` zeros
/// after, and `interior` zeros between neighbouring elements (as XLA's pad).
/// The adjoint of a strided slice is such a pad.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct PadAxis {
    /// Zeros before the first element.
    pub low: usize,
    /// Zeros after the last element.
    pub high: usize,
    /// Zeros between two elements.
    pub interior: usize,
}

/// One operation of the graph. The operands are the node's arguments; the
/// variant holds only static attributes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// The `k`-th input buffer of the graph. Its type is given when created.
    Input(usize),
    /// A 0-d constant. Larger constants are broadcasts of it.
    Const(Scalar),
    /// An elementwise function of one operand.
    Unary(UnaryOp),
    /// An elementwise function of two operands of equal shape and dtype.
    Binary(BinaryOp),
    /// `where(cond, a, b)`: three operands of equal shape, a bool condition.
    Select,
    /// `a * b + c` rounded once (a fused multiply-add, as C's `fma`):
    /// three float operands of equal shape and dtype. Written by the user
    /// (`Array::mul_add`) or by the opt-in fast-math pass; never by exact
    /// passes, since it rounds differently from `a * b` then `+ c`.
    MulAdd,
    /// Elementwise conversion to another dtype, as NumPy's `astype`.
    Cast(DType),
    /// Same elements in row-major order, another shape.
    Reshape(Shape),
    /// Axes reordered: output axis `i` is input axis `perm[i]`.
    Permute(Vec<usize>),
    /// Stretch to a larger shape by NumPy's broadcasting rule.
    Broadcast(Shape),
    /// A strided window on every axis (one [`SliceAxis`] per axis).
    Slice(Vec<SliceAxis>),
    /// Zero padding on every axis (one [`PadAxis`] per axis).
    Pad(Vec<PadAxis>),
    /// Reduction over `axes` (sorted, distinct); reduced axes keep extent 1.
    Reduce {
        /// Which reduction.
        op: ReduceOp,
        /// The axes reduced, ascending.
        axes: Vec<usize>,
    },
    /// Index of the extremum along `axis`, as `i64`; the axis keeps extent 1.
    ArgReduce {
        /// Which extremum.
        op: ArgReduceOp,
        /// The axis searched.
        axis: usize,
    },
    /// The operands (one or more, of one dtype and rank, with equal extents
    /// except along `axis`) joined end to end along `axis`, as NumPy's
    /// `concatenate`: the result's extent there is the sum of theirs.
    Concat {
        /// The axis the operands are joined along.
        axis: usize,
    },
}

impl ReduceOp {
    /// The elementwise function that combines two partial results (the
    /// running value first): a reduction is a fold of it.
    pub fn combiner(self) -> BinaryOp {
        match self {
            ReduceOp::Sum => BinaryOp::Add,
            ReduceOp::Prod => BinaryOp::Mul,
            ReduceOp::Max => BinaryOp::Maximum,
            ReduceOp::Min => BinaryOp::Minimum,
            ReduceOp::Any => BinaryOp::Or,
            ReduceOp::All => BinaryOp::And,
        }
    }

    pub(super) fn accepts(self, dtype: DType) -> bool {
        match self {
            ReduceOp::Sum | ReduceOp::Prod => dtype.is_numeric(),
            ReduceOp::Max | ReduceOp::Min => true,
            ReduceOp::Any | ReduceOp::All => dtype == DType::Bool,
        }
    }

    /// The value a reduction over no elements gives (`None` for max/min,
    /// which, like NumPy, have no identity and reject empty axes).
    pub fn identity(self, dtype: DType) -> Option<Scalar> {
        match self {
            ReduceOp::Sum | ReduceOp::Any => Some(Scalar::zero(dtype)),
            ReduceOp::Prod | ReduceOp::All => Some(Scalar::one(dtype)),
            ReduceOp::Max | ReduceOp::Min => None,
        }
    }
}

impl Op {
    /// The op's name in the text form.
    pub fn name(&self) -> &'static str {
        match self {
            Op::Input(_) => "input",
            Op::Const(_) => "const",
            Op::Unary(u) => u.name(),
            Op::Binary(b) => b.name(),
            Op::Select => "select",
            Op::MulAdd => "mul_add",
            Op::Cast(_) => "cast",
            Op::Reshape(_) => "reshape",
            Op::Permute(_) => "permute",
            Op::Broadcast(_) => "broadcast",
            Op::Slice(_) => "slice",
            Op::Pad(_) => "pad",
            Op::Reduce { op, .. } => op.name(),
            Op::ArgReduce { op, .. } => op.name(),
            Op::Concat { .. } => "concat",
        }
    }

    /// How many operands the op takes; `None` for `concat`, which takes
    /// any number from one up.
    pub fn arity(&self) -> Option<usize> {
        match self {
            Op::Input(_) | Op::Const(_) => Some(0),
            Op::Unary(_) | Op::Cast(_) => Some(1),
            Op::Binary(_) => Some(2),
            Op::Select | Op::MulAdd => Some(3),
            Op::Reshape(_)
            | Op::Permute(_)
            | Op::Broadcast(_)
            | Op::Slice(_)
            | Op::Pad(_)
            | Op::Reduce { .. }
            | Op::ArgReduce { .. } => Some(1),
            Op::Concat { .. } => None,
        }
    }

    /// The elementwise function this op computes, if it is one: output
    /// element `i` depends only on input elements `i`.
    pub fn elementwise(&self) -> Option<Elementwise> {
        match *self {
            Op::Unary(op) => Some(Elementwise::Unary(op)),
            Op::Binary(op) => Some(Elementwise::Binary(op)),
            Op::Select => Some(Elementwise::Select),
            Op::MulAdd => Some(Elementwise::MulAdd),
            Op::Cast(dtype) => Some(Elementwise::Cast(dtype)),
            Op::Input(_)
            | Op::Const(_)
            | Op::Reshape(_)
            | Op::Permute(_)
            | Op::Broadcast(_)
            | Op::Slice(_)
            | Op::Pad(_)
            | Op::Reduce { .. }
            | Op::ArgReduce { .. }
            | Op::Concat { .. } => None,
        }
    }

    /// Elementwise ops: output element `i` depends only on input elements `i`.
    pub fn is_elementwise(&self) -> bool {
        self.elementwise().is_some()
    }

    /// Views: ops that only move or repeat elements (an index map), never
    /// compute new values. `Pad` counts: it adds zeros by index alone.
    pub fn is_view(&self) -> bool {
        matches!(
            self,
            Op::Reshape(_) | Op::Permute(_) | Op::Broadcast(_) | Op::Slice(_) | Op::Pad(_)
        )
    }

    /// Reductions (`Reduce` and `ArgReduce`).
    pub fn is_reduction(&self) -> bool {
        matches!(self, Op::Reduce { .. } | Op::ArgReduce { .. })
    }

    /// The shape and dtype rule: the type of this op applied to operands of
    /// the given types, or why it cannot be applied. `Input` has no rule (its
    /// type is stated when the input is created) and is rejected here.
    pub fn infer(&self, args: &[&TensorType]) -> Result<TensorType> {
        let fail = |message: String| IrError::Type {
            op: self.name(),
            message,
        };
        match self.arity() {
            Some(arity) if args.len() != arity => {
                return Err(fail(format!("takes {arity} operands, got {}", args.len())));
            }
            None if args.is_empty() => {
                return Err(fail("takes at least one operand, got none".into()));
            }
            _ => {}
        }
        let ty = match self {
            Op::Input(_) => Err("an input's type is stated, not inferred".into()),
            Op::Const(value) => Ok(TensorType::new(Shape::scalar(), value.dtype())),
            Op::Unary(op) => infer::elementwise_type(Elementwise::Unary(*op), args),
            Op::Binary(op) => infer::elementwise_type(Elementwise::Binary(*op), args),
            Op::Select => infer::elementwise_type(Elementwise::Select, args),
            Op::MulAdd => infer::elementwise_type(Elementwise::MulAdd, args),
            Op::Cast(dtype) => infer::elementwise_type(Elementwise::Cast(*dtype), args),
            Op::Reshape(shape) => infer::reshape_type(shape, args[0]),
            Op::Permute(perm) => infer::permute_type(perm, args[0]),
            Op::Broadcast(shape) => infer::broadcast_type(shape, args[0]),
            Op::Slice(axes) => infer::slice_type(axes, args[0]),
            Op::Pad(axes) => infer::pad_type(axes, args[0]),
            Op::Reduce { op, axes } => infer::reduce_type(*op, axes, args[0]),
            Op::ArgReduce { axis, .. } => infer::arg_reduce_type(*axis, args[0]),
            Op::Concat { axis } => infer::concat_type(*axis, args),
        }
        .map_err(fail)?;
        if !ty.fits_in_memory() {
            return Err(fail(format!(
                "a result of type {ty} is too big: its size in bytes overflows isize"
            )));
        }
        Ok(ty)
    }
}

impl From<Elementwise> for Op {
    /// The graph op computing an elementwise function.
    fn from(function: Elementwise) -> Op {
        match function {
            Elementwise::Unary(op) => Op::Unary(op),
            Elementwise::Binary(op) => Op::Binary(op),
            Elementwise::Select => Op::Select,
            Elementwise::MulAdd => Op::MulAdd,
            Elementwise::Cast(dtype) => Op::Cast(dtype),
        }
    }
}
