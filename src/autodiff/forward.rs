//! Forward mode: Jacobian-vector products, and Hessian-vector products
//! (forward over reverse).

use super::record::{check_seeds, failed, ir_at, Recording};
use super::reverse::grad;
use crate::Array;
use ndjit_ir::{autodiff, NodeId};

/// The Jacobian-vector product of `f` at `x` along `v` (of `x`'s type):
/// returns `f(x)` and `J v`, as JAX's `jvp`.
///
/// ```
/// use ndjit::autodiff::jvp;
/// use ndjit::Array;
/// let x = Array::from_vec(vec![0.0, 1.0], [2]);
/// let v = Array::from_vec(vec![1.0, 2.0], [2]);
/// let (y, tangent) = jvp(|x| x.exp(), &x, &v);
/// assert_eq!(tangent.to_vec::<f64>()?, vec![1.0, 2.0 * 1f64.exp()]);
/// assert_eq!(y.to_vec::<f64>()?, vec![1.0, 1f64.exp()]);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[track_caller]
pub fn jvp(f: impl FnOnce(&Array) -> Array, x: &Array, v: &Array) -> (Array, Array) {
    let (mut outputs, mut tangents) = jvp_n(
        |args| vec![f(&args[0])],
        std::slice::from_ref(x),
        std::slice::from_ref(v),
    );
    // One output and one tangent: the closure's, or the error that replaced them.
    (outputs.remove(0), tangents.remove(0))
}

/// The Jacobian-vector product of a function of several arrays with
/// several outputs: one tangent per argument in, the outputs and one
/// tangent per output out.
#[track_caller]
pub fn jvp_n(
    f: impl FnOnce(&[Array]) -> Vec<Array>,
    primals: &[Array],
    tangents: &[Array],
) -> (Vec<Array>, Vec<Array>) {
    let caller = std::panic::Location::caller();
    let result = Recording::new(f, primals).and_then(|mut recording| {
        check_seeds(caller, "jvp", &recording.graph, &recording.args, tangents)?;
        let seeds: Vec<NodeId> = recording
            .args
            .clone()
            .iter()
            .map(|&a| recording.seed(a))
            .collect();
        let (outputs, args) = (recording.outputs.clone(), recording.args.clone());
        let derived =
            autodiff::jvp(&mut recording.graph, &outputs, &args, &seeds).map_err(ir_at(caller))?;
        Ok((
            recording.output_arrays.clone(),
            recording.lift(&derived, tangents),
        ))
    });
    result.unwrap_or_else(|error| (failed(error.clone(), 1), failed(error, 1)))
}

/// The Hessian-vector product `∇²f(x) v` of a scalar function, computed
/// forward over reverse (the JVP of the gradient): one gradient's cost,
/// without forming the Hessian.
///
/// ```
/// use ndjit::autodiff::hvp;
/// use ndjit::Array;
/// // f = Σ x³: the Hessian is diag(6x).
/// let x = Array::from_vec(vec![1.0, 2.0], [2]);
/// let v = Array::from_vec(vec![1.0, 1.0], [2]);
/// let hv = hvp(|x| (x * x * x).sum(..), &x, &v);
/// assert_eq!(hv.to_vec::<f64>()?, vec![6.0, 12.0]);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[track_caller]
pub fn hvp(f: impl Fn(&Array) -> Array, x: &Array, v: &Array) -> Array {
    jvp(grad(f), x, v).1
}
