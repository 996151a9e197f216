//! BFGS with a dense inverse Hessian (SciPy's `_minimize_bfgs`).

use super::line_search::{first_step, search_along, Wolfe};
use super::minimize::{Finish, Run};
use super::result::HessInv;
use crate::error::Result;
use crate::linalg::dense::{dot, matvec, norm2, norm_inf, syr2};

/// Minimizes with BFGS from `run.x`.
pub(crate) fn bfgs(run: &mut Run<'_, '_>) -> Result<Finish> {
    let n = run.x.len();
    let gtol = run.options.gtol.unwrap_or(1e-5);
    let maxiter = run.options.maxiter.unwrap_or(200 * n);
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
    let mut previous_f = Some(f + norm2(&g) / 2.0);
    let mut h = vec![0.0; n * n];
    (0..n).for_each(|i| h[i * n + i] = 1.0);
    let (mut direction, mut trial_x, mut trial_g) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let (mut y, mut hy, mut w) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut gnorm = norm_inf(&g);
    let mut nit = 0;
    let mut status = Finish::Converged;
    while gnorm > gtol {
        if nit >= maxiter {
            status = Finish::MaxIter;
            break;
        }
        matvec(&h, n, n, &g, &mut direction);
        direction.iter_mut().for_each(|d| *d = -*d);
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
        // s = x⁺ − x (in `direction`), y = g⁺ − g.
        for i in 0..n {
            direction[i] = trial_x[i] - x[i];
            y[i] = trial_g[i] - g[i];
        }
        std::mem::swap(&mut x, &mut trial_x);
        std::mem::swap(&mut g, &mut trial_g);
        nit += 1;
        gnorm = norm_inf(&g);
        if run.monitor.iteration(nit, &x, f, gnorm) {
            status = Finish::Callback;
            break;
        }
        if gnorm <= gtol {
            break;
        }
        if !f.is_finite() {
            status = Finish::PrecisionLoss;
            break;
        }
        // H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, as one symmetric
        // rank-two update H += s wᵀ + w sᵀ with w = −ρ H y + ½(ρ + ρ² yᵀHy) s.
        let sy = dot(&direction, &y);
        let rho = if sy == 0.0 { 1000.0 } else { 1.0 / sy };
        matvec(&h, n, n, &y, &mut hy);
        let yhy = dot(&y, &hy);
        let half = 0.5 * (rho + rho * rho * yhy);
        for i in 0..n {
            w[i] = -rho * hy[i] + half * direction[i];
        }
        syr2(&mut h, n, 1.0, &direction, &w);
    }
    if status == Finish::Converged && (f.is_nan() || gnorm.is_nan()) {
        status = Finish::Nan;
    }
    run.x = x;
    run.fun = f;
    run.jac = Some(g);
    run.hess_inv = Some(HessInv::Dense(h));
    run.nit = nit;
    Ok(status)
}
