//! Creating arrays: from Rust data, constants, ranges.

use super::Array;
use crate::error::{Error, Result};
use ndjit_ir::{Buffer, DType, Element, Op, Scalar, Shape, Tensor, TensorType};

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
        let Some(numel) = shape.checked_numel() else {
            return Array::invalid(Error::invalid(
                "array",
                format!("shape {shape} has more elements than a usize can count"),
            ));
        };
        if numel != data.len() {
            return Array::invalid(Error::invalid(
                "array",
                format!(
                    "{} elements cannot fill shape {shape} ({numel} elements)",
                    data.len()
                ),
            ));
        }
        let filled = allocate("array", T::DTYPE, &shape).map(|mut buffer| {
            buffer.as_mut_slice::<T>().copy_from_slice(data);
            buffer
        });
        Array::from_buffer(shape, filled)
    }

    /// The array over a freshly filled buffer of `shape`, or the invalid
    /// array of the error that prevented it.
    #[track_caller]
    fn from_buffer(shape: Shape, buffer: Result<Buffer>) -> Array {
        match buffer {
            Ok(buffer) => match Tensor::new(shape, buffer) {
                Some(tensor) => Array::realized(tensor),
                None => unreachable!("`allocate` sizes the buffer for the shape"),
            },
            Err(error) => Array::invalid(error),
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
    #[track_caller]
    pub fn linspace(start: f64, stop: f64, num: usize, endpoint: bool) -> Array {
        let divisions = if endpoint { num.saturating_sub(1) } else { num };
        let step = if divisions > 0 {
            (stop - start) / divisions as f64
        } else {
            0.0
        };
        let shape = Shape(vec![num]);
        let filled = allocate("linspace", DType::F64, &shape).map(|mut buffer| {
            let values = buffer.as_mut_slice::<f64>();
            for (i, value) in values.iter_mut().enumerate() {
                *value = start + i as f64 * step;
            }
            if endpoint && num > 1 {
                values[num - 1] = stop;
            }
            buffer
        });
        Array::from_buffer(shape, filled)
    }

    /// The `n × n` identity matrix of `dtype`. An `n` whose matrix does not
    /// fit in memory gives an invalid array (NumPy's `MemoryError`).
    ///
    /// ```
    /// use ndjit::{Array, DType};
    /// assert_eq!(Array::eye(2, DType::I32).to_vec::<i32>()?, vec![1, 0, 0, 1]);
    /// assert!(Array::eye(1 << 32, DType::F64).validate().is_err());
    /// # Ok::<(), ndjit::Error>(())
    /// ```
    #[track_caller]
    pub fn eye(n: usize, dtype: DType) -> Array {
        let shape = Shape(vec![n, n]);
        let filled = allocate("eye", dtype, &shape).map(|mut buffer| {
            for i in 0..n {
                // n * n fits: the buffer holds that many elements.
                buffer.set(i * n + i, Scalar::one(dtype));
            }
            buffer
        });
        Array::from_buffer(shape, filled)
    }
}

/// A zeroed buffer for a value of `shape` built by `op`: an error (at the
/// caller's location) if the size in bytes overflows `isize`, NumPy's
/// "array is too big", or if the memory cannot be had, NumPy's
/// `MemoryError`. Never an abort.
#[track_caller]
fn allocate(op: &str, dtype: DType, shape: &Shape) -> Result<Buffer> {
    let ty = TensorType::new(shape.clone(), dtype);
    if !ty.fits_in_memory() {
        return Err(Error::invalid(
            op,
            format!("a result of type {ty} is too big: its size in bytes overflows isize"),
        ));
    }
    Buffer::try_zeros(dtype, shape.numel()).map_err(|e| {
        Error::invalid(
            op,
            format!(
                "cannot allocate {} bytes for a result of type {ty}",
                e.bytes
            ),
        )
    })
}

/// The element count of an `arange`, or the error for one that no array
/// can hold (the count of `arange(0.0, 1.0, 1e-20)` is 10²⁰).
#[track_caller]
fn arange_count(count: f64, dtype: DType) -> Result<usize> {
    let limit = (isize::MAX as usize / dtype.size_bytes()) as f64;
    if count <= limit {
        Ok(count as usize)
    } else {
        Err(Error::invalid(
            "arange",
            format!("{count:e} elements of {dtype} are too many for any array"),
        ))
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
                    (span.abs() + (step as i128).abs() - 1) / (step as i128).abs()
                } else {
                    0
                };
                // Exact below 2^53 and rejected far above, so the float is enough.
                let count = match arange_count(count as f64, <$t>::DTYPE) {
                    Ok(count) => count,
                    Err(error) => return Array::invalid(error),
                };
                let shape = Shape(vec![count]);
                let filled = allocate("arange", <$t>::DTYPE, &shape).map(|mut buffer| {
                    for (i, value) in buffer.as_mut_slice::<$t>().iter_mut().enumerate() {
                        // In range: every element lies between start and stop.
                        *value = (start as i128 + i as i128 * step as i128) as $t;
                    }
                    buffer
                });
                Array::from_buffer(shape, filled)
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
                let count = ((stop as f64 - start as f64) / step as f64).ceil().max(0.0);
                let count = match arange_count(count, <$t>::DTYPE) {
                    Ok(count) => count,
                    Err(error) => return Array::invalid(error),
                };
                let shape = Shape(vec![count]);
                let filled = allocate("arange", <$t>::DTYPE, &shape).map(|mut buffer| {
                    for (i, value) in buffer.as_mut_slice::<$t>().iter_mut().enumerate() {
                        *value = start + i as $t * step;
                    }
                    buffer
                });
                Array::from_buffer(shape, filled)
            }
        }
    };
}
arange_float!(f32);
arange_float!(f64);
