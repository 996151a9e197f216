//! Truncated Newton: conjugate gradients on the Newton system with
//! Hessian-vector products (SciPy's `_minimize_newtoncg`).

use super::line_search::{first_step, search_along, Wolfe};
use super::minimize::{Finish, Run};
use crate::error::Result;
use crate::linalg::dense::{axpy, dot};

/// Minimizes with Newton-CG from `run.x`. Stops when the L1 norm of the
/// step is below `n · xtol` (SciPy's `avextol`, 1e-5).
pub(crate) fn newton_cg(run: &mut Run<'_, '_>) -> Result<Finish> {
    let n = run.x.len();
    let xtol = n as f64 * run.options.xtol.unwrap_or(1e-5);
    let maxiter = run.options.maxiter.unwrap_or(200 * n);
    let cg_maxiter = 20 * n;
    let wolfe = Wolfe {
        c1: run.options.c1.unwrap_or(1e-4),
        c2: run.options.c2.unwrap_or(0.9),
        xtol: 1e-14,
        step_min: 1e-100,
        step_max: 1e100,
        max_evaluations: 100,
    };
    let mut x = run.x.clone();
    let mut g = vec![0.0; n];
    let mut f = run.objective.value_and_grad(&x, &mut g)?;
    let mut previous_f = None;
    let (mut trial_x, mut trial_g) = (vec![0.0; n], vec![0.0; n]);
    let (mut p, mut residual, mut search, mut hp) =
        (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut update_norm = 2.0 * xtol;
    let mut nit = 0;
    let status = loop {
        if update_norm <= xtol {
            break if f.is_nan() || update_norm.is_nan() {
                Finish::Nan
            } else {
                Finish::Converged
            };
        }
        if nit >= maxiter {
            break Finish::MaxIter;
        }
        // CG on H p = −g from p = 0, stopped at the residual ‖r‖₁ ≤ η‖g‖₁
        // with η = min(½, √‖g‖₁) (superlinear forcing), or at negative
        // curvature.
        let gradient_l1: f64 = g.iter().map(|v| v.abs()).sum();
        let terminate = gradient_l1.sqrt().min(0.5) * gradient_l1;
        p.iter_mut().for_each(|v| *v = 0.0);
        residual.copy_from_slice(&g);
        search.iter_mut().zip(&g).for_each(|(s, gi)| *s = -gi);
        let mut rr = dot(&residual, &residual);
        let mut converged_inner = false;
        for inner in 0..cg_maxiter {
            if residual.iter().map(|v| v.abs()).sum::<f64>() <= terminate {
                converged_inner = true;
                break;
            }
            run.objective.hessian_vector(&x, &search, &mut hp)?;
            let curvature = dot(&search, &hp);
            if (0.0..=3.0 * f64::EPSILON).contains(&curvature) {
                converged_inner = true;
                break;
            }
            if curvature < 0.0 {
                if inner == 0 {
                    // Steepest descent, scaled by the curvature seen.
                    let scale = rr / -curvature;
                    p.iter_mut().zip(&g).for_each(|(pi, gi)| *pi = -scale * gi);
                }
                converged_inner = true;
                break;
            }
            let alpha = rr / curvature;
            axpy(alpha, &search, &mut p);
            axpy(alpha, &hp, &mut residual);
            let rr_next = dot(&residual, &residual);
            let beta = rr_next / rr;
            search
                .iter_mut()
                .zip(&residual)
                .for_each(|(s, r)| *s = -r + beta * *s);
            rr = rr_next;
        }
        if !converged_inner {
            break Finish::Other(
                3,
                "Warning: CG iterations didn't converge. The Hessian is not positive definite."
                    .to_string(),
            );
        }
        let slope = dot(&g, &p);
        let step = search_along(
            run.objective,
            &x,
            &p,
            f,
            slope,
            first_step(f, previous_f, slope),
            &wolfe,
            &mut trial_x,
            &mut trial_g,
        )?;
        if !step.sufficient(f, slope, wolfe.c1) {
            break Finish::Other(
                2,
                "Warning: Desired error not necessarily achieved due to precision loss."
                    .to_string(),
            );
        }
        previous_f = Some(f);
        f = step.value;
        update_norm = x.iter().zip(&trial_x).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut x, &mut trial_x);
        std::mem::swap(&mut g, &mut trial_g);
        nit += 1;
        let gnorm = crate::linalg::dense::norm_inf(&g);
        if run.monitor.iteration(nit, &x, f, gnorm) {
            break Finish::Callback;
        }
    };
    run.x = x;
    run.fun = f;
    run.jac = Some(g);
    run.nit = nit;
    Ok(status)
}
