//! `least_squares` (Levenberg–Marquardt) and `curve_fit` against exact
//! answers and SciPy 1.17.1's values on the same data (printed by SciPy
//! with 17 digits, kept as printed).
#![allow(clippy::excessive_precision)]

use ndjit::optimize::{curve_fit, least_squares, LeastSquaresOptions};
use ndjit::{concatenate, s, Array};

fn decay(t: &Array, p: &Array) -> Array {
    let (a, k, c) = (p.slice(s![0]), p.slice(s![1]), p.slice(s![2]));
    a * (-(k * t)).exp() + c
}

fn times() -> Vec<f64> {
    (0..40).map(|i| i as f64 * 0.1).collect()
}

/// SciPy's data: 2.5 e^(−1.3 t) + 0.5 plus a deterministic wiggle.
fn noisy() -> Vec<f64> {
    times()
        .iter()
        .map(|t| 2.5 * (-1.3 * t).exp() + 0.5 + 0.05 * (17.0 * t).sin())
        .collect()
}

fn close(a: &[f64], b: &[f64], relative: f64) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| (x - y).abs() <= relative * y.abs().max(1e-12))
}

#[test]
fn exact_data_gives_exact_parameters() {
    let t = times();
    let y: Vec<f64> = t.iter().map(|t| 2.5 * (-1.3 * t).exp() + 0.5).collect();
    let fit = curve_fit(
        decay,
        &Array::from_vec(t, [40]),
        &y,
        &[1.0, 1.0, 0.0],
        None,
        false,
    )
    .expect("fits");
    assert!(close(&fit.popt, &[2.5, 1.3, 0.5], 1e-9), "{:?}", fit.popt);
    assert!(fit.pcov.iter().all(|v| v.abs() < 1e-12), "{:?}", fit.pcov);
    assert!(fit.result.cost < 1e-20);
}

#[test]
fn noisy_fit_matches_scipy_parameters_and_covariance() {
    let scipy_popt = [2.5078940693579788, 1.3083939541203737, 0.5022381725087657];
    let scipy_pcov = [
        5.4844108504139091e-04,
        2.1085455612893426e-04,
        -3.6798387521392629e-05,
        2.1085455612893426e-04,
        7.3100114261175585e-04,
        2.1519163406608091e-04,
        -3.6798387521392629e-05,
        2.1519163406608091e-04,
        1.1629311358532643e-04,
    ];
    let t = Array::from_vec(times(), [40]);
    let fit = curve_fit(decay, &t, &noisy(), &[1.0, 1.0, 0.0], None, false).expect("fits");
    assert!(close(&fit.popt, &scipy_popt, 1e-7), "{:?}", fit.popt);
    assert!(close(&fit.pcov, &scipy_pcov, 1e-5), "{:?}", fit.pcov);
    // With absolute sigma.
    let sigma: Vec<f64> = (0..40).map(|i| 0.1 + 0.01 * i as f64).collect();
    let scipy_popt = [2.507922025289336, 1.3120409934424355, 0.5038015654010892];
    let scipy_pcov = [
        0.01198757074047428,
        -0.00581417330154996,
        -0.00811598180890996,
        -0.00581417330154996,
        0.0236919897742354,
        0.01256958535277437,
        -0.00811598180890996,
        0.01256958535277437,
        0.01024265355104796,
    ];
    let fit = curve_fit(decay, &t, &noisy(), &[1.0, 1.0, 0.0], Some(&sigma), true).expect("fits");
    assert!(close(&fit.popt, &scipy_popt, 1e-7), "{:?}", fit.popt);
    assert!(close(&fit.pcov, &scipy_pcov, 1e-5), "{:?}", fit.pcov);
}

#[test]
fn badly_scaled_problem_needs_the_scaling() {
    // Brown's badly scaled function (Moré, Garbow, Hillstrom #4): the
    // solution (1e6, 2e-6) spans twelve orders of magnitude. SciPy's lm:
    // x = (1e6, 2e-6), cost 0, 16 evaluations. ndjit stops on xtol one
    // step earlier, at a relative error of 1e-12.
    let brown = |x: &Array| {
        let (a, b) = (x.slice(s![0..1]), x.slice(s![1..2]));
        concatenate(&[&a - 1e6, &b - 2e-6, &a * &b - 2.0], 0)
    };
    let r = least_squares(brown, &[1.0, 1.0], LeastSquaresOptions::default()).expect("runs");
    assert!(r.success, "{r:?}");
    assert!(
        (r.x[0] / 1e6 - 1.0).abs() < 1e-10 && (r.x[1] / 2e-6 - 1.0).abs() < 1e-10,
        "{:?}",
        r.x
    );
    assert!(r.cost < 1e-11 && r.nfev <= 40, "{r:?}");
}

#[test]
fn bad_inputs_are_errors() {
    let t = Array::from_vec(times(), [40]);
    assert!(curve_fit(
        decay,
        &t,
        &noisy(),
        &[1.0, 1.0, 0.0],
        Some(&[1.0; 3]),
        false
    )
    .is_err());
    assert!(curve_fit(
        decay,
        &t,
        &noisy(),
        &[1.0, 1.0, 0.0],
        Some(&[0.0; 40]),
        false
    )
    .is_err());
    let mut with_nan = noisy();
    with_nan[3] = f64::NAN;
    assert!(curve_fit(decay, &t, &with_nan, &[1.0, 1.0, 0.0], None, false).is_err());
    // Fewer residuals than parameters.
    let short = |x: &Array| x.sum_keepdims(..);
    assert!(least_squares(short, &[1.0, 2.0], LeastSquaresOptions::default()).is_err());
    assert!(least_squares(
        |x: &Array| x * 1.0,
        &[f64::NAN],
        LeastSquaresOptions::default()
    )
    .is_err());
    // The evaluation limit ends the run unsuccessfully.
    let rosen = |x: &Array| {
        let (a, b) = (x.slice(s![0..1]), x.slice(s![1..2]));
        concatenate(&[&a - 1.0, 10.0 * (&b - a.square())], 0)
    };
    let r = least_squares(
        rosen,
        &[-1.2, 1.0],
        LeastSquaresOptions::default().max_nfev(3),
    )
    .expect("runs");
    assert!(!r.success && r.status == 0, "{r:?}");
}
