//! `sin`, `cos` and `tan`.
//!
//! The argument is reduced to x = k·π/2 + r + r_lo, |r| <= π/4 (see
//! `reduction`), then sine and cosine polynomials on r are picked and
//! signed by the quadrant k mod 4. A chunk is computed with the Cody–Waite
//! reduction alone; if any of its lanes is beyond that reduction's range
//! (rare), the whole chunk is computed again, still vectorized, with each
//! lane reduced by the method that fits it.

use super::lane::{fast_two_sum, poly, select, CHUNK};
use super::reduction::{reduce, reduce_any, LIMIT};

/// Error bounds in ulps, as `[f64, f32]`: [`sin`].
pub(super) const SIN_ULP: [f64; 2] = [1.0, 0.51];
/// Error bounds of [`cos`].
pub(super) const COS_ULP: [f64; 2] = [1.0, 0.51];
/// Error bounds of [`tan`].
pub(super) const TAN_ULP: [f64; 2] = [1.0, 0.51];

/// S in `sin r = r + r·z·S(z)`, z = r² <= (π/4)², constant term first:
/// degree-6 Chebyshev fit (`fit_coefficients.py`), absolute error < 1e-17
/// (< 2^-59 relative to sin r).
const SIN_S: [f64; 7] = [
    -0.16666666666666666,
    0.008333333333333331,
    -0.00019841269841265065,
    2.7557319219339167e-06,
    -2.5052106232447578e-08,
    1.6058531618986147e-10,
    -7.586697117706918e-13,
];

/// C in `cos r = 1 - z/2 + z²·C(z)`, z = r² <= (π/4)²: degree-5 Chebyshev
/// fit, absolute error < 3e-18.
const COS_C: [f64; 6] = [
    0.041666666666666664,
    -0.0013888888888887398,
    2.480158729876569e-05,
    -2.7557317271729793e-07,
    2.08761462684032e-09,
    -1.1382632425521717e-11,
];

/// sin(r + r_lo) as an unevaluated sum `(hi, lo)`, for |r| <= π/4.
#[inline(always)]
fn sin_parts(r: f64, r_lo: f64) -> (f64, f64) {
    let z = r * r;
    // sin(r + δ) = sin r + δ·cos r, and cos r = 1 - z/2 to the needed accuracy.
    (
        r,
        (r * z).mul_add(poly(z, &SIN_S), r_lo.mul_add(-0.5 * z, r_lo)),
    )
}

/// cos(r + r_lo) as an unevaluated sum `(hi, lo)`, for |r| <= π/4.
#[inline(always)]
fn cos_parts(r: f64, r_lo: f64) -> (f64, f64) {
    let z = r * r;
    let z_lo = r.mul_add(r, -z);
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    // (1 - w) - hz is the rounding error of w, exactly.
    let tail = (z * z).mul_add(poly(z, &COS_C), -r.mul_add(r_lo, 0.5 * z_lo));
    (w, ((1.0 - w) - hz) + tail)
}

/// sin of x shifted by `quarter` quarter turns, from x's reduction: the
/// shared body of sin and cos.
#[inline(always)]
fn sin_quadrant(x: f64, quarter: i64, (r, r_lo, k): (f64, f64, i64)) -> f64 {
    let q = k.wrapping_add(quarter);
    let (s_hi, s_lo) = sin_parts(r, r_lo);
    let (c_hi, c_lo) = cos_parts(r, r_lo);
    let odd = q & 1 == 1;
    let y = select(odd, c_hi, s_hi) + select(odd, c_lo, s_lo);
    let y = select(q & 2 == 2, -y, y);
    select(x.is_finite(), y, f64::NAN)
}

/// Taylor coefficients of S in `sin r = r + r·z·S(z)` up to r^11: for
/// |r| <= π/4 + 2^-50 the truncation is < 2^-36 relative, enough for f32
/// results (which [`sin_single`] serves).
const SIN_S_SINGLE: [f64; 5] = [
    -1.0 / 6.0,
    1.0 / 120.0,
    -1.0 / 5040.0,
    1.0 / 362880.0,
    -1.0 / 39916800.0,
];

/// Taylor coefficients of C in `cos r = 1 - z/2 + z²·C(z)` up to r^10:
/// truncation < 2^-33 relative for |r| <= π/4 + 2^-50.
const COS_C_SINGLE: [f64; 4] = [1.0 / 24.0, -1.0 / 720.0, 1.0 / 40320.0, -1.0 / 3628800.0];

/// `(sin r, cos r)` to ~2^-33 relative, for results rounded to f32: the
/// shorter polynomials, and no low parts.
#[inline(always)]
fn sin_cos_single(r: f64) -> (f64, f64) {
    let z = r * r;
    let s = (r * z).mul_add(poly(z, &SIN_S_SINGLE), r);
    let c = (z * z).mul_add(poly(z, &COS_C_SINGLE), (-0.5f64).mul_add(z, 1.0));
    (s, c)
}

/// [`sin_quadrant`] to ~2^-33 relative, for results rounded to f32.
#[inline(always)]
fn sin_quadrant_single(x: f64, quarter: i64, (r, _, k): (f64, f64, i64)) -> f64 {
    let q = k.wrapping_add(quarter);
    let (s, c) = sin_cos_single(r);
    let y = select(q & 1 == 1, c, s);
    let y = select(q & 2 == 2, -y, y);
    select(x.is_finite(), y, f64::NAN)
}

/// Sine for f32 lanes (computed in f64 to ~2^-33, rounded once: error
/// <= 0.51 ulp); as [`sin`] otherwise.
#[inline(always)]
fn sin_single<const ANY: bool>(x: f64) -> f64 {
    select(x == 0.0, x, sin_quadrant_single(x, 0, reduced::<ANY>(x)))
}

/// Cosine for f32 lanes, as [`sin_single`].
#[inline(always)]
fn cos_single<const ANY: bool>(x: f64) -> f64 {
    sin_quadrant_single(x, 1, reduced::<ANY>(x))
}

/// Tangent for f32 lanes: sin/cos (or -cos/sin in odd quadrants) of the
/// shorter polynomials, ~2^-32 relative; as [`tan`] otherwise.
#[inline(always)]
fn tan_single<const ANY: bool>(x: f64) -> f64 {
    let (r, _, k) = reduced::<ANY>(x);
    let (s, c) = sin_cos_single(r);
    let odd = k & 1 == 1;
    let y = select(odd, -c, s) / select(odd, s, c);
    select(x == 0.0, x, select(x.is_finite(), y, f64::NAN))
}

/// x's reduction: by Cody–Waite only (right for |x| <= `LIMIT`), or, with
/// `ANY`, by the method that fits x (right for every finite x).
#[inline(always)]
fn reduced<const ANY: bool>(x: f64) -> (f64, f64, i64) {
    if ANY {
        reduce_any(x)
    } else {
        reduce(x)
    }
}

/// Sine. Error <= 1 ulp (f64) and <= 0.51 ulp (f32) on every finite x
/// (with `ANY`; else for |x| <= `LIMIT`). Keeps the sign of ±0; NaN for
/// ±inf.
#[inline(always)]
pub(super) fn sin<const ANY: bool>(x: f64) -> f64 {
    select(x == 0.0, x, sin_quadrant(x, 0, reduced::<ANY>(x)))
}

/// Cosine. Error <= 1 ulp (f64) and <= 0.51 ulp (f32), as [`sin`]; NaN
/// for ±inf.
#[inline(always)]
pub(super) fn cos<const ANY: bool>(x: f64) -> f64 {
    sin_quadrant(x, 1, reduced::<ANY>(x))
}

/// Tangent. Error <= 1 ulp (f64) and <= 0.51 ulp (f32), as [`sin`]. Keeps
/// the sign of ±0; NaN for ±inf.
#[inline(always)]
pub(super) fn tan<const ANY: bool>(x: f64) -> f64 {
    let (r, r_lo, k) = reduced::<ANY>(x);
    let (s_hi, s_lo) = sin_parts(r, r_lo);
    let (c_hi, c_lo) = cos_parts(r, r_lo);
    // tan = sin/cos in even quadrants and -cos/sin in odd ones; the quotient
    // is corrected for its rounding and the operands' low parts (after
    // renormalizing, so that those are below an ulp of the high parts).
    let odd = k & 1 == 1;
    let (n_hi, n_lo) = fast_two_sum(select(odd, c_hi, s_hi), select(odd, c_lo, s_lo));
    let (d_hi, d_lo) = fast_two_sum(select(odd, s_hi, c_hi), select(odd, s_lo, c_lo));
    let t = n_hi / d_hi;
    let t_lo = (t.mul_add(-d_hi, n_hi) + t.mul_add(-d_lo, n_lo)) / d_hi;
    let y = t + t_lo;
    let y = select(odd, -y, y);
    select(x == 0.0, x, select(x.is_finite(), y, f64::NAN))
}

/// Whether any lane is beyond Cody–Waite's range (a vectorizable scan).
#[inline(always)]
fn any_large<T: Copy + Into<f64>>(x: &[T; CHUNK]) -> bool {
    x.iter()
        .fold(false, |any, &v| any | (v.into().abs() > LIMIT))
}

/// Chunk kernels for a trigonometric routine (`f64 lane, f32 lane =>
/// kernels`): a pass with Cody–Waite's
/// reduction, then, if some lane needs it, a pass reducing each lane by the
/// method that fits it. Both passes are inlined into the dispatch level's
/// entry, so both are vectorized for it.
macro_rules! trig_kernels {
    ($($lane:ident, $single:ident => $f64:ident, $f32:ident;)*) => {$(
        #[doc = concat!("[`", stringify!($lane), "`] over a chunk of f64 lanes.")]
        #[inline(always)]
        pub(super) fn $f64(x: &[f64; CHUNK], out: &mut [f64; CHUNK]) {
            for (o, &v) in out.iter_mut().zip(x) {
                *o = $lane::<false>(v);
            }
            if any_large(x) {
                for (o, &v) in out.iter_mut().zip(x) {
                    *o = $lane::<true>(v);
                }
            }
        }

        #[doc = concat!("[`", stringify!($lane), "`] over a chunk of f32 lanes.")]
        #[inline(always)]
        pub(super) fn $f32(x: &[f32; CHUNK], out: &mut [f32; CHUNK]) {
            for (o, &v) in out.iter_mut().zip(x) {
                *o = $single::<false>(f64::from(v)) as f32;
            }
            if any_large(x) {
                for (o, &v) in out.iter_mut().zip(x) {
                    *o = $single::<true>(f64::from(v)) as f32;
                }
            }
        }
    )*};
}

trig_kernels! {
    sin, sin_single => sin_f64, sin_f32;
    cos, cos_single => cos_f64, cos_f32;
    tan, tan_single => tan_f64, tan_f32;
}
