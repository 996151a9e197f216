//! Sampled-data integrals against SciPy 1.17's values on the same data.

use ndjit::integrate::{cumulative_trapezoid, romb, simpson, trapezoid};
use ndjit::Array;

fn close(a: &[f64], b: &[f64], tol: f64) {
    assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= tol * (1.0 + y.abs()), "{a:?} vs {b:?}");
    }
}

#[test]
fn trapezoid_with_step_and_points() {
    let y = Array::from_vec(vec![1.0, 2.0, 3.0], [3]);
    close(
        &trapezoid(&y, 1.0, -1).unwrap().to_vec::<f64>().unwrap(),
        &[4.0],
        0.0,
    );
    close(
        &trapezoid(&y, 2.0, 0).unwrap().to_vec::<f64>().unwrap(),
        &[8.0],
        0.0,
    );
    let x = Array::from_vec(vec![4.0, 6.0, 8.0], [3]);
    close(
        &trapezoid(&y, &x, -1).unwrap().to_vec::<f64>().unwrap(),
        &[8.0],
        0.0,
    );
    // np.trapezoid(np.arange(6).reshape(2, 3), axis=0) = [1.5, 2.5, 3.5].
    let m = Array::arange(0.0, 6.0, 1.0).reshape([2, 3]);
    close(
        &trapezoid(&m, 1.0, 0).unwrap().to_vec::<f64>().unwrap(),
        &[1.5, 2.5, 3.5],
        0.0,
    );
    close(
        &trapezoid(&m, 1.0, 1).unwrap().to_vec::<f64>().unwrap(),
        &[2.0, 8.0],
        0.0,
    );
    // Non-uniform x of y's shape.
    let xs = Array::from_vec(vec![0.0, 1.0, 3.0, 0.0, 2.0, 3.0], [2, 3]);
    close(
        &trapezoid(&m, &xs, 1).unwrap().to_vec::<f64>().unwrap(),
        &[3.5, 11.5],
        1e-15,
    );
    // Errors: bad axis, wrong x length.
    assert!(trapezoid(&m, 1.0, 2).is_err());
    assert!(trapezoid(&m, &x, 0).is_err());
}

#[test]
fn simpson_matches_scipy() {
    // scipy.integrate.simpson(np.arange(10), x=np.arange(10)) = 40.5;
    // of x**3: 1640.5 (even count: Cartwright's correction on the end).
    let x = Array::arange(0.0, 10.0, 1.0);
    close(
        &simpson(&x, &x, -1).unwrap().to_vec::<f64>().unwrap(),
        &[40.5],
        1e-15,
    );
    let cube = &x * &x * &x;
    close(
        &simpson(&cube, &x, -1).unwrap().to_vec::<f64>().unwrap(),
        &[1640.5],
        1e-15,
    );
    close(
        &simpson(&cube, 1.0, -1).unwrap().to_vec::<f64>().unwrap(),
        &[1640.5],
        1e-15,
    );
    // Odd count, exact for cubics: ∫_0^8 x³ = 1024.
    let x9 = Array::arange(0.0, 9.0, 1.0);
    let c9 = &x9 * &x9 * &x9;
    close(
        &simpson(&c9, 1.0, 0).unwrap().to_vec::<f64>().unwrap(),
        &[1024.0],
        1e-15,
    );
    // Uneven spacing: scipy.integrate.simpson([1, 4, 9, 16, 25], x=[0, 1, 1.5, 3, 4]) (quadratic-like data)
    let y = Array::from_vec(vec![1.0, 4.0, 9.0, 16.0, 25.0], [5]);
    let xu = Array::from_vec(vec![0.0, 1.0, 1.5, 3.0, 4.0], [5]);
    close(
        &simpson(&y, &xu, 0).unwrap().to_vec::<f64>().unwrap(),
        &[SCIPY_UNEVEN],
        1e-14,
    );
    // Two samples: the trapezoid.
    let two = Array::from_vec(vec![1.0, 3.0], [2]);
    close(
        &simpson(&two, 0.5, 0).unwrap().to_vec::<f64>().unwrap(),
        &[1.0],
        0.0,
    );
}

/// `scipy.integrate.simpson([1, 4, 9, 16, 25], x=[0, 1, 1.5, 3, 4])`.
const SCIPY_UNEVEN: f64 = 42.861111111111114;

#[test]
fn romb_is_exact_for_polynomials_and_checks_the_count() {
    // 2^4 + 1 samples of x^5 on [0, 1]: Romberg's table is exact.
    let x = Array::linspace(0.0, 1.0, 17, true);
    let y = x.pow(5.0);
    close(
        &romb(&y, 1.0 / 16.0, -1).unwrap().to_vec::<f64>().unwrap(),
        &[1.0 / 6.0],
        1e-15,
    );
    // scipy.integrate.romb(np.exp(np.linspace(0, 1, 9)), dx=0.125).
    let e = Array::linspace(0.0, 1.0, 9, true).exp();
    close(
        &romb(&e, 0.125, 0).unwrap().to_vec::<f64>().unwrap(),
        &[SCIPY_ROMB_EXP],
        1e-15,
    );
    assert!(romb(&Array::linspace(0.0, 1.0, 10, true), 1.0, 0).is_err());
}

/// `scipy.integrate.romb(np.exp(np.linspace(0, 1, 9)), dx=0.125)`.
const SCIPY_ROMB_EXP: f64 = 1.7182818287945303;

#[test]
fn cumulative_trapezoid_along_each_axis() {
    let y = Array::from_vec(vec![1.0, 2.0, 3.0, 4.0], [4]);
    close(
        &cumulative_trapezoid(&y, 1.0, -1, None)
            .unwrap()
            .to_vec::<f64>()
            .unwrap(),
        &[1.5, 4.0, 7.5],
        0.0,
    );
    close(
        &cumulative_trapezoid(&y, 2.0, -1, Some(0.0))
            .unwrap()
            .to_vec::<f64>()
            .unwrap(),
        &[0.0, 3.0, 8.0, 15.0],
        0.0,
    );
    let m = Array::arange(0.0, 6.0, 1.0).reshape([2, 3]);
    let along0 = cumulative_trapezoid(&m, 1.0, 0, None).unwrap();
    assert_eq!(along0.shape(), &[1, 3]);
    close(&along0.to_vec::<f64>().unwrap(), &[1.5, 2.5, 3.5], 0.0);
    let x = Array::from_vec(vec![0.0, 1.0, 3.0], [3]);
    let along1 = cumulative_trapezoid(&m, &x, 1, None).unwrap();
    assert_eq!(along1.shape(), &[2, 2]);
    close(
        &along1.to_vec::<f64>().unwrap(),
        &[0.5, 3.5, 3.5, 12.5],
        0.0,
    );
}
