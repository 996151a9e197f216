//! Index maps: strided, negative-stride and broadcast loads, strided
//! stores, in 2-d and 3-d, whole and in pieces of axis 0.

use super::{interpret, run, run_range, Builder, Data};
use ndjit_ir::{BinaryOp, DType, Scalar, UnaryOp};

fn values(dtype: DType, n: usize, seed: usize) -> Data {
    let scalars: Vec<Scalar> = (0..n)
        .map(|i| Scalar::from_f64(((i * 7 + seed * 13) % 61) as f64 - 30.0, dtype))
        .collect();
    Data::from_scalars(dtype, &scalars)
}

/// Compiled and interpreted runs agree exactly.
fn check(k: &Builder, mut buffers: Vec<Data>) {
    let mut expected = buffers.clone();
    interpret(&k.kernel, &mut expected);
    run(&k.kernel, &mut buffers);
    assert_eq!(buffers, expected);
}

#[test]
fn two_d_transposed_reversed_and_broadcast_loads() {
    let (rows, cols) = (37, 41);
    for dtype in [DType::F64, DType::F32, DType::I64, DType::I32] {
        let mut k = Builder::new(&[rows, cols]);
        let transposed = k.load(dtype, &[1, rows as isize]);
        let reversed = k.load(dtype, &[cols as isize, -1]);
        k.kernel.loads[1].map.offset = cols as isize - 1;
        let row = k.load(dtype, &[0, 1]);
        let column = k.load(dtype, &[1, 0]);
        let product = k.binary(BinaryOp::Mul, transposed, reversed);
        let sum = k.binary(BinaryOp::Add, product, row);
        let r = k.binary(BinaryOp::Sub, sum, column);
        k.output(r);
        let buffers = vec![
            values(dtype, rows * cols, 1),
            values(dtype, rows * cols, 2),
            values(dtype, cols, 3),
            values(dtype, rows, 4),
            Data::zeros(dtype, rows * cols),
        ];
        check(&k, buffers);
    }
}

#[test]
fn three_d_with_chunked_rows_and_strided_stores() {
    let shape = [3, 5, 1100];
    let n: usize = shape.iter().product();
    for dtype in [DType::F64, DType::F32, DType::I32] {
        let mut k = Builder::new(&shape);
        let a = k.input(dtype);
        let middle = k.load(dtype, &[0, 1, 0]);
        let backwards = k.load(dtype, &[-5500, 1100, -1]);
        k.kernel.loads[2].map.offset = 2 * 5500 + 1099;
        let every_other = k.load(dtype, &[0, 0, 2]);
        let x = k.binary(BinaryOp::Add, a, middle);
        let y = k.binary(BinaryOp::Mul, backwards, every_other);
        let z = k.binary(BinaryOp::Maximum, x, y);
        let w = k.unary(UnaryOp::Neg, z);
        k.output(z);
        // The transpose of `shape`: the innermost axis is the outermost in memory.
        k.store_map(w, &[1, 3, 15], None);
        let buffers = vec![
            values(dtype, n, 1),
            values(dtype, 5, 2),
            values(dtype, n, 3),
            values(dtype, 2200, 4),
            Data::zeros(dtype, n),
            Data::zeros(dtype, n),
        ];
        check(&k, buffers);
    }
}

#[test]
fn pieces_of_axis_zero_give_the_whole_result() {
    let shape = [7, 3, 9];
    let n: usize = shape.iter().product();
    let mut k = Builder::new(&shape);
    let a = k.input(DType::F32);
    let b = k.load(DType::F32, &[0, 9, 1]);
    let e = k.unary(UnaryOp::Exp, b);
    let r = k.binary(BinaryOp::Mul, a, e);
    k.output(r);
    let fresh = || {
        vec![
            values(DType::F32, n, 1),
            values(DType::F32, 27, 2),
            Data::zeros(DType::F32, n),
        ]
    };
    let mut whole = fresh();
    run(&k.kernel, &mut whole);
    let mut pieces = fresh();
    for (begin, end) in [(0, 2), (2, 3), (3, 3), (3, 7)] {
        run_range(&k.kernel, &mut pieces, begin, end);
    }
    assert_eq!(whole, pieces);
}

#[test]
fn stride_zero_plain_store_keeps_the_last_value() {
    let n = 21;
    let mut k = Builder::new(&[n]);
    let a = k.input(DType::F64);
    k.store_map(a, &[0], None);
    let input: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let mut buffers = vec![Data::F64(input), Data::zeros(DType::F64, 1)];
    run(&k.kernel, &mut buffers);
    assert_eq!(buffers[1], Data::F64(vec![20.0]));
}
