//! Full Jacobians and Hessians, row by row (reverse mode) or column by
//! column (forward mode), whichever takes fewer passes.

use super::record::{invalid_at, ir_at, Caller, Recording};
use super::reverse::grad;
use crate::error::Result;
use crate::Array;
use ndjit_ir::{autodiff, Graph, IrError, NodeId, Op, PadAxis, Scalar, Shape, TensorType};

/// The Jacobian of `f`: `jacobian(f)(&x)` has shape `f(x).shape ++
/// x.shape`, element `[i.., j..]` being `∂f(x)[i..]/∂x[j..]`.
///
/// With fewer outputs than inputs it is built from one VJP per output
/// element (JAX's `jacrev`), otherwise from one JVP per input element
/// (`jacfwd`). All passes share one graph, and the rows (or columns) are
/// joined by one concat, each computed into its slot of the result: an
/// `m × n` Jacobian costs `min(m, n)` passes, for the small Jacobians of
/// solvers.
///
/// ```
/// use ndjit::autodiff::jacobian;
/// use ndjit::Array;
/// let f = |x: &Array| x.square() * 3.0; // J = diag(6x)
/// let j = jacobian(f)(&Array::from_vec(vec![1.0, 2.0], [2]));
/// assert_eq!(j.shape(), &[2, 2]);
/// assert_eq!(j.to_vec::<f64>()?, vec![6.0, 0.0, 0.0, 12.0]);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[track_caller]
pub fn jacobian(f: impl Fn(&Array) -> Array) -> impl Fn(&Array) -> Array {
    let caller = std::panic::Location::caller();
    move |x| jacobian_at(caller, &f, x).unwrap_or_else(Array::invalid)
}

/// The Hessian of a scalar function: `hessian(f)(&x)` has shape `x.shape
/// ++ x.shape`. It is the forward-mode Jacobian of the reverse-mode
/// gradient (JAX's `jacfwd(jacrev(f))`).
///
/// ```
/// use ndjit::autodiff::hessian;
/// use ndjit::Array;
/// let f = |x: &Array| (x.slice(ndjit::s![0]) * x.slice(ndjit::s![1])).sum(..); // x0·x1
/// let h = hessian(f)(&Array::from_vec(vec![3.0, 4.0], [2]));
/// assert_eq!(h.to_vec::<f64>()?, vec![0.0, 1.0, 1.0, 0.0]);
/// # Ok::<(), ndjit::Error>(())
/// ```
#[track_caller]
pub fn hessian(f: impl Fn(&Array) -> Array) -> impl Fn(&Array) -> Array {
    jacobian(grad(f))
}

fn jacobian_at(caller: Caller, f: &impl Fn(&Array) -> Array, x: &Array) -> Result<Array> {
    let x_ty = x.checked_type()?.clone();
    if !x_ty.dtype.is_float() {
        return Err(invalid_at(
            caller,
            "jacobian",
            format!("the argument must be a float array to differentiate, got {x_ty}"),
        ));
    }
    let mut recording = Recording::new(|args| vec![f(&args[0])], std::slice::from_ref(x))?;
    let (output, arg) = (recording.outputs[0], recording.args[0]);
    let out_ty = recording.graph.ty(output).clone();
    let (m, n) = (out_ty.shape.numel(), x_ty.shape.numel());
    let mut dims = out_ty.shape.0.clone();
    dims.extend(&x_ty.shape.0);
    if m == 0 || n == 0 {
        return Ok(Array::zeros(dims, out_ty.dtype));
    }
    let at = ir_at(caller);
    let g = &mut recording.graph;
    let stacked = if m < n {
        let mut rows = Vec::with_capacity(m);
        for i in 0..m {
            let seed = one_hot(g, &out_ty, i).map_err(&at)?;
            rows.push(autodiff::vjp(g, &[output], &[seed], &[arg]).map_err(&at)?[0]);
        }
        stack(g, &rows, true).map_err(&at)?
    } else {
        let mut columns = Vec::with_capacity(n);
        for j in 0..n {
            let seed = one_hot(g, &x_ty, j).map_err(&at)?;
            columns.push(autodiff::jvp(g, &[output], &[arg], &[seed]).map_err(&at)?[0]);
        }
        stack(g, &columns, false).map_err(&at)?
    };
    let shaped = g.add(Op::Reshape(Shape(dims)), &[stacked]).map_err(&at)?;
    let typed = match g.ty(shaped).dtype == out_ty.dtype {
        true => shaped,
        false => g.add(Op::Cast(out_ty.dtype), &[shaped]).map_err(&at)?,
    };
    Ok(recording.lift(&[typed], &[]).remove(0))
}

/// A one at flat (row-major) position `index` of `ty`, zeros elsewhere.
fn one_hot(g: &mut Graph, ty: &TensorType, index: usize) -> Result<NodeId, IrError> {
    let one = g.constant(Scalar::one(ty.dtype));
    if ty.shape.rank() == 0 {
        return Ok(one);
    }
    let point = g.add(Op::Reshape(Shape(vec![1; ty.shape.rank()])), &[one])?;
    let mut rest = index;
    let mut pads = vec![PadAxis::default(); ty.shape.rank()];
    for (pad, &dim) in pads.iter_mut().zip(&ty.shape.0).rev() {
        let at = rest % dim;
        rest /= dim;
        *pad = PadAxis {
            low: at,
            high: dim - 1 - at,
            interior: 0,
        };
    }
    g.add(Op::Pad(pads), &[point])
}

/// The arrays (of one shape `s`) stacked along a new first axis (`[k, ..s]`)
/// or a new last axis (`[..s, k]`): one concat of the parts, each given
/// the new axis with extent 1, so each is computed straight into its slot.
fn stack(g: &mut Graph, parts: &[NodeId], first: bool) -> Result<NodeId, IrError> {
    let mut lifted = Vec::with_capacity(parts.len());
    let mut axis = 0;
    for &part in parts {
        let mut dims = g.ty(part).shape.0.clone();
        axis = if first { 0 } else { dims.len() };
        dims.insert(axis, 1);
        lifted.push(g.add(Op::Reshape(Shape(dims)), &[part])?);
    }
    g.add(Op::Concat { axis }, &lifted)
}
