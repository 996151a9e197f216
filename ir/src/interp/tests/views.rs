//! Reshape, permute, broadcast, slice and pad, against NumPy's indexing.

use super::{apply, tensor, values, vector};
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
    assert_eq!(y.shape.0, [4, 6]);
    assert_eq!(values::<i64>(&y), values::<i64>(&x));
    let s = apply(Op::Reshape(Shape(vec![])), &[&vector(&[5.0f32])]);
    assert_eq!(s.shape, Shape::scalar());
}

#[test]
fn permute_moves_axes() {
    // x.transpose(2, 0, 1)
    let y = apply(Op::Permute(vec![2, 0, 1]), &[&arange_2x3x4()]);
    assert_eq!(y.shape.0, [4, 2, 3]);
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
    assert_eq!(y.shape.0, [2, 2, 2]);
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
    assert_eq!(e.shape.0, [2, 0, 4]);
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
    assert_eq!(z.shape.0, [0, 3]);
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
    assert_eq!(y.shape.0, [4, 9]);
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
