//! `atan`, `atan2`, `asin` and `acos`.
//!
//! `atan2(y, x)` folds the plane onto the octant 0 <= a <= b (a, b the
//! smaller and larger of |x|, |y|), reduces a/b once more to
//! |t| <= tan(π/8) (t = (a - b)/(a + b) above it, adding π/4), and unfolds:
//! the angle is `K·π/4 ± atan(t)` for an integer K in 0..=4. The quotient
//! t carries a correction for its rounding, so the result is accurate even
//! though a/b is not exact. `atan(x)` is `atan2(x, 1)`.
//!
//! `asin` and `acos` use one polynomial for asin on [0, 1/2], directly for
//! |x| <= 1/2 and, above, through `asin x = π/2 - 2·asin(√((1 - x)/2))`
//! with the square root carried to double precision.

use super::lane::{fast_two_sum, poly, select, two_sum};
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};

/// Error bounds in ulps, as `[f64, f32]`: [`atan`].
pub(super) const ATAN_ULP: [f64; 2] = [1.0, 0.51];
/// Error bounds of [`atan2`].
pub(super) const ATAN2_ULP: [f64; 2] = [1.0, 0.51];
/// Error bounds of [`asin`].
pub(super) const ASIN_ULP: [f64; 2] = [1.0, 0.51];
/// Error bounds of [`acos`].
pub(super) const ACOS_ULP: [f64; 2] = [1.0, 0.51];

/// A in `atan t = t + t·z·A(z)`, z = t² <= tan²(π/8), constant term first:
/// degree-10 Chebyshev fit (`fit_coefficients.py`), absolute error < 5e-17
/// (< 2^-57 relative to atan t).
const ATAN_A: [f64; 11] = [
    -0.3333333333333333,
    0.1999999999999552,
    -0.14285714284666542,
    0.11111111015256361,
    -0.09090904578123903,
    0.07692183190826087,
    -0.06664511447381948,
    0.0585814891280221,
    -0.0508544973794026,
    0.03923165829558719,
    -0.01917688711906226,
];

/// P in `asin t = t + t·z·P(z)`, z = t² <= 1/4: degree-14 Chebyshev fit,
/// absolute error < 1e-17 (< 2^-58 relative to asin t).
const ASIN_P: [f64; 15] = [
    0.16666666666666666,
    0.07499999999999991,
    0.0446428571428834,
    0.030381944441363808,
    0.02237215927967998,
    0.017352757477819787,
    0.013965009932053607,
    0.011549086612987425,
    0.009792751320201996,
    0.008135829925501657,
    0.00879500607648843,
    0.000380853033290726,
    0.022553563638202982,
    -0.024020544918554605,
    0.030718768995191097,
];

/// tan(π/8) = √2 - 1, the reduction threshold.
const TAN_PI_8: f64 = 0.41421356237309503;
/// π/4 - FRAC_PI_4.
const PI_4_LO: f64 = 3.061616997868383e-17;
/// π/2 - FRAC_PI_2.
const PI_2_LO: f64 = 6.123233995736766e-17;
/// π - PI.
const PI_LO: f64 = 1.2246467991473532e-16;

/// Four-quadrant inverse tangent of y/x, as C99 `atan2`. Error <= 1 ulp
/// (f64) and <= 0.51 ulp (f32).
#[inline(always)]
pub(super) fn atan2(y: f64, x: f64) -> f64 {
    let (ay, ax) = (y.abs(), x.abs());
    let swap = ay > ax;
    let (a, b) = (select(swap, ax, ay), select(swap, ay, ax));
    // Infinities: both → the diagonal (a = b), only b → the axis (a = 0).
    let b_inf = b == f64::INFINITY;
    let (a, b) = (
        select(b_inf, select(a == f64::INFINITY, 1.0, 0.0), a),
        select(b_inf, 1.0, b),
    );
    // Keep a + b finite and a/b's low part normal; powers of two are exact.
    let s = select(
        b > 1e300,
        2f64.powi(-600),
        select(b < 1e-270, 2f64.powi(600), 1.0),
    );
    let (a, b) = (a * s, b * s);
    // t = n/d with n = a, d = b below tan(π/8), else n = a - b, d = a + b;
    // both formed exactly as hi + lo, the quotient corrected to ~2^-104.
    let beyond = a > TAN_PI_8 * b;
    let (n, n_lo) = two_sum(a, -b);
    let (d, d_lo) = two_sum(a, b);
    let (n, n_lo) = (select(beyond, n, a), select(beyond, n_lo, 0.0));
    let (d, d_lo) = (select(beyond, d, b), select(beyond, d_lo, 0.0));
    let t = n / d;
    let t_lo = (t.mul_add(-d, n) + t.mul_add(-d_lo, n_lo)) / d;
    // atan(t + t_lo) = t + t·z·A(z) + t_lo/(1 + z) to ~2^-60 relative.
    let z = t * t;
    let tail = (t * z).mul_add(poly(z, &ATAN_A), t_lo.mul_add(-z, t_lo));
    // Unfold: angle = K·π/4 + σ·atan(t).
    let k = select(beyond, 1.0, 0.0);
    let (k, sigma) = (select(swap, 2.0 - k, k), select(swap, -1.0, 1.0));
    let negative_x = x.is_sign_negative();
    let (k, sigma) = (
        select(negative_x, 4.0 - k, k),
        select(negative_x, -sigma, sigma),
    );
    let c = k * FRAC_PI_4;
    let c_lo = k.mul_add(FRAC_PI_4, -c) + k * PI_4_LO;
    let (h, e) = fast_two_sum(c, sigma * t);
    let angle = h + (e + sigma.mul_add(tail, c_lo));
    // y = ±0 (where a = b = 0 is possible): 0 or π by the sign of x.
    let angle = select(y == 0.0, select(negative_x, PI, 0.0), angle);
    select(x.is_nan() || y.is_nan(), x + y, angle.copysign(y))
}

/// Inverse tangent. Error <= 1 ulp (f64) and <= 0.51 ulp (f32). Keeps the
/// sign of ±0; ±π/2 at ±inf.
#[inline(always)]
pub(super) fn atan(x: f64) -> f64 {
    atan2(x, 1.0)
}

/// `(s, v)` with `s = √w` rounded and `asin(√w) = s + v` to ~2^-60, for
/// 0 <= w <= 1/4: the shared part of asin and acos above 1/2.
#[inline(always)]
fn asin_of_root(w: f64) -> (f64, f64) {
    let s = w.sqrt();
    let s_lo = select(s > 0.0, s.mul_add(-s, w) / (2.0 * s), 0.0);
    // asin'(s) = 1/√(1 - w) ≈ 1 + w/2 suffices for the tiny s_lo.
    let tail = (s * w).mul_add(poly(w, &ASIN_P), s_lo.mul_add(0.5 * w, s_lo));
    (s, tail)
}

/// Inverse sine. Error <= 1 ulp (f64) and <= 0.51 ulp (f32). Keeps the
/// sign of ±0; NaN outside [-1, 1].
#[inline(always)]
pub(super) fn asin(x: f64) -> f64 {
    let a = x.abs();
    let z = a * a;
    let small = (a * z).mul_add(poly(z, &ASIN_P), a);
    // a > 1/2: π/2 - 2·asin(s), s = √((1 - a)/2); 1 - a is exact.
    let (s, tail) = asin_of_root(0.5 * (1.0 - a));
    let (h, e) = fast_two_sum(FRAC_PI_2, -2.0 * s);
    let large = h + (e + (-2.0f64).mul_add(tail, PI_2_LO));
    select(a <= 0.5, small, large).copysign(x)
}

/// Inverse cosine. Error <= 1 ulp (f64) and <= 0.51 ulp (f32). NaN
/// outside [-1, 1].
#[inline(always)]
pub(super) fn acos(x: f64) -> f64 {
    let a = x.abs();
    let z = a * a;
    // |x| <= 1/2: π/2 - asin x.
    let (h, e) = fast_two_sum(FRAC_PI_2, -x);
    let middle = h + (e + (-x * z).mul_add(poly(z, &ASIN_P), PI_2_LO));
    // x > 1/2: 2·asin(s); x < -1/2: π - 2·asin(s); s = √((1 - |x|)/2).
    let (s, tail) = asin_of_root(0.5 * (1.0 - a));
    let right = 2.0 * s + 2.0 * tail;
    let (h, e) = fast_two_sum(PI, -2.0 * s);
    let left = h + (e + (-2.0f64).mul_add(tail, PI_LO));
    select(a <= 0.5, middle, select(x > 0.0, right, left))
}

super::lane::chunk_kernels! {
    atan => atan_f64, atan_f32;
    asin => asin_f64, asin_f32;
    acos => acos_f64, acos_f32;
    atan2(y, x) => atan2_f64, atan2_f32;
}
