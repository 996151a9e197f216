//! `sinh`, `cosh` and `tanh`, from the exponential routines.

use super::exp::{exp_parts, expm1_parts};
use super::lane::{fast_two_sum, poly, scale, select, two_sum};

/// Error bounds in ulps, as `[f64, f32]`: [`sinh`].
pub(super) const SINH_ULP: [f64; 2] = [1.0, 0.51];
/// Error bounds of [`cosh`].
pub(super) const COSH_ULP: [f64; 2] = [1.0, 0.51];
/// Error bounds of [`tanh`].
pub(super) const TANH_ULP: [f64; 2] = [1.0, 0.51];

/// H in `sinh a = a + a·z·H(z)`, z = a²: the Taylor coefficients
/// 1/(2k+1)!, k = 1..=9. For |a| <= 1 the truncation is < 2^-64 relative.
const SINH_H: [f64; 9] = [
    1.0 / 6.0,
    1.0 / 120.0,
    1.0 / 5040.0,
    1.0 / 362880.0,
    1.0 / 39916800.0,
    1.0 / 6227020800.0,
    1.0 / 1307674368000.0,
    1.0 / 355687428096000.0,
    1.0 / 121645100408832000.0,
];

/// `e^a/2 ± e^-a/2` for 0 <= a <= 712 (`sign` = ±1), rounded once: both
/// halves are carried as double-doubles (to ~2^-60 relative) into the sum.
/// +inf once e^a/2 passes f64::MAX; NaN stays NaN.
#[inline(always)]
fn half_exps_sum(a: f64, sign: f64) -> f64 {
    let (hi, lo, k) = exp_parts(a);
    let (up, up_lo) = (scale(hi, k - 1), scale(lo, k - 1));
    // 1/(hi + lo) = q + q_lo, the residual of q exact by an fma.
    let q = 1.0 / hi;
    let q_lo = q * (hi.mul_add(-q, 1.0) - lo * q);
    let (down, down_lo) = (scale(sign * q, -k - 1), scale(sign * q_lo, -k - 1));
    let (s, e) = two_sum(up, down);
    let y = s + (e + (up_lo + down_lo));
    select(up == f64::INFINITY, up, y)
}

/// Hyperbolic sine. Error <= 1 ulp (f64) and <= 0.51 ulp (f32). Keeps
/// the sign of ±0; ±inf beyond ±710.4758.
#[inline(always)]
pub(super) fn sinh(x: f64) -> f64 {
    let a = x.abs();
    let small = (a * (a * a)).mul_add(poly(a * a, &SINH_H), a);
    select(a < 1.0, small, half_exps_sum(a, -1.0)).copysign(x)
}

/// Hyperbolic cosine. Error <= 1 ulp (f64) and <= 0.51 ulp (f32).
#[inline(always)]
pub(super) fn cosh(x: f64) -> f64 {
    half_exps_sum(x.abs(), 1.0)
}

/// Hyperbolic tangent. Error <= 1 ulp (f64) and <= 0.51 ulp (f32). Keeps the sign of ±0; ±1 from |x| > 19.1 on.
#[inline(always)]
pub(super) fn tanh(x: f64) -> f64 {
    let a = x.abs();
    // One expm1 serves both forms, each free of cancellation: -t/(t + 2)
    // with t = e^-2a - 1 below 1, 1 - 2/(t + 2) with t = e^2a - 1 above.
    let small = a < 1.0;
    let (hi, lo, k) = expm1_parts(select(small, -2.0 * a, 2.0 * a));
    let (t, t_lo) = fast_two_sum(scale(hi, k), scale(lo, k));
    // Below 1, t + t_lo and t + 2 are carried exactly into the quotient,
    // which is corrected for its rounding.
    let (d, d_lo) = two_sum(t, 2.0);
    let d_lo = d_lo + t_lo;
    let q = -t / d;
    let q_lo = (q.mul_add(-d, -t) - q.mul_add(d_lo, t_lo)) / d;
    let y = select(small, q + q_lo, 1.0 - 2.0 / d);
    select(a == 0.0, x, y.copysign(x))
}

super::lane::chunk_kernels! {
    sinh => sinh_f64, sinh_f32;
    cosh => cosh_f64, cosh_f32;
    tanh => tanh_f64, tanh_f32;
}
