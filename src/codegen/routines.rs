//! Ops that compiled kernels do not lower inline but compute a whole chunk
//! at a time by calling a Rust routine: the transcendentals (through
//! [`math_entry`]), float `floor_div`/`rem` (NumPy's `divmod`, built on
//! `fmod`, which has no Cranelift instruction) and integer `pow` (a loop per
//! element). Each routine reads `n` elements from its operand pointers and
//! writes `n` results; the generated code calls it once per chunk.

use ndjit_ir::{BinaryOp, DType, UnaryOp};

/// `f(x, out, n)`: `out[i] = op(x[i])` for `i < n`.
pub(super) type UnaryRoutine = unsafe extern "C" fn(x: *const u8, out: *mut u8, n: usize);

/// `f(a, b, out, n)`: `out[i] = op(a[i], b[i])` for `i < n`.
pub(super) type BinaryRoutine =
    unsafe extern "C" fn(a: *const u8, b: *const u8, out: *mut u8, n: usize);

/// A chunk routine applying an element function of one operand: a
/// distinct `extern "C"` function per use, so the pointer handed to
/// generated code carries no data.
macro_rules! unary {
    ($t:ty, $f:expr) => {{
        unsafe extern "C" fn routine(x: *const u8, out: *mut u8, n: usize) {
            // SAFETY: generated code passes `n` elements of `$t` at `x` and
            // room for `n` at `out` (a scratch region no operand overlaps).
            let (x, out) = unsafe {
                (
                    std::slice::from_raw_parts(x.cast::<$t>(), n),
                    std::slice::from_raw_parts_mut(out.cast::<$t>(), n),
                )
            };
            for (o, &v) in out.iter_mut().zip(x) {
                *o = $f(v);
            }
        }
        routine as UnaryRoutine
    }};
}

/// [`unary!`] for element functions of two operands.
macro_rules! binary {
    ($t:ty, $f:expr) => {{
        unsafe extern "C" fn routine(a: *const u8, b: *const u8, out: *mut u8, n: usize) {
            // SAFETY: generated code passes `n` elements of `$t` at `a` and
            // `b` and room for `n` at `out` (a scratch region no operand overlaps).
            let (a, b, out) = unsafe {
                (
                    std::slice::from_raw_parts(a.cast::<$t>(), n),
                    std::slice::from_raw_parts(b.cast::<$t>(), n),
                    std::slice::from_raw_parts_mut(out.cast::<$t>(), n),
                )
            };
            for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
                *o = $f(x, y);
            }
        }
        routine as BinaryRoutine
    }};
}

/// A chunk routine, by arity.
#[derive(Clone, Copy, Debug)]
pub(super) enum Routine {
    /// One operand.
    Unary(UnaryRoutine),
    /// Two operands.
    Binary(BinaryRoutine),
}

/// The routine computing a unary op on `dtype` chunk by chunk, or `None`
/// when the op is lowered inline.
pub(super) fn unary_routine(op: UnaryOp, dtype: DType) -> Option<Routine> {
    use UnaryOp::*;
    match op {
        Exp | Expm1 | Exp2 | Log | Log1p | Log2 | Sin | Cos | Tan | Tanh | Asin | Acos | Atan
        | Sinh | Cosh | Erf => math_entry(MathOp::Unary(op), dtype),
        Neg | Abs | Sign | Sqrt | Floor | Ceil | Round | Recip | Square | Not | IsNan
        | IsFinite => None,
    }
}

/// The routine computing a binary op on `dtype` chunk by chunk, or `None`
/// when the op is lowered inline.
pub(super) fn binary_routine(op: BinaryOp, dtype: DType) -> Option<Routine> {
    use BinaryOp::*;
    let routine: BinaryRoutine = match (op, dtype) {
        (FloorDiv, DType::F64) => binary!(f64, |a, b| divmod_f64(a, b).0),
        (FloorDiv, DType::F32) => binary!(f32, |a, b| divmod_f32(a, b).0),
        (Rem, DType::F64) => binary!(f64, |a, b| divmod_f64(a, b).1),
        (Rem, DType::F32) => binary!(f32, |a, b| divmod_f32(a, b).1),
        (Pow, DType::I64) => binary!(i64, int_power_i64),
        (Pow, DType::I32) => binary!(i32, int_power_i32),
        (Pow | Atan2, _) => return math_entry(MathOp::Binary(op), dtype),
        _ => return None,
    };
    Some(Routine::Binary(routine))
}

/// A transcendental op.
#[derive(Clone, Copy, Debug)]
enum MathOp {
    Unary(UnaryOp),
    Binary(BinaryOp),
}

/// TEMPORARY ADAPTER, replaced by `ndjit_ir::math` on merge: the chunk
/// routine of a transcendental, here a per-element loop over Rust's `std`
/// (and the C library's `erf`). On merge this becomes
/// `ndjit_ir::math::unary_entry(op, dtype).map(Routine::Unary)` and
/// `ndjit_ir::math::binary_entry(op, dtype).map(Routine::Binary)`, and the
/// helpers below it go away; nothing else in codegen changes.
fn math_entry(op: MathOp, dtype: DType) -> Option<Routine> {
    use UnaryOp::*;
    macro_rules! unary_table {
        ($t:ty) => {
            match op {
                MathOp::Unary(Exp) => unary!($t, <$t>::exp),
                MathOp::Unary(Expm1) => unary!($t, <$t>::exp_m1),
                MathOp::Unary(Exp2) => unary!($t, <$t>::exp2),
                MathOp::Unary(Log) => unary!($t, <$t>::ln),
                MathOp::Unary(Log1p) => unary!($t, <$t>::ln_1p),
                MathOp::Unary(Log2) => unary!($t, <$t>::log2),
                MathOp::Unary(Sin) => unary!($t, <$t>::sin),
                MathOp::Unary(Cos) => unary!($t, <$t>::cos),
                MathOp::Unary(Tan) => unary!($t, <$t>::tan),
                MathOp::Unary(Tanh) => unary!($t, <$t>::tanh),
                MathOp::Unary(Asin) => unary!($t, <$t>::asin),
                MathOp::Unary(Acos) => unary!($t, <$t>::acos),
                MathOp::Unary(Atan) => unary!($t, <$t>::atan),
                MathOp::Unary(Sinh) => unary!($t, <$t>::sinh),
                MathOp::Unary(Cosh) => unary!($t, <$t>::cosh),
                MathOp::Binary(BinaryOp::Pow) => {
                    return Some(Routine::Binary(binary!($t, <$t>::powf)))
                }
                MathOp::Binary(BinaryOp::Atan2) => {
                    return Some(Routine::Binary(binary!($t, <$t>::atan2)))
                }
                _ => return None,
            }
        };
    }
    let routine = match (op, dtype) {
        (MathOp::Unary(Erf), DType::F64) => unary!(f64, libm::erf),
        (MathOp::Unary(Erf), DType::F32) => unary!(f32, libm::erff),
        (_, DType::F64) => unary_table!(f64),
        (_, DType::F32) => unary_table!(f32),
        _ => return None,
    };
    Some(Routine::Unary(routine))
}

/// The C math library's error function (Rust's `std` has none yet); part
/// of the temporary adapter.
mod libm {
    unsafe extern "C" {
        pub safe fn erf(x: f64) -> f64;
        pub safe fn erff(x: f32) -> f32;
    }
}

/// NumPy's `npy_divmod` on floats: the floor quotient, and the remainder
/// with the divisor's sign (`fmod` corrected), for `np.floor_divide` and
/// `np.remainder`.
macro_rules! divmod {
    ($name:ident, $t:ty) => {
        pub(super) fn $name(a: $t, b: $t) -> ($t, $t) {
            let mut modulus = a % b;
            if b == 0.0 {
                return (a / b, modulus);
            }
            let mut div = (a - modulus) / b;
            if modulus != 0.0 {
                if (b < 0.0) != (modulus < 0.0) {
                    modulus += b;
                    div -= 1.0;
                }
            } else {
                modulus = (0.0 as $t).copysign(b);
            }
            let floor_div = if div != 0.0 {
                let floor = div.floor();
                if div - floor > 0.5 {
                    floor + 1.0
                } else {
                    floor
                }
            } else {
                (0.0 as $t).copysign(a / b)
            };
            (floor_div, modulus)
        }
    };
}
divmod!(divmod_f64, f64);
divmod!(divmod_f32, f32);

/// Integer `base ** exponent` by repeated squaring, wrapping on overflow.
/// A negative exponent gives 0 unless the base is 1 or -1 (the truncated
/// real result; NumPy raises an error there instead).
macro_rules! int_power {
    ($name:ident, $t:ty) => {
        pub(super) fn $name(base: $t, exponent: $t) -> $t {
            if exponent < 0 {
                return match base {
                    1 => 1,
                    -1 if exponent % 2 == 0 => 1,
                    -1 => -1,
                    _ => 0,
                };
            }
            let (mut result, mut square, mut e): ($t, $t, $t) = (1, base, exponent);
            while e > 0 {
                if e & 1 == 1 {
                    result = result.wrapping_mul(square);
                }
                square = square.wrapping_mul(square);
                e >>= 1;
            }
            result
        }
    };
}
int_power!(int_power_i64, i64);
int_power!(int_power_i32, i32);
