//! Runtime choice of instruction set.
//!
//! Every routine's chunk kernel is compiled three times: for AVX-512, for
//! AVX2+FMA, and portable (the target's baseline). The first call detects
//! the best level the CPU supports and caches it. All levels compute the
//! same bits: the routines only use correctly rounded operations and fused
//! multiply-adds, which every level evaluates identically (the portable
//! level on an x86 without FMA gets them from libm's `fma`, slowly).

use super::lane::{map_binary, map_unary};
use super::{erf, exp, hyperbolic, inverse_trig, log, pow, trig};
use crate::dtype::DType;
use crate::op::{BinaryOp, UnaryOp};
use std::sync::OnceLock;

/// The C-ABI entry point of a unary routine for one dtype: reads `n`
/// elements at `x` and writes `n` results at `out`. Both pointers must be
/// valid for `n` elements of the routine's dtype (suitably aligned), and the
/// two ranges must be the same or disjoint.
pub type UnaryEntry = unsafe extern "C" fn(x: *const u8, out: *mut u8, n: usize);

/// The C-ABI entry point of a binary routine for one dtype: reads `n`
/// elements at `a` and at `b` and writes `n` results at `out`, under the same
/// rules as [`UnaryEntry`] (`out` the same range as an input or disjoint).
pub type BinaryEntry = unsafe extern "C" fn(a: *const u8, b: *const u8, out: *mut u8, n: usize);

/// An instruction-set level the kernels are compiled for. The best one
/// is used everywhere; the others are reachable for tests and benchmarks.
///
/// ```
/// use ndjit_ir::math::DispatchLevel;
/// use ndjit_ir::{DType, UnaryOp};
///
/// for level in DispatchLevel::supported() {
///     assert!(level.unary(UnaryOp::Sin, DType::F64).is_some());
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// AVX-512 F/DQ/VL with AVX2 and FMA (x86-64 only).
    #[cfg(target_arch = "x86_64")]
    Avx512,
    /// AVX2 and FMA (x86-64 only).
    #[cfg(target_arch = "x86_64")]
    Avx2,
    /// The compilation target's baseline.
    Portable,
}

impl Level {
    /// The best level this CPU runs, detected once.
    pub fn detected() -> Level {
        static LEVEL: OnceLock<Level> = OnceLock::new();
        *LEVEL.get_or_init(|| {
            Level::supported()
                .into_iter()
                .next()
                .unwrap_or(Level::Portable)
        })
    }

    /// Every level this CPU runs, best first.
    pub fn supported() -> Vec<Level> {
        let mut levels = Vec::new();
        #[cfg(target_arch = "x86_64")]
        {
            let avx2 = is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma");
            if avx2
                && is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512dq")
                && is_x86_feature_detected!("avx512vl")
            {
                levels.push(Level::Avx512);
            }
            if avx2 {
                levels.push(Level::Avx2);
            }
        }
        levels.push(Level::Portable);
        levels
    }

    /// This level's entry for a unary routine, if there is one.
    pub fn unary(self, op: UnaryOp, dtype: DType) -> Option<UnaryEntry> {
        match self {
            #[cfg(target_arch = "x86_64")]
            Level::Avx512 => avx512::unary(op, dtype),
            #[cfg(target_arch = "x86_64")]
            Level::Avx2 => avx2::unary(op, dtype),
            Level::Portable => portable::unary(op, dtype),
        }
    }

    /// This level's entry for a binary routine, if there is one.
    pub fn binary(self, op: BinaryOp, dtype: DType) -> Option<BinaryEntry> {
        match self {
            #[cfg(target_arch = "x86_64")]
            Level::Avx512 => avx512::binary(op, dtype),
            #[cfg(target_arch = "x86_64")]
            Level::Avx2 => avx2::binary(op, dtype),
            Level::Portable => portable::binary(op, dtype),
        }
    }
}

/// The one list of routines: op, f64 chunk kernel, f32 chunk kernel. Calls
/// `$level!(args; unary: [...] binary: [...])`.
macro_rules! with_routines {
    ($level:ident!($($args:tt)*)) => {
        $level! {$($args)*;
            unary: [
                Exp => exp::exp_f64, exp::exp_f32;
                Expm1 => exp::expm1_f64, exp::expm1_f32;
                Exp2 => exp::exp2_f64, exp::exp2_f32;
                Log => log::log_f64, log::log_f32;
                Log1p => log::log1p_f64, log::log1p_f32;
                Log2 => log::log2_f64, log::log2_f32;
                Sin => trig::sin_f64, trig::sin_f32;
                Cos => trig::cos_f64, trig::cos_f32;
                Tan => trig::tan_f64, trig::tan_f32;
                Tanh => hyperbolic::tanh_f64, hyperbolic::tanh_f32;
                Sinh => hyperbolic::sinh_f64, hyperbolic::sinh_f32;
                Cosh => hyperbolic::cosh_f64, hyperbolic::cosh_f32;
                Atan => inverse_trig::atan_f64, inverse_trig::atan_f32;
                Asin => inverse_trig::asin_f64, inverse_trig::asin_f32;
                Acos => inverse_trig::acos_f64, inverse_trig::acos_f32;
                Erf => erf::erf_f64, erf::erf_f32;
            ]
            binary: [
                Atan2 => inverse_trig::atan2_f64, inverse_trig::atan2_f32;
                Pow => pow::pow_f64, pow::pow_f32;
            ]
        }
    };
}

/// One level's entry points: every routine compiled under `#[$attr]`. The
/// kernels are called from closures, which inherit the entry's target
/// features even where LLVM declines to inline a large kernel (a bare fn
/// item would be called through a shim compiled for the baseline, where
/// every `mul_add` is a libm call).
macro_rules! level {
    ($name:ident, $attr:meta;
     unary: [$($u:ident => $uf64:path, $uf32:path;)*]
     binary: [$($b:ident => $bf64:path, $bf32:path;)*]) => {
        mod $name {
            use super::*;

            /// This level's unary entry for `op` on `dtype`.
            pub(super) fn unary(op: UnaryOp, dtype: DType) -> Option<UnaryEntry> {
                match (op, dtype) {
                    $(
                        (UnaryOp::$u, DType::F64) => {
                            #[$attr]
                            unsafe extern "C" fn entry(x: *const u8, out: *mut u8, n: usize) {
                                // SAFETY: the caller upholds `UnaryEntry`'s
                                // contract for f64 elements, which is
                                // `map_unary`'s.
                                unsafe { map_unary(x.cast::<f64>(), out.cast::<f64>(), n, |x, out| $uf64(x, out)) }
                            }
                            Some(entry)
                        }
                        (UnaryOp::$u, DType::F32) => {
                            #[$attr]
                            unsafe extern "C" fn entry(x: *const u8, out: *mut u8, n: usize) {
                                // SAFETY: as for f64, with f32 elements.
                                unsafe { map_unary(x.cast::<f32>(), out.cast::<f32>(), n, |x, out| $uf32(x, out)) }
                            }
                            Some(entry)
                        }
                    )*
                    _ => None,
                }
            }

            /// This level's binary entry for `op` on `dtype`.
            pub(super) fn binary(op: BinaryOp, dtype: DType) -> Option<BinaryEntry> {
                match (op, dtype) {
                    $(
                        (BinaryOp::$b, DType::F64) => {
                            #[$attr]
                            unsafe extern "C" fn entry(
                                a: *const u8,
                                b: *const u8,
                                out: *mut u8,
                                n: usize,
                            ) {
                                // SAFETY: the caller upholds `BinaryEntry`'s
                                // contract for f64 elements, which is
                                // `map_binary`'s.
                                unsafe {
                                    map_binary(a.cast::<f64>(), b.cast::<f64>(), out.cast::<f64>(), n, |a, b, out| $bf64(a, b, out))
                                }
                            }
                            Some(entry)
                        }
                        (BinaryOp::$b, DType::F32) => {
                            #[$attr]
                            unsafe extern "C" fn entry(
                                a: *const u8,
                                b: *const u8,
                                out: *mut u8,
                                n: usize,
                            ) {
                                // SAFETY: as for f64, with f32 elements.
                                unsafe {
                                    map_binary(a.cast::<f32>(), b.cast::<f32>(), out.cast::<f32>(), n, |a, b, out| $bf32(a, b, out))
                                }
                            }
                            Some(entry)
                        }
                    )*
                    _ => None,
                }
            }
        }
    };
}

#[cfg(target_arch = "x86_64")]
with_routines!(level!(
    avx512,
    target_feature(enable = "avx512f,avx512dq,avx512vl,avx2,fma")
));
#[cfg(target_arch = "x86_64")]
with_routines!(level!(avx2, target_feature(enable = "avx2,fma")));
// The portable kernels are only ever called through pointers; keeping them
// out of line keeps them out of their callers.
with_routines!(level!(portable, inline(never)));
