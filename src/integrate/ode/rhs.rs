//! The right-hand side `f(t, y)` of an ODE: an array closure traced once
//! and compiled, or a plain Rust function.

use crate::error::{Error, Result};
use crate::{Array, DType, Function, TensorType};

/// `f(t, y)`, boxed.
type RhsFn<'f> = Box<dyn FnMut(f64, &[f64]) -> Result<Vec<f64>> + 'f>;

/// A right-hand side, counting its evaluations (SciPy's `nfev`).
pub struct Rhs<'f> {
    evaluate: RhsFn<'f>,
    n: usize,
    pub(crate) calls: usize,
}

impl Rhs<'_> {
    /// `f(t, y)`, checked to have `y`'s length.
    pub(crate) fn call(&mut self, t: f64, y: &[f64]) -> Result<Vec<f64>> {
        self.calls += 1;
        let dy = (self.evaluate)(t, y)?;
        if dy.len() != self.n {
            return Err(Error::invalid(
                "solve_ivp",
                format!(
                    "the right-hand side returned {} values for a state of {}",
                    dy.len(),
                    self.n
                ),
            ));
        }
        Ok(dy)
    }
}

/// Marker for right-hand sides written as `Fn(f64, &[f64]) -> Vec<f64>`.
pub struct PlainRhs;

/// Marker for right-hand sides written as `Fn(&Array, &Array) -> Array`.
pub struct ArrayRhs;

/// Conversion of a closure into a [`Rhs`] for a state of `n` components.
/// The marker `M` tells the closure kinds apart.
pub trait IntoRhs<'f, M> {
    /// The right-hand side for states of length `n` (an array closure is
    /// traced here, once).
    fn into_rhs(self, n: usize) -> Result<Rhs<'f>>;
}

impl<'f, F> IntoRhs<'f, PlainRhs> for F
where
    F: FnMut(f64, &[f64]) -> Vec<f64> + 'f,
{
    fn into_rhs(mut self, n: usize) -> Result<Rhs<'f>> {
        Ok(Rhs {
            evaluate: Box::new(move |t, y| Ok(self(t, y))),
            n,
            calls: 0,
        })
    }
}

impl<'f, F> IntoRhs<'f, ArrayRhs> for F
where
    F: Fn(&Array, &Array) -> Array + 'f,
{
    /// Traces `f` on a 0-d `t` and a `f64[n]` state; the result must
    /// broadcast to `f64[n]`.
    fn into_rhs(self, n: usize) -> Result<Rhs<'f>> {
        let types = [
            TensorType::new([], DType::F64),
            TensorType::new([n], DType::F64),
        ];
        let function = Function::new(&types, |a| {
            vec![self(&a[0], &a[1]).astype(DType::F64).broadcast_to([n])]
        })
        .map_err(|error| {
            Error::invalid(
                "solve_ivp",
                format!("the right-hand side cannot be traced on (t: f64[], y: f64[{n}]): {error}"),
            )
        })?;
        Ok(Rhs {
            evaluate: Box::new(move |t, y| {
                let out = function.call(&[Array::scalar(t), Array::from_slice(y, [y.len()])])?;
                out[0].to_vec::<f64>()
            }),
            n,
            calls: 0,
        })
    }
}
