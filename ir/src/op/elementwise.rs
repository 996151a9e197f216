//! The elementwise vocabulary: every function a graph node or a kernel
//! instruction computes one element at a time, with the facts the passes,
//! the scheduler and codegen read about it (dtypes, algebraic properties,
//! how compiled code computes it and what that costs).
//!
//! Graph nodes name these as [`Op::Unary`](super::Op::Unary),
//! [`Op::Binary`](super::Op::Binary), ...; kernel instructions as
//! [`Elementwise`] itself, so a stage that handles elementwise work needs
//! one arm per kind, not one per function.

use super::names::named_enum;
use crate::dtype::DType;

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
        /// Round toward zero, as `np.trunc`.
        Trunc => "trunc",
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
        /// Remainder with the sign of the dividend, as C's `fmod` and
        /// `np.fmod` (integer division by zero gives 0).
        Fmod => "fmod",
        /// Larger of the two, ignoring a NaN (`np.fmax`); ties give `a`.
        Fmax => "fmax",
        /// Smaller of the two, ignoring a NaN (`np.fmin`); ties give `a`.
        Fmin => "fmin",
        /// The magnitude of `a` with the sign of `b` (`np.copysign`).
        CopySign => "copysign",
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

impl UnaryOp {
    /// Whether this function is defined on operands of `dtype`.
    pub fn accepts(self, dtype: DType) -> bool {
        use UnaryOp::*;
        match self {
            Neg | Abs | Sign | Square => dtype.is_numeric(),
            Not => dtype == DType::Bool,
            IsNan | IsFinite => true,
            Sqrt | Exp | Expm1 | Exp2 | Log | Log1p | Log2 | Sin | Cos | Tan | Tanh | Asin
            | Acos | Atan | Sinh | Cosh | Erf | Floor | Ceil | Round | Trunc | Recip => {
                dtype.is_float()
            }
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
    /// Whether this function is defined on operands of `dtype`.
    pub fn accepts(self, dtype: DType) -> bool {
        use BinaryOp::*;
        match self {
            Add | Sub | Mul | FloorDiv | Rem | Fmod | Pow => dtype.is_numeric(),
            Div | Atan2 | Fmax | Fmin | CopySign => dtype.is_float(),
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

    /// Whether `op(a, b)` and `op(b, a)` are the same bits on operands of
    /// `dtype` (a NaN's payload aside). Float `maximum`/`minimum` are not:
    /// NumPy's `maximum(0.0, -0.0)` returns the second operand.
    pub fn is_commutative(self, dtype: DType) -> bool {
        use BinaryOp::*;
        match self {
            Add | Mul | Eq | Ne | And | Or | Xor => true,
            Maximum | Minimum => !dtype.is_float(),
            Sub | Div | FloorDiv | Rem | Fmod | Pow | Atan2 | Fmax | Fmin | CopySign | Lt | Le
            | Gt | Ge => false,
        }
    }

    /// Whether `op(x, x)` is `x` for every `x` (NaN included).
    pub fn is_idempotent(self) -> bool {
        use BinaryOp::*;
        match self {
            Maximum | Minimum | Fmax | Fmin | CopySign | And | Or => true,
            Add | Sub | Mul | Div | FloorDiv | Rem | Fmod | Pow | Atan2 | Eq | Ne | Lt | Le
            | Gt | Ge | Xor => false,
        }
    }

    /// The comparison with its operands swapped: `a > b` is `b < a`
    /// (also when either is NaN: both false). `None` for other ops.
    pub fn mirrored(self) -> Option<BinaryOp> {
        use BinaryOp::*;
        Some(match self {
            Lt => Gt,
            Le => Ge,
            Gt => Lt,
            Ge => Le,
            Eq => Eq,
            Ne => Ne,
            _ => return None,
        })
    }
}

/// One elementwise function: the vocabulary graph nodes and kernel
/// instructions share.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Elementwise {
    /// A function of one operand.
    Unary(UnaryOp),
    /// A function of two operands of one dtype.
    Binary(BinaryOp),
    /// `cond ? a : b`.
    Select,
    /// `a * b + c`, rounded once.
    MulAdd,
    /// Conversion to a dtype, as NumPy's `astype`.
    Cast(DType),
}

/// How compiled code computes an elementwise function: the one answer the
/// scheduler's cost model, codegen and constant folding read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lowering {
    /// A few instructions inline in the loop.
    Inline,
    /// A call, once per chunk, to a Rust routine computing each element
    /// exactly as the interpreter does (no Cranelift instruction does it:
    /// float `floor_div`, `rem` and `fmod`, integer `pow` and `fmod`).
    Routine,
    /// A call, once per chunk, to a vector math routine
    /// ([`crate::math`]), whose last bit may differ between instruction
    /// sets: computed at run time, never constant-folded.
    VectorMath,
}

/// The fused cost of a routine call, against 1 for an inline op: the
/// scheduler stores a routine's result rather than recompute it in each
/// user, and bounds a kernel's total cost.
pub const ROUTINE_COST: usize = 16;

impl Elementwise {
    /// The function's name in the text form.
    pub fn name(self) -> &'static str {
        match self {
            Elementwise::Unary(op) => op.name(),
            Elementwise::Binary(op) => op.name(),
            Elementwise::Select => "select",
            Elementwise::MulAdd => "mul_add",
            Elementwise::Cast(_) => "cast",
        }
    }

    /// How many operands it takes.
    pub fn arity(self) -> usize {
        match self {
            Elementwise::Unary(_) | Elementwise::Cast(_) => 1,
            Elementwise::Binary(_) => 2,
            Elementwise::Select | Elementwise::MulAdd => 3,
        }
    }

    /// How compiled code computes it on operands of `dtype` (the first
    /// operand's; a select's branches').
    pub fn lowering(self, dtype: DType) -> Lowering {
        use BinaryOp::*;
        match self {
            Elementwise::Unary(op) if dtype.is_float() && crate::math::is_vector_math(op) => {
                Lowering::VectorMath
            }
            Elementwise::Binary(op) if dtype.is_float() && crate::math::is_vector_math(op) => {
                Lowering::VectorMath
            }
            Elementwise::Binary(FloorDiv | Rem | Fmod) if dtype.is_float() => Lowering::Routine,
            Elementwise::Binary(Pow | Fmod) if dtype.is_int() => Lowering::Routine,
            Elementwise::Unary(_)
            | Elementwise::Binary(_)
            | Elementwise::Select
            | Elementwise::MulAdd
            | Elementwise::Cast(_) => Lowering::Inline,
        }
    }

    /// Its fused cost on operands of `dtype`: 1 inline, [`ROUTINE_COST`]
    /// for a routine call.
    pub fn cost(self, dtype: DType) -> usize {
        match self.lowering(dtype) {
            Lowering::Inline => 1,
            Lowering::Routine | Lowering::VectorMath => ROUTINE_COST,
        }
    }
}
