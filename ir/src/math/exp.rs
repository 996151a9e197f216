//! `exp`, `exp2` and `expm1`.
//!
//! All three write the argument as `k·ln2 + r` with k an integer and
//! |r| <= ln2/2 (r carried as `r + r_lo` where that matters), evaluate
//! e^r - 1 by one polynomial, and multiply by 2^k in two exact steps so
//! that overflow, subnormal results and underflow each round once.

use super::lane::{clamp, fast_two_sum, poly, pow2, round_to_int, scale, select, two_sum, CHUNK};

/// Error bounds in ulps, as `[f64, f32]`: [`exp`].
pub(super) const EXP_ULP: [f64; 2] = [1.0, 0.51];
/// Error bounds of [`exp2`].
pub(super) const EXP2_ULP: [f64; 2] = [1.0, 0.51];
/// Error bounds of [`expm1`].
pub(super) const EXPM1_ULP: [f64; 2] = [1.0, 0.51];

/// Q in `e^r = 1 + r + r²·Q(r)` for |r| <= ln2/2, constant term first:
/// degree-10 Chebyshev fit (`fit_coefficients.py`), absolute error
/// < 3e-18, i.e. < 2^-61 relative to e^r.
const EXP_Q: [f64; 11] = [
    0.5,
    0.1666666666666667,
    0.04166666666666667,
    0.008333333333326141,
    0.0013888888888883752,
    0.00019841269874800493,
    2.4801587325533363e-05,
    2.7557255425746435e-06,
    2.7557273661348637e-07,
    2.510520637395701e-08,
    2.0914679376583935e-09,
];

/// 1/ln2, rounded.
pub(super) const INV_LN2: f64 = std::f64::consts::LOG2_E;
/// ln2 rounded to f64; `x - k·LN2` is exact in one `mul_add` for the k
/// that [`reduce`] picks (the difference is a multiple of 2^-54 below 1/2).
pub(super) const LN2: f64 = std::f64::consts::LN_2;
/// ln2 - LN2.
pub(super) const LN2_LO: f64 = 2.3190468138462996e-17;

/// `hi + lo` (|lo| tiny next to |hi| <= 746) as `k·ln2 + r + r_lo`, with
/// |r| <= ln2/2 + 2^-40 and r exact: `(r, r_lo, k)`.
#[inline(always)]
pub(super) fn reduce(hi: f64, lo: f64) -> (f64, f64, i64) {
    let (kf, k) = round_to_int(hi * INV_LN2);
    let r = kf.mul_add(-LN2, hi);
    let r_lo = kf.mul_add(-LN2_LO, lo);
    (r, r_lo, k)
}

/// The `t` with `e^(r + r_lo) - 1 = r + t` to about 2^-60·|r| + 2^-100,
/// for |r| <= ln2/2 and |r_lo| <= 2^-40.
#[inline(always)]
pub(super) fn expm1_tail(r: f64, r_lo: f64) -> f64 {
    // e^(r + δ) - 1 = (r + q) + δ·(1 + r + q) + O(δ²), q = r²Q(r).
    let q = (r * r) * poly(r, &EXP_Q);
    r_lo.mul_add((1.0 + r) + q, q)
}

/// `e^(r + r_lo)` for a reduced argument as an unevaluated sum `(hi, lo)`,
/// hi the rounded value.
#[inline(always)]
fn exp_reduced_parts(r: f64, r_lo: f64) -> (f64, f64) {
    let (s, e) = fast_two_sum(1.0, r);
    fast_two_sum(s, e + expm1_tail(r, r_lo))
}

/// `e^(r + r_lo)` for a reduced argument, with a single rounding at the end.
#[inline(always)]
pub(super) fn exp_reduced(r: f64, r_lo: f64) -> f64 {
    exp_reduced_parts(r, r_lo).0
}

/// `e^(hi + lo)` for |lo| <= 2^-40·max(1, |hi|): the shared core of exp,
/// pow, sinh and cosh. Overflows to +inf, underflows to 0, NaN stays
/// NaN. Also returns the split `(p, k)` with value `p·2^k`, so callers can
/// scale by one more power of two without overflowing first.
#[inline(always)]
pub(super) fn exp_split(hi: f64, lo: f64) -> (f64, i64) {
    // Beyond these e^x is 0 or, even halved, inf; k stays small enough for
    // `scale`. A clamped hi makes lo meaningless (and it may be huge or inf).
    let lo = select(hi > -746.0 && hi < 712.0, lo, 0.0);
    let hi = clamp(hi, -746.0, 712.0);
    let (r, r_lo, k) = reduce(hi, lo);
    (exp_reduced(r, r_lo), k)
}

/// `e^x` for 0 <= x <= 712 as `(hi + lo)·2^k`, hi + lo accurate to
/// ~2^-60 relative: `(hi, lo, k)`. NaN stays NaN.
#[inline(always)]
pub(super) fn exp_parts(x: f64) -> (f64, f64, i64) {
    let (r, r_lo, k) = reduce(clamp(x, 0.0, 712.0), 0.0);
    let (hi, lo) = exp_reduced_parts(r, r_lo);
    (hi, lo, k)
}

/// `e^x`. Error <= 1 ulp (f64) and <= 0.51 ulp (f32, computed in f64). Exact for x = ±0; +inf for
/// x > 709.78, 0 for x < -745.13, subnormal results rounded once.
#[inline(always)]
pub(super) fn exp(x: f64) -> f64 {
    let (p, k) = exp_split(x, 0.0);
    scale(p, k)
}

/// `2^x`. Error <= 1 ulp (f64) and <= 0.51 ulp (f32). Exact for integer
/// x in range.
#[inline(always)]
pub(super) fn exp2(x: f64) -> f64 {
    let x = clamp(x, -1080.0, 1030.0);
    let (kf, k) = round_to_int(x);
    // t = x - k is exact; t·ln2 is carried as r + r_lo.
    let t = x - kf;
    let r = t * LN2;
    let r_lo = t.mul_add(LN2, -r) + t * LN2_LO;
    scale(exp_reduced(r, r_lo), k)
}

/// `e^x - 1` as `(hi + lo)·2^k`, hi + lo accurate to ~2^-60 relative:
/// `(hi, lo, k)`. Shared by expm1 and tanh.
#[inline(always)]
pub(super) fn expm1_parts(x: f64) -> (f64, f64, i64) {
    let x = clamp(x, -40.0, 710.0);
    let (r, r_lo, k) = reduce(x, 0.0);
    // e^x - 1 = 2^k (e^r - 1 + 1 - 2^-k), and 1 - 2^-k is exact for
    // -58 <= k <= 53 (for larger k its rounding is far below an ulp).
    let u = 1.0 - pow2((-k).max(-60));
    let (s, e) = two_sum(u, r);
    (s, e + expm1_tail(r, r_lo), k)
}

/// `e^x - 1`, accurate near 0. Error <= 1 ulp (f64) and <= 0.51 ulp (f32).
/// Keeps the sign of ±0, returns x for subnormal x, -1 for x < -37.5.
#[inline(always)]
pub(super) fn expm1(x: f64) -> f64 {
    let (hi, lo, k) = expm1_parts(x);
    select(x == 0.0, x, scale(hi + lo, k))
}

/// Taylor coefficients of Q in `e^r = 1 + r + r²·Q(r)` up to r^9: for
/// |r| <= ln2/2 + 2^-40 the truncation is < 2^-37 relative, enough for f32
/// results ([`exp_single`]).
const EXP_Q_SINGLE: [f64; 8] = [
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5040.0,
    1.0 / 40320.0,
    1.0 / 362880.0,
];

/// `e^x` to ~2^-37 relative, for results rounded to f32 (error <= 0.51
/// ulp of f32): the shorter polynomial, no low parts, and one scaling (the
/// clamp keeps 2^k normal in f64). +inf and 0 beyond f32's range, NaN
/// stays NaN.
#[inline(always)]
fn exp_single(x: f64) -> f64 {
    let x = clamp(x, -104.0, 89.0);
    let (kf, k) = round_to_int(x * INV_LN2);
    // ln2 rounded to f64 costs |k|·2^-54 <= 2^-46 absolute here.
    let r = kf.mul_add(-LN2, x);
    (r * r).mul_add(poly(r, &EXP_Q_SINGLE), 1.0 + r) * pow2(k)
}

/// [`exp`] for |x| <= [`NORMAL_RANGE`]: the same bits, with 2^k built
/// directly (it is normal there, and so is the result).
#[inline(always)]
fn exp_normal(x: f64) -> f64 {
    let (r, r_lo, k) = reduce(x, 0.0);
    exp_reduced(r, r_lo) * pow2(k)
}

/// Where [`exp_normal`] applies: |k| <= 1021.
const NORMAL_RANGE: f64 = 708.0;

/// [`exp`] over a chunk of f64 lanes: by [`exp_normal`] when every lane
/// allows it (the usual case), else by [`exp`].
#[inline(always)]
pub(super) fn exp_f64(x: &[f64; CHUNK], out: &mut [f64; CHUNK]) {
    let normal = x
        .iter()
        .fold(true, |all, &v| all & (v.abs() <= NORMAL_RANGE));
    if normal {
        for (o, &v) in out.iter_mut().zip(x) {
            *o = exp_normal(v);
        }
    } else {
        for (o, &v) in out.iter_mut().zip(x) {
            *o = exp(v);
        }
    }
}

/// [`exp`] over a chunk of f32 lanes, by [`exp_single`].
#[inline(always)]
pub(super) fn exp_f32(x: &[f32; CHUNK], out: &mut [f32; CHUNK]) {
    for (o, &v) in out.iter_mut().zip(x) {
        *o = exp_single(f64::from(v)) as f32;
    }
}

super::lane::chunk_kernels! {
    exp2 => exp2_f64, exp2_f32;
    expm1 => expm1_f64, expm1_f32;
}
