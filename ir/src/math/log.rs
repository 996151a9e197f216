//! `log`, `log2` and `log1p`.
//!
//! All three write the argument as `2^k·(1 + f)` with `1 + f` in
//! [√2/2, √2), and use `ln(1 + f) = 2·atanh(s)` with `s = f/(2 + f)`,
//! |s| <= 0.1716, rearranged (as in Sun's fdlibm) into
//! `f - f²/2 + s·(f²/2 + R)` where only the small correction `s·(f²/2 + R)`
//! carries the rounding error of the division and the polynomial.

use super::exp::INV_LN2;
use super::lane::{fast_two_sum, int_to_f64, poly, select, two_sum};

/// Error bounds in ulps, as `[f64, f32]`: [`log`].
pub(super) const LOG_ULP: [f64; 2] = [1.0, 0.51];
/// Error bounds of [`log2`].
pub(super) const LOG2_ULP: [f64; 2] = [1.0, 0.51];
/// Error bounds of [`log1p`].
pub(super) const LOG1P_ULP: [f64; 2] = [1.0, 0.51];

/// R in `ln((1+s)/(1-s)) = 2s + s·z·R(z)`, z = s² <= 0.02944, constant
/// term first: degree-7 Chebyshev fit (`fit_coefficients.py`), absolute
/// error < 4e-17, which moves the logarithm by < 2^-64 relative.
pub(super) const LOG_R: [f64; 8] = [
    0.6666666666666666,
    0.4000000000000088,
    0.28571428570803614,
    0.22222222391713917,
    0.18181795640132906,
    0.15386239702814658,
    0.13268773138656886,
    0.13086626147840102,
];

/// ln2 with its low 11 bits cleared, so `k·LN2_HI` is exact for |k| < 2048.
const LN2_HI: f64 = 0.6931471805598903;
/// ln2 - LN2_HI.
const LN2_SPLIT_LO: f64 = 5.497923018708371e-14;
/// 1/ln2 - INV_LN2.
const INV_LN2_LO: f64 = 2.0355273740931033e-17;
/// 2^54, to lift subnormals into the normal range.
const TWO54: f64 = 18014398509481984.0;
/// Bits of √2/2: subtracting them from x's bits puts the exponent change at
/// √2/2 instead of 1.
const SQRT_HALF_BITS: i64 = 0x3fe6_a09e_667f_3bcd;

/// Positive finite x as `(k, f)` with `x = 2^k·(1 + f)`, 1 + f in
/// [√2/2, √2); f is exact.
#[inline(always)]
pub(super) fn split(x: f64) -> (f64, f64) {
    let subnormal = x < f64::MIN_POSITIVE;
    let bits = select(subnormal, x * TWO54, x).to_bits() as i64;
    let k = bits.wrapping_sub(SQRT_HALF_BITS) >> 52;
    let m = f64::from_bits(bits.wrapping_sub(k << 52) as u64);
    (int_to_f64(k) - select(subnormal, 54.0, 0.0), m - 1.0)
}

/// The pieces of `ln(1 + f)`: `(s·(f²/2 + R), f²/2)`, so that
/// `ln(1 + f) = f - f²/2 + s·(f²/2 + R)`.
#[inline(always)]
fn log1p_parts(f: f64) -> (f64, f64) {
    let s = f / (2.0 + f);
    let z = s * s;
    let hfsq = 0.5 * (f * f);
    (s * (z.mul_add(poly(z, &LOG_R), hfsq)), hfsq)
}

/// What a logarithm of x gives outside (0, inf): -inf at 0, +inf at +inf,
/// NaN below 0 and for NaN; `inside` elsewhere.
#[inline(always)]
fn log_specials(x: f64, zero_at: f64, inside: f64) -> f64 {
    let outside = select(
        x == zero_at,
        f64::NEG_INFINITY,
        select(x == f64::INFINITY, x, f64::NAN),
    );
    select(x > zero_at && x < f64::INFINITY, inside, outside)
}

/// Natural logarithm. Error <= 1 ulp (f64) and <= 0.51 ulp (f32). Exact at 1; handles subnormals.
#[inline(always)]
pub(super) fn log(x: f64) -> f64 {
    let (k, f) = split(x);
    let (correction, hfsq) = log1p_parts(f);
    let y = k.mul_add(LN2_HI, -((hfsq - k.mul_add(LN2_SPLIT_LO, correction)) - f));
    log_specials(x, 0.0, y)
}

/// Base-2 logarithm. Error <= 1 ulp (f64) and <= 0.51 ulp (f32). Exact at
/// powers of two.
#[inline(always)]
pub(super) fn log2(x: f64) -> f64 {
    let (k, f) = split(x);
    let (correction, hfsq) = log1p_parts(f);
    // ln(1 + f) as hi + lo to ~2^-70: f - f²/2 by Fast2Sum, plus the rounding
    // of f² and the correction.
    let hfsq_lo = 0.5 * f.mul_add(f, -(f * f));
    let (hi, lo) = fast_two_sum(f, -hfsq);
    let lo = lo - hfsq_lo + correction;
    // k + (hi + lo)/ln2, summed with one final rounding.
    let p = hi * INV_LN2;
    let p_lo = hi.mul_add(INV_LN2, -p) + hi.mul_add(INV_LN2_LO, lo * INV_LN2);
    let (w, e) = fast_two_sum(k, p);
    log_specials(x, 0.0, w + (e + p_lo))
}

/// `ln(1 + x)`, accurate near 0. Error <= 1 ulp (f64) and <= 0.51 ulp
/// (f32). Keeps the sign of ±0, exact for subnormal x, -inf at -1.
#[inline(always)]
pub(super) fn log1p(x: f64) -> f64 {
    // 1 + x = u + c exactly; ln(1 + x) = ln(u) + c/u to far below an ulp.
    let (u, c) = two_sum(1.0, x);
    let (k, f) = split(u);
    let (correction, hfsq) = log1p_parts(f);
    let tail = k.mul_add(LN2_SPLIT_LO, correction + c / u);
    let y = k.mul_add(LN2_HI, -((hfsq - tail) - f));
    select(x == 0.0, x, log_specials(x, -1.0, y))
}

super::lane::chunk_kernels! {
    log => log_f64, log_f32;
    log2 => log2_f64, log2_f32;
    log1p => log1p_f64, log1p_f32;
}
