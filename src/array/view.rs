//! Views: reshape, transpose, broadcast, slice, expand and squeeze. Each is
//! an index map in the graph, never a copy.

use super::Array;
use crate::error::Error;
use ndjit_ir::{Op, Shape, SliceAxis};
use std::ops::{Range, RangeFrom, RangeFull, RangeInclusive, RangeTo, RangeToInclusive};

/// One entry of a NumPy-style index, as built by [`s!`](crate::s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SliceItem {
    /// `start:stop:step` (Python semantics: negative values count from the
    /// end, out-of-range bounds are clamped, omitted bounds follow the step).
    Range {
        /// First index, or the end the step starts from when `None`.
        start: Option<isize>,
        /// One past the last index, or the far end when `None`.
        stop: Option<isize>,
        /// Step, non-zero.
        step: isize,
    },
    /// A single index: selects it and removes the axis.
    Index(isize),
    /// `np.newaxis`: inserts an axis of extent 1.
    NewAxis,
}

impl SliceItem {
    /// This range with another step (`s![..;-1]` reverses an axis).
    pub fn step_by(self, step: isize) -> SliceItem {
        match self {
            SliceItem::Range { start, stop, .. } => SliceItem::Range { start, stop, step },
            other => other,
        }
    }
}

impl From<isize> for SliceItem {
    fn from(index: isize) -> SliceItem {
        SliceItem::Index(index)
    }
}

impl From<Range<isize>> for SliceItem {
    fn from(r: Range<isize>) -> SliceItem {
        SliceItem::Range {
            start: Some(r.start),
            stop: Some(r.end),
            step: 1,
        }
    }
}

impl From<RangeInclusive<isize>> for SliceItem {
    fn from(r: RangeInclusive<isize>) -> SliceItem {
        let stop = if *r.end() == -1 {
            None
        } else {
            Some(r.end() + 1)
        };
        SliceItem::Range {
            start: Some(*r.start()),
            stop,
            step: 1,
        }
    }
}

impl From<RangeFrom<isize>> for SliceItem {
    fn from(r: RangeFrom<isize>) -> SliceItem {
        SliceItem::Range {
            start: Some(r.start),
            stop: None,
            step: 1,
        }
    }
}

impl From<RangeTo<isize>> for SliceItem {
    fn from(r: RangeTo<isize>) -> SliceItem {
        SliceItem::Range {
            start: None,
            stop: Some(r.end),
            step: 1,
        }
    }
}

impl From<RangeToInclusive<isize>> for SliceItem {
    fn from(r: RangeToInclusive<isize>) -> SliceItem {
        let stop = if r.end == -1 { None } else { Some(r.end + 1) };
        SliceItem::Range {
            start: None,
            stop,
            step: 1,
        }
    }
}

impl From<RangeFull> for SliceItem {
    fn from(_: RangeFull) -> SliceItem {
        SliceItem::Range {
            start: None,
            stop: None,
            step: 1,
        }
    }
}

/// Builds a NumPy-style index for [`Array::slice`]: ranges, single indices
/// (which drop their axis), `..` for a whole axis, `;step` after a range for
/// a step (negative steps walk backwards), and [`SliceItem::NewAxis`].
/// Axes not named are taken whole.
///
/// ```
/// use ndjit::{s, Array};
/// let a = Array::arange(0i64, 12, 1).reshape([3, 4]);
/// assert_eq!(a.slice(s![1, ..;-2]).to_vec::<i64>()?, vec![7, 5]);
/// assert_eq!(a.slice(s![..2, 1..3]).to_vec::<i64>()?, vec![1, 2, 5, 6]);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[macro_export]
macro_rules! s {
    ($($item:expr $(; $step:expr)?),* $(,)?) => {
        [$($crate::s!(@item $item $(; $step)?)),*]
    };
    (@item $item:expr; $step:expr) => {
        $crate::SliceItem::from($item).step_by($step)
    };
    (@item $item:expr) => {
        $crate::SliceItem::from($item)
    };
}

/// Resolves `start:stop:step` against an extent, as Python's `slice.indices`.
fn resolve(start: Option<isize>, stop: Option<isize>, step: isize, extent: usize) -> SliceAxis {
    let n = extent as isize;
    let clamp = |v: isize, lo: isize, hi: isize| v.clamp(lo, hi);
    let from_end = |v: isize| if v < 0 { v + n } else { v };
    let (start, stop) = if step > 0 {
        (
            start.map_or(0, |v| clamp(from_end(v), 0, n)),
            stop.map_or(n, |v| clamp(from_end(v), 0, n)),
        )
    } else {
        (
            start.map_or(n - 1, |v| clamp(from_end(v), -1, n - 1)),
            stop.map_or(-1, |v| clamp(from_end(v), -1, n - 1)),
        )
    };
    let span = if step > 0 { stop - start } else { start - stop };
    let len = if span > 0 {
        ((span + step.abs() - 1) / step.abs()) as usize
    } else {
        0
    };
    SliceAxis {
        start: if len > 0 { start as usize } else { 0 },
        step,
        len,
    }
}

impl Array {
    /// The same elements in row-major order with another shape.
    ///
    /// ```
    /// use ndjit::Array;
    /// let a = Array::arange(0i64, 6, 1).reshape([2, 3]);
    /// assert_eq!(a.shape(), &[2, 3]);
    /// assert!(a.reshape([4]).validate().is_err());
    /// ```
    #[track_caller]
    pub fn reshape(&self, shape: impl Into<Shape>) -> Array {
        let shape = shape.into();
        if self.shape() == shape.dims() && self.error().is_none() {
            return self.clone();
        }
        Array::apply(Op::Reshape(shape), &[self])
    }

    /// All elements as one axis.
    #[track_caller]
    pub fn flatten(&self) -> Array {
        self.reshape([self.size()])
    }

    /// Axes reordered: axis `i` of the result is axis `axes[i]` of `self`
    /// (`np.transpose(a, axes)`).
    #[track_caller]
    pub fn permute(&self, axes: &[usize]) -> Array {
        if axes.iter().enumerate().all(|(i, &a)| i == a) && axes.len() == self.ndim() {
            return self.clone();
        }
        Array::apply(Op::Permute(axes.to_vec()), &[self])
    }

    /// Axes reversed (`a.T`).
    #[track_caller]
    pub fn t(&self) -> Array {
        let axes: Vec<usize> = (0..self.ndim()).rev().collect();
        self.permute(&axes)
    }

    /// Stretched to `shape` by NumPy's broadcasting rule (`np.broadcast_to`).
    #[track_caller]
    pub fn broadcast_to(&self, shape: impl Into<Shape>) -> Array {
        let shape = shape.into();
        if self.shape() == shape.dims() && self.error().is_none() {
            return self.clone();
        }
        Array::apply(Op::Broadcast(shape), &[self])
    }

    /// A new axis of extent 1 at position `axis` (negative counts from the
    /// end of the result, as `np.expand_dims`).
    #[track_caller]
    pub fn expand_dims(&self, axis: isize) -> Array {
        let mut dims = self.shape().to_vec();
        let result_rank = Shape(vec![0; dims.len() + 1]);
        let Some(axis) = result_rank.normalize_axis(axis) else {
            return self.fail(
                "expand_dims",
                format!(
                    "axis {axis} is out of bounds for a result of rank {}",
                    dims.len() + 1
                ),
            );
        };
        dims.insert(axis, 1);
        self.reshape(dims)
    }

    /// All axes of extent 1 removed.
    #[track_caller]
    pub fn squeeze(&self) -> Array {
        let dims: Vec<usize> = self.shape().iter().copied().filter(|&d| d != 1).collect();
        self.reshape(dims)
    }

    /// Axis `axis` (of extent 1) removed.
    #[track_caller]
    pub fn squeeze_axis(&self, axis: isize) -> Array {
        let shape = Shape(self.shape().to_vec());
        match shape.normalize_axis(axis) {
            Some(a) if shape.0[a] == 1 => {
                let mut dims = shape.0;
                dims.remove(a);
                self.reshape(dims)
            }
            Some(_) => self.fail(
                "squeeze",
                format!("cannot select axis {axis} of {shape}: its extent is not 1"),
            ),
            None => self.fail(
                "squeeze",
                format!("axis {axis} is out of bounds for shape {shape}"),
            ),
        }
    }

    /// A NumPy basic-indexing view, usually written with [`s!`](crate::s).
    #[track_caller]
    pub fn slice(&self, items: impl AsRef<[SliceItem]>) -> Array {
        let items = items.as_ref();
        let dims = self.shape().to_vec();
        let named = items
            .iter()
            .filter(|i| !matches!(i, SliceItem::NewAxis))
            .count();
        if named > dims.len() {
            return self.fail(
                "slice",
                format!(
                    "too many indices ({named}) for an array of shape {}",
                    Shape(dims)
                ),
            );
        }
        let mut axes = Vec::with_capacity(dims.len());
        let mut result_dims = Vec::new();
        let mut axis = 0;
        for item in items {
            match *item {
                SliceItem::NewAxis => result_dims.push(1),
                SliceItem::Index(index) => {
                    let extent = dims[axis];
                    let resolved = if index < 0 {
                        index + extent as isize
                    } else {
                        index
                    };
                    if resolved < 0 || resolved >= extent as isize {
                        return self.fail(
                            "slice",
                            format!(
                                "index {index} is out of bounds for axis {axis} with size {extent}"
                            ),
                        );
                    }
                    axes.push(SliceAxis {
                        start: resolved as usize,
                        step: 1,
                        len: 1,
                    });
                    axis += 1;
                }
                SliceItem::Range { start, stop, step } => {
                    if step == 0 {
                        return self
                            .fail("slice", format!("slice step cannot be zero (axis {axis})"));
                    }
                    let resolved = resolve(start, stop, step, dims[axis]);
                    result_dims.push(resolved.len);
                    axes.push(resolved);
                    axis += 1;
                }
            }
        }
        for &extent in &dims[axis..] {
            axes.push(SliceAxis {
                start: 0,
                step: 1,
                len: extent,
            });
            result_dims.push(extent);
        }
        let identity = axes
            .iter()
            .zip(&dims)
            .all(|(s, &d)| s.start == 0 && s.step == 1 && s.len == d);
        let window = if identity {
            self.clone()
        } else {
            Array::apply(Op::Slice(axes), &[self])
        };
        window.reshape(result_dims)
    }

    /// An invalid array for op `op`, unless `self` is already invalid (the
    /// first error is the one reported).
    #[track_caller]
    pub(crate) fn fail(&self, op: &str, message: String) -> Array {
        match self.error() {
            Some(error) => Array::invalid(error.clone()),
            None => Array::invalid(Error::invalid(op, message)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::resolve;
    use ndjit_ir::SliceAxis;

    #[test]
    fn slices_resolve_like_python() {
        let r = |start, stop, step, n| resolve(start, stop, step, n);
        assert_eq!(
            r(None, None, -1, 4),
            SliceAxis {
                start: 3,
                step: -1,
                len: 4
            }
        );
        assert_eq!(
            r(Some(1), Some(-1), 1, 5),
            SliceAxis {
                start: 1,
                step: 1,
                len: 3
            }
        );
        assert_eq!(
            r(Some(-100), Some(100), 2, 5),
            SliceAxis {
                start: 0,
                step: 2,
                len: 3
            }
        );
        assert_eq!(
            r(Some(3), Some(0), -2, 5),
            SliceAxis {
                start: 3,
                step: -2,
                len: 2
            }
        );
        assert_eq!(r(Some(2), Some(2), 1, 5).len, 0);
        assert_eq!(r(None, None, 1, 0).len, 0);
    }
}
