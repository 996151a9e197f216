//! Accuracy tests: every routine and dtype over 10^6 points spread across
//! its domain, plus the edge cases, against a reference.
//!
//! Reference: for f64, Rust `std` (the C library, itself up to 1 ulp or
//! more from the exact value, and far more for some huge trig arguments),
//! so the measured error is "ulps from the C library" and the f64 bound is
//! the stated one plus [`LIBM_SLACK`]; for erf, which `std` lacks, a
//! double-double evaluation (`erf_reference`). For f32, the f64 reference
//! before rounding, so the measured error is within 2^-29 ulp of the true
//! one. The bounds against exact values are checked by `oracle_tests`.
//! Every level this CPU supports must also give the same bits as the
//! dispatched one.

use super::dispatch::Level;
use super::*;

/// What the C library's own error may add to a routine's f64 bound.
const LIBM_SLACK: f64 = 1.0;

/// Points per function and dtype.
const POINTS: usize = 1_000_000;
/// How many of them are also run on every other dispatch level.
const LEVEL_POINTS: usize = 100_000;

/// Inputs every unary routine is checked on: zeros, infinities, NaN,
/// subnormals, the extremes of the normal range.
const EDGES: [f64; 14] = [
    0.0,
    -0.0,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    5e-324,
    -5e-324,
    2.225_073_858_507_201e-308, // the largest subnormal
    -1e-310,
    f64::MIN_POSITIVE,
    f64::MAX,
    f64::MIN,
    1.0,
    -1.0,
];

/// splitmix64: a small, fixed-seed generator so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// One part of a test domain.
#[derive(Clone, Copy)]
enum Piece {
    /// Magnitudes log-uniform in [lo, hi], each sign half the time.
    Log(f64, f64),
    /// Magnitudes log-uniform in [lo, hi], positive only.
    LogPositive(f64, f64),
    /// Uniform in [lo, hi].
    Uniform(f64, f64),
    /// Within a relative distance `spread` of `at`.
    Near(f64, f64),
    /// Within `spread` of `k·step`, k uniform in [-max_k, max_k].
    NearMultiple(f64, f64, f64),
}

/// `n` points drawn evenly from the pieces, then the edge cases.
fn points(pieces: &[Piece], n: usize, rng: &mut Rng) -> Vec<f64> {
    let mut xs = Vec::with_capacity(n + EDGES.len());
    for (i, piece) in pieces.iter().enumerate() {
        let count = n * (i + 1) / pieces.len() - n * i / pieces.len();
        for _ in 0..count {
            let u = rng.unit();
            let x = match *piece {
                Piece::Log(lo, hi) | Piece::LogPositive(lo, hi) => {
                    let m = (lo.ln() + u * (hi.ln() - lo.ln())).exp();
                    let negative = matches!(piece, Piece::Log(..)) && rng.next() & 1 == 1;
                    if negative {
                        -m
                    } else {
                        m
                    }
                }
                Piece::Uniform(lo, hi) => lo + u * (hi - lo),
                Piece::Near(at, spread) => at * (1.0 + spread * (2.0 * u - 1.0)),
                Piece::NearMultiple(step, max_k, spread) => {
                    let k = (u * (2.0 * max_k + 1.0)).floor() - max_k;
                    k * step + spread * (2.0 * rng.unit() - 1.0)
                }
            };
            xs.push(x);
        }
    }
    xs.extend_from_slice(&EDGES);
    xs
}

/// Distance from `got` to `want` in ulps of `want` at precision `mantissa`
/// bits (53 or 24) with the subnormal spacing 2^`min_exponent`; infinite
/// when the two disagree on NaN, infinity, or the sign of a zero.
fn ulp_error(got: f64, want: f64, mantissa: i32, min_exponent: i32) -> f64 {
    if want.is_nan() || got.is_nan() {
        return if want.is_nan() && got.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if want.is_infinite() || got.is_infinite() {
        return if got == want { 0.0 } else { f64::INFINITY };
    }
    if want == 0.0 && got == 0.0 {
        let same_sign = want.is_sign_negative() == got.is_sign_negative();
        return if same_sign { 0.0 } else { f64::INFINITY };
    }
    if got == want {
        return 0.0;
    }
    let exponent = if want == 0.0 {
        min_exponent
    } else {
        (want.abs().log2().floor() as i32 - (mantissa - 1)).max(min_exponent)
    };
    (got - want).abs() / power_of_two(exponent)
}

/// 2^`exponent`, for -1074 <= exponent <= 1023 (`powi` goes through
/// 2^-exponent, which overflows below -1023).
fn power_of_two(exponent: i32) -> f64 {
    if exponent >= -1022 {
        f64::from_bits(((exponent + 1023) as u64) << 52)
    } else {
        f64::from_bits(1 << (exponent + 1074))
    }
}

/// The largest error over a set of points, and where it happened.
#[derive(Debug, Default)]
struct Worst {
    ulps: f64,
    x: f64,
    y: f64,
    got: f64,
    want: f64,
}

impl Worst {
    fn update(&mut self, ulps: f64, x: f64, y: f64, got: f64, want: f64) {
        if ulps > self.ulps || (ulps.is_nan() && !self.ulps.is_nan()) {
            *self = Worst {
                ulps,
                x,
                y,
                got,
                want,
            };
        }
    }

    fn assert_within(&self, what: &str, bound: f64) {
        println!("{what}: max {:.3} ulp (bound {bound})", self.ulps);
        assert!(
            self.ulps <= bound,
            "{what}: {} ulp at x = {:e}, y = {:e}: got {:e}, want {:e}",
            self.ulps,
            self.x,
            self.y,
            self.got,
            self.want
        );
    }
}

/// Asserts every supported level computes exactly `expected` for `x`.
fn assert_levels_agree_unary<T: Copy + Default + PartialEq>(
    op: UnaryOp,
    dtype: DType,
    x: &[T],
    expected: &[T],
    bits: impl Fn(T) -> u64,
) {
    for level in Level::supported() {
        let entry = level
            .unary(op, dtype)
            .expect("every level has every routine");
        let mut out = vec![T::default(); x.len()];
        // SAFETY: both buffers hold x.len() elements of the entry's dtype.
        unsafe { entry(x.as_ptr().cast(), out.as_mut_ptr().cast(), x.len()) };
        for i in 0..x.len() {
            let (a, b) = (bits(out[i]), bits(expected[i]));
            // NaNs may differ in payload only.
            let both_nan = a & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000
                && b & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000;
            assert!(
                a == b || both_nan,
                "{} {dtype} at {level:?}: element {i} differs",
                op.name()
            );
        }
    }
}

/// Checks a unary routine for f64 on `pieces64` and for f32 on `pieces32`
/// against `reference`, and that all levels agree.
fn check_unary(op: UnaryOp, reference: fn(f64) -> f64, pieces64: &[Piece], pieces32: &[Piece]) {
    let error64 = |x: f64, got: f64| {
        let want = reference(x);
        (ulp_error(got, want, 53, -1074), want)
    };
    check_unary_with(op, error64, reference, pieces64, pieces32);
}

/// [`check_unary`] with the f64 error measured by `error64(x, got)`, which
/// returns the ulps and the reference value.
fn check_unary_with(
    op: UnaryOp,
    error64: impl Fn(f64, f64) -> (f64, f64),
    reference: fn(f64) -> f64,
    pieces64: &[Piece],
    pieces32: &[Piece],
) {
    let mut rng = Rng(op as u64 + 1);
    let xs = points(pieces64, POINTS, &mut rng);
    let mut out = vec![0.0; xs.len()];
    unary_f64(op, &xs, &mut out);
    let mut worst = Worst::default();
    for (&x, &got) in xs.iter().zip(&out) {
        let (ulps, want) = error64(x, got);
        worst.update(ulps, x, 0.0, got, want);
    }
    worst.assert_within(
        &format!("{} f64", op.name()),
        max_ulp_error(op, DType::F64) + LIBM_SLACK,
    );
    let n = LEVEL_POINTS.min(xs.len());
    assert_levels_agree_unary(op, DType::F64, &xs[..n], &out[..n], f64::to_bits);

    let xs: Vec<f32> = points(pieces32, POINTS, &mut rng)
        .into_iter()
        .map(|x| x as f32)
        .collect();
    let mut out = vec![0.0f32; xs.len()];
    unary_f32(op, &xs, &mut out);
    let mut worst = Worst::default();
    for (&x, &got) in xs.iter().zip(&out) {
        let want = reference(f64::from(x));
        let ulps = if (want as f32).is_infinite() {
            // Beyond f32's range: only the rounded result is defined.
            ulp_error(f64::from(got), f64::from(want as f32), 24, -149)
        } else {
            ulp_error(f64::from(got), want, 24, -149)
        };
        worst.update(ulps, f64::from(x), 0.0, f64::from(got), want);
    }
    worst.assert_within(&format!("{} f32", op.name()), max_ulp_error(op, DType::F32));
    let n = LEVEL_POINTS.min(xs.len());
    assert_levels_agree_unary(op, DType::F32, &xs[..n], &out[..n], |v| {
        // Widening keeps NaN-ness in the check's NaN test.
        f64::from(v).to_bits()
    });
}

use std::f64::consts::FRAC_PI_2;
use Piece::{Log, LogPositive, Near, NearMultiple, Uniform};

#[test]
fn exp() {
    check_unary(
        UnaryOp::Exp,
        f64::exp,
        &[
            Log(1e-300, 800.0),
            Uniform(-745.2, 709.8),
            Near(709.78, 1e-4),
            Near(-745.13, 1e-4),
            Near(-708.4, 1e-3),
            Uniform(-1.0, 1.0),
        ],
        &[
            Log(1e-40, 120.0),
            Uniform(-104.0, 88.8),
            Near(88.72, 1e-3),
            Near(-103.97, 1e-3),
            Uniform(-1.0, 1.0),
        ],
    );
}

#[test]
fn exp2() {
    check_unary(
        UnaryOp::Exp2,
        f64::exp2,
        &[
            Log(1e-300, 1100.0),
            Uniform(-1075.0, 1024.0),
            Near(1024.0, 1e-4),
            Near(-1074.0, 1e-4),
            Uniform(-1.0, 1.0),
        ],
        &[
            Log(1e-40, 160.0),
            Uniform(-150.0, 128.0),
            Uniform(-1.0, 1.0),
        ],
    );
}

#[test]
fn expm1() {
    check_unary(
        UnaryOp::Expm1,
        f64::exp_m1,
        &[
            Log(1e-300, 800.0),
            Log(1e-10, 1.0),
            Uniform(-40.0, 709.8),
            Near(709.78, 1e-4),
            Uniform(-1.0, 1.0),
        ],
        &[Log(1e-40, 120.0), Uniform(-20.0, 88.8), Uniform(-1.0, 1.0)],
    );
}

#[test]
fn log() {
    check_unary(
        UnaryOp::Log,
        f64::ln,
        &[
            LogPositive(1e-320, 1e308),
            Uniform(0.5, 2.0),
            Near(1.0, 1e-6),
            Log(1e-10, 1e10),
        ],
        &[
            LogPositive(1e-45, 3e38),
            Uniform(0.5, 2.0),
            Near(1.0, 1e-5),
            Log(1e-10, 1e10),
        ],
    );
}

#[test]
fn log2() {
    check_unary(
        UnaryOp::Log2,
        f64::log2,
        &[
            LogPositive(1e-320, 1e308),
            Uniform(0.5, 2.0),
            Near(1.0, 1e-6),
            Log(1e-10, 1e10),
        ],
        &[
            LogPositive(1e-45, 3e38),
            Uniform(0.5, 2.0),
            Near(1.0, 1e-5),
            Log(1e-10, 1e10),
        ],
    );
}

#[test]
fn log1p() {
    check_unary(
        UnaryOp::Log1p,
        f64::ln_1p,
        &[
            LogPositive(1e-320, 1e308),
            Log(1e-300, 1.0),
            Uniform(-1.0, 1.0),
            Near(-1.0, 1e-10),
            Uniform(-0.3, 0.42),
        ],
        &[
            LogPositive(1e-45, 3e38),
            Log(1e-40, 1.0),
            Uniform(-1.0, 1.0),
            Near(-1.0, 1e-6),
        ],
    );
}

#[test]
fn lengths_that_are_not_whole_chunks_and_in_place_use() {
    for n in [0, 1, 63, 64, 65, 1000] {
        let x: Vec<f64> = (0..n).map(|i| i as f64 * 0.37 - 5.0).collect();
        let mut out = vec![0.0; n];
        unary_f64(UnaryOp::Exp, &x, &mut out);
        let entry = unary_entry(UnaryOp::Exp, DType::F64).expect("exp exists");
        let mut in_place = x.clone();
        // SAFETY: one buffer of n f64s used as both input and output, which
        // the entry contract allows.
        unsafe { entry(in_place.as_ptr().cast(), in_place.as_mut_ptr().cast(), n) };
        assert_eq!(out, in_place);
        for (&v, &y) in x.iter().zip(&out) {
            assert!(ulp_error(y, v.exp(), 53, -1074) <= 1.0);
        }
    }
}

#[test]
fn api_lists_exactly_the_transcendentals() {
    for &op in UnaryOp::ALL {
        let provided = is_vector_math(op);
        assert_eq!(provided, unary_entry(op, DType::F64).is_some(), "{op:?}");
        assert_eq!(provided, unary_entry(op, DType::F32).is_some(), "{op:?}");
        assert!(unary_entry(op, DType::I64).is_none());
        assert_eq!(provided, !max_ulp_error(op, DType::F64).is_nan());
    }
    for &op in BinaryOp::ALL {
        let provided = is_vector_math(op);
        assert_eq!(provided, binary_entry(op, DType::F64).is_some(), "{op:?}");
        assert_eq!(provided, binary_entry(op, DType::F32).is_some(), "{op:?}");
    }
    assert_eq!(
        UnaryOp::ALL
            .iter()
            .filter(|&&op| is_vector_math(op))
            .count(),
        16
    );
    assert_eq!(
        BinaryOp::ALL
            .iter()
            .filter(|&&op| is_vector_math(op))
            .count(),
        2
    );
}

/// Trigonometric test domain: everywhere, the vector path's range, and
/// close to multiples of π/2 (where reduction cancels most).
const TRIG64: [Piece; 6] = [
    Log(1e-300, 1e300),
    Log(1e-3, 1048576.0),
    Uniform(-10.0, 10.0),
    NearMultiple(FRAC_PI_2, 8.0, 1e-6),
    NearMultiple(FRAC_PI_2, 600_000.0, 1e-3),
    Uniform(-1048576.0, 1048576.0),
];
/// The f32 trigonometric domain.
const TRIG32: [Piece; 4] = [
    Log(1e-40, 3e38),
    Log(1e-3, 1048576.0),
    Uniform(-10.0, 10.0),
    NearMultiple(FRAC_PI_2, 8.0, 1e-3),
];

#[test]
fn sin() {
    check_unary(UnaryOp::Sin, f64::sin, &TRIG64, &TRIG32);
}

#[test]
fn cos() {
    check_unary(UnaryOp::Cos, f64::cos, &TRIG64, &TRIG32);
}

#[test]
fn tan() {
    check_unary(UnaryOp::Tan, f64::tan, &TRIG64, &TRIG32);
}

#[test]
fn sinh() {
    check_unary(
        UnaryOp::Sinh,
        f64::sinh,
        &[
            Log(1e-300, 800.0),
            Uniform(-3.0, 3.0),
            Near(710.47, 1e-4),
            Uniform(-30.0, 30.0),
        ],
        &[Log(1e-40, 100.0), Uniform(-3.0, 3.0), Near(89.41, 1e-3)],
    );
}

#[test]
fn cosh() {
    check_unary(
        UnaryOp::Cosh,
        f64::cosh,
        &[
            Log(1e-300, 800.0),
            Uniform(-3.0, 3.0),
            Near(710.47, 1e-4),
            Uniform(-30.0, 30.0),
        ],
        &[Log(1e-40, 100.0), Uniform(-3.0, 3.0), Near(89.41, 1e-3)],
    );
}

#[test]
fn tanh() {
    check_unary(
        UnaryOp::Tanh,
        f64::tanh,
        &[
            Log(1e-300, 1e3),
            Uniform(-3.0, 3.0),
            Uniform(-25.0, 25.0),
            Near(1.0, 1e-3),
        ],
        &[Log(1e-40, 1e3), Uniform(-3.0, 3.0), Uniform(-12.0, 12.0)],
    );
}

#[test]
fn atan() {
    check_unary(
        UnaryOp::Atan,
        f64::atan,
        &[
            Log(1e-300, 1e300),
            Uniform(-3.0, 3.0),
            Near(TAN_PI_8, 1e-3),
            Near(1.0, 1e-3),
        ],
        &[Log(1e-40, 3e38), Uniform(-3.0, 3.0), Near(TAN_PI_8, 1e-3)],
    );
}

#[test]
fn asin() {
    check_unary(
        UnaryOp::Asin,
        f64::asin,
        &[
            Log(1e-300, 1.0),
            Uniform(-1.0, 1.0),
            Near(0.5, 1e-3),
            Near(1.0, 1e-6),
            Log(0.9, 1.1),
        ],
        &[
            Log(1e-40, 1.0),
            Uniform(-1.0, 1.0),
            Near(1.0, 1e-4),
            Log(0.9, 1.1),
        ],
    );
}

#[test]
fn acos() {
    check_unary(
        UnaryOp::Acos,
        f64::acos,
        &[
            Log(1e-300, 1.0),
            Uniform(-1.0, 1.0),
            Near(0.5, 1e-3),
            Near(-1.0, 1e-6),
            Near(1.0, 1e-9),
        ],
        &[
            Log(1e-40, 1.0),
            Uniform(-1.0, 1.0),
            Near(1.0, 1e-4),
            Near(-1.0, 1e-4),
        ],
    );
}

/// The error of erf's f64 result `got` at `x` in ulps of the exact value
/// (the double-double reference), and the reference rounded to f64.
fn erf_error(x: f64, got: f64) -> (f64, f64) {
    if x.is_nan() || x.is_infinite() || x == 0.0 {
        let want = if x.is_infinite() { x.signum() } else { x };
        return (ulp_error(got, want, 53, -1074), want);
    }
    // Below 2^-60, erf(x) = 2x/√π to 2^-120. Scaled by 2^600, subnormal
    // results and their spacing become normal numbers, and `got` scales
    // exactly.
    let tiny = x.abs() < power_of_two(-60);
    let scale = if tiny { power_of_two(600) } else { 1.0 };
    let exact = if tiny {
        erf_reference::TWO_OVER_SQRT_PI.mul(erf_reference::DoubleDouble::new(x * scale, 0.0))
    } else {
        erf_reference::erf(x)
    };
    // The ulp of the exact value: of hi, one binade lower when hi is a
    // power of two and the exact value lies below it.
    let magnitude = exact.hi.abs() / scale;
    let mut exponent = magnitude.log2().floor() as i32;
    if magnitude == power_of_two(exponent) && exact.lo * exact.hi < 0.0 {
        exponent -= 1;
    }
    let ulp = power_of_two((exponent - 52).max(-1074)) * scale;
    let ulps = ((got * scale - exact.hi) - exact.lo).abs() / ulp;
    (ulps, exact.hi / scale)
}

/// erf's reference rounded to f64, for the f32 check.
fn erf_reference_f64(x: f64) -> f64 {
    erf_error(x, 0.0).1
}

#[test]
fn erf() {
    check_unary_with(
        UnaryOp::Erf,
        erf_error,
        erf_reference_f64,
        &[
            Log(5e-324, 1e-5),
            Log(1e-5, 30.0),
            Uniform(-1.5, 1.5),
            Near(0.875, 0.05),
            Uniform(-6.5, 6.5),
            Near(5.92, 1e-2),
            Log(1.0, 1e300),
        ],
        &[
            Log(1e-45, 1e-3),
            Log(1e-3, 10.0),
            Uniform(-1.5, 1.5),
            Near(0.875, 0.05),
            Uniform(-4.5, 4.5),
            Log(1.0, 3e38),
        ],
    );
}

#[test]
fn erf_special_values() {
    let cases: [(f64, f64); 10] = [
        (0.0, 0.0),
        (-0.0, -0.0),
        (f64::INFINITY, 1.0),
        (f64::NEG_INFINITY, -1.0),
        (5.9216, 1.0),
        (-5.9216, -1.0),
        (-30.0, -1.0),
        (f64::MAX, 1.0),
        // Subnormal: 2x/√π rounded once (here far from a tie, so the
        // product with 2/√π rounded to f64 rounds the same).
        (5e-324, 5e-324),
        (-1e-310, -1e-310 * std::f64::consts::FRAC_2_SQRT_PI),
    ];
    let (x, want): (Vec<f64>, Vec<f64>) = cases.iter().copied().unzip();
    let mut got = vec![0.0; x.len()];
    unary_f64(UnaryOp::Erf, &x, &mut got);
    for i in 0..x.len() {
        assert_eq!(got[i].to_bits(), want[i].to_bits(), "erf({:e})", x[i]);
    }
    let mut nan = [0.0];
    unary_f64(UnaryOp::Erf, &[f64::NAN], &mut nan);
    assert!(nan[0].is_nan());

    let x32 = [
        0.0f32,
        -0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        4.0,
        -1e-45,
        f32::NAN,
    ];
    let want32 = [0.0f32, -0.0, 1.0, -1.0, 1.0, -1e-45];
    let mut got32 = [0.0f32; 7];
    unary_f32(UnaryOp::Erf, &x32, &mut got32);
    for i in 0..want32.len() {
        assert_eq!(got32[i].to_bits(), want32[i].to_bits(), "erf({:e})", x32[i]);
    }
    assert!(got32[6].is_nan());
}

/// tan(π/8), where atan's reduction switches.
const TAN_PI_8: f64 = 0.41421356237309503;

/// Checks a binary routine on pairs of points, as [`check_unary`].
fn check_binary(
    op: BinaryOp,
    reference: fn(f64, f64) -> f64,
    pairs64: &[(f64, f64)],
    pairs32: &[(f32, f32)],
) {
    let (a, b): (Vec<f64>, Vec<f64>) = pairs64.iter().copied().unzip();
    let mut out = vec![0.0; a.len()];
    binary_f64(op, &a, &b, &mut out);
    let mut worst = Worst::default();
    for i in 0..a.len() {
        let want = reference(a[i], b[i]);
        worst.update(ulp_error(out[i], want, 53, -1074), a[i], b[i], out[i], want);
    }
    worst.assert_within(
        &format!("{} f64", op.name()),
        max_ulp_error(op, DType::F64) + LIBM_SLACK,
    );
    let n = LEVEL_POINTS.min(a.len());
    for level in Level::supported() {
        let entry = level
            .binary(op, DType::F64)
            .expect("every level has every routine");
        let mut other = vec![0.0f64; n];
        // SAFETY: three buffers of n f64s.
        unsafe {
            entry(
                a.as_ptr().cast(),
                b.as_ptr().cast(),
                other.as_mut_ptr().cast(),
                n,
            )
        };
        for i in 0..n {
            let same =
                other[i].to_bits() == out[i].to_bits() || (other[i].is_nan() && out[i].is_nan());
            assert!(same, "{} f64 at {level:?}: element {i} differs", op.name());
        }
    }

    let (a, b): (Vec<f32>, Vec<f32>) = pairs32.iter().copied().unzip();
    let mut out = vec![0.0f32; a.len()];
    binary_f32(op, &a, &b, &mut out);
    let mut worst = Worst::default();
    for i in 0..a.len() {
        let want = reference(f64::from(a[i]), f64::from(b[i]));
        let ulps = if (want as f32).is_infinite() {
            ulp_error(f64::from(out[i]), f64::from(want as f32), 24, -149)
        } else {
            ulp_error(f64::from(out[i]), want, 24, -149)
        };
        worst.update(
            ulps,
            f64::from(a[i]),
            f64::from(b[i]),
            f64::from(out[i]),
            want,
        );
    }
    worst.assert_within(&format!("{} f32", op.name()), max_ulp_error(op, DType::F32));
    for level in Level::supported() {
        let entry = level
            .binary(op, DType::F32)
            .expect("every level has every routine");
        let mut other = vec![0.0f32; n];
        // SAFETY: three buffers of n f32s.
        unsafe {
            entry(
                a.as_ptr().cast(),
                b.as_ptr().cast(),
                other.as_mut_ptr().cast(),
                n,
            )
        };
        for i in 0..n {
            let same =
                other[i].to_bits() == out[i].to_bits() || (other[i].is_nan() && out[i].is_nan());
            assert!(same, "{} f32 at {level:?}: element {i} differs", op.name());
        }
    }
}

/// Every pair of two point sets' elements, zipped after shuffling the second.
fn pairs(a: Vec<f64>, mut b: Vec<f64>, rng: &mut Rng) -> Vec<(f64, f64)> {
    for i in (1..b.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        b.swap(i, j);
    }
    a.into_iter().zip(b).collect()
}

/// The values C99 gives special rules for, as both operands.
const SPECIAL_OPERANDS: [f64; 15] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -0.5,
    2.0,
    -2.0,
    3.0,
    -3.0,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    5e-324,
    1e300,
];

/// All pairs of the special operands.
fn special_pairs() -> Vec<(f64, f64)> {
    SPECIAL_OPERANDS
        .iter()
        .flat_map(|&a| SPECIAL_OPERANDS.iter().map(move |&b| (a, b)))
        .collect()
}

#[test]
fn atan2() {
    let mut rng = Rng(1000);
    let wide = [Log(1e-300, 1e300)];
    let mut p64 = pairs(
        points(&wide, POINTS / 2, &mut rng),
        points(&wide, POINTS / 2, &mut rng),
        &mut rng,
    );
    let near = [Log(0.1, 10.0)];
    p64.extend(pairs(
        points(&near, POINTS / 2, &mut rng),
        points(&near, POINTS / 2, &mut rng),
        &mut rng,
    ));
    p64.extend(special_pairs());
    let wide32 = [Log(1e-40, 3e38)];
    let mut p32 = pairs(
        points(&wide32, POINTS / 2, &mut rng),
        points(&wide32, POINTS / 2, &mut rng),
        &mut rng,
    );
    p32.extend(pairs(
        points(&near, POINTS / 2, &mut rng),
        points(&near, POINTS / 2, &mut rng),
        &mut rng,
    ));
    p32.extend(special_pairs());
    let p32: Vec<(f32, f32)> = p32.into_iter().map(|(a, b)| (a as f32, b as f32)).collect();
    check_binary(BinaryOp::Atan2, f64::atan2, &p64, &p32);
}

#[test]
fn pow() {
    let mut rng = Rng(2000);
    let mut p64 = Vec::new();
    // Moderate bases and exponents, results across the whole range.
    p64.extend(pairs(
        points(&[LogPositive(1e-10, 1e10)], POINTS / 4, &mut rng),
        points(&[Uniform(-30.0, 30.0)], POINTS / 4, &mut rng),
        &mut rng,
    ));
    // Bases near 1 with huge exponents, where ln x must be most accurate.
    p64.extend(pairs(
        points(&[Near(1.0, 1e-3)], POINTS / 4, &mut rng),
        points(&[Log(1.0, 5e5)], POINTS / 4, &mut rng),
        &mut rng,
    ));
    // Any base, exponents putting the result near overflow or underflow.
    for _ in 0..POINTS / 4 {
        let x = (rng.unit() * 1400.0 - 700.0).exp();
        let target = if rng.next() & 1 == 0 { 700.0 } else { -740.0 } + 10.0 * rng.unit();
        p64.push((x, target / x.ln()));
    }
    // Negative bases with integer exponents.
    for _ in 0..POINTS / 4 {
        let x = -(rng.unit() * 40.0 - 20.0).exp();
        p64.push((x, (rng.unit() * 200.0 - 100.0).round()));
    }
    p64.extend(special_pairs());
    let mut p32 = Vec::new();
    p32.extend(pairs(
        points(&[LogPositive(1e-5, 1e5)], POINTS / 2, &mut rng),
        points(&[Uniform(-10.0, 10.0)], POINTS / 2, &mut rng),
        &mut rng,
    ));
    for _ in 0..POINTS / 2 {
        let x = -(rng.unit() * 10.0 - 5.0).exp();
        p32.push((x, (rng.unit() * 40.0 - 20.0).round()));
    }
    p32.extend(special_pairs());
    let p32: Vec<(f32, f32)> = p32.into_iter().map(|(a, b)| (a as f32, b as f32)).collect();
    check_binary(BinaryOp::Pow, f64::powf, &p64, &p32);
}

#[test]
fn pow_exact_cases() {
    let cases = [
        (2.0, 10.0, 1024.0),
        (3.0, 2.0, 9.0),
        (10.0, -2.0, 0.01),
        (-2.0, 3.0, -8.0),
        (0.5, 1074.0, 5e-324),
        (2.0, 1023.0, 8.98846567431158e307),
    ];
    let (a, b): (Vec<f64>, Vec<f64>) = cases.iter().map(|&(a, b, _)| (a, b)).unzip();
    let mut out = vec![0.0; cases.len()];
    binary_f64(BinaryOp::Pow, &a, &b, &mut out);
    for (i, &(x, y, want)) in cases.iter().enumerate() {
        assert_eq!(out[i], want, "pow({x}, {y})");
    }
}

#[test]
fn exp_fast_chunks_give_the_general_bits() {
    // Chunks whose lanes are all within ±708 take a shorter path; it must
    // agree with the general one bit for bit.
    let mut rng = Rng(77);
    let xs: Vec<f64> = (0..64 * 500)
        .map(|i| {
            let u = rng.unit();
            if i % 3 == 0 {
                (u - 0.5) * 1416.0
            } else {
                (u - 0.5) * 4.0
            }
        })
        .collect();
    let mut out = vec![0.0; xs.len()];
    unary_f64(UnaryOp::Exp, &xs, &mut out);
    for (&x, &y) in xs.iter().zip(&out) {
        assert_eq!(y.to_bits(), super::exp::exp(x).to_bits(), "exp({x:e})");
    }
}
