//! Nonlinear conjugate gradients, Polak–Ribière+ (SciPy's `_minimize_cg`).

use super::line_search::{first_step, search_along, Wolfe};
use super::minimize::{Finish, Run};
use crate::error::Result;
use crate::linalg::dense::{dot, norm2, norm_inf};

/// Minimizes with CG from `run.x`. Directions that stop descending
/// (gᵀd > −0.01 gᵀg, SciPy's `sigma_3` test) restart along −g.
pub(crate) fn cg(run: &mut Run<'_, '_>) -> Result<Finish> {
    let n = run.x.len();
    let gtol = run.options.gtol.unwrap_or(1e-5);
    let maxiter = run.options.maxiter.unwrap_or(200 * n);
    let wolfe = Wolfe {
        c1: run.options.c1.unwrap_or(1e-4),
        c2: run.options.c2.unwrap_or(0.4),
        xtol: 1e-14,
        step_min: 1e-100,
        step_max: 1e100,
        max_evaluations: 100,
    };
    let mut x = run.x.clone();
    let mut g = vec![0.0; n];
    let mut f = run.objective.value_and_grad(&x, &mut g)?;
    let mut previous_f = Some(f + norm2(&g) / 2.0);
    let mut direction: Vec<f64> = g.iter().map(|v| -v).collect();
    let (mut trial_x, mut trial_g) = (vec![0.0; n], vec![0.0; n]);
    let mut gnorm = norm_inf(&g);
    let mut nit = 0;
    let mut status = Finish::Converged;
    while gnorm > gtol {
        if nit >= maxiter {
            status = Finish::MaxIter;
            break;
        }
        let gg = dot(&g, &g);
        let slope = dot(&g, &direction);
        let step = search_along(
            run.objective,
            &x,
            &direction,
            f,
            slope,
            first_step(f, previous_f, slope),
            &wolfe,
            &mut trial_x,
            &mut trial_g,
        )?;
        if !step.sufficient(f, slope, wolfe.c1) {
            status = Finish::PrecisionLoss;
            break;
        }
        previous_f = Some(f);
        f = step.value;
        // β = max(0, (g⁺ − g)ᵀg⁺ / gᵀg).
        let beta = ((dot(&trial_g, &trial_g) - dot(&g, &trial_g)) / gg).max(0.0);
        std::mem::swap(&mut x, &mut trial_x);
        std::mem::swap(&mut g, &mut trial_g);
        for (d, gi) in direction.iter_mut().zip(&g) {
            *d = -gi + beta * *d;
        }
        if dot(&direction, &g) > -0.01 * dot(&g, &g) {
            direction.iter_mut().zip(&g).for_each(|(d, gi)| *d = -gi);
        }
        nit += 1;
        gnorm = norm_inf(&g);
        if run.monitor.iteration(nit, &x, f, gnorm) {
            status = Finish::Callback;
            break;
        }
        if !f.is_finite() {
            status = Finish::PrecisionLoss;
            break;
        }
    }
    if status == Finish::Converged && (f.is_nan() || gnorm.is_nan()) {
        status = Finish::Nan;
    }
    run.x = x;
    run.fun = f;
    run.jac = Some(g);
    run.nit = nit;
    Ok(status)
}
