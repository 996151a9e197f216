//! Explicit Runge–Kutta stepping with SciPy's error control: embedded
//! error estimate, RMS norm scaled by `atol + rtol·max(|y|, |y_new|)`,
//! step factor `0.9·err^(-1/(q+1))` clamped to `[0.2, 10]`, no growth
//! right after a rejection, and SciPy's choice of the first step.

use super::rhs::Rhs;
use super::solution::Interpolant;
use crate::error::Result;

/// A Runge–Kutta method: its tableau, error weights and dense output.
pub(crate) struct Tableau {
    /// Order of the embedded error estimate (`q` in the step factor).
    pub error_order: usize,
    /// Number of stages of a step (the new derivative is one more).
    pub stages: usize,
    /// Stage times (DOP853: also its three dense-output stages).
    pub c: &'static [f64],
    /// Stage coefficients, row-major with `a_columns` columns.
    pub a: &'static [f64],
    /// Columns of `a`.
    pub a_columns: usize,
    /// Weights of the solution.
    pub b: &'static [f64],
    /// Error weights over the stages and the new derivative (DOP853: the
    /// fifth-order ones).
    pub e: &'static [f64],
    /// DOP853's third-order error weights (empty for the others).
    pub e3: &'static [f64],
    /// Dense output: polynomial coefficients per stage (RK23, RK45), or
    /// DOP853's `D` matrix, row-major with `p_columns` columns.
    pub p: &'static [f64],
    /// Columns of `p`.
    pub p_columns: usize,
}

impl Tableau {
    fn is_dop853(&self) -> bool {
        !self.e3.is_empty()
    }
}

/// SciPy's step-size controller constants.
const SAFETY: f64 = 0.9;
const MIN_FACTOR: f64 = 0.2;
const MAX_FACTOR: f64 = 10.0;

/// The message of a step size that underflows.
pub(crate) const TOO_SMALL_STEP: &str = "Required step size is less than spacing between numbers.";

/// Root-mean-square norm.
pub(crate) fn rms(x: impl ExactSizeIterator<Item = f64>) -> f64 {
    let n = x.len();
    if n == 0 {
        return 0.0;
    }
    (x.map(|v| v * v).sum::<f64>() / n as f64).sqrt()
}

/// The state of an explicit Runge–Kutta integration.
pub(crate) struct RungeKutta<'t> {
    tableau: &'t Tableau,
    pub t: f64,
    pub y: Vec<f64>,
    /// The derivative at `(t, y)`.
    f: Vec<f64>,
    pub t_old: f64,
    y_old: Vec<f64>,
    h_abs: f64,
    h_previous: f64,
    pub direction: f64,
    pub t_bound: f64,
    rtol: f64,
    atol: Vec<f64>,
    max_step: f64,
    /// Stage derivatives, `k[s]` of length n (DOP853: 16 rows).
    k: Vec<Vec<f64>>,
    /// Whether the last rejected trial met a non-finite value.
    pub non_finite: bool,
}

impl<'t> RungeKutta<'t> {
    /// Starts at `(t0, y0)`: one evaluation for the derivative, one more
    /// to choose the first step unless it is given.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        rhs: &mut Rhs,
        tableau: &'t Tableau,
        t0: f64,
        y0: &[f64],
        t_bound: f64,
        rtol: f64,
        atol: Vec<f64>,
        max_step: f64,
        first_step: Option<f64>,
    ) -> Result<Self> {
        let n = y0.len();
        let f = rhs.call(t0, y0)?;
        let direction = if t_bound != t0 {
            (t_bound - t0).signum()
        } else {
            1.0
        };
        let rows = if tableau.is_dop853() {
            tableau.c.len()
        } else {
            tableau.stages + 1
        };
        let mut solver = RungeKutta {
            tableau,
            t: t0,
            y: y0.to_vec(),
            f,
            t_old: t0,
            y_old: y0.to_vec(),
            h_abs: 0.0,
            h_previous: 0.0,
            direction,
            t_bound,
            rtol,
            atol,
            max_step,
            k: vec![vec![0.0; n]; rows],
            non_finite: false,
        };
        solver.h_abs = match first_step {
            Some(h) => h,
            None => solver.initial_step(rhs)?,
        };
        Ok(solver)
    }

    /// The derivative at the current point.
    pub(crate) fn derivative(&self) -> &[f64] {
        &self.f
    }

    /// SciPy's `select_initial_step` (Hairer, Nørsett & Wanner, II.4).
    fn initial_step(&self, rhs: &mut Rhs) -> Result<f64> {
        let (t0, y0, f0) = (self.t, &self.y, &self.f);
        if y0.is_empty() {
            return Ok(f64::INFINITY);
        }
        let interval = (self.t_bound - t0).abs();
        if interval == 0.0 {
            return Ok(0.0);
        }
        let scale: Vec<f64> = y0
            .iter()
            .zip(&self.atol)
            .map(|(y, atol)| atol + y.abs() * self.rtol)
            .collect();
        let d0 = rms(y0.iter().zip(&scale).map(|(y, s)| y / s));
        let d1 = rms(f0.iter().zip(&scale).map(|(f, s)| f / s));
        let h0 = if d0 < 1e-5 || d1 < 1e-5 {
            1e-6
        } else {
            0.01 * d0 / d1
        };
        let h0 = h0.min(interval);
        let y1: Vec<f64> = y0
            .iter()
            .zip(f0)
            .map(|(y, f)| y + h0 * self.direction * f)
            .collect();
        let f1 = rhs.call(t0 + h0 * self.direction, &y1)?;
        let d2 = rms(f1.iter().zip(f0).zip(&scale).map(|((a, b), s)| (a - b) / s)) / h0;
        let h1 = if d1 <= 1e-15 && d2 <= 1e-15 {
            (h0 * 1e-3).max(1e-6)
        } else {
            (0.01 / d1.max(d2)).powf(1.0 / (self.tableau.error_order as f64 + 1.0))
        };
        Ok((100.0 * h0).min(h1).min(interval).min(self.max_step))
    }

    /// One Runge–Kutta step of size `h` from the current point: fills the
    /// stages and returns the new solution (its derivative in the last
    /// stage row).
    fn trial(&mut self, rhs: &mut Rhs, h: f64) -> Result<Vec<f64>> {
        let tb = self.tableau;
        let n = self.y.len();
        self.k[0].copy_from_slice(&self.f);
        let mut y_stage = vec![0.0; n];
        for s in 1..tb.stages {
            let row = &tb.a[s * tb.a_columns..s * tb.a_columns + s];
            for (i, slot) in y_stage.iter_mut().enumerate() {
                let dy: f64 = row.iter().zip(&self.k).map(|(a, k)| a * k[i]).sum();
                *slot = self.y[i] + h * dy;
            }
            self.k[s] = rhs.call(self.t + tb.c[s] * h, &y_stage)?;
        }
        let y_new: Vec<f64> = (0..n)
            .map(|i| {
                let dy: f64 = tb.b.iter().zip(&self.k).map(|(b, k)| b * k[i]).sum();
                self.y[i] + h * dy
            })
            .collect();
        self.k[tb.stages] = rhs.call(self.t + h, &y_new)?;
        Ok(y_new)
    }

    /// The scaled error norm of the last trial.
    fn error_norm(&self, h: f64, scale: &[f64]) -> f64 {
        let tb = self.tableau;
        let n = scale.len();
        let weighted = |weights: &[f64], i: usize| -> f64 {
            weights.iter().zip(&self.k).map(|(w, k)| w * k[i]).sum()
        };
        if tb.is_dop853() {
            // Hairer's combination of the 5th- and 3rd-order estimates.
            let err5: f64 = (0..n).map(|i| (weighted(tb.e, i) / scale[i]).powi(2)).sum();
            let err3: f64 = (0..n)
                .map(|i| (weighted(tb.e3, i) / scale[i]).powi(2))
                .sum();
            if err5 == 0.0 && err3 == 0.0 {
                return 0.0;
            }
            let denominator = err5 + 0.01 * err3;
            h.abs() * err5 / (denominator * n as f64).sqrt()
        } else {
            rms((0..n).map(|i| weighted(tb.e, i) * h / scale[i]))
        }
    }

    /// Takes one accepted step (shrinking the size until the error is
    /// within tolerance). `Ok(Err(message))` when the step size underflows.
    pub(crate) fn step(&mut self, rhs: &mut Rhs) -> Result<std::result::Result<(), String>> {
        let t = self.t;
        let min_step = 10.0 * (next_after(t, self.direction) - t).abs();
        let mut h_abs = if self.h_abs > self.max_step {
            self.max_step
        } else if self.h_abs < min_step {
            min_step
        } else {
            self.h_abs
        };
        let exponent = -1.0 / (self.tableau.error_order as f64 + 1.0);
        let mut rejected = false;
        self.non_finite = false;
        loop {
            if h_abs < min_step {
                return Ok(Err(TOO_SMALL_STEP.to_string()));
            }
            let mut t_new = t + h_abs * self.direction;
            if self.direction * (t_new - self.t_bound) > 0.0 {
                t_new = self.t_bound;
            }
            let h = t_new - t;
            h_abs = h.abs();
            let y_new = self.trial(rhs, h)?;
            let scale: Vec<f64> = self
                .y
                .iter()
                .zip(&y_new)
                .zip(&self.atol)
                .map(|((a, b), atol)| atol + a.abs().max(b.abs()) * self.rtol)
                .collect();
            let error = self.error_norm(h, &scale);
            if error < 1.0 {
                let mut factor = if error == 0.0 {
                    MAX_FACTOR
                } else {
                    MAX_FACTOR.min(SAFETY * error.powf(exponent))
                };
                if rejected {
                    factor = factor.min(1.0);
                }
                h_abs *= factor;
                self.h_previous = h;
                self.y_old = std::mem::replace(&mut self.y, y_new);
                self.t_old = t;
                self.t = t_new;
                self.f.copy_from_slice(&self.k[self.tableau.stages]);
                self.h_abs = h_abs;
                return Ok(Ok(()));
            }
            // A NaN error (a non-finite stage) compares false with 1 and
            // shrinks the step the most, as SciPy does.
            if !error.is_finite() {
                self.non_finite = true;
            }
            h_abs *= MIN_FACTOR.max(SAFETY * error.powf(exponent));
            rejected = true;
        }
    }

    /// The continuous solution over the last step (DOP853: three more
    /// evaluations of the right-hand side).
    pub(crate) fn interpolant(&mut self, rhs: &mut Rhs) -> Result<Interpolant> {
        let tb = self.tableau;
        let n = self.y.len();
        let h = self.h_previous;
        if tb.is_dop853() {
            let mut y_stage = vec![0.0; n];
            for s in (tb.stages + 1)..tb.c.len() {
                let row = &tb.a[s * tb.a_columns..s * tb.a_columns + s];
                for (i, slot) in y_stage.iter_mut().enumerate() {
                    let dy: f64 = row.iter().zip(&self.k).map(|(a, k)| a * k[i]).sum();
                    *slot = self.y_old[i] + h * dy;
                }
                self.k[s] = rhs.call(self.t_old + tb.c[s] * h, &y_stage)?;
            }
            // F[0..3] from the end points, F[3..7] = h·D·K.
            let f_old = &self.k[0];
            let mut coefficients = Vec::with_capacity(7 * n);
            let delta: Vec<f64> = (0..n).map(|i| self.y[i] - self.y_old[i]).collect();
            coefficients.extend_from_slice(&delta);
            coefficients.extend((0..n).map(|i| h * f_old[i] - delta[i]));
            coefficients.extend((0..n).map(|i| 2.0 * delta[i] - h * (self.f[i] + f_old[i])));
            for row in tb.p.chunks(tb.p_columns) {
                coefficients.extend(
                    (0..n).map(|i| h * row.iter().zip(&self.k).map(|(d, k)| d * k[i]).sum::<f64>()),
                );
            }
            Ok(Interpolant::Dop853 {
                t_old: self.t_old,
                h,
                y_old: self.y_old.clone(),
                coefficients,
            })
        } else {
            // Q = Kᵀ·P: row i holds the polynomial coefficients of y_i.
            let powers = tb.p_columns;
            let mut q = vec![0.0; n * powers];
            for (s, k) in self.k.iter().enumerate() {
                for j in 0..powers {
                    let p = tb.p[s * powers + j];
                    if p != 0.0 {
                        for i in 0..n {
                            q[i * powers + j] += k[i] * p;
                        }
                    }
                }
            }
            Ok(Interpolant::Polynomial {
                t_old: self.t_old,
                h,
                y_old: self.y_old.clone(),
                q,
            })
        }
    }
}

/// The next float after `t` towards `direction` (±1).
fn next_after(t: f64, direction: f64) -> f64 {
    if t.is_nan() || t.is_infinite() {
        return t;
    }
    if t == 0.0 {
        return direction * f64::from_bits(1);
    }
    let bits = t.to_bits();
    let up = (direction > 0.0) == (t > 0.0);
    f64::from_bits(if up { bits + 1 } else { bits - 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_after_steps_one_ulp() {
        assert_eq!(next_after(1.0, 1.0), 1.0 + f64::EPSILON);
        assert_eq!(next_after(1.0, -1.0), 1.0 - f64::EPSILON / 2.0);
        assert_eq!(next_after(-1.0, 1.0), -1.0 + f64::EPSILON / 2.0);
        assert_eq!(next_after(0.0, -1.0), -f64::from_bits(1));
    }
}
