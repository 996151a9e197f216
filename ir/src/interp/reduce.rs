//! Reductions: `Reduce` over a set of axes, and `ArgReduce` along one.
//!
//! A `Reduce` first lays the input out with the kept axes outermost and the
//! reduced axes innermost (a permuting copy, skipped when the reduced axes
//! already are the trailing ones), so that each output element reduces one
//! contiguous run. Float sums of a run are pairwise, as NumPy's.

use super::arith::{maximum, minimum, Number, Value};
use super::unsupported;
use super::views::gather;
use crate::buffer::{Buffer, Element, Tensor};
use crate::dtype::DType;
use crate::error::{IrError, Result};
use crate::op::{ArgReduceOp, ReduceOp};

/// `op` over `axes` (ascending) of `x`. The output has `x`'s rank, with
/// extent 1 on the reduced axes; a reduction over no elements gives the
/// identity (0 for sum, 1 for prod, false for any, true for all).
pub(super) fn reduce(op: ReduceOp, axes: &[usize], x: &Tensor) -> Result<Buffer> {
    let dims = &x.shape().0;
    let in_strides = x.shape().contiguous_strides();
    let kept: Vec<usize> = (0..dims.len()).filter(|a| !axes.contains(a)).collect();
    let order: Vec<usize> = kept.iter().chain(axes).copied().collect();
    let run_len: usize = axes.iter().map(|&a| dims[a]).product();
    let runs: usize = kept.iter().map(|&a| dims[a]).product();
    if run_len == 0 && op.identity(x.dtype()).is_none() {
        return Err(IrError::Type {
            op: op.name(),
            message: format!("zero-size axis of {} has no {}", x.shape(), op.name()),
        });
    }

    let permuted;
    let data = if order.iter().enumerate().all(|(i, &a)| i == a) {
        &**x.buffer()
    } else {
        let shape: Vec<usize> = order.iter().map(|&a| dims[a]).collect();
        let strides: Vec<isize> = order.iter().map(|&a| in_strides[a]).collect();
        permuted = gather(x, &shape, &strides, 0);
        &permuted
    };

    let dtype = x.dtype();
    Ok(match op {
        ReduceOp::Sum => {
            with_number_dtype!(dtype, T => each_run(data.as_slice::<T>(), runs, run_len, T::sum),
            bool => return Err(unsupported(op.name(), dtype)))
        }
        ReduceOp::Prod => {
            with_number_dtype!(dtype, T => each_run(data.as_slice::<T>(), runs, run_len, T::product),
            bool => return Err(unsupported(op.name(), dtype)))
        }
        ReduceOp::Max => {
            with_dtype!(dtype, T => each_run(data.as_slice::<T>(), runs, run_len, fold(maximum)))
        }
        ReduceOp::Min => {
            with_dtype!(dtype, T => each_run(data.as_slice::<T>(), runs, run_len, fold(minimum)))
        }
        ReduceOp::Any | ReduceOp::All if dtype != DType::Bool => {
            return Err(unsupported(op.name(), dtype))
        }
        ReduceOp::Any => each_run(data.as_slice::<bool>(), runs, run_len, |r| {
            r.contains(&true)
        }),
        ReduceOp::All => each_run(data.as_slice::<bool>(), runs, run_len, |r| {
            !r.contains(&false)
        }),
    })
}

/// A run reducer folding `combine` over a non-empty run.
fn fold<T: Value>(combine: impl Fn(T, T) -> T) -> impl Fn(&[T]) -> T {
    move |run| run[1..].iter().fold(run[0], |acc, &v| combine(acc, v))
}

/// A buffer of `runs` values, the `i`-th being `reduce` of elements
/// `i * run_len .. (i + 1) * run_len` of `data`.
fn each_run<T: Element, U: Element>(
    data: &[T],
    runs: usize,
    run_len: usize,
    reduce: impl Fn(&[T]) -> U,
) -> Buffer {
    let mut out = Buffer::zeros(U::DTYPE, runs);
    for (i, slot) in out.as_mut_slice::<U>().iter_mut().enumerate() {
        *slot = reduce(&data[i * run_len..(i + 1) * run_len]);
    }
    out
}

/// The index (as `i64`) of the first maximum (`ArgMax`) or minimum
/// (`ArgMin`) along `axis`, or of the first NaN if there is one, as
/// `np.argmax` / `np.argmin`. The axis keeps extent 1.
pub(super) fn arg_reduce(op: ArgReduceOp, axis: usize, x: &Tensor) -> Result<Buffer> {
    let dims = &x.shape().0;
    let outer: usize = dims[..axis].iter().product();
    let len = dims[axis];
    let inner: usize = dims[axis + 1..].iter().product();
    if len == 0 {
        return Err(IrError::Type {
            op: op.name(),
            message: format!("axis {axis} of {} is empty", x.shape()),
        });
    }
    Ok(with_dtype!(x.dtype(), T => {
        let data = x.as_slice::<T>();
        match op {
            ArgReduceOp::ArgMax => arg_extremum(data, outer, len, inner, PartialOrd::gt),
            ArgReduceOp::ArgMin => arg_extremum(data, outer, len, inner, PartialOrd::lt),
        }
    }))
}

/// For each `(o, i)`, the first `k` whose element `(o, k, i)` is NaN, or
/// else the first one no later element `beats`.
fn arg_extremum<T: Value>(
    data: &[T],
    outer: usize,
    len: usize,
    inner: usize,
    beats: impl Fn(&T, &T) -> bool,
) -> Buffer {
    let mut out = Buffer::zeros(DType::I64, outer * inner);
    let slots = out.as_mut_slice::<i64>();
    for o in 0..outer {
        for i in 0..inner {
            let at = |k: usize| data[(o * len + k) * inner + i];
            let mut best = 0;
            if !at(0).is_nan() {
                for k in 1..len {
                    let v = at(k);
                    if v.is_nan() {
                        best = k;
                        break;
                    }
                    if beats(&v, &at(best)) {
                        best = k;
                    }
                }
            }
            slots[o * inner + i] = best as i64;
        }
    }
    out
}
