//! `quad` against closed forms and SciPy 1.17's counts on the same
//! integrals (`benches/integrate_scipy.py` prints them): the value is
//! within the reported `abserr` of the exact integral, and `neval` is no
//! worse than SciPy's.

use ndjit::integrate::{quad, QuadOptions, QuadStatus, Weight};
use ndjit::{where_, Array};
use std::f64::consts::PI;

/// Checks the honest-bound property and the counts.
#[track_caller]
fn check(r: &ndjit::integrate::QuadResult, exact: f64, scipy_neval: usize, scipy_last: usize) {
    assert!(r.success(), "{r}");
    let err = (r.value - exact).abs();
    assert!(
        err <= r.abserr,
        "true error {err:e} above the bound {:e}",
        r.abserr
    );
    assert!(r.abserr <= 1.49e-8_f64.max(1.49e-8 * exact.abs()), "{r}");
    assert!(
        r.neval <= scipy_neval,
        "neval {} > SciPy's {scipy_neval}",
        r.neval
    );
    assert_eq!(r.last, scipy_last, "{r}");
    assert_eq!(r.intervals.len(), r.last);
}

fn defaults() -> QuadOptions {
    QuadOptions::default()
}

#[test]
fn inverse_square_root_singularity() {
    let r = quad(|x: &Array| x.sqrt().recip(), 0.0, 1.0, &defaults()).unwrap();
    check(&r, 2.0, 231, 6);
}

#[test]
fn log_singularity() {
    let r = quad(|x: &Array| x.log(), 0.0, 1.0, &defaults()).unwrap();
    check(&r, -1.0, 231, 6);
    // x^-1/2 log x: both at once, ∫ = -4.
    let r = quad(|x: &Array| x.log() / x.sqrt(), 0.0, 1.0, &defaults()).unwrap();
    check(&r, -4.0, 315, 8);
}

#[test]
fn smooth_integrands_take_one_rule() {
    let r = quad(|x: &Array| x.sin(), 0.0, PI, &defaults()).unwrap();
    check(&r, 2.0, 21, 1);
    let r = quad(|x: &Array| x.exp(), 0.0, 1.0, &defaults()).unwrap();
    check(&r, std::f64::consts::E - 1.0, 21, 1);
    // Reversed limits flip the sign.
    let r = quad(|x: f64| x.exp(), 1.0, 0.0, &defaults()).unwrap();
    check(&r, 1.0 - std::f64::consts::E, 21, 1);
}

#[test]
fn square_root_endpoint_behaviour() {
    let r = quad(|x: &Array| (1.0 - x * x).sqrt(), -1.0, 1.0, &defaults()).unwrap();
    check(&r, PI / 2.0, 399, 10);
}

#[test]
fn infinite_ranges() {
    let r = quad(
        |x: &Array| (-(x * x)).exp(),
        0.0,
        f64::INFINITY,
        &defaults(),
    )
    .unwrap();
    check(&r, PI.sqrt() / 2.0, 135, 5);
    let r = quad(
        |x: &Array| (-(x * x)).exp(),
        f64::NEG_INFINITY,
        0.0,
        &defaults(),
    )
    .unwrap();
    check(&r, PI.sqrt() / 2.0, 135, 5);
    // Both infinite: f(x) + f(-x) at each node, so twice the evaluations.
    let r = quad(
        |x: f64| (-x * x).exp(),
        f64::NEG_INFINITY,
        f64::INFINITY,
        &defaults(),
    )
    .unwrap();
    check(&r, PI.sqrt(), 270, 5);
    let r = quad(
        |x: &Array| (x * x + 1.0).recip(),
        0.0,
        f64::INFINITY,
        &defaults(),
    )
    .unwrap();
    check(&r, PI / 2.0, 45, 2);
}

#[test]
fn oscillatory_integrands() {
    let exact = 100f64.sin() / 100.0;
    let r = quad(|x: &Array| (x * 100.0).cos(), 0.0, 1.0, &defaults()).unwrap();
    check(&r, exact, 315, 8);
    let exact = 1000f64.sin() / 1000.0;
    let many = defaults().limit(1000);
    let r = quad(|x: &Array| (x * 1000.0).cos(), 0.0, 1.0, &many).unwrap();
    check(&r, exact, 4599, 110);
    // With SciPy's default limit the same integral does not converge: the
    // result says so, and its error bound still holds.
    let r = quad(|x: &Array| (x * 1000.0).cos(), 0.0, 1.0, &defaults()).unwrap();
    assert_eq!(r.status, QuadStatus::SubdivisionLimit);
    assert!(
        r.message.contains("maximum number of subdivisions (50)"),
        "{}",
        r.message
    );
    assert!((r.value - exact).abs() <= r.abserr);
    assert_eq!(r.last, 50);
}

#[test]
fn discontinuities_inside_the_range() {
    // 1 on [0, 1), x² on [1, 2]: ∫ = 1 + 7/3.
    let step = |x: &Array| where_(x.lt(1.0), 1.0, x * x);
    let exact = 10.0 / 3.0;
    let r = quad(step, 0.0, 2.0, &defaults()).unwrap();
    check(&r, exact, 63, 2);
    let r = quad(step, 0.0, 2.0, &defaults().points([1.0])).unwrap();
    check(&r, exact, 42, 2);
    // A kink and an interior singularity at a break point.
    let r = quad(
        |x: f64| (x - 0.3).abs(),
        0.0,
        1.0,
        &defaults().points([0.3]),
    )
    .unwrap();
    check(&r, 0.29, 42, 2);
    let exact = 2.0 * (0.3f64.sqrt() + 0.7f64.sqrt());
    let singular = |x: &Array| (x - 0.3).abs().sqrt().recip();
    let r = quad(singular, 0.0, 1.0, &defaults().points([0.3])).unwrap();
    check(&r, exact, 462, 12);
    // Points outside the open range are ignored, duplicates merged.
    let r = quad(singular, 0.0, 1.0, &defaults().points([0.3, 0.3, 0.0, 5.0])).unwrap();
    check(&r, exact, 462, 12);
}

#[test]
fn cauchy_principal_values() {
    let weight = defaults().weight(Weight::Cauchy(0.5));
    // ⨍_{-1}^{1} dx/(x - 1/2) = ln(1/3).
    let r = quad(|_: &Array| Array::scalar(1.0), -1.0, 1.0, &weight).unwrap();
    check(&r, (1.0f64 / 3.0).ln(), 25, 1);
    // ⨍ e^x/(x - 1/2): SciPy's value (to its error 2.2e-13).
    let r = quad(|x: &Array| x.exp(), -1.0, 1.0, &weight).unwrap();
    check(&r, 0.9137864317236621, 25, 1);
    let r = quad(|x: &Array| x.exp(), 1.0, -1.0, &weight).unwrap();
    assert!((r.value + 0.9137864317236621).abs() < 1e-12);
    // A pole off-centre and a wider range: bisection away from c.
    let far = defaults().weight(Weight::Cauchy(0.3));
    let r = quad(|x: f64| 1.0 / (1.0 + x * x), -1.0, 5.0, &far).unwrap();
    check(&r, -0.5916661592522802, 225, 6);
    // The pole must be inside the range.
    let outside = defaults().weight(Weight::Cauchy(1.0));
    let r = quad(|x: f64| x, -1.0, 1.0, &outside).unwrap();
    assert_eq!(r.status, QuadStatus::InvalidInput);
}

#[test]
fn failures_are_reported_not_raised() {
    // ∫_0^1 dx/x diverges: the subdivision limit is reached (as SciPy).
    let r = quad(|x: f64| 1.0 / x, 0.0, 1.0, &defaults()).unwrap();
    assert!(!r.success());
    assert_eq!(r.status.ier(), 1);
    // Impossible tolerances are invalid input.
    let r = quad(|x: f64| x, 0.0, 1.0, &defaults().epsabs(0.0).epsrel(0.0)).unwrap();
    assert_eq!(r.status, QuadStatus::InvalidInput);
    assert_eq!(r.value, 0.0);
    // Arguments that cannot mean anything are errors.
    assert!(quad(|x: f64| x, f64::NAN, 1.0, &defaults()).is_err());
    let points = defaults().points([1.0]);
    assert!(quad(|x: f64| x, 0.0, f64::INFINITY, &points).is_err());
    // An integrand that does not trace is an error, not a panic.
    let bad = |x: &Array| x.reshape([x.size(), 1]).broadcast_to([x.size(), 2]);
    assert!(quad(bad, 0.0, 1.0, &defaults()).is_err());
}

#[test]
fn array_and_plain_integrands_agree() {
    let opts = defaults().epsabs(1e-12).epsrel(1e-12);
    let a = quad(|x: &Array| (x * 3.0).sin() * x.exp(), 0.0, 2.0, &opts).unwrap();
    let b = quad(|x: f64| (3.0 * x).sin() * x.exp(), 0.0, 2.0, &opts).unwrap();
    assert!((a.value - b.value).abs() <= 1e-13, "{a} {b}");
    assert_eq!(a.neval, b.neval);
}

#[test]
fn fixed_order_gauss_legendre() {
    use ndjit::integrate::fixed_quad;
    // scipy.integrate.fixed_quad(np.cos, 0, 1, n=5)[0] agrees with sin(1) to 1e-11.
    let v = fixed_quad(|x: &Array| x.cos(), 0.0, 1.0, 5).unwrap();
    assert!((v - 1f64.sin()).abs() < 1e-11);
    let v = fixed_quad(|x: f64| x.powi(7), -1.0, 2.0, 4).unwrap();
    assert!((v - (256.0 - 1.0) / 8.0).abs() < 1e-12);
    assert!(fixed_quad(|x: f64| x, 0.0, f64::INFINITY, 5).is_err());
}

#[test]
fn multiple_integrals() {
    use ndjit::integrate::{dblquad, nquad, tplquad, Range};
    let o = defaults();
    // ∫_0^1 ∫_0^x x·y dy dx = 1/8
    let r = dblquad(|y, x| x * y, 0.0, 1.0, |_| 0.0, |x| x, &o).unwrap();
    assert!(r.success() && (r.value - 0.125).abs() < 1e-14, "{r:?}");
    // ∫∫∫_[0,1]³ x·y·z = 1/8, 21³ evaluations.
    let r = tplquad(
        |z, y, x| x * y * z,
        0.0,
        1.0,
        |_| 0.0,
        |_| 1.0,
        |_, _| 0.0,
        |_, _| 1.0,
        &o,
    )
    .unwrap();
    assert!(
        (r.value - 0.125).abs() < 1e-14 && r.neval == 21 * 21 * 21,
        "{r:?}"
    );
    // The unit ball's volume with dependent ranges: 4π/3.
    let ranges = [
        Range::Dependent(Box::new(|o: &[f64]| {
            let h = (1.0 - o[0] * o[0] - o[1] * o[1]).max(0.0).sqrt();
            (-h, h)
        })),
        Range::Dependent(Box::new(|o: &[f64]| {
            let h = (1.0 - o[0] * o[0]).max(0.0).sqrt();
            (-h, h)
        })),
        Range::Fixed(-1.0, 1.0),
    ];
    let r = nquad(|_| 1.0, &ranges, &o).unwrap();
    assert!((r.value - 4.0 * PI / 3.0).abs() < 1e-7, "{r:?}");
    // The Gaussian over the plane: π.
    let inf = f64::INFINITY;
    let r = dblquad(
        |y, x| (-x * x - y * y).exp(),
        -inf,
        inf,
        |_| -inf,
        |_| inf,
        &o,
    )
    .unwrap();
    assert!(r.success() && (r.value - PI).abs() < 1e-8, "{r:?}");
}

#[test]
fn vector_valued_integrands() {
    use ndjit::integrate::{quad_vec, Norm, QuadVecOptions, QuadVecStatus};
    let o = QuadVecOptions::default();
    // ∫_0^1 x^k dx = 1/(k+1), k = 0..5: one traced integrand, f64[k, 1] -> f64[k, 6].
    let k = Array::arange(0.0, 6.0, 1.0);
    let r = quad_vec(move |x: &Array| x.pow(&k), 0.0, 1.0, &o).unwrap();
    assert!(r.success(), "{r:?}");
    let err: f64 = r
        .value
        .iter()
        .enumerate()
        .map(|(k, v)| (v - 1.0 / (k as f64 + 1.0)).powi(2))
        .sum::<f64>()
        .sqrt();
    assert!(err <= r.abserr.max(1e-15), "{r:?}");
    // Infinite ranges: ∫_0^∞ e^{-a x} dx = 1/a; ∫ e^{-x²}·[1, x²] over ℝ = √π·[1, 1/2].
    let rates = [1.0, 2.0, 3.0];
    let r = quad_vec(
        move |x: f64| {
            rates
                .iter()
                .map(|a: &f64| (-a * x).exp())
                .collect::<Vec<f64>>()
        },
        0.0,
        f64::INFINITY,
        &o,
    )
    .unwrap();
    for (v, a) in r.value.iter().zip(rates) {
        assert!((v - 1.0 / a).abs() < 1e-8, "{r:?}");
    }
    let both = QuadVecOptions {
        norm: Norm::Max,
        ..QuadVecOptions::default()
    };
    let r = quad_vec(
        |x: f64| vec![(-x * x).exp(), x * x * (-x * x).exp()],
        f64::NEG_INFINITY,
        f64::INFINITY,
        &both,
    )
    .unwrap();
    assert!(
        (r.value[0] - PI.sqrt()).abs() < 1e-8 && (r.value[1] - PI.sqrt() / 2.0).abs() < 1e-8,
        "{r:?}"
    );
    let r = quad_vec(|x: f64| vec![(-x * x).exp()], f64::NEG_INFINITY, 0.0, &o).unwrap();
    assert!((r.value[0] - PI.sqrt() / 2.0).abs() < 1e-8, "{r:?}");
    // Reversed limits and break points.
    let r = quad_vec(
        |x: f64| vec![x.abs()],
        1.0,
        -1.0,
        &QuadVecOptions {
            points: vec![0.0],
            ..o.clone()
        },
    )
    .unwrap();
    assert!((r.value[0] + 1.0).abs() < 1e-14, "{r:?}");
    // A pole at a node: reported, not raised.
    let r = quad_vec(|x: f64| vec![1.0 / x], -1.0, 1.0, &o).unwrap();
    assert_eq!(r.status, QuadVecStatus::NonFinite);
    let tight = QuadVecOptions {
        limit: 3,
        epsrel: 1e-14,
        ..o.clone()
    };
    let r = quad_vec(|x: f64| vec![x.sqrt()], 0.0, 1.0, &tight).unwrap();
    assert_eq!(r.status, QuadVecStatus::SubdivisionLimit);
    assert!((r.value[0] - 2.0 / 3.0).abs() <= r.abserr);
}

#[test]
fn oscillatory_weights() {
    let cos = |w| defaults().weight(Weight::Cos(w));
    let sin = |w| defaults().weight(Weight::Sin(w));
    let one = |_: &Array| Array::scalar(1.0);
    // Many oscillations, smooth f: one interpolation, exact moments.
    let r = quad(one, 0.0, 1.0, &cos(100.0)).unwrap();
    check(&r, 100f64.sin() / 100.0, 25, 1);
    // ∫_0^1 e^x cos(1000x) dx = Re (e^{1+1000i} - 1)/(1 + 1000i).
    let (re, im) = {
        let (er, ei) = (
            std::f64::consts::E * 1000f64.cos() - 1.0,
            std::f64::consts::E * 1000f64.sin(),
        );
        let d = 1.0 + 1000.0 * 1000.0;
        ((er + 1000.0 * ei) / d, (ei - 1000.0 * er) / d)
    };
    let r = quad(|x: &Array| x.exp(), 0.0, 1.0, &cos(1000.0)).unwrap();
    check(&r, re, 25, 1);
    let r = quad(|x: &Array| x.exp(), 0.0, 1.0, &sin(1000.0)).unwrap();
    check(&r, im, 25, 1);
    // Few oscillations: the weighted Kronrod rule.
    let r = quad(|x: f64| x, 0.0, 1.0, &cos(3.0)).unwrap();
    check(&r, 3f64.sin() / 3.0 + 3f64.cos() / 9.0 - 1.0 / 9.0, 15, 1);
    let r = quad(|x: f64| x * x, 0.0, 1.0, &sin(1.0)).unwrap();
    check(&r, 1f64.cos() + 2.0 * 1f64.sin() - 2.0, 15, 1);
    // Endpoint singularities with oscillation (SciPy's values, to their
    // error estimates 3.6e-12 and 1.2e-8), and reversed limits. The
    // interpolation points include the ends, as in QUADPACK: the
    // integrand gives a finite value there.
    let r = quad(
        |x: &Array| where_(x.gt(0.0), x.log(), 0.0),
        0.0,
        2.0,
        &sin(10.0),
    )
    .unwrap();
    assert!(
        r.success() && (r.value + 0.31182418676332657).abs() <= r.abserr + 3.6e-12,
        "{r}"
    );
    assert!(
        r.neval <= 305 && r.last == 9,
        "SciPy: 305 evaluations, 9 intervals; {r}"
    );
    let r = quad(
        |x: &Array| where_(x.gt(0.0), x.sqrt().recip(), 0.0),
        0.0,
        1.0,
        &cos(50.0),
    )
    .unwrap();
    assert!(
        r.success() && (r.value - 0.1718067512950057).abs() <= r.abserr + 1.3e-8,
        "{r}"
    );
    assert!(
        r.neval <= 385 && r.last == 11,
        "SciPy: 385 evaluations, 11 intervals; {r}"
    );
    let r = quad(|x: f64| x.exp(), 1.0, 0.0, &sin(200.0)).unwrap();
    assert!((r.value - 0.0016808717026576903).abs() < 1e-15, "{r}");
    assert!(quad(|x: f64| x, 0.0, f64::INFINITY, &cos(1.0)).is_err());
}
