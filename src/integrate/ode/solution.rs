//! Dense output: the continuous solution of an ODE, one interpolating
//! polynomial per step (SciPy's `OdeSolution`).

use crate::Array;

/// The solution over one step.
#[derive(Clone, Debug)]
pub(crate) enum Interpolant {
    /// RK23/RK45: `y(t) = y_old + h·Σ_j Q[i, j]·x^(j+1)`, `x = (t - t_old)/h`.
    Polynomial {
        t_old: f64,
        h: f64,
        y_old: Vec<f64>,
        /// `n × powers`, row-major.
        q: Vec<f64>,
    },
    /// DOP853's interpolant, seven coefficient vectors combined by
    /// alternating factors `x` and `1 - x`.
    Dop853 {
        t_old: f64,
        h: f64,
        y_old: Vec<f64>,
        /// `7 × n`, row-major.
        coefficients: Vec<f64>,
    },
}

impl Interpolant {
    /// The solution at `t` (extrapolated outside the step).
    pub(crate) fn eval(&self, t: f64, out: &mut [f64]) {
        match self {
            Interpolant::Polynomial { t_old, h, y_old, q } => {
                let x = (t - t_old) / h;
                let n = y_old.len();
                let powers = q.len().checked_div(n).unwrap_or(0);
                for (i, slot) in out.iter_mut().enumerate() {
                    let row = &q[i * powers..(i + 1) * powers];
                    // Horner on Σ_j row[j]·x^(j+1).
                    let mut acc = 0.0;
                    for &c in row.iter().rev() {
                        acc = (acc + c) * x;
                    }
                    *slot = y_old[i] + h * acc;
                }
            }
            Interpolant::Dop853 {
                t_old,
                h,
                y_old,
                coefficients,
            } => {
                let x = (t - t_old) / h;
                let n = y_old.len();
                out.fill(0.0);
                for (k, row) in coefficients.chunks(n.max(1)).rev().enumerate() {
                    let factor = if k % 2 == 0 { x } else { 1.0 - x };
                    for (slot, c) in out.iter_mut().zip(row) {
                        *slot = (*slot + c) * factor;
                    }
                }
                for (slot, y) in out.iter_mut().zip(y_old) {
                    *slot += y;
                }
            }
        }
    }
}

/// The continuous solution of [`solve_ivp`](super::solve_ivp) with
/// `dense_output`: callable at any `t` (outside the integration range it
/// extrapolates the first or last step, as SciPy does).
#[derive(Clone, Debug)]
pub struct OdeSolution {
    /// Step boundaries, in the direction of integration.
    ts: Vec<f64>,
    interpolants: Vec<Interpolant>,
    n: usize,
}

impl OdeSolution {
    pub(crate) fn new(ts: Vec<f64>, interpolants: Vec<Interpolant>, n: usize) -> Self {
        OdeSolution {
            ts,
            interpolants,
            n,
        }
    }

    /// The step boundaries (SciPy's `ts`).
    pub fn ts(&self) -> &[f64] {
        &self.ts
    }

    /// The solution at `t`.
    pub fn call(&self, t: f64) -> Vec<f64> {
        let mut out = vec![0.0; self.n];
        if let Some(segment) = self.segment(t) {
            self.interpolants[segment].eval(t, &mut out);
        }
        out
    }

    /// The solution at each of `ts`, as SciPy's `sol(ts)`: `f64[n, len]`.
    pub fn call_many(&self, ts: &[f64]) -> Array {
        let mut data = vec![0.0; self.n * ts.len()];
        for (j, &t) in ts.iter().enumerate() {
            let y = self.call(t);
            for (i, v) in y.into_iter().enumerate() {
                data[i * ts.len() + j] = v;
            }
        }
        Array::from_vec(data, [self.n, ts.len()])
    }

    /// The step holding `t` (a boundary belongs to the step before it).
    fn segment(&self, t: f64) -> Option<usize> {
        let count = self.interpolants.len();
        if count == 0 {
            return None;
        }
        let ascending = self.ts.last() >= self.ts.first();
        // Index of the first boundary not before t, in the direction of
        // integration (numpy.searchsorted(side="left") on sorted ts).
        let index = if ascending {
            self.ts.partition_point(|&s| s < t)
        } else {
            self.ts.partition_point(|&s| s > t)
        };
        Some(index.saturating_sub(1).min(count - 1))
    }
}
