//! Contiguous elementwise kernels: every length class (empty, tail only,
//! vector body plus tail, several chunks), sub-ranges, 0-d, scalars.

use super::{assert_same, run, run_range, Builder, Data};
use ndjit_ir::{BinaryOp, DType, Scalar};

const LENGTHS: [usize; 7] = [0, 1, 3, 7, 1000, 4099, 1537];

/// `a * b + c` over `n` elements of `dtype`.
fn multiply_add(dtype: DType, n: usize) -> Builder {
    let mut k = Builder::new(&[n]);
    let (a, b, c) = (k.input(dtype), k.input(dtype), k.input(dtype));
    let ab = k.binary(BinaryOp::Mul, a, b);
    let r = k.binary(BinaryOp::Add, ab, c);
    k.output(r);
    k
}

fn inputs(n: usize, seed: f64) -> Vec<f64> {
    (0..n)
        .map(|i| ((i as f64 + seed) * 0.37).sin() * 10.0)
        .collect()
}

#[test]
fn multiply_add_f64_matches_rust_at_every_length() {
    for n in LENGTHS {
        let (a, b, c) = (inputs(n, 1.0), inputs(n, 2.0), inputs(n, 3.0));
        let expected: Vec<Scalar> = (0..n).map(|i| Scalar::F64(a[i] * b[i] + c[i])).collect();
        let mut buffers = [
            Data::F64(a),
            Data::F64(b),
            Data::F64(c),
            Data::zeros(DType::F64, n),
        ];
        run(&multiply_add(DType::F64, n).kernel, &mut buffers);
        assert_same(&buffers[3], &expected, &format!("n = {n}"));
    }
}

#[test]
fn multiply_add_f32_matches_rust_at_every_length() {
    for n in LENGTHS {
        let to32 = |v: Vec<f64>| v.into_iter().map(|x| x as f32).collect::<Vec<_>>();
        let (a, b, c) = (
            to32(inputs(n, 1.0)),
            to32(inputs(n, 2.0)),
            to32(inputs(n, 3.0)),
        );
        let expected: Vec<Scalar> = (0..n).map(|i| Scalar::F32(a[i] * b[i] + c[i])).collect();
        let mut buffers = [
            Data::F32(a),
            Data::F32(b),
            Data::F32(c),
            Data::zeros(DType::F32, n),
        ];
        run(&multiply_add(DType::F32, n).kernel, &mut buffers);
        assert_same(&buffers[3], &expected, &format!("n = {n}"));
    }
}

#[test]
fn sub_ranges_give_the_whole_result() {
    let n = 4099;
    let kernel = multiply_add(DType::F64, n).kernel;
    let fresh = || {
        [
            Data::F64(inputs(n, 1.0)),
            Data::F64(inputs(n, 2.0)),
            Data::F64(inputs(n, 3.0)),
            Data::zeros(DType::F64, n),
        ]
    };
    let mut whole = fresh();
    run(&kernel, &mut whole);
    let mut pieces = fresh();
    for (begin, end) in [(0, 5), (5, 5), (5, 1030), (1030, 1031), (1031, 4099)] {
        run_range(&kernel, &mut pieces, begin, end);
    }
    assert_eq!(whole[3], pieces[3]);
}

#[test]
fn scalars_are_run_time_arguments() {
    let n = 37;
    for (x, y) in [(2.0, 0.5), (-3.0, 1e10)] {
        let mut k = Builder::new(&[n]);
        let a = k.input(DType::F32);
        let s = k.scalar(Scalar::F32(x));
        let t = k.scalar(Scalar::F64(y));
        let p = k.binary(BinaryOp::Mul, a, s);
        let q = k.cast(p, DType::F64);
        let r = k.binary(BinaryOp::Add, q, t);
        k.output(r);
        let a: Vec<f32> = (0..n).map(|i| i as f32 * 0.25).collect();
        let expected: Vec<Scalar> = a.iter().map(|&v| Scalar::F64((v * x) as f64 + y)).collect();
        let mut buffers = [Data::F32(a), Data::zeros(DType::F64, n)];
        run(&k.kernel, &mut buffers);
        assert_same(&buffers[1], &expected, "scalars");
    }
}

#[test]
fn zero_dimensional_kernel_runs_its_one_point() {
    let mut k = Builder::new(&[]);
    let a = k.load(DType::F64, &[]);
    let s = k.scalar(Scalar::F64(0.5));
    let r = k.binary(BinaryOp::Sub, a, s);
    k.store_map(r, &[], None);
    let mut buffers = [Data::F64(vec![3.0]), Data::zeros(DType::F64, 1)];
    run_range(&k.kernel, &mut buffers, 0, 1);
    assert_eq!(buffers[1], Data::F64(vec![2.5]));
    let mut untouched = [Data::F64(vec![3.0]), Data::zeros(DType::F64, 1)];
    run_range(&k.kernel, &mut untouched, 0, 0);
    assert_eq!(untouched[1], Data::F64(vec![0.0]));
}

#[test]
fn select_picks_per_lane() {
    for dtype in [DType::F64, DType::F32, DType::I32, DType::I64] {
        let n = 1029;
        let mut k = Builder::new(&[n]);
        let (a, b) = (k.input(dtype), k.input(dtype));
        let c = k.binary(BinaryOp::Gt, a, b);
        let r = k.select(c, a, b);
        k.output(r);
        let a: Vec<Scalar> = (0..n)
            .map(|i| Scalar::from_f64((i % 7) as f64, dtype))
            .collect();
        let b: Vec<Scalar> = (0..n)
            .map(|i| Scalar::from_f64((i % 5) as f64, dtype))
            .collect();
        let expected: Vec<Scalar> = a
            .iter()
            .zip(&b)
            .map(|(&x, &y)| if x.to_f64() > y.to_f64() { x } else { y })
            .collect();
        let mut buffers = [
            Data::from_scalars(dtype, &a),
            Data::from_scalars(dtype, &b),
            Data::zeros(dtype, n),
        ];
        run(&k.kernel, &mut buffers);
        assert_same(&buffers[2], &expected, &format!("{dtype}"));
    }
}

#[test]
fn kernels_with_several_outputs_store_each() {
    let n = 100;
    let mut k = Builder::new(&[n]);
    let a = k.input(DType::F64);
    let e = k.unary(ndjit_ir::UnaryOp::Exp, a);
    let s = k.binary(BinaryOp::Add, a, e);
    let neg = k.unary(ndjit_ir::UnaryOp::Neg, a);
    k.output(s);
    k.output(neg);
    k.output(e);
    let a: Vec<f64> = (0..n).map(|i| i as f64 / 10.0 - 5.0).collect();
    let mut buffers = [
        Data::F64(a.clone()),
        Data::zeros(DType::F64, n),
        Data::zeros(DType::F64, n),
        Data::zeros(DType::F64, n),
    ];
    run(&k.kernel, &mut buffers);
    // exp is ndjit's vector routine, whose results the reference must use.
    let mut exp = vec![0.0; n];
    ndjit_ir::math::unary_f64(ndjit_ir::UnaryOp::Exp, &a, &mut exp);
    let expected = |f: &dyn Fn(usize) -> f64| (0..n).map(|i| Scalar::F64(f(i))).collect::<Vec<_>>();
    assert_same(&buffers[1], &expected(&|i| a[i] + exp[i]), "a + exp(a)");
    assert_same(&buffers[2], &expected(&|i| -a[i]), "-a");
    assert_same(&buffers[3], &expected(&|i| exp[i]), "exp(a)");
}

#[test]
fn cranelift_ir_is_the_compiled_function() {
    let k = multiply_add(DType::F64, 10);
    let text = super::super::cranelift_ir(&k.kernel).expect("builds");
    assert!(text.starts_with("function"), "{text}");
    assert!(text.contains("load.f64x2") && text.contains("fmul") && !text.contains("fma"));
}

#[test]
fn malformed_kernels_are_errors_not_panics() {
    let mut k = multiply_add(DType::F64, 10);
    k.kernel.loads[0].map.strides.push(1);
    let error = super::super::compile(&k.kernel).expect_err("a map of the wrong rank");
    assert!(
        matches!(&error, crate::Error::Codegen { kernel, .. } if kernel.contains("kernel [10]")),
        "{error}"
    );
}
