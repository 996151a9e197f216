//! Reverse mode: gradients and vector-Jacobian products of closures.

use super::record::{check_seeds, failed, invalid_at, ir_at, Caller, Recording};
use crate::array::eval::eval_many;
use crate::array::node::Tracing;
use crate::error::Result;
use crate::Array;
use ndjit_ir::{autodiff, NodeId, Op};
use std::panic::Location;

/// The gradient of a scalar function: `grad(f)(&x)` is `∇f(x)`, an array
/// of `x`'s shape.
///
/// `f` must return a float array with one element. The gradient is lazy and
/// a function of `x` like any other expression: it is optimized and
/// compiled when evaluated, and can be differentiated again. An invalid
/// argument or result, or a non-float argument, gives an invalid array.
///
/// ```
/// use ndjit::autodiff::grad;
/// use ndjit::Array;
/// let f = |x: &Array| (x.sin() * x).sum(..);
/// let x = Array::from_vec(vec![0.0, 1.0], [2]);
/// let g = grad(f)(&x); // sin(x) + x cos(x)
/// assert_eq!(g.to_vec::<f64>()?, vec![0.0, 1f64.sin() + 1f64.cos()]);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[track_caller]
pub fn grad(f: impl Fn(&Array) -> Array) -> impl Fn(&Array) -> Array {
    let caller = Location::caller();
    move |x| {
        let args = std::slice::from_ref(x);
        match value_and_gradients(caller, |args| f(&args[0]), args, &[0]) {
            Ok((_, mut gradients)) => gradients.remove(0),
            Err(error) => Array::invalid(error),
        }
    }
}

/// The gradients of a scalar function of several arrays with respect to
/// the arguments numbered `argnums` (as JAX's `grad(f, argnums)`), one per
/// entry of `argnums`, in that order.
///
/// ```
/// use ndjit::autodiff::grad_n;
/// use ndjit::Array;
/// let f = |a: &[Array]| (&a[0] * &a[1]).sum(..);
/// let (x, y) = (Array::from_vec(vec![1.0, 2.0], [2]), Array::from_vec(vec![3.0, 4.0], [2]));
/// let g = grad_n(f, &[0, 1])(&[x, y]);
/// assert_eq!(g[0].to_vec::<f64>()?, vec![3.0, 4.0]);
/// assert_eq!(g[1].to_vec::<f64>()?, vec![1.0, 2.0]);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[track_caller]
pub fn grad_n(f: impl Fn(&[Array]) -> Array, argnums: &[usize]) -> impl Fn(&[Array]) -> Vec<Array> {
    let caller = Location::caller();
    let argnums = argnums.to_vec();
    move |args| match value_and_gradients(caller, &f, args, &argnums) {
        Ok((_, gradients)) => gradients,
        Err(error) => failed(error, argnums.len()),
    }
}

/// `f(x)` and `∇f(x)` together, as JAX's `value_and_grad`.
///
/// Both are built in one graph and evaluated together (one compiled program,
/// where value and gradient share kernels), so the forward pass is computed
/// once. Inside a closure that is itself being differentiated or traced into
/// a [`crate::Function`], they are returned lazy. If the evaluation fails,
/// the arrays stay pending and report the error when evaluated.
///
/// ```
/// use ndjit::autodiff::value_and_grad;
/// use ndjit::Array;
/// let f = |x: &Array| x.square().sum(..);
/// let (value, gradient) = value_and_grad(f)(&Array::from_vec(vec![1.0, 2.0], [2]));
/// assert_eq!(value.item::<f64>()?, 5.0);
/// assert_eq!(gradient.to_vec::<f64>()?, vec![2.0, 4.0]);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[track_caller]
pub fn value_and_grad(f: impl Fn(&Array) -> Array) -> impl Fn(&Array) -> (Array, Array) {
    let caller = Location::caller();
    move |x| {
        let args = std::slice::from_ref(x);
        match value_and_gradients(caller, |args| f(&args[0]), args, &[0]) {
            Ok((value, mut gradients)) => {
                let gradient = gradients.remove(0);
                evaluate_together(&[value.clone(), gradient.clone()]);
                (value, gradient)
            }
            Err(error) => (Array::invalid(error.clone()), Array::invalid(error)),
        }
    }
}

/// [`value_and_grad`] of a function of several arrays, with the gradients
/// with respect to the arguments numbered `argnums`.
#[track_caller]
pub fn value_and_grad_n(
    f: impl Fn(&[Array]) -> Array,
    argnums: &[usize],
) -> impl Fn(&[Array]) -> (Array, Vec<Array>) {
    let caller = Location::caller();
    let argnums = argnums.to_vec();
    move |args| match value_and_gradients(caller, &f, args, &argnums) {
        Ok((value, gradients)) => {
            let mut all = gradients.clone();
            all.push(value.clone());
            evaluate_together(&all);
            (value, gradients)
        }
        Err(error) => (Array::invalid(error.clone()), failed(error, argnums.len())),
    }
}

/// Evaluates arrays in one graph, unless a closure is being traced.
fn evaluate_together(arrays: &[Array]) {
    if !Tracing::active() {
        // A failure leaves the arrays pending; they report it when evaluated.
        let _ = eval_many(arrays);
    }
}

/// The vector-Jacobian product of `f` at `x`: returns `f(x)` and the
/// *pullback*, which maps a cotangent `w` (of `f(x)`'s type) to `wᵀ J`
/// (of `x`'s type), as JAX's `vjp`. The pullback can be called many times;
/// the adjoint graph is built once.
///
/// ```
/// use ndjit::autodiff::vjp;
/// use ndjit::Array;
/// let x = Array::from_vec(vec![1.0, 2.0, 3.0], [3]);
/// let (y, pullback) = vjp(|x| x.square(), &x);
/// let w = Array::from_vec(vec![1.0, 0.0, -1.0], [3]);
/// assert_eq!(pullback(&w).to_vec::<f64>()?, vec![2.0, 0.0, -6.0]);
/// assert_eq!(y.to_vec::<f64>()?, vec![1.0, 4.0, 9.0]);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[track_caller]
pub fn vjp(f: impl FnOnce(&Array) -> Array, x: &Array) -> (Array, impl Fn(&Array) -> Array) {
    let (mut outputs, pullback) = vjp_n(|args| vec![f(&args[0])], std::slice::from_ref(x));
    // One output: the closure's, or the error that replaced it.
    let output = outputs.remove(0);
    (output, move |w: &Array| {
        pullback(std::slice::from_ref(w)).remove(0)
    })
}

/// The vector-Jacobian product of a function of several arrays with
/// several outputs: returns the outputs and the pullback, which maps one
/// cotangent per output to one array per argument.
#[track_caller]
pub fn vjp_n(
    f: impl FnOnce(&[Array]) -> Vec<Array>,
    args: &[Array],
) -> (Vec<Array>, impl Fn(&[Array]) -> Vec<Array>) {
    let caller = Location::caller();
    let n = args.len();
    let prepared = Recording::new(f, args).and_then(|mut recording| {
        let seeds: Vec<NodeId> = recording
            .outputs
            .clone()
            .iter()
            .map(|&o| recording.seed(o))
            .collect();
        let (outputs, wrt) = (recording.outputs.clone(), recording.args.clone());
        let adjoints =
            autodiff::vjp(&mut recording.graph, &outputs, &seeds, &wrt).map_err(ir_at(caller))?;
        Ok((recording, adjoints))
    });
    let outputs = match &prepared {
        Ok((recording, _)) => recording.output_arrays.clone(),
        Err(error) => vec![Array::invalid(error.clone())],
    };
    let pullback = move |cotangents: &[Array]| match &prepared {
        Ok((recording, adjoints)) => {
            match check_seeds(
                caller,
                "vjp",
                &recording.graph,
                &recording.outputs,
                cotangents,
            ) {
                Ok(()) => recording.lift(adjoints, cotangents),
                Err(error) => failed(error, n),
            }
        }
        Err(error) => failed(error.clone(), n),
    };
    (outputs, pullback)
}

/// `f(args)` and its gradients with respect to `args[argnums]`, lazy;
/// errors of the transformation name the `caller`'s line.
pub(super) fn value_and_gradients(
    caller: Caller,
    f: impl FnOnce(&[Array]) -> Array,
    args: &[Array],
    argnums: &[usize],
) -> Result<(Array, Vec<Array>)> {
    for &k in argnums {
        let Some(arg) = args.get(k) else {
            return Err(invalid_at(
                caller,
                "grad",
                format!("argnum {k} is out of range for {} arguments", args.len()),
            ));
        };
        let ty = arg.checked_type()?;
        if !ty.dtype.is_float() {
            return Err(invalid_at(
                caller,
                "grad",
                format!("argument {k} must be a float array to differentiate, got {ty}"),
            ));
        }
    }
    let mut recording = Recording::new(|args| vec![f(args)], args)?;
    let output = recording.outputs[0];
    let ty = recording.graph.ty(output).clone();
    if !ty.dtype.is_float() || ty.shape.numel() != 1 {
        return Err(invalid_at(
            caller,
            "grad",
            format!("the function must return one float element, got {ty}"),
        ));
    }
    let one = recording.graph.constant(ndjit_ir::Scalar::one(ty.dtype));
    let seed = match ty.shape.rank() {
        0 => one,
        _ => recording
            .graph
            .add(Op::Broadcast(ty.shape.clone()), &[one])
            .map_err(ir_at(caller))?,
    };
    let wrt: Vec<NodeId> = argnums.iter().map(|&k| recording.args[k]).collect();
    let gradients =
        autodiff::vjp(&mut recording.graph, &[output], &[seed], &wrt).map_err(ir_at(caller))?;
    Ok((
        recording.output_arrays[0].clone(),
        recording.lift(&gradients, &[]),
    ))
}
