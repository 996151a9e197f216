//! Events: zero crossings of `g(t, y)` located on the dense output
//! during integration (SciPy's `events`).

use super::solution::Interpolant;
use crate::optimize::scalar::{brent, Tolerance};

/// `g(t, y)`, boxed.
type EventFn = Box<dyn Fn(f64, &[f64]) -> f64>;

/// An event function `g(t, y)` whose zeros `solve_ivp` locates.
///
/// ```
/// use ndjit::integrate::Event;
/// // y[0] falling through zero, stopping the integration the first time.
/// let hit_ground = Event::new(|_t, y: &[f64]| y[0]).terminal(1).direction(-1.0);
/// # let _ = hit_ground;
/// ```
pub struct Event {
    fun: EventFn,
    /// Stop after this many occurrences (SciPy's `terminal`).
    pub(crate) terminal: Option<usize>,
    /// Only zeros crossed upwards (> 0), downwards (< 0), or both (0).
    pub(crate) direction: f64,
}

impl Event {
    /// An event at the zeros of `g`, in both directions, not terminal.
    pub fn new(g: impl Fn(f64, &[f64]) -> f64 + 'static) -> Self {
        Event {
            fun: Box::new(g),
            terminal: None,
            direction: 0.0,
        }
    }

    /// Stops the integration at the `count`-th occurrence (SciPy's
    /// `terminal = True` is `terminal(1)`).
    pub fn terminal(mut self, count: usize) -> Self {
        self.terminal = Some(count.max(1));
        self
    }

    /// Keeps only zeros where `g` goes from negative to positive
    /// (`direction > 0`) or from positive to negative (`< 0`).
    pub fn direction(mut self, direction: f64) -> Self {
        self.direction = direction;
        self
    }

    pub(crate) fn value(&self, t: f64, y: &[f64]) -> f64 {
        (self.fun)(t, y)
    }
}

/// Indices of the events whose sign change from `g` to `g_new` matches
/// their direction (SciPy's `find_active_events`).
pub(crate) fn active_events(events: &[Event], g: &[f64], g_new: &[f64]) -> Vec<usize> {
    (0..events.len())
        .filter(|&k| {
            let up = g[k] <= 0.0 && g_new[k] >= 0.0;
            let down = g[k] >= 0.0 && g_new[k] <= 0.0;
            let d = events[k].direction;
            (up && d > 0.0) || (down && d < 0.0) || ((up || down) && d == 0.0)
        })
        .collect()
}

/// The zero of `g(t, y(t))` between `t_old` and `t`, `y` from the step's
/// interpolant (`root_scalar`'s Brent method, with SciPy's tolerances
/// `4·eps`). `None` when `g` is not finite at the ends or goes NaN on the
/// way.
pub(crate) fn locate(
    event: &Event,
    step: &Interpolant,
    n: usize,
    t_old: f64,
    t: f64,
) -> Option<f64> {
    let mut y = vec![0.0; n];
    let mut g = |s: f64| {
        step.eval(s, &mut y);
        event.value(s, &y)
    };
    let (g_old, g_new) = (g(t_old), g(t));
    if !g_old.is_finite() || !g_new.is_finite() {
        return None;
    }
    if g_old == 0.0 {
        return Some(t_old);
    }
    let tolerance = Tolerance {
        xtol: 4.0 * f64::EPSILON,
        rtol: 4.0 * f64::EPSILON,
        maxiter: 200,
    };
    match brent(&mut |s| Ok(g(s)), t_old, t, g_old, g_new, false, &tolerance) {
        Ok((root, _, true)) => Some(root),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brent_finds_roots_to_tolerance() {
        let tolerance = Tolerance {
            xtol: 1e-15,
            rtol: 1e-15,
            maxiter: 200,
        };
        let mut f = |x: f64| Ok(x * x - 2.0);
        let (root, _, converged) = brent(&mut f, 0.0, 2.0, -2.0, 2.0, false, &tolerance).unwrap();
        assert!(converged && (root - 2f64.sqrt()).abs() < 4e-15);
        let mut f = |x: f64| Ok(x.cos() - x);
        let (root, _, converged) =
            brent(&mut f, 1.0, 0.0, 1f64.cos() - 1.0, 1.0, false, &tolerance).unwrap();
        assert!(converged && (root.cos() - root).abs() < 1e-14);
        // A NaN on the way stops it unconverged (locate then reports None).
        let mut f = |x: f64| {
            Ok(if x > 0.0 && x < 1.0 {
                f64::NAN
            } else {
                x - 0.5
            })
        };
        let (_, _, converged) = brent(&mut f, 0.0, 1.0, -0.5, 0.5, false, &tolerance).unwrap();
        assert!(!converged);
    }
}
