//! The op vocabulary, and each op's shape and dtype rule.
//!
//! [`Op`] is the whole language of the graph. Every other table that is keyed
//! by op (the interpreter, the text form, codegen, VJP and JVP rules) matches
//! on it exhaustively, so adding a variant makes the compiler point at every
//! row still to be written.

use crate::dtype::DType;
use crate::error::{IrError, Result};
use crate::scalar::Scalar;
use crate::shape::{broadcasts_to, Shape};
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

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// Every variant.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The name used in the text form.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }

            /// Reads a name printed by `name`.
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)* _ => None }
            }
        }
    };
}

named_enum! {
    /// Elementwise functions of one operand.
    UnaryOp {
        /// `-x`.
        Neg => "neg",
        /// `|x|`.
        Abs => "abs",
        /// -1, 0 or 1 (NaN for NaN), as `np.sign`.
        Sign => "sign",
        /// Square root.
        Sqrt => "sqrt",
        /// `e^x`.
        Exp => "exp",
        /// `e^x - 1`, accurate near 0.
        Expm1 => "expm1",
        /// `2^x`.
        Exp2 => "exp2",
        /// Natural logarithm.
        Log => "log",
        /// `ln(1 + x)`, accurate near 0.
        Log1p => "log1p",
        /// Base-2 logarithm.
        Log2 => "log2",
        /// Sine.
        Sin => "sin",
        /// Cosine.
        Cos => "cos",
        /// Tangent.
        Tan => "tan",
        /// Hyperbolic tangent.
        Tanh => "tanh",
        /// Inverse sine.
        Asin => "asin",
        /// Inverse cosine.
        Acos => "acos",
        /// Inverse tangent.
        Atan => "atan",
        /// Hyperbolic sine.
        Sinh => "sinh",
        /// Hyperbolic cosine.
        Cosh => "cosh",
        /// The error function.
        Erf => "erf",
        /// Round toward -inf.
        Floor => "floor",
        /// Round toward +inf.
        Ceil => "ceil",
        /// Round half to even, as `np.round`.
        Round => "round",
        /// `1 / x`.
        Recip => "recip",
        /// `x * x`.
        Square => "square",
        /// Logical not of a bool.
        Not => "not",
        /// Whether a value is NaN.
        IsNan => "isnan",
        /// Whether a value is neither infinite nor NaN.
        IsFinite => "isfinite",
    }
}

named_enum! {
    /// Elementwise functions of two operands of the same shape and dtype.
    BinaryOp {
        /// `a + b`.
        Add => "add",
        /// `a - b`.
        Sub => "sub",
        /// `a * b`.
        Mul => "mul",
        /// True division `a / b` (floats only).
        Div => "div",
        /// `floor(a / b)`, as `np.floor_divide` (integer division by zero gives 0).
        FloorDiv => "floor_div",
        /// Remainder with the sign of the divisor, as `np.remainder`.
        Rem => "rem",
        /// `a ** b`.
        Pow => "pow",
        /// Larger of the two, NaN if either is NaN (`np.maximum`).
        Maximum => "maximum",
        /// Smaller of the two, NaN if either is NaN (`np.minimum`).
        Minimum => "minimum",
        /// Four-quadrant inverse tangent of `a / b`.
        Atan2 => "atan2",
        /// `a == b`.
        Eq => "eq",
        /// `a != b`.
        Ne => "ne",
        /// `a < b`.
        Lt => "lt",
        /// `a <= b`.
        Le => "le",
        /// `a > b`.
        Gt => "gt",
        /// `a >= b`.
        Ge => "ge",
        /// Logical and of bools.
        And => "and",
        /// Logical or of bools.
        Or => "or",
        /// Logical exclusive or of bools.
        Xor => "xor",
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

impl UnaryOp {
    /// The operand dtypes this function is defined on.
    fn accepts(self, dtype: DType) -> bool {
        use UnaryOp::*;
        match self {
            Neg | Abs | Sign | Square => dtype.is_numeric(),
            Not => dtype == DType::Bool,
            IsNan | IsFinite => true,
            _ => dtype.is_float(),
        }
    }

    /// The result dtype for an accepted operand dtype.
    pub fn result_dtype(self, dtype: DType) -> DType {
        match self {
            UnaryOp::IsNan | UnaryOp::IsFinite => DType::Bool,
            _ => dtype,
        }
    }
}

impl BinaryOp {
    /// The operand dtype this function is defined on.
    fn accepts(self, dtype: DType) -> bool {
        use BinaryOp::*;
        match self {
            Add | Sub | Mul | FloorDiv | Rem | Pow => dtype.is_numeric(),
            Div | Atan2 => dtype.is_float(),
            Maximum | Minimum | Eq | Ne | Lt | Le | Gt | Ge => true,
            And | Or | Xor => dtype == DType::Bool,
        }
    }

    /// Whether the result is a bool whatever the operands.
    pub fn is_comparison(self) -> bool {
        use BinaryOp::*;
        matches!(self, Eq | Ne | Lt | Le | Gt | Ge)
    }

    /// The result dtype for an accepted operand dtype.
    pub fn result_dtype(self, dtype: DType) -> DType {
        if self.is_comparison() {
            DType::Bool
        } else {
            dtype
        }
    }
}

impl ReduceOp {
    fn accepts(self, dtype: DType) -> bool {
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
            Op::Binary(_) => Some(2),
            Op::Select | Op::MulAdd => Some(3),
            Op::Concat { .. } => None,
            _ => Some(1),
        }
    }

    /// Elementwise ops: output element `i` depends only on input elements `i`.
    pub fn is_elementwise(&self) -> bool {
        matches!(
            self,
            Op::Unary(_) | Op::Binary(_) | Op::Select | Op::MulAdd | Op::Cast(_)
        )
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
        let name = self.name();
        let fail = |message: String| IrError::Type { op: name, message };
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
            Op::Input(_) => Err(fail("an input's type is stated, not inferred".into())),
            Op::Const(value) => Ok(TensorType::new(Shape::scalar(), value.dtype())),
            Op::Unary(u) => {
                let x = args[0];
                if !u.accepts(x.dtype) {
                    return Err(fail(format!("not defined for dtype {}", x.dtype)));
                }
                Ok(TensorType::new(x.shape.clone(), u.result_dtype(x.dtype)))
            }
            Op::Binary(b) => {
                let (x, y) = (args[0], args[1]);
                if x.shape != y.shape {
                    return Err(fail(format!(
                        "operand shapes differ: {} and {}",
                        x.shape, y.shape
                    )));
                }
                if x.dtype != y.dtype {
                    return Err(fail(format!(
                        "operand dtypes differ: {} and {}",
                        x.dtype, y.dtype
                    )));
                }
                if !b.accepts(x.dtype) {
                    return Err(fail(format!("not defined for dtype {}", x.dtype)));
                }
                Ok(TensorType::new(x.shape.clone(), b.result_dtype(x.dtype)))
            }
            Op::Select => {
                let (c, x, y) = (args[0], args[1], args[2]);
                if c.dtype != DType::Bool {
                    return Err(fail(format!("condition must be bool, got {}", c.dtype)));
                }
                if c.shape != x.shape || x.shape != y.shape {
                    return Err(fail(format!(
                        "operand shapes differ: {}, {} and {}",
                        c.shape, x.shape, y.shape
                    )));
                }
                if x.dtype != y.dtype {
                    return Err(fail(format!(
                        "branch dtypes differ: {} and {}",
                        x.dtype, y.dtype
                    )));
                }
                Ok(x.clone())
            }
            Op::MulAdd => {
                let (a, b, c) = (args[0], args[1], args[2]);
                if a.shape != b.shape || b.shape != c.shape {
                    return Err(fail(format!(
                        "operand shapes differ: {}, {} and {}",
                        a.shape, b.shape, c.shape
                    )));
                }
                if a.dtype != b.dtype || b.dtype != c.dtype {
                    return Err(fail(format!(
                        "operand dtypes differ: {}, {} and {}",
                        a.dtype, b.dtype, c.dtype
                    )));
                }
                if !a.dtype.is_float() {
                    return Err(fail(format!("not defined for dtype {}", a.dtype)));
                }
                Ok(a.clone())
            }
            Op::Cast(dtype) => Ok(TensorType::new(args[0].shape.clone(), *dtype)),
            Op::Reshape(shape) => {
                let x = args[0];
                if shape.checked_numel() != Some(x.shape.numel()) {
                    return Err(fail(format!(
                        "cannot reshape {} ({} elements) to {}",
                        x.shape,
                        x.shape.numel(),
                        shape
                    )));
                }
                Ok(TensorType::new(shape.clone(), x.dtype))
            }
            Op::Permute(perm) => {
                let x = args[0];
                let mut seen = vec![false; x.shape.rank()];
                let valid = perm.len() == x.shape.rank()
                    && perm
                        .iter()
                        .all(|&p| p < seen.len() && !std::mem::replace(&mut seen[p], true));
                if !valid {
                    return Err(fail(format!(
                        "{perm:?} is not a permutation of the axes of {}",
                        x.shape
                    )));
                }
                let dims = perm.iter().map(|&p| x.shape.0[p]).collect::<Vec<_>>();
                Ok(TensorType::new(dims, x.dtype))
            }
            Op::Broadcast(shape) => {
                let x = args[0];
                if !broadcasts_to(&x.shape, shape) {
                    return Err(fail(format!("cannot broadcast {} to {}", x.shape, shape)));
                }
                Ok(TensorType::new(shape.clone(), x.dtype))
            }
            Op::Slice(axes) => {
                let x = args[0];
                if axes.len() != x.shape.rank() {
                    return Err(fail(format!(
                        "{} axes given for shape {}",
                        axes.len(),
                        x.shape
                    )));
                }
                for (axis, (s, &dim)) in axes.iter().zip(&x.shape.0).enumerate() {
                    if s.step == 0 {
                        return Err(fail(format!("axis {axis}: step must not be 0")));
                    }
                    if s.len > 0 {
                        let last = (s.len as isize - 1)
                            .checked_mul(s.step)
                            .and_then(|d| d.checked_add(s.start as isize));
                        if s.start >= dim
                            || !last.is_some_and(|last| last >= 0 && (last as usize) < dim)
                        {
                            return Err(fail(format!(
                                "axis {axis}: {} elements from {} in steps of {} leave extent {dim}",
                                s.len, s.start, s.step
                            )));
                        }
                    }
                }
                Ok(TensorType::new(
                    axes.iter().map(|s| s.len).collect::<Vec<_>>(),
                    x.dtype,
                ))
            }
            Op::Pad(axes) => {
                let x = args[0];
                if axes.len() != x.shape.rank() {
                    return Err(fail(format!(
                        "{} axes given for shape {}",
                        axes.len(),
                        x.shape
                    )));
                }
                let dims = axes
                    .iter()
                    .zip(&x.shape.0)
                    .map(|(p, &d)| {
                        d.saturating_sub(1)
                            .checked_mul(p.interior)
                            .and_then(|n| n.checked_add(d)?.checked_add(p.low)?.checked_add(p.high))
                    })
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| {
                        fail(format!(
                            "padding {axes:?} overflows the extents of {}",
                            x.shape
                        ))
                    })?;
                Ok(TensorType::new(dims, x.dtype))
            }
            Op::Reduce { op, axes } => {
                let x = args[0];
                if !op.accepts(x.dtype) {
                    return Err(fail(format!("not defined for dtype {}", x.dtype)));
                }
                if !axes.windows(2).all(|w| w[0] < w[1])
                    || axes.iter().any(|&a| a >= x.shape.rank())
                {
                    return Err(fail(format!(
                        "axes {axes:?} are not distinct ascending axes of {}",
                        x.shape
                    )));
                }
                if op.identity(x.dtype).is_none() && axes.iter().any(|&a| x.shape.0[a] == 0) {
                    return Err(fail(format!(
                        "zero-size axis of {} has no {}",
                        x.shape,
                        op.name()
                    )));
                }
                let mut dims = x.shape.0.clone();
                for &a in axes {
                    dims[a] = 1;
                }
                Ok(TensorType::new(dims, x.dtype))
            }
            Op::ArgReduce { axis, .. } => {
                let x = args[0];
                if *axis >= x.shape.rank() {
                    return Err(fail(format!("axis {axis} out of range for {}", x.shape)));
                }
                if x.shape.0[*axis] == 0 {
                    return Err(fail(format!("axis {axis} of {} is empty", x.shape)));
                }
                let mut dims = x.shape.0.clone();
                dims[*axis] = 1;
                Ok(TensorType::new(dims, DType::I64))
            }
            Op::Concat { axis } => concat_type(*axis, args).map_err(fail),
        }?;
        if !ty.fits_in_memory() {
            return Err(fail(format!(
                "a result of type {ty} is too big: its size in bytes overflows isize"
            )));
        }
        Ok(ty)
    }
}

/// The type of `concat` along `axis` of operands `args` (at least one), or
/// why they cannot be joined.
fn concat_type(axis: usize, args: &[&TensorType]) -> std::result::Result<TensorType, String> {
    let first = args[0];
    if axis >= first.shape.rank() {
        return Err(format!(
            "axis {axis} out of range for operand 0 of shape {}",
            first.shape
        ));
    }
    let mut dims = first.shape.0.clone();
    for (k, x) in args.iter().enumerate().skip(1) {
        if x.dtype != first.dtype {
            return Err(format!(
                "operand dtypes differ: {} (operand 0) and {} (operand {k})",
                first.dtype, x.dtype
            ));
        }
        let same_elsewhere = x.shape.rank() == first.shape.rank()
            && (0..dims.len()).all(|a| a == axis || x.shape.0[a] == first.shape.0[a]);
        if !same_elsewhere {
            return Err(format!(
                "operand {k} of shape {} does not match operand 0 of shape {} except along axis {axis}",
                x.shape, first.shape
            ));
        }
        dims[axis] = dims[axis]
            .checked_add(x.shape.0[axis])
            .ok_or_else(|| format!("the joined extent along axis {axis} overflows"))?;
    }
    Ok(TensorType::new(dims, first.dtype))
}
