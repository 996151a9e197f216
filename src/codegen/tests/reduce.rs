//! Reductions: along the innermost axis (vector accumulators, compensated
//! chunk totals) and along outer axes (in-place read-modify-write), for
//! every reduce op and dtype, and the accuracy of long f32 sums.

use super::{assert_same, interpret, run, run_range, Builder, Data};
use ndjit_ir::schedule::reduce_init;
use ndjit_ir::{BinaryOp, DType, ReduceOp, Scalar};

fn accepts(op: ReduceOp, dtype: DType) -> bool {
    match op {
        ReduceOp::Sum | ReduceOp::Prod => dtype.is_numeric(),
        ReduceOp::Max | ReduceOp::Min => true,
        ReduceOp::Any | ReduceOp::All => dtype == DType::Bool,
    }
}

/// Inputs whose products stay finite and whose float sums are exact in
/// any order (small multiples of 1/4), with a NaN for max/min to find.
fn input(op: ReduceOp, dtype: DType, n: usize, nan_at: Option<usize>) -> Data {
    let scalars: Vec<Scalar> = (0..n)
        .map(|i| {
            let x = match (op, dtype) {
                (_, DType::Bool) => ((i * 7 % 11) != 0) as u8 as f64,
                (ReduceOp::Prod, _) if dtype.is_float() => [1.0, 0.5, 2.0, -1.0, 1.0][i % 5],
                (ReduceOp::Prod, _) => [1.0, -1.0, 3.0, 1.0][i % 4],
                _ if dtype.is_float() => ((i * 37 % 101) as f64 - 50.0) * 0.25,
                _ => (i * 37 % 101) as f64 - 50.0,
            };
            let x = if Some(i) == nan_at { f64::NAN } else { x };
            Scalar::from_f64(x, dtype)
        })
        .collect();
    Data::from_scalars(dtype, &scalars)
}

/// Reduces `shape` with a store of `strides` (0 on the reduced axes) and
/// compares with the sequential interpreter, exactly.
fn check(op: ReduceOp, dtype: DType, shape: &[usize], strides: &[isize], nan_at: Option<usize>) {
    let n: usize = shape.iter().product();
    let out: usize = shape
        .iter()
        .zip(strides)
        .filter(|(_, &s)| s != 0)
        .map(|(&d, _)| d)
        .product();
    let mut k = Builder::new(shape);
    let a = k.input(dtype);
    k.store_map(a, strides, Some(op));
    let mut buffers = vec![
        input(op, dtype, n, nan_at),
        Data::filled(reduce_init(op, dtype), out),
    ];
    let mut expected = buffers.clone();
    interpret(&k.kernel, &mut expected);
    run(&k.kernel, &mut buffers);
    let context = format!(
        "{} over {shape:?} with store strides {strides:?} on {dtype}",
        op.name()
    );
    assert_same(&buffers[1], &expected[1].scalars(), &context);
}

#[test]
fn every_reduction_along_the_innermost_axis() {
    for &op in ReduceOp::ALL {
        for dtype in DType::ALL {
            if !accepts(op, dtype) {
                continue;
            }
            check(op, dtype, &[13, 1029], &[1, 0], None);
            check(op, dtype, &[3, 2, 7], &[2, 1, 0], None);
            check(op, dtype, &[2, 3000], &[0, 0], None);
            check(op, dtype, &[5000], &[0], None);
        }
    }
}

#[test]
fn every_reduction_along_outer_axes() {
    for &op in ReduceOp::ALL {
        for dtype in DType::ALL {
            if !accepts(op, dtype) {
                continue;
            }
            check(op, dtype, &[1029, 13], &[0, 1], None);
            check(op, dtype, &[5, 7, 9], &[9, 0, 1], None);
            check(op, dtype, &[6, 3, 17], &[0, 1, 0], None);
        }
    }
}

#[test]
fn max_and_min_propagate_nan() {
    for op in [ReduceOp::Max, ReduceOp::Min] {
        for dtype in [DType::F64, DType::F32] {
            check(op, dtype, &[4, 1029], &[1, 0], Some(1029 + 700));
            check(op, dtype, &[4, 1029], &[0, 1], Some(1029 + 700));
        }
    }
}

#[test]
fn sums_with_infinities_are_ieee() {
    for (values, expected) in [
        (vec![1.0, f64::INFINITY, 2.0], f64::INFINITY),
        (vec![f64::INFINITY, 1.0, f64::NEG_INFINITY], f64::NAN),
        (vec![f64::MAX, f64::MAX, -f64::MAX], f64::INFINITY),
    ] {
        // Spread over several chunks so the compensation sees the infinity.
        let n = 2000;
        let mut data = vec![0.0; n];
        for (i, v) in values.iter().enumerate() {
            data[i * 700] = *v;
        }
        let mut k = Builder::new(&[n]);
        let a = k.input(DType::F64);
        k.store_map(a, &[0], Some(ReduceOp::Sum));
        let mut buffers = vec![Data::F64(data), Data::F64(vec![0.0])];
        run(&k.kernel, &mut buffers);
        let got = buffers[1].f64s()[0];
        assert!(
            got == expected || (got.is_nan() && expected.is_nan()),
            "{values:?}: {got}"
        );
    }
}

#[test]
fn sum_of_a_product_runs_in_pieces() {
    let n = 10_000;
    let mut k = Builder::new(&[n]);
    let (a, b) = (k.input(DType::F64), k.input(DType::F64));
    let product = k.binary(BinaryOp::Mul, a, b);
    k.store_map(product, &[0], Some(ReduceOp::Sum));
    let a: Vec<f64> = (0..n).map(|i| (i % 17) as f64 * 0.5).collect();
    let b: Vec<f64> = (0..n).map(|i| (i % 5) as f64).collect();
    let exact: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
    let mut buffers = vec![Data::F64(a), Data::F64(b), Data::F64(vec![0.0])];
    for (begin, end) in [(0, 3), (3, 4000), (4000, 10_000)] {
        run_range(&k.kernel, &mut buffers, begin, end);
    }
    assert_eq!(buffers[2], Data::F64(vec![exact]));
}

#[test]
fn long_f32_sums_are_accurate() {
    let n = 10_000_000;
    let mut k = Builder::new(&[n]);
    let a = k.input(DType::F32);
    k.store_map(a, &[0], Some(ReduceOp::Sum));
    let mut buffers = vec![Data::F32(vec![0.1; n]), Data::F32(vec![0.0])];
    run(&k.kernel, &mut buffers);
    let exact = n as f64 * 0.1f32 as f64;
    let got = buffers[1].f64s()[0];
    let error = ((got - exact) / exact).abs();
    assert!(
        error < 1e-6,
        "sum {got}, exact {exact}, relative error {error:e}"
    );
}
