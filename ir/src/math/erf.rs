//! The error function, which `std` lacks: W. J. Cody's rational Chebyshev
//! approximations ("Rational Chebyshev approximations for the error
//! function", Math. Comp. 1969; the CALERF routine of netlib's specfun),
//! accurate to a few ulps in double precision.

// The coefficients are written as Cody published them (18 digits), so they
// can be checked against the paper; the compiler rounds them to f64.
#![allow(clippy::excessive_precision)]

/// `erf(x) = 2/sqrt(pi) * integral from 0 to x of exp(-t^2) dt`.
pub fn erf(x: f64) -> f64 {
    let y = x.abs();
    if y <= THRESHOLD {
        return x * small(y);
    }
    // Here `erfc(|x|)` is computed and erf = 1 - erfc, with the sign of x.
    // NaN falls through to `large`, which keeps it NaN.
    let complement = if y <= 4.0 { middle(y) } else { large(y) };
    let magnitude = (0.5 - complement) + 0.5;
    if x < 0.0 {
        -magnitude
    } else {
        magnitude
    }
}

/// Below this, erf is a rational function of x² times x.
const THRESHOLD: f64 = 0.46875;

/// `erf(y) / y` for `|y| <= 0.46875`.
fn small(y: f64) -> f64 {
    const A: [f64; 5] = [
        3.161_123_743_870_565_6,
        1.138_641_541_510_501_56e2,
        3.774_852_376_853_020_21e2,
        3.209_377_589_138_469_47e3,
        1.857_777_061_846_031_53e-1,
    ];
    const B: [f64; 4] = [
        2.360_129_095_234_412_09e1,
        2.440_246_379_344_441_73e2,
        1.282_616_526_077_372_28e3,
        2.844_236_833_439_170_62e3,
    ];
    // Below 2^-53, y² would only add rounding noise (and may underflow).
    let ysq = if y > 1.11e-16 { y * y } else { 0.0 };
    let mut num = A[4] * ysq;
    let mut den = ysq;
    for (a, b) in A[..3].iter().zip(&B[..3]) {
        num = (num + a) * ysq;
        den = (den + b) * ysq;
    }
    (num + A[3]) / (den + B[3])
}

/// `erfc(y)` for `0.46875 < y <= 4`.
fn middle(y: f64) -> f64 {
    const C: [f64; 9] = [
        5.641_884_969_886_700_89e-1,
        8.883_149_794_388_375_94,
        6.611_919_063_714_162_95e1,
        2.986_351_381_974_001_31e2,
        8.819_522_212_417_690_90e2,
        1.712_047_612_634_070_58e3,
        2.051_078_377_826_071_47e3,
        1.230_339_354_797_997_25e3,
        2.153_115_354_744_038_46e-8,
    ];
    const D: [f64; 8] = [
        1.574_492_611_070_983_47e1,
        1.176_939_508_913_124_99e2,
        5.371_811_018_620_098_58e2,
        1.621_389_574_566_690_19e3,
        3.290_799_235_733_459_63e3,
        4.362_619_090_143_247_16e3,
        3.439_367_674_143_721_64e3,
        1.230_339_354_803_749_42e3,
    ];
    let mut num = C[8] * y;
    let mut den = y;
    for (c, d) in C[..7].iter().zip(&D[..7]) {
        num = (num + c) * y;
        den = (den + d) * y;
    }
    (num + C[7]) / (den + D[7]) * exp_minus_square(y)
}

/// `erfc(y)` for `y > 4` (and NaN).
fn large(y: f64) -> f64 {
    const P: [f64; 6] = [
        3.053_266_349_612_323_44e-1,
        3.603_448_999_498_044_39e-1,
        1.257_817_261_112_292_46e-1,
        1.608_378_514_874_227_66e-2,
        6.587_491_615_298_378_03e-4,
        1.631_538_713_730_209_78e-2,
    ];
    const Q: [f64; 5] = [
        2.568_520_192_289_822_42,
        1.872_952_849_923_460_47,
        5.279_051_029_514_284_12e-1,
        6.051_834_131_244_131_91e-2,
        2.335_204_976_268_691_85e-3,
    ];
    /// 1 / sqrt(pi).
    const FRAC_1_SQRT_PI: f64 = 0.564_189_583_547_756_286_95;
    /// erfc underflows to 0 beyond this.
    const BIG: f64 = 26.543;
    if y >= BIG {
        return 0.0;
    }
    let ysq = 1.0 / (y * y);
    let mut num = P[5] * ysq;
    let mut den = ysq;
    for (p, q) in P[..4].iter().zip(&Q[..4]) {
        num = (num + p) * ysq;
        den = (den + q) * ysq;
    }
    let tail = ysq * (num + P[4]) / (den + Q[4]);
    (FRAC_1_SQRT_PI - tail) / y * exp_minus_square(y)
}

/// `exp(-y²)`, with y² split as `s² + (y-s)(y+s)` where `s` is `y` cut to
/// 4 fractional bits, so the rounding error of y² is not magnified by exp.
fn exp_minus_square(y: f64) -> f64 {
    let s = (y * 16.0).trunc() / 16.0;
    let del = (y - s) * (y + s);
    (-s * s).exp() * (-del).exp()
}

#[cfg(test)]
mod tests {
    use super::erf;

    #[test]
    fn matches_reference_values() {
        // Python's math.erf (correctly rounded to within an ulp).
        let cases = [
            (0.1, 0.1124629160182849),
            (0.5, 0.5204998778130465),
            (1.0, 0.8427007929497149),
            (2.0, 0.9953222650189527),
            (3.5, 0.9999992569016276),
            (5.0, 0.9999999999984626),
            (-0.3, -0.3286267594591274),
            (1e-20, 1.1283791670955126e-20),
        ];
        for (x, expected) in cases {
            let got = erf(x);
            assert!(
                (got - expected).abs() <= 4.0 * f64::EPSILON * expected.abs(),
                "erf({x}) = {got}, expected {expected}"
            );
        }
    }

    #[test]
    fn edge_cases() {
        assert_eq!(erf(0.0), 0.0);
        assert!(erf(-0.0).is_sign_negative());
        assert_eq!(erf(f64::INFINITY), 1.0);
        assert_eq!(erf(f64::NEG_INFINITY), -1.0);
        assert_eq!(erf(30.0), 1.0);
        assert!(erf(f64::NAN).is_nan());
    }
}
