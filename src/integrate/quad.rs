//! `quad`: SciPy's adaptive quadrature of a function of one variable
//! (QUADPACK's QAGS, QAGI, QAGP, and QAWO/QAWC for weights).

use super::adaptive::{self, Interval, QuadStatus};
use super::gauss_kronrod::{Infinite, Rule};
use super::integrand::IntoIntegrand;
use super::weighted;
use crate::error::{Error, Result};
use std::fmt;

/// A weight function multiplying the integrand (SciPy's `weight` and
/// `wvar`), integrated by the dedicated QUADPACK routines.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Weight {
    /// `cos(ω·x)` on a finite range (QAWO). As in QUADPACK, the
    /// integrand is also evaluated at the ends of intervals: one singular
    /// at an end must return a finite value there.
    Cos(f64),
    /// `sin(ω·x)` on a finite range (QAWO).
    Sin(f64),
    /// `1/(x - c)`: the Cauchy principal value at `c` inside the range
    /// (QAWC).
    Cauchy(f64),
}

/// Options of [`quad`], with SciPy's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct QuadOptions {
    /// Absolute error tolerance (default 1.49e-8).
    pub epsabs: f64,
    /// Relative error tolerance (default 1.49e-8).
    pub epsrel: f64,
    /// Largest number of subintervals (default 50).
    pub limit: usize,
    /// Known difficulties inside the range (discontinuities, kinks,
    /// singularities): the range is split there first (QAGP). Points
    /// outside the open range are ignored, as SciPy does.
    pub points: Vec<f64>,
    /// A weight function, integrated analytically against the integrand.
    pub weight: Option<Weight>,
}

impl Default for QuadOptions {
    fn default() -> Self {
        QuadOptions {
            epsabs: 1.49e-8,
            epsrel: 1.49e-8,
            limit: 50,
            points: Vec::new(),
            weight: None,
        }
    }
}

impl QuadOptions {
    /// Sets the absolute tolerance.
    pub fn epsabs(mut self, epsabs: f64) -> Self {
        self.epsabs = epsabs;
        self
    }

    /// Sets the relative tolerance.
    pub fn epsrel(mut self, epsrel: f64) -> Self {
        self.epsrel = epsrel;
        self
    }

    /// Sets the largest number of subintervals.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// Sets the break points.
    pub fn points(mut self, points: impl Into<Vec<f64>>) -> Self {
        self.points = points.into();
        self
    }

    /// Sets a weight function.
    pub fn weight(mut self, weight: Weight) -> Self {
        self.weight = Some(weight);
        self
    }
}

/// The result of [`quad`]: SciPy's return value with `full_output`.
#[derive(Clone, Debug, PartialEq)]
pub struct QuadResult {
    /// The integral.
    pub value: f64,
    /// An estimate of `|value - exact|`.
    pub abserr: f64,
    /// Number of integrand evaluations.
    pub neval: usize,
    /// Number of subintervals of the final partition (SciPy's `last`).
    pub last: usize,
    /// QUADPACK's outcome (its `ier`).
    pub status: QuadStatus,
    /// What the status means, in SciPy's words.
    pub message: String,
    /// The final partition (QUADPACK's `alist`, `blist`, `rlist`, `elist`,
    /// in its storage order).
    pub intervals: Vec<Interval>,
}

impl QuadResult {
    /// Whether the requested accuracy was reached (`ier == 0`).
    pub fn success(&self) -> bool {
        self.status == QuadStatus::Converged
    }
}

impl fmt::Display for QuadResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "value: {:e}\nabserr: {:e}\nneval: {}\nlast: {}\nier: {}\nmessage: {}",
            self.value,
            self.abserr,
            self.neval,
            self.last,
            self.status.ier(),
            self.message
        )
    }
}

/// What each status means (SciPy's messages, on one line each).
pub(crate) fn message(status: QuadStatus, limit: usize) -> String {
    match status {
        QuadStatus::Converged => "The integral converged to the requested tolerance.".into(),
        QuadStatus::SubdivisionLimit => format!(
            "The maximum number of subdivisions ({limit}) has been achieved. If increasing \
             the limit yields no improvement it is advised to analyze the integrand in order \
             to determine the difficulties."
        ),
        QuadStatus::Roundoff => "The occurrence of roundoff error is detected, which prevents \
             the requested tolerance from being achieved. The error may be underestimated."
            .into(),
        QuadStatus::BadIntegrand => {
            "Extremely bad integrand behavior occurs at some points of the integration interval."
                .into()
        }
        QuadStatus::ExtrapolationRoundoff => "The algorithm does not converge. Roundoff error \
             is detected in the extrapolation table. It is assumed that the requested tolerance \
             cannot be achieved, and that the returned result is the best which can be obtained."
            .into(),
        QuadStatus::Divergent => "The integral is probably divergent, or slowly convergent.".into(),
        QuadStatus::InvalidInput => "The input is invalid: epsabs <= 0 and epsrel < \
             max(50*eps, 5e-29), or limit too small for the break points."
            .into(),
    }
}

/// Computes `∫_a^b f(x) dx` (`scipy.integrate.quad`).
///
/// `f` is either an array closure (`|x: &Array| ...`), traced once and
/// compiled, then called on all nodes of a batch at once (21 per interval,
/// 42 per bisection), or a plain `|x: f64| -> f64`. Infinite limits map
/// the range onto `(0, 1]` (QAGI); `options.points` splits the range at
/// known difficulties first (QAGP); otherwise the range is adaptively
/// bisected with 21-point Gauss–Kronrod and the results extrapolated with
/// the epsilon algorithm (QAGS). Non-convergence is reported in the
/// result's `status` and `message`, as SciPy's `ier`; an `Err` means the
/// arguments are unusable (a NaN limit, break points on an infinite range)
/// or the integrand failed (an array closure that does not trace).
///
/// ```
/// use ndjit::integrate::{quad, QuadOptions};
/// use ndjit::Array;
/// // ∫_0^1 x^(-1/2) dx = 2: an endpoint singularity, extrapolated away.
/// let r = quad(|x: &Array| x.sqrt().recip(), 0.0, 1.0, &QuadOptions::default())?;
/// assert!((r.value - 2.0).abs() <= r.abserr && r.success());
/// // ∫_0^∞ e^(-x²) dx = √π/2, with a plain Rust closure.
/// let r = quad(|x: f64| (-x * x).exp(), 0.0, f64::INFINITY, &QuadOptions::default())?;
/// assert!((r.value - std::f64::consts::PI.sqrt() / 2.0).abs() < 1e-12);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn quad<'f, M>(
    f: impl IntoIntegrand<'f, M>,
    a: f64,
    b: f64,
    options: &QuadOptions,
) -> Result<QuadResult> {
    if a.is_nan() || b.is_nan() {
        return Err(Error::invalid(
            "quad",
            format!("the limits must not be NaN (got a = {a}, b = {b})"),
        ));
    }
    let mut f = f.into_integrand();
    if let Some(weight) = options.weight {
        return weighted::quad_weighted(&mut f, a, b, weight, options);
    }
    // Integrate upwards, and flip the sign at the end (as SciPy does).
    let flip = b < a;
    let (lo, hi) = if flip { (b, a) } else { (a, b) };
    let infinite = lo == f64::NEG_INFINITY || hi == f64::INFINITY;
    let mut breaks = vec![lo];
    if !options.points.is_empty() {
        if infinite {
            return Err(Error::invalid(
                "quad",
                "break points cannot be used with an infinite range",
            ));
        }
        let mut inside: Vec<f64> = options
            .points
            .iter()
            .copied()
            .filter(|&p| lo < p && p < hi)
            .collect();
        inside.sort_by(f64::total_cmp);
        inside.dedup();
        breaks.extend(inside);
    }
    breaks.push(hi);
    let outcome = if infinite {
        let range = match (lo == f64::NEG_INFINITY, hi == f64::INFINITY) {
            (true, true) => Infinite::Both,
            (false, true) => Infinite::Upper(lo),
            _ => Infinite::Lower(hi),
        };
        let rule = Rule::Kronrod15Infinite(range);
        adaptive::integrate(
            &mut f,
            rule,
            &[0.0, 1.0],
            options.epsabs,
            options.epsrel,
            options.limit,
        )?
    } else {
        let rule = Rule::Kronrod21;
        adaptive::integrate(
            &mut f,
            rule,
            &breaks,
            options.epsabs,
            options.epsrel,
            options.limit,
        )?
    };
    let status = QuadStatus::from_ier(outcome.ier);
    let sign = if flip { -1.0 } else { 1.0 };
    Ok(QuadResult {
        value: sign * outcome.value,
        abserr: outcome.abserr,
        neval: f.calls(),
        last: outcome.intervals.len(),
        status,
        message: message(status, options.limit),
        intervals: outcome.intervals,
    })
}
