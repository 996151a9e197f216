//! The Moré–Thuente line search (MINPACK-2's `dcsrch`/`dcstep`): finds a
//! step satisfying the strong Wolfe conditions with safeguarded cubic and
//! quadratic interpolation, in few evaluations.

/// Parameters of one search.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Wolfe {
    /// Sufficient decrease: f(t) ≤ f(0) + c1 t f'(0).
    pub c1: f64,
    /// Curvature: |f'(t)| ≤ c2 |f'(0)|.
    pub c2: f64,
    /// Relative width of the bracket below which the search stops.
    pub xtol: f64,
    pub step_min: f64,
    pub step_max: f64,
    /// Evaluations allowed.
    pub max_evaluations: usize,
}

/// How a search ended. In every case the last point evaluated is the
/// returned step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Outcome {
    /// The strong Wolfe conditions hold.
    Converged,
    /// Stopped on a tolerance (rounding errors, bracket narrower than
    /// xtol, a step bound); sufficient decrease may still hold.
    Warning,
    /// The evaluation budget ran out, or f'(0) ≥ 0.
    Failed,
}

/// The result: the step, f there, the outcome.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Step {
    pub step: f64,
    pub value: f64,
    pub outcome: Outcome,
}

impl Step {
    /// Whether the step decreases f enough to be taken.
    pub fn sufficient(&self, value0: f64, slope0: f64, c1: f64) -> bool {
        self.outcome == Outcome::Converged
            || (self.value.is_finite() && self.value <= value0 + c1 * self.step * slope0)
    }
}

/// Searches along a direction: `phi(t)` evaluates the objective at x + t d
/// and returns (f, f'), the directional derivative. `value0`, `slope0` are
/// f(0) and f'(0) < 0; `step` the first trial.
pub(crate) fn search<E>(
    mut phi: impl FnMut(f64) -> Result<(f64, f64), E>,
    value0: f64,
    slope0: f64,
    mut step: f64,
    p: &Wolfe,
) -> Result<Step, E> {
    const XTRAPL: f64 = 1.1;
    const XTRAPU: f64 = 4.0;
    let fail = |step, value| Step {
        step,
        value,
        outcome: Outcome::Failed,
    };
    // Written to be true for NaN too.
    if slope0.is_nan() || slope0 >= 0.0 || step.is_nan() || step <= 0.0 || p.max_evaluations == 0 {
        return Ok(fail(0.0, value0));
    }
    let mut step_max = p.step_max;
    step = step.clamp(p.step_min, step_max);
    let mut bracketed = false;
    let mut stage_one = true;
    let test = p.c1 * slope0;
    let mut width = step_max - p.step_min;
    let mut width_before = 2.0 * width;
    let (mut stx, mut fx, mut gx) = (0.0, value0, slope0);
    let (mut sty, mut fy, mut gy) = (0.0, value0, slope0);
    let mut stmin = 0.0;
    let mut stmax = step + XTRAPU * step;
    for evaluation in 1..=p.max_evaluations {
        let (f, g) = phi(step)?;
        let evaluated = step;
        let done = |outcome| Step {
            step: evaluated,
            value: f,
            outcome,
        };
        if !f.is_finite() || !g.is_finite() {
            // An overflow or NaN: no interpolation through it; retreat
            // toward the best step, and never come back this far.
            if evaluation == p.max_evaluations {
                return Ok(done(Outcome::Failed));
            }
            step_max = step;
            step = stx + 0.5 * (step - stx);
            if step <= p.step_min || step - stx <= f64::EPSILON * step.abs() {
                return Ok(done(Outcome::Failed));
            }
            continue;
        }
        let ftest = value0 + step * test;
        if stage_one && f <= ftest && g >= 0.0 {
            stage_one = false;
        }
        if bracketed && (step <= stmin || step >= stmax) {
            return Ok(done(Outcome::Warning));
        }
        if bracketed && stmax - stmin <= p.xtol * stmax {
            return Ok(done(Outcome::Warning));
        }
        if step == step_max && f <= ftest && g <= test {
            return Ok(done(Outcome::Warning));
        }
        if step == p.step_min && (f > ftest || g >= test) {
            return Ok(done(Outcome::Warning));
        }
        if f <= ftest && g.abs() <= p.c2 * (-slope0) {
            return Ok(done(Outcome::Converged));
        }
        if evaluation == p.max_evaluations {
            return Ok(done(Outcome::Failed));
        }
        let mut interval = Interval {
            stx,
            fx,
            dx: gx,
            sty,
            fy,
            dy: gy,
            bracketed,
        };
        if stage_one && f <= fx && f > ftest {
            // Work on the modified function f(t) − f(0) − c1 t f'(0),
            // whose minimizers satisfy sufficient decrease.
            interval.fx -= stx * test;
            interval.fy -= sty * test;
            interval.dx -= test;
            interval.dy -= test;
            step = interval.step(step, f - step * test, g - test, stmin, stmax);
            interval.fx += interval.stx * test;
            interval.fy += interval.sty * test;
            interval.dx += test;
            interval.dy += test;
        } else {
            step = interval.step(step, f, g, stmin, stmax);
        }
        Interval {
            stx,
            fx,
            dx: gx,
            sty,
            fy,
            dy: gy,
            bracketed,
        } = interval;
        if bracketed {
            if (sty - stx).abs() >= 0.66 * width_before {
                step = stx + 0.5 * (sty - stx);
            }
            width_before = width;
            width = (sty - stx).abs();
            stmin = stx.min(sty);
            stmax = stx.max(sty);
        } else {
            stmin = step + XTRAPL * (step - stx);
            stmax = step + XTRAPU * (step - stx);
        }
        step = step.clamp(p.step_min, step_max);
        if bracketed && (step <= stmin || step >= stmax || stmax - stmin <= p.xtol * stmax) {
            step = stx;
        }
    }
    unreachable!("the loop returns on its last evaluation")
}

/// The interval of uncertainty: the best step (x) and the other end (y),
/// with their values and derivatives.
struct Interval {
    stx: f64,
    fx: f64,
    dx: f64,
    sty: f64,
    fy: f64,
    dy: f64,
    bracketed: bool,
}

impl Interval {
    /// `dcstep`: the next trial step from the trial (stp, fp, dp), and the
    /// interval updated around it.
    fn step(&mut self, stp: f64, fp: f64, dp: f64, stpmin: f64, stpmax: f64) -> f64 {
        let (stx, fx, dx) = (self.stx, self.fx, self.dx);
        let sgnd = dp * dx.signum();
        let cubic_gamma = |theta: f64, s: f64, da: f64, db: f64, clamp: bool| {
            let radicand = (theta / s).powi(2) - (da / s) * (db / s);
            s * if clamp { radicand.max(0.0) } else { radicand }.sqrt()
        };
        let next = if fp > fx {
            // Case 1: higher value; the minimum is bracketed.
            let theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
            let s = theta.abs().max(dx.abs()).max(dp.abs());
            let mut gamma = cubic_gamma(theta, s, dx, dp, false);
            if stp < stx {
                gamma = -gamma;
            }
            let p = (gamma - dx) + theta;
            let q = ((gamma - dx) + gamma) + dp;
            let stpc = stx + (p / q) * (stp - stx);
            let stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2.0) * (stp - stx);
            self.bracketed = true;
            if (stpc - stx).abs() < (stpq - stx).abs() {
                stpc
            } else {
                stpc + (stpq - stpc) / 2.0
            }
        } else if sgnd < 0.0 {
            // Case 2: derivatives of opposite sign; bracketed.
            let theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
            let s = theta.abs().max(dx.abs()).max(dp.abs());
            let mut gamma = cubic_gamma(theta, s, dx, dp, false);
            if stp > stx {
                gamma = -gamma;
            }
            let p = (gamma - dp) + theta;
            let q = ((gamma - dp) + gamma) + dx;
            let stpc = stp + (p / q) * (stx - stp);
            let stpq = stp + (dp / (dp - dx)) * (stx - stp);
            self.bracketed = true;
            if (stpc - stp).abs() > (stpq - stp).abs() {
                stpc
            } else {
                stpq
            }
        } else if dp.abs() < dx.abs() {
            // Case 3: lower value, same sign, smaller derivative.
            let theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp;
            let s = theta.abs().max(dx.abs()).max(dp.abs());
            let mut gamma = cubic_gamma(theta, s, dx, dp, true);
            if stp > stx {
                gamma = -gamma;
            }
            let p = (gamma - dp) + theta;
            let q = (gamma + (dx - dp)) + gamma;
            let r = p / q;
            let stpc = if r < 0.0 && gamma != 0.0 {
                stp + r * (stx - stp)
            } else if stp > stx {
                stpmax
            } else {
                stpmin
            };
            let stpq = stp + (dp / (dp - dx)) * (stx - stp);
            if self.bracketed {
                let chosen = if (stpc - stp).abs() < (stpq - stp).abs() {
                    stpc
                } else {
                    stpq
                };
                let limit = stp + 0.66 * (self.sty - stp);
                if stp > stx {
                    chosen.min(limit)
                } else {
                    chosen.max(limit)
                }
            } else {
                let chosen = if (stpc - stp).abs() > (stpq - stp).abs() {
                    stpc
                } else {
                    stpq
                };
                chosen.clamp(stpmin, stpmax)
            }
        } else if self.bracketed {
            // Case 4: lower value, same sign, larger derivative.
            let (sty, fy, dy) = (self.sty, self.fy, self.dy);
            let theta = 3.0 * (fp - fy) / (sty - stp) + dy + dp;
            let s = theta.abs().max(dy.abs()).max(dp.abs());
            let mut gamma = cubic_gamma(theta, s, dy, dp, false);
            if stp > sty {
                gamma = -gamma;
            }
            let p = (gamma - dp) + theta;
            let q = ((gamma - dp) + gamma) + dy;
            stp + (p / q) * (sty - stp)
        } else if stp > stx {
            stpmax
        } else {
            stpmin
        };
        if fp > fx {
            self.sty = stp;
            self.fy = fp;
            self.dy = dp;
        } else {
            if sgnd < 0.0 {
                self.sty = stx;
                self.fy = fx;
                self.dy = dx;
            }
            self.stx = stp;
            self.fx = fp;
            self.dx = dp;
        }
        next
    }
}

/// Searches from `x` along `direction`: each trial point x + t d is
/// written into `trial_x` with its gradient in `trial_g`, so after the
/// search they hold the returned step's point and gradient.
#[allow(clippy::too_many_arguments)]
pub(crate) fn search_along(
    objective: &mut super::Objective<'_>,
    x: &[f64],
    direction: &[f64],
    value0: f64,
    slope0: f64,
    first_step: f64,
    wolfe: &Wolfe,
    trial_x: &mut [f64],
    trial_g: &mut [f64],
) -> crate::Result<Step> {
    search(
        |t| {
            for ((xt, xi), di) in trial_x.iter_mut().zip(x).zip(direction) {
                *xt = xi + t * di;
            }
            let value = objective.value_and_grad(trial_x, trial_g)?;
            Ok((value, crate::linalg::dense::dot(trial_g, direction)))
        },
        value0,
        slope0,
        first_step,
        wolfe,
    )
}

/// SciPy's first trial step for BFGS, CG and Newton-CG (`line_search_wolfe1`):
/// the step that would repeat the last decrease, at most 1.
pub(crate) fn first_step(value: f64, previous_value: Option<f64>, slope: f64) -> f64 {
    match previous_value {
        Some(previous) if slope != 0.0 => {
            let step = (1.01 * 2.0 * (value - previous) / slope).min(1.0);
            if step < 0.0 || step.is_nan() {
                1.0
            } else {
                step
            }
        }
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wolfe(c2: f64) -> Wolfe {
        Wolfe {
            c1: 1e-3,
            c2,
            xtol: 0.1,
            step_min: 0.0,
            step_max: 1e10,
            max_evaluations: 30,
        }
    }

    /// Moré and Thuente's first test function, φ(t) = −t / (t² + β),
    /// β = 2, from several starting steps: the strong Wolfe point is found.
    #[test]
    fn more_thuente_test_function_one() {
        let phi = |t: f64| -> Result<(f64, f64), ()> {
            let beta = 2.0;
            Ok((-t / (t * t + beta), (t * t - beta) / (t * t + beta).powi(2)))
        };
        let (f0, g0) = phi(0.0).expect("finite");
        for start in [1e-3, 1e-1, 1e1, 1e3] {
            let mut calls = 0;
            let step = search(
                |t| {
                    calls += 1;
                    phi(t)
                },
                f0,
                g0,
                start,
                &wolfe(0.1),
            )
            .expect("no error");
            assert_eq!(step.outcome, Outcome::Converged, "start {start}");
            assert!(step.value <= f0 + 1e-3 * step.step * g0);
            assert!(calls <= 12, "start {start}: {calls} evaluations");
        }
    }

    #[test]
    fn nan_retreats_instead_of_looping() {
        // f is NaN beyond t = 1 and a parabola with its minimum at 0.8 below.
        let phi = |t: f64| -> Result<(f64, f64), ()> {
            if t > 1.0 {
                Ok((f64::NAN, f64::NAN))
            } else {
                Ok(((t - 0.8).powi(2), 2.0 * (t - 0.8)))
            }
        };
        let step = search(phi, 0.64, -1.6, 10.0, &wolfe(0.9)).expect("no error");
        assert!(step.value.is_finite() && step.value < 0.64, "{step:?}");
        let always_nan = |_: f64| -> Result<(f64, f64), ()> { Ok((f64::NAN, f64::NAN)) };
        let step = search(always_nan, 1.0, -1.0, 1.0, &wolfe(0.9)).expect("no error");
        assert_eq!(step.outcome, Outcome::Failed);
    }

    #[test]
    fn ascent_direction_fails_at_once() {
        let step =
            search(|_| Ok::<_, ()>((0.0, 0.0)), 0.0, 1.0, 1.0, &wolfe(0.9)).expect("no error");
        assert_eq!(step.outcome, Outcome::Failed);
    }
}
