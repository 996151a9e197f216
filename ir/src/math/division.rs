//! NumPy's division semantics, shared by the interpreter and compiled
//! kernels (which call these once per chunk) so both give the same bits.

use num_traits::{CheckedRem, Float, PrimInt, Signed, WrappingMul};

/// `np.floor_divide` on floats: the floored quotient (`a / b` when `b` is
/// 0: ±inf, or NaN for 0/0).
pub fn floor_divide<T: Float>(a: T, b: T) -> T {
    if b == T::zero() {
        return a / b;
    }
    divmod(a, b).0
}

/// `np.remainder` on floats: the remainder with the sign of the divisor
/// (NaN when `b` is 0).
pub fn remainder<T: Float>(a: T, b: T) -> T {
    if b == T::zero() {
        return T::nan();
    }
    divmod(a, b).1
}

/// `np.fmod`: C's `fmod`, the remainder with the sign of the dividend
/// (exact; NaN when `b` is 0).
pub fn fmod<T: Float>(a: T, b: T) -> T {
    a % b
}

/// `np.fmod` on integers: the remainder with the sign of the dividend, 0
/// for a zero divisor (NumPy warns and gives 0) and for `MIN % -1`.
pub fn integer_fmod<T: PrimInt + CheckedRem>(a: T, b: T) -> T {
    a.checked_rem(&b).unwrap_or(T::zero())
}

/// NumPy's `npy_divmod` for a non-zero divisor: the floored quotient and
/// the remainder with the sign of `b`, computed from `fmod` so that
/// `a == b * quotient + remainder` as nearly as rounding allows.
fn divmod<T: Float>(a: T, b: T) -> (T, T) {
    let zero = T::zero();
    let mut rem = a % b;
    let mut div = (a - rem) / b;
    if rem != zero {
        if (b < zero) != (rem < zero) {
            rem = rem + b;
            div = div - T::one();
        }
    } else {
        rem = zero.copysign(b);
    }
    let floor_div = if div != zero {
        // Snap to the nearest integer: `div` is very nearly integral.
        let floor = div.floor();
        if div - floor > T::from(0.5).expect("0.5 is representable") {
            floor + T::one()
        } else {
            floor
        }
    } else {
        zero.copysign(a / b)
    };
    (floor_div, rem)
}

/// Integer `base ** exponent` by square-and-multiply, wrapping on overflow
/// (the result modulo 2^bits, as NumPy's repeated multiplication). A
/// negative exponent gives the truncated real result: 1 for base 1, ±1 for
/// base -1 by parity, else 0 (NumPy raises an error instead).
pub fn integer_power<T: PrimInt + Signed + WrappingMul>(base: T, exponent: T) -> T {
    let one = T::one();
    if exponent < T::zero() {
        return if base == one {
            one
        } else if base == -one {
            if exponent % (one + one) == T::zero() {
                one
            } else {
                -one
            }
        } else {
            T::zero()
        };
    }
    let (mut result, mut square, mut rest) = (one, base, exponent);
    while rest > T::zero() {
        if rest & one == one {
            result = result.wrapping_mul(&square);
        }
        square = square.wrapping_mul(&square);
        rest = rest >> 1;
    }
    result
}
