//! Per-element semantics of the arithmetic ops, one implementation per
//! element type, matching NumPy's ufuncs.
//!
//! Integers wrap on overflow (as NumPy's fixed-width integers do). Where
//! NumPy would warn or raise for one element, the interpreter cannot, so it
//! returns the value NumPy returns alongside its warning:
//!
//! - integer `floor_divide` and `remainder` by zero give 0;
//! - `floor_divide(MIN, -1)` wraps to `MIN` (and its remainder is 0);
//! - integer `power` with a negative exponent (NumPy raises) gives what the
//!   integer part of `1 / base^-e` is: 1 for base 1, ±1 for base -1 by the
//!   exponent's parity, and 0 otherwise (0 too for base 0, where the true
//!   value is infinite).

use crate::buffer::Element;
use crate::op::{BinaryOp, UnaryOp};
use num_traits::Float;

/// Every element type: equality, order and the NaN/finiteness tests.
pub(super) trait Value: Element + PartialOrd {
    /// Whether the value is NaN (never, for bools and integers).
    fn is_nan(self) -> bool;
    /// Whether the value is neither infinite nor NaN.
    fn is_finite(self) -> bool;
}

/// NaN-propagating larger of two values, as `np.maximum`; on bools it is
/// logical or. Ties return `b`, as NumPy's (x86's `maxsd`): so
/// `maximum(-0.0, 0.0)` is `0.0` and `maximum(0.0, -0.0)` is `-0.0`.
pub(super) fn maximum<T: Value>(a: T, b: T) -> T {
    if a > b || a.is_nan() {
        a
    } else {
        b
    }
}

/// NaN-propagating smaller of two values, as `np.minimum`; on bools it is
/// logical and. Ties return `b`, as for [`maximum`].
pub(super) fn minimum<T: Value>(a: T, b: T) -> T {
    if a < b || a.is_nan() {
        a
    } else {
        b
    }
}

/// The numeric element types (everything but bool), with NumPy's ufunc
/// semantics. Named after the ufuncs to keep them apart from `std::ops`.
/// `np.fmax`: the larger of the two, ignoring a NaN; ties (a zero against
/// a zero of the other sign) and two NaNs give `a`, as NumPy's.
pub(super) fn fmax<T: Value>(a: T, b: T) -> T {
    if b.is_nan() || a >= b {
        a
    } else {
        b
    }
}

/// `np.fmin`: the smaller of the two, ignoring a NaN; ties give `a`.
pub(super) fn fmin<T: Value>(a: T, b: T) -> T {
    if b.is_nan() || a <= b {
        a
    } else {
        b
    }
}

pub(super) trait Number: Value {
    /// `np.add`.
    fn add(a: Self, b: Self) -> Self;
    /// `np.subtract`.
    fn subtract(a: Self, b: Self) -> Self;
    /// `np.multiply`.
    fn multiply(a: Self, b: Self) -> Self;
    /// `np.floor_divide`.
    fn floor_divide(a: Self, b: Self) -> Self;
    /// `np.remainder`: the result has the sign of `b`.
    fn remainder(a: Self, b: Self) -> Self;
    /// C's `fmod`: the remainder with the dividend's sign.
    fn fmod(a: Self, b: Self) -> Self;
    /// `np.negative`.
    fn negative(x: Self) -> Self;
    /// `np.absolute`.
    fn absolute(x: Self) -> Self;
    /// `np.sign`: -1, 0 or 1, NaN for NaN, +0 for ±0.
    fn sign(x: Self) -> Self;
    /// `np.square`.
    fn square(x: Self) -> Self;
    /// `np.sum` of a run; 0 for an empty run.
    fn sum(run: &[Self]) -> Self;
    /// `np.prod` of a run; 1 for an empty run.
    fn product(run: &[Self]) -> Self;
}

/// `i32` and `i64`.
pub(super) trait Integer: Number {
    /// `np.power` (see the module notes for negative exponents).
    fn power(base: Self, exponent: Self) -> Self;
}

/// `f32` and `f64`.
pub(super) trait Real: Number + Float {
    /// Round half to even, as `np.round`.
    fn round_half_even(self) -> Self;
    /// `out = op(x)` by ndjit's vector math routines (`op` must be one of theirs).
    fn vector_unary(op: UnaryOp, x: &[Self], out: &mut [Self]);
    /// `out = op(a, b)` by ndjit's vector math routines (`op` must be one of theirs).
    fn vector_binary(op: BinaryOp, a: &[Self], b: &[Self], out: &mut [Self]);
}

impl Value for bool {
    fn is_nan(self) -> bool {
        false
    }
    fn is_finite(self) -> bool {
        true
    }
}

macro_rules! integer {
    ($t:ty) => {
        impl Value for $t {
            fn is_nan(self) -> bool {
                false
            }
            fn is_finite(self) -> bool {
                true
            }
        }

        impl Number for $t {
            fn add(a: $t, b: $t) -> $t {
                a.wrapping_add(b)
            }
            fn subtract(a: $t, b: $t) -> $t {
                a.wrapping_sub(b)
            }
            fn multiply(a: $t, b: $t) -> $t {
                a.wrapping_mul(b)
            }
            fn floor_divide(a: $t, b: $t) -> $t {
                if b == 0 {
                    return 0;
                }
                let quotient = a.wrapping_div(b);
                if a.wrapping_rem(b) != 0 && ((a < 0) != (b < 0)) {
                    quotient - 1
                } else {
                    quotient
                }
            }
            fn remainder(a: $t, b: $t) -> $t {
                if b == 0 {
                    return 0;
                }
                let rem = a.wrapping_rem(b);
                if rem != 0 && ((rem < 0) != (b < 0)) {
                    rem + b
                } else {
                    rem
                }
            }
            fn fmod(a: $t, b: $t) -> $t {
                crate::math::integer_fmod(a, b)
            }
            fn negative(x: $t) -> $t {
                x.wrapping_neg()
            }
            fn absolute(x: $t) -> $t {
                x.wrapping_abs()
            }
            fn sign(x: $t) -> $t {
                x.signum()
            }
            fn square(x: $t) -> $t {
                x.wrapping_mul(x)
            }
            fn sum(run: &[$t]) -> $t {
                run.iter().fold(0, |acc, &x| acc.wrapping_add(x))
            }
            fn product(run: &[$t]) -> $t {
                run.iter().fold(1, |acc, &x| acc.wrapping_mul(x))
            }
        }

        impl Integer for $t {
            fn power(base: $t, exponent: $t) -> $t {
                crate::math::integer_power(base, exponent)
            }
        }
    };
}
integer!(i32);
integer!(i64);

macro_rules! real {
    ($t:ty, $unary:path, $binary:path) => {
        impl Value for $t {
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
        }

        impl Number for $t {
            fn add(a: $t, b: $t) -> $t {
                a + b
            }
            fn subtract(a: $t, b: $t) -> $t {
                a - b
            }
            fn multiply(a: $t, b: $t) -> $t {
                a * b
            }
            fn floor_divide(a: $t, b: $t) -> $t {
                crate::math::floor_divide(a, b)
            }
            fn remainder(a: $t, b: $t) -> $t {
                crate::math::remainder(a, b)
            }
            fn fmod(a: $t, b: $t) -> $t {
                crate::math::fmod(a, b)
            }
            fn negative(x: $t) -> $t {
                -x
            }
            fn absolute(x: $t) -> $t {
                x.abs()
            }
            fn sign(x: $t) -> $t {
                if x > 0.0 {
                    1.0
                } else if x < 0.0 {
                    -1.0
                } else if x == 0.0 {
                    0.0
                } else {
                    x
                }
            }
            fn square(x: $t) -> $t {
                x * x
            }
            fn sum(run: &[$t]) -> $t {
                // NumPy starts from the identity +0, so a sum of -0s is +0.
                0.0 + pairwise_sum(run)
            }
            fn product(run: &[$t]) -> $t {
                run.iter().product()
            }
        }

        impl Real for $t {
            fn round_half_even(self) -> $t {
                self.round_ties_even()
            }
            fn vector_unary(op: UnaryOp, x: &[$t], out: &mut [$t]) {
                $unary(op, x, out)
            }
            fn vector_binary(op: BinaryOp, a: &[$t], b: &[$t], out: &mut [$t]) {
                $binary(op, a, b, out)
            }
        }
    };
}
real!(f32, crate::math::unary_f32, crate::math::binary_f32);
real!(f64, crate::math::unary_f64, crate::math::binary_f64);

/// Below this length a run is summed in blocks of 8, above it split in two.
const PAIRWISE_BLOCK: usize = 128;

/// NumPy's pairwise summation (`pairwise_sum` in its loops): a plain loop
/// under 8 elements, eight interleaved accumulators up to 128, and a split
/// at a multiple of 8 above. The error grows as O(log n) rather than O(n).
/// Recursion depth is log2 of the length.
pub(super) fn pairwise_sum<T: Float>(a: &[T]) -> T {
    let n = a.len();
    if n < 8 {
        a.iter().fold(T::zero(), |acc, &x| acc + x)
    } else if n <= PAIRWISE_BLOCK {
        let mut r = [T::zero(); 8];
        r.copy_from_slice(&a[..8]);
        let blocks_end = n - n % 8;
        for block in a[8..blocks_end].chunks_exact(8) {
            for (acc, &x) in r.iter_mut().zip(block) {
                *acc = *acc + x;
            }
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &x in &a[blocks_end..] {
            res = res + x;
        }
        res
    } else {
        let half = n / 2;
        let half = half - half % 8;
        pairwise_sum(&a[..half]) + pairwise_sum(&a[half..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_floor_division_follows_numpy() {
        // np.floor_divide / np.remainder on int64, all sign combinations.
        let cases = [
            (7i64, 2, 3, 1),
            (-7, 2, -4, 1),
            (7, -2, -4, -1),
            (-7, -2, 3, -1),
        ];
        for (a, b, q, r) in cases {
            assert_eq!(i64::floor_divide(a, b), q, "{a} // {b}");
            assert_eq!(i64::remainder(a, b), r, "{a} % {b}");
        }
        assert_eq!(i64::floor_divide(5, 0), 0);
        assert_eq!(i64::remainder(5, 0), 0);
        assert_eq!(i64::floor_divide(i64::MIN, -1), i64::MIN);
        assert_eq!(i64::remainder(i64::MIN, -1), 0);
        assert_eq!(i32::floor_divide(-6, 3), -2);
        assert_eq!(i32::remainder(-6, 3), 0);
    }

    #[test]
    fn integer_power_wraps_and_handles_negative_exponents() {
        // np.power(np.int32([2, -2, 3]), [31, 31, 40]).
        assert_eq!(i32::power(2, 31), i32::MIN);
        assert_eq!(i32::power(-2, 31), i32::MIN);
        assert_eq!(i32::power(3, 40), 689_956_897);
        assert_eq!(i64::power(0, 0), 1);
        assert_eq!(i64::power(7, 1), 7);
        assert_eq!(i64::power(1, -3), 1);
        assert_eq!(i64::power(-1, -3), -1);
        assert_eq!(i64::power(-1, -4), 1);
        assert_eq!(i64::power(2, -1), 0);
        assert_eq!(i64::power(0, -1), 0);
    }

    #[test]
    fn float_floor_division_follows_numpy() {
        // (a, b, np.floor_divide(a, b), np.remainder(a, b)).
        let inf = f64::INFINITY;
        let cases = [
            (7.0, 2.0, 3.0, 1.0),
            (-7.0, 2.0, -4.0, 1.0),
            (7.0, -2.0, -4.0, -1.0),
            (-7.0, -2.0, 3.0, -1.0),
            (1.0, inf, 0.0, 1.0),
            (-1.0, inf, -1.0, inf),
            (1.0, -inf, -1.0, -inf),
            (1e308, 1e-308, inf, 3.498445546245627e-309),
        ];
        for (a, b, q, r) in cases {
            assert_eq!(f64::floor_divide(a, b), q, "{a} // {b}");
            assert_eq!(f64::remainder(a, b), r, "{a} % {b}");
        }
        // Signed zeros: np.floor_divide(0., -1.) is -0., np.remainder(0., -1.) is -0.
        assert!(f64::floor_divide(0.0, -1.0).is_sign_negative());
        assert!(f64::remainder(0.0, -1.0).is_sign_negative());
        assert!(f64::remainder(-0.0, 1.0).is_sign_positive());
        // By zero: a / 0 for floor_divide, NaN for remainder.
        assert_eq!(f64::floor_divide(1.0, 0.0), inf);
        assert_eq!(f64::floor_divide(-1.0, 0.0), -inf);
        assert!(f64::floor_divide(0.0, 0.0).is_nan());
        assert!(f64::remainder(1.0, 0.0).is_nan());
        assert!(f64::floor_divide(inf, 2.0).is_nan());
        assert!(f64::remainder(inf, 2.0).is_nan());
        assert_eq!(f32::floor_divide(-7.5, 2.0), -4.0);
        assert_eq!(f32::remainder(-7.5, 2.0), 0.5);
    }

    #[test]
    fn pairwise_sum_is_exact_on_integers_and_accurate_on_many_terms() {
        for n in [0, 1, 7, 8, 9, 127, 128, 129, 1000] {
            let values: Vec<f64> = (1..=n).map(|i| i as f64).collect();
            assert_eq!(pairwise_sum(&values), (n * (n + 1) / 2) as f64, "n = {n}");
        }
        // 1e6 copies of 0.1 in f32: a naive running sum is off by ~1%.
        let tenths = vec![0.1f32; 1_000_000];
        assert!((pairwise_sum(&tenths) - 100_000.0).abs() < 1.0);
    }
}
