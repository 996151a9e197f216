//! Events: zero crossings of `g(t, y)` located on the dense output
//! during integration (SciPy's `events`).

use super::solution::Interpolant;

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
/// interpolant (Brent's method with SciPy's tolerances `4·eps`). `None`
/// when `g` is not finite somewhere on the way.
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
    brent(&mut g, t_old, t, 4.0 * f64::EPSILON, 4.0 * f64::EPSILON)
}

/// Brent's root finder on a bracket `[a, b]` with `f(a)·f(b) <= 0`.
fn brent(f: &mut impl FnMut(f64) -> f64, a: f64, b: f64, xtol: f64, rtol: f64) -> Option<f64> {
    let (mut xpre, mut xcur) = (a, b);
    let (mut fpre, mut fcur) = (f(xpre), f(xcur));
    if !fpre.is_finite() || !fcur.is_finite() {
        return None;
    }
    if fpre == 0.0 {
        return Some(xpre);
    }
    if fcur == 0.0 {
        return Some(xcur);
    }
    let (mut xblk, mut fblk) = (0.0, 0.0);
    let (mut spre, mut scur) = (0.0, 0.0);
    for _ in 0..200 {
        if fpre != 0.0 && fcur != 0.0 && (fpre < 0.0) != (fcur < 0.0) {
            xblk = xpre;
            fblk = fpre;
            spre = xcur - xpre;
            scur = spre;
        }
        if fblk.abs() < fcur.abs() {
            xpre = xcur;
            xcur = xblk;
            xblk = xpre;
            fpre = fcur;
            fcur = fblk;
            fblk = fpre;
        }
        let delta = (xtol + rtol * xcur.abs()) / 2.0;
        let sbis = (xblk - xcur) / 2.0;
        if fcur == 0.0 || sbis.abs() < delta {
            return Some(xcur);
        }
        if spre.abs() > delta && fcur.abs() < fpre.abs() {
            // Interpolate: secant, or inverse quadratic when three points.
            let stry = if xpre == xblk {
                -fcur * (xcur - xpre) / (fcur - fpre)
            } else {
                let dpre = (fpre - fcur) / (xpre - xcur);
                let dblk = (fblk - fcur) / (xblk - xcur);
                -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            };
            if 2.0 * stry.abs() < spre.abs().min(3.0 * sbis.abs() - delta) {
                spre = scur;
                scur = stry;
            } else {
                spre = sbis;
                scur = sbis;
            }
        } else {
            spre = sbis;
            scur = sbis;
        }
        xpre = xcur;
        fpre = fcur;
        xcur += if scur.abs() > delta {
            scur
        } else if sbis > 0.0 {
            delta
        } else {
            -delta
        };
        fcur = f(xcur);
        if !fcur.is_finite() {
            return None;
        }
    }
    Some(xcur)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brent_finds_roots_to_tolerance() {
        let root = brent(&mut |x: f64| x * x - 2.0, 0.0, 2.0, 1e-15, 1e-15).unwrap();
        assert!((root - 2f64.sqrt()).abs() < 4e-15);
        let root = brent(&mut |x: f64| x.cos() - x, 1.0, 0.0, 1e-15, 1e-15).unwrap();
        assert!((root.cos() - root).abs() < 1e-14);
        assert!(brent(&mut |_| f64::NAN, 0.0, 1.0, 1e-15, 1e-15).is_none());
    }
}
