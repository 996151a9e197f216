//! `root_scalar` and `minimize_scalar` against SciPy 1.17.1 on the same
//! functions (values and counts from SciPy, recorded here).

use ndjit::optimize::{
    minimize_scalar, root_scalar, RootMethod, RootOptions, ScalarFunction, ScalarMethod,
    ScalarOptions,
};
use ndjit::Array;

const DOTTIE: f64 = 0.7390851332151607;

fn cos_minus_x(x: &Array) -> Array {
    x.cos() - x
}

#[test]
fn bracketing_methods_match_scipy() {
    // SciPy: (iterations, function_calls).
    for (method, scipy) in [
        (RootMethod::Bisect, (39, 41)),
        (RootMethod::Brentq, (7, 8)),
        (RootMethod::Brenth, (7, 8)),
        (RootMethod::Ridder, (5, 12)),
    ] {
        let r = root_scalar(
            cos_minus_x,
            method,
            RootOptions::default().bracket(0.0, 1.0),
        )
        .expect("valid");
        assert!(r.converged && r.flag == "converged", "{method:?}: {r}");
        assert!((r.root - DOTTIE).abs() < 4e-12, "{method:?}: {r}");
        assert_eq!((r.iterations, r.function_calls), scipy, "{method:?}: {r}");
    }
}

#[test]
fn open_methods_with_autodiff_derivatives_match_scipy() {
    // SciPy with hand-written fprime / fprime2: (iterations, function_calls).
    for (method, scipy) in [
        (RootMethod::Newton, (4, 8)),
        (RootMethod::Halley, (3, 9)),
        (RootMethod::Secant, (5, 6)),
    ] {
        let r = root_scalar(cos_minus_x, method, RootOptions::default().x0(1.0)).expect("valid");
        assert!(r.converged, "{method:?}: {r}");
        assert!((r.root - DOTTIE).abs() < 1e-15, "{method:?}: {r}");
        assert_eq!((r.iterations, r.function_calls), scipy, "{method:?}: {r}");
    }
    // Plain closures with user derivatives give the same iterates.
    let f = ScalarFunction::new(|x: f64| x.cos() - x)
        .fprime(|x| -x.sin() - 1.0)
        .fprime2(|x| -x.cos());
    let r = root_scalar(f, RootMethod::Halley, RootOptions::default().x0(1.0)).expect("valid");
    assert_eq!((r.root, r.iterations), (DOTTIE, 3));
}

#[test]
fn root_scalar_bad_inputs() {
    let no_sign_change = root_scalar(
        cos_minus_x,
        RootMethod::Brentq,
        RootOptions::default().bracket(1.0, 2.0),
    )
    .unwrap_err();
    assert!(
        no_sign_change.to_string().contains("different signs"),
        "{no_sign_change}"
    );
    assert!(root_scalar(cos_minus_x, RootMethod::Brentq, RootOptions::default()).is_err());
    assert!(root_scalar(cos_minus_x, RootMethod::Newton, RootOptions::default()).is_err());
    assert!(root_scalar(
        cos_minus_x,
        RootMethod::Bisect,
        RootOptions::default().bracket(f64::NAN, 1.0)
    )
    .is_err());
    let missing = root_scalar(
        ScalarFunction::new(|x| x - 1.0),
        RootMethod::Newton,
        RootOptions::default().x0(0.0),
    )
    .unwrap_err();
    assert!(missing.to_string().contains("fprime"), "{missing}");
    // No root: Newton on x² + 1 runs out of iterations, unconverged.
    let r = root_scalar(
        |x: &Array| x.square() + 1.0,
        RootMethod::Newton,
        RootOptions::default().x0(0.5).maxiter(20),
    )
    .expect("runs");
    assert!(!r.converged && r.flag == "convergence error", "{r}");
    // A flat start (f' = 0) stops at once.
    let r = root_scalar(
        |x: &Array| x.square() + 1.0,
        RootMethod::Newton,
        RootOptions::default().x0(0.0),
    )
    .expect("runs");
    assert!(!r.converged, "{r}");
    // NaN inside the bracket ends, unconverged, without hanging.
    let nan_inside = |x: &Array| ndjit::where_(x.gt(0.3), f64::NAN, x - 0.5) + 0.0;
    let r = root_scalar(
        nan_inside,
        RootMethod::Brentq,
        RootOptions::default().bracket(0.0, 0.2),
    )
    .unwrap_err();
    assert!(r.to_string().contains("different signs"), "{r}");
    let nan_f = |x: &Array| ndjit::where_(x.gt(0.7), f64::NAN, x - 0.75) * 1.0;
    assert!(root_scalar(
        nan_f,
        RootMethod::Brentq,
        RootOptions::default().bracket(0.0, 1.0)
    )
    .is_err());
}

fn two_wells(x: &Array) -> Array {
    (x - 2.0).square() * (x + 2.0).square() + x
}

#[test]
fn minimize_scalar_matches_scipy() {
    // SciPy: x, nit, nfev.
    let r =
        minimize_scalar(two_wells, ScalarMethod::Brent, ScalarOptions::default()).expect("valid");
    assert!(
        r.success && (r.x[0] - 1.9679854143475168).abs() < 1e-7,
        "{r}"
    );
    assert_eq!((r.nit, r.nfev), (10, 13), "{r}");
    let r =
        minimize_scalar(two_wells, ScalarMethod::Golden, ScalarOptions::default()).expect("valid");
    assert!(
        r.success && (r.x[0] - 1.967985404416631).abs() < 1e-7,
        "{r}"
    );
    assert_eq!((r.nit, r.nfev), (37, 42), "{r}");
    let r = minimize_scalar(
        two_wells,
        ScalarMethod::Bounded,
        ScalarOptions::default().bounds(0.0, 4.0),
    )
    .expect("valid");
    assert!(
        r.success && (r.x[0] - 1.9679855339472523).abs() < 1e-7,
        "{r}"
    );
    assert_eq!((r.nit, r.nfev), (11, 11), "{r}");
    assert_eq!(r.message, "Solution found.");
    // From a bracket on the left: the other well (SciPy: 12 iterations, 17 calls).
    let r = minimize_scalar(
        two_wells,
        ScalarMethod::Brent,
        ScalarOptions::default().bracket(&[-3.0, -1.0]),
    )
    .expect("valid");
    assert!(
        r.success && (r.x[0] - 1.967985400111881).abs() < 1e-7,
        "{r}"
    );
    assert_eq!((r.nit, r.nfev), (12, 17), "{r}");
}

#[test]
fn minimize_scalar_bad_inputs_and_unbounded() {
    assert!(minimize_scalar(two_wells, ScalarMethod::Bounded, ScalarOptions::default()).is_err());
    assert!(minimize_scalar(
        two_wells,
        ScalarMethod::Bounded,
        ScalarOptions::default().bounds(2.0, 1.0)
    )
    .is_err());
    assert!(minimize_scalar(
        two_wells,
        ScalarMethod::Brent,
        ScalarOptions::default().bracket(&[0.0, 1.0, 2.0, 3.0])
    )
    .is_err());
    // f = x has no minimum: no bracket is found, success = false.
    let r = minimize_scalar(
        |x: &Array| x * 1.0,
        ScalarMethod::Brent,
        ScalarOptions::default(),
    )
    .expect("runs");
    assert!(!r.success, "{r}");
    let r = minimize_scalar(
        |x: &Array| x * f64::NAN,
        ScalarMethod::Golden,
        ScalarOptions::default(),
    )
    .expect("runs");
    assert!(!r.success, "{r}");
    let r = minimize_scalar(
        |x: &Array| x * f64::NAN,
        ScalarMethod::Bounded,
        ScalarOptions::default().bounds(0.0, 1.0),
    )
    .expect("runs");
    assert!(!r.success, "{r}");
}
