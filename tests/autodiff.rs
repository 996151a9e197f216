//! Derivatives of closures over arrays: finite differences, closed forms,
//! mode consistency, higher order, deep chains and compiled Functions.
//! (Every op's rule is checked against finite differences in
//! `ndjit_ir::autodiff`'s unit tests; these test the whole path, on
//! hand-written closures and on random programs of the shared generator.)

mod common;

use common::program::{compatible_shape, fixed_seed_config, random_shape, smooth_function, Rng};
use ndjit::autodiff::{
    grad, grad_n, hessian, hvp, jacobian, jvp, jvp_n, value_and_grad, value_and_grad_n, vjp, vjp_n,
};
use ndjit::{concatenate, eval_many, s, stack, Array, DType, Function, SliceItem, TensorType};
use proptest::prelude::*;

fn f64s(a: &Array) -> Vec<f64> {
    a.to_vec::<f64>().unwrap_or_else(|e| panic!("{e}"))
}

fn vector(values: &[f64]) -> Array {
    Array::from_vec(values.to_vec(), [values.len()])
}

fn assert_close(got: &[f64], want: &[f64], tolerance: f64) {
    assert_eq!(got.len(), want.len(), "lengths differ: {got:?} vs {want:?}");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= tolerance * (1.0 + w.abs()),
            "element {i}: got {g}, want {w}\n got {got:?}\nwant {want:?}"
        );
    }
}

/// The gradient of a scalar `f` at `x` by central differences.
fn numeric_gradient(f: &impl Fn(&Array) -> Array, x: &[f64], shape: &[usize]) -> Vec<f64> {
    let h = 1e-6;
    (0..x.len())
        .map(|i| {
            let at = |delta: f64| {
                let mut p = x.to_vec();
                p[i] += delta;
                f(&Array::from_vec(p, shape.to_vec()))
                    .item::<f64>()
                    .unwrap()
            };
            (at(h) - at(-h)) / (2.0 * h)
        })
        .collect()
}

fn check_gradient(f: impl Fn(&Array) -> Array, x: &[f64], shape: &[usize]) {
    let got = f64s(&grad(&f)(&Array::from_vec(x.to_vec(), shape.to_vec())));
    assert_close(&got, &numeric_gradient(&f, x, shape), 1e-6);
}

fn rosenbrock(x: &Array) -> Array {
    let head = x.slice(s![..-1]);
    let tail = x.slice(s![1..]);
    ((&tail - &head.square()).square() * 100.0 + (1.0f64 - &head).square()).sum(..)
}

#[test]
fn rosenbrock_gradient_and_hessian_have_their_closed_forms() {
    let (a, b) = (-1.2, 1.0);
    let x = vector(&[a, b]);
    let g = f64s(&grad(rosenbrock)(&x));
    let want = [
        -400.0 * a * (b - a * a) - 2.0 * (1.0 - a),
        200.0 * (b - a * a),
    ];
    assert_close(&g, &want, 1e-12);
    let h = hessian(rosenbrock)(&x);
    assert_eq!(h.shape(), &[2, 2]);
    let want = [
        1200.0 * a * a - 400.0 * b + 2.0,
        -400.0 * a,
        -400.0 * a,
        200.0,
    ];
    assert_close(&f64s(&h), &want, 1e-12);
    // At the minimum the gradient vanishes.
    assert_close(&f64s(&grad(rosenbrock)(&vector(&[1.0; 5]))), &[0.0; 5], 0.0);
}

#[test]
fn sin_times_square_gradient_and_hessian() {
    let f = |x: &Array| (x.sin() * x.square()).sum(..);
    let xs = [-1.5, 0.0, 0.3, 2.0];
    let g = f64s(&grad(f)(&vector(&xs)));
    let want: Vec<f64> = xs
        .iter()
        .map(|x| x.cos() * x * x + 2.0 * x * x.sin())
        .collect();
    assert_close(&g, &want, 1e-12);
    let h = f64s(&hessian(f)(&vector(&xs)));
    for i in 0..4 {
        for j in 0..4 {
            let x = xs[i];
            let want = if i == j {
                (2.0 - x * x) * x.sin() + 4.0 * x * x.cos()
            } else {
                0.0
            };
            assert!(
                (h[i * 4 + j] - want).abs() < 1e-12,
                "H[{i},{j}] = {}, want {want}",
                h[i * 4 + j]
            );
        }
    }
}

fn softmax(x: &Array, axis: isize) -> Array {
    let e = (x - x.max_keepdims(axis)).exp();
    &e / e.sum_keepdims(axis)
}

#[test]
fn softmax_cross_entropy_gradient_and_hessian() {
    let z = [0.5, -1.0, 2.0, 0.0];
    let y = vector(&[0.0, 0.0, 1.0, 0.0]);
    let loss = |z: &Array| {
        let log_softmax =
            z - z.max_keepdims(0) - (z - z.max_keepdims(0)).exp().sum_keepdims(0).log();
        -(&y * log_softmax).sum(..)
    };
    let m = z.iter().cloned().fold(f64::MIN, f64::max);
    let total: f64 = z.iter().map(|v| (v - m).exp()).sum();
    let p: Vec<f64> = z.iter().map(|v| (v - m).exp() / total).collect();
    let want: Vec<f64> = p.iter().zip(f64s(&y)).map(|(p, y)| p - y).collect();
    assert_close(&f64s(&grad(loss)(&vector(&z))), &want, 1e-12);
    let h = f64s(&hessian(loss)(&vector(&z)));
    for i in 0..4 {
        for j in 0..4 {
            let want = if i == j {
                p[i] - p[i] * p[j]
            } else {
                -p[i] * p[j]
            };
            assert!((h[i * 4 + j] - want).abs() < 1e-12);
        }
    }
}

#[test]
fn hvp_is_hessian_times_v() {
    let f = |x: &Array| rosenbrock(x) + (x.sin() * x.square()).sum(..);
    let x = vector(&[0.3, -0.7, 1.1, 0.4]);
    let v = vector(&[1.0, -2.0, 0.5, 3.0]);
    let h = f64s(&hessian(f)(&x));
    let vs = f64s(&v);
    let want: Vec<f64> = (0..4)
        .map(|i| (0..4).map(|j| h[i * 4 + j] * vs[j]).sum())
        .collect();
    assert_close(&f64s(&hvp(f, &x, &v)), &want, 1e-12);
}

#[test]
fn reduce_then_broadcast_along_every_axis() {
    let x: Vec<f64> = (0..24).map(|i| ((i * 7) % 11) as f64 * 0.3 - 1.2).collect();
    let w = Array::from_vec(
        (0..24).map(|i| (i as f64 * 0.37).sin()).collect(),
        [2, 3, 4],
    );
    for axis in [0, 1, 2, -1] {
        let w1 = w.clone();
        check_gradient(move |x| (softmax(x, axis) * &w1).sum(..), &x, &[2, 3, 4]);
        let w2 = w.clone();
        let normalize = move |x: &Array| {
            let centered = x - x.mean_keepdims(axis);
            let scaled = &centered / (centered.square().mean_keepdims(axis) + 1e-3).sqrt();
            (scaled * &w2).sum(..)
        };
        check_gradient(normalize, &x, &[2, 3, 4]);
    }
}

#[test]
fn gradients_through_negative_step_slices_and_broadcasts() {
    let x: Vec<f64> = (0..20).map(|i| (i as f64 * 0.7).cos()).collect();
    let row = Array::from_vec(vec![1.0, -2.0, 0.5], [3]);
    let f = move |x: &Array| {
        let picked = x.slice([
            SliceItem::from(..).step_by(-2),
            SliceItem::Range {
                start: Some(3),
                stop: Some(0),
                step: -1,
            },
        ]); // [2, 3]
        let col = x.slice(s![1..4, 2]).reshape([3, 1]); // broadcast along the row
        let outer = (&col * &row).sum(0); // [3]
        (picked * outer.sin() + x.slice(s![-1, ..;-3]).sum(..))
            .square()
            .sum(..)
    };
    check_gradient(f, &x, &[4, 5]);
}

#[test]
fn gradients_through_concatenate_and_stack() {
    let x: Vec<f64> = (0..12).map(|i| (i as f64 * 0.9).sin()).collect();
    let column = Array::from_vec(vec![0.5, -1.0, 2.0], [3, 1]);
    let f = move |x: &Array| {
        // Pieces of x, a constant and x again, joined along both axes.
        let wide = concatenate(&[x.slice(s![.., 1..]).exp(), column.clone(), x.clone()], 1);
        let tall = concatenate(&[&wide, &(&wide * 2.0).slice(s![..1])], 0);
        let stacked = stack(&[x.clone(), x.cos()], 0);
        tall.square().sum(..) * stacked.sin().sum(..)
    };
    check_gradient(f, &x, &[3, 4]);
    // Rosenbrock written with a concat of its shifted terms.
    let f = |x: &Array| {
        let head = x.slice(s![..-1]);
        let tail = x.slice(s![1..]);
        concatenate(&[(&tail - head.square()) * 10.0, 1.0 - &head], 0)
            .square()
            .sum(..)
    };
    let x = [-1.2, 1.0, 0.3, -0.5];
    let want = f64s(&grad(rosenbrock)(&vector(&x)));
    assert_close(&f64s(&grad(f)(&vector(&x))), &want, 1e-12);
    check_gradient(f, &x, &[4]);
}

#[test]
fn grad_of_grad_is_the_second_derivative() {
    let f = |x: &Array| (x.sin() * x).sum(..);
    let second = grad(grad(f)); // elementwise f: the gradient's gradient is d²f/dx²
    let d2 = |g: &Array| grad(|x: &Array| grad(f)(x).sum(..))(g);
    let xs: [f64; 3] = [0.2, -1.0, 2.5];
    let want: Vec<f64> = xs.iter().map(|x| 2.0 * x.cos() - x * x.sin()).collect();
    assert_close(&f64s(&d2(&vector(&xs))), &want, 1e-12);
    // grad(grad(f)) needs a scalar gradient: f of one element.
    let scalar = second(&Array::from_vec(vec![0.2], [1]));
    assert_close(&f64s(&scalar), &want[..1], 1e-12);
    // Third order.
    let third = grad(|x: &Array| grad(|x: &Array| grad(f)(x).sum(..))(x).sum(..));
    let want: Vec<f64> = xs.iter().map(|x| -3.0 * x.sin() - x * x.cos()).collect();
    assert_close(&f64s(&third(&vector(&xs))), &want, 1e-12);
}

#[test]
fn forward_and_reverse_agree() {
    // vᵀ(J u) = (Jᵀ v)ᵀ u, and the Jacobian is the same both ways.
    let f = |x: &Array| {
        let a = x.slice(s![..2]);
        let b = x.slice(s![1..]);
        (&a * &b).exp() + x.sum(..)
    };
    let x = vector(&[0.3, -0.4, 0.8]);
    let u = vector(&[1.0, 2.0, -1.0]);
    let v = vector(&[0.5, -1.5]);
    let (_, ju) = jvp(f, &x, &u);
    let (_, pullback) = vjp(f, &x);
    let jtv = f64s(&pullback(&v));
    let lhs: f64 = f64s(&ju).iter().zip(f64s(&v)).map(|(a, b)| a * b).sum();
    let rhs: f64 = jtv.iter().zip(f64s(&u)).map(|(a, b)| a * b).sum();
    assert!((lhs - rhs).abs() < 1e-12);
    // jacobian picks reverse for 2 outputs < 3 inputs; build the forward one by hand.
    let j = f64s(&jacobian(f)(&x));
    let mut columns = vec![0.0; 6];
    for k in 0..3 {
        let mut e = vec![0.0; 3];
        e[k] = 1.0;
        let (_, column) = jvp(f, &x, &vector(&e));
        for (i, value) in f64s(&column).into_iter().enumerate() {
            columns[i * 3 + k] = value;
        }
    }
    assert_close(&j, &columns, 1e-12);
}

#[test]
fn several_arguments_and_outputs() {
    let f = |a: &[Array]| (&a[0] * a[1].sin()).sum(..);
    let x = vector(&[1.0, 2.0]);
    let y = vector(&[0.5, -0.5]);
    let g = grad_n(f, &[1, 0])(&[x.clone(), y.clone()]);
    assert_close(&f64s(&g[0]), &[0.5f64.cos(), 2.0 * (-0.5f64).cos()], 1e-15);
    assert_close(&f64s(&g[1]), &[0.5f64.sin(), (-0.5f64).sin()], 1e-15);
    let (value, g) = value_and_grad_n(f, &[0])(&[x.clone(), y.clone()]);
    assert!(value.is_realized() && g[0].is_realized());
    assert_close(
        &[value.item::<f64>().unwrap()],
        &[0.5f64.sin() - 2.0 * 0.5f64.sin()],
        1e-15,
    );

    // Two outputs, two arguments.
    let h = |a: &[Array]| vec![&a[0] * &a[1], a[0].exp().sum(..)];
    let (outputs, pullback) = vjp_n(h, &[x.clone(), y.clone()]);
    assert_eq!(outputs.len(), 2);
    let cotangents = [vector(&[1.0, 1.0]), Array::scalar(2.0)];
    let adjoints = pullback(&cotangents);
    assert_close(
        &f64s(&adjoints[0]),
        &[0.5 + 2.0 * 1f64.exp(), -0.5 + 2.0 * 2f64.exp()],
        1e-12,
    );
    assert_close(&f64s(&adjoints[1]), &[1.0, 2.0], 1e-15);
    // A cotangent of the wrong type is an error, not a panic.
    assert!(pullback(&[vector(&[1.0]), Array::scalar(2.0)])[0]
        .error()
        .is_some());
    let (_, tangents) = jvp_n(
        h,
        &[x.clone(), y.clone()],
        &[vector(&[1.0, 0.0]), vector(&[0.0, 1.0])],
    );
    assert_close(&f64s(&tangents[0]), &[0.5, 2.0], 1e-15);
    assert_close(&f64s(&tangents[1]), &[1f64.exp()], 1e-15);
}

#[test]
fn value_and_grad_evaluates_both_together() {
    let (value, gradient) = value_and_grad(rosenbrock)(&vector(&[0.5, 0.5, 0.5]));
    assert!(value.is_realized() && gradient.is_realized());
    assert_close(
        &[value.item::<f64>().unwrap()],
        &[2.0 * (100.0 * 0.0625 + 0.25)],
        1e-15,
    );
}

#[test]
fn misuse_is_an_error_not_a_panic() {
    let x = vector(&[1.0, 2.0]);
    assert!(
        grad(|x: &Array| x.sin())(&x).error().is_some(),
        "non-scalar output"
    );
    let ints = Array::from_vec(vec![1i64, 2], [2]);
    assert!(grad(|x: &Array| x.sum(..).astype(DType::F64))(&ints)
        .error()
        .is_some());
    assert!(
        grad(|x: &Array| x.reshape([3]).sum(..))(&x)
            .error()
            .is_some(),
        "invalid op in f"
    );
    assert!(
        grad_n(|a: &[Array]| a[0].sum(..), &[3])(std::slice::from_ref(&x))[0]
            .error()
            .is_some()
    );
    assert!(jvp(|x: &Array| x.sin(), &x, &vector(&[1.0]))
        .1
        .error()
        .is_some());
}

#[test]
fn unused_and_integer_paths_give_zero_gradients() {
    let f = |a: &[Array]| a[0].sum(..) + a[0].argmax(0).astype(DType::F64);
    let g = grad_n(f, &[0, 1])(&[vector(&[1.0, 3.0]), vector(&[5.0])]);
    assert_eq!(f64s(&g[0]), vec![1.0, 1.0]);
    assert_eq!(f64s(&g[1]), vec![0.0]);
}

#[test]
fn a_5000_deep_chain_is_differentiated_through() {
    // Deeper than the automatic realization depth: realizing part of the
    // chain while the closure runs would make the gradient see a constant.
    let depth = 5000;
    let f = move |x: &Array| {
        let mut y = x.clone();
        for _ in 0..depth {
            y = &y + y.sin() * 0.001;
        }
        y.sum(..)
    };
    let x0 = 0.7;
    let (mut y, mut dy): (f64, f64) = (x0, 1.0);
    for _ in 0..depth {
        dy *= 1.0 + 0.001 * y.cos();
        y += 0.001 * y.sin();
    }
    let (value, gradient) = value_and_grad(f)(&vector(&[x0]));
    assert_close(&f64s(&value.reshape([1])), &[y], 1e-12);
    assert_close(&f64s(&gradient), &[dy], 1e-10);
    assert!(dy.abs() > 0.01, "a cut tape would give 0: {dy}");
    // And as a Function.
    let df = Function::new(&[TensorType::new([1], DType::F64)], |x| {
        vec![grad(f)(&x[0])]
    })
    .unwrap();
    assert_close(&f64s(&df.call(&[vector(&[x0])]).unwrap()[0]), &[dy], 1e-10);
}

#[test]
fn eval_inside_a_differentiated_closure_does_not_cut_the_tape() {
    let f = |x: &Array| {
        let y = x.sin();
        let peek = y.sum(..).item::<f64>().unwrap(); // computed, not stored
        assert!(!y.is_realized());
        y.sum(..) * peek.signum()
    };
    let g = f64s(&grad(f)(&vector(&[0.5, 1.0])));
    assert_close(&g, &[0.5f64.cos(), 1f64.cos()], 1e-15);
}

#[test]
fn functions_run_on_new_data_and_check_types() {
    let w = vector(&[1.0, -1.0, 2.0]); // captured
    let ty = TensorType::new([3], DType::F64);
    let f = Function::new(&[ty.clone(), ty.clone()], |a| {
        vec![
            (&a[0] * &w + &a[1]).sum(..),
            grad(|x: &Array| (x * &w).square().sum(..))(&a[0]),
        ]
    })
    .unwrap();
    for k in 0..3 {
        let x = vector(&[k as f64, 1.0, -1.0]);
        let out = f.call(&[x.clone(), vector(&[1.0; 3])]).unwrap();
        assert_eq!(out[0].item::<f64>().unwrap(), k as f64 - 1.0 - 2.0 + 3.0);
        assert_close(&f64s(&out[1]), &[2.0 * k as f64, 2.0, -8.0], 1e-15);
    }
    let wrong_shape = f.call(&[vector(&[1.0; 4]), vector(&[1.0; 3])]);
    assert!(wrong_shape
        .unwrap_err()
        .to_string()
        .contains("input 0 must be f64[3], got f64[4]"));
    let wrong_dtype = f.call(&[vector(&[1.0; 3]), Array::from_vec(vec![1i64; 3], [3])]);
    assert!(wrong_dtype.is_err());
    assert!(f.call(&[vector(&[1.0; 3])]).is_err());
    // A closure that fails to build is an error at construction.
    assert!(Function::new(&[ty], |a| vec![a[0].reshape([2])]).is_err());
}

#[test]
fn derivative_arrays_evaluate_together_with_the_value() {
    let x = vector(&[0.1, 0.2]);
    let (y, pullback) = vjp(|x| x.exp(), &x);
    let g = pullback(&vector(&[1.0, 1.0]));
    eval_many(&[y.clone(), g.clone()]).unwrap();
    assert!(y.is_realized() && g.is_realized());
    assert_eq!(f64s(&y), f64s(&g));
}

proptest! {
    #![proptest_config(fixed_seed_config(64))]

    /// Random smooth programs of the shared generator (`common::program`):
    /// the gradient matches central differences, and forward mode along
    /// the ones vector gives the gradient's sum.
    #[test]
    fn random_programs_match_finite_differences(seed in any::<u64>()) {
        let mut rng = Rng(seed);
        let shape = random_shape(&mut rng, &[1, 2, 3], 0);
        let b_shape = compatible_shape(&mut rng, &shape);
        let size: usize = shape.iter().product();
        let a: Vec<f64> = (0..size).map(|_| rng.uniform(-1.0, 1.0)).collect();
        let b_size: usize = b_shape.iter().product();
        let b = (0..b_size).map(|_| rng.uniform(0.2, 1.5)).collect();
        let f = smooth_function(rng.next(), Array::from_vec(b, b_shape));
        let x = Array::from_vec(a.clone(), shape.clone());
        let got = f64s(&grad(&f)(&x));
        assert_close(&got, &numeric_gradient(&f, &a, &shape), 1e-5);
        let (_, tangent) = jvp(&f, &x, &Array::ones(shape.clone(), DType::F64));
        let total: f64 = got.iter().sum();
        prop_assert!((tangent.item::<f64>().unwrap() - total).abs() < 1e-9 * (1.0 + total.abs()));
    }
}

#[test]
fn f32_arguments_get_f32_gradients() {
    let x = Array::from_vec(vec![1.0f32, -2.0], [2]);
    let g = grad(|x: &Array| (x.square() * 0.5).sum(..))(&x);
    assert_eq!(g.dtype(), DType::F32);
    assert_eq!(g.to_vec::<f32>().unwrap(), vec![1.0, -2.0]);
    // Through a cast to f64 and back: the gradient is cast back.
    let g = grad(|x: &Array| x.astype(DType::F64).exp().sum(..))(&x);
    assert_eq!(g.dtype(), DType::F32);
}

#[test]
fn jacobians_of_scalars_and_empty_arrays() {
    let j = jacobian(|x: &Array| x.sin())(&Array::scalar(0.0));
    assert_eq!(j.shape(), &[] as &[usize]);
    assert_eq!(j.item::<f64>().unwrap(), 1.0);
    let empty = Array::zeros([0], DType::F64).eval().unwrap();
    assert_eq!(jacobian(|x: &Array| x.exp())(&empty).shape(), &[0, 0]);
}

#[test]
fn fmod_fmax_fmin_copysign_gradients_match_finite_differences() {
    // Away from the kinks (fmod's jumps, fmax's ties, copysign at 0).
    let x = [2.3, -1.7, 0.6, 3.1];
    let w = Array::from_vec(vec![0.7, -1.3, 2.1, 0.4], [4]);
    let fmod = |x: &Array| (x.fmod(&w) * x).sum(..);
    let fmod_divisor = |x: &Array| (w.fmod(x) * 3.0f64 + x.fmod(1.3)).sum(..);
    let extremes = |x: &Array| (x.fmax(&w) * x.fmin(w.square())).sum(..);
    let copysign = |x: &Array| (x.square().copysign(&w) + w.copysign(x) * x).sum(..);
    check_gradient(fmod, &x, &[4]);
    check_gradient(fmod_divisor, &x, &[4]);
    check_gradient(extremes, &x, &[4]);
    check_gradient(copysign, &x, &[4]);
    check_gradient(|x: &Array| (x.trunc() + x).sum(..), &x, &[4]);
}
