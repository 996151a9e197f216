//! The lazy [`Array`]: what users build expressions with.
//!
//! An `Array` is a cheap handle (an `Arc`) to a node holding an op, its
//! operands, and its static shape and dtype. Building an expression computes
//! nothing; [`Array::eval`] traces the pending graph behind it, evaluates it,
//! and stores the value in the node, which then drops its operands.
//!
//! # Errors at build time
//!
//! Operators like `a + b` cannot return a `Result`, so every operation
//! returns an `Array`, which may be *invalid*: it carries the [`Error`]
//! (with the op, the shapes/dtypes involved and the caller's source
//! location), every array built from it carries the same error, and
//! [`Array::eval`] returns it. Call [`Array::validate`] to surface an error
//! right where the array is built: `let c = a.reshape([3, 4]).validate()?;`.
//! One method serves every op, instead of a `try_` twin of each.

mod claim;
mod create;
mod display;
mod elementwise;
pub(crate) mod eval;
mod join;
pub(crate) mod node;
mod operators;
mod reduce;
mod view;

pub use create::ArangeElement;
pub use display::array_repr;
pub use elementwise::binary;
pub use elementwise::{where_, Operand};
pub use join::{concatenate, stack};
pub use reduce::Axes;
pub use view::{SliceBound, SliceItem};

use crate::error::{Error, Result};
use ndjit_ir::{DType, Element, Op, TensorType};
use node::{ArrayNode, State, Tracing, AUTO_REALIZE_DEPTH};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// A lazy n-dimensional array. Cloning is cheap and shares the node.
#[derive(Clone)]
pub struct Array(pub(crate) Arc<ArrayNode>);

impl Array {
    /// Applies `op` to `args`: the one constructor of pending nodes. Checks
    /// the op's shape and dtype rule; an invalid operand or a rejected
    /// operation gives an invalid array.
    #[track_caller]
    pub(crate) fn apply(op: Op, args: &[&Array]) -> Array {
        let mut types = Vec::with_capacity(args.len());
        for arg in args {
            match arg.checked_type() {
                Ok(ty) => types.push(ty),
                Err(error) => return Array::invalid(error.clone()),
            }
        }
        let ty = match op.infer(&types) {
            Ok(ty) => ty,
            Err(error) => return Array::invalid(Error::at_caller(error)),
        };
        let depth = 1 + args.iter().map(|a| a.depth()).max().unwrap_or(0);
        let array = Array(Arc::new(ArrayNode::valid(
            ty,
            depth,
            State::Pending {
                op,
                args: args.iter().map(|&a| a.clone()).collect(),
            },
        )));
        if depth > AUTO_REALIZE_DEPTH && !Tracing::active() {
            // Evaluation of a well-typed graph cannot fail for a reason the
            // user could act on here; if it does, the array stays pending and
            // `eval` reports the error later.
            let _ = array.eval();
        }
        array
    }

    /// An invalid array carrying `error`.
    pub(crate) fn invalid(error: Error) -> Array {
        Array(Arc::new(ArrayNode::Invalid(error)))
    }

    /// An array holding an already computed value.
    pub(crate) fn realized(tensor: ndjit_ir::Tensor) -> Array {
        let ty = TensorType::new(tensor.shape().clone(), tensor.dtype());
        Array(Arc::new(ArrayNode::valid(ty, 0, State::Realized(tensor))))
    }

    /// An input of the given type with no data behind it, for building a
    /// graph to inspect without allocating its inputs (what `ndjit ir`
    /// does): arrays built from it trace as usual (see
    /// [`trace_with_inputs`](crate::trace_with_inputs)), but evaluating one
    /// of them is an error. [`Function`](crate::Function) traces its
    /// closure over placeholders too.
    ///
    /// ```
    /// use ndjit::{Array, DType, TensorType};
    /// let x = Array::placeholder(TensorType::new([1_000_000_000_000], DType::F64));
    /// let y = x.exp() + 1.0;
    /// assert_eq!(y.shape(), &[1_000_000_000_000]);
    /// assert!(y.to_vec::<f64>().is_err());
    /// ```
    pub fn placeholder(ty: TensorType) -> Array {
        Array(Arc::new(ArrayNode::valid(ty, 0, State::Placeholder)))
    }

    /// Locks the state of a valid array (panics on an invalid one: callers
    /// check validity first).
    pub(crate) fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        match &*self.0 {
            ArrayNode::Valid { state, .. } => ArrayNode::lock(state),
            ArrayNode::Invalid(_) => unreachable!("only valid arrays have a state"),
        }
    }

    /// The type of an array known to be valid.
    pub(crate) fn valid_type(&self) -> &TensorType {
        self.checked_type()
            .expect("the array was checked to be valid")
    }

    /// The type, or the error of an invalid array.
    pub(crate) fn checked_type(&self) -> Result<&TensorType> {
        match &*self.0 {
            ArrayNode::Valid { ty, .. } => Ok(ty),
            ArrayNode::Invalid(error) => Err(error.clone()),
        }
    }

    fn depth(&self) -> u32 {
        match &*self.0 {
            ArrayNode::Valid { depth, .. } => depth.load(Ordering::Relaxed),
            ArrayNode::Invalid(_) => 0,
        }
    }

    /// `Ok(self)` if this array is well-formed, else the error of the
    /// first invalid operation it was built from.
    pub fn validate(self) -> Result<Array> {
        self.checked_type()?;
        Ok(self)
    }

    /// The error this array carries, if it is invalid.
    pub fn error(&self) -> Option<&Error> {
        match &*self.0 {
            ArrayNode::Valid { .. } => None,
            ArrayNode::Invalid(error) => Some(error),
        }
    }

    /// The extents of each axis (empty for a 0-d array, and for an invalid one).
    pub fn shape(&self) -> &[usize] {
        self.checked_type().map(|ty| ty.shape.dims()).unwrap_or(&[])
    }

    /// The element type (`f64` for an invalid array).
    pub fn dtype(&self) -> DType {
        self.checked_type().map(|ty| ty.dtype).unwrap_or(DType::F64)
    }

    /// Number of axes.
    pub fn ndim(&self) -> usize {
        self.shape().len()
    }

    /// Number of elements.
    pub fn size(&self) -> usize {
        self.shape().iter().product()
    }

    /// Whether the value has been computed.
    pub fn is_realized(&self) -> bool {
        match &*self.0 {
            ArrayNode::Valid { state, .. } => {
                matches!(&*ArrayNode::lock(state), State::Realized(_))
            }
            ArrayNode::Invalid(_) => false,
        }
    }

    /// Evaluates the array (if needed) and copies its elements out, in
    /// row-major order. `T` must be the array's dtype.
    pub fn to_vec<T: Element>(&self) -> Result<Vec<T>> {
        let tensor = self.value()?;
        if tensor.dtype() != T::DTYPE {
            return Err(Error::Access(format!(
                "to_vec::<{}>() on an array of dtype {}; use astype first",
                T::DTYPE,
                tensor.dtype()
            )));
        }
        Ok(tensor.as_slice::<T>().to_vec())
    }

    /// The single element of a one-element array, as `T` (which must be the
    /// array's dtype).
    pub fn item<T: Element>(&self) -> Result<T> {
        if self.size() != 1 {
            return Err(Error::Access(format!(
                "item() of an array of shape {:?}; it needs exactly one element",
                self.shape()
            )));
        }
        Ok(self.to_vec::<T>()?[0])
    }
}

impl std::fmt::Debug for Array {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.checked_type() {
            Ok(ty) => write!(f, "Array<{ty}>"),
            Err(error) => write!(f, "Array<invalid: {error}>"),
        }
    }
}
