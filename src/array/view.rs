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
    /// This range with another step (`s![..;-1]` reverses an axis), of any
    /// integer type.
    pub fn step_by(self, step: impl SliceBound) -> SliceItem {
        let step = saturate(step.to_i128());
        match self {
            SliceItem::Range { start, stop, .. } => SliceItem::Range { start, stop, step },
            other => other,
        }
    }

    /// The range `start..stop` (`start..=stop` if `inclusive`), bounds
    /// omitted when `None`: what [`s!`](crate::s) builds from range syntax,
    /// without building a Rust range (so `s![5..2]` is not a reversed range
    /// to clippy, but NumPy's empty slice).
    #[doc(hidden)]
    pub fn from_bounds(start: Option<i128>, stop: Option<i128>, inclusive: bool) -> SliceItem {
        let stop = match stop {
            // `..=-1` runs to the end, as `..` does.
            Some(-1) if inclusive => None,
            Some(end) if inclusive => Some(end + 1),
            stop => stop,
        };
        SliceItem::Range {
            start: start.map(saturate),
            stop: stop.map(saturate),
            step: 1,
        }
    }
}

/// A slice bound clamped to `isize`: the same slice, since an extent is at
/// most `isize::MAX` and bounds beyond it are clamped to the axis anyway.
fn saturate(value: i128) -> isize {
    value.clamp(isize::MIN as i128, isize::MAX as i128) as isize
}

/// The integer types [`s!`](crate::s) takes as indices, bounds and steps.
pub trait SliceBound: Copy {
    /// The value, exactly.
    fn to_i128(self) -> i128;
}

macro_rules! slice_bound {
    ($($t:ty),*) => {$(
        impl SliceBound for $t {
            fn to_i128(self) -> i128 {
                self as i128
            }
        }

        impl From<$t> for SliceItem {
            fn from(index: $t) -> SliceItem {
                SliceItem::Index(saturate(index as i128))
            }
        }
    )*};
}
slice_bound!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

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
        SliceItem::from_bounds(Some(*r.start() as i128), Some(*r.end() as i128), true)
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
        SliceItem::from_bounds(None, Some(r.end as i128), true)
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
/// Axes not named are taken whole. Indices, bounds and steps may be of any
/// integer type.
///
/// Range syntax is read by the macro, not built as a Rust range, so NumPy's
/// empty and backward slices (`s![5..2]`, `s![1..-1]`, `s![7..1;-2]`) are
/// what they are in Python, and not reversed ranges to clippy.
///
/// ```
/// use ndjit::{s, Array};
/// let a = Array::arange(0i64, 12, 1).reshape([3, 4]);
/// assert_eq!(a.slice(s![1, ..;-2]).to_vec::<i64>()?, vec![7, 5]);
/// assert_eq!(a.slice(s![..2, 1..3]).to_vec::<i64>()?, vec![1, 2, 5, 6]);
/// let row: usize = 2;
/// assert_eq!(a.slice(s![row, 3..1;-1]).to_vec::<i64>()?, vec![11, 10]);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[macro_export]
macro_rules! s {
    ($($tokens:tt)*) => {
        $crate::__s_items!([] [] $($tokens)*)
    };
}

/// Splits the tokens of [`s!`] at top-level commas (an implementation
/// detail of `s!`).
#[doc(hidden)]
#[macro_export]
macro_rules! __s_items {
    ([$($done:tt)*] []) => {
        [$($done),*]
    };
    ([$($done:tt)*] [$($item:tt)+]) => {
        [$($done,)* ($crate::__s_item!([] $($item)+))]
    };
    ([$($done:tt)*] [$($item:tt)+] , $($rest:tt)*) => {
        $crate::__s_items!([$($done)* ($crate::__s_item!([] $($item)+))] [] $($rest)*)
    };
    ([$($done:tt)*] [$($item:tt)*] $next:tt $($rest:tt)*) => {
        $crate::__s_items!([$($done)*] [$($item)* $next] $($rest)*)
    };
}

/// One item of [`s!`]: `start..stop;step` (each part optional), `..=`, or
/// an expression (an index, or a [`SliceItem`](crate::SliceItem)), with an
/// optional `;step` (an implementation detail of `s!`).
#[doc(hidden)]
#[macro_export]
macro_rules! __s_item {
    ([$($start:tt)*] ..= $($rest:tt)*) => {
        $crate::__s_range!(true [$($start)*] [] $($rest)*)
    };
    ([$($start:tt)*] .. $($rest:tt)*) => {
        $crate::__s_range!(false [$($start)*] [] $($rest)*)
    };
    ([$($item:tt)+] ; $($step:tt)+) => {
        $crate::SliceItem::from($($item)+).step_by($($step)+)
    };
    ([$($item:tt)+]) => {
        $crate::SliceItem::from($($item)+)
    };
    ([$($item:tt)*] $next:tt $($rest:tt)*) => {
        $crate::__s_item!([$($item)* $next] $($rest)*)
    };
}

/// The stop and step of a range item of [`s!`] (an implementation detail).
#[doc(hidden)]
#[macro_export]
macro_rules! __s_range {
    ($inclusive:literal [$($start:tt)*] [$($stop:tt)*] ; $($step:tt)+) => {
        $crate::__s_range!($inclusive [$($start)*] [$($stop)*]).step_by($($step)+)
    };
    ($inclusive:literal [$($start:tt)*] [$($stop:tt)*]) => {
        $crate::SliceItem::from_bounds(
            $crate::__s_bound!($($start)*),
            $crate::__s_bound!($($stop)*),
            $inclusive,
        )
    };
    ($inclusive:literal [$($start:tt)*] [$($stop:tt)*] $next:tt $($rest:tt)*) => {
        $crate::__s_range!($inclusive [$($start)*] [$($stop)* $next] $($rest)*)
    };
}

/// An optional bound of [`s!`] as `Option<i128>` (an implementation detail).
#[doc(hidden)]
#[macro_export]
macro_rules! __s_bound {
    () => {
        ::core::option::Option::None
    };
    ($($bound:tt)+) => {
        ::core::option::Option::Some($crate::SliceBound::to_i128($($bound)+))
    };
}

/// Resolves `start:stop:step` against an extent, as Python's
/// `slice.indices`, in `i128` so that no bound or step overflows
/// (`s![..;isize::MIN]` is the first element, as in Python). A slice of at
/// most one element gets step 1: any step selects the same element.
fn resolve(start: Option<isize>, stop: Option<isize>, step: isize, extent: usize) -> SliceAxis {
    let n = extent as i128;
    let step_wide = step as i128;
    let from_end = |v: isize| {
        let v = v as i128;
        if v < 0 {
            v + n
        } else {
            v
        }
    };
    let (start, stop) = if step > 0 {
        (
            start.map_or(0, |v| from_end(v).clamp(0, n)),
            stop.map_or(n, |v| from_end(v).clamp(0, n)),
        )
    } else {
        (
            start.map_or(n - 1, |v| from_end(v).clamp(-1, n - 1)),
            stop.map_or(-1, |v| from_end(v).clamp(-1, n - 1)),
        )
    };
    let span = if step > 0 { stop - start } else { start - stop };
    let len = if span > 0 {
        (span + step_wide.abs() - 1) / step_wide.abs()
    } else {
        0
    };
    SliceAxis {
        start: if len > 0 { start as usize } else { 0 },
        step: if len > 1 { step } else { 1 },
        len: len as usize,
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
        let first = SliceAxis {
            start: 0,
            step: 1,
            len: 1,
        };
        let last = SliceAxis {
            start: 4,
            step: 1,
            len: 1,
        };
        // Extreme steps and bounds, as Python's slice.indices.
        assert_eq!(r(None, None, isize::MAX, 5), first);
        assert_eq!(r(None, None, isize::MIN, 5), last);
        assert_eq!(r(Some(isize::MIN), Some(isize::MAX), isize::MAX, 5), first);
        assert_eq!(r(Some(isize::MAX), Some(isize::MIN), isize::MIN, 5), last);
        assert_eq!(r(Some(isize::MIN), None, -1, 5).len, 0);
        assert_eq!(r(Some(0), Some(isize::MAX), 1, 5).len, 5);
    }
}
