//! Elementwise operations: NumPy's type promotion and broadcasting, then
//! one IR op.

use super::Array;
use crate::error::Error;
use ndjit_ir::{
    broadcast_shapes, promote, promote_weak, BinaryOp, DType, Op, Scalar, ScalarKind, Shape,
    UnaryOp,
};

/// One operand of an elementwise operation: an array, or a Rust scalar.
///
/// Rust scalars are "weak", as Python scalars are in NumPy 2: they take the
/// array's dtype when their kind allows (`f32_array * 2.0` is `f32`).
#[derive(Clone, Debug)]
pub enum Operand {
    /// An array.
    Array(Array),
    /// A Rust scalar and its kind.
    Scalar(Scalar, ScalarKind),
}

impl From<Array> for Operand {
    fn from(array: Array) -> Operand {
        Operand::Array(array)
    }
}

impl From<&Array> for Operand {
    fn from(array: &Array) -> Operand {
        Operand::Array(array.clone())
    }
}

macro_rules! scalar_operand {
    ($t:ty, $variant:ident, $kind:ident) => {
        impl From<$t> for Operand {
            fn from(value: $t) -> Operand {
                Operand::Scalar(Scalar::$variant(value), ScalarKind::$kind)
            }
        }
    };
}
scalar_operand!(f64, F64, Float);
scalar_operand!(f32, F32, Float);
scalar_operand!(i64, I64, Int);
scalar_operand!(i32, I32, Int);
scalar_operand!(bool, Bool, Bool);

impl Operand {
    /// The operand as an array of `dtype` broadcast to `shape`, for `op`.
    /// A weak integer scalar that `dtype` cannot hold is an error, as NumPy
    /// 2's `OverflowError` ("Python integer out of bounds for int32").
    #[track_caller]
    fn to_array(&self, op: &str, dtype: DType, shape: &Shape) -> Array {
        match self {
            Operand::Array(array) => array.astype(dtype).broadcast_to(shape.clone()),
            Operand::Scalar(value, kind) => {
                if *kind == ScalarKind::Int && !int_fits(*value, dtype) {
                    return Array::invalid(Error::invalid(
                        op,
                        format!("the integer {value} is out of bounds for {dtype}"),
                    ));
                }
                Array::filled(shape.clone(), value.cast(dtype))
            }
        }
    }

    fn shape(&self) -> Shape {
        match self {
            Operand::Array(array) => Shape(array.shape().to_vec()),
            Operand::Scalar(..) => Shape::scalar(),
        }
    }
}

/// Whether an integer scalar keeps its value in `dtype` (floats hold every
/// integer approximately, as in NumPy; a cast to bool is a truth test;
/// integer dtypes must hold it exactly).
fn int_fits(value: Scalar, dtype: DType) -> bool {
    let wide = match value {
        Scalar::I32(v) => i64::from(v),
        Scalar::I64(v) => v,
        _ => return true,
    };
    match dtype {
        DType::I32 => i32::try_from(wide).is_ok(),
        DType::Bool | DType::I64 | DType::F32 | DType::F64 => true,
    }
}

/// The dtype NumPy gives a binary operation on two operands.
fn result_type(a: &Operand, b: &Operand) -> DType {
    match (a, b) {
        (Operand::Array(x), Operand::Array(y)) => promote(x.dtype(), y.dtype()),
        (Operand::Array(x), Operand::Scalar(_, kind))
        | (Operand::Scalar(_, kind), Operand::Array(x)) => promote_weak(x.dtype(), *kind),
        (Operand::Scalar(x, _), Operand::Scalar(y, _)) => promote(x.dtype(), y.dtype()),
    }
}

/// Applies a binary op with NumPy's rules: promote the dtypes, broadcast
/// the shapes, then compute. Functions defined on floats only (true
/// division, `atan2`) compute in a float dtype; logical ops on bools. The operators and methods of [`Array`] are
/// shorthands for it; it is public for callers that pick the op at run time
/// and whose operands may both be scalars (Python's `2 + 3` on the
/// command line is a 0-d array).
///
/// ```
/// use ndjit::{binary, ir::BinaryOp, Array, Operand};
/// let h = Array::from_vec(vec![1.0f32, 2.0], [2]);
/// let y = binary(BinaryOp::Mul, Operand::from(2.0), Operand::from(&h));
/// assert_eq!(y.to_vec::<f32>()?, [2.0, 4.0]);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[track_caller]
pub fn binary(op: BinaryOp, lhs: Operand, rhs: Operand) -> Array {
    for operand in [&lhs, &rhs] {
        if let Operand::Array(array) = operand {
            if let Err(error) = array.checked_type() {
                return Array::invalid(error);
            }
        }
    }
    let mut promoted = result_type(&lhs, &rhs);
    // NumPy 2 compares an integer with a Python int it cannot hold exactly
    // (`int32_array < 2**40` is all true), rather than raising.
    if op.is_comparison() {
        for operand in [&lhs, &rhs] {
            if let Operand::Scalar(value, ScalarKind::Int) = operand {
                if !int_fits(*value, promoted) {
                    promoted = promote(promoted, DType::I64);
                }
            }
        }
    }
    // NumPy's arithmetic on bools: `+` is or, `*` is and.
    let op = match (op, promoted) {
        (BinaryOp::Add, DType::Bool) => BinaryOp::Or,
        (BinaryOp::Mul, DType::Bool) => BinaryOp::And,
        _ => op,
    };
    let float_only = !op.accepts(DType::I64) && op.accepts(DType::F64);
    let dtype = match op {
        BinaryOp::And | BinaryOp::Or | BinaryOp::Xor => DType::Bool,
        // Float-only functions (true division, atan2, ...) of integers and bools.
        _ if float_only => promoted.to_float(),
        _ => promoted,
    };
    let (lhs_shape, rhs_shape) = (lhs.shape(), rhs.shape());
    let Some(shape) = broadcast_shapes(&lhs_shape, &rhs_shape) else {
        return Array::invalid(Error::invalid(
            op.name(),
            format!(
                "operands could not be broadcast together with shapes {lhs_shape} and {rhs_shape}"
            ),
        ));
    };
    let a = lhs.to_array(op.name(), dtype, &shape);
    let b = rhs.to_array(op.name(), dtype, &shape);
    Array::apply(Op::Binary(op), &[&a, &b])
}

/// `where(cond, x, y)`: elements of `x` where `cond` is true, else of `y`,
/// with the three broadcast together and `x`, `y` promoted (`np.where`).
///
/// ```
/// use ndjit::{where_, Array};
/// let a = Array::from_vec(vec![0.1, 0.7, 0.9], [3]);
/// let r = where_(&a.gt(0.5), &a, 0.0);
/// assert_eq!(r.to_vec::<f64>()?, vec![0.0, 0.7, 0.9]);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[track_caller]
pub fn where_(
    condition: impl Into<Operand>,
    x: impl Into<Operand>,
    y: impl Into<Operand>,
) -> Array {
    let (condition, x, y) = (condition.into(), x.into(), y.into());
    let shape = match broadcast_all("where", &[&condition, &x, &y]) {
        Ok(shape) => shape,
        Err(invalid) => return invalid,
    };
    let dtype = result_type(&x, &y);
    let c = condition.to_array("where", DType::Bool, &shape);
    let a = x.to_array("where", dtype, &shape);
    let b = y.to_array("where", dtype, &shape);
    Array::apply(Op::Select, &[&c, &a, &b])
}

impl Array {
    /// `self * b + c` with a single rounding (a fused multiply-add, as C's
    /// `fma` and Rust's `f64::mul_add`): more accurate than `self * b + c`,
    /// and one instruction on hosts with FMA. The operands broadcast
    /// together and promote as NumPy's arithmetic; integer and bool results
    /// are computed in `f64`.
    ///
    /// ```
    /// use ndjit::Array;
    /// let e = f64::EPSILON;
    /// let x = Array::from_vec(vec![1.0 + e], [1]);
    /// // (1 + e)(1 - e) - 1 = -e²: lost to rounding by `x * (1 - e) - 1`.
    /// assert_eq!(x.mul_add(1.0 - e, -1.0).to_vec::<f64>()?, vec![-e * e]);
    /// assert_eq!((&x * (1.0 - e) - 1.0).to_vec::<f64>()?, vec![0.0]);
    /// # Ok::<(), ndjit::Error>(())
    /// ```
    #[track_caller]
    pub fn mul_add(&self, b: impl Into<Operand>, c: impl Into<Operand>) -> Array {
        let (a, b, c) = (Operand::from(self), b.into(), c.into());
        let shape = match broadcast_all("mul_add", &[&a, &b, &c]) {
            Ok(shape) => shape,
            Err(invalid) => return invalid,
        };
        let dtype = match promote(result_type(&a, &b), result_type(&b, &c)) {
            float if float.is_float() => float,
            _ => DType::F64,
        };
        let (a, b, c) = (
            a.to_array("mul_add", dtype, &shape),
            b.to_array("mul_add", dtype, &shape),
            c.to_array("mul_add", dtype, &shape),
        );
        Array::apply(Op::MulAdd, &[&a, &b, &c])
    }
}

/// The shape operands broadcast to together; or, if one is invalid or
/// they do not broadcast, the invalid array that reports it.
#[track_caller]
fn broadcast_all(op: &'static str, operands: &[&Operand]) -> std::result::Result<Shape, Array> {
    for operand in operands {
        if let Operand::Array(array) = operand {
            if let Err(error) = array.checked_type() {
                return Err(Array::invalid(error));
            }
        }
    }
    let shape = operands.iter().try_fold(Shape::scalar(), |shape, o| {
        broadcast_shapes(&shape, &o.shape())
    });
    shape.ok_or_else(|| {
        let shapes: Vec<String> = operands.iter().map(|o| o.shape().to_string()).collect();
        Array::invalid(Error::invalid(
            op,
            format!(
                "operands could not be broadcast together with shapes {}",
                shapes.join(", ")
            ),
        ))
    })
}

macro_rules! float_functions {
    ($($(#[$doc:meta])* $name:ident => $op:ident,)*) => {
        impl Array {
            $(
                $(#[$doc])*
                ///
                /// Integer and bool arrays are computed in `f64`, as NumPy does.
                #[track_caller]
                pub fn $name(&self) -> Array {
                    self.float_unary(UnaryOp::$op)
                }
            )*
        }
    };
}

float_functions! {
    /// Square root.
    sqrt => Sqrt,
    /// `e^x`.
    exp => Exp,
    /// `e^x - 1`, accurate for small `x`.
    expm1 => Expm1,
    /// `2^x`.
    exp2 => Exp2,
    /// Natural logarithm.
    log => Log,
    /// `ln(1 + x)`, accurate for small `x`.
    log1p => Log1p,
    /// Base-2 logarithm.
    log2 => Log2,
    /// Sine (radians).
    sin => Sin,
    /// Cosine (radians).
    cos => Cos,
    /// Tangent (radians).
    tan => Tan,
    /// Hyperbolic tangent.
    tanh => Tanh,
    /// Inverse sine (`np.arcsin`).
    asin => Asin,
    /// Inverse cosine (`np.arccos`).
    acos => Acos,
    /// Inverse tangent (`np.arctan`).
    atan => Atan,
    /// Hyperbolic sine.
    sinh => Sinh,
    /// Hyperbolic cosine.
    cosh => Cosh,
    /// The error function.
    erf => Erf,
    /// `1 / x` (`np.reciprocal` on floats).
    recip => Recip,
}

macro_rules! rounding_functions {
    ($($(#[$doc:meta])* $name:ident => $op:ident,)*) => {
        impl Array {
            $(
                $(#[$doc])*
                ///
                /// Integer and bool arrays are returned unchanged.
                #[track_caller]
                pub fn $name(&self) -> Array {
                    if self.dtype().is_float() { Array::apply(Op::Unary(UnaryOp::$op), &[self]) } else { self.clone() }
                }
            )*
        }
    };
}

rounding_functions! {
    /// Round toward negative infinity.
    floor => Floor,
    /// Round toward positive infinity.
    ceil => Ceil,
    /// Round to nearest, ties to even (`np.round` with 0 decimals).
    round => Round,
    /// Round toward zero (`np.trunc`).
    trunc => Trunc,
}

macro_rules! binary_methods {
    ($($(#[$doc:meta])* $name:ident => $op:ident,)*) => {
        impl Array {
            $(
                $(#[$doc])*
                #[track_caller]
                pub fn $name(&self, other: impl Into<Operand>) -> Array {
                    binary(BinaryOp::$op, self.into(), other.into())
                }
            )*
        }
    };
}

binary_methods! {
    /// `self ** other` (`np.power`).
    pow => Pow,
    /// Elementwise larger value; NaN if either is NaN (`np.maximum`).
    maximum => Maximum,
    /// Elementwise smaller value; NaN if either is NaN (`np.minimum`).
    minimum => Minimum,
    /// Four-quadrant `atan(self / other)` (`np.arctan2`).
    atan2 => Atan2,
    /// Remainder with the sign of `self`, as C's `fmod` (`np.fmod`; the
    /// remainder with the divisor's sign is `%`).
    fmod => Fmod,
    /// Elementwise larger value, ignoring a NaN (`np.fmax`).
    fmax => Fmax,
    /// Elementwise smaller value, ignoring a NaN (`np.fmin`).
    fmin => Fmin,
    /// The magnitude of `self` with the sign of `other` (`np.copysign`).
    copysign => CopySign,
    /// `floor(self / other)` (`np.floor_divide`, Python's `//`). The
    /// matching remainder (sign of the divisor, `np.remainder`) is `%`.
    floor_div => FloorDiv,
    /// `self == other`, elementwise.
    equal => Eq,
    /// `self != other`, elementwise.
    not_equal => Ne,
    /// `self < other`, elementwise.
    lt => Lt,
    /// `self <= other`, elementwise.
    le => Le,
    /// `self > other`, elementwise.
    gt => Gt,
    /// `self >= other`, elementwise.
    ge => Ge,
    /// Logical and of the truth values.
    logical_and => And,
    /// Logical or of the truth values.
    logical_or => Or,
    /// Logical exclusive or of the truth values.
    logical_xor => Xor,
}

impl Array {
    #[track_caller]
    fn float_unary(&self, op: UnaryOp) -> Array {
        let x = self.astype(self.dtype().to_float());
        Array::apply(Op::Unary(op), &[&x])
    }

    /// `|x|` (bools are returned unchanged, as NumPy does).
    #[track_caller]
    pub fn abs(&self) -> Array {
        if self.dtype() == DType::Bool && self.error().is_none() {
            return self.clone();
        }
        Array::apply(Op::Unary(UnaryOp::Abs), &[self])
    }

    /// -1, 0 or +1 by the sign of each element (NaN stays NaN).
    #[track_caller]
    pub fn sign(&self) -> Array {
        Array::apply(Op::Unary(UnaryOp::Sign), &[self])
    }

    /// `x * x` (for bools `x and x`: unchanged, as NumPy does).
    #[track_caller]
    pub fn square(&self) -> Array {
        if self.dtype() == DType::Bool && self.error().is_none() {
            return self.clone();
        }
        Array::apply(Op::Unary(UnaryOp::Square), &[self])
    }

    /// Logical not of the truth value of each element.
    #[track_caller]
    pub fn logical_not(&self) -> Array {
        Array::apply(Op::Unary(UnaryOp::Not), &[&self.astype(DType::Bool)])
    }

    /// Whether each element is NaN.
    #[track_caller]
    pub fn isnan(&self) -> Array {
        Array::apply(Op::Unary(UnaryOp::IsNan), &[self])
    }

    /// Whether each element is finite (not infinite, not NaN).
    #[track_caller]
    pub fn isfinite(&self) -> Array {
        Array::apply(Op::Unary(UnaryOp::IsFinite), &[self])
    }

    /// The elements converted to `dtype` (`astype`): floats to integers
    /// truncate toward zero and saturate, NaN becomes 0; anything to bool
    /// is `x != 0`.
    #[track_caller]
    pub fn astype(&self, dtype: DType) -> Array {
        if self.checked_type().is_ok_and(|ty| ty.dtype == dtype) {
            self.clone()
        } else {
            Array::apply(Op::Cast(dtype), &[self])
        }
    }

    /// Elements limited to `[low, high]` (`np.clip`).
    #[track_caller]
    pub fn clip(&self, low: impl Into<Operand>, high: impl Into<Operand>) -> Array {
        self.maximum(low).minimum(high)
    }
}
