//! Rust operators on arrays: `+ - * / %` and unary `-`, for owned and
//! borrowed arrays and Rust scalars on either side.

use super::elementwise::{binary, Operand};
use super::Array;
use ndjit_ir::{BinaryOp, Op, UnaryOp};
use std::ops::{Add, Div, Mul, Neg, Rem, Sub};

macro_rules! operator {
    ($trait:ident, $method:ident, $op:ident) => {
        impl<T: Into<Operand>> $trait<T> for Array {
            type Output = Array;
            #[track_caller]
            fn $method(self, rhs: T) -> Array {
                binary(BinaryOp::$op, Operand::Array(self), rhs.into())
            }
        }

        impl<T: Into<Operand>> $trait<T> for &Array {
            type Output = Array;
            #[track_caller]
            fn $method(self, rhs: T) -> Array {
                binary(BinaryOp::$op, self.into(), rhs.into())
            }
        }

        // Only one float and one integer type on the left, so that a bare
        // literal (`1.0 - &x`, `2 * &x`) infers its type.
        operator!(@scalar $trait, $method, $op, f64, i64);
    };
    (@scalar $trait:ident, $method:ident, $op:ident, $($scalar:ty),*) => {
        $(
            impl $trait<Array> for $scalar {
                type Output = Array;
                #[track_caller]
                fn $method(self, rhs: Array) -> Array {
                    binary(BinaryOp::$op, self.into(), Operand::Array(rhs))
                }
            }

            impl $trait<&Array> for $scalar {
                type Output = Array;
                #[track_caller]
                fn $method(self, rhs: &Array) -> Array {
                    binary(BinaryOp::$op, self.into(), rhs.into())
                }
            }
        )*
    };
}

operator!(Add, add, Add);
operator!(Sub, sub, Sub);
operator!(Mul, mul, Mul);
operator!(Div, div, Div);
operator!(Rem, rem, Rem);

impl Neg for &Array {
    type Output = Array;
    #[track_caller]
    fn neg(self) -> Array {
        Array::apply(Op::Unary(UnaryOp::Neg), &[self])
    }
}

impl Neg for Array {
    type Output = Array;
    #[track_caller]
    fn neg(self) -> Array {
        -&self
    }
}
