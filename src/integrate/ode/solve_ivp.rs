//! `solve_ivp`: SciPy's initial value problem driver (steps, `t_eval`,
//! dense output, events), over the explicit Runge–Kutta methods.

use super::events::{active_events, locate, Event};
use super::rhs::IntoRhs;
use super::runge_kutta::{RungeKutta, Tableau, TOO_SMALL_STEP};
use super::solution::{Interpolant, OdeSolution};
use super::tableaus;
use crate::error::{Error, Result};
use crate::Array;

/// The integration method (SciPy's `method`). Explicit Runge–Kutta
/// methods for non-stiff problems; the enum is open to the implicit
/// ones (Radau, BDF, LSODA) later.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// Bogacki–Shampine 3(2), cubic Hermite dense output.
    RK23,
    /// Dormand–Prince 5(4), quartic dense output (SciPy's default).
    #[default]
    RK45,
    /// Hairer's DOP853: order 8, 5th- and 3rd-order error estimates,
    /// 7th-order dense output.
    DOP853,
}

impl Method {
    fn tableau(self) -> &'static Tableau {
        match self {
            Method::RK23 => &tableaus::RK23,
            Method::RK45 => &tableaus::RK45,
            Method::DOP853 => &tableaus::DOP853,
        }
    }
}

/// Absolute tolerance: one for all components, or one each.
#[derive(Clone, Debug, PartialEq)]
pub enum Tolerance {
    /// The same for every component.
    Scalar(f64),
    /// One per component.
    PerComponent(Vec<f64>),
}

impl From<f64> for Tolerance {
    fn from(atol: f64) -> Self {
        Tolerance::Scalar(atol)
    }
}

impl From<Vec<f64>> for Tolerance {
    fn from(atol: Vec<f64>) -> Self {
        Tolerance::PerComponent(atol)
    }
}

/// Options of [`solve_ivp`], with SciPy's defaults.
pub struct IvpOptions {
    /// Relative tolerance (default 1e-3; raised to 100·eps if below).
    pub rtol: f64,
    /// Absolute tolerance (default 1e-6).
    pub atol: Tolerance,
    /// The first step size (default: chosen by the solver).
    pub first_step: Option<f64>,
    /// The largest step size (default: unbounded).
    pub max_step: f64,
    /// Times at which to store the solution (default: every step).
    pub t_eval: Option<Vec<f64>>,
    /// Whether to return the continuous solution.
    pub dense_output: bool,
    /// Events to locate.
    pub events: Vec<Event>,
    /// Stop with `success = false` after this many steps (default: no
    /// limit, as SciPy).
    pub max_steps: Option<usize>,
}

impl Default for IvpOptions {
    fn default() -> Self {
        IvpOptions {
            rtol: 1e-3,
            atol: Tolerance::Scalar(1e-6),
            first_step: None,
            max_step: f64::INFINITY,
            t_eval: None,
            dense_output: false,
            events: Vec::new(),
            max_steps: None,
        }
    }
}

impl IvpOptions {
    /// Sets the relative tolerance.
    pub fn rtol(mut self, rtol: f64) -> Self {
        self.rtol = rtol;
        self
    }

    /// Sets the absolute tolerance (a scalar or one per component).
    pub fn atol(mut self, atol: impl Into<Tolerance>) -> Self {
        self.atol = atol.into();
        self
    }

    /// Sets the first step.
    pub fn first_step(mut self, h: f64) -> Self {
        self.first_step = Some(h);
        self
    }

    /// Sets the largest step.
    pub fn max_step(mut self, h: f64) -> Self {
        self.max_step = h;
        self
    }

    /// Sets the output times.
    pub fn t_eval(mut self, t: impl Into<Vec<f64>>) -> Self {
        self.t_eval = Some(t.into());
        self
    }

    /// Requests the continuous solution.
    pub fn dense_output(mut self, dense: bool) -> Self {
        self.dense_output = dense;
        self
    }

    /// Adds an event.
    pub fn event(mut self, event: Event) -> Self {
        self.events.push(event);
        self
    }

    /// Sets the step limit.
    pub fn max_steps(mut self, steps: usize) -> Self {
        self.max_steps = Some(steps);
        self
    }
}

/// The result of [`solve_ivp`], with SciPy's fields.
#[derive(Clone, Debug)]
pub struct OdeResult {
    /// Time points, `f64[m]`.
    pub t: Array,
    /// The solution at `t`, `f64[n, m]`.
    pub y: Array,
    /// The continuous solution, when `dense_output` was asked for.
    pub sol: Option<OdeSolution>,
    /// For each event, the times it occurred.
    pub t_events: Vec<Vec<f64>>,
    /// For each event, the solution at each occurrence.
    pub y_events: Vec<Vec<Vec<f64>>>,
    /// Evaluations of the right-hand side.
    pub nfev: usize,
    /// Evaluations of the Jacobian (0 for explicit methods).
    pub njev: usize,
    /// LU decompositions (0 for explicit methods).
    pub nlu: usize,
    /// -1: the integration failed; 0: it reached the end of `t_span`;
    /// 1: a terminal event occurred.
    pub status: i32,
    /// Why the integration stopped.
    pub message: String,
    /// `status >= 0`.
    pub success: bool,
}

/// Checks the tolerances as SciPy's `validate_tol`.
fn tolerances(rtol: f64, atol: &Tolerance, n: usize) -> Result<(f64, Vec<f64>)> {
    let rtol = if rtol.is_nan() {
        rtol
    } else {
        rtol.max(100.0 * f64::EPSILON)
    };
    if rtol.is_nan() || rtol <= 0.0 {
        return Err(Error::invalid(
            "solve_ivp",
            format!("rtol must be positive, got {rtol}"),
        ));
    }
    let atol = match atol {
        Tolerance::Scalar(a) => vec![*a; n],
        Tolerance::PerComponent(a) if a.len() == n => a.clone(),
        Tolerance::PerComponent(a) => {
            return Err(Error::invalid(
                "solve_ivp",
                format!("atol has {} components, the state has {n}", a.len()),
            ))
        }
    };
    if atol.iter().any(|a| a.is_nan() || *a < 0.0) {
        return Err(Error::invalid("solve_ivp", "atol must be non-negative"));
    }
    Ok((rtol, atol))
}

/// Solves `dy/dt = f(t, y)`, `y(t0) = y0` over `t_span = (t0, tf)`
/// (`scipy.integrate.solve_ivp`).
///
/// `fun` is either an array closure `|t: &Array, y: &Array| -> Array`
/// (`t` 0-d, `y` of shape `[n]`), traced once and compiled, or a plain
/// `|t: f64, y: &[f64]| -> Vec<f64>`. Failures of the integration (step
/// size underflow, a right-hand side that keeps returning NaN, the step
/// limit) come back as `success = false` with a message; an `Err` means
/// the arguments are unusable (tolerances, `t_eval` outside the span, a
/// closure that does not trace or returns the wrong length).
///
/// ```
/// use ndjit::integrate::{solve_ivp, IvpOptions, Method};
/// use ndjit::Array;
/// // y' = -y/2, y(0) = [2, 4, 8]
/// let decay = |_t: &Array, y: &Array| y * -0.5;
/// let options = IvpOptions::default().rtol(1e-8).atol(1e-10);
/// let r = solve_ivp(decay, (0.0, 10.0), &[2.0, 4.0, 8.0], Method::RK45, options)?;
/// assert!(r.success);
/// let last = r.y.to_vec::<f64>()?[r.t.size() - 1];   // y[0] at t = 10
/// assert!((last - 2.0 * (-5.0f64).exp()).abs() < 1e-7);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn solve_ivp<'f, M>(
    fun: impl IntoRhs<'f, M>,
    t_span: (f64, f64),
    y0: &[f64],
    method: Method,
    options: IvpOptions,
) -> Result<OdeResult> {
    let (t0, tf) = t_span;
    let n = y0.len();
    if !t0.is_finite() || !tf.is_finite() {
        return Err(Error::invalid(
            "solve_ivp",
            format!("t_span must be finite, got ({t0}, {tf})"),
        ));
    }
    let (rtol, atol) = tolerances(options.rtol, &options.atol, n)?;
    if options.max_step.is_nan() || options.max_step <= 0.0 {
        return Err(Error::invalid("solve_ivp", "max_step must be positive"));
    }
    if let Some(h) = options.first_step {
        if h.is_nan() || h <= 0.0 || h > (tf - t0).abs() {
            return Err(Error::invalid(
                "solve_ivp",
                format!("first_step must be positive and within t_span, got {h}"),
            ));
        }
    }
    let forward = tf >= t0;
    let t_eval = match &options.t_eval {
        None => None,
        Some(te) => {
            let (lo, hi) = if forward { (t0, tf) } else { (tf, t0) };
            if te.iter().any(|&t| !(lo <= t && t <= hi)) {
                return Err(Error::invalid(
                    "solve_ivp",
                    "values in t_eval are not within t_span",
                ));
            }
            let sorted = te
                .windows(2)
                .all(|w| if forward { w[0] < w[1] } else { w[0] > w[1] });
            if !sorted {
                return Err(Error::invalid(
                    "solve_ivp",
                    "t_eval must be strictly monotonic in the direction of t_span",
                ));
            }
            Some(te.clone())
        }
    };
    let mut rhs = fun.into_rhs(n)?;
    let failure_at_start = |rhs_calls: usize, message: String| OdeResult {
        t: Array::from_vec(vec![t0], [1]),
        y: Array::from_vec(y0.to_vec(), [n, 1]),
        sol: None,
        t_events: options.events.iter().map(|_| Vec::new()).collect(),
        y_events: options.events.iter().map(|_| Vec::new()).collect(),
        nfev: rhs_calls,
        njev: 0,
        nlu: 0,
        status: -1,
        message,
        success: false,
    };
    let mut solver = RungeKutta::new(
        &mut rhs,
        method.tableau(),
        t0,
        y0,
        tf,
        rtol,
        atol,
        options.max_step,
        options.first_step,
    )?;
    if solver.derivative().iter().any(|v| !v.is_finite()) {
        return Ok(failure_at_start(
            rhs.calls,
            format!("The right-hand side is not finite at the initial point t = {t0}."),
        ));
    }

    let events = &options.events;
    let mut g: Vec<f64> = events.iter().map(|e| e.value(t0, y0)).collect();
    let mut event_count = vec![0usize; events.len()];
    let mut t_events: Vec<Vec<f64>> = events.iter().map(|_| Vec::new()).collect();
    let mut y_events: Vec<Vec<Vec<f64>>> = events.iter().map(|_| Vec::new()).collect();

    let mut ts: Vec<f64> = Vec::new();
    let mut ys: Vec<Vec<f64>> = Vec::new();
    if t_eval.is_none() {
        ts.push(t0);
        ys.push(y0.to_vec());
    }
    let mut t_eval_next = 0;
    let mut interpolants: Vec<Interpolant> = Vec::new();
    let mut dense_ts = vec![t0];
    let mut steps = 0usize;
    let (status, message) = 'steps: loop {
        if n == 0 || solver.t == tf {
            break (0, None);
        }
        if let Some(limit) = options.max_steps {
            if steps >= limit {
                break (
                    -1,
                    Some(format!(
                        "Maximum number of steps ({limit}) reached before t = {tf}."
                    )),
                );
            }
        }
        steps += 1;
        if let Err(message) = solver.step(&mut rhs)? {
            let message = if solver.non_finite {
                format!(
                    "{TOO_SMALL_STEP} The right-hand side returned NaN or infinity near t = {}.",
                    solver.t
                )
            } else {
                message
            };
            break (-1, Some(message));
        }
        let finished = solver.direction * (solver.t - tf) >= 0.0;
        let (t_old, mut t, mut y) = (solver.t_old, solver.t, solver.y.clone());
        let mut sol: Option<Interpolant> = None;
        if options.dense_output {
            let step = solver.interpolant(&mut rhs)?;
            interpolants.push(step.clone());
            sol = Some(step);
        }
        let mut terminated = false;
        if !events.is_empty() {
            let g_new: Vec<f64> = events.iter().map(|e| e.value(t, &y)).collect();
            if let Some(k) = g_new.iter().position(|v| v.is_nan()) {
                break (
                    -1,
                    Some(format!("Event function {k} returned NaN at t = {t}.")),
                );
            }
            let active = active_events(events, &g, &g_new);
            if !active.is_empty() {
                let step = match &sol {
                    Some(step) => step.clone(),
                    None => {
                        let step = solver.interpolant(&mut rhs)?;
                        sol = Some(step.clone());
                        step
                    }
                };
                let mut roots = Vec::with_capacity(active.len());
                for &k in &active {
                    event_count[k] += 1;
                    match locate(&events[k], &step, n, t_old, t) {
                        Some(root) => roots.push((k, root)),
                        None => {
                            let message = format!(
                                "Event function {k} is not finite between t = {t_old} and {t}."
                            );
                            break 'steps (-1, Some(message));
                        }
                    }
                }
                // A terminal count reached: keep the events up to the first
                // one that terminates, in the direction of integration.
                let terminal_hit =
                    |k: usize| events[k].terminal.is_some_and(|c| event_count[k] >= c);
                if active.iter().any(|&k| terminal_hit(k)) {
                    roots.sort_by(|a, b| {
                        let order = a.1.total_cmp(&b.1);
                        if solver.direction > 0.0 {
                            order
                        } else {
                            order.reverse()
                        }
                    });
                    let stop = roots
                        .iter()
                        .position(|&(k, _)| terminal_hit(k))
                        .unwrap_or(0);
                    roots.truncate(stop + 1);
                    terminated = true;
                }
                let mut y_root = vec![0.0; n];
                for &(k, root) in &roots {
                    step.eval(root, &mut y_root);
                    t_events[k].push(root);
                    y_events[k].push(y_root.clone());
                }
                if terminated {
                    t = roots.last().map_or(t, |r| r.1);
                    step.eval(t, &mut y);
                }
            }
            g = g_new;
        }
        match &t_eval {
            None => {
                ts.push(t);
                ys.push(y.clone());
            }
            Some(te) => {
                // Output times up to and including t.
                let end = t_eval_next
                    + te[t_eval_next..]
                        .iter()
                        .take_while(|&&s| if forward { s <= t } else { s >= t })
                        .count();
                if end > t_eval_next {
                    let step = match &sol {
                        Some(step) => step.clone(),
                        None => solver.interpolant(&mut rhs)?,
                    };
                    let mut out = vec![0.0; n];
                    for &s in &te[t_eval_next..end] {
                        step.eval(s, &mut out);
                        ts.push(s);
                        ys.push(out.clone());
                    }
                    t_eval_next = end;
                }
            }
        }
        if options.dense_output {
            dense_ts.push(t);
        }
        if terminated {
            break (1, None);
        }
        if finished {
            break (0, None);
        }
    };
    let message = message.unwrap_or_else(|| match status {
        1 => "A termination event occurred.".to_string(),
        _ => "The solver successfully reached the end of the integration interval.".to_string(),
    });
    let sol = options
        .dense_output
        .then(|| OdeSolution::new(dense_ts, interpolants, n));
    Ok(finish(
        &ts, &ys, n, sol, t_events, y_events, rhs.calls, status, message,
    ))
}

/// Assembles the result from the stored points.
#[allow(clippy::too_many_arguments)]
fn finish(
    ts: &[f64],
    ys: &[Vec<f64>],
    n: usize,
    sol: Option<OdeSolution>,
    t_events: Vec<Vec<f64>>,
    y_events: Vec<Vec<Vec<f64>>>,
    nfev: usize,
    status: i32,
    message: String,
) -> OdeResult {
    let m = ts.len();
    let mut y = vec![0.0; n * m];
    for (j, column) in ys.iter().enumerate() {
        for (i, &v) in column.iter().enumerate() {
            y[i * m + j] = v;
        }
    }
    OdeResult {
        t: Array::from_vec(ts.to_vec(), [m]),
        y: Array::from_vec(y, [n, m]),
        sol,
        t_events,
        y_events,
        nfev,
        njev: 0,
        nlu: 0,
        status,
        message,
        success: status >= 0,
    }
}
