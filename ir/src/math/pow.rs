//! `pow`, as C99's.
//!
//! `x^y = e^(y·ln|x|)` with ln|x| carried as a double-double accurate to
//! ~2^-68 relative (so that even |y·ln x| near 745 loses < 0.1 ulp), the
//! product formed exactly with a fused multiply-add, and the exponential
//! taking the low part as a correction. Signs, integer exponents and C99's
//! special cases are selects around that one path.

use super::exp::{exp_split, LN2, LN2_LO};
use super::lane::{fast_two_sum, poly, scale, select, two_sum};
use super::log::{split, LOG_R};

/// Error bounds in ulps, as `[f64, f32]`: [`pow`].
pub(super) const POW_ULP: [f64; 2] = [1.0, 0.51];

/// 2/3 rounded, the leading coefficient of `LOG_R`...
const TWO_THIRDS: f64 = LOG_R[0];
/// ... and the rest of 2/3, which the plain fit's rounding loses.
const TWO_THIRDS_LO: f64 = 3.700743415417188e-17;
/// `LOG_R` without its constant term: `R(z) = 2/3 + z·R2(z)`.
const LOG_R2: [f64; 7] = [
    LOG_R[1], LOG_R[2], LOG_R[3], LOG_R[4], LOG_R[5], LOG_R[6], LOG_R[7],
];

/// `(hi, lo)` with `x = hi + lo` exactly, `hi = fl(a·b)`.
#[inline(always)]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

/// ln(x) for positive finite x as `(hi, lo)`, relative error ~2^-68.
#[inline(always)]
fn log_dd(x: f64) -> (f64, f64) {
    let (k, f) = split(x);
    // s = f/(2 + f) as s + s_lo.
    let (d, d_lo) = two_sum(2.0, f);
    let s = f / d;
    let s_lo = (s.mul_add(-d, f) - s * d_lo) / d;
    // ln(1 + f) = 2s + (2/3)s³ + s·z²·R2(z), z = s²; the cubic term, ~1% of
    // the total, in double-double, the rest (~2^-12 of it) plainly.
    let (z, z_lo) = two_prod(s, s);
    let (c, c_lo) = two_prod(s, z);
    let c_lo = c_lo + s.mul_add(z_lo, 3.0 * z * s_lo);
    let (t, t_lo) = two_prod(c, TWO_THIRDS);
    let t_lo = t_lo + c.mul_add(TWO_THIRDS_LO, c_lo * TWO_THIRDS);
    let rest = (s * z * z).mul_add(poly(z, &LOG_R2), 2.0 * s_lo + t_lo);
    let (h, e) = fast_two_sum(2.0 * s, t);
    // + k·ln2, exact as a product and summed with one rounding.
    let (kl, kl_lo) = two_prod(k, LN2);
    let (hi, e2) = fast_two_sum(kl, h);
    // Renormalized: `rest` is not below an ulp of hi, and exp_split wants
    // a small low part.
    fast_two_sum(hi, e2 + (e + rest) + k.mul_add(LN2_LO, kl_lo))
}

/// Whether y is an integer, and whether an odd one, from its bits.
#[inline(always)]
fn integer_kind(y: f64) -> (bool, bool) {
    let bits = y.to_bits();
    // |y| = m·2^e with m the 53-bit significand.
    let e = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let m = (bits & 0x000f_ffff_ffff_ffff) | (1 << 52);
    let shift = (-e).clamp(0, 63) as u64;
    let fraction = m & ((1u64 << shift) - 1);
    let in_range = e >= -52;
    let is_int = y == 0.0 || e >= 1 || (in_range && fraction == 0);
    let is_odd = in_range && e <= 0 && fraction == 0 && (m >> shift) & 1 == 1;
    (is_int, is_odd)
}

/// `x^y`, as C99 `pow` (and Rust's `powf`) including every special case:
/// `pow(x, ±0) = 1` and `pow(1, y) = 1` even for NaN, `pow(-1, ±inf) = 1`,
/// NaN for negative finite x and non-integer y, signed zeros and
/// infinities for ±0 and ±inf bases. Error <= 1 ulp (f64) and
/// <= 0.51 ulp (f32).
#[inline(always)]
pub(super) fn pow(x: f64, y: f64) -> f64 {
    let ax = x.abs();
    let (l, l_lo) = log_dd(ax);
    let w = y * l;
    let w_lo = y.mul_add(l, -w) + y * l_lo;
    let (p, k) = exp_split(w, w_lo);
    let magnitude = scale(p, k);
    // Bases 0 and inf: 0 or inf by whether y's sign flips the direction.
    let edge = ax == 0.0 || ax == f64::INFINITY;
    let edge_value = select((ax == 0.0) == (y < 0.0), f64::INFINITY, 0.0);
    let magnitude = select(edge, edge_value, magnitude);
    let magnitude = select(x == -1.0 && y.is_infinite(), 1.0, magnitude);
    let (is_int, is_odd) = integer_kind(y);
    let value = select(x.is_sign_negative() && is_odd, -magnitude, magnitude);
    let value = select(x < 0.0 && x.is_finite() && !is_int, f64::NAN, value);
    let value = select(x.is_nan() || y.is_nan(), x + y, value);
    // The exponents the optimizer rewrites (`x*x`, `1/x`, `x`) are exact
    // here, so `pow(x, 2)` and its rewrite agree bit for bit.
    let value = select(y == 2.0, x * x, value);
    let value = select(y == -1.0, 1.0 / x, value);
    let value = select(y == 1.0, x, value);
    select(y == 0.0 || x == 1.0, 1.0, value)
}

super::lane::chunk_kernels! {
    pow(x, y) => pow_f64, pow_f32;
}
