//! Reductions over axes, and argmax/argmin, against NumPy.

use super::{apply, tensor, values, vector};
use crate::buffer::Tensor;
use crate::op::{ArgReduceOp, Op, ReduceOp};

const NAN: f64 = f64::NAN;

fn reduce(op: ReduceOp, axes: &[usize], x: &Tensor) -> Tensor {
    apply(
        Op::Reduce {
            op,
            axes: axes.to_vec(),
        },
        &[x],
    )
}

fn arg(op: ArgReduceOp, axis: usize, x: &Tensor) -> Vec<i64> {
    values(&apply(Op::ArgReduce { op, axis }, &[x]))
}

/// `np.arange(24.).reshape(2, 3, 4) - 7.5`.
fn centred_2x3x4() -> Tensor {
    let data: Vec<f64> = (0..24).map(|i| i as f64 - 7.5).collect();
    tensor([2, 3, 4], &data)
}

#[test]
fn sums_over_several_and_all_axes_keep_extent_one() {
    let x = centred_2x3x4();
    let y = reduce(ReduceOp::Sum, &[0, 2], &x);
    assert_eq!(y.shape().0, [1, 3, 1]);
    assert_eq!(values::<f64>(&y), [0.0, 32.0, 64.0]);
    let all = reduce(ReduceOp::Sum, &[0, 1, 2], &x);
    assert_eq!(all.shape().0, [1, 1, 1]);
    assert_eq!(values::<f64>(&all), [96.0]);
    let none = reduce(ReduceOp::Sum, &[], &x);
    assert_eq!(values::<f64>(&none), values::<f64>(&x));
}

#[test]
fn products_maxima_and_minima() {
    let ints: Vec<i64> = (1..=24).collect();
    let x = tensor([2, 3, 4], &ints);
    let p = reduce(ReduceOp::Prod, &[1], &x);
    assert_eq!(p.shape().0, [2, 1, 4]);
    assert_eq!(
        values::<i64>(&p),
        [45, 120, 231, 384, 4641, 5544, 6555, 7680]
    );
    let c = centred_2x3x4();
    assert_eq!(
        values::<f64>(&reduce(ReduceOp::Max, &[0, 1], &c)),
        [12.5, 13.5, 14.5, 15.5]
    );
    assert_eq!(
        values::<f64>(&reduce(ReduceOp::Min, &[2], &c)),
        [-7.5, -3.5, 0.5, 4.5, 8.5, 12.5]
    );
}

#[test]
fn integer_sums_and_products_wrap() {
    let x = tensor([2, 2], &[1i64 << 62, 1 << 62, 1 << 62, 1]);
    assert_eq!(
        values::<i64>(&reduce(ReduceOp::Sum, &[0], &x)),
        [i64::MIN, (1 << 62) + 1]
    );
    let y = vector(&[1i64 << 32, (1 << 32) + 1]);
    assert_eq!(values::<i64>(&reduce(ReduceOp::Prod, &[0], &y)), [1 << 32]);
    let z = vector(&[i32::MAX, 1]);
    assert_eq!(values::<i32>(&reduce(ReduceOp::Sum, &[0], &z)), [i32::MIN]);
}

#[test]
fn max_and_min_propagate_nan() {
    let x = tensor([2, 2], &[1.0, NAN, 2.0, 3.0]);
    let max = values::<f64>(&reduce(ReduceOp::Max, &[1], &x));
    assert!(max[0].is_nan());
    assert_eq!(max[1], 3.0);
    let y = tensor([2, 2], &[f32::NAN, 1.0, 2.0, 3.0]);
    let min = values::<f32>(&reduce(ReduceOp::Min, &[0], &y));
    assert!(min[0].is_nan());
    assert_eq!(min[1], 1.0);
}

#[test]
fn bool_reductions() {
    let x = tensor([2, 3], &[true, false, true, false, false, true]);
    assert_eq!(
        values::<bool>(&reduce(ReduceOp::Any, &[1], &x)),
        [true, true]
    );
    assert_eq!(
        values::<bool>(&reduce(ReduceOp::All, &[0], &x)),
        [false, false, true]
    );
    // max/min of bools are or/and.
    assert_eq!(
        values::<bool>(&reduce(ReduceOp::Max, &[0], &x)),
        [true, false, true]
    );
    assert_eq!(
        values::<bool>(&reduce(ReduceOp::Min, &[1], &x)),
        [false, false]
    );
}

#[test]
fn zero_size_axes_give_the_identity() {
    let f = tensor::<f64>([2, 0, 3], &[]);
    let sum = reduce(ReduceOp::Sum, &[1], &f);
    assert_eq!(sum.shape().0, [2, 1, 3]);
    assert_eq!(values::<f64>(&sum), [0.0; 6]);
    assert_eq!(
        values::<f64>(&reduce(ReduceOp::Prod, &[0, 1], &f)),
        [1.0; 3]
    );
    let i = tensor::<i32>([0], &[]);
    assert_eq!(values::<i32>(&reduce(ReduceOp::Sum, &[0], &i)), [0]);
    assert_eq!(values::<i32>(&reduce(ReduceOp::Prod, &[0], &i)), [1]);
    let b = tensor::<bool>([0, 2], &[]);
    assert_eq!(values::<bool>(&reduce(ReduceOp::Any, &[0], &b)), [false; 2]);
    assert_eq!(values::<bool>(&reduce(ReduceOp::All, &[0], &b)), [true; 2]);
    // Reducing a non-empty axis of an empty array gives an empty array.
    let e = reduce(ReduceOp::Max, &[2], &f);
    assert_eq!(e.shape().0, [2, 0, 1]);
}

#[test]
fn float_sums_are_pairwise() {
    // 1e6 copies of 0.1f32: NumPy gives 100000.0 (a running sum, ~100958).
    let x = vector(&vec![0.1f32; 1_000_000]);
    let sum = values::<f32>(&reduce(ReduceOp::Sum, &[0], &x))[0];
    assert!((sum - 100_000.0).abs() < 1.0, "{sum}");
    // A sum of negative zeros is +0, as NumPy's (it starts from the identity).
    let z = vector(&[-0.0f64]);
    assert!(values::<f64>(&reduce(ReduceOp::Sum, &[0], &z))[0].is_sign_positive());
}

#[test]
fn argmax_argmin_take_the_first_extremum_or_nan() {
    let x = tensor([2, 5], &[1.0, 3.0, 3.0, NAN, NAN, 5.0, 1.0, 5.0, 0.0, -1.0]);
    assert_eq!(arg(ArgReduceOp::ArgMax, 1, &x), [3, 0]);
    assert_eq!(arg(ArgReduceOp::ArgMin, 1, &x), [3, 4]);
    let y = tensor([2, 3], &[2i32, 7, 7, 9, 1, 9]);
    let along_rows = apply(
        Op::ArgReduce {
            op: ArgReduceOp::ArgMax,
            axis: 0,
        },
        &[&y],
    );
    assert_eq!(along_rows.shape().0, [1, 3]);
    assert_eq!(values::<i64>(&along_rows), [1, 0, 1]);
    assert_eq!(arg(ArgReduceOp::ArgMin, 1, &y), [0, 1]);
    assert_eq!(
        arg(ArgReduceOp::ArgMax, 0, &vector(&[false, true, true])),
        [1]
    );
    let first_nan = vector(&[NAN, 2.0, NAN]);
    assert_eq!(arg(ArgReduceOp::ArgMin, 0, &first_nan), [0]);
}
