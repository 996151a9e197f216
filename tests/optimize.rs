//! `minimize` on the classic test problems, every applicable method, with
//! SciPy's iteration and evaluation counts on the same problems as the
//! ballpark (from `benches/optimize_scipy.py counts` and
//! `../shared/anchors/RESULTS.md`, SciPy 1.17.1, exact gradients).

mod optimize_problems;

use ndjit::optimize::{
    minimize, Bounds, FiniteDifference, Method, Objective, OptimizeResult, Options,
};
use ndjit::Array;
use optimize_problems::*;
use std::ops::ControlFlow;

type Problem = fn(&Array) -> Array;

fn run(f: Problem, x0: &[f64], method: Method) -> OptimizeResult {
    minimize(f, x0, method, Options::default()).expect("valid input")
}

fn max_error(x: &[f64], expected: &[f64]) -> f64 {
    x.iter()
        .zip(expected)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
}

/// One case: SciPy's success, nit and nfev, and where the minimum is.
struct Case {
    name: &'static str,
    f: Problem,
    x0: Vec<f64>,
    method: Method,
    scipy: (bool, usize, usize),
    minimum: Option<Vec<f64>>,
    tolerance: f64,
}

fn check(case: &Case) {
    let r = run(case.f, &case.x0, case.method);
    let (success, nit, nfev) = case.scipy;
    let label = format!("{} {}: {r}", case.name, case.method);
    assert_eq!(r.success, success, "{label}");
    // Not worse than SciPy by more than 20% (plus a few evaluations).
    assert!(
        r.nfev as f64 <= 1.2 * nfev as f64 + 3.0,
        "nfev {} vs SciPy {nfev}: {label}",
        r.nfev
    );
    assert!(
        r.nit as f64 <= 1.2 * nit as f64 + 3.0,
        "nit {} vs SciPy {nit}: {label}",
        r.nit
    );
    if let Some(minimum) = &case.minimum {
        let error = max_error(&r.x, minimum);
        assert!(error <= case.tolerance, "error {error}: {label}");
    }
    assert!(r.fun.is_finite(), "{label}");
}

fn case(
    name: &'static str,
    f: Problem,
    x0: Vec<f64>,
    method: Method,
    scipy: (bool, usize, usize),
) -> Case {
    Case {
        name,
        f,
        x0,
        method,
        scipy,
        minimum: None,
        tolerance: 0.0,
    }
}

impl Case {
    fn at(mut self, minimum: Vec<f64>, tolerance: f64) -> Case {
        self.minimum = Some(minimum);
        self.tolerance = tolerance;
        self
    }
}

#[test]
fn classic_problems_with_every_method() {
    use Method::*;
    let beale_x0 = || vec![1.0, 1.0];
    let powell_x0 = || vec![3.0, -1.0, 0.0, 1.0];
    let wood_x0 = || vec![-3.0, -1.0, -3.0, -1.0];
    let helix_x0 = || vec![-1.0, 0.0, 0.0];
    let cases = [
        case("beale", beale, beale_x0(), Bfgs, (true, 15, 17)).at(vec![3.0, 0.5], 1e-6),
        case("beale", beale, beale_x0(), LBfgsB, (true, 15, 16)).at(vec![3.0, 0.5], 1e-5),
        case("beale", beale, beale_x0(), Cg, (true, 17, 41)).at(vec![3.0, 0.5], 1e-4),
        case("beale", beale, beale_x0(), NewtonCg, (true, 14, 15)).at(vec![3.0, 0.5], 1e-6),
        case("beale", beale, beale_x0(), NelderMead, (true, 56, 107)).at(vec![3.0, 0.5], 1e-3),
        case("powell", powell_singular, powell_x0(), Bfgs, (true, 35, 40)).at(vec![0.0; 4], 1e-2),
        case(
            "powell",
            powell_singular,
            powell_x0(),
            LBfgsB,
            (true, 27, 30),
        )
        .at(vec![0.0; 4], 2e-2),
        case("powell", powell_singular, powell_x0(), Cg, (true, 58, 116)).at(vec![0.0; 4], 2e-2),
        case(
            "powell",
            powell_singular,
            powell_x0(),
            NewtonCg,
            (true, 22, 23),
        )
        .at(vec![0.0; 4], 1e-2),
        case(
            "powell",
            powell_singular,
            powell_x0(),
            NelderMead,
            (true, 185, 305),
        )
        .at(vec![0.0; 4], 0.1),
        case("wood", wood, wood_x0(), Bfgs, (true, 88, 106)).at(vec![1.0; 4], 1e-5),
        // SciPy's L-BFGS-B stops at f = 7.877 on Wood (the relative
        // reduction test fires on a plateau); so does this one.
        case("wood", wood, wood_x0(), LBfgsB, (true, 17, 20)),
        case("wood", wood, wood_x0(), Cg, (true, 55, 114)).at(vec![1.0; 4], 1e-4),
        // SciPy's Newton-CG does not converge on Wood within 200 n iterations.
        case("wood", wood, wood_x0(), NewtonCg, (false, 800, 810)),
        case("wood", wood, wood_x0(), NelderMead, (true, 314, 527)).at(vec![1.0; 4], 1e-3),
        case("helical", helical_valley, helix_x0(), Bfgs, (true, 30, 35))
            .at(vec![1.0, 0.0, 0.0], 1e-6),
        case(
            "helical",
            helical_valley,
            helix_x0(),
            LBfgsB,
            (true, 28, 32),
        )
        .at(vec![1.0, 0.0, 0.0], 1e-5),
        case("helical", helical_valley, helix_x0(), Cg, (true, 47, 88))
            .at(vec![1.0, 0.0, 0.0], 1e-5),
        case(
            "helical",
            helical_valley,
            helix_x0(),
            NewtonCg,
            (true, 21, 23),
        )
        .at(vec![1.0, 0.0, 0.0], 1e-5),
        // SciPy's Nelder-Mead stops as far away (f = 3.6e-4, its fatol test).
        case(
            "helical",
            helical_valley,
            helix_x0(),
            NelderMead,
            (true, 79, 142),
        )
        .at(vec![1.0, 0.0, 0.0], 0.05),
    ];
    for case in &cases {
        check(case);
    }
}

#[test]
fn rosenbrock_n_2_10_100() {
    use Method::*;
    let ones = |n| vec![1.0; n];
    // SciPy's BFGS (and ours) ends at Rosenbrock's local minimum near
    // (−1, 1, ..., 1), f ≈ 3.987, for n = 10.
    let cases = [
        case("rosen2", rosen, rosen_x0(2), Bfgs, (true, 32, 39)).at(ones(2), 1e-6),
        case("rosen2", rosen, rosen_x0(2), LBfgsB, (true, 36, 44)).at(ones(2), 1e-5),
        case("rosen2", rosen, rosen_x0(2), Cg, (true, 36, 78)).at(ones(2), 1e-5),
        case("rosen2", rosen, rosen_x0(2), NewtonCg, (true, 83, 105)).at(ones(2), 1e-4),
        case("rosen2", rosen, rosen_x0(2), NelderMead, (true, 85, 159)).at(ones(2), 1e-3),
        case("rosen10", rosen, rosen_x0(10), Bfgs, (true, 73, 83)),
        case("rosen10", rosen, rosen_x0(10), LBfgsB, (true, 71, 88)).at(ones(10), 1e-5),
        case("rosen10", rosen, rosen_x0(10), Cg, (true, 325, 539)).at(ones(10), 1e-4),
        case("rosen10", rosen, rosen_x0(10), NewtonCg, (true, 127, 133)).at(ones(10), 1e-3),
        case("rosen100", rosen, rosen_x0(100), Bfgs, (true, 546, 647)).at(ones(100), 1e-6),
        case("rosen100", rosen, rosen_x0(100), LBfgsB, (true, 513, 613)).at(ones(100), 1e-4),
        case("rosen100", rosen, rosen_x0(100), Cg, (true, 1262, 1929)).at(ones(100), 1e-4),
        // Newton-CG stops on its step-length test, short of the minimum
        // (SciPy: f = 6.4e-6, max|x − 1| = 2.1e-3).
        case("rosen100", rosen, rosen_x0(100), NewtonCg, (true, 220, 254)).at(ones(100), 0.05),
    ];
    for case in &cases {
        check(case);
    }
    let local = run(rosen, &rosen_x0(10), Bfgs);
    assert!((local.fun - 3.98658).abs() < 1e-4, "{local}");
}

#[test]
fn rosenbrock_n_1000() {
    use Method::*;
    let ones = vec![1.0; 1000];
    // SciPy: L-BFGS-B 4936 / 5800, CG 10943 / 16522; Newton-CG stops
    // early (its step test) at f = 1.45e-2 after 1601 / 1808; BFGS goes to
    // the local minimum f = 3.987 after 4844 / 6395.
    check(
        &case(
            "rosen1000",
            rosen,
            rosen_x0(1000),
            LBfgsB,
            (true, 4936, 5800),
        )
        .at(ones.clone(), 1e-4),
    );
    check(
        &case("rosen1000", rosen, rosen_x0(1000), Cg, (true, 10943, 16522)).at(ones.clone(), 1e-4),
    );
    let newton = run(rosen, &rosen_x0(1000), NewtonCg);
    assert!(
        newton.success && newton.fun < 0.1 && newton.nfev < 2200,
        "{newton}"
    );
    let bfgs = run(rosen, &rosen_x0(1000), Bfgs);
    assert!(
        bfgs.success && bfgs.nfev < 7700 && (bfgs.fun < 1e-8 || (bfgs.fun - 3.9866).abs() < 1e-3),
        "{bfgs}"
    );
}

#[test]
fn lbfgsb_with_active_and_inactive_bounds() {
    // SciPy: active bounds [-2, 0.5]: nit 27, nfev 33, f = 7.5948129489,
    // x[0] = 0.5 on its bound; inactive [-2, 2]: nit 62, nfev 76. SciPy
    // clips x0 into the bounds (with a warning); ndjit refuses an x0
    // outside them, so the clipped x0 is passed.
    let clipped: Vec<f64> = rosen_x0(10).iter().map(|v| v.min(0.5)).collect();
    let active = minimize(
        rosen,
        &clipped,
        Method::LBfgsB,
        Options::default().bounds(Bounds::uniform(10, -2.0, 0.5)),
    )
    .expect("valid");
    assert!(active.success, "{active}");
    assert!((active.fun - 7.5948129489).abs() < 1e-7, "{active}");
    assert_eq!(active.x[0], 0.5);
    assert!(active.x.iter().all(|&v| (-2.0..=0.5).contains(&v)));
    assert!(active.nfev <= 40, "{active}");
    let inactive = minimize(
        rosen,
        &rosen_x0(10),
        Method::LBfgsB,
        Options::default().bounds(Bounds::uniform(10, -2.0, 2.0)),
    )
    .expect("valid");
    assert!(
        inactive.success && max_error(&inactive.x, &[1.0; 10]) < 1e-4,
        "{inactive}"
    );
    assert!(inactive.nfev <= 92, "{inactive}");
    // A variable fixed by equal bounds stays put.
    let fixed = minimize(
        rosen,
        &[0.3, 1.0],
        Method::LBfgsB,
        Options::default().bounds(Bounds::new(vec![0.3, -5.0], vec![0.3, 5.0])),
    )
    .expect("valid");
    assert_eq!(fixed.x[0], 0.3);
    assert!((fixed.x[1] - 0.09).abs() < 1e-5, "{fixed}");
}

#[test]
fn plain_closures_with_gradient_and_finite_differences() {
    let rosen2 = |x: &[f64]| 100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2);
    let gradient = |x: &[f64], g: &mut [f64]| {
        g[0] = -400.0 * x[0] * (x[1] - x[0] * x[0]) - 2.0 * (1.0 - x[0]);
        g[1] = 200.0 * (x[1] - x[0] * x[0]);
    };
    let exact = minimize(
        Objective::new(rosen2).gradient(gradient),
        &[-1.2, 1.0],
        Method::Bfgs,
        Options::default(),
    )
    .expect("valid");
    // Same iterates as the traced objective: SciPy's 32 / 39.
    assert!(
        exact.success && exact.nit == 32 && exact.nfev == 39,
        "{exact}"
    );
    for scheme in [FiniteDifference::TwoPoint, FiniteDifference::ThreePoint] {
        let approx = minimize(
            Objective::new(rosen2),
            &[-1.2, 1.0],
            Method::LBfgsB,
            Options::default().finite_difference(scheme),
        )
        .expect("valid");
        assert!(
            max_error(&approx.x, &[1.0, 1.0]) < 1e-3,
            "{scheme:?}: {approx}"
        );
        // Each gradient costs n (or 2n) extra evaluations.
        let per_gradient = if scheme == FiniteDifference::TwoPoint {
            3
        } else {
            5
        };
        assert_eq!(approx.nfev, per_gradient * approx.njev, "{approx}");
    }
    // Newton-CG from plain closures, Hessian-vector products by
    // differences of the gradient.
    let newton = minimize(
        Objective::new(rosen2).gradient(gradient),
        &[-1.2, 1.0],
        Method::NewtonCg,
        Options::default(),
    )
    .expect("valid");
    assert!(
        newton.success && max_error(&newton.x, &[1.0, 1.0]) < 1e-3,
        "{newton}"
    );
}

#[test]
fn bad_inputs_are_errors() {
    let bounds = |l: f64, u: f64| Options::default().bounds(Bounds::uniform(2, l, u));
    let lower_above_upper =
        minimize(rosen, &[0.0, 0.0], Method::LBfgsB, bounds(1.0, -1.0)).unwrap_err();
    assert!(
        lower_above_upper.to_string().contains("lower 1 > upper -1"),
        "{lower_above_upper}"
    );
    let outside = minimize(rosen, &[3.0, 0.0], Method::LBfgsB, bounds(-1.0, 1.0)).unwrap_err();
    assert!(
        outside.to_string().contains("outside its bounds"),
        "{outside}"
    );
    let wrong_length = Options::default().bounds(Bounds::uniform(3, -1.0, 1.0));
    assert!(minimize(rosen, &[0.0, 0.0], Method::LBfgsB, wrong_length).is_err());
    assert!(minimize(rosen, &[0.0, 0.0], Method::Bfgs, bounds(-1.0, 1.0)).is_err());
    assert!(minimize(rosen, &[], Method::Bfgs, Options::default()).is_err());
    assert!(minimize(rosen, &[f64::NAN, 0.0], Method::Bfgs, Options::default()).is_err());
    let vector_valued = |x: &Array| x.square();
    let error = minimize(vector_valued, &[1.0, 2.0], Method::Bfgs, Options::default()).unwrap_err();
    assert!(error.to_string().contains("one value"), "{error}");
}

#[test]
fn nan_objectives_and_limits_end_unsuccessfully() {
    let all_methods = [
        Method::Bfgs,
        Method::LBfgsB,
        Method::Cg,
        Method::NewtonCg,
        Method::NelderMead,
    ];
    // NaN everywhere.
    for method in all_methods {
        let r = minimize(
            |x: &Array| x.sum(..) * f64::NAN,
            &[1.0, 2.0],
            method,
            Options::default(),
        )
        .expect("runs");
        assert!(!r.success, "{method}: {r}");
    }
    // NaN beyond x > 2: methods step back and still converge to 3 on the
    // left... or report failure; they never hang or panic.
    let nan_wall = |x: &Array| ndjit::where_(x.gt(2.0), f64::NAN, (x - 1.0).square()).sum(..);
    for method in all_methods {
        let r = minimize(nan_wall, &[-3.0], method, Options::default()).expect("runs");
        assert!(!r.success || (r.x[0] - 1.0).abs() < 1e-3, "{method}: {r}");
    }
    // An unbounded objective.
    let linear = |x: &Array| x.sum(..);
    for method in [Method::Bfgs, Method::LBfgsB, Method::Cg] {
        let r =
            minimize(linear, &[0.0, 0.0], method, Options::default().maxiter(50)).expect("runs");
        assert!(!r.success, "{method}: {r}");
    }
    for method in all_methods {
        let r = minimize(rosen, &rosen_x0(2), method, Options::default().maxiter(3)).expect("runs");
        assert!(!r.success && r.nit <= 3, "{method}: {r}");
        assert!(
            r.message.contains("iterations") || r.message.contains("ITERATIONS"),
            "{method}: {r}"
        );
    }
}

#[test]
fn callback_sees_every_iteration_and_can_stop() {
    for method in [
        Method::Bfgs,
        Method::LBfgsB,
        Method::Cg,
        Method::NewtonCg,
        Method::NelderMead,
    ] {
        let mut seen = Vec::new();
        let r = minimize(
            rosen,
            &rosen_x0(2),
            method,
            Options::default().callback(|iterate| {
                seen.push((iterate.nit, iterate.fun));
                if iterate.nit == 5 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            }),
        )
        .expect("runs");
        assert_eq!(r.status, 99, "{method}: {r}");
        assert!(!r.success);
        assert_eq!(seen.last().map(|s| s.0), Some(5), "{method}");
        assert!(seen.iter().all(|s| s.1.is_finite()));
    }
}

#[test]
fn result_prints_like_scipy() {
    let r = run(rosen, &rosen_x0(2), Method::Bfgs);
    let text = r.to_string();
    assert!(
        text.starts_with(
            "  message: Optimization terminated successfully.\n  success: True\n   status: 0\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("        x: [ 1.000e+00  1.000e+00]"),
        "{text}"
    );
    assert!(text.contains("      nit: 32\n"), "{text}");
    assert!(text.contains("     nfev: 39\n     njev: 39"), "{text}");
    let lbfgsb = run(rosen, &rosen_x0(2), Method::LBfgsB);
    assert!(
        lbfgsb
            .to_string()
            .contains("hess_inv: <2x2 LbfgsInvHessProduct with dtype=float64>"),
        "{lbfgsb}"
    );
}

#[test]
fn disp_prints_progress_without_changing_the_run() {
    for method in [Method::Bfgs, Method::LBfgsB, Method::NelderMead] {
        let quiet = run(rosen, &rosen_x0(2), method);
        let loud =
            minimize(rosen, &rosen_x0(2), method, Options::default().disp(true)).expect("runs");
        assert_eq!(quiet, loud, "{method}");
    }
}
