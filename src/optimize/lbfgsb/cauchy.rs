//! The generalized Cauchy point: the first local minimizer of the
//! quadratic model along the projected steepest-descent path
//! `x(t) = P(x − t g)` (Byrd, Lu, Nocedal and Zhu 1995, algorithm CP).

use super::memory::Memory;
use crate::error::Result;
use crate::linalg::dense::dot;

/// The Cauchy point `xcp`, the vector `c = Wᵀ(xcp − x)` the subspace step
/// needs, and which variables are free there (not held at a bound).
pub(super) struct CauchyPoint {
    pub xcp: Vec<f64>,
    pub c: Vec<f64>,
    pub free: Vec<bool>,
}

pub(super) fn cauchy_point(
    x: &[f64],
    g: &[f64],
    lower: &[f64],
    upper: &[f64],
    memory: &Memory,
) -> Result<CauchyPoint> {
    let n = x.len();
    let size = 2 * memory.len();
    let theta = memory.theta;
    let mut d = vec![0.0; n];
    let mut free = vec![true; n];
    let mut breakpoints: Vec<(f64, usize)> = Vec::new();
    for i in 0..n {
        let t = if g[i] < 0.0 {
            (x[i] - upper[i]) / g[i]
        } else if g[i] > 0.0 {
            (x[i] - lower[i]) / g[i]
        } else {
            f64::INFINITY
        };
        if t == 0.0 || lower[i] == upper[i] {
            free[i] = false;
        } else {
            d[i] = -g[i];
            if t.is_finite() {
                breakpoints.push((t, i));
            }
        }
    }
    breakpoints.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Slopes of the model along the path: f' and f''.
    let mut p = vec![0.0; size];
    memory.w_transpose(&d, &mut p);
    let mut c = vec![0.0; size];
    let mut f1 = -dot(&d, &d);
    let mut mp = p.clone();
    memory.apply_middle(&mut mp)?;
    let mut f2 = -theta * f1 - dot(&p, &mp);
    let f2_initial = f2;
    let mut dt_min = -f1 / f2;
    let mut t_old = 0.0;
    let mut xcp = x.to_vec();
    let (mut wb, mut mc, mut mwb) = (vec![0.0; size], vec![0.0; size], vec![0.0; size]);
    for &(t, b) in &breakpoints {
        let dt = t - t_old;
        if dt_min < dt {
            break;
        }
        // Move to the breakpoint; variable b stops at its bound.
        xcp[b] = if d[b] > 0.0 { upper[b] } else { lower[b] };
        let zb = xcp[b] - x[b];
        c.iter_mut().zip(&p).for_each(|(ci, pi)| *ci += dt * pi);
        let gb = g[b];
        memory.w_row(b, &mut wb);
        mc.copy_from_slice(&c);
        memory.apply_middle(&mut mc)?;
        mwb.copy_from_slice(&wb);
        memory.apply_middle(&mut mwb)?;
        f1 += dt * f2 + gb * gb + theta * gb * zb - gb * dot(&wb, &mc);
        f2 -= theta * gb * gb + 2.0 * gb * dot(&wb, &mp) + gb * gb * dot(&wb, &mwb);
        f2 = f2.max(f64::EPSILON * f2_initial);
        p.iter_mut().zip(&wb).for_each(|(pi, w)| *pi += gb * w);
        mp.copy_from_slice(&p);
        memory.apply_middle(&mut mp)?;
        d[b] = 0.0;
        free[b] = false;
        dt_min = -f1 / f2;
        t_old = t;
    }
    let dt_min = if dt_min.is_finite() {
        dt_min.max(0.0)
    } else {
        0.0
    };
    let t_final = t_old + dt_min;
    for i in 0..n {
        if d[i] != 0.0 {
            xcp[i] = (x[i] + t_final * d[i]).clamp(lower[i], upper[i]);
        }
    }
    c.iter_mut().zip(&p).for_each(|(ci, pi)| *ci += dt_min * pi);
    Ok(CauchyPoint { xcp, c, free })
}
