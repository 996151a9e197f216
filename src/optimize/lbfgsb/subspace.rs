//! Subspace minimization: from the Cauchy point, the Newton step of the
//! quadratic model over the free variables (the direct primal method of
//! Byrd, Lu, Nocedal and Zhu), projected into the box as in L-BFGS-B 3.0
//! (Morales and Nocedal 2011), backtracking when the projection does not
//! descend.

use super::cauchy::CauchyPoint;
use super::memory::Memory;
use crate::error::Result;

/// The end point `z` of the search direction `z − x`.
pub(super) fn subspace_minimum(
    x: &[f64],
    g: &[f64],
    lower: &[f64],
    upper: &[f64],
    memory: &mut Memory,
    cauchy: CauchyPoint,
) -> Result<Vec<f64>> {
    let CauchyPoint { xcp, c, free } = cauchy;
    let n = x.len();
    let size = 2 * memory.len();
    let theta = memory.theta;
    if !free.iter().any(|&f| f) {
        return Ok(xcp);
    }
    // Reduced gradient of the model at xcp: r = g + θ(xcp − x) − W M c.
    let mut mc = c;
    memory.apply_middle(&mut mc)?;
    let mut r = vec![0.0; n];
    for i in 0..n {
        if free[i] {
            r[i] = g[i] + theta * (xcp[i] - x[i]);
        }
    }
    if size > 0 && mc.iter().any(|&v| v != 0.0) {
        memory.add_w(-1.0, &mc, &mut r);
        for i in 0..n {
            if !free[i] {
                r[i] = 0.0;
            }
        }
    }
    // Sherman–Morrison–Woodbury on the reduced model B̂ = θI − W_F M W_Fᵀ:
    // du = −r/θ − W_F (M⁻¹ − W_FᵀW_F/θ)⁻¹ W_Fᵀ r / θ². One 2m × 2m
    // factorization; no solve with M.
    let mut du: Vec<f64> = r.iter().map(|ri| -ri / theta).collect();
    if size > 0 {
        let mut v = vec![0.0; size];
        memory.w_transpose(&r, &mut v);
        let mut gram = memory.w_gram();
        let mut row = vec![0.0; size];
        for i in (0..n).filter(|&i| !free[i]) {
            memory.w_row(i, &mut row);
            crate::linalg::dense::syr(&mut gram, size, -1.0, &row);
        }
        memory.solve_reduced(&gram, &mut v)?;
        memory.add_w(-1.0 / (theta * theta), &v, &mut du);
        for i in 0..n {
            if !free[i] {
                du[i] = 0.0;
            }
        }
    }
    // Project xcp + du into the box; keep it if it still descends.
    let mut z: Vec<f64> = (0..n)
        .map(|i| (xcp[i] + du[i]).clamp(lower[i], upper[i]))
        .collect();
    let descent: f64 = z
        .iter()
        .zip(x)
        .zip(g)
        .map(|((zi, xi), gi)| (zi - xi) * gi)
        .sum();
    if descent > 0.0 {
        let mut alpha = 1.0f64;
        for i in 0..n {
            if du[i] < 0.0 {
                alpha = alpha.min((lower[i] - xcp[i]) / du[i]);
            } else if du[i] > 0.0 {
                alpha = alpha.min((upper[i] - xcp[i]) / du[i]);
            }
        }
        let alpha = alpha.max(0.0);
        for i in 0..n {
            z[i] = (xcp[i] + alpha * du[i]).clamp(lower[i], upper[i]);
        }
    }
    Ok(z)
}
