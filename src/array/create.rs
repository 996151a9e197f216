//! Creating arrays: from Rust data, constants, ranges.

use super::Array;
use crate::error::Error;
use ndjit_ir::{Buffer, DType, Element, Op, Scalar, Shape, Tensor};

impl Array {
    /// An array over `data` in row-major order.
    ///
    /// ```
    /// use ndjit::Array;
    /// let a = Array::from_vec(vec![1, 2, 3, 4, 5, 6], [2, 3]);
    /// assert_eq!(a.shape(), &[2, 3]);
    /// ```
    #[track_caller]
    pub fn from_vec<T: Element>(data: Vec<T>, shape: impl Into<Shape>) -> Array {
        Array::from_slice(&data, shape)
    }

    /// An array holding a copy of `data`, in row-major order.
    #[track_caller]
    pub fn from_slice<T: Element>(data: &[T], shape: impl Into<Shape>) -> Array {
        let shape = shape.into();
        match Tensor::from_slice(shape.clone(), data) {
            Some(tensor) => Array::realized(tensor),
            None => Array::invalid(Error::invalid(
                "array",
                format!(
                    "{} elements cannot fill shape {shape} ({} elements)",
                    data.len(),
                    shape.numel()
                ),
            )),
        }
    }

    /// A 0-d array holding one value. Unlike a bare Rust scalar in an
    /// expression, its dtype is fixed (NumPy 2's 0-d arrays are "strong").
    pub fn scalar<T: Element>(value: T) -> Array {
        Array::from_slice(&[value], Shape::scalar())
    }

    /// An array wrapping an already materialized tensor.
    pub fn from_tensor(tensor: Tensor) -> Array {
        Array::realized(tensor)
    }

    /// An array of `shape` filled with `value` (lazy: a broadcast constant,
    /// which fused kernels read as a scalar).
    #[track_caller]
    pub fn full<T: Element>(shape: impl Into<Shape>, value: T) -> Array {
        Array::filled(shape.into(), value.to_scalar())
    }

    /// Zeros of `dtype`.
    #[track_caller]
    pub fn zeros(shape: impl Into<Shape>, dtype: DType) -> Array {
        Array::filled(shape.into(), Scalar::zero(dtype))
    }

    /// Ones of `dtype`.
    #[track_caller]
    pub fn ones(shape: impl Into<Shape>, dtype: DType) -> Array {
        Array::filled(shape.into(), Scalar::one(dtype))
    }

    /// `shape` filled with one constant.
    #[track_caller]
    pub(crate) fn filled(shape: Shape, value: Scalar) -> Array {
        let constant = Array::apply(Op::Const(value), &[]);
        if shape.rank() == 0 {
            constant
        } else {
            Array::apply(Op::Broadcast(shape), &[&constant])
        }
    }

    /// Evenly spaced values in `[start, stop)` with spacing `step`, as
    /// `np.arange`: `ceil((stop - start) / step)` elements, element `i` being
    /// `start + i * step`. Integers are computed exactly.
    ///
    /// ```
    /// use ndjit::Array;
    /// assert_eq!(Array::arange(0i64, 5, 2).to_vec::<i64>()?, vec![0, 2, 4]);
    /// assert_eq!(Array::arange(1.0, 0.0, -0.25).to_vec::<f64>()?, vec![1.0, 0.75, 0.5, 0.25]);
    /// # Ok::<(), ndjit::Error>(())
    /// ```
    #[track_caller]
    pub fn arange<T: ArangeElement>(start: T, stop: T, step: T) -> Array {
        T::arange(start, stop, step)
    }

    /// `num` evenly spaced `f64` values from `start` to `stop`, including
    /// `stop` when `endpoint` is true, as `np.linspace` (the last value is
    /// exactly `stop`).
    ///
    /// ```
    /// use ndjit::Array;
    /// assert_eq!(Array::linspace(0.0, 1.0, 5, true).to_vec::<f64>()?, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    /// assert_eq!(Array::linspace(0.0, 1.0, 4, false).to_vec::<f64>()?, vec![0.0, 0.25, 0.5, 0.75]);
    /// # Ok::<(), ndjit::Error>(())
    /// ```
    pub fn linspace(start: f64, stop: f64, num: usize, endpoint: bool) -> Array {
        let divisions = if endpoint { num.saturating_sub(1) } else { num };
        let step = if divisions > 0 {
            (stop - start) / divisions as f64
        } else {
            0.0
        };
        let mut values: Vec<f64> = (0..num).map(|i| start + i as f64 * step).collect();
        if endpoint && num > 1 {
            values[num - 1] = stop;
        }
        Array::from_vec(values, [num])
    }

    /// The `n × n` identity matrix of `dtype`.
    pub fn eye(n: usize, dtype: DType) -> Array {
        let mut buffer = Buffer::zeros(dtype, n * n);
        for i in 0..n {
            buffer.set(i * n + i, Scalar::one(dtype));
        }
        Array::realized(Tensor::new(Shape(vec![n, n]), buffer).expect("n*n elements"))
    }
}

/// Element types [`Array::arange`] accepts: the integers (computed exactly)
/// and the floats.
pub trait ArangeElement: Element {
    /// Builds the range.
    #[track_caller]
    fn arange(start: Self, stop: Self, step: Self) -> Array;
}

macro_rules! arange_int {
    ($t:ty) => {
        impl ArangeElement for $t {
            #[track_caller]
            fn arange(start: $t, stop: $t, step: $t) -> Array {
                if step == 0 {
                    return Array::invalid(Error::invalid("arange", "step must not be zero"));
                }
                let span = stop as i128 - start as i128;
                let count = if (span > 0) == (step > 0) && span != 0 {
                    ((span.abs() + (step as i128).abs() - 1) / (step as i128).abs()) as usize
                } else {
                    0
                };
                let values: Vec<$t> = (0..count).map(|i| start + (i as $t) * step).collect();
                Array::from_vec(values, [count])
            }
        }
    };
}
arange_int!(i32);
arange_int!(i64);

macro_rules! arange_float {
    ($t:ty) => {
        impl ArangeElement for $t {
            #[track_caller]
            fn arange(start: $t, stop: $t, step: $t) -> Array {
                if step == 0.0 || !step.is_finite() || !start.is_finite() || !stop.is_finite() {
                    return Array::invalid(Error::invalid(
                        "arange",
                        format!("start {start}, stop {stop} and step {step} must be finite, step non-zero"),
                    ));
                }
                let count = ((stop as f64 - start as f64) / step as f64).ceil().max(0.0) as usize;
                let values: Vec<$t> = (0..count).map(|i| start + i as $t * step).collect();
                Array::from_vec(values, [count])
            }
        }
    };
}
arange_float!(f32);
arange_float!(f64);
