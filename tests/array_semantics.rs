//! NumPy semantics of the lazy Array API, with expected values from NumPy's
//! documented behaviour.

use ndjit::runtime::Backend;
use ndjit::{concatenate, s, stack, where_, Array, DType, Error};

fn f64s(a: &Array) -> Vec<f64> {
    a.to_vec::<f64>().unwrap()
}

#[test]
fn broadcasting_follows_numpy() {
    let col = Array::from_vec(vec![1.0, 2.0, 3.0], [3, 1]);
    let row = Array::from_vec(vec![10.0, 20.0], [2]);
    let sum = &col + &row;
    assert_eq!(sum.shape(), &[3, 2]);
    assert_eq!(f64s(&sum), vec![11.0, 21.0, 12.0, 22.0, 13.0, 23.0]);
    let scalar = Array::scalar(5.0);
    assert_eq!(f64s(&(&scalar * &row)), vec![50.0, 100.0]);
    let bad = &Array::zeros([3], DType::F64) + &Array::zeros([4], DType::F64);
    let error = bad.validate().unwrap_err();
    assert!(
        error
            .to_string()
            .contains("could not be broadcast together with shapes [3] and [4]"),
        "{error}"
    );
    assert!(
        error.to_string().contains("array_semantics.rs"),
        "location missing: {error}"
    );
}

#[test]
fn promotion_follows_numpy_2() {
    let i32s = Array::from_vec(vec![1i32, 2], [2]);
    let f32s = Array::from_vec(vec![1.0f32, 2.0], [2]);
    let i64s = Array::from_vec(vec![1i64, 2], [2]);
    let bools = Array::from_vec(vec![true, false], [2]);
    assert_eq!((&i32s + &f32s).dtype(), DType::F64);
    assert_eq!((&i32s + &i64s).dtype(), DType::I64);
    assert_eq!(
        (&f32s * 2.0).dtype(),
        DType::F32,
        "weak float scalar keeps f32"
    );
    assert_eq!((&i32s + 1).dtype(), DType::I32, "weak int scalar keeps i32");
    assert_eq!((&i32s * 1.5).dtype(), DType::F64);
    assert_eq!((&bools + 1).dtype(), DType::I64);
    assert_eq!(
        (&i32s / &i32s).dtype(),
        DType::F64,
        "true division of ints is f64"
    );
    assert_eq!(i32s.sqrt().dtype(), DType::F64);
    assert_eq!(f32s.exp().dtype(), DType::F32);
    assert_eq!(i32s.sum(..).dtype(), DType::I64);
    assert_eq!(bools.sum(..).item::<i64>().unwrap(), 1);
    assert_eq!(i32s.mean(..).dtype(), DType::F64);
}

#[test]
fn reductions_with_axes_and_keepdims() {
    let a = Array::arange(0.0, 24.0, 1.0).reshape([2, 3, 4]);
    assert_eq!(a.sum(..).item::<f64>().unwrap(), 276.0);
    let s = a.sum([0, 2]);
    assert_eq!(s.shape(), &[3]);
    assert_eq!(f64s(&s), vec![60.0, 92.0, 124.0]);
    assert_eq!(a.sum_keepdims([0, 2]).shape(), &[1, 3, 1]);
    assert_eq!(f64s(&a.max(-1)), vec![3.0, 7.0, 11.0, 15.0, 19.0, 23.0]);
    assert_eq!(
        f64s(&a.min(1)),
        vec![0.0, 1.0, 2.0, 3.0, 12.0, 13.0, 14.0, 15.0]
    );
    assert_eq!(a.prod(..).item::<f64>().unwrap(), 0.0);
    assert_eq!(a.mean(..).item::<f64>().unwrap(), 11.5);
    let v = Array::from_vec(vec![1.0, 2.0, 3.0, 4.0], [4]);
    assert_eq!(v.var(.., 0).item::<f64>().unwrap(), 1.25);
    assert!((v.std(.., 1).item::<f64>().unwrap() - 1.2909944487358056).abs() < 1e-15);
    assert!(a.sum(3).validate().is_err());
    assert!(a.sum([0, 0]).validate().is_err());
    let bools = Array::from_vec(vec![true, false, false, false], [2, 2]);
    assert_eq!(bools.any(1).to_vec::<bool>().unwrap(), vec![true, false]);
    assert!(!bools.all(..).item::<bool>().unwrap());
}

#[test]
fn argmax_takes_the_first_of_ties_and_nans() {
    let a = Array::from_vec(vec![1.0, 3.0, 3.0, 0.0], [4]);
    assert_eq!(a.argmax(..).item::<i64>().unwrap(), 1);
    assert_eq!(a.argmin(0).item::<i64>().unwrap(), 3);
    let n = Array::from_vec(vec![1.0, f64::NAN, 5.0, f64::NAN], [4]);
    assert_eq!(n.argmax(..).item::<i64>().unwrap(), 1);
    assert_eq!(n.argmin(..).item::<i64>().unwrap(), 1);
    let m = Array::from_vec(vec![1, 9, 9, 4, 4, 2], [2, 3]);
    assert_eq!(m.argmax(1).to_vec::<i64>().unwrap(), vec![1, 0]);
    assert_eq!(m.argmax(..).item::<i64>().unwrap(), 1);
    assert!(Array::zeros([0], DType::F64).argmax(..).validate().is_err());
}

#[test]
fn floor_div_and_rem_take_the_divisor_sign() {
    let a = Array::from_vec(vec![7, -7, 7, -7], [4]);
    let b = Array::from_vec(vec![2, 2, -2, -2], [4]);
    assert_eq!(a.floor_div(&b).to_vec::<i32>().unwrap(), vec![3, -4, -4, 3]);
    assert_eq!((&a % &b).to_vec::<i32>().unwrap(), vec![1, 1, -1, -1]);
    let zero = Array::zeros([4], DType::I32);
    assert_eq!(a.floor_div(&zero).to_vec::<i32>().unwrap(), vec![0; 4]);
    let x = Array::from_vec(vec![7.5, -7.5], [2]);
    assert_eq!(f64s(&(&x % 2.0)), vec![1.5, 0.5]);
    assert_eq!(f64s(&x.floor_div(2.0)), vec![3.0, -4.0]);
}

#[test]
fn nan_propagates_through_max_and_min() {
    let a = Array::from_vec(vec![1.0, f64::NAN, 3.0], [3]);
    assert!(a.max(..).item::<f64>().unwrap().is_nan());
    assert!(a.min(..).item::<f64>().unwrap().is_nan());
    let m = a.maximum(2.0).to_vec::<f64>().unwrap();
    assert_eq!(m[0], 2.0);
    assert!(m[1].is_nan());
    assert_eq!(m[2], 3.0);
}

#[test]
fn maximum_and_minimum_ties_give_the_second_operand_as_numpy() {
    // NumPy 2.4: np.maximum([-0., 0., -0.], [0., -0., -0.]) has sign bits
    // [0, 1, 1]; np.max([-0., 0., -0.]) and np.max([0., -0.]) are -0.
    use ndjit::runtime::Backend;
    let signs = |a: &Array| -> Vec<bool> {
        a.to_vec::<f64>()
            .unwrap()
            .iter()
            .map(|v| v.is_sign_negative())
            .collect()
    };
    for backend in [Backend::Jit, Backend::Interpreter] {
        let a = Array::from_vec(vec![-0.0, 0.0, -0.0], [3]);
        let b = Array::from_vec(vec![0.0, -0.0, -0.0], [3]);
        let outputs = [
            a.maximum(&b),
            a.minimum(&b),
            a.max(..),
            Array::from_vec(vec![0.0, -0.0], [2]).max(..),
        ];
        ndjit::eval_many_with(&outputs, backend).unwrap();
        assert_eq!(signs(&outputs[0]), [false, true, true], "{backend:?}");
        assert_eq!(signs(&outputs[1]), [false, true, true], "{backend:?}");
        assert_eq!(signs(&outputs[2]), [true], "{backend:?}");
        assert_eq!(signs(&outputs[3]), [true], "{backend:?}");
    }
}

#[test]
fn ranges_follow_numpy_endpoints() {
    assert_eq!(
        f64s(&Array::linspace(2.0, 3.0, 5, true)),
        vec![2.0, 2.25, 2.5, 2.75, 3.0]
    );
    assert_eq!(
        f64s(&Array::linspace(2.0, 3.0, 5, false)),
        vec![2.0, 2.2, 2.4, 2.6, 2.8]
    );
    assert_eq!(f64s(&Array::linspace(1.0, 1.0, 1, true)), vec![1.0]);
    assert_eq!(Array::linspace(0.0, 1.0, 0, true).shape(), &[0]);
    assert_eq!(
        Array::arange(0i64, 10, 3).to_vec::<i64>().unwrap(),
        vec![0, 3, 6, 9]
    );
    assert_eq!(
        Array::arange(10i32, 0, -4).to_vec::<i32>().unwrap(),
        vec![10, 6, 2]
    );
    assert_eq!(Array::arange(0.0, 1.0, 0.3).size(), 4);
    assert_eq!(Array::arange(5i64, 0, 1).size(), 0);
    assert!(Array::arange(0i64, 5, 0).validate().is_err());
    assert_eq!(
        Array::eye(2, DType::I32).to_vec::<i32>().unwrap(),
        vec![1, 0, 0, 1]
    );
}

#[test]
fn zero_size_arrays_work() {
    let e = Array::zeros([0, 3], DType::F64);
    assert_eq!(e.sum(0).to_vec::<f64>().unwrap(), vec![0.0; 3]);
    assert_eq!(e.sum(1).shape(), &[0]);
    assert_eq!(e.prod(..).item::<f64>().unwrap(), 1.0);
    assert!(e.max(..).validate().is_err());
    assert_eq!((&e + 1.0).to_vec::<f64>().unwrap(), Vec::<f64>::new());
    assert!(e.mean(..).item::<f64>().unwrap().is_nan());
}

#[test]
fn views_index_like_numpy() {
    let a = Array::arange(0i64, 12, 1).reshape([3, 4]);
    assert_eq!(
        a.t().to_vec::<i64>().unwrap(),
        vec![0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]
    );
    assert_eq!(
        a.slice(s![..;-1, 1..;2]).to_vec::<i64>().unwrap(),
        vec![9, 11, 5, 7, 1, 3]
    );
    assert_eq!(a.slice(s![-1]).to_vec::<i64>().unwrap(), vec![8, 9, 10, 11]);
    assert_eq!(a.slice(s![1, 2]).shape(), &[] as &[usize]);
    assert_eq!(a.slice(s![..100, -2..]).shape(), &[3, 2]);
    assert_eq!(
        a.slice(s![.., ndjit::SliceItem::NewAxis, 0]).shape(),
        &[3, 1]
    );
    assert!(a.slice(s![3]).validate().is_err());
    assert!(a.slice(s![0, 0, 0]).validate().is_err());
    assert!(a.slice(s![..;0]).validate().is_err());
    assert_eq!(a.expand_dims(-1).shape(), &[3, 4, 1]);
    assert_eq!(a.expand_dims(0).squeeze().shape(), &[3, 4]);
    assert!(a.squeeze_axis(0).validate().is_err());
    assert_eq!(
        a.broadcast_to([2, 3, 4]).sum(0).to_vec::<i64>().unwrap()[11],
        22
    );
    assert!(a.broadcast_to([4, 4]).validate().is_err());
    assert_eq!(
        a.permute(&[1, 0]).slice(s![0]).to_vec::<i64>().unwrap(),
        vec![0, 4, 8]
    );
}

#[test]
fn elementwise_functions_and_where() {
    let x = Array::from_vec(vec![-1.5, 0.0, 2.5], [3]);
    assert_eq!(f64s(&x.abs()), vec![1.5, 0.0, 2.5]);
    assert_eq!(f64s(&x.round()), vec![-2.0, 0.0, 2.0], "round half to even");
    assert_eq!(f64s(&x.sign()), vec![-1.0, 0.0, 1.0]);
    assert_eq!(f64s(&x.clip(-1.0, 1.0)), vec![-1.0, 0.0, 1.0]);
    assert_eq!(f64s(&where_(x.gt(0.0), &x, -&x)), vec![1.5, 0.0, 2.5]);
    assert_eq!(where_(true, 1, 2.5).item::<f64>().unwrap(), 1.0);
    assert_eq!(x.isnan().to_vec::<bool>().unwrap(), vec![false; 3]);
    assert_eq!(
        x.gt(0.0).logical_and(x.lt(3.0)).to_vec::<bool>().unwrap(),
        vec![false, false, true]
    );
    assert_eq!(f64s(&(2.0 - &x)), vec![3.5, 2.0, -0.5]);
    assert_eq!(
        f64s(&(1.0 / Array::from_vec(vec![2.0, 4.0], [2]))),
        vec![0.5, 0.25]
    );
    assert_eq!(
        Array::from_vec(vec![2, 3], [2])
            .pow(3)
            .to_vec::<i32>()
            .unwrap(),
        vec![8, 27]
    );
    assert_eq!(
        x.astype(DType::I32).to_vec::<i32>().unwrap(),
        vec![-1, 0, 2]
    );
}

#[test]
fn mul_add_broadcasts_promotes_and_rounds_once() {
    // Rows times a column plus a scalar, as `np.multiply.outer`-style
    // broadcasting; integers compute in f64, f32 stays f32.
    let a = Array::from_vec(vec![1i64, 2, 3], [3]);
    let b = Array::from_vec(vec![10i64, 20], [2, 1]);
    let r = a.mul_add(&b, 1);
    assert_eq!((r.dtype(), r.shape().to_vec()), (DType::F64, vec![2, 3]));
    assert_eq!(f64s(&r), vec![11.0, 21.0, 31.0, 21.0, 41.0, 61.0]);
    let x = Array::from_vec(vec![1.5f32, -2.0], [2]);
    let r = x.mul_add(2.0, &x);
    assert_eq!(r.dtype(), DType::F32);
    assert_eq!(r.to_vec::<f32>().unwrap(), vec![4.5, -6.0]);
    // One rounding: 0.1 * 10 - 1 is 5.55e-17 fused, 0 unfused.
    let tenth = Array::from_vec(vec![0.1], [1]);
    let fused = tenth.mul_add(10.0, -1.0).item::<f64>().unwrap();
    assert_eq!(fused, 0.1f64.mul_add(10.0, -1.0));
    assert_ne!(fused, 0.0);
    let bad = a.mul_add(Array::zeros([2], DType::F64), 0.0);
    let message = bad.validate().unwrap_err().to_string();
    assert!(
        message.contains("mul_add") && message.contains("broadcast"),
        "{message}"
    );
}

#[test]
fn errors_never_panic_and_propagate() {
    let a = Array::zeros([2, 3], DType::F64);
    let bad = a.reshape([5]);
    let derived = (&bad + 1.0).sum(0).exp();
    assert!(matches!(derived.eval(), Err(Error::InvalidOp { .. })));
    assert_eq!(
        derived.validate().unwrap_err(),
        bad.validate().unwrap_err(),
        "the first error is kept"
    );
    assert!(Array::from_vec(vec![1.0, 2.0], [3]).validate().is_err());
    assert!(a.to_vec::<f32>().is_err());
    assert!(a.item::<f64>().is_err());
    assert!(Array::from_vec(vec![true], [1]).neg_checked().is_err());
    assert!(a.permute(&[0, 0]).validate().is_err());
    assert!(a.expand_dims(5).validate().is_err());
}

trait NegChecked {
    fn neg_checked(&self) -> Result<Array, Error>;
}

impl NegChecked for Array {
    fn neg_checked(&self) -> Result<Array, Error> {
        (-self).validate()
    }
}

#[test]
fn eval_is_cached_and_frees_the_graph() {
    let a = Array::from_vec(vec![1.0, 2.0], [2]);
    let b = (&a + 1.0).exp();
    assert!(!b.is_realized());
    b.eval().unwrap();
    assert!(b.is_realized());
    assert_eq!(f64s(&b), f64s(&b));
    ndjit::eval_many(&[(&a * 2.0), (&a * 3.0)]).unwrap();
}

#[test]
fn a_million_deep_chain_evaluates_and_drops() {
    let mut x = Array::zeros([4], DType::F64);
    for _ in 0..1_000_000 {
        x = x + 1.0;
    }
    assert_eq!(f64s(&x), vec![1e6; 4]);
    // A chain that is never evaluated must also drop without overflowing.
    let y = Array::from_vec(vec![0.0], [1]);
    let mut chain = y.clone();
    for _ in 0..200_000 {
        chain = Array::from_vec(vec![1.0], [1]).maximum(&chain);
    }
    drop(chain);
}

#[test]
fn concatenate_and_stack_follow_numpy() {
    let a = Array::arange(0i64, 6, 1).reshape([2, 3]);
    let b = Array::arange(6i64, 10, 1).reshape([2, 2]);
    // np.concatenate([a, b], axis=1), also as axis=-1.
    for axis in [1, -1] {
        let ab = concatenate(&[&a, &b], axis);
        assert_eq!(ab.shape(), &[2, 5]);
        assert_eq!(ab.to_vec::<i64>().unwrap(), [0, 1, 2, 6, 7, 3, 4, 5, 8, 9]);
    }
    // np.concatenate([a, a[:1], a[:0]]): rows, an empty piece adds nothing.
    let rows = concatenate(&[a.clone(), a.slice(s![..1]), a.slice(s![..0])], 0);
    assert_eq!(rows.shape(), &[3, 3]);
    assert_eq!(rows.to_vec::<i64>().unwrap(), [0, 1, 2, 3, 4, 5, 0, 1, 2]);
    // Dtypes promote as in arithmetic: i32 with f64 is f64, bool with i64 is i64.
    let i32s = Array::from_vec(vec![1i32, 2], [2]);
    let f64s_ = Array::from_vec(vec![0.5, -0.0], [2]);
    let mixed = concatenate(&[&i32s, &f64s_], 0);
    assert_eq!(mixed.dtype(), DType::F64);
    assert_eq!(f64s(&mixed), [1.0, 2.0, 0.5, -0.0]);
    assert!(f64s(&mixed)[3].is_sign_negative());
    let bools = Array::from_vec(vec![true], [1]);
    let i64s = Array::from_vec(vec![7i64], [1]);
    assert_eq!(
        concatenate(&[&bools, &i64s], 0).to_vec::<i64>().unwrap(),
        [1, 7]
    );
    // np.stack([a, a + 10], axis=1) and axis=-1.
    let a10 = &a + 10;
    let middle = stack(&[&a, &a10], 1);
    assert_eq!(middle.shape(), &[2, 2, 3]);
    assert_eq!(
        middle.to_vec::<i64>().unwrap(),
        [0, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15]
    );
    let last = stack(&[&a, &a10], -1);
    assert_eq!(last.shape(), &[2, 3, 2]);
    assert_eq!(
        last.to_vec::<i64>().unwrap(),
        [0, 10, 1, 11, 2, 12, 3, 13, 4, 14, 5, 15]
    );
    // Scalars stack into a vector.
    let scalars = stack(&[Array::scalar(1.5), Array::scalar(2.5)], 0);
    assert_eq!(f64s(&scalars), [1.5, 2.5]);
}

#[test]
fn concatenated_expressions_agree_with_the_interpreter() {
    // Fused operands computed into their windows, a nested concat along
    // another axis, and elementwise ops over concats and pads (the adjoint
    // of a slice), on both backends.
    let build = || {
        let x = Array::from_vec((0..12).map(|i| i as f64 * 0.25 - 1.0).collect(), [3, 4]);
        let inner = concatenate(&[x.slice(s![.., ..1]).exp(), x.slice(s![.., 1..]) * 2.0], 1);
        let outer = concatenate(&[inner.clone(), x.sin(), inner.slice(s![..1])], 0);
        let sum = (&outer - 1.0).sum(..);
        let g = ndjit::autodiff::grad(|x: &Array| (x.slice(s![1..]) * x.slice(s![..-1])).sum(..));
        vec![outer, sum, g(&x.flatten())]
    };
    let jit = build();
    let eager = build();
    ndjit::eval_many_with(&jit, Backend::Jit).unwrap();
    ndjit::eval_many_with(&eager, Backend::Interpreter).unwrap();
    for (a, b) in jit.iter().zip(&eager) {
        assert_eq!(a.shape(), b.shape());
        for (x, y) in f64s(a).iter().zip(f64s(b)) {
            assert!((x - y).abs() <= 1e-12 * (1.0 + y.abs()), "{a} vs {b}");
        }
    }
}

#[test]
fn join_errors_follow_numpy() {
    let a = Array::zeros([2, 3], DType::F64);
    let b = Array::zeros([2, 2], DType::F64);
    let message = |array: Array| array.validate().unwrap_err().to_string();
    let error = message(concatenate(&[&a, &b], 0));
    assert!(
        error.contains(
            "all the input array dimensions except for the concatenation axis must match \
             exactly, but along dimension 1, the array at index 0 has size 3 and the array at \
             index 1 has size 2"
        ),
        "{error}"
    );
    assert!(
        error.contains("array_semantics.rs"),
        "location missing: {error}"
    );
    let error = message(concatenate(&[a.clone(), Array::zeros([3], DType::F64)], 0));
    assert!(
        error.contains(
            "all the input arrays must have same number of dimensions, but the array at index \
             0 has 2 dimension(s) and the array at index 1 has 1 dimension(s)"
        ),
        "{error}"
    );
    let error = message(concatenate(&[&a], 2));
    assert!(
        error.contains("axis 2 is out of bounds for array of dimension 2"),
        "{error}"
    );
    let error = message(concatenate(&[Array::scalar(1.0), Array::scalar(2.0)], 0));
    assert!(
        error.contains("zero-dimensional arrays cannot be concatenated"),
        "{error}"
    );
    let none: [Array; 0] = [];
    assert!(message(concatenate(&none, 0)).contains("need at least one array to concatenate"));
    assert!(message(stack(&none, 0)).contains("need at least one array to stack"));
    let error = message(stack(&[&a, &b], 0));
    assert!(
        error.contains("all input arrays must have the same shape"),
        "{error}"
    );
    let error = message(stack(&[&a, &a], 3));
    assert!(
        error.contains("axis 3 is out of bounds for array of dimension 3"),
        "{error}"
    );
    assert!(
        error.contains("array_semantics.rs"),
        "location missing: {error}"
    );
    // An invalid operand's own error is the one reported.
    let invalid = a.reshape([5]);
    let expected = invalid.error().unwrap().clone();
    assert_eq!(concatenate(&[&a, &invalid], 0).error(), Some(&expected));
    assert!(matches!(expected, Error::InvalidOp { .. }));
}

#[test]
fn trunc_fmod_fmax_fmin_copysign_follow_numpy() {
    // Values and sign bits from NumPy 2.4: np.trunc, np.fmod (the dividend's
    // sign; integer division by zero gives 0), np.fmax/np.fmin (a NaN is
    // ignored; ties of signed zeros give the first operand), np.copysign.
    let bits = |a: &Array| -> Vec<u64> {
        let values = a.to_vec::<f64>().unwrap();
        values
            .iter()
            .map(|v| if v.is_nan() { u64::MAX } else { v.to_bits() })
            .collect()
    };
    let expected = |values: &[f64]| -> Vec<u64> {
        values
            .iter()
            .map(|v| if v.is_nan() { u64::MAX } else { v.to_bits() })
            .collect()
    };
    let nan = f64::NAN;
    for backend in [Backend::Jit, Backend::Interpreter] {
        let x = Array::from_vec(vec![-2.5, -0.5, 0.5, 2.7, nan, -0.0], [6]);
        let a = Array::from_vec(vec![0.0, -0.0, nan, 1.0, nan, -7.5], [6]);
        let b = Array::from_vec(vec![-0.0, 0.0, 1.0, nan, nan, 2.0], [6]);
        let ints = Array::from_vec(vec![-7i64, 7, 5, i64::MIN], [4]);
        let divisors = Array::from_vec(vec![2i64, -2, 0, -1], [4]);
        let outputs = [
            x.trunc(),
            a.fmod(&b),
            a.fmax(&b),
            a.fmin(&b),
            x.copysign(&a),
            ints.fmod(&divisors),
            Array::from_vec(vec![3i32, -3], [2]).copysign(-1.0),
        ];
        ndjit::eval_many_with(&outputs, backend).unwrap();
        let case = format!("{backend:?}");
        assert_eq!(
            bits(&outputs[0]),
            expected(&[-2.0, -0.0, 0.0, 2.0, nan, -0.0]),
            "{case}"
        );
        assert_eq!(
            bits(&outputs[1]),
            expected(&[nan, nan, nan, nan, nan, -1.5]),
            "{case}"
        );
        assert_eq!(
            bits(&outputs[2]),
            expected(&[0.0, -0.0, 1.0, 1.0, nan, 2.0]),
            "{case}"
        );
        assert_eq!(
            bits(&outputs[3]),
            expected(&[0.0, -0.0, 1.0, 1.0, nan, -7.5]),
            "{case}"
        );
        assert_eq!(
            bits(&outputs[4]),
            expected(&[2.5, -0.5, 0.5, 2.7, nan, -0.0]),
            "{case}"
        );
        assert_eq!(outputs[5].to_vec::<i64>().unwrap(), [-1, 1, 0, 0], "{case}");
        // Integers are computed in f64, as NumPy's copysign does.
        assert_eq!(outputs[6].dtype(), ndjit::DType::F64);
        assert_eq!(outputs[6].to_vec::<f64>().unwrap(), [-3.0, -3.0], "{case}");
    }
}
