//! The reference interpreter: every op given one obviously-correct Rust
//! implementation, evaluated op by op with every intermediate materialized,
//! as NumPy evaluates an expression.
//!
//! It is the oracle for differential tests of compiled kernels and the
//! "eager" side of fused-vs-eager benchmarks, so it is never clever: each
//! node becomes a fresh row-major buffer (a `Reshape` shares its operand's
//! buffer, since row-major storage already is the reshaped array), and each
//! buffer is freed after its last use.
//!
//! Element semantics follow NumPy exactly, except where NumPy would raise or
//! warn for one element, or leaves a result undefined; those choices are
//! documented in the `arith` (integer division and power) and `cast`
//! (float to integer) modules. Transcendental functions all go through the
//! one table in `float_fn`.

/// Runs `$body` with the type alias `$T` naming the Rust element type of
/// `$dtype`, so one generic, monomorphized function serves every dtype.
macro_rules! with_dtype {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $dtype {
            $crate::dtype::DType::Bool => {
                type $T = bool;
                $body
            }
            $crate::dtype::DType::I32 => {
                type $T = i32;
                $body
            }
            $crate::dtype::DType::I64 => {
                type $T = i64;
                $body
            }
            $crate::dtype::DType::F32 => {
                type $T = f32;
                $body
            }
            $crate::dtype::DType::F64 => {
                type $T = f64;
                $body
            }
        }
    };
}

/// As [`with_dtype`], for the numeric dtypes; `bool` evaluates `$other`.
macro_rules! with_number_dtype {
    ($dtype:expr, $T:ident => $body:expr, bool => $other:expr) => {
        match $dtype {
            $crate::dtype::DType::Bool => $other,
            $crate::dtype::DType::I32 => {
                type $T = i32;
                $body
            }
            $crate::dtype::DType::I64 => {
                type $T = i64;
                $body
            }
            $crate::dtype::DType::F32 => {
                type $T = f32;
                $body
            }
            $crate::dtype::DType::F64 => {
                type $T = f64;
                $body
            }
        }
    };
}

mod arith;
mod cast;
mod elementwise;
mod float_fn;
mod reduce;
mod views;

#[cfg(test)]
mod tests;

use crate::buffer::{Buffer, Tensor};
use crate::error::{IrError, Result};
use crate::graph::{Graph, Node};
use crate::op::{Elementwise, Op, ReduceOp, TensorType};
use crate::scalar::Scalar;
use crate::shape::Shape;

/// Evaluates `graph` on `inputs` (one tensor per graph input, in input
/// order) and returns the values of `graph.outputs()`, in that order.
///
/// Only nodes the outputs depend on are evaluated. Inputs are checked
/// against the graph's input types: a wrong count, shape, dtype or a buffer
/// whose length disagrees with its shape is an [`IrError::Input`].
///
/// ```
/// use ndjit_ir::{interp::evaluate, BinaryOp, DType, Graph, Op, Tensor, TensorType};
///
/// let mut g = Graph::new();
/// let x = g.input(TensorType::new([3], DType::F64));
/// let y = g.add(Op::Binary(BinaryOp::Mul), &[x, x]).unwrap();
/// g.set_outputs(vec![y]);
///
/// let input = Tensor::from_slice([3], &[1.0, 2.0, 3.0]).unwrap();
/// let out = evaluate(&g, &[input]).unwrap();
/// assert_eq!(out[0].as_slice::<f64>(), &[1.0, 4.0, 9.0]);
/// ```
pub fn evaluate(graph: &Graph, inputs: &[Tensor]) -> Result<Vec<Tensor>> {
    graph.check_inputs(inputs)?;
    let live = graph.live();

    // Uses by live nodes, plus one per output so outputs survive to the end.
    let mut remaining = vec![0usize; graph.len()];
    for id in graph.ids().filter(|id| live[id.index()]) {
        for arg in &graph.node(id).args {
            remaining[arg.index()] += 1;
        }
    }
    for output in graph.outputs() {
        remaining[output.index()] += 1;
    }

    let mut values: Vec<Option<Tensor>> = vec![None; graph.len()];
    for id in graph.ids().filter(|id| live[id.index()]) {
        let node = graph.node(id);
        let args: Vec<&Tensor> = node
            .args
            .iter()
            .map(|arg| {
                values[arg.index()]
                    .as_ref()
                    .expect("operands come earlier in the arena and are kept until their last use")
            })
            .collect();
        let value = evaluate_node(node, &args, inputs)?;
        for arg in &node.args {
            remaining[arg.index()] -= 1;
            if remaining[arg.index()] == 0 {
                values[arg.index()] = None;
            }
        }
        values[id.index()] = Some(value);
    }

    Ok(graph
        .outputs()
        .iter()
        .map(|output| {
            values[output.index()]
                .clone()
                .expect("outputs are live and never freed")
        })
        .collect())
}

/// An elementwise function applied to operands of one shape: the one
/// definition of every element function's semantics.
fn apply_elementwise(function: Elementwise, args: &[&Tensor]) -> Result<Buffer> {
    match function {
        Elementwise::Unary(op) => elementwise::unary(op, args[0]),
        Elementwise::Binary(op) => elementwise::binary(op, args[0], args[1]),
        Elementwise::Select => elementwise::select(args[0], args[1], args[2]),
        Elementwise::MulAdd => elementwise::mul_add(args[0], args[1], args[2]),
        Elementwise::Cast(dtype) => Ok(cast::cast(args[0], dtype)),
    }
}

/// An elementwise function of one value per operand, computed exactly as
/// [`evaluate`] computes it element by element. Constant folding calls
/// this, so a folded constant has the bits the interpreter (and the
/// compiled kernels, which agree with it) would compute.
///
/// ```
/// use ndjit_ir::{interp::evaluate_scalar, BinaryOp, Elementwise, Scalar};
///
/// let q = evaluate_scalar(Elementwise::Binary(BinaryOp::FloorDiv), &[Scalar::I64(-7), Scalar::I64(2)]);
/// assert_eq!(q, Ok(Scalar::I64(-4)));
/// ```
pub fn evaluate_scalar(function: Elementwise, operands: &[Scalar]) -> Result<Scalar> {
    let tensors: Vec<Tensor> = operands
        .iter()
        .map(|&value| Tensor::new(Shape::scalar(), Buffer::filled(value, 1)))
        .collect::<Option<_>>()
        .expect("a one-element buffer fits a 0-d shape");
    let types: Vec<TensorType> = tensors
        .iter()
        .map(|t| TensorType::new(Shape::scalar(), t.dtype()))
        .collect();
    Op::from(function).infer(&types.iter().collect::<Vec<_>>())?;
    let args: Vec<&Tensor> = tensors.iter().collect();
    Ok(apply_elementwise(function, &args)?.get(0))
}

/// `op`'s combining function applied to corresponding elements of two
/// partial results (`a` the running value, `b` the new one), as the
/// interpreter folds a reduction: how the runtime combines the partials
/// of a reduction split over threads, so NumPy's rules (NaN propagation,
/// the ties of `maximum`) are written once.
pub fn combine_partials(op: ReduceOp, a: &Buffer, b: &Buffer) -> Result<Buffer> {
    if a.dtype() != b.dtype() || a.len() != b.len() {
        return Err(IrError::Type {
            op: op.name(),
            message: format!(
                "partials differ: {}[{}] and {}[{}]",
                a.dtype(),
                a.len(),
                b.dtype(),
                b.len()
            ),
        });
    }
    elementwise::binary_buffers(op.combiner(), a, b)
}

/// One node's value from its operands' values.
fn evaluate_node(node: &Node, args: &[&Tensor], inputs: &[Tensor]) -> Result<Tensor> {
    let out_shape = &node.ty.shape;
    let buffer = match &node.op {
        Op::Input(index) => {
            return inputs.get(*index).cloned().ok_or_else(|| IrError::Input {
                index: *index,
                message: format!("the graph reads input {index}, {} were given", inputs.len()),
            })
        }
        Op::Const(value) => Buffer::filled(*value, 1),
        Op::Unary(op) => apply_elementwise(Elementwise::Unary(*op), args)?,
        Op::Binary(op) => apply_elementwise(Elementwise::Binary(*op), args)?,
        Op::Select => apply_elementwise(Elementwise::Select, args)?,
        Op::MulAdd => apply_elementwise(Elementwise::MulAdd, args)?,
        Op::Cast(dtype) => apply_elementwise(Elementwise::Cast(*dtype), args)?,
        Op::Reshape(shape) => {
            return args[0]
                .reshaped(shape.clone())
                .ok_or_else(|| wrong_length(node, args[0].buffer().len()))
        }
        Op::Permute(perm) => views::permute(args[0], perm),
        Op::Broadcast(shape) => views::broadcast(args[0], shape),
        Op::Slice(axes) => views::slice(args[0], axes),
        Op::Pad(axes) => views::pad(args[0], axes, out_shape),
        Op::Reduce { op, axes } => reduce::reduce(*op, axes, args[0])?,
        Op::ArgReduce { op, axis } => reduce::arg_reduce(*op, *axis, args[0])?,
        Op::Concat { axis } => views::concat(args, *axis, out_shape),
    };
    let len = buffer.len();
    Tensor::new(out_shape.clone(), buffer).ok_or_else(|| wrong_length(node, len))
}

/// The error for an op whose routine produced a buffer of the wrong length
/// for the node's type: a bug in the interpreter, reported, not trusted.
fn wrong_length(node: &Node, len: usize) -> IrError {
    IrError::Type {
        op: node.op.name(),
        message: format!("computed {len} elements for a result of type {}", node.ty),
    }
}

/// The error for an op applied to a dtype it is not defined on. The graph's
/// type rules already reject these, so it is reached only by a malformed
/// graph; the interpreter reports it rather than panicking.
fn unsupported(op: &'static str, dtype: crate::dtype::DType) -> IrError {
    IrError::Type {
        op,
        message: format!("not defined for dtype {dtype}"),
    }
}
