//! The globally adaptive driver of QUADPACK's QAGS, QAGI and QAGP:
//! bisect the interval with the largest error estimate, and extrapolate
//! the sequence of results with the epsilon algorithm whenever the large
//! intervals are done and only the small ones near a difficulty remain.
//!
//! The bookkeeping follows QUADPACK step for step (same decisions, same
//! counts), so results, `neval` and the number of intervals match SciPy's.
//! Interval lists are 1-based as in QUADPACK (slot 0 unused): the ordering
//! routine [`Intervals::reorder`] is much easier to check against its
//! original that way.

use super::epsilon::EpsilonTable;
use super::gauss_kronrod::Rule;
use super::integrand::Integrand;
use crate::error::Result;

/// QUADPACK's `ier` codes, after its final renumbering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuadStatus {
    /// 0: the requested accuracy was reached.
    Converged,
    /// 1: the maximum number of subintervals (`limit`) was reached.
    SubdivisionLimit,
    /// 2: roundoff error prevents reaching the requested tolerance.
    Roundoff,
    /// 3: extremely bad integrand behaviour at some points of the range.
    BadIntegrand,
    /// 4: no convergence; roundoff error in the extrapolation table.
    ExtrapolationRoundoff,
    /// 5: the integral is probably divergent or slowly convergent.
    Divergent,
    /// 6: the input is invalid (tolerances, limit, points, weight).
    InvalidInput,
}

impl QuadStatus {
    /// QUADPACK's (and SciPy's) `ier` number.
    pub fn ier(self) -> u8 {
        match self {
            QuadStatus::Converged => 0,
            QuadStatus::SubdivisionLimit => 1,
            QuadStatus::Roundoff => 2,
            QuadStatus::BadIntegrand => 3,
            QuadStatus::ExtrapolationRoundoff => 4,
            QuadStatus::Divergent => 5,
            QuadStatus::InvalidInput => 6,
        }
    }

    /// The status of an `ier` number (anything above 6 is invalid input).
    pub(crate) fn from_ier(ier: u8) -> Self {
        match ier {
            0 => QuadStatus::Converged,
            1 => QuadStatus::SubdivisionLimit,
            2 => QuadStatus::Roundoff,
            3 => QuadStatus::BadIntegrand,
            4 => QuadStatus::ExtrapolationRoundoff,
            5 => QuadStatus::Divergent,
            _ => QuadStatus::InvalidInput,
        }
    }
}

/// One subinterval of the final partition.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Left end.
    pub a: f64,
    /// Right end.
    pub b: f64,
    /// The integral over it.
    pub value: f64,
    /// Its error estimate.
    pub error: f64,
}

/// What an adaptive run found.
pub(crate) struct Outcome {
    pub value: f64,
    pub abserr: f64,
    pub ier: u8,
    /// The partition, in QUADPACK's storage order.
    pub intervals: Vec<Interval>,
}

/// The subintervals with their estimates, and the order of their errors.
struct Intervals {
    a: Vec<f64>,
    b: Vec<f64>,
    value: Vec<f64>,
    error: Vec<f64>,
    level: Vec<u32>,
    /// `order[1..=nrmax]` … indices by decreasing error (QUADPACK's iord).
    order: Vec<usize>,
    limit: usize,
}

impl Intervals {
    fn new(limit: usize) -> Self {
        let n = limit + 2;
        Intervals {
            a: vec![0.0; n],
            b: vec![0.0; n],
            value: vec![0.0; n],
            error: vec![0.0; n],
            level: vec![0; n],
            order: vec![0; n],
            limit,
        }
    }

    /// QUADPACK's QPSRT: after interval `maxerr` was bisected into itself
    /// and `last`, restore the descending order of errors among the
    /// `order` entries that can still matter, and return the new interval
    /// to bisect (`maxerr`, its error) at position `nrmax`.
    fn reorder(&mut self, last: usize, maxerr: &mut usize, nrmax: &mut usize) -> f64 {
        let (e, iord) = (&self.error, &mut self.order);
        if last <= 2 {
            iord[1] = 1;
            iord[2] = 2;
        } else {
            let errmax = e[*maxerr];
            // Move the bisected interval up past smaller errors when the
            // list was not being consumed from the top.
            if *nrmax != 1 {
                for _ in 1..*nrmax {
                    let isucc = iord[*nrmax - 1];
                    if errmax <= e[isucc] {
                        break;
                    }
                    iord[*nrmax] = isucc;
                    *nrmax -= 1;
                }
            }
            // Only the first `jupbn` entries are kept sorted: once more than
            // half of `limit` is used, the smallest can never be bisected.
            let jupbn = if last > self.limit / 2 + 2 {
                self.limit + 3 - last
            } else {
                last
            };
            let errmin = e[last];
            let jbnd = jupbn - 1;
            let mut insert_at = None;
            for i in (*nrmax + 1)..=jbnd {
                let isucc = iord[i];
                if errmax >= e[isucc] {
                    insert_at = Some(i);
                    break;
                }
                iord[i - 1] = isucc;
            }
            match insert_at {
                None => {
                    iord[jbnd] = *maxerr;
                    iord[jupbn] = last;
                }
                Some(i) => {
                    iord[i - 1] = *maxerr;
                    let mut k = jbnd;
                    let mut placed = false;
                    for _ in i..=jbnd {
                        let isucc = iord[k];
                        if errmin < e[isucc] {
                            iord[k + 1] = last;
                            placed = true;
                            break;
                        }
                        iord[k + 1] = isucc;
                        k -= 1;
                    }
                    if !placed {
                        iord[i] = last;
                    }
                }
            }
        }
        *maxerr = iord[*nrmax];
        e[*maxerr]
    }

    fn partition(&self, last: usize) -> Vec<Interval> {
        (1..=last)
            .map(|k| Interval {
                a: self.a[k],
                b: self.b[k],
                value: self.value[k],
                error: self.error[k],
            })
            .collect()
    }

    fn sum(&self, last: usize) -> f64 {
        self.value[1..=last].iter().sum()
    }
}

/// How "small" intervals are told apart from large ones, the one place
/// where QAGS/QAGI and QAGP differ: by width (halved after each
/// extrapolation), or by bisection level (raised after each).
enum Smallness {
    Width(f64),
    Level(u32),
}

impl Smallness {
    fn is_large(&self, width: f64, level: u32) -> bool {
        match *self {
            Smallness::Width(small) => width > small,
            Smallness::Level(max) => level < max,
        }
    }

    fn refine(&mut self) {
        match self {
            Smallness::Width(small) => *small *= 0.5,
            Smallness::Level(max) => *max += 1,
        }
    }
}

/// Integrates over `breaks[0]..breaks[n]` with `rule`. With two breaks
/// this is QAGS (QAGI with an infinite rule on `(0, 1)`); with more it is
/// QAGP, the interior breaks being known difficulties of the integrand.
pub(crate) fn integrate(
    f: &mut Integrand,
    rule: Rule,
    breaks: &[f64],
    epsabs: f64,
    epsrel: f64,
    limit: usize,
) -> Result<Outcome> {
    let epmach = f64::EPSILON;
    let uflow = f64::MIN_POSITIVE;
    let oflow = f64::MAX;
    let with_points = breaks.len() > 2;
    let nint = breaks.len() - 1;
    let invalid = Outcome {
        value: 0.0,
        abserr: 0.0,
        ier: 6,
        intervals: Vec::new(),
    };
    if (epsabs <= 0.0 && epsrel < (50.0 * epmach).max(0.5e-28)) || limit < nint.max(1) {
        return Ok(invalid);
    }
    // No room to bisect: reported as the limit (QUADPACK would call the
    // unrefined sum converged).
    let no_room = limit == nint;
    let mut iv = Intervals::new(limit);

    // The initial partition, evaluated in one batch.
    let mut points = Vec::new();
    let mut offsets = vec![0];
    for w in breaks.windows(2) {
        rule.points(w[0], w[1], &mut points);
        offsets.push(points.len());
    }
    let values = f.values(&points)?;
    let mut result = 0.0;
    let mut abserr = 0.0;
    let mut resabs = 0.0;
    let mut degenerate = vec![false; nint + 1];
    for (k, w) in breaks.windows(2).enumerate() {
        let i = k + 1;
        let est = rule.estimate(w[0], w[1], &values[offsets[k]..offsets[k + 1]]);
        result += est.value;
        abserr += est.error;
        resabs += est.abs_value;
        // QAGP: an interval whose error equals its |f| integral says
        // nothing about the error; it is given the total error instead.
        degenerate[i] = with_points && est.error == est.deviation && est.error != 0.0;
        iv.a[i] = w[0];
        iv.b[i] = w[1];
        iv.value[i] = est.value;
        iv.error[i] = est.error;
        iv.order[i] = i;
        if !with_points {
            // QAGS keeps the Kronrod |f| sum, and QUADPACK's test compares
            // the error with the deviation `resasc`.
            resabs = est.abs_value;
        }
    }
    let first_deviation = if with_points {
        0.0
    } else {
        rule.estimate(breaks[0], breaks[1], &values).deviation
    };
    let mut errsum = 0.0;
    if with_points {
        for (error, &degenerate) in iv.error[1..=nint].iter_mut().zip(&degenerate[1..]) {
            if degenerate {
                *error = abserr;
            }
            errsum += *error;
        }
    } else {
        errsum = abserr;
    }
    let dres = result.abs();
    let mut errbnd = epsabs.max(epsrel * dres);
    let mut ier: u8 = 0;
    if abserr <= 100.0 * epmach * resabs && abserr > errbnd {
        ier = 2;
    }
    let mut last = nint;
    if with_points {
        // Sort the initial intervals by decreasing error.
        for i in 1..nint {
            let mut best = iv.order[i];
            let mut k = i;
            for j in (i + 1)..=nint {
                if iv.error[best] <= iv.error[iv.order[j]] {
                    best = iv.order[j];
                    k = j;
                }
            }
            if best != iv.order[i] {
                iv.order[k] = iv.order[i];
                iv.order[i] = best;
            }
        }
        if no_room && abserr > errbnd {
            ier = 1;
        }
        if ier != 0 || abserr <= errbnd {
            return Ok(Outcome {
                value: result,
                abserr,
                ier: renumber(ier),
                intervals: iv.partition(last),
            });
        }
    } else {
        if limit == 1 {
            ier = 1;
        }
        if ier != 0 || (abserr <= errbnd && abserr != first_deviation) || abserr == 0.0 {
            return Ok(Outcome {
                value: result,
                abserr,
                ier: renumber(ier),
                intervals: iv.partition(last),
            });
        }
    }

    let mut table = EpsilonTable::new();
    table.push(result);
    let mut maxerr = iv.order[1];
    let mut errmax = iv.error[maxerr];
    let mut area = result;
    let mut nrmax = 1;
    let mut ktmin = 0;
    let mut extrap = false;
    let mut noext = false;
    let (mut iroff1, mut iroff2, mut iroff3) = (0, 0, 0);
    let mut ierro = 0;
    abserr = oflow;
    let ksgn = if dres >= (1.0 - 50.0 * epmach) * resabs {
        1
    } else {
        -1
    };
    let mut smallness = if with_points {
        Smallness::Level(1)
    } else {
        Smallness::Width(0.0)
    };
    let mut erlarg = errsum;
    let mut ertest = errbnd;
    let mut correc = 0.0;
    let mut points = Vec::new();
    let mut converged_sum = false;

    for next in (nint + 1)..=limit {
        last = next;
        // Bisect the interval with the largest error; both halves are
        // evaluated in one batch.
        let levcur = iv.level[maxerr] + 1;
        let a1 = iv.a[maxerr];
        let b1 = 0.5 * (iv.a[maxerr] + iv.b[maxerr]);
        let (a2, b2) = (b1, iv.b[maxerr]);
        let erlast = errmax;
        points.clear();
        rule.points(a1, b1, &mut points);
        let n = points.len();
        rule.points(a2, b2, &mut points);
        let values = f.values(&points)?;
        let left = rule.estimate(a1, b1, &values[..n]);
        let right = rule.estimate(a2, b2, &values[n..]);
        let area12 = left.value + right.value;
        let erro12 = left.error + right.error;
        errsum = errsum + erro12 - errmax;
        area = area + area12 - iv.value[maxerr];
        // Roundoff: bisection no longer changes the result or the error.
        if left.deviation != left.error && right.deviation != right.error {
            if (iv.value[maxerr] - area12).abs() <= 1e-5 * area12.abs() && erro12 >= 0.99 * errmax {
                if extrap {
                    iroff2 += 1;
                } else {
                    iroff1 += 1;
                }
            }
            if last > 10 && erro12 > errmax {
                iroff3 += 1;
            }
        }
        iv.level[maxerr] = levcur;
        iv.level[last] = levcur;
        iv.value[maxerr] = left.value;
        iv.value[last] = right.value;
        errbnd = epsabs.max(epsrel * area.abs());
        if iroff1 + iroff2 >= 10 || iroff3 >= 20 {
            ier = 2;
        }
        if iroff2 >= 5 {
            ierro = 3;
        }
        if last == limit {
            ier = 1;
        }
        // Bad integrand: the interval is as small as floats allow.
        if a1.abs().max(b2.abs()) <= (1.0 + 100.0 * epmach) * (a2.abs() + 1000.0 * uflow) {
            ier = 4;
        }
        // The half with the larger error takes slot maxerr.
        if right.error > left.error {
            iv.a[maxerr] = a2;
            iv.a[last] = a1;
            iv.b[last] = b1;
            iv.value[maxerr] = right.value;
            iv.value[last] = left.value;
            iv.error[maxerr] = right.error;
            iv.error[last] = left.error;
        } else {
            iv.a[last] = a2;
            iv.b[maxerr] = b1;
            iv.b[last] = b2;
            iv.error[maxerr] = left.error;
            iv.error[last] = right.error;
        }
        errmax = iv.reorder(last, &mut maxerr, &mut nrmax);
        if errsum <= errbnd {
            converged_sum = true;
            break;
        }
        if ier != 0 {
            break;
        }
        if !with_points && last == 2 {
            smallness = Smallness::Width((breaks[1] - breaks[0]).abs() * 0.375);
            erlarg = errsum;
            ertest = errbnd;
            table.push(area);
            continue;
        }
        if noext {
            continue;
        }
        erlarg -= erlast;
        if smallness.is_large((b1 - a1).abs(), levcur) {
            erlarg += erro12;
        }
        if !extrap {
            // Keep bisecting large intervals while there are any.
            let width = (iv.b[maxerr] - iv.a[maxerr]).abs();
            if smallness.is_large(width, iv.level[maxerr]) {
                continue;
            }
            extrap = true;
            nrmax = 2;
        }
        let mut large_left = false;
        if ierro != 3 && erlarg > ertest {
            // The error over the large intervals still dominates: bisect
            // them first, before extrapolating.
            let jupbnd = if last > 2 + limit / 2 {
                limit + 3 - last
            } else {
                last
            };
            for _ in 0..(jupbnd + 1).saturating_sub(nrmax) {
                maxerr = iv.order[nrmax];
                errmax = iv.error[maxerr];
                let width = (iv.b[maxerr] - iv.a[maxerr]).abs();
                if smallness.is_large(width, iv.level[maxerr]) {
                    large_left = true;
                    break;
                }
                nrmax += 1;
            }
        }
        if large_left {
            continue;
        }
        // Extrapolate.
        table.push(area);
        if !with_points || table.len() > 2 {
            let (reseps, abseps) = table.extrapolate();
            ktmin += 1;
            if ktmin > 5 && abserr < 1e-3 * errsum {
                ier = 5;
            }
            if abseps < abserr {
                ktmin = 0;
                abserr = abseps;
                result = reseps;
                correc = erlarg;
                ertest = epsabs.max(epsrel * reseps.abs());
                let done = if with_points {
                    abserr < ertest
                } else {
                    abserr <= ertest
                };
                if done {
                    break;
                }
            }
            // The table was reset to one element: extrapolation is useless.
            if table.len() == 1 {
                noext = true;
            }
            if ier == 5 {
                break;
            }
        }
        // Start again from the largest error, with a finer notion of small.
        maxerr = iv.order[1];
        errmax = iv.error[maxerr];
        nrmax = 1;
        extrap = false;
        smallness.refine();
        erlarg = errsum;
    }

    // Choose between the extrapolated result and the plain sum.
    let use_sum = converged_sum || abserr == oflow || {
        let mut use_sum = false;
        if ier + ierro != 0 {
            if ierro == 3 {
                abserr += correc;
            }
            if ier == 0 {
                ier = 3;
            }
            if result != 0.0 && area != 0.0 {
                use_sum = abserr / result.abs() > errsum / area.abs();
            } else if abserr > errsum {
                use_sum = true;
            } else if area == 0.0 {
                return Ok(Outcome {
                    value: result,
                    abserr,
                    ier: renumber(ier),
                    intervals: iv.partition(last),
                });
            }
        }
        if !use_sum {
            // Divergence: the extrapolated and summed results disagree.
            let divergent_sign = ksgn == -1 && result.abs().max(area.abs()) <= resabs * 0.01;
            if !divergent_sign
                && (0.01 > result / area || result / area > 100.0 || errsum > area.abs())
            {
                ier = 6;
            }
        }
        use_sum
    };
    if use_sum {
        result = iv.sum(last);
        abserr = errsum;
    }
    Ok(Outcome {
        value: result,
        abserr,
        ier: renumber(ier),
        intervals: iv.partition(last),
    })
}

/// QUADPACK's final renumbering of `ier` (codes above 2 shift down by one,
/// so "divergent", set as 6 internally, is reported as 5).
fn renumber(ier: u8) -> u8 {
    if ier > 2 {
        ier - 1
    } else {
        ier
    }
}
