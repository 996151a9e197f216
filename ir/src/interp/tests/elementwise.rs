//! Unary, binary, select and cast, against NumPy's values.

use super::{apply, same, tensor, try_apply, values, vector};
use crate::buffer::Tensor;
use crate::dtype::DType;
use crate::op::{BinaryOp, Op, UnaryOp};

const NAN: f64 = f64::NAN;
const INF: f64 = f64::INFINITY;

fn binary(op: BinaryOp, a: &Tensor, b: &Tensor) -> Tensor {
    apply(Op::Binary(op), &[a, b])
}

fn unary(op: UnaryOp, x: &Tensor) -> Tensor {
    apply(Op::Unary(op), &[x])
}

/// A few values of `dtype` (including 0, negatives and, for floats, NaN).
fn sample(dtype: DType) -> Tensor {
    match dtype {
        DType::Bool => vector(&[false, true, true, false]),
        DType::I32 => vector(&[-3i32, 0, 2, 7]),
        DType::I64 => vector(&[-3i64, 0, 2, 7]),
        DType::F32 => vector(&[-1.5f32, 0.0, 0.5, f32::NAN]),
        DType::F64 => vector(&[-1.5f64, 0.0, 0.5, f64::NAN]),
    }
}

#[test]
fn every_op_evaluates_on_every_dtype_it_accepts() {
    for dtype in DType::ALL {
        let x = sample(dtype);
        for &op in UnaryOp::ALL {
            if let Ok(out) = try_apply(Op::Unary(op), &[&x]) {
                assert_eq!(out.dtype(), op.result_dtype(dtype), "{op:?} on {dtype}");
                assert_eq!(out.shape(), x.shape());
            }
        }
        for &op in BinaryOp::ALL {
            if let Ok(out) = try_apply(Op::Binary(op), &[&x, &x]) {
                assert_eq!(out.dtype(), op.result_dtype(dtype), "{op:?} on {dtype}");
                assert_eq!(out.shape(), x.shape());
            }
        }
    }
}

#[test]
fn integer_unary_ops_wrap() {
    let x = vector(&[i32::MIN, -5, 0, 3]);
    assert_eq!(
        values::<i32>(&unary(UnaryOp::Neg, &x)),
        [i32::MIN, 5, 0, -3]
    );
    assert_eq!(values::<i32>(&unary(UnaryOp::Abs, &x)), [i32::MIN, 5, 0, 3]);
    assert_eq!(values::<i32>(&unary(UnaryOp::Sign, &x)), [-1, -1, 0, 1]);
    assert_eq!(values::<i32>(&unary(UnaryOp::Square, &x)), [0, 25, 0, 9]);
    let y = vector(&[3_037_000_500i64, -2]);
    assert_eq!(
        values::<i64>(&unary(UnaryOp::Square, &y)),
        [3_037_000_500i64.wrapping_mul(3_037_000_500), 4]
    );
}

#[test]
fn predicates_and_not() {
    let x = vector(&[1.0f64, NAN, INF, -INF]);
    assert_eq!(
        values::<bool>(&unary(UnaryOp::IsNan, &x)),
        [false, true, false, false]
    );
    assert_eq!(
        values::<bool>(&unary(UnaryOp::IsFinite, &x)),
        [true, false, false, false]
    );
    let i = vector(&[5i64, -1]);
    assert_eq!(values::<bool>(&unary(UnaryOp::IsNan, &i)), [false, false]);
    assert_eq!(values::<bool>(&unary(UnaryOp::IsFinite, &i)), [true, true]);
    let b = vector(&[true, false]);
    assert_eq!(values::<bool>(&unary(UnaryOp::Not, &b)), [false, true]);
    assert_eq!(values::<bool>(&unary(UnaryOp::IsFinite, &b)), [true, true]);
}

#[test]
fn integer_arithmetic_follows_numpy() {
    let a = vector(&[7i64, -7, 7, -7, 0, 5, i64::MAX, i64::MIN]);
    let b = vector(&[2i64, 2, -2, -2, 0, 0, 1, -1]);
    assert_eq!(
        values::<i64>(&binary(BinaryOp::Add, &a, &b)),
        [9, -5, 5, -9, 0, 5, i64::MIN, i64::MAX]
    );
    assert_eq!(
        values::<i64>(&binary(BinaryOp::Sub, &a, &b)),
        [5, -9, 9, -5, 0, 5, i64::MAX - 1, i64::MIN + 1]
    );
    assert_eq!(
        values::<i64>(&binary(BinaryOp::Mul, &a, &b)),
        [14, -14, -14, 14, 0, 0, i64::MAX, i64::MIN]
    );
    // np.floor_divide / np.remainder: by zero gives 0; MIN // -1 wraps.
    assert_eq!(
        values::<i64>(&binary(BinaryOp::FloorDiv, &a, &b)),
        [3, -4, -4, 3, 0, 0, i64::MAX, i64::MIN]
    );
    assert_eq!(
        values::<i64>(&binary(BinaryOp::Rem, &a, &b)),
        [1, 1, -1, -1, 0, 0, 0, 0]
    );
    assert_eq!(
        values::<i64>(&binary(BinaryOp::Maximum, &a, &b)),
        [7, 2, 7, -2, 0, 5, i64::MAX, -1]
    );
    assert_eq!(
        values::<i64>(&binary(BinaryOp::Minimum, &a, &b)),
        [2, -7, -2, -7, 0, 0, 1, i64::MIN]
    );
    let base = vector(&[2i32, -2, 3, 5, 1, -1, 0]);
    let exponent = vector(&[31i32, 31, 40, -1, -7, -7, 0]);
    assert_eq!(
        values::<i32>(&binary(BinaryOp::Pow, &base, &exponent)),
        [i32::MIN, i32::MIN, 689_956_897, 0, 1, -1, 1]
    );
    let a32 = vector(&[-7i32, 9]);
    let b32 = vector(&[3i32, -4]);
    assert_eq!(
        values::<i32>(&binary(BinaryOp::FloorDiv, &a32, &b32)),
        [-3, -3]
    );
    assert_eq!(values::<i32>(&binary(BinaryOp::Rem, &a32, &b32)), [2, -3]);
}

#[test]
fn float_arithmetic_follows_numpy() {
    let a = vector(&[7.0f64, -7.0, 7.0, -7.0, 1.0, -1.0, 0.0, 5.5, INF, NAN]);
    let b = vector(&[2.0f64, 2.0, -2.0, -2.0, 0.0, 0.0, 0.0, INF, 2.0, 1.0]);
    let check = |op, expected: [f64; 10]| {
        let got = values::<f64>(&binary(op, &a, &b));
        for (i, (&g, &e)) in got.iter().zip(&expected).enumerate() {
            assert!(same(g, e), "{op:?} element {i}: {g}, NumPy: {e}");
        }
    };
    check(
        BinaryOp::Add,
        [9.0, -5.0, 5.0, -9.0, 1.0, -1.0, 0.0, INF, INF, NAN],
    );
    check(
        BinaryOp::Sub,
        [5.0, -9.0, 9.0, -5.0, 1.0, -1.0, 0.0, -INF, INF, NAN],
    );
    check(
        BinaryOp::Mul,
        [14.0, -14.0, -14.0, 14.0, 0.0, -0.0, 0.0, INF, INF, NAN],
    );
    check(
        BinaryOp::Div,
        [3.5, -3.5, -3.5, 3.5, INF, -INF, NAN, 0.0, INF, NAN],
    );
    check(
        BinaryOp::FloorDiv,
        [3.0, -4.0, -4.0, 3.0, INF, -INF, NAN, 0.0, NAN, NAN],
    );
    check(
        BinaryOp::Rem,
        [1.0, 1.0, -1.0, -1.0, NAN, NAN, NAN, 5.5, NAN, NAN],
    );
    check(
        BinaryOp::Maximum,
        [7.0, 2.0, 7.0, -2.0, 1.0, 0.0, 0.0, INF, INF, NAN],
    );
    check(
        BinaryOp::Minimum,
        [2.0, -7.0, -2.0, -7.0, 0.0, -1.0, 0.0, 5.5, 2.0, NAN],
    );
    check(
        BinaryOp::Pow,
        [
            49.0,
            49.0,
            0.02040816326530612,
            0.02040816326530612,
            1.0,
            1.0,
            1.0,
            INF,
            INF,
            NAN,
        ],
    );
    check(
        BinaryOp::Atan2,
        [
            1.2924966677897853,
            -1.2924966677897853,
            1.849095985800008,
            -1.849095985800008,
            std::f64::consts::FRAC_PI_2,
            -std::f64::consts::FRAC_PI_2,
            0.0,
            0.0,
            std::f64::consts::FRAC_PI_2,
            NAN,
        ],
    );
}

#[test]
fn maximum_and_minimum_propagate_nan_from_either_side() {
    let a = vector(&[f32::NAN, 1.0]);
    let b = vector(&[1.0, f32::NAN]);
    for op in [BinaryOp::Maximum, BinaryOp::Minimum] {
        assert!(values::<f32>(&binary(op, &a, &b))
            .iter()
            .all(|v| v.is_nan()));
    }
}

#[test]
fn comparisons_and_logic() {
    let a = vector(&[1.0f64, 2.0, NAN, 3.0]);
    let b = vector(&[2.0f64, 2.0, NAN, 1.0]);
    let cmp = |op| values::<bool>(&binary(op, &a, &b));
    assert_eq!(cmp(BinaryOp::Eq), [false, true, false, false]);
    assert_eq!(cmp(BinaryOp::Ne), [true, false, true, true]);
    assert_eq!(cmp(BinaryOp::Lt), [true, false, false, false]);
    assert_eq!(cmp(BinaryOp::Le), [true, true, false, false]);
    assert_eq!(cmp(BinaryOp::Gt), [false, false, false, true]);
    assert_eq!(cmp(BinaryOp::Ge), [false, true, false, true]);
    let i = vector(&[1i32, 5]);
    let j = vector(&[5i32, 5]);
    assert_eq!(values::<bool>(&binary(BinaryOp::Lt, &i, &j)), [true, false]);

    let p = vector(&[false, false, true, true]);
    let q = vector(&[false, true, false, true]);
    let logic = |op| values::<bool>(&binary(op, &p, &q));
    assert_eq!(logic(BinaryOp::And), [false, false, false, true]);
    assert_eq!(logic(BinaryOp::Or), [false, true, true, true]);
    assert_eq!(logic(BinaryOp::Xor), [false, true, true, false]);
    assert_eq!(logic(BinaryOp::Maximum), [false, true, true, true]);
    assert_eq!(logic(BinaryOp::Minimum), [false, false, false, true]);
    assert_eq!(logic(BinaryOp::Lt), [false, true, false, false]);
    assert_eq!(logic(BinaryOp::Eq), [true, false, false, true]);
}

#[test]
fn select_picks_per_element() {
    let c = tensor([2, 2], &[true, false, false, true]);
    let a = tensor([2, 2], &[1i64, 2, 3, 4]);
    let b = tensor([2, 2], &[-1i64, -2, -3, -4]);
    let out = apply(Op::Select, &[&c, &a, &b]);
    assert_eq!(out.shape().0, [2, 2]);
    assert_eq!(values::<i64>(&out), [1, -2, -3, 4]);
    let x = vector(&[true, true]);
    let y = vector(&[false, false]);
    let c = vector(&[false, true]);
    assert_eq!(
        values::<bool>(&apply(Op::Select, &[&c, &x, &y])),
        [false, true]
    );
}

#[test]
fn casts_truncate_saturate_and_wrap() {
    let x = vector(&[NAN, 1e20, -1e20, -1.9, 1.9, INF, -0.0, 0.1]);
    assert_eq!(
        values::<i32>(&apply(Op::Cast(DType::I32), &[&x])),
        [0, i32::MAX, i32::MIN, -1, 1, i32::MAX, 0, 0]
    );
    assert_eq!(
        values::<i64>(&apply(Op::Cast(DType::I64), &[&x])),
        [0, i64::MAX, i64::MIN, -1, 1, i64::MAX, 0, 0]
    );
    // np.array([nan, 1e20, -1e20, -1.9, 1.9, inf, -0., .1]).astype(bool)
    assert_eq!(
        values::<bool>(&apply(Op::Cast(DType::Bool), &[&x])),
        [true, true, true, true, true, true, false, true]
    );
    let f32s = values::<f32>(&apply(Op::Cast(DType::F32), &[&x]));
    assert!(f32s[0].is_nan());
    assert_eq!(&f32s[1..6], [1e20f32, -1e20, -1.9, 1.9, f32::INFINITY]);

    let big = vector(&[(1i64 << 40) + 3, -1, 1 << 31, (1 << 53) + 1]);
    assert_eq!(
        values::<i32>(&apply(Op::Cast(DType::I32), &[&big])),
        [3, -1, i32::MIN, 1]
    );
    assert_eq!(
        values::<f64>(&apply(Op::Cast(DType::F64), &[&big]))[3],
        9007199254740992.0
    );
    assert_eq!(
        values::<bool>(&apply(Op::Cast(DType::Bool), &[&big])),
        [true; 4]
    );
    let b = vector(&[true, false]);
    assert_eq!(
        values::<f32>(&apply(Op::Cast(DType::F32), &[&b])),
        [1.0, 0.0]
    );
    assert_eq!(values::<i64>(&apply(Op::Cast(DType::I64), &[&b])), [1, 0]);
    assert_eq!(
        values::<bool>(&apply(Op::Cast(DType::Bool), &[&b])),
        [true, false]
    );
    let i = vector(&[0i32, -2, 16_777_217]);
    assert_eq!(
        values::<bool>(&apply(Op::Cast(DType::Bool), &[&i])),
        [false, true, true]
    );
    assert_eq!(
        values::<f32>(&apply(Op::Cast(DType::F32), &[&i])),
        [0.0, -2.0, 16_777_216.0]
    );
}

#[test]
fn broadcasting_then_binary_op() {
    // np.arange(3).reshape(3, 1) * np.array([10, 20]) via explicit broadcasts.
    use crate::graph::Graph;
    use crate::op::TensorType;
    use crate::shape::Shape;
    let mut g = Graph::new();
    let col = g.input(TensorType::new([3, 1], DType::I32));
    let row = g.input(TensorType::new([2], DType::I32));
    let target = Shape(vec![3, 2]);
    let a = g.add(Op::Broadcast(target.clone()), &[col]).unwrap();
    let b = g.add(Op::Broadcast(target), &[row]).unwrap();
    let product = g.add(Op::Binary(BinaryOp::Mul), &[a, b]).unwrap();
    g.set_outputs(vec![product]);
    let out = super::evaluate(&g, &[tensor([3, 1], &[0i32, 1, 2]), vector(&[10i32, 20])]).unwrap();
    assert_eq!(out[0].shape().0, [3, 2]);
    assert_eq!(values::<i32>(&out[0]), [0, 0, 10, 20, 20, 40]);
}
