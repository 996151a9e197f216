//! Reductions: sum, prod, max, min, any, all, mean, var, std, argmax, argmin.

use super::Array;
use ndjit_ir::{ArgReduceOp, DType, Op, ReduceOp, Shape};
use std::ops::RangeFull;

/// Which axes a reduction runs over: `..` for all of them, one axis, or
/// several. Negative axes count from the end, as in NumPy.
///
/// ```
/// use ndjit::Array;
/// let a = Array::arange(0.0, 6.0, 1.0).reshape([2, 3]);
/// assert_eq!(a.sum(..).item::<f64>()?, 15.0);
/// assert_eq!(a.sum(0).to_vec::<f64>()?, vec![3.0, 5.0, 7.0]);
/// assert_eq!(a.sum(-1).to_vec::<f64>()?, vec![3.0, 12.0]);
/// assert_eq!(a.sum([0, 1]).item::<f64>()?, 15.0);
/// assert_eq!(a.sum_keepdims(1).shape(), &[2, 1]);
/// # Ok::<(), ndjit::Error>(())
/// ```
///
/// An axis of any integer type is taken at its value (`usize::MAX` is out
/// of range, never wrapped to −1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axes(Option<Vec<i128>>);

impl From<RangeFull> for Axes {
    fn from(_: RangeFull) -> Axes {
        Axes(None)
    }
}

macro_rules! axes_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Axes {
            fn from(axis: $t) -> Axes {
                Axes(Some(vec![axis as i128]))
            }
        }

        impl<const N: usize> From<[$t; N]> for Axes {
            fn from(axes: [$t; N]) -> Axes {
                Axes(Some(axes.iter().map(|&a| a as i128).collect()))
            }
        }

        impl From<&[$t]> for Axes {
            fn from(axes: &[$t]) -> Axes {
                Axes(Some(axes.iter().map(|&a| a as i128).collect()))
            }
        }

        impl From<Vec<$t>> for Axes {
            fn from(axes: Vec<$t>) -> Axes {
                Axes(Some(axes.iter().map(|&a| a as i128).collect()))
            }
        }
    )*};
}
axes_from_int!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

impl Axes {
    /// The axes resolved against `shape`: in range, ascending, distinct.
    fn resolve(&self, shape: &Shape) -> Result<Vec<usize>, String> {
        let Some(axes) = &self.0 else {
            return Ok((0..shape.rank()).collect());
        };
        let mut resolved = Vec::with_capacity(axes.len());
        for &axis in axes {
            match normalize_axis(shape, axis) {
                Some(a) if resolved.contains(&a) => return Err(format!("duplicate axis {axis}")),
                Some(a) => resolved.push(a),
                None => return Err(format!("axis {axis} is out of bounds for shape {shape}")),
            }
        }
        resolved.sort_unstable();
        Ok(resolved)
    }
}

macro_rules! reductions {
    ($($(#[$doc:meta])* $name:ident, $keepdims:ident => $op:ident;)*) => {
        impl Array {
            $(
                $(#[$doc])*
                #[track_caller]
                pub fn $name(&self, axes: impl Into<Axes>) -> Array {
                    self.reduce(ReduceOp::$op, axes.into(), false)
                }

                #[doc = concat!("[`Array::", stringify!($name), "`] keeping the reduced axes with extent 1.")]
                #[track_caller]
                pub fn $keepdims(&self, axes: impl Into<Axes>) -> Array {
                    self.reduce(ReduceOp::$op, axes.into(), true)
                }
            )*
        }
    };
}

reductions! {
    /// Sum over `axes`. Bool and `i32` arrays sum in `i64`, as NumPy does;
    /// floats are summed pairwise.
    sum, sum_keepdims => Sum;
    /// Product over `axes` (bool and `i32` in `i64`).
    prod, prod_keepdims => Prod;
    /// Maximum over `axes`; NaN if any element is NaN. An empty axis is an error.
    max, max_keepdims => Max;
    /// Minimum over `axes`; NaN if any element is NaN. An empty axis is an error.
    min, min_keepdims => Min;
    /// Whether any element over `axes` is true (non-zero).
    any, any_keepdims => Any;
    /// Whether all elements over `axes` are true (non-zero).
    all, all_keepdims => All;
}

impl Array {
    #[track_caller]
    fn reduce(&self, op: ReduceOp, axes: Axes, keepdims: bool) -> Array {
        let shape = Shape(self.shape().to_vec());
        let axes = match axes.resolve(&shape) {
            Ok(axes) => axes,
            Err(message) => return self.fail(op.name(), message),
        };
        let input = match op {
            ReduceOp::Sum | ReduceOp::Prod if matches!(self.dtype(), DType::Bool | DType::I32) => {
                self.astype(DType::I64)
            }
            ReduceOp::Any | ReduceOp::All => self.astype(DType::Bool),
            _ => self.clone(),
        };
        let reduced = Array::apply(
            Op::Reduce {
                op,
                axes: axes.clone(),
            },
            &[&input],
        );
        if keepdims {
            reduced
        } else {
            reduced.reshape(drop_axes(&shape, &axes))
        }
    }

    /// Arithmetic mean over `axes` (integers in `f64`; NaN for no elements).
    #[track_caller]
    pub fn mean(&self, axes: impl Into<Axes>) -> Array {
        self.mean_impl(axes.into(), false)
    }

    /// [`Array::mean`] keeping the reduced axes with extent 1.
    #[track_caller]
    pub fn mean_keepdims(&self, axes: impl Into<Axes>) -> Array {
        self.mean_impl(axes.into(), true)
    }

    #[track_caller]
    fn mean_impl(&self, axes: Axes, keepdims: bool) -> Array {
        let x = self.astype(self.dtype().to_float());
        let count = reduced_count(&Shape(self.shape().to_vec()), &axes);
        x.reduce(ReduceOp::Sum, axes, keepdims) / count as f64
    }

    /// Variance over `axes` with `ddof` delta degrees of freedom: the sum of
    /// squared deviations divided by `N - ddof` (`np.var`). With `ddof ≥ N`
    /// the divisor is 0, as NumPy's: `inf`, or NaN where the deviations are
    /// all 0.
    #[track_caller]
    pub fn var(&self, axes: impl Into<Axes>, ddof: usize) -> Array {
        self.var_impl(axes.into(), ddof, false)
    }

    /// [`Array::var`] keeping the reduced axes with extent 1.
    #[track_caller]
    pub fn var_keepdims(&self, axes: impl Into<Axes>, ddof: usize) -> Array {
        self.var_impl(axes.into(), ddof, true)
    }

    /// Standard deviation: the square root of [`Array::var`] (`np.std`).
    #[track_caller]
    pub fn std(&self, axes: impl Into<Axes>, ddof: usize) -> Array {
        self.var_impl(axes.into(), ddof, false).sqrt()
    }

    /// [`Array::std`] keeping the reduced axes with extent 1.
    #[track_caller]
    pub fn std_keepdims(&self, axes: impl Into<Axes>, ddof: usize) -> Array {
        self.var_impl(axes.into(), ddof, true).sqrt()
    }

    #[track_caller]
    fn var_impl(&self, axes: Axes, ddof: usize, keepdims: bool) -> Array {
        let x = self.astype(self.dtype().to_float());
        let count = reduced_count(&Shape(self.shape().to_vec()), &axes);
        let deviation = &x - x.mean_impl(axes.clone(), true);
        let divisor = count.saturating_sub(ddof) as f64;
        deviation.square().reduce(ReduceOp::Sum, axes, keepdims) / divisor
    }

    /// Index of the first maximum along one axis, or in the flattened array
    /// for `..` (`np.argmax`); NaN counts as the maximum.
    #[track_caller]
    pub fn argmax(&self, axis: impl Into<Axes>) -> Array {
        self.arg_reduce(ArgReduceOp::ArgMax, axis.into())
    }

    /// Index of the first minimum along one axis, or in the flattened array
    /// for `..` (`np.argmin`); NaN counts as the minimum.
    #[track_caller]
    pub fn argmin(&self, axis: impl Into<Axes>) -> Array {
        self.arg_reduce(ArgReduceOp::ArgMin, axis.into())
    }

    #[track_caller]
    fn arg_reduce(&self, op: ArgReduceOp, axis: Axes) -> Array {
        let (input, axis) = match &axis.0 {
            None => (self.flatten(), 0),
            Some(axes) if axes.len() == 1 => {
                match normalize_axis(&Shape(self.shape().to_vec()), axes[0]) {
                    Some(a) => (self.clone(), a),
                    None => {
                        return self.fail(
                            op.name(),
                            format!(
                                "axis {} is out of bounds for shape {:?}",
                                axes[0],
                                self.shape()
                            ),
                        )
                    }
                }
            }
            Some(axes) => {
                return self.fail(
                    op.name(),
                    format!("takes one axis or all (..), got {axes:?}"),
                )
            }
        };
        let found = Array::apply(Op::ArgReduce { op, axis }, &[&input]);
        found.reshape(drop_axes(&Shape(input.shape().to_vec()), &[axis]))
    }
}

/// An axis of any integer type resolved against `shape` (negative counts
/// from the end); `None` when out of range.
fn normalize_axis(shape: &Shape, axis: i128) -> Option<usize> {
    shape.normalize_axis(isize::try_from(axis).ok()?)
}

/// `shape` without `axes`.
fn drop_axes(shape: &Shape, axes: &[usize]) -> Vec<usize> {
    shape
        .0
        .iter()
        .enumerate()
        .filter(|(i, _)| !axes.contains(i))
        .map(|(_, &d)| d)
        .collect()
}

/// How many elements each output of a reduction over `axes` combines
/// (0 when the axes are invalid; the reduction itself reports that).
fn reduced_count(shape: &Shape, axes: &Axes) -> usize {
    axes.resolve(shape)
        .map(|axes| axes.iter().map(|&a| shape.0[a]).product())
        .unwrap_or(0)
}
