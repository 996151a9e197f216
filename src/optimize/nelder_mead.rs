//! The Nelder–Mead downhill simplex (SciPy's `_minimize_neldermead`):
//! derivative free, with SciPy's initial simplex, coefficients and
//! stopping tests; bounds by clipping, as SciPy.

use super::minimize::{Finish, Run};
use crate::error::Result;

const REFLECT: f64 = 1.0;
const EXPAND: f64 = 2.0;
const CONTRACT: f64 = 0.5;
const SHRINK: f64 = 0.5;

/// The objective with SciPy's evaluation budget: `None` once `maxfun`
/// evaluations are spent.
struct Budget<'r, 'o, 'a> {
    run: &'r mut Run<'o, 'a>,
    maxfun: usize,
    calls: usize,
}

impl Budget<'_, '_, '_> {
    fn value(&mut self, point: &mut [f64]) -> Result<Option<f64>> {
        if self.calls >= self.maxfun {
            return Ok(None);
        }
        if let Some(bounds) = &self.run.options.bounds {
            for ((p, l), u) in point.iter_mut().zip(&bounds.lower).zip(&bounds.upper) {
                *p = p.clamp(*l, *u);
            }
        }
        self.calls += 1;
        // NaN sorts last, as the worst vertex.
        let value = self.run.objective.value(point)?;
        Ok(Some(if value.is_nan() { f64::INFINITY } else { value }))
    }
}

/// Minimizes with Nelder–Mead from `run.x`.
pub(crate) fn nelder_mead(run: &mut Run<'_, '_>) -> Result<Finish> {
    let n = run.x.len();
    let xatol = run.options.xtol.unwrap_or(1e-4);
    let fatol = run.options.fatol.unwrap_or(1e-4);
    let maxiter = run.options.maxiter.unwrap_or(200 * n);
    let maxfun = run.options.maxfun.unwrap_or(200 * n);
    let x0 = run.x.clone();
    let mut simplex: Vec<Vec<f64>> = vec![x0.clone()];
    for k in 0..n {
        let mut vertex = x0.clone();
        vertex[k] = if vertex[k] != 0.0 {
            1.05 * vertex[k]
        } else {
            0.00025
        };
        if let Some(bounds) = &run.options.bounds {
            // Reflect a vertex past the upper bound back inside, as SciPy.
            if vertex[k] > bounds.upper[k] {
                vertex[k] = 2.0 * bounds.upper[k] - vertex[k];
            }
        }
        simplex.push(vertex);
    }
    let mut budget = Budget {
        run,
        maxfun,
        calls: 0,
    };
    let mut values = vec![f64::INFINITY; n + 1];
    for k in 0..=n {
        if let Some(v) = budget.value(&mut simplex[k])? {
            values[k] = v;
        }
    }
    sort(&mut simplex, &mut values);
    let mut nit = 1;
    let mut stopped = false;
    let (mut centroid, mut trial) = (vec![0.0; n], vec![0.0; n]);
    while budget.calls < maxfun && nit < maxiter {
        let spread_x = simplex[1..]
            .iter()
            .flat_map(|v| v.iter().zip(&simplex[0]).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        let spread_f = values[1..]
            .iter()
            .map(|v| (v - values[0]).abs())
            .fold(0.0, f64::max);
        if spread_x <= xatol && spread_f <= fatol {
            break;
        }
        centroid.iter_mut().for_each(|c| *c = 0.0);
        for vertex in &simplex[..n] {
            centroid.iter_mut().zip(vertex).for_each(|(c, v)| *c += v);
        }
        centroid.iter_mut().for_each(|c| *c /= n as f64);
        let step = |coefficient: f64, worst: &[f64], out: &mut [f64]| {
            for ((o, c), w) in out.iter_mut().zip(&centroid).zip(worst) {
                *o = (1.0 + coefficient) * c - coefficient * w;
            }
        };
        if !iterate(&mut budget, &mut simplex, &mut values, &mut trial, step)? {
            // The budget ran out inside the iteration.
            sort(&mut simplex, &mut values);
            break;
        }
        nit += 1;
        sort(&mut simplex, &mut values);
        let fun = values[0];
        if budget
            .run
            .monitor
            .iteration(nit, &simplex[0], fun, f64::NAN)
        {
            stopped = true;
            break;
        }
    }
    let status = if stopped {
        Finish::Callback
    } else if !values[0].is_finite() {
        // Every vertex NaN (sorted as +inf) or infinite.
        Finish::Nan
    } else if budget.calls >= maxfun {
        Finish::MaxFun
    } else if nit >= maxiter {
        Finish::Other(
            2,
            "Maximum number of iterations has been exceeded.".to_string(),
        )
    } else {
        Finish::Converged
    };
    budget.run.x = simplex[0].clone();
    budget.run.fun = values[0];
    budget.run.nit = nit;
    Ok(status)
}

/// One Nelder–Mead move (reflect, expand, contract or shrink). False if
/// the evaluation budget ran out.
fn iterate(
    budget: &mut Budget<'_, '_, '_>,
    simplex: &mut [Vec<f64>],
    values: &mut [f64],
    trial: &mut [f64],
    step: impl Fn(f64, &[f64], &mut [f64]),
) -> Result<bool> {
    let n = simplex.len() - 1;
    let mut reflected = vec![0.0; n];
    step(REFLECT, &simplex[n], &mut reflected);
    let Some(f_reflected) = budget.value(&mut reflected)? else {
        return Ok(false);
    };
    if f_reflected < values[0] {
        step(REFLECT * EXPAND, &simplex[n], trial);
        let Some(f_expanded) = budget.value(trial)? else {
            return Ok(false);
        };
        if f_expanded < f_reflected {
            simplex[n].copy_from_slice(trial);
            values[n] = f_expanded;
        } else {
            simplex[n] = reflected;
            values[n] = f_reflected;
        }
        return Ok(true);
    }
    if f_reflected < values[n - 1] {
        simplex[n] = reflected;
        values[n] = f_reflected;
        return Ok(true);
    }
    let accepted = if f_reflected < values[n] {
        step(CONTRACT * REFLECT, &simplex[n], trial);
        let Some(f_contracted) = budget.value(trial)? else {
            return Ok(false);
        };
        f_contracted <= f_reflected && {
            values[n] = f_contracted;
            true
        }
    } else {
        step(-CONTRACT, &simplex[n], trial);
        let Some(f_contracted) = budget.value(trial)? else {
            return Ok(false);
        };
        f_contracted < values[n] && {
            values[n] = f_contracted;
            true
        }
    };
    if accepted {
        simplex[n].copy_from_slice(trial);
        return Ok(true);
    }
    let best = simplex[0].clone();
    for j in 1..=n {
        for (v, b) in simplex[j].iter_mut().zip(&best) {
            *v = b + SHRINK * (*v - b);
        }
        let Some(value) = budget.value(&mut simplex[j])? else {
            return Ok(false);
        };
        values[j] = value;
    }
    Ok(true)
}

/// Orders the vertices by value, best first (stable, so ties keep their
/// order).
fn sort(simplex: &mut Vec<Vec<f64>>, values: &mut Vec<f64>) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    *simplex = order.iter().map(|&k| simplex[k].clone()).collect();
    *values = order.iter().map(|&k| values[k]).collect();
}
