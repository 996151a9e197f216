//! View ops, materialized: each is an affine index map (per-axis strides
//! and a base offset, in elements) walked by one strided-index walker.
//!
//! `Permute`, `Broadcast` and `Slice` gather: the output is walked in
//! row-major order and each element read from `base + Σ index·stride` of the
//! input. `Pad` and `Concat` scatter: each input is walked and each element
//! written to its place in the output (zero-filled for a pad). (`Reshape`
//! needs no walk: row-major storage is already the reshaped array.)

use crate::buffer::{Buffer, Element, Tensor};
use crate::op::{PadAxis, SliceAxis};
use crate::shape::Shape;

/// Output axis `i` is input axis `perm[i]`.
pub(super) fn permute(x: &Tensor, perm: &[usize]) -> Buffer {
    let in_strides = x.shape().contiguous_strides();
    let shape: Vec<usize> = perm.iter().map(|&p| x.shape().0[p]).collect();
    let strides: Vec<isize> = perm.iter().map(|&p| in_strides[p]).collect();
    gather(x, &shape, &strides, 0)
}

/// NumPy broadcasting to `shape`: axes are aligned on the right, and new
/// leading axes and stretched extent-1 axes read with stride 0.
pub(super) fn broadcast(x: &Tensor, shape: &Shape) -> Buffer {
    let in_strides = x.shape().contiguous_strides();
    let new_axes = shape.rank() - x.shape().rank();
    let mut strides = vec![0isize; shape.rank()];
    for (axis, (&extent, &stride)) in x.shape().0.iter().zip(&in_strides).enumerate() {
        if extent != 1 {
            strides[new_axes + axis] = stride;
        }
    }
    gather(x, &shape.0, &strides, 0)
}

/// A strided window: along axis `i`, `axes[i].len` elements from
/// `axes[i].start`, `axes[i].step` apart (negative steps walk backward).
pub(super) fn slice(x: &Tensor, axes: &[SliceAxis]) -> Buffer {
    let in_strides = x.shape().contiguous_strides();
    let shape: Vec<usize> = axes.iter().map(|s| s.len).collect();
    let strides: Vec<isize> = axes
        .iter()
        .zip(&in_strides)
        .map(|(s, &st)| s.step * st)
        .collect();
    let base = axes
        .iter()
        .zip(&in_strides)
        .map(|(s, &st)| s.start as isize * st)
        .sum();
    gather(x, &shape, &strides, base)
}

/// Zeros around (`low`, `high`) and between (`interior`) the elements of
/// each axis; `out_shape` is the padded shape.
pub(super) fn pad(x: &Tensor, axes: &[PadAxis], out_shape: &Shape) -> Buffer {
    let out_strides = out_shape.contiguous_strides();
    let strides: Vec<isize> = axes
        .iter()
        .zip(&out_strides)
        .map(|(p, &st)| (p.interior as isize + 1) * st)
        .collect();
    let base = axes
        .iter()
        .zip(&out_strides)
        .map(|(p, &st)| p.low as isize * st)
        .sum();
    let mut out = Buffer::zeros(x.dtype(), out_shape.numel());
    with_dtype!(x.dtype(), T => {
        let (source, target) = (x.as_slice::<T>(), out.as_mut_slice::<T>());
        let mut values = source.iter();
        walk(&x.shape().0, &strides, base, |offset| {
            if let Some(&v) = values.next() {
                target[offset] = v;
            }
        });
    });
    out
}

/// The operands joined along `axis`: each is scattered into its window of
/// the output, which starts where the previous one's ends along `axis`.
pub(super) fn concat(args: &[&Tensor], axis: usize, out_shape: &Shape) -> Buffer {
    let out_strides = out_shape.contiguous_strides();
    let dtype = args[0].dtype();
    let mut out = Buffer::zeros(dtype, out_shape.numel());
    let mut start = 0;
    for x in args {
        let base = start as isize * out_strides[axis];
        with_dtype!(dtype, T => {
            let (source, target) = (x.as_slice::<T>(), out.as_mut_slice::<T>());
            let mut values = source.iter();
            walk(&x.shape().0, &out_strides, base, |offset| {
                if let Some(&v) = values.next() {
                    target[offset] = v;
                }
            });
        });
        start += x.shape().0[axis];
    }
    out
}

/// The elements of `x` at the offsets `walk(shape, strides, base)` visits,
/// in that order.
pub(super) fn gather(x: &Tensor, shape: &[usize], strides: &[isize], base: isize) -> Buffer {
    let numel = shape.iter().product();
    let mut out = Buffer::zeros(x.dtype(), numel);
    with_dtype!(x.dtype(), T => gather_typed(x.as_slice::<T>(), out.as_mut_slice::<T>(), shape, strides, base));
    out
}

fn gather_typed<T: Element>(
    source: &[T],
    target: &mut [T],
    shape: &[usize],
    strides: &[isize],
    base: isize,
) {
    let mut slots = target.iter_mut();
    walk(shape, strides, base, |offset| {
        if let Some(slot) = slots.next() {
            *slot = source[offset];
        }
    });
}

/// Calls `visit(base + Σ index[i] * strides[i])` for every multi-index of
/// `shape`, in row-major order. The caller guarantees the offsets are in
/// bounds; for an empty shape nothing is visited, for a 0-d shape `base`
/// once. The innermost axis is a plain strided loop.
pub(super) fn walk(shape: &[usize], strides: &[isize], base: isize, mut visit: impl FnMut(usize)) {
    if shape.contains(&0) {
        return;
    }
    let Some((&inner_len, outer)) = shape.split_last() else {
        visit(base as usize);
        return;
    };
    let inner_stride = strides[outer.len()];
    let mut index = vec![0usize; outer.len()];
    let mut row = base;
    loop {
        let mut offset = row;
        for _ in 0..inner_len {
            visit(offset as usize);
            offset += inner_stride;
        }
        // Advance the odometer over the outer axes, last axis fastest.
        let mut axis = outer.len();
        loop {
            if axis == 0 {
                return;
            }
            axis -= 1;
            index[axis] += 1;
            row += strides[axis];
            if index[axis] < outer[axis] {
                break;
            }
            row -= strides[axis] * outer[axis] as isize;
            index[axis] = 0;
        }
    }
}
