//! Joining arrays: [`concatenate`] along an existing axis and [`stack`]
//! along a new one, as NumPy's functions of those names.

use super::Array;
use crate::error::{Error, Result};
use ndjit_ir::{promote, Op, Shape};

impl AsRef<Array> for Array {
    fn as_ref(&self) -> &Array {
        self
    }
}

/// The arrays joined end to end along `axis` (`np.concatenate`): they must
/// have the same number of axes and the same extents except along `axis`
/// (negative counts from the end); the result's extent there is the sum of
/// theirs. Dtypes are promoted as for arithmetic between the arrays
/// (`i32` with `f64` gives `f64`). Nothing is copied until the result is
/// evaluated, and then each array is computed straight into its part of
/// the result.
///
/// Mismatched arrays, an axis out of range, 0-d arrays or an empty list
/// give an invalid array carrying [`Error::InvalidOp`], as every array
/// operation does.
///
/// ```
/// use ndjit::{concatenate, Array};
/// // np.concatenate([[[1, 2], [3, 4]], [[5, 6]]]) and the same along axis=-1.
/// let a = Array::from_vec(vec![1i64, 2, 3, 4], [2, 2]);
/// let b = Array::from_vec(vec![5i64, 6], [1, 2]);
/// let rows = concatenate(&[&a, &b], 0);
/// assert_eq!(rows.shape(), &[3, 2]);
/// assert_eq!(rows.to_vec::<i64>()?, vec![1, 2, 3, 4, 5, 6]);
/// let columns = concatenate(&[&a, &b.t()], -1);
/// assert_eq!(columns.to_vec::<i64>()?, vec![1, 2, 5, 3, 4, 6]);
/// assert!(concatenate(&[&a, &b], 1).validate().is_err());
/// # Ok::<(), ndjit::Error>(())
/// ```
#[track_caller]
pub fn concatenate<A: AsRef<Array>>(arrays: &[A], axis: isize) -> Array {
    match joined(arrays.iter().map(AsRef::as_ref), axis) {
        Ok(array) => array,
        Err(error) => Array::invalid(error),
    }
}

/// The arrays, all of one shape, joined along a new axis at position `axis`
/// of the result (`np.stack`; negative counts from the end of the result):
/// each is expanded with an axis of extent 1 there, then concatenated.
/// Dtypes are promoted as by [`concatenate`].
///
/// ```
/// use ndjit::{stack, Array};
/// // np.stack([[1., 2., 3.], [4., 5., 6.]]) and along axis=-1.
/// let a = Array::from_vec(vec![1.0, 2.0, 3.0], [3]);
/// let b = Array::from_vec(vec![4.0, 5.0, 6.0], [3]);
/// let rows = stack(&[&a, &b], 0);
/// assert_eq!(rows.shape(), &[2, 3]);
/// assert_eq!(rows.to_vec::<f64>()?, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
/// let pairs = stack(&[&a, &b], -1);
/// assert_eq!(pairs.shape(), &[3, 2]);
/// assert_eq!(pairs.to_vec::<f64>()?, vec![1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[track_caller]
pub fn stack<A: AsRef<Array>>(arrays: &[A], axis: isize) -> Array {
    match stacked(arrays, axis) {
        Ok(array) => array,
        Err(error) => Array::invalid(error),
    }
}

// Errors are built in the function bodies, never in closures: a closure
// would report its own location instead of the caller's.

#[track_caller]
fn stacked<A: AsRef<Array>>(arrays: &[A], axis: isize) -> Result<Array> {
    let Some(first) = arrays.first() else {
        return Err(Error::invalid("stack", "need at least one array to stack"));
    };
    let shape = first.as_ref().checked_type()?.shape.clone();
    for array in arrays {
        let ty = array.as_ref().checked_type()?;
        if ty.shape != shape {
            return Err(Error::invalid(
                "stack",
                format!(
                    "all input arrays must have the same shape, got {shape} and {}",
                    ty.shape
                ),
            ));
        }
    }
    let result_rank = Shape(vec![0; shape.rank() + 1]);
    let Some(axis) = result_rank.normalize_axis(axis) else {
        return Err(Error::invalid(
            "stack",
            format!(
                "axis {axis} is out of bounds for array of dimension {}",
                shape.rank() + 1
            ),
        ));
    };
    let expanded: Vec<Array> = arrays
        .iter()
        .map(|a| a.as_ref().expand_dims(axis as isize))
        .collect();
    joined(expanded.iter(), axis as isize)
}

/// `concatenate`, with errors as values.
#[track_caller]
fn joined<'a>(arrays: impl Iterator<Item = &'a Array> + Clone, axis: isize) -> Result<Array> {
    let mut types = Vec::new();
    for array in arrays.clone() {
        types.push(array.checked_type()?);
    }
    let Some(first) = types.first() else {
        return Err(Error::invalid(
            "concatenate",
            "need at least one array to concatenate",
        ));
    };
    let rank = first.shape.rank();
    if rank == 0 {
        return Err(Error::invalid(
            "concatenate",
            "zero-dimensional arrays cannot be concatenated",
        ));
    }
    let Some(axis) = first.shape.normalize_axis(axis) else {
        return Err(Error::invalid(
            "concatenate",
            format!("axis {axis} is out of bounds for array of dimension {rank}"),
        ));
    };
    for (k, ty) in types.iter().enumerate().skip(1) {
        if ty.shape.rank() != rank {
            return Err(Error::invalid(
                "concatenate",
                format!(
                    "all the input arrays must have same number of dimensions, but the array \
                     at index 0 has {rank} dimension(s) and the array at index {k} has {} \
                     dimension(s)",
                    ty.shape.rank()
                ),
            ));
        }
        if let Some(a) = (0..rank).find(|&a| a != axis && ty.shape.0[a] != first.shape.0[a]) {
            return Err(Error::invalid(
                "concatenate",
                format!(
                    "all the input array dimensions except for the concatenation axis must \
                     match exactly, but along dimension {a}, the array at index 0 has size {} \
                     and the array at index {k} has size {}",
                    first.shape.0[a], ty.shape.0[a]
                ),
            ));
        }
    }
    let dtype = types
        .iter()
        .map(|ty| ty.dtype)
        .reduce(promote)
        .expect("at least one array");
    let operands: Vec<Array> = arrays.map(|a| a.astype(dtype)).collect();
    let operands: Vec<&Array> = operands.iter().collect();
    Ok(Array::apply(Op::Concat { axis }, &operands))
}
