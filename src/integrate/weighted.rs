//! Integrals against a weight function: `cos(ωx)`/`sin(ωx)` (QAWO, the
//! rule in `oscillatory.rs`), and the Cauchy principal value
//! `⨍_a^b f(x)/(x - c) dx` (QUADPACK's QAWC), below.
//!
//! Intervals are bisected as in QAGS, except that `c` is never a node: an
//! interval holding `c` is split away from it. On an interval near `c`,
//! `f` is interpolated at 25 Chebyshev points and the interpolant is
//! integrated against `1/(x - c)` exactly, through the Chebyshev moments
//! of the weight (modified Clenshaw–Curtis, QC25C); the 13-point
//! interpolant gives the error estimate. Far from `c` the weighted
//! 15-point Gauss–Kronrod rule is enough.

use super::adaptive::{self, Interval, QuadStatus};
use super::gauss_kronrod::Rule;
use super::integrand::Integrand;
use super::oscillatory::Oscillation;
use super::quad::{message, QuadOptions, QuadResult, Weight};
use crate::error::{Error, Result};

/// Dispatches on the weight.
pub(crate) fn quad_weighted(
    f: &mut Integrand,
    a: f64,
    b: f64,
    weight: Weight,
    options: &QuadOptions,
) -> Result<QuadResult> {
    match weight {
        Weight::Cauchy(c) => cauchy(f, a, b, c, options),
        Weight::Cos(omega) => oscillating(f, a, b, Oscillation { omega, sine: false }, options),
        Weight::Sin(omega) => oscillating(f, a, b, Oscillation { omega, sine: true }, options),
    }
}

/// QAWO: `∫_a^b f(x)·w(x) dx` for `w` = `cos(ωx)` or `sin(ωx)`: the QAGS
/// driver (bisection and extrapolation) over the oscillatory rule.
fn oscillating(
    f: &mut Integrand,
    a: f64,
    b: f64,
    weight: Oscillation,
    options: &QuadOptions,
) -> Result<QuadResult> {
    if !(a.is_finite() && b.is_finite() && weight.omega.is_finite()) {
        return Err(Error::invalid(
            "quad",
            format!(
                "the cos/sin weight needs a finite range and frequency (a = {a}, b = {b}, omega = {})",
                weight.omega
            ),
        ));
    }
    let (lo, hi) = if a > b { (b, a) } else { (a, b) };
    let rule = Rule::Oscillatory(weight);
    let outcome = adaptive::integrate(
        f,
        rule,
        &[lo, hi],
        options.epsabs,
        options.epsrel,
        options.limit,
    )?;
    let status = QuadStatus::from_ier(outcome.ier);
    Ok(QuadResult {
        value: if a > b { -outcome.value } else { outcome.value },
        abserr: outcome.abserr,
        neval: f.calls(),
        last: outcome.intervals.len(),
        status,
        message: message(status, options.limit),
        intervals: outcome.intervals,
    })
}

/// Points `cos(kπ/24)`, `k = 0..=24`: the modified Clenshaw–Curtis nodes.
pub(crate) fn chebyshev_points() -> [f64; 25] {
    std::array::from_fn(|k| (k as f64 * std::f64::consts::PI / 24.0).cos())
}

/// Chebyshev coefficients of the interpolant at `cos(kπ/n)` of values
/// `f[k·stride]` (`p = Σ c_j T_j`, first and last coefficient halved).
pub(crate) fn chebyshev_coefficients(f: &[f64; 25], n: usize) -> Vec<f64> {
    let stride = 24 / n;
    (0..=n)
        .map(|j| {
            let mut sum = 0.0;
            for k in 0..=n {
                let end = if k == 0 || k == n { 0.5 } else { 1.0 };
                let angle = (j * k % (2 * n)) as f64 * std::f64::consts::PI / n as f64;
                sum += end * f[k * stride] * angle.cos();
            }
            let c = 2.0 / n as f64 * sum;
            if j == 0 || j == n {
                0.5 * c
            } else {
                c
            }
        })
        .collect()
}

/// How one interval is integrated against `1/(x - c)`.
#[derive(Clone, Copy)]
enum CauchyRule {
    /// Weighted 15-point Gauss–Kronrod (c far away).
    Kronrod,
    /// Modified Clenshaw–Curtis with the weight's moments (c near).
    ClenshawCurtis,
}

impl CauchyRule {
    /// QUADPACK's choice: the interpolation rule when `c`, mapped onto
    /// `[-1, 1]`, lies within 1.1 of the centre.
    fn for_interval(a: f64, b: f64, c: f64) -> Self {
        if ((2.0 * c - b - a) / (b - a)).abs() < 1.1 {
            CauchyRule::ClenshawCurtis
        } else {
            CauchyRule::Kronrod
        }
    }

    fn points(self, a: f64, b: f64, out: &mut Vec<f64>) {
        match self {
            CauchyRule::Kronrod => Rule::Kronrod15.points(a, b, out),
            CauchyRule::ClenshawCurtis => {
                let (centre, half) = (0.5 * (a + b), 0.5 * (b - a));
                out.extend(chebyshev_points().iter().map(|x| centre + half * x));
            }
        }
    }

    fn len(self) -> usize {
        match self {
            CauchyRule::Kronrod => 15,
            CauchyRule::ClenshawCurtis => 25,
        }
    }

    /// (value, error, whether the error estimate is degenerate, i.e. the
    /// Kronrod rule's error equals its deviation).
    fn estimate(self, a: f64, b: f64, c: f64, values: &[f64]) -> (f64, f64, bool) {
        match self {
            CauchyRule::Kronrod => {
                let mut points = Vec::with_capacity(15);
                Rule::Kronrod15.points(a, b, &mut points);
                let weighted: Vec<f64> = values
                    .iter()
                    .zip(&points)
                    .map(|(f, x)| f / (x - c))
                    .collect();
                let est = Rule::Kronrod15.estimate(a, b, &weighted);
                (est.value, est.error, est.error == est.deviation)
            }
            CauchyRule::ClenshawCurtis => {
                let fval: [f64; 25] = std::array::from_fn(|k| values[k]);
                let cheb12 = chebyshev_coefficients(&fval, 12);
                let cheb24 = chebyshev_coefficients(&fval, 24);
                // Moments m_k = ⨍_{-1}^{1} T_k(x)/(x - cc) dx by their
                // three-term recurrence.
                let cc = (2.0 * c - b - a) / (b - a);
                let mut m0 = ((1.0 - cc) / (1.0 + cc)).abs().ln();
                let mut m1 = 2.0 + cc * m0;
                let mut res12 = cheb12[0] * m0 + cheb12[1] * m1;
                let mut res24 = cheb24[0] * m0 + cheb24[1] * m1;
                for k in 2..=24 {
                    let mut m2 = 2.0 * cc * m1 - m0;
                    // + 2∫T_{k-1}, which is 2·2/(1-(k-1)²) for even k-1.
                    if k % 2 == 1 {
                        let j = (k - 1) as f64;
                        m2 -= 4.0 / (j * j - 1.0);
                    }
                    if k <= 12 {
                        res12 += cheb12[k] * m2;
                    }
                    res24 += cheb24[k] * m2;
                    m0 = m1;
                    m1 = m2;
                }
                (res24, (res24 - res12).abs(), false)
            }
        }
    }
}

/// QAWC: the Cauchy principal value of `∫_a^b f(x)/(x - c) dx`.
fn cauchy(f: &mut Integrand, a: f64, b: f64, c: f64, options: &QuadOptions) -> Result<QuadResult> {
    if !(a.is_finite() && b.is_finite() && c.is_finite()) {
        return Err(Error::invalid(
            "quad",
            format!("the Cauchy weight needs a finite range and pole (a = {a}, b = {b}, c = {c})"),
        ));
    }
    let (epsabs, epsrel, limit) = (options.epsabs, options.epsrel, options.limit);
    let epmach = f64::EPSILON;
    let (lo, hi) = if a > b { (b, a) } else { (a, b) };
    let done =
        |value: f64, abserr: f64, status: QuadStatus, intervals: Vec<Interval>, f: &Integrand| {
            QuadResult {
                value: if a > b { -value } else { value },
                abserr,
                neval: f.calls(),
                last: intervals.len(),
                status,
                message: message(status, limit),
                intervals,
            }
        };
    if c == a
        || c == b
        || !(lo < c && c < hi)
        || limit < 1
        || (epsabs <= 0.0 && epsrel < (50.0 * epmach).max(0.5e-28))
    {
        return Ok(done(0.0, 0.0, QuadStatus::InvalidInput, Vec::new(), f));
    }
    let evaluate = |f: &mut Integrand, pieces: &[(f64, f64)]| -> Result<Vec<(f64, f64, bool)>> {
        let mut points = Vec::new();
        let rules: Vec<CauchyRule> = pieces
            .iter()
            .map(|&(a, b)| CauchyRule::for_interval(a, b, c))
            .collect();
        for (&(a, b), rule) in pieces.iter().zip(&rules) {
            rule.points(a, b, &mut points);
        }
        let values = f.values(&points)?;
        let mut offset = 0;
        let mut out = Vec::with_capacity(pieces.len());
        for (&(a, b), rule) in pieces.iter().zip(&rules) {
            out.push(rule.estimate(a, b, c, &values[offset..offset + rule.len()]));
            offset += rule.len();
        }
        Ok(out)
    };
    let first = evaluate(f, &[(lo, hi)])?[0];
    let mut intervals = vec![Interval {
        a: lo,
        b: hi,
        value: first.0,
        error: first.1,
    }];
    let errbnd = epsabs.max(epsrel * first.0.abs());
    let mut status = QuadStatus::Converged;
    if limit == 1 {
        status = QuadStatus::SubdivisionLimit;
    }
    if first.1 < (0.01 * first.0.abs()).min(errbnd) || limit == 1 {
        return Ok(done(first.0, first.1, status, intervals, f));
    }
    let mut area = first.0;
    let mut errsum = first.1;
    let (mut iroff1, mut iroff2) = (0, 0);
    while intervals.len() < limit {
        // Bisect the interval with the largest error, never at c.
        let worst = (0..intervals.len())
            .max_by(|&i, &j| intervals[i].error.total_cmp(&intervals[j].error))
            .unwrap_or(0);
        let Interval {
            a: a1,
            b: b2,
            value: old,
            error: errmax,
        } = intervals[worst];
        let mut b1 = 0.5 * (a1 + b2);
        if c <= b1 && c > a1 {
            b1 = 0.5 * (c + b2);
        }
        if c > b1 && c < b2 {
            b1 = 0.5 * (a1 + c);
        }
        let a2 = b1;
        let halves = evaluate(f, &[(a1, b1), (a2, b2)])?;
        let (left, right) = (halves[0], halves[1]);
        let both_interpolated = matches!(
            CauchyRule::for_interval(a1, b1, c),
            CauchyRule::ClenshawCurtis
        ) || left.2;
        let both_interpolated = both_interpolated
            && (matches!(
                CauchyRule::for_interval(a2, b2, c),
                CauchyRule::ClenshawCurtis
            ) || right.2);
        let area12 = left.0 + right.0;
        let erro12 = left.1 + right.1;
        errsum += erro12 - errmax;
        area += area12 - old;
        if both_interpolated {
            if (old - area12).abs() < 1e-5 * area12.abs() && erro12 >= 0.99 * errmax {
                iroff1 += 1;
            }
            if intervals.len() + 1 > 10 && erro12 > errmax {
                iroff2 += 1;
            }
        }
        intervals[worst] = Interval {
            a: a1,
            b: b1,
            value: left.0,
            error: left.1,
        };
        intervals.push(Interval {
            a: a2,
            b: b2,
            value: right.0,
            error: right.1,
        });
        let errbnd = epsabs.max(epsrel * area.abs());
        if errsum <= errbnd {
            break;
        }
        if iroff1 >= 6 && iroff2 > 20 {
            status = QuadStatus::Roundoff;
        }
        if intervals.len() == limit {
            status = QuadStatus::SubdivisionLimit;
        }
        if a1.abs().max(b2.abs())
            <= (1.0 + 100.0 * epmach) * (a2.abs() + 1000.0 * f64::MIN_POSITIVE)
        {
            status = QuadStatus::BadIntegrand;
        }
        if status != QuadStatus::Converged {
            break;
        }
    }
    let value = intervals.iter().map(|iv| iv.value).sum();
    Ok(done(value, errsum, status, intervals, f))
}
