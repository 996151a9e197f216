//! L-BFGS-B (Byrd, Lu, Nocedal and Zhu 1995; Zhu et al. 1997; Morales and
//! Nocedal 2011): limited-memory BFGS on a box. Each iteration finds the
//! generalized Cauchy point of the quadratic model, minimizes the model
//! over the variables still free there, and runs a Moré–Thuente line
//! search toward that point. SciPy's defaults, stopping tests and
//! messages.

mod cauchy;
mod memory;
mod subspace;

use super::line_search::{search, Outcome, Wolfe};
use super::minimize::{Finish, Run};
use super::result::HessInv;
use crate::error::Result;
use crate::linalg::dense::{dot, norm2};
use cauchy::cauchy_point;
use memory::Memory;
use subspace::subspace_minimum;

/// Minimizes with L-BFGS-B from `run.x`.
pub(crate) fn lbfgsb(run: &mut Run<'_, '_>) -> Result<Finish> {
    let n = run.x.len();
    let pgtol = run.options.gtol.unwrap_or(1e-5);
    let ftol = run.options.ftol.unwrap_or(1e7 * f64::EPSILON);
    let maxiter = run.options.maxiter.unwrap_or(15000);
    let maxfun = run.options.maxfun.unwrap_or(15000);
    let maxls = run.options.maxls.unwrap_or(20);
    let (lower, upper) = match &run.options.bounds {
        Some(b) => (b.lower.clone(), b.upper.clone()),
        None => (vec![f64::NEG_INFINITY; n], vec![f64::INFINITY; n]),
    };
    let constrained = lower.iter().chain(&upper).any(|b| b.is_finite());
    let boxed = lower.iter().chain(&upper).all(|b| b.is_finite());
    let mut memory = Memory::new(run.options.maxcor.unwrap_or(10).max(1));
    let mut x = run.x.clone();
    let mut g = vec![0.0; n];
    let mut f = run.objective.value_and_grad(&x, &mut g)?;
    let (mut trial_x, mut trial_g) = (vec![0.0; n], vec![0.0; n]);
    let (mut s, mut y) = (vec![0.0; n], vec![0.0; n]);
    let mut nit = 0;
    let status = if projected_gradient_norm(&x, &g, &lower, &upper) <= pgtol {
        Finish::ConvergedWith(PGTOL_MESSAGE)
    } else if !f.is_finite() {
        Finish::Other(2, "ABNORMAL: the objective is not finite at x0".to_string())
    } else {
        loop {
            let z = if !constrained && memory.len() > 0 {
                // No bounds: the Cauchy point is skipped (L-BFGS-B does
                // too), and the subspace step is the full quasi-Newton step.
                let cauchy = cauchy::CauchyPoint {
                    xcp: x.clone(),
                    c: vec![0.0; 2 * memory.len()],
                    free: vec![true; n],
                };
                subspace_minimum(&x, &g, &lower, &upper, &mut memory, cauchy)?
            } else {
                let cauchy = cauchy_point(&x, &g, &lower, &upper, &memory)?;
                subspace_minimum(&x, &g, &lower, &upper, &mut memory, cauchy)?
            };
            let direction: Vec<f64> = z.iter().zip(&x).map(|(zi, xi)| zi - xi).collect();
            let slope = dot(&g, &direction);
            if slope.is_nan() || slope >= 0.0 {
                // Not a descent direction (rounding in the model): restart
                // from steepest descent, or stop if that is where we are.
                if memory.len() == 0 {
                    break Finish::Other(2, "ABNORMAL: ".to_string());
                }
                memory.clear();
                continue;
            }
            let step_max = if constrained {
                if nit == 0 {
                    1.0
                } else {
                    max_feasible_step(&x, &direction, &lower, &upper)
                }
            } else {
                1e10
            };
            let first = if nit == 0 && !boxed {
                (1.0 / norm2(&direction)).min(step_max)
            } else {
                1.0
            };
            let wolfe = Wolfe {
                c1: 1e-3,
                c2: 0.9,
                xtol: 0.1,
                step_min: 0.0,
                step_max,
                max_evaluations: maxls,
            };
            let objective = &mut *run.objective;
            let step = search(
                |t| {
                    for i in 0..n {
                        let point = if t == 1.0 {
                            z[i]
                        } else {
                            x[i] + t * direction[i]
                        };
                        trial_x[i] = point.clamp(lower[i], upper[i]);
                    }
                    let value = objective.value_and_grad(&trial_x, &mut trial_g)?;
                    Ok::<_, crate::Error>((value, dot(&trial_g, &direction)))
                },
                f,
                slope,
                first,
                &wolfe,
            )?;
            if step.outcome == Outcome::Failed || !step.sufficient(f, slope, wolfe.c1) {
                if memory.len() == 0 {
                    break Finish::Other(2, "ABNORMAL: ".to_string());
                }
                memory.clear();
                continue;
            }
            let f_old = f;
            f = step.value;
            for i in 0..n {
                s[i] = trial_x[i] - x[i];
                y[i] = trial_g[i] - g[i];
            }
            std::mem::swap(&mut x, &mut trial_x);
            std::mem::swap(&mut g, &mut trial_g);
            nit += 1;
            let pg = projected_gradient_norm(&x, &g, &lower, &upper);
            if run.monitor.iteration(nit, &x, f, pg) {
                break Finish::Callback;
            }
            if nit >= maxiter {
                break Finish::Other(1, "STOP: TOTAL NO. OF ITERATIONS REACHED LIMIT".to_string());
            }
            if run.objective.counts().nfev > maxfun {
                break Finish::Other(
                    1,
                    "STOP: TOTAL NO. OF F,G EVALUATIONS EXCEEDS LIMIT".to_string(),
                );
            }
            if pg <= pgtol {
                break Finish::ConvergedWith(PGTOL_MESSAGE);
            }
            if f_old - f <= ftol * f_old.abs().max(f.abs()).max(1.0) {
                break Finish::ConvergedWith(
                    "CONVERGENCE: RELATIVE REDUCTION OF F <= FACTR*EPSMCH",
                );
            }
            // Keep the pair only with enough curvature: sᵀy > ε·(−gᵀs).
            let sy = dot(&s, &y);
            if sy > f64::EPSILON * (-slope * step.step) {
                memory.push(&s, &y)?;
            }
        }
    };
    run.x = x;
    run.fun = f;
    run.jac = Some(g);
    run.hess_inv = Some(HessInv::Lbfgs {
        s: memory.s.iter().cloned().collect(),
        y: memory.y.iter().cloned().collect(),
    });
    run.nit = nit;
    Ok(status)
}

const PGTOL_MESSAGE: &str = "CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL";

/// `‖P(x − g) − x‖∞`, the first-order optimality measure on a box.
fn projected_gradient_norm(x: &[f64], g: &[f64], lower: &[f64], upper: &[f64]) -> f64 {
    let mut norm = 0.0f64;
    for i in 0..x.len() {
        let component = if g[i] < 0.0 {
            (x[i] - upper[i]).max(g[i])
        } else {
            (x[i] - lower[i]).min(g[i])
        };
        if component.is_nan() {
            return f64::NAN;
        }
        norm = norm.max(component.abs());
    }
    norm
}

/// The largest step along `d` that stays in the box (at most 1e10).
fn max_feasible_step(x: &[f64], d: &[f64], lower: &[f64], upper: &[f64]) -> f64 {
    let mut step = 1e10f64;
    for i in 0..x.len() {
        if d[i] < 0.0 && lower[i].is_finite() {
            let room = lower[i] - x[i];
            step = if room >= 0.0 {
                0.0
            } else {
                step.min(room / d[i])
            };
        } else if d[i] > 0.0 && upper[i].is_finite() {
            let room = upper[i] - x[i];
            step = if room <= 0.0 {
                0.0
            } else {
                step.min(room / d[i])
            };
        }
    }
    step
}
