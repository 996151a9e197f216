//! Every routine, in both dtypes and on every dispatch level this CPU has,
//! against correctly rounded references computed by mpmath at 200 bits
//! (`oracle/generate.py` wrote the fixtures beside this file; no Python at
//! test time): an oracle independent of the C library. The points are
//! uniform and log-uniform samples of each domain, each routine's hard
//! cases (for trig, the doubles nearest to multiples of π/2 in every binade
//! and the hardest-to-reduce double) and the IEEE special values. Each
//! routine must stay within its stated bound ([`max_ulp_error`]) and every
//! level must give the same bits.

use super::dispatch::Level;
use super::*;

/// A fixture: little-endian f64s, `width` to a record.
fn records(bytes: &[u8], width: usize) -> Vec<Vec<f64>> {
    let values: Vec<f64> = bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
        .collect();
    assert_eq!(values.len() % width, 0, "a fixture holds whole records");
    values.chunks_exact(width).map(<[f64]>::to_vec).collect()
}

/// 2^`exponent`, for -1074 <= exponent <= 1023.
fn power_of_two(exponent: i32) -> f64 {
    if exponent >= -1022 {
        f64::from_bits(((exponent + 1023) as u64) << 52)
    } else {
        f64::from_bits(1 << (exponent + 1074))
    }
}

/// The distance from `got` to the exact value `hi + lo` (hi its rounding
/// to the format of `mantissa` bits whose smallest spacing is
/// 2^`min_exponent`, lo the rest) in units in the last place of the exact
/// value. Infinite when the two disagree on NaN, infinity, or the sign of a
/// zero.
fn ulps(got: f64, hi: f64, lo: f64, mantissa: i32, min_exponent: i32) -> f64 {
    if hi.is_nan() || got.is_nan() {
        return if hi.is_nan() && got.is_nan() {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if hi.is_infinite() || got.is_infinite() {
        return if got == hi { 0.0 } else { f64::INFINITY };
    }
    if hi == 0.0 && got == 0.0 {
        let same_sign = hi.is_sign_negative() == got.is_sign_negative();
        return if same_sign { 0.0 } else { f64::INFINITY };
    }
    let mut exponent = if hi == 0.0 {
        min_exponent
    } else {
        hi.abs().log2().floor() as i32 - (mantissa - 1)
    };
    // Just below a power of two the spacing is half.
    if hi != 0.0 && hi.abs() == power_of_two(exponent + mantissa - 1) && lo * hi < 0.0 {
        exponent -= 1;
    }
    ((got - hi) - lo).abs() / power_of_two(exponent.max(min_exponent))
}

/// The worst error seen, and where.
#[derive(Debug, Default)]
struct Worst {
    ulps: f64,
    at: Vec<f64>,
    got: f64,
}

impl Worst {
    fn update(&mut self, ulps: f64, at: &[f64], got: f64) {
        if ulps > self.ulps || (ulps.is_nan() && !self.ulps.is_nan()) {
            *self = Worst {
                ulps,
                at: at.to_vec(),
                got,
            };
        }
    }
}

/// `op` on f64 `inputs` (one slice per operand) through `level`'s entry.
fn run_f64(level: Level, op: Routine, inputs: &[Vec<f64>]) -> Vec<f64> {
    let n = inputs[0].len();
    let mut out = vec![0.0; n];
    // SAFETY: every buffer holds n f64s.
    unsafe {
        match op {
            Routine::Unary(op) => level.unary(op, DType::F64).expect("every level has it")(
                inputs[0].as_ptr().cast(),
                out.as_mut_ptr().cast(),
                n,
            ),
            Routine::Binary(op) => level.binary(op, DType::F64).expect("every level has it")(
                inputs[0].as_ptr().cast(),
                inputs[1].as_ptr().cast(),
                out.as_mut_ptr().cast(),
                n,
            ),
        }
    }
    out
}

/// `op` on f32 `inputs` through `level`'s entry, widened.
fn run_f32(level: Level, op: Routine, inputs: &[Vec<f64>]) -> Vec<f64> {
    let inputs: Vec<Vec<f32>> = inputs
        .iter()
        .map(|v| v.iter().map(|&x| x as f32).collect())
        .collect();
    let n = inputs[0].len();
    let mut out = vec![0.0f32; n];
    // SAFETY: every buffer holds n f32s.
    unsafe {
        match op {
            Routine::Unary(op) => level.unary(op, DType::F32).expect("every level has it")(
                inputs[0].as_ptr().cast(),
                out.as_mut_ptr().cast(),
                n,
            ),
            Routine::Binary(op) => level.binary(op, DType::F32).expect("every level has it")(
                inputs[0].as_ptr().cast(),
                inputs[1].as_ptr().cast(),
                out.as_mut_ptr().cast(),
                n,
            ),
        }
    }
    out.into_iter().map(f64::from).collect()
}

/// A unary or binary routine.
#[derive(Clone, Copy)]
enum Routine {
    Unary(UnaryOp),
    Binary(BinaryOp),
}

impl Routine {
    fn arity(self) -> usize {
        match self {
            Routine::Unary(_) => 1,
            Routine::Binary(_) => 2,
        }
    }

    fn bound(self, dtype: DType) -> f64 {
        match self {
            Routine::Unary(op) => max_ulp_error(op, dtype),
            Routine::Binary(op) => max_ulp_error(op, dtype),
        }
    }
}

/// Measures `op` against its two fixtures on every level; returns the worst
/// error `[f64, f32]` after asserting it is within the stated bounds.
fn check(name: &str, op: Routine, f64_bytes: &[u8], f32_bytes: &[u8]) -> [f64; 2] {
    let arity = op.arity();
    let mut worst_of = [0.0; 2];
    for (slot, dtype, bytes) in [(0, DType::F64, f64_bytes), (1, DType::F32, f32_bytes)] {
        let width = arity + if dtype == DType::F64 { 2 } else { 1 };
        let rows = records(bytes, width);
        let inputs: Vec<Vec<f64>> = (0..arity)
            .map(|j| rows.iter().map(|r| r[j]).collect())
            .collect();
        let mut first: Option<Vec<f64>> = None;
        for level in Level::supported() {
            let out = if dtype == DType::F64 {
                run_f64(level, op, &inputs)
            } else {
                run_f32(level, op, &inputs)
            };
            let mut worst = Worst::default();
            for (row, &got) in rows.iter().zip(&out) {
                let error = if dtype == DType::F64 {
                    ulps(got, row[arity], row[arity + 1], 53, -1074)
                } else {
                    let want = row[arity];
                    let rounded = want as f32;
                    if rounded.is_infinite() {
                        // Beyond f32's range only the rounded result counts.
                        ulps(got, f64::from(rounded), 0.0, 24, -149)
                    } else {
                        ulps(got, want, 0.0, 24, -149)
                    }
                };
                worst.update(error, &row[..arity], got);
            }
            let bound = op.bound(dtype);
            assert!(
                worst.ulps <= bound,
                "{name} {dtype} at {level:?}: {} ulp (bound {bound}) at {:?}, got {:e}",
                worst.ulps,
                worst.at,
                worst.got
            );
            worst_of[slot] = worst.ulps;
            match &first {
                None => first = Some(out),
                Some(expected) => {
                    for (i, (a, b)) in out.iter().zip(expected).enumerate() {
                        assert!(
                            a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                            "{name} {dtype} at {level:?} differs at {:?}",
                            rows[i]
                        );
                    }
                }
            }
        }
    }
    println!(
        "{name}: max {:.3} ulp (f64), {:.3} ulp (f32)",
        worst_of[0], worst_of[1]
    );
    worst_of
}

/// One test per routine, reading its fixtures.
macro_rules! oracle_tests {
    ($($name:ident => $routine:expr;)*) => {$(
        #[test]
        fn $name() {
            check(
                stringify!($name),
                $routine,
                include_bytes!(concat!("oracle/", stringify!($name), "_f64.bin")),
                include_bytes!(concat!("oracle/", stringify!($name), "_f32.bin")),
            );
        }
    )*};
}

oracle_tests! {
    exp => Routine::Unary(UnaryOp::Exp);
    expm1 => Routine::Unary(UnaryOp::Expm1);
    exp2 => Routine::Unary(UnaryOp::Exp2);
    log => Routine::Unary(UnaryOp::Log);
    log1p => Routine::Unary(UnaryOp::Log1p);
    log2 => Routine::Unary(UnaryOp::Log2);
    sin => Routine::Unary(UnaryOp::Sin);
    cos => Routine::Unary(UnaryOp::Cos);
    tan => Routine::Unary(UnaryOp::Tan);
    tanh => Routine::Unary(UnaryOp::Tanh);
    sinh => Routine::Unary(UnaryOp::Sinh);
    cosh => Routine::Unary(UnaryOp::Cosh);
    atan => Routine::Unary(UnaryOp::Atan);
    asin => Routine::Unary(UnaryOp::Asin);
    acos => Routine::Unary(UnaryOp::Acos);
    erf => Routine::Unary(UnaryOp::Erf);
    pow => Routine::Binary(BinaryOp::Pow);
    atan2 => Routine::Binary(BinaryOp::Atan2);
}

/// The cases the issue names, by value: the hardest-to-reduce double and a
/// large argument the C library gets wrong by 2,740 ulp.
#[test]
fn trig_named_hard_cases() {
    let x = [6381956970095103.0 * 2f64.powi(797), 410195257422896.8]; // 0x1.7512069b7430dp+48
    let mut cos = [0.0; 2];
    let mut sin = [0.0; 2];
    unary_f64(UnaryOp::Cos, &x, &mut cos);
    unary_f64(UnaryOp::Sin, &x, &mut sin);
    // The exact values (mpmath, 200 bits) as hi + lo.
    assert!(
        ulps(
            cos[0],
            -4.687165924254628e-19,
            4.3720557429382733e-36,
            53,
            -1074
        ) <= 1.0
    );
    assert!(
        ulps(
            sin[1],
            3.8354547616434006e-17,
            2.184089076935513e-33,
            53,
            -1074
        ) <= 1.0
    );
}
