//! Tests of the interpreter through [`evaluate`], with expected values from
//! NumPy's documented behaviour (checked against NumPy 2.4).

mod elementwise;
mod random_views;
mod reduce;
mod unary_table;
mod views;

use super::evaluate;
use crate::buffer::{Element, Tensor};
use crate::dtype::DType;
use crate::error::IrError;
use crate::graph::Graph;
use crate::op::{BinaryOp, Op, TensorType, UnaryOp};
use crate::scalar::Scalar;
use crate::shape::Shape;

/// A tensor of `shape` holding `values`.
fn tensor<T: Element>(shape: impl Into<Shape>, values: &[T]) -> Tensor {
    Tensor::from_slice(shape, values).expect("length matches shape")
}

/// A 1-d tensor.
fn vector<T: Element>(values: &[T]) -> Tensor {
    tensor([values.len()], values)
}

/// `op` applied to `args`, evaluated by a one-node graph.
fn apply(op: Op, args: &[&Tensor]) -> Tensor {
    try_apply(op, args).expect("evaluates")
}

/// `op` applied to `args`, or why building or evaluating it failed.
fn try_apply(op: Op, args: &[&Tensor]) -> Result<Tensor, IrError> {
    let mut g = Graph::new();
    let ids: Vec<_> = args
        .iter()
        .map(|t| g.input(TensorType::new(t.shape().clone(), t.dtype())))
        .collect();
    let out = g.add(op, &ids)?;
    g.set_outputs(vec![out]);
    let inputs: Vec<Tensor> = args.iter().map(|&t| t.clone()).collect();
    let mut outputs = evaluate(&g, &inputs)?;
    Ok(outputs.remove(0))
}

/// The elements of `t` as a vector of `T`.
fn values<T: Element>(t: &Tensor) -> Vec<T> {
    t.as_slice::<T>().to_vec()
}

/// Whether two floats are the same value: equal (with the same sign, for
/// zeros) or both NaN.
fn same(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a == b && a.is_sign_negative() == b.is_sign_negative())
}

#[test]
fn wrong_inputs_are_errors_not_panics() {
    let mut g = Graph::new();
    let x = g.input(TensorType::new([2, 3], DType::F64));
    let y = g.add(Op::Unary(UnaryOp::Neg), &[x]).unwrap();
    g.set_outputs(vec![y]);
    let good = tensor([2, 3], &[0.0f64; 6]);

    let err = evaluate(&g, &[]).unwrap_err();
    assert!(matches!(err, IrError::Input { index: 0, .. }), "{err}");
    let err = evaluate(&g, &[good.clone(), good.clone()]).unwrap_err();
    assert!(matches!(err, IrError::Input { index: 1, .. }), "{err}");

    let wrong_dtype = tensor([2, 3], &[0.0f32; 6]);
    let err = evaluate(&g, &[wrong_dtype]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "input 0: expected f64[2, 3], got f32[2, 3]"
    );

    let wrong_shape = tensor([3, 2], &[0.0f64; 6]);
    assert!(matches!(
        evaluate(&g, &[wrong_shape]),
        Err(IrError::Input { index: 0, .. })
    ));

    // A tensor whose buffer disagrees with its shape cannot be built.
    assert!(Tensor::from_shared([2, 3], vector(&[0.0f64; 5]).buffer().clone()).is_none());
    assert!(evaluate(&g, &[good]).is_ok());
}

#[test]
fn outputs_may_be_inputs_constants_and_repeats() {
    let mut g = Graph::new();
    let x = g.input(TensorType::new([2], DType::I32));
    let c = g.constant(Scalar::I32(7));
    let wide = g.add(Op::Broadcast(Shape(vec![2, 2])), &[c]).unwrap();
    let sum = g.add(Op::Binary(BinaryOp::Add), &[x, x]).unwrap();
    g.set_outputs(vec![sum, x, c, wide, sum]);
    let input = vector(&[1i32, -4]);
    let out = evaluate(&g, std::slice::from_ref(&input)).unwrap();
    assert_eq!(out.len(), 5);
    assert_eq!(values::<i32>(&out[0]), [2, -8]);
    assert_eq!(out[1], input);
    assert_eq!(out[2].shape(), &Shape::scalar());
    assert_eq!(values::<i32>(&out[2]), [7]);
    assert_eq!(out[3].shape(), &Shape(vec![2, 2]));
    assert_eq!(values::<i32>(&out[3]), [7; 4]);
    assert_eq!(out[4], out[0]);
}

#[test]
fn dead_nodes_are_not_evaluated() {
    let mut g = Graph::new();
    let x = g.input(TensorType::new([3], DType::F64));
    let _dead = g.add(Op::Unary(UnaryOp::Exp), &[x]).unwrap();
    let y = g.add(Op::Unary(UnaryOp::Neg), &[x]).unwrap();
    g.set_outputs(vec![y]);
    let input = vector(&[1.0f64, 2.0, 3.0]);
    let out = evaluate(&g, std::slice::from_ref(&input)).unwrap();
    assert_eq!(values::<f64>(&out[0]), [-1.0, -2.0, -3.0]);
}

#[test]
fn intermediates_are_freed_after_their_last_use() {
    // A chain of 10 000 reshapes shares one buffer; were intermediates kept,
    // the input's buffer would have 10 000 more owners at the end.
    let mut g = Graph::new();
    let x = g.input(TensorType::new([2, 3], DType::F32));
    let mut y = x;
    for i in 0..10_000 {
        let shape = if i % 2 == 0 { vec![3, 2] } else { vec![2, 3] };
        y = g.add(Op::Reshape(Shape(shape)), &[y]).unwrap();
    }
    g.set_outputs(vec![y]);
    let input = tensor([2, 3], &[1.0f32; 6]);
    let out = evaluate(&g, std::slice::from_ref(&input)).unwrap();
    assert_eq!(std::sync::Arc::strong_count(input.buffer()), 2);
    drop(out);
    assert_eq!(std::sync::Arc::strong_count(input.buffer()), 1);
}
