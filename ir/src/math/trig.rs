//! `sin`, `cos` and `tan`.
//!
//! Cody–Waite reduction: x = k·π/2 + r with |r| <= π/4, π/2 carried in
//! three doubles (159 bits) and the products formed with fused
//! multiply-adds, so r + r_lo is accurate to ~2^-139 absolute for
//! |x| <= 2^20 — enough even for the x closest to a multiple of π/2 in that
//! range. Then sine and cosine polynomials on r, picked and signed by the
//! quadrant k mod 4. Lanes with |x| > 2^20 (rare) are recomputed by a
//! scalar pass with `std`'s full Payne–Hanek reduction.

use super::lane::{fast_two_sum, poly, round_to_int, select, two_sum, CHUNK};

/// Error bounds in ulps, as `[f64, f32]`: [`sin`].
pub(super) const SIN_ULP: [f64; 2] = [1.0, 0.51];
/// Error bounds of [`cos`].
pub(super) const COS_ULP: [f64; 2] = [1.0, 0.51];
/// Error bounds of [`tan`].
pub(super) const TAN_ULP: [f64; 2] = [1.0, 0.51];

/// Largest |x| the vector path reduces (2^20 ≈ 1.05e6).
const LIMIT: f64 = 1048576.0;

/// π/2 as P1 + P2 + P3, each the rounding of what the previous parts leave.
const P1: f64 = std::f64::consts::FRAC_PI_2;
/// Second part of π/2.
const P2: f64 = 6.123233995736766e-17;
/// Third part of π/2.
const P3: f64 = -1.4973849048591698e-33;

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

/// x = k·π/2 + r + r_lo for |x| <= 2^20: `(r, r_lo, k)`.
#[inline(always)]
fn reduce(x: f64) -> (f64, f64, i64) {
    let (kf, k) = round_to_int(x * std::f64::consts::FRAC_2_PI);
    // Exact: x and k·P1 are multiples of ulp(P1)/2 that agree to within π/4.
    let a = kf.mul_add(-P1, x);
    let b = kf * P2;
    let b_lo = kf.mul_add(P2, -b);
    let (t, e) = two_sum(a, -b);
    let (r, r_lo) = fast_two_sum(t, (e - b_lo) - kf * P3);
    (r, r_lo, k)
}

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

/// sin of x shifted by `quarter` quarter turns: the shared body of sin and cos.
#[inline(always)]
fn sin_quadrant(x: f64, quarter: i64) -> f64 {
    let (r, r_lo, k) = reduce(x);
    let q = k.wrapping_add(quarter);
    let (s_hi, s_lo) = sin_parts(r, r_lo);
    let (c_hi, c_lo) = cos_parts(r, r_lo);
    let odd = q & 1 == 1;
    let y = select(odd, c_hi, s_hi) + select(odd, c_lo, s_lo);
    let y = select(q & 2 == 2, -y, y);
    select(x.is_finite(), y, f64::NAN)
}

/// Sine. Error <= 1 ulp (f64; measured against glibc) and <= 0.51 ulp
/// (f32). Keeps the sign of ±0; NaN for ±inf.
#[inline(always)]
pub(super) fn sin(x: f64) -> f64 {
    select(x == 0.0, x, sin_quadrant(x, 0))
}

/// Cosine. Error <= 1 ulp (f64) and <= 0.51 ulp (f32); NaN for ±inf.
#[inline(always)]
pub(super) fn cos(x: f64) -> f64 {
    sin_quadrant(x, 1)
}

/// Tangent. Error <= 1 ulp (f64) and <= 0.51 ulp (f32). Keeps the sign of
/// ±0; NaN for ±inf.
#[inline(always)]
pub(super) fn tan(x: f64) -> f64 {
    let (r, r_lo, k) = reduce(x);
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

/// Recomputes the lanes the vector path cannot reduce, with `std`.
#[cold]
#[inline(never)]
fn fix_huge_f64(x: &[f64; CHUNK], out: &mut [f64; CHUNK], f: fn(f64) -> f64) {
    for (o, &v) in out.iter_mut().zip(x) {
        if v.abs() > LIMIT {
            *o = f(v);
        }
    }
}

/// [`fix_huge_f64`] for f32 lanes (computed in f64).
#[cold]
#[inline(never)]
fn fix_huge_f32(x: &[f32; CHUNK], out: &mut [f32; CHUNK], f: fn(f64) -> f64) {
    for (o, &v) in out.iter_mut().zip(x) {
        if v.abs() > LIMIT as f32 {
            *o = f(f64::from(v)) as f32;
        }
    }
}

/// Whether any lane is beyond the vector path's range (a vectorizable scan).
#[inline(always)]
fn any_huge_f64(x: &[f64; CHUNK]) -> bool {
    x.iter().fold(false, |any, v| any | (v.abs() > LIMIT))
}

/// [`any_huge_f64`] for f32 lanes.
#[inline(always)]
fn any_huge_f32(x: &[f32; CHUNK]) -> bool {
    x.iter()
        .fold(false, |any, v| any | (v.abs() > LIMIT as f32))
}

/// Chunk kernels for a trigonometric routine: the vector pass, then the
/// scalar pass over huge lanes if there are any.
macro_rules! trig_kernels {
    ($($lane:ident, $std:path => $f64:ident, $f32:ident;)*) => {$(
        #[doc = concat!("[`", stringify!($lane), "`] over a chunk of f64 lanes.")]
        #[inline(always)]
        pub(super) fn $f64(x: &[f64; CHUNK], out: &mut [f64; CHUNK]) {
            for (o, &v) in out.iter_mut().zip(x) {
                *o = $lane(v);
            }
            if any_huge_f64(x) {
                fix_huge_f64(x, out, $std);
            }
        }

        #[doc = concat!("[`", stringify!($lane), "`] over a chunk of f32 lanes.")]
        #[inline(always)]
        pub(super) fn $f32(x: &[f32; CHUNK], out: &mut [f32; CHUNK]) {
            for (o, &v) in out.iter_mut().zip(x) {
                *o = $lane(f64::from(v)) as f32;
            }
            if any_huge_f32(x) {
                fix_huge_f32(x, out, $std);
            }
        }
    )*};
}

trig_kernels! {
    sin, f64::sin => sin_f64, sin_f32;
    cos, f64::cos => cos_f64, cos_f32;
    tan, f64::tan => tan_f64, tan_f32;
}
