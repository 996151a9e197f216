//! Results that were silently wrong (issue 15, "Wrong results"), checked
//! against NumPy 2's values and errors, and the forms of `s!` from issue 8.

use ndjit::{s, Array, DType, Error, Function, TensorType};

#[track_caller]
fn invalid(array: Array, needle: &str) {
    match array.validate() {
        Err(error) => assert!(error.to_string().contains(needle), "{error}"),
        Ok(array) => panic!("expected an error containing {needle:?}, got {array:?}"),
    }
}

#[test]
fn weak_integers_that_do_not_fit_the_dtype_are_errors() {
    // NumPy 2: OverflowError: Python integer 1099511627776 out of bounds for int32.
    let a = Array::from_vec(vec![1i32, 2], [2]);
    invalid(
        &a + (1i64 << 40),
        "the integer 1099511627776 is out of bounds for i32",
    );
    invalid(&a * -3_000_000_000i64, "out of bounds for i32");
    invalid((1i64 << 40) - &a, "out of bounds for i32");
    invalid(
        ndjit::where_(a.gt(1), &a, 1i64 << 40),
        "out of bounds for i32",
    );
    // In range: computed in i32 as before.
    assert_eq!((&a + i32::MAX as i64).dtype(), DType::I32);
    assert_eq!((&a * -2i64).to_vec::<i32>().unwrap(), vec![-2, -4]);
    // Comparisons compare the values, as NumPy 2 does.
    assert_eq!(a.lt(1i64 << 40).to_vec::<bool>().unwrap(), vec![true, true]);
    assert_eq!(
        a.equal(1i64 << 32 | 1).to_vec::<bool>().unwrap(),
        vec![false, false]
    );
    // Floats hold any integer (approximately), as in NumPy.
    let f = Array::from_vec(vec![1.0f32], [1]);
    assert_eq!((&f + (1i64 << 40)).dtype(), DType::F32);
}

#[test]
fn variance_with_ddof_at_least_n_is_inf_or_nan() {
    // np.var([1., 2., 4.], ddof=3) and ddof=5: inf; np.var([2., 2.], ddof=2): nan.
    let x = Array::from_vec(vec![1.0, 2.0, 4.0], [3]);
    assert_eq!(x.var(.., 3).item::<f64>().unwrap(), f64::INFINITY);
    assert_eq!(x.var(.., 5).item::<f64>().unwrap(), f64::INFINITY);
    assert_eq!(x.std(.., 5).item::<f64>().unwrap(), f64::INFINITY);
    let same = Array::from_vec(vec![2.0, 2.0], [2]);
    assert!(same.var(.., 2).item::<f64>().unwrap().is_nan());
    let var1 = x.var(.., 1).item::<f64>().unwrap();
    assert!((var1 - 7.0 / 3.0).abs() < 1e-15);
}

#[test]
fn extreme_slice_steps_and_bounds_follow_python() {
    let a = Array::arange(0i64, 5, 1);
    let take = |items: &[ndjit::SliceItem]| a.slice(items).to_vec::<i64>().unwrap();
    // Python: a[::-(2**63)] == [4], a[::2**63-1] == [0], a[0:2**63] == a.
    assert_eq!(take(&s![..;isize::MIN]), vec![4]);
    assert_eq!(take(&s![..;isize::MAX]), vec![0]);
    assert_eq!(take(&s![0..=isize::MAX]), vec![0, 1, 2, 3, 4]);
    assert_eq!(take(&s![isize::MIN..isize::MAX]), vec![0, 1, 2, 3, 4]);
    assert_eq!(take(&s![isize::MAX..isize::MIN;-1]), vec![4, 3, 2, 1, 0]);
    assert_eq!(take(&s![u64::MAX..;-2]), vec![4, 2, 0]);
    assert_eq!(take(&s![..;usize::MAX]), vec![0]);
}

#[test]
fn slices_take_every_integer_type_and_numpy_empty_ranges() {
    let a = Array::arange(0i64, 10, 1);
    let take = |items: &[ndjit::SliceItem]| a.slice(items).to_vec::<i64>().unwrap();
    // Ranges clippy would call reversed are ordinary NumPy slices.
    assert!(take(&s![5..2]).is_empty());
    assert_eq!(take(&s![1..-1]), (1..9).collect::<Vec<i64>>());
    assert_eq!(take(&s![7..1;-2]), vec![7, 5, 3]);
    let (k, i, u): (usize, i32, u32) = (3, -2, 4);
    assert_eq!(a.slice(s![k]).item::<i64>().unwrap(), 3);
    assert_eq!(a.slice(s![i]).item::<i64>().unwrap(), 8);
    assert_eq!(take(&s![k..u as u8]), vec![3]);
    assert_eq!(take(&s![k + 1..;u]), vec![4, 8]);
    assert_eq!(take(&s![..=i]), (0..9).collect::<Vec<i64>>());
    invalid(a.slice(s![usize::MAX]), "out of bounds");
}

#[test]
fn out_of_range_axes_of_any_integer_type_are_errors() {
    let a = Array::zeros([2, 3], DType::F64);
    invalid(
        a.sum(usize::MAX),
        "axis 18446744073709551615 is out of bounds",
    );
    invalid(a.sum(u64::MAX), "out of bounds");
    invalid(a.mean(i64::MIN), "out of bounds");
    invalid(a.argmax(usize::MAX), "out of bounds");
    assert_eq!(a.sum(1u8).shape(), &[2]);
    assert_eq!(a.sum(-1i64).shape(), &[2]);
    assert_eq!(a.sum([0u32, 1]).shape(), &[] as &[usize]);
}

#[test]
fn bool_arithmetic_is_logical_as_in_numpy() {
    let a = Array::from_vec(vec![true, true, false, false], [4]);
    let b = Array::from_vec(vec![true, false, true, false], [4]);
    assert_eq!(
        (&a + &b).to_vec::<bool>().unwrap(),
        vec![true, true, true, false]
    );
    assert_eq!(
        (&a * &b).to_vec::<bool>().unwrap(),
        vec![true, false, false, false]
    );
    assert_eq!((&a + true).to_vec::<bool>().unwrap(), vec![true; 4]);
    assert_eq!((&a * false).to_vec::<bool>().unwrap(), vec![false; 4]);
    assert_eq!(
        a.abs().to_vec::<bool>().unwrap(),
        vec![true, true, false, false]
    );
    assert_eq!(
        b.square().to_vec::<bool>().unwrap(),
        vec![true, false, true, false]
    );
    // With an integer, bools count as 0 and 1.
    assert_eq!((&a + 1i64).to_vec::<i64>().unwrap(), vec![2, 2, 1, 1]);
}

#[test]
fn a_function_called_inside_another_trace_composes() {
    let ty = TensorType::new([3], DType::F64);
    let inner = Function::new(std::slice::from_ref(&ty), |x| vec![&x[0] * 2.0 + 1.0]).unwrap();
    let outer = Function::new(std::slice::from_ref(&ty), |x| {
        let y = inner.call(&[x[0].clone()]).expect("inner call traces");
        vec![y[0].sin()]
    })
    .unwrap();
    let x = Array::from_vec(vec![0.0, 1.0, 2.0], [3]);
    let got = outer.call(&[x]).unwrap()[0].to_vec::<f64>().unwrap();
    let want: Vec<f64> = [0.0f64, 1.0, 2.0]
        .iter()
        .map(|v| (v * 2.0 + 1.0).sin())
        .collect();
    assert_eq!(got, want);
    // And under differentiation: d/dx sum(sin(2x + 1)) = 2 cos(2x + 1).
    let grad = ndjit::autodiff::grad(|x: &Array| {
        inner.call(std::slice::from_ref(x)).unwrap()[0]
            .sin()
            .sum(..)
    });
    let x = Array::from_vec(vec![0.5, 1.5, -1.0], [3]);
    let g = grad(&x).to_vec::<f64>().unwrap();
    for (g, v) in g.iter().zip([0.5f64, 1.5, -1.0]) {
        assert!((g - 2.0 * (2.0 * v + 1.0).cos()).abs() < 1e-12);
    }
    // Wrong input types still fail inside a trace.
    let wrong = Function::new(&[TensorType::new([4], DType::F64)], |x| {
        vec![match inner.call(&[x[0].clone()]) {
            Ok(y) => y[0].clone(),
            Err(Error::InvalidOp { .. }) => Array::scalar(-1.0),
            Err(other) => panic!("{other}"),
        }]
    })
    .unwrap();
    let out = wrong.call(&[Array::zeros([4], DType::F64)]).unwrap();
    assert_eq!(out[0].item::<f64>().unwrap(), -1.0);
}

/// The file and line an invalid array's error names.
fn error_line(array: &Array) -> (String, u32) {
    match array.error() {
        Some(Error::InvalidOp { location, .. }) => (location.file().to_string(), location.line()),
        other => panic!("expected an invalid operation, got {other:?}"),
    }
}

#[test]
fn errors_of_transformations_name_the_callers_line() {
    use ndjit::autodiff::{grad, grad_n, hessian, jacobian, jvp, value_and_grad, vjp};
    let at = |line: u32| (file!().to_string(), line);
    let x = Array::from_vec(vec![1.0, 2.0], [2]);
    let ints = Array::from_vec(vec![1i64, 2], [2]);
    let v = Array::zeros([3], DType::F64);
    let f = |x: &Array| x * 2.0;
    let g = |a: &[Array]| a[0].sum(..);
    let args = [x.clone()];
    let cases = [
        (grad(f)(&x), line!()),
        (value_and_grad(f)(&x).1, line!()),
        (grad_n(g, &[3])(&args).remove(0), line!()),
        (hessian(f)(&x), line!()),
        (jacobian(f)(&ints), line!()),
        (jvp(f, &x, &v).1, line!()),
    ];
    for (array, line) in &cases {
        assert_eq!(error_line(array), at(*line));
    }
    let (_, pullback) = vjp(f, &x);
    let line = line!() - 1;
    assert_eq!(error_line(&pullback(&v)), at(line));
}
