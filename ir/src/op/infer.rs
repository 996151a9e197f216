//! The shape and dtype rules, one per op family. Each returns the result
//! type or a message saying why the operands do not fit;
//! [`Op::infer`](super::Op::infer) names the op and checks arity and size.

use super::{Elementwise, PadAxis, ReduceOp, SliceAxis, TensorType};
use crate::dtype::DType;
use crate::shape::{broadcasts_to, Shape};

/// Why operands do not fit an op.
type Rule = Result<TensorType, String>;

/// Elementwise functions: operands of one shape; a function's own dtype
/// rule (a select's bool condition, one dtype for the others).
pub(super) fn elementwise_type(function: Elementwise, args: &[&TensorType]) -> Rule {
    let shapes_differ = || {
        let shapes: Vec<String> = args.iter().map(|a| a.shape.to_string()).collect();
        format!("operand shapes differ: {}", list(&shapes))
    };
    if args.iter().any(|a| a.shape != args[0].shape) {
        return Err(shapes_differ());
    }
    let x = args[0];
    let not_defined = || format!("not defined for dtype {}", x.dtype);
    let same_dtypes = |args: &[&TensorType], what: &str| {
        if args.iter().all(|a| a.dtype == args[0].dtype) {
            Ok(())
        } else {
            let dtypes: Vec<String> = args.iter().map(|a| a.dtype.to_string()).collect();
            Err(format!("{what} dtypes differ: {}", list(&dtypes)))
        }
    };
    let dtype = match function {
        Elementwise::Unary(op) => {
            if !op.accepts(x.dtype) {
                return Err(not_defined());
            }
            op.result_dtype(x.dtype)
        }
        Elementwise::Binary(op) => {
            same_dtypes(args, "operand")?;
            if !op.accepts(x.dtype) {
                return Err(not_defined());
            }
            op.result_dtype(x.dtype)
        }
        Elementwise::Select => {
            if x.dtype != DType::Bool {
                return Err(format!("condition must be bool, got {}", x.dtype));
            }
            same_dtypes(&args[1..], "branch")?;
            args[1].dtype
        }
        Elementwise::MulAdd => {
            same_dtypes(args, "operand")?;
            if !x.dtype.is_float() {
                return Err(not_defined());
            }
            x.dtype
        }
        Elementwise::Cast(dtype) => dtype,
    };
    Ok(TensorType::new(x.shape.clone(), dtype))
}

/// `a and b`, `a, b and c`.
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The same elements in row-major order under another shape.
pub(super) fn reshape_type(shape: &Shape, x: &TensorType) -> Rule {
    if shape.checked_numel() != Some(x.shape.numel()) {
        return Err(format!(
            "cannot reshape {} ({} elements) to {}",
            x.shape,
            x.shape.numel(),
            shape
        ));
    }
    Ok(TensorType::new(shape.clone(), x.dtype))
}

/// Output axis `i` is input axis `perm[i]`.
pub(super) fn permute_type(perm: &[usize], x: &TensorType) -> Rule {
    let mut seen = vec![false; x.shape.rank()];
    let valid = perm.len() == x.shape.rank()
        && perm
            .iter()
            .all(|&p| p < seen.len() && !std::mem::replace(&mut seen[p], true));
    if !valid {
        return Err(format!(
            "{perm:?} is not a permutation of the axes of {}",
            x.shape
        ));
    }
    let dims = perm.iter().map(|&p| x.shape.0[p]).collect::<Vec<_>>();
    Ok(TensorType::new(dims, x.dtype))
}

/// NumPy's broadcasting rule.
pub(super) fn broadcast_type(shape: &Shape, x: &TensorType) -> Rule {
    if !broadcasts_to(&x.shape, shape) {
        return Err(format!("cannot broadcast {} to {}", x.shape, shape));
    }
    Ok(TensorType::new(shape.clone(), x.dtype))
}

/// A strided window: every index it takes lies inside its axis.
pub(super) fn slice_type(axes: &[SliceAxis], x: &TensorType) -> Rule {
    if axes.len() != x.shape.rank() {
        return Err(format!("{} axes given for shape {}", axes.len(), x.shape));
    }
    for (axis, (s, &dim)) in axes.iter().zip(&x.shape.0).enumerate() {
        if s.step == 0 {
            return Err(format!("axis {axis}: step must not be 0"));
        }
        if s.len > 0 {
            let last = (s.len as isize - 1)
                .checked_mul(s.step)
                .and_then(|d| d.checked_add(s.start as isize));
            if s.start >= dim || !last.is_some_and(|last| last >= 0 && (last as usize) < dim) {
                return Err(format!(
                    "axis {axis}: {} elements from {} in steps of {} leave extent {dim}",
                    s.len, s.start, s.step
                ));
            }
        }
    }
    Ok(TensorType::new(
        axes.iter().map(|s| s.len).collect::<Vec<_>>(),
        x.dtype,
    ))
}

/// Zeros around and between the elements of every axis.
pub(super) fn pad_type(axes: &[PadAxis], x: &TensorType) -> Rule {
    if axes.len() != x.shape.rank() {
        return Err(format!("{} axes given for shape {}", axes.len(), x.shape));
    }
    let dims = axes
        .iter()
        .zip(&x.shape.0)
        .map(|(p, &d)| {
            d.saturating_sub(1)
                .checked_mul(p.interior)
                .and_then(|n| n.checked_add(d)?.checked_add(p.low)?.checked_add(p.high))
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| format!("padding {axes:?} overflows the extents of {}", x.shape))?;
    Ok(TensorType::new(dims, x.dtype))
}

/// A reduction keeps its reduced axes with extent 1.
pub(super) fn reduce_type(op: ReduceOp, axes: &[usize], x: &TensorType) -> Rule {
    if !op.accepts(x.dtype) {
        return Err(format!("not defined for dtype {}", x.dtype));
    }
    if !axes.windows(2).all(|w| w[0] < w[1]) || axes.iter().any(|&a| a >= x.shape.rank()) {
        return Err(format!(
            "axes {axes:?} are not distinct ascending axes of {}",
            x.shape
        ));
    }
    if op.identity(x.dtype).is_none() && axes.iter().any(|&a| x.shape.0[a] == 0) {
        return Err(format!(
            "zero-size axis of {} has no {}",
            x.shape,
            op.name()
        ));
    }
    let mut dims = x.shape.0.clone();
    for &a in axes {
        dims[a] = 1;
    }
    Ok(TensorType::new(dims, x.dtype))
}

/// The index of an extremum along a non-empty axis, as `i64`.
pub(super) fn arg_reduce_type(axis: usize, x: &TensorType) -> Rule {
    if axis >= x.shape.rank() {
        return Err(format!("axis {axis} out of range for {}", x.shape));
    }
    if x.shape.0[axis] == 0 {
        return Err(format!("axis {axis} of {} is empty", x.shape));
    }
    let mut dims = x.shape.0.clone();
    dims[axis] = 1;
    Ok(TensorType::new(dims, DType::I64))
}

/// The type of `concat` along `axis` of operands `args` (at least one), or
/// why they cannot be joined.
pub(super) fn concat_type(axis: usize, args: &[&TensorType]) -> Rule {
    let first = args[0];
    if axis >= first.shape.rank() {
        return Err(format!(
            "axis {axis} out of range for operand 0 of shape {}",
            first.shape
        ));
    }
    let mut dims = first.shape.0.clone();
    for (k, x) in args.iter().enumerate().skip(1) {
        if x.dtype != first.dtype {
            return Err(format!(
                "operand dtypes differ: {} (operand 0) and {} (operand {k})",
                first.dtype, x.dtype
            ));
        }
        let same_elsewhere = x.shape.rank() == first.shape.rank()
            && (0..dims.len()).all(|a| a == axis || x.shape.0[a] == first.shape.0[a]);
        if !same_elsewhere {
            return Err(format!(
                "operand {k} of shape {} does not match operand 0 of shape {} except along axis {axis}",
                x.shape, first.shape
            ));
        }
        dims[axis] = dims[axis]
            .checked_add(x.shape.0[axis])
            .ok_or_else(|| format!("the joined extent along axis {axis} overflows"))?;
    }
    Ok(TensorType::new(dims, first.dtype))
}
