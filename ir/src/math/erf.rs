//! `erf`, the error function, which `std` lacks.
//!
//! Two pieces, both computed for every lane and one selected (branch-free):
//! below |x| = 7/8 a polynomial in x², above it `1 - erfc(|x|)` with
//! `erfc(x) = e^(-x²)·R(3/(3 + x))`. Near the split both pieces lose most to
//! rounding (the first one's Horner sum alternates, the second one's erfc is
//! largest, 0.22), so each carries its last steps with extra bits where that
//! is cheap. A polynomial in x would need three pieces of degree 14 for erfc
//! (`e^(x²)·erfc(x)` grows too fast off the real axis); in t = 3/(3 + x),
//! one division buys a single piece.

use super::exp::{expm1_tail, reduce};
use super::lane::{clamp, fast_two_sum, poly, pow2, select, two_sum};
use std::f64::consts::FRAC_2_SQRT_PI;

/// Error bounds in ulps, as `[f64, f32]`: [`erf`].
pub(super) const ERF_ULP: [f64; 2] = [1.0, 0.51];

/// Where the polynomial piece hands over to the erfc piece.
const SPLIT: f64 = 0.875;

/// From here on erfc(x) < 2^-54, so erf(x) rounds to 1 (it does from
/// 5.9216 on); the erfc piece clamps its argument to this.
const SATURATION: f64 = 6.0;

/// Q in `erf(x) = x + x·Q(z)`, z = x², for |x| <= 7/8 is
/// `ERF_Q0 + ERF_Q0_LO + ERF_Q1·z + z²·ERF_Q_TAIL(z)`: a degree-11 minimax
/// fit accounting for the rounding of its coefficients
/// (`fit_coefficients.py`), absolute error < 0.003·2^-53. The constant term
/// is kept in two parts: rounded, it alone would be off by up to 2^-56.
const ERF_Q0: f64 = 0.1283791670955126;
/// The rest of Q's constant term.
const ERF_Q0_LO: f64 = -1.2544141129711645e-17;
/// Q's linear coefficient.
const ERF_Q1: f64 = -0.3761263890318374;
/// Q's coefficients from z² on.
const ERF_Q_TAIL: [f64; 10] = [
    0.11283791670954449,
    -0.02686617064495834,
    0.005223977623202111,
    -0.0008548326853533471,
    0.00012055324837185619,
    -1.4925393519004824e-05,
    1.6456701752493253e-06,
    -1.62901215137447e-07,
    1.4127444407167074e-08,
    -8.677031521300094e-10,
];

/// R in `erfc(x) = e^(-x²)·R(t)`, t = 3/(3 + x), for 7/8 <= x <= 6, is
/// `ERFC_R0 + ERFC_R1·u + u²·ERFC_R_TAIL(u)` with u = t - ERFC_R_CENTER
/// (exact: t lies within a factor 2 of the center): a degree-12 minimax fit
/// of the error of `e^(-x²)·R`, i.e. of erf, accounting for the rounding of
/// its coefficients, which keeps it below 0.012·2^-53
/// (`fit_coefficients.py`). R(t) is `e^(x²)·erfc(x)`, the scaled
/// complementary error function.
const ERFC_R0: f64 = 0.21711627311807258;
/// R's linear coefficient.
const ERFC_R1: f64 = 0.7692631377772413;
/// R's coefficients from u² on.
const ERFC_R_TAIL: [f64; 11] = [
    1.1972459531713981,
    1.4709005947811729,
    1.367744617374366,
    0.8618511678481898,
    0.22657732672145672,
    -0.15745839960730715,
    -0.15495687359427135,
    0.014523281165925533,
    0.07775513443901051,
    -0.008387046982450663,
    -0.022848470602445534,
];

/// The middle of t's interval [3/9, 3/3.875].
const ERFC_R_CENTER: f64 = 0.553763440860215;

/// The error function, `2/√π·∫₀ˣ e^(-t²) dt`. Error <= 1 ulp (f64; the
/// worst just below the split) and <= 0.51 ulp (f32, computed in f64).
/// Keeps the sign of ±0, `2x/√π` rounded once for tiny and subnormal x, exactly ±1 from |x| = 5.9216 on (±inf included), NaN
/// for NaN.
#[inline(always)]
pub(super) fn erf(x: f64) -> f64 {
    let a = x.abs();
    select(a < SPLIT, small(a), large(a)).copysign(x)
}

/// erf(a) for 0 <= a < 7/8 (anything for other a).
#[inline(always)]
fn small(a: f64) -> f64 {
    // Q's final size is within [-0.1, 0.13]; its last two Horner steps would
    // each round at up to 2^-55. Summing the constant and z² parts first
    // leaves two roundings of at most 2^-56.
    let z = a * a;
    let even = (z * z).mul_add(poly(z, &ERF_Q_TAIL), ERF_Q0_LO) + ERF_Q0;
    let q = ERF_Q1.mul_add(z, even);
    // x + x·Q rounds once.
    a.mul_add(q, a)
}

/// erf(a) = 1 - erfc(a) for 7/8 <= a (anything for smaller a); NaN for NaN.
#[inline(always)]
fn large(a: f64) -> f64 {
    // Beyond SATURATION the result is 1 anyway; NaN stays NaN.
    let b = clamp(a, SPLIT, SATURATION);
    let (d, d_lo) = two_sum(3.0, b);
    let t = 3.0 / d;
    // As in `small`, R's constant and u² parts are summed first: R's last
    // Horner step would round at 2^-54·|u|, more than the others together.
    let u = t - ERFC_R_CENTER;
    let r = ERFC_R1.mul_add(u, (u * u).mul_add(poly(u, &ERFC_R_TAIL), ERFC_R0));
    // R was evaluated at the rounded t, exact for x̂ = 3/t - 3 rather than
    // b: b - x̂ = -(3 - t·(d + d_lo))/t, the residual exact by an fma, 1/t
    // taken as d/3. The rounding of t grows up to 2.6 times in R, which is
    // worth 0.9 ulp of erf at b = 7/8; the first-order correction
    // erfcx'(x̂)·(b - x̂), erfcx' = 2x·erfcx - 2/√π, removes it.
    let residual = t.mul_add(-d, 3.0) - t * d_lo;
    let shift = residual * d * (-1.0 / 3.0);
    let slope = (2.0 * b).mul_add(r, -FRAC_2_SQRT_PI);
    let r_lo = slope * shift;
    // e^(-b²) = exp_hi + exp_lo, with b² carried exactly as square +
    // square_lo (as in `exp::exp_reduced`, but not rounded to one number);
    // k >= -52, so the scaling is exact.
    let square = b * b;
    let square_lo = b.mul_add(b, -square);
    let (w, w_lo, k) = reduce(-square, -square_lo);
    let (one_plus_w, rounding) = fast_two_sum(1.0, w);
    let (p, p_lo) = fast_two_sum(one_plus_w, rounding + expm1_tail(w, w_lo));
    let (exp_hi, exp_lo) = (p * pow2(k), p_lo * pow2(k));
    // 1 - (exp_hi + exp_lo)·(r + r_lo) with one rounding at the end, so
    // neither low part is rounded into its number first (each such
    // rounding would cost up to 0.12 ulp here).
    let product = exp_hi * r;
    let product_lo = exp_hi.mul_add(r, -product);
    let (h, h_lo) = fast_two_sum(1.0, -product);
    h + (h_lo - (product_lo + exp_hi.mul_add(r_lo, exp_lo * r)))
}

super::lane::chunk_kernels! {
    erf => erf_f64, erf_f32;
}
