//! The branch-free scalar vocabulary every routine is written in, and the
//! fixed-length chunk loops that turn a routine into vector code.
//!
//! A routine is a function of one lane (`fn(f64) -> f64`) built only from
//! arithmetic, `mul_add`, `sqrt`, bit casts, integer ops on the bits and
//! selects. Inlined into the loops below, which always run over a whole
//! [`CHUNK`], LLVM vectorizes it for whatever instruction set the enclosing
//! function is compiled for (see `dispatch`). No routine calls libm per lane;
//! `mul_add` is always a fused multiply-add (one rounding), so every
//! dispatch level computes bit-identical results.

use std::ptr;

/// Elements per chunk: the compute loop always has this fixed trip count
/// (a partial chunk goes through local arrays), and a chunk stays in L1.
pub(super) const CHUNK: usize = 64;

/// `a` where `c` holds, else `b`; both are always computed (a blend).
#[inline(always)]
pub(super) fn select<T>(c: bool, a: T, b: T) -> T {
    if c {
        a
    } else {
        b
    }
}

/// `x` limited to `[lo, hi]`; NaN stays NaN.
#[inline(always)]
pub(super) fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    select(x < lo, lo, select(x > hi, hi, x))
}

/// 1.5·2^52. For |x| < 2^51, `x + ROUND_MAGIC` lands in [2^52, 2^53) where
/// the spacing is 1, so the addition rounds x to the nearest integer (ties
/// to even) and leaves that integer in the low bits of the mantissa. Unlike
/// `f64::round` this needs no SSE4.1 and vectorizes everywhere.
const ROUND_MAGIC: f64 = 6755399441055744.0;

/// The integer nearest to `x` (|x| < 2^51), as a float and as an integer.
#[inline(always)]
pub(super) fn round_to_int(x: f64) -> (f64, i64) {
    let t = x + ROUND_MAGIC;
    let k = (t.to_bits() as i64).wrapping_sub(ROUND_MAGIC.to_bits() as i64);
    (t - ROUND_MAGIC, k)
}

/// `k` as a float, for |k| < 2^51 (an i64 to f64 conversion without the
/// AVX-512DQ instruction for it).
#[inline(always)]
pub(super) fn int_to_f64(k: i64) -> f64 {
    f64::from_bits((ROUND_MAGIC.to_bits() as i64).wrapping_add(k) as u64) - ROUND_MAGIC
}

/// 2^k for -1022 <= k <= 1023, built from its bits.
#[inline(always)]
pub(super) fn pow2(k: i64) -> f64 {
    f64::from_bits((k.wrapping_add(1023) as u64) << 52)
}

/// `p · 2^k` for |k| <= 2044 in two exact steps, so the result overflows,
/// goes subnormal or underflows with a single rounding.
#[inline(always)]
pub(super) fn scale(p: f64, k: i64) -> f64 {
    let half = k >> 1;
    p * pow2(half) * pow2(k - half)
}

/// `(s, e)` with `s = fl(a + b)` and `s + e = a + b` exactly (Knuth).
#[inline(always)]
pub(super) fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// [`two_sum`] for |a| >= |b| (or a = 0), in three operations (Dekker).
#[inline(always)]
pub(super) fn fast_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

/// `c[0] + c[1]·x + ... + c[N-1]·x^(N-1)` by Horner's rule with fused
/// multiply-adds.
#[inline(always)]
pub(super) fn poly<const N: usize>(x: f64, c: &[f64; N]) -> f64 {
    let mut acc = c[N - 1];
    for &ci in c[..N - 1].iter().rev() {
        acc = acc.mul_add(x, ci);
    }
    acc
}

/// Runs `chunk` over `n` elements of `x`, writing `out`, one [`CHUNK`] at a
/// time. Whole chunks are read from and written to the buffers in place
/// (the input copied to a local array first when `out` is `x`); the last,
/// partial chunk goes through local arrays (its unused lanes hold stale
/// values whose results are dropped).
///
/// # Safety
///
/// `x` must be valid for `n` reads and `out` for `n` writes of `T`, both
/// aligned for `T`; the two ranges are either the same or disjoint.
#[inline(always)]
pub(super) unsafe fn map_unary<T: Copy + Default>(
    x: *const T,
    out: *mut T,
    n: usize,
    chunk: impl Fn(&[T; CHUNK], &mut [T; CHUNK]),
) {
    let mut input = [T::default(); CHUNK];
    let mut result = [T::default(); CHUNK];
    let in_place = ptr::eq(x, out);
    let mut done = 0;
    while n - done >= CHUNK {
        // SAFETY: `done + CHUNK <= n`, so the caller's contract covers both
        // ranges, and `[T; CHUNK]` has `T`'s alignment. Disjoint ranges
        // make the shared and the mutable borrow disjoint; in place, the
        // input is read into `input` before any of it is written.
        unsafe {
            let target = &mut *out.add(done).cast::<[T; CHUNK]>();
            if in_place {
                ptr::copy_nonoverlapping(x.add(done), input.as_mut_ptr(), CHUNK);
                chunk(&input, target);
            } else {
                chunk(&*x.add(done).cast::<[T; CHUNK]>(), target);
            }
        }
        done += CHUNK;
    }
    if done < n {
        let m = n - done;
        // SAFETY: `done + m = n`: inside the caller's ranges; the local
        // arrays hold CHUNK > m elements and overlap nothing; the chunk is
        // read completely before any of it is written.
        unsafe { ptr::copy_nonoverlapping(x.add(done), input.as_mut_ptr(), m) };
        chunk(&input, &mut result);
        // SAFETY: as above.
        unsafe { ptr::copy_nonoverlapping(result.as_ptr(), out.add(done), m) };
    }
}

/// [`map_unary`] for routines of two operands.
///
/// # Safety
///
/// `a` and `b` must be valid for `n` reads and `out` for `n` writes of `T`,
/// all aligned for `T`; `out` is the same range as `a` or `b`, or disjoint
/// from both.
#[inline(always)]
pub(super) unsafe fn map_binary<T: Copy + Default>(
    a: *const T,
    b: *const T,
    out: *mut T,
    n: usize,
    chunk: impl Fn(&[T; CHUNK], &[T; CHUNK], &mut [T; CHUNK]),
) {
    let mut left = [T::default(); CHUNK];
    let mut right = [T::default(); CHUNK];
    let mut result = [T::default(); CHUNK];
    let in_place = ptr::eq(a, out) || ptr::eq(b, out);
    let mut done = 0;
    while n - done >= CHUNK {
        // SAFETY: as in `map_unary`: whole chunks inside the caller's
        // ranges; in place, both inputs are copied before `out` is written.
        unsafe {
            let target = &mut *out.add(done).cast::<[T; CHUNK]>();
            if in_place {
                ptr::copy_nonoverlapping(a.add(done), left.as_mut_ptr(), CHUNK);
                ptr::copy_nonoverlapping(b.add(done), right.as_mut_ptr(), CHUNK);
                chunk(&left, &right, target);
            } else {
                chunk(
                    &*a.add(done).cast::<[T; CHUNK]>(),
                    &*b.add(done).cast::<[T; CHUNK]>(),
                    target,
                );
            }
        }
        done += CHUNK;
    }
    if done < n {
        let m = n - done;
        // SAFETY: `done + m = n` keeps every copy inside the ranges the
        // caller vouched for; the local arrays overlap nothing, and both
        // inputs are read before the output is written.
        unsafe {
            ptr::copy_nonoverlapping(a.add(done), left.as_mut_ptr(), m);
            ptr::copy_nonoverlapping(b.add(done), right.as_mut_ptr(), m);
        }
        chunk(&left, &right, &mut result);
        // SAFETY: as above.
        unsafe { ptr::copy_nonoverlapping(result.as_ptr(), out.add(done), m) };
    }
}

/// Defines the chunk kernels of lane routines, f64 and f32:
/// `routine => f64_kernel, f32_kernel;` for `fn(f64) -> f64` routines, and
/// `routine(a, b) => f64_kernel, f32_kernel;` for two operands.
///
/// The routine is called by name in the loop, never passed as a value: a fn
/// item passed as `impl Fn` is called through a shim that LLVM may leave
/// out of line, compiled for the baseline (where `mul_add` is a libm call).
/// f32 kernels widen, compute in f64 and round once: the f64 routines are
/// accurate to about 2^-52, so the f32 result is within 0.5 ulp plus
/// 2^-29 ulp of the exact value.
macro_rules! chunk_kernels {
    ($($lane:ident $(($a:ident, $b:ident))? => $f64:ident, $f32:ident;)*) => {$(
        $crate::math::lane::chunk_kernels!(@one $lane $(($a, $b))? => $f64, $f32);
    )*};
    (@one $lane:ident => $f64:ident, $f32:ident) => {
        #[doc = concat!("[`", stringify!($lane), "`] over a chunk of f64 lanes.")]
        #[inline(always)]
        pub(super) fn $f64(
            x: &[f64; $crate::math::lane::CHUNK],
            out: &mut [f64; $crate::math::lane::CHUNK],
        ) {
            for (o, &v) in out.iter_mut().zip(x) {
                *o = $lane(v);
            }
        }

        #[doc = concat!("[`", stringify!($lane), "`] over a chunk of f32 lanes.")]
        #[inline(always)]
        pub(super) fn $f32(
            x: &[f32; $crate::math::lane::CHUNK],
            out: &mut [f32; $crate::math::lane::CHUNK],
        ) {
            for (o, &v) in out.iter_mut().zip(x) {
                *o = $lane(f64::from(v)) as f32;
            }
        }
    };
    (@one $lane:ident ($a:ident, $b:ident) => $f64:ident, $f32:ident) => {
        #[doc = concat!("[`", stringify!($lane), "`] over chunks of f64 lanes.")]
        #[inline(always)]
        pub(super) fn $f64(
            $a: &[f64; $crate::math::lane::CHUNK],
            $b: &[f64; $crate::math::lane::CHUNK],
            out: &mut [f64; $crate::math::lane::CHUNK],
        ) {
            for ((o, &u), &v) in out.iter_mut().zip($a).zip($b) {
                *o = $lane(u, v);
            }
        }

        #[doc = concat!("[`", stringify!($lane), "`] over chunks of f32 lanes.")]
        #[inline(always)]
        pub(super) fn $f32(
            $a: &[f32; $crate::math::lane::CHUNK],
            $b: &[f32; $crate::math::lane::CHUNK],
            out: &mut [f32; $crate::math::lane::CHUNK],
        ) {
            for ((o, &u), &v) in out.iter_mut().zip($a).zip($b) {
                *o = $lane(f64::from(u), f64::from(v)) as f32;
            }
        }
    };
}
pub(super) use chunk_kernels;
