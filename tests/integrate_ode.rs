//! `solve_ivp` with the explicit methods: known solutions, observed
//! orders, events, dense output, failures, and evaluation counts against
//! SciPy 1.17's on the same problems (`benches/integrate_scipy.py`
//! prints them).

use ndjit::integrate::{solve_ivp, Event, IvpOptions, Method, OdeResult};
use ndjit::{s, stack, Array};

const METHODS: [Method; 3] = [Method::RK23, Method::RK45, Method::DOP853];

/// The solution at the last output time.
fn last(r: &OdeResult) -> Vec<f64> {
    let m = r.t.size();
    let y = r.y.to_vec::<f64>().unwrap();
    (0..r.y.shape()[0]).map(|i| y[i * m + m - 1]).collect()
}

fn scipy_nfev(method: Method, rk23: usize, rk45: usize, dop853: usize) -> usize {
    match method {
        Method::RK23 => rk23,
        Method::RK45 => rk45,
        _ => dop853,
    }
}

#[test]
fn exponential_decay() {
    for method in METHODS {
        let options = IvpOptions::default().rtol(1e-8).atol(1e-10);
        let r = solve_ivp(
            |_t: &Array, y: &Array| y * -0.5,
            (0.0, 10.0),
            &[2.0, 4.0, 8.0],
            method,
            options,
        )
        .unwrap();
        assert!(r.success, "{}", r.message);
        assert_eq!(r.status, 0);
        let y = last(&r);
        for (k, y0) in [2.0, 4.0, 8.0].iter().enumerate() {
            let exact = y0 * (-5.0f64).exp();
            assert!(
                (y[k] - exact).abs() < 1e-8 * y0,
                "{method:?}: {} vs {exact}",
                y[k]
            );
        }
        assert!(
            r.nfev <= scipy_nfev(method, 2081, 332, 134),
            "{method:?} nfev {}",
            r.nfev
        );
        assert_eq!((r.njev, r.nlu), (0, 0));
    }
}

#[test]
fn harmonic_oscillator() {
    let oscillator = |_t: &Array, y: &Array| stack(&[y.slice(s![1]), -y.slice(s![0])], 0);
    for method in METHODS {
        let options = IvpOptions::default().rtol(1e-10).atol(1e-12);
        let r = solve_ivp(oscillator, (0.0, 10.0), &[1.0, 0.0], method, options).unwrap();
        assert!(r.success);
        let y = last(&r);
        assert!((y[0] - 10f64.cos()).abs() < 1e-8, "{method:?} {y:?}");
        assert!((y[1] + 10f64.sin()).abs() < 1e-8, "{method:?} {y:?}");
        assert!(
            r.nfev <= scipy_nfev(method, 27320, 1934, 398),
            "{method:?} nfev {}",
            r.nfev
        );
    }
}

#[test]
fn logistic_growth_with_a_plain_closure() {
    let (rate, capacity, y0) = (0.8, 10.0, 0.5);
    let exact =
        |t: f64| capacity * y0 * (rate * t).exp() / (capacity + y0 * ((rate * t).exp() - 1.0));
    for method in METHODS {
        let logistic = move |_t: f64, y: &[f64]| vec![rate * y[0] * (1.0 - y[0] / capacity)];
        let options = IvpOptions::default().rtol(1e-8).atol(1e-10);
        let r = solve_ivp(logistic, (0.0, 20.0), &[y0], method, options).unwrap();
        let t = r.t.to_vec::<f64>().unwrap();
        let y = r.y.to_vec::<f64>().unwrap();
        for (t, y) in t.iter().zip(&y) {
            assert!(
                (y - exact(*t)).abs() < 1e-6,
                "{method:?} at {t}: {y} vs {}",
                exact(*t)
            );
        }
        assert!(
            r.nfev <= scipy_nfev(method, 1745, 410, 278),
            "{method:?} nfev {}",
            r.nfev
        );
    }
}

#[test]
fn observed_order_of_convergence() {
    // y' = y cos t, y = exp(sin t), with fixed steps (first = max step,
    // tolerances loose enough that no step is rejected).
    let rhs = |t: &Array, y: &Array| y * t.cos();
    for (method, order, h) in [
        (Method::RK23, 3.0, 0.02),
        (Method::RK45, 5.0, 0.1),
        (Method::DOP853, 8.0, 0.25),
    ] {
        let error = |h: f64| {
            let options = IvpOptions::default()
                .rtol(1e3)
                .atol(1e3)
                .first_step(h)
                .max_step(h);
            let r = solve_ivp(rhs, (0.0, 2.0), &[1.0], method, options).unwrap();
            assert_eq!(r.t.size(), (2.0 / h).round() as usize + 1);
            (last(&r)[0] - 2f64.sin().exp()).abs()
        };
        let observed = (error(h) / error(h / 2.0)).log2();
        assert!(
            (observed - order).abs() < 0.35,
            "{method:?}: observed order {observed}"
        );
    }
}

#[test]
fn dense_output_matches_the_steps_and_the_solution() {
    let oscillator = |_t: f64, y: &[f64]| vec![y[1], -y[0]];
    for method in METHODS {
        let options = IvpOptions::default()
            .rtol(1e-9)
            .atol(1e-12)
            .dense_output(true);
        let r = solve_ivp(oscillator, (0.0, 6.0), &[1.0, 0.0], method, options).unwrap();
        let sol = r.sol.as_ref().unwrap();
        let t = r.t.to_vec::<f64>().unwrap();
        assert_eq!(sol.ts(), &t[..]);
        let m = t.len();
        let y = r.y.to_vec::<f64>().unwrap();
        for (j, &tj) in t.iter().enumerate() {
            let at = sol.call(tj);
            assert!(
                (at[0] - y[j]).abs() < 1e-13 && (at[1] - y[m + j]).abs() < 1e-13,
                "{method:?}"
            );
        }
        for k in 0..200 {
            let s = 6.0 * f64::from(k) / 200.0;
            let at = sol.call(s);
            assert!((at[0] - s.cos()).abs() < 1e-6, "{method:?} at {s}: {at:?}");
        }
        let many = sol.call_many(&[0.5, 1.5]);
        assert_eq!(many.shape(), &[2, 2]);
    }
}

#[test]
fn t_eval_and_backward_integration() {
    let decay = |_t: &Array, y: &Array| -y;
    let times = vec![0.0, 0.5, 1.0, 2.5, 3.0];
    let options = IvpOptions::default()
        .rtol(1e-9)
        .atol(1e-12)
        .t_eval(times.clone());
    let r = solve_ivp(decay, (0.0, 3.0), &[1.0], Method::RK45, options).unwrap();
    assert_eq!(r.t.to_vec::<f64>().unwrap(), times);
    for (t, y) in times.iter().zip(r.y.to_vec::<f64>().unwrap()) {
        assert!((y - (-t).exp()).abs() < 1e-8);
    }
    // From t = 3 back to 0.
    let options = IvpOptions::default().rtol(1e-9).atol(1e-12);
    let r = solve_ivp(
        decay,
        (3.0, 0.0),
        &[(-3.0f64).exp()],
        Method::DOP853,
        options,
    )
    .unwrap();
    assert!((last(&r)[0] - 1.0).abs() < 1e-8);
    let times = r.t.to_vec::<f64>().unwrap();
    assert!(times.windows(2).all(|w| w[1] < w[0]));
}

#[test]
fn terminal_event_stops_at_the_ground() {
    // A ball dropped from 10 m: lands at t = sqrt(2·10/g).
    let g = 9.81;
    let fall = move |_t: f64, y: &[f64]| vec![y[1], -g];
    let ground = Event::new(|_t, y: &[f64]| y[0]).terminal(1).direction(-1.0);
    let options = IvpOptions::default().event(ground);
    let r = solve_ivp(fall, (0.0, 10.0), &[10.0, 0.0], Method::RK45, options).unwrap();
    let landing = (2.0 * 10.0 / g).sqrt();
    assert_eq!(r.status, 1);
    assert!(r.success);
    assert_eq!(r.message, "A termination event occurred.");
    assert_eq!(r.t_events[0].len(), 1);
    assert!(
        (r.t_events[0][0] - landing).abs() < 1e-12,
        "{:?}",
        r.t_events
    );
    assert!(r.y_events[0][0][0].abs() < 1e-10);
    let t = r.t.to_vec::<f64>().unwrap();
    assert_eq!(*t.last().unwrap(), r.t_events[0][0]);
}

#[test]
fn events_with_direction_and_terminal_count() {
    let oscillator = |_t: f64, y: &[f64]| vec![y[1], -y[0]];
    // cos t: zeros at π/2 (down), 3π/2 (up), 5π/2 (down) in [0, 10].
    let pi = std::f64::consts::PI;
    let all = Event::new(|_t, y: &[f64]| y[0]);
    let up = Event::new(|_t, y: &[f64]| y[0]).direction(1.0);
    let options = IvpOptions::default()
        .rtol(1e-10)
        .atol(1e-12)
        .event(all)
        .event(up);
    let r = solve_ivp(
        oscillator,
        (0.0, 10.0),
        &[1.0, 0.0],
        Method::DOP853,
        options,
    )
    .unwrap();
    assert_eq!(r.status, 0);
    let expected = [pi / 2.0, 1.5 * pi, 2.5 * pi];
    assert_eq!(r.t_events[0].len(), 3);
    for (t, e) in r.t_events[0].iter().zip(expected) {
        assert!((t - e).abs() < 1e-9, "{t} vs {e}");
    }
    assert_eq!(r.t_events[1].len(), 1);
    assert!((r.t_events[1][0] - 1.5 * pi).abs() < 1e-9);
    // Terminal on the second zero.
    let second = Event::new(|_t, y: &[f64]| y[0]).terminal(2);
    let options = IvpOptions::default().rtol(1e-10).atol(1e-12).event(second);
    let r = solve_ivp(oscillator, (0.0, 10.0), &[1.0, 0.0], Method::RK45, options).unwrap();
    assert_eq!(r.status, 1);
    assert_eq!(r.t_events[0].len(), 2);
    assert!((last_time(&r) - 1.5 * pi).abs() < 1e-9);
}

fn last_time(r: &OdeResult) -> f64 {
    *r.t.to_vec::<f64>().unwrap().last().unwrap()
}

/// The restricted three-body problem (Arenstorf): a periodic orbit.
pub fn arenstorf(_t: &Array, y: &Array) -> Array {
    let mu = 0.012277471;
    let nu = 1.0 - mu;
    let (x, yy, vx, vy) = (
        y.slice(s![0]),
        y.slice(s![1]),
        y.slice(s![2]),
        y.slice(s![3]),
    );
    let d1 = ((&x + mu).square() + yy.square()).pow(1.5);
    let d2 = ((&x - nu).square() + yy.square()).pow(1.5);
    let ax = &x + &vy * 2.0 - (&x + mu) * nu / &d1 - (&x - nu) * mu / &d2;
    let ay = &yy - &vx * 2.0 - &yy * nu / &d1 - &yy * mu / &d2;
    stack(&[vx, vy, ax, ay], 0)
}

const ARENSTORF_Y0: [f64; 4] = [0.994, 0.0, 0.0, -2.001_585_106_379_082_4];
const ARENSTORF_T: f64 = 17.065_216_560_157_964;

#[test]
fn arenstorf_orbit_returns_to_its_start() {
    let options = IvpOptions::default().rtol(1e-10).atol(1e-10);
    let r = solve_ivp(
        arenstorf,
        (0.0, ARENSTORF_T),
        &ARENSTORF_Y0,
        Method::DOP853,
        options,
    )
    .unwrap();
    assert!(r.success);
    let end = last(&r);
    let distance = end
        .iter()
        .zip(ARENSTORF_Y0)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    // SciPy: 1.28e-6 from the reference, with 2870 evaluations, 176 steps.
    assert!(distance < 5e-6, "{end:?}");
    assert!(r.nfev <= 2870, "nfev {}", r.nfev);
    let options = IvpOptions::default().rtol(1e-10).atol(1e-10);
    let r = solve_ivp(
        arenstorf,
        (0.0, ARENSTORF_T),
        &ARENSTORF_Y0,
        Method::RK45,
        options,
    )
    .unwrap();
    assert!(r.nfev <= 4772, "nfev {}", r.nfev);
}

#[test]
fn lotka_volterra_counts() {
    let lotka = |_t: f64, z: &[f64]| vec![1.5 * z[0] - z[0] * z[1], -3.0 * z[1] + z[0] * z[1]];
    for method in METHODS {
        let options = IvpOptions::default().rtol(1e-6).atol(1e-9);
        let r = solve_ivp(lotka, (0.0, 15.0), &[10.0, 5.0], method, options).unwrap();
        assert!(
            r.nfev <= scipy_nfev(method, 5138, 1394, 1082),
            "{method:?} nfev {}",
            r.nfev
        );
    }
}

#[test]
fn failures_are_reported_in_the_result() {
    // The right-hand side turns NaN at t = 1: the step shrinks to nothing.
    let poisoned = |t: f64, y: &[f64]| vec![if t > 1.0 { f64::NAN } else { -y[0] }];
    let r = solve_ivp(
        poisoned,
        (0.0, 2.0),
        &[1.0],
        Method::RK45,
        IvpOptions::default(),
    )
    .unwrap();
    assert!(!r.success);
    assert_eq!(r.status, -1);
    assert!(r.message.contains("NaN"), "{}", r.message);
    assert!(last_time(&r) <= 1.0 + 1e-9);
    // NaN at the start.
    let r = solve_ivp(
        |_t: f64, _y: &[f64]| vec![f64::NAN],
        (0.0, 1.0),
        &[1.0],
        Method::RK23,
        IvpOptions::default(),
    )
    .unwrap();
    assert!(!r.success);
    // The step limit.
    let options = IvpOptions::default().max_steps(5).rtol(1e-10);
    let r = solve_ivp(
        |_t: f64, y: &[f64]| vec![-y[0]],
        (0.0, 100.0),
        &[1.0],
        Method::RK45,
        options,
    )
    .unwrap();
    assert!(!r.success);
    assert!(
        r.message.contains("Maximum number of steps (5)"),
        "{}",
        r.message
    );
    // A finite-time blow-up: y' = y², y(0) = 1 explodes at t = 1.
    let r = solve_ivp(
        |_t: f64, y: &[f64]| vec![y[0] * y[0]],
        (0.0, 2.0),
        &[1.0],
        Method::RK45,
        IvpOptions::default(),
    )
    .unwrap();
    assert!(!r.success, "{}", r.message);
    // Unusable arguments are errors.
    let decay = |_t: f64, y: &[f64]| vec![-y[0]];
    assert!(solve_ivp(
        decay,
        (0.0, 1.0),
        &[1.0],
        Method::RK45,
        IvpOptions::default().t_eval(vec![2.0])
    )
    .is_err());
    assert!(solve_ivp(
        decay,
        (0.0, 1.0),
        &[1.0],
        Method::RK45,
        IvpOptions::default().atol(-1.0)
    )
    .is_err());
    assert!(solve_ivp(
        decay,
        (0.0, 1.0),
        &[1.0],
        Method::RK45,
        IvpOptions::default().atol(vec![1e-6, 1e-6])
    )
    .is_err());
    let wrong_length = |_t: f64, _y: &[f64]| vec![1.0, 2.0];
    assert!(solve_ivp(
        wrong_length,
        (0.0, 1.0),
        &[1.0],
        Method::RK45,
        IvpOptions::default()
    )
    .is_err());
    let untraceable = |_t: &Array, y: &Array| y.reshape([3]);
    assert!(solve_ivp(
        untraceable,
        (0.0, 1.0),
        &[1.0, 2.0],
        Method::RK45,
        IvpOptions::default()
    )
    .is_err());
}

#[test]
fn per_component_tolerance_and_an_empty_span() {
    let decay = |_t: f64, y: &[f64]| vec![-y[0], -2.0 * y[1]];
    let options = IvpOptions::default().atol(vec![1e-12, 1e-3]).rtol(1e-9);
    let r = solve_ivp(decay, (0.0, 1.0), &[1.0, 1.0], Method::RK45, options).unwrap();
    assert!((last(&r)[0] - (-1.0f64).exp()).abs() < 1e-8);
    let r = solve_ivp(
        decay,
        (1.0, 1.0),
        &[1.0, 1.0],
        Method::RK45,
        IvpOptions::default(),
    )
    .unwrap();
    assert!(r.success);
    assert_eq!(r.t.size(), 1);
}
