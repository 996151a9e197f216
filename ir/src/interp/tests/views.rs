//! Reshape, permute, broadcast, slice, pad and concat, against NumPy's
//! indexing and `np.concatenate`.

use super::{apply, tensor, try_apply, values, vector};
use crate::op::{Op, PadAxis, SliceAxis};
use crate::shape::Shape;

/// `np.arange(24).reshape(2, 3, 4)` as i64.
fn arange_2x3x4() -> crate::buffer::Tensor {
    let data: Vec<i64> = (0..24).collect();
    tensor([2, 3, 4], &data)
}

fn axis(start: usize, step: isize, len: usize) -> SliceAxis {
    SliceAxis { start, step, len }
}

#[test]
fn reshape_keeps_row_major_order() {
    let x = arange_2x3x4();
    let y = apply(Op::Reshape(Shape(vec![4, 6])), &[&x]);
    assert_eq!(y.shape().0, [4, 6]);
    assert_eq!(values::<i64>(&y), values::<i64>(&x));
    let s = apply(Op::Reshape(Shape(vec![])), &[&vector(&[5.0f32])]);
    assert_eq!(s.shape(), &Shape::scalar());
}

#[test]
fn permute_moves_axes() {
    // x.transpose(2, 0, 1)
    let y = apply(Op::Permute(vec![2, 0, 1]), &[&arange_2x3x4()]);
    assert_eq!(y.shape().0, [4, 2, 3]);
    assert_eq!(
        values::<i64>(&y),
        [0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21, 2, 6, 10, 14, 18, 22, 3, 7, 11, 15, 19, 23]
    );
}

#[test]
fn slices_with_negative_steps() {
    let x = arange_2x3x4();
    // x[::-1, 2:0:-1, ::2]
    let y = apply(
        Op::Slice(vec![axis(1, -1, 2), axis(2, -1, 2), axis(0, 2, 2)]),
        &[&x],
    );
    assert_eq!(y.shape().0, [2, 2, 2]);
    assert_eq!(values::<i64>(&y), [20, 22, 16, 18, 8, 10, 4, 6]);
    // x[:, ::-2, 3:0:-2]
    let z = apply(
        Op::Slice(vec![axis(0, 1, 2), axis(2, -2, 2), axis(3, -2, 2)]),
        &[&x],
    );
    assert_eq!(values::<i64>(&z), [11, 9, 3, 1, 23, 21, 15, 13]);
    // An empty slice.
    let e = apply(
        Op::Slice(vec![axis(0, 1, 2), axis(0, 1, 0), axis(0, 1, 4)]),
        &[&x],
    );
    assert_eq!(e.shape().0, [2, 0, 4]);
    assert!(values::<i64>(&e).is_empty());
}

#[test]
fn broadcast_stretches_and_prepends_axes() {
    // np.broadcast_to(np.array([[1], [2]]), (2, 2, 3))
    let x = tensor([2, 1], &[1.0f64, 2.0]);
    let y = apply(Op::Broadcast(Shape(vec![2, 2, 3])), &[&x]);
    assert_eq!(
        values::<f64>(&y),
        [1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0]
    );
    let s = apply(Op::Broadcast(Shape(vec![2, 2])), &[&tensor([], &[true])]);
    assert_eq!(values::<bool>(&s), [true; 4]);
    let z = apply(Op::Broadcast(Shape(vec![0, 3])), &[&vector(&[1i32, 2, 3])]);
    assert_eq!(z.shape().0, [0, 3]);
}

#[test]
fn pad_with_low_high_and_interior() {
    let x = tensor([2, 3], &[1i32, 2, 3, 4, 5, 6]);
    let pads = vec![
        PadAxis {
            low: 1,
            high: 0,
            interior: 1,
        },
        PadAxis {
            low: 0,
            high: 2,
            interior: 2,
        },
    ];
    let y = apply(Op::Pad(pads), &[&x]);
    assert_eq!(y.shape().0, [4, 9]);
    #[rustfmt::skip]
    let expected = [
        0, 0, 0, 0, 0, 0, 0, 0, 0,
        1, 0, 0, 2, 0, 0, 3, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0,
        4, 0, 0, 5, 0, 0, 6, 0, 0,
    ];
    assert_eq!(values::<i32>(&y), expected);
    let b = apply(
        Op::Pad(vec![PadAxis {
            low: 2,
            high: 1,
            interior: 0,
        }]),
        &[&vector(&[true])],
    );
    assert_eq!(values::<bool>(&b), [false, false, true, false]);
    let empty = apply(
        Op::Pad(vec![PadAxis {
            low: 1,
            high: 1,
            interior: 3,
        }]),
        &[&vector::<f64>(&[])],
    );
    assert_eq!(values::<f64>(&empty), [0.0, 0.0]);
}

#[test]
fn concat_joins_along_any_axis() {
    let x = arange_2x3x4();
    // np.concatenate([x, x[:, :1]], axis=1)[:, 3] is x[:, 0].
    let first_row = apply(
        Op::Slice(vec![axis(0, 1, 2), axis(0, 1, 1), axis(0, 1, 4)]),
        &[&x],
    );
    let y = apply(Op::Concat { axis: 1 }, &[&x, &first_row]);
    assert_eq!(y.shape().0, [2, 4, 4]);
    #[rustfmt::skip]
    let expected = [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3,
        12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 12, 13, 14, 15,
    ];
    assert_eq!(values::<i64>(&y), expected);
    // np.concatenate([a, b, a], axis=-1) for a = [[1.], [2.]], b = [[3., 4.], [5., 6.]].
    let a = tensor([2, 1], &[1.0f64, 2.0]);
    let b = tensor([2, 2], &[3.0f64, 4.0, 5.0, 6.0]);
    let z = apply(Op::Concat { axis: 1 }, &[&a, &b, &a]);
    assert_eq!(z.shape().0, [2, 4]);
    assert_eq!(values::<f64>(&z), [1.0, 3.0, 4.0, 1.0, 2.0, 5.0, 6.0, 2.0]);
    // One operand is a copy; empty operands add nothing.
    let v = vector(&[true, false]);
    let empty = vector::<bool>(&[]);
    assert_eq!(
        values::<bool>(&apply(Op::Concat { axis: 0 }, &[&v])),
        [true, false]
    );
    let w = apply(Op::Concat { axis: 0 }, &[&empty, &v, &empty, &v]);
    assert_eq!(values::<bool>(&w), [true, false, true, false]);
}

#[test]
fn concat_of_mismatched_operands_is_an_error() {
    let a = tensor([2, 3], &[0i32; 6]);
    let b = tensor([3, 2], &[0i32; 6]);
    let error = try_apply(Op::Concat { axis: 0 }, &[&a, &b]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "concat: operand 1 of shape [3, 2] does not match operand 0 of shape [2, 3] except along axis 0"
    );
    let f = tensor([2, 3], &[0.0f32; 6]);
    let error = try_apply(Op::Concat { axis: 1 }, &[&a, &f]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "concat: operand dtypes differ: i32 (operand 0) and f32 (operand 1)"
    );
    let error = try_apply(Op::Concat { axis: 2 }, &[&a, &a]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "concat: axis 2 out of range for operand 0 of shape [2, 3]"
    );
    let scalar = tensor([], &[1i32]);
    assert!(try_apply(Op::Concat { axis: 0 }, &[&scalar, &scalar]).is_err());
    let row = tensor([3], &[0i32; 3]);
    assert!(try_apply(Op::Concat { axis: 0 }, &[&a, &row]).is_err());
    let error = try_apply(Op::Concat { axis: 0 }, &[]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "concat: takes at least one operand, got none"
    );
}
