//! What `quad` and its relatives integrate: a closure over arrays, traced
//! once and compiled, or a plain Rust function of one `f64`.
//!
//! Quadrature rules need the integrand at many nodes at once (21 per
//! interval for Gauss–Kronrod, 42 when an interval is bisected). An array
//! closure is traced once per batch length into a compiled [`Function`]
//! and then called with all the nodes of a batch in one vector: one call,
//! one fused kernel, per batch, not one call per node.

use crate::error::{Error, Result};
use crate::{Array, DType, Function, TensorType};

/// Evaluates a batch of nodes into a slice of values.
type BatchFn<'f> = Box<dyn FnMut(&[f64], &mut [f64]) -> Result<()> + 'f>;

/// The integrand of a quadrature routine, evaluated on batches of nodes.
///
/// Built by [`IntoIntegrand`] from either kind of closure:
///
/// - `|x: &Array| -> Array`: `x` is a vector `f64[n]` of nodes and the
///   closure returns the integrand at each (an array that broadcasts to
///   `f64[n]`; a constant `Array::scalar(1.0)` does). It is traced once
///   per batch length and compiled, so it must be built from array
///   operations only (no reading of values while traced).
/// - `|x: f64| -> f64`: a plain Rust function, called once per node.
pub struct Integrand<'f> {
    evaluate: BatchFn<'f>,
    /// Number of integrand values computed so far.
    calls: usize,
}

impl<'f> Integrand<'f> {
    /// Evaluates the integrand at every node of `x` into `out` (same length).
    pub(crate) fn evaluate(&mut self, x: &[f64], out: &mut [f64]) -> Result<()> {
        debug_assert_eq!(x.len(), out.len());
        self.calls += x.len();
        (self.evaluate)(x, out)
    }

    /// The integrand at the nodes `x`, as a new vector.
    pub(crate) fn values(&mut self, x: &[f64]) -> Result<Vec<f64>> {
        let mut out = vec![0.0; x.len()];
        self.evaluate(x, &mut out)?;
        Ok(out)
    }

    /// Number of integrand values computed so far (SciPy's `neval`).
    pub(crate) fn calls(&self) -> usize {
        self.calls
    }

    /// An integrand evaluating a whole batch of nodes with one call of
    /// `batch(nodes, values)`.
    pub fn vectorized(batch: impl FnMut(&[f64], &mut [f64]) -> Result<()> + 'f) -> Self {
        Integrand {
            evaluate: Box::new(batch),
            calls: 0,
        }
    }
}

/// Marker for integrands written as `Fn(f64) -> f64`.
pub struct ScalarFn;

/// Marker for integrands written as `Fn(&Array) -> Array` (traced and
/// compiled).
pub struct ArrayFn;

/// Marker for integrands that already are an [`Integrand`].
pub struct Prepared;

/// Conversion of a closure into an [`Integrand`]. The marker `M` only
/// tells the two closure kinds apart, so `quad(|x: f64| x.sin(), ...)` and
/// `quad(|x: &Array| x.sin(), ...)` are both accepted.
pub trait IntoIntegrand<'f, M> {
    /// The integrand.
    fn into_integrand(self) -> Integrand<'f>;
}

impl<'f, F> IntoIntegrand<'f, ScalarFn> for F
where
    F: Fn(f64) -> f64 + 'f,
{
    fn into_integrand(self) -> Integrand<'f> {
        Integrand::vectorized(move |x, out| {
            for (value, &node) in out.iter_mut().zip(x) {
                *value = self(node);
            }
            Ok(())
        })
    }
}

impl<'f, F> IntoIntegrand<'f, ArrayFn> for F
where
    F: Fn(&Array) -> Array + 'f,
{
    fn into_integrand(self) -> Integrand<'f> {
        let mut compiled = CompiledBatches::new(self);
        Integrand::vectorized(move |x, out| compiled.evaluate(x, out))
    }
}

impl<'f> IntoIntegrand<'f, Prepared> for Integrand<'f> {
    fn into_integrand(self) -> Integrand<'f> {
        self
    }
}

/// An array closure and its compiled form for each batch length met so
/// far (a quadrature routine uses two or three lengths).
struct CompiledBatches<F> {
    f: F,
    by_length: Vec<(usize, Function)>,
}

impl<F: Fn(&Array) -> Array> CompiledBatches<F> {
    fn new(f: F) -> Self {
        CompiledBatches {
            f,
            by_length: Vec::new(),
        }
    }

    fn function(&mut self, n: usize) -> Result<&Function> {
        if let Some(k) = self.by_length.iter().position(|(len, _)| *len == n) {
            return Ok(&self.by_length[k].1);
        }
        let f = &self.f;
        let function = Function::new(&[TensorType::new([n], DType::F64)], |x| {
            vec![f(&x[0]).astype(DType::F64).broadcast_to([n])]
        })
        .map_err(|error| {
            Error::invalid(
                "quad",
                format!("the integrand cannot be traced on f64[{n}] nodes: {error}"),
            )
        })?;
        self.by_length.push((n, function));
        Ok(&self.by_length.last().expect("just pushed").1)
    }

    fn evaluate(&mut self, x: &[f64], out: &mut [f64]) -> Result<()> {
        let function = self.function(x.len())?;
        let result = function.call(&[Array::from_slice(x, [x.len()])])?;
        let values = result[0].to_vec::<f64>()?;
        out.copy_from_slice(&values);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_closure_kinds_give_the_same_values() {
        let mut traced = (|x: &Array| x.sin() * x).into_integrand();
        let mut plain = (|x: f64| x.sin() * x).into_integrand();
        let nodes = [0.0, 0.5, 1.0, 2.0];
        assert_eq!(
            traced.values(&nodes).unwrap(),
            plain.values(&nodes).unwrap()
        );
        assert_eq!(traced.calls(), 4);
    }

    #[test]
    fn a_constant_integrand_broadcasts() {
        let mut one = (|_: &Array| Array::scalar(1.0)).into_integrand();
        assert_eq!(one.values(&[0.1, 0.2, 0.3]).unwrap(), vec![1.0; 3]);
    }

    #[test]
    fn an_integrand_of_the_wrong_shape_is_an_error() {
        let mut wrong =
            (|x: &Array| x.reshape([1, x.size()]).broadcast_to([2, x.size()])).into_integrand();
        assert!(wrong.values(&[0.1, 0.2]).is_err());
    }
}
