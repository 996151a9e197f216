//! Trigonometric argument reduction: x = k·π/2 + r with |r| <= π/4 (a
//! hair more for huge x), r carried as `r + r_lo`, for every finite double.
//!
//! Two methods, both branch-free and vectorizable, neither calling libm:
//!
//! - [`reduce`], Cody–Waite, for |x| <= [`LIMIT`]: π/2 in three doubles
//!   (159 bits), the products formed with fused multiply-adds, so r + r_lo
//!   is accurate to ~2^-139 absolute — enough even for the x closest to a
//!   multiple of π/2 in that range.
//! - [`reduce_large`], Payne–Hanek, for any finite x: only the bits of 2/π
//!   that matter for x's exponent are multiplied in (those that make
//!   x·2/π a multiple of 4 are skipped), 208 of them, read from a table
//!   of 2/π's bits. The fraction of x·2/π comes out accurate to ~2^-150
//!   absolute, while the closest any double gets to a multiple of π/2 is
//!   ~2^-61 (6381956970095103·2^797), so r + r_lo is always within about
//!   2^-88 relative of the exact reduced argument (2^-104 away from
//!   multiples of π/2).

use super::lane::{fast_two_sum, round_to_int, select, two_sum};

/// Largest |x| [`reduce`] handles (2^20 ≈ 1.05e6).
pub(super) const LIMIT: f64 = 1048576.0;

/// π/2 as P1 + P2 + P3, each the rounding of what the previous parts leave.
const P1: f64 = std::f64::consts::FRAC_PI_2;
/// Second part of π/2.
const P2: f64 = 6.123233995736766e-17;
/// Third part of π/2.
const P3: f64 = -1.4973849048591698e-33;

/// x = k·π/2 + r + r_lo for |x| <= [`LIMIT`] (Cody–Waite): `(r, r_lo, k)`.
#[inline(always)]
pub(super) fn reduce(x: f64) -> (f64, f64, i64) {
    let (kf, k) = round_to_int(x * std::f64::consts::FRAC_2_PI);
    // Exact: x and k·P1 are multiples of ulp(P1)/2 that agree to within π/4.
    let a = kf.mul_add(-P1, x);
    let b = kf * P2;
    let b_lo = kf.mul_add(P2, -b);
    let (t, e) = two_sum(a, -b);
    let (r, r_lo) = fast_two_sum(t, (e - b_lo) - kf * P3);
    (r, r_lo, k)
}

/// 2/π in binary, most significant bit first, after one word of zeros: bit
/// 64 of the stream is worth 2^-1 (`reduction_table.py` prints it). The
/// leading zeros let x's exponent index the stream without a special case
/// for exponents below 2.
const TWO_OVER_PI_BITS: [u64; 21] = [
    0x0000000000000000,
    0xa2f9836e4e441529,
    0xfc2757d1f534ddc0,
    0xdb6295993c439041,
    0xfe5163abdebbc561,
    0xb7246e3a424dd2e0,
    0x06492eea09d1921c,
    0xfe1deb1cb129a73e,
    0xe88235f52ebb4484,
    0xe99c7026b45f7e41,
    0x3991d639835339f4,
    0x9c845f8bbdf9283b,
    0x1ff897ffde05980f,
    0xef2f118b5a0a6d1f,
    0x6d367ecf27cb09b7,
    0x4f463f669e5fea2d,
    0x7527bac7ebe5f17b,
    0x3d0739f78a5292ea,
    0x6bfb5fb11f8d5d08,
    0x56033046fc7b6bab,
    0xf0cfbc209af4361d,
];

/// 2^52, from where on every double is an integer.
const TWO52: f64 = 4503599627370496.0;

/// The integer nearest to v, for any v (ties either way); NaN stays NaN.
#[inline(always)]
fn nearest_integer(v: f64) -> f64 {
    // v ± 2^52 lands where the spacing is 1 for |v| < 2^52; beyond, v is an
    // integer already.
    let c = TWO52.copysign(v);
    select(v.abs() < TWO52, (v + c) - c, v)
}

/// `(p, e)` with `p = fl(a·b)` and `p + e = a·b` exactly.
#[inline(always)]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

/// The 52 bits of 2/π starting at bit `position` of [`TWO_OVER_PI_BITS`]
/// (0 <= position <= 1241), as an integer-valued double.
#[inline(always)]
fn bits_at(position: u64) -> f64 {
    let word = (position >> 6) as usize;
    let shift = position & 63;
    let high = TWO_OVER_PI_BITS[word.min(19)];
    let low = TWO_OVER_PI_BITS[(word + 1).min(20)];
    // `low >> (64 - shift)` in two steps, defined for shift = 0 too.
    let bits = (high << shift) | ((low >> 1) >> (63 - shift));
    // The top 52 bits under 2^52's exponent: the integer 2^52 + chunk.
    f64::from_bits((bits >> 12) | TWO52.to_bits()) - TWO52
}

/// x = k·π/2 + r + r_lo for any finite x (Payne–Hanek): `(r, r_lo, k)`,
/// |r| <= π/4 + 2^-50. Garbage (but no panic) for NaN and ±inf.
///
/// |x| = m·2^e with m an integer below 2^53. Bits of 2/π worth 2^-j with
/// j <= e - 2 make m·2^e·2^-j a multiple of 4, a whole number of turns, so
/// the product starts at bit j0 = e - 1. Four 52-bit chunks of 2/π from
/// there, each scaled so that m times it is exact in two doubles: m·c0 is
/// below 2^55 and a multiple of 2^-50, m·c1 below 8, m·c2 below 2^-49,
/// m·c3 below 2^-101, and the bits beyond c3 weigh less than 2^-153. The
/// integer parts are taken off as they appear, so every sum but the last
/// few (of terms below 2^-100) is exact.
#[inline(always)]
pub(super) fn reduce_large(x: f64) -> (f64, f64, i64) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    // m as a double: the significand under 2^52's exponent (x is normal).
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | TWO52.to_bits());
    // Bit j0 = e - 1 of 2/π is at stream position 63 + j0, e = biased - 1075.
    let position = (biased - 1013).clamp(0, 1033) as u64;
    let c0 = bits_at(position) * f64::from_bits((1023 - 50) << 52);
    let c1 = bits_at(position + 52) * f64::from_bits((1023 - 102) << 52);
    let c2 = bits_at(position + 104) * f64::from_bits((1023 - 154) << 52);
    let c3 = bits_at(position + 156) * f64::from_bits((1023 - 206) << 52);

    // m·c0 = p0 + e0; p0's integer part n0 and p0 - n0 are exact, and so is
    // (p0 - n0) + e0 (multiples of 2^-50 below 2.5).
    let (p0, e0) = two_prod(m, c0);
    let n0 = nearest_integer(p0);
    // Only n0 mod 4 matters (n0/4 is exact, and an integer beyond 2^52).
    let quarter = nearest_integer(0.25 * n0);
    let mut turns = n0 - 4.0 * quarter;
    let g = (p0 - n0) + e0;
    let n = nearest_integer(g);
    turns += n;
    let g = g - n;
    // m·c1 = p1 + e1, p1 below 8.
    let (p1, e1) = two_prod(m, c1);
    let n = nearest_integer(p1);
    turns += n;
    let (w, w_lo) = two_sum(g, p1 - n);
    let n = nearest_integer(w);
    turns += n;
    let w = w - n;
    // The small terms, summed so that what rounds is below 2^-100 (or, when
    // w + a does not cancel, 2^-52 of the result).
    let (p2, e2) = two_prod(m, c2);
    let (a, a_lo) = two_sum(e1, p2);
    let (s, s_lo) = two_sum(w, a);
    let rest = ((w_lo + s_lo) + (a_lo + e2)) + m * c3;
    let (f, f_lo) = two_sum(s, rest);
    // r = (f + f_lo)·π/2, π/2 = P1 + P2.
    let r = f * P1;
    let r_lo = f.mul_add(P1, -r) + f.mul_add(P2, f_lo * P1);
    let (r, r_lo) = fast_two_sum(r, r_lo);
    let (_, k) = round_to_int(turns);
    let negative = x < 0.0;
    (
        select(negative, -r, r),
        select(negative, -r_lo, r_lo),
        select(negative, k.wrapping_neg(), k),
    )
}

/// [`reduce`] where it applies, else [`reduce_large`]: any finite x.
#[inline(always)]
pub(super) fn reduce_any(x: f64) -> (f64, f64, i64) {
    let (r, r_lo, k) = reduce(x);
    let (big_r, big_r_lo, big_k) = reduce_large(x);
    let large = x.abs() > LIMIT;
    (
        select(large, big_r, r),
        select(large, big_r_lo, r_lo),
        select(large, big_k, k),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Payne–Hanek agrees with Cody–Waite where both apply.
    #[test]
    fn large_reduction_matches_cody_waite_below_the_limit() {
        let mut x = 1.0;
        while x < LIMIT {
            for y in [x, -x, x * 1.2345678901234567, x * std::f64::consts::PI] {
                let (r, r_lo, k) = reduce(y);
                let (s, s_lo, j) = reduce_large(y);
                assert_eq!((k - j).rem_euclid(4), 0, "quadrant at {y}");
                // Both are double-doubles: ~2^-106 relative.
                let difference = (r - s) + (r_lo - s_lo);
                assert!(
                    difference.abs() <= 2e-31 * r.abs() + 1e-40,
                    "{y}: {r} + {r_lo} against {s} + {s_lo}"
                );
            }
            x *= 1.7;
        }
    }

    /// The table's first word is 2/π's leading bits.
    #[test]
    fn table_starts_with_two_over_pi() {
        // The top 54 bits, rounded to 53 (the bit below decides here).
        let leading = ((TWO_OVER_PI_BITS[1] >> 10) + 1) >> 1;
        let leading = leading as f64 * 2f64.powi(-53);
        assert_eq!(leading, std::f64::consts::FRAC_2_PI);
    }
}
