//! `minimize_scalar`: SciPy's Brent, bounded (fminbound) and golden-section
//! minimizers of a function of one variable.

use super::function::{IntoScalarFunction, ScalarFunction};
use crate::error::{Error, Result};
use crate::optimize::OptimizeResult;

/// SciPy's `minimize_scalar(method=...)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarMethod {
    /// Brent's parabolic interpolation with golden-section safeguard,
    /// from a bracket (found downhill from (0, 1) if not given).
    Brent,
    /// Brent's method confined to `bounds` (SciPy's `fminbound`).
    Bounded,
    /// Golden-section search from a bracket.
    Golden,
}

/// Options, SciPy's names; `None` is SciPy's default.
#[derive(Clone, Debug, Default)]
pub struct ScalarOptions {
    /// Two points to search downhill from, or three points (a, b, c) with
    /// f(b) below f(a) and f(c) — given as a vector of 2 or 3 values.
    pub bracket: Option<Vec<f64>>,
    /// The interval for `Bounded`.
    pub bounds: Option<(f64, f64)>,
    /// Relative tolerance (Brent 1.48e-8, golden √ε); `Bounded`: `xatol`
    /// (1e-5).
    pub xtol: Option<f64>,
    /// Iteration limit (Brent and bounded 500, golden 5000).
    pub maxiter: Option<usize>,
}

impl ScalarOptions {
    /// Sets the bracket.
    pub fn bracket(mut self, points: &[f64]) -> Self {
        self.bracket = Some(points.to_vec());
        self
    }
    /// Sets the bounds.
    pub fn bounds(mut self, lower: f64, upper: f64) -> Self {
        self.bounds = Some((lower, upper));
        self
    }
    /// Sets xtol.
    pub fn xtol(mut self, xtol: f64) -> Self {
        self.xtol = Some(xtol);
        self
    }
    /// Sets maxiter.
    pub fn maxiter(mut self, maxiter: usize) -> Self {
        self.maxiter = Some(maxiter);
        self
    }
}

/// Minimizes a function of one variable, as SciPy's
/// `scipy.optimize.minimize_scalar`. The result's `x` has one element.
///
/// ```
/// use ndjit::optimize::{minimize_scalar, ScalarMethod, ScalarOptions};
/// use ndjit::Array;
/// let f = |x: &Array| (x - 2.0).square() * (x + 2.0).square() + x; // two wells
/// let r = minimize_scalar(f, ScalarMethod::Bounded, ScalarOptions::default().bounds(0.0, 4.0))?;
/// assert!(r.success && (r.x[0] - 1.9687).abs() < 1e-3);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn minimize_scalar<'a>(
    f: impl IntoScalarFunction<'a>,
    method: ScalarMethod,
    options: ScalarOptions,
) -> Result<OptimizeResult> {
    let mut f = f.into_scalar_function();
    let (x, fun, nit, status, message) = match method {
        ScalarMethod::Bounded => {
            let (a, b) = options
                .bounds
                .ok_or_else(|| Error::invalid("minimize_scalar", "method bounded needs bounds"))?;
            if !(a.is_finite() && b.is_finite()) || a > b {
                return Err(Error::invalid(
                    "minimize_scalar",
                    format!("bounds ({a}, {b}) must be finite with lower <= upper"),
                ));
            }
            bounded(
                &mut f,
                a,
                b,
                options.xtol.unwrap_or(1e-5),
                options.maxiter.unwrap_or(500),
            )?
        }
        ScalarMethod::Brent | ScalarMethod::Golden => {
            let Some(bracket) = find_bracket(&mut f, options.bracket.as_deref())? else {
                return Ok(result(
                    f64::NAN,
                    f64::NAN,
                    0,
                    &f,
                    2,
                    "No bracket with a lower interior point was found.",
                ));
            };
            if method == ScalarMethod::Brent {
                brent(
                    &mut f,
                    bracket,
                    options.xtol.unwrap_or(1.48e-8),
                    options.maxiter.unwrap_or(500),
                )?
            } else {
                golden(
                    &mut f,
                    bracket,
                    options.xtol.unwrap_or(f64::EPSILON.sqrt()),
                    options.maxiter.unwrap_or(5000),
                )?
            }
        }
    };
    Ok(result(x, fun, nit, &f, status, message))
}

fn result(
    x: f64,
    fun: f64,
    nit: usize,
    f: &ScalarFunction<'_>,
    status: i32,
    message: &str,
) -> OptimizeResult {
    let status = if status == 0 && (x.is_nan() || fun.is_nan()) {
        2
    } else {
        status
    };
    OptimizeResult {
        x: vec![x],
        fun,
        jac: None,
        hess_inv: None,
        nit,
        nfev: f.calls,
        njev: 0,
        nhev: 0,
        success: status == 0,
        status,
        message: if status == 2 && message.is_empty() {
            "NaN result encountered."
        } else {
            message
        }
        .to_string(),
    }
}

/// (xa, xb, xc) with f(xb) below f(xa) and f(xc), and f(xb).
type Bracket = (f64, f64, f64, f64);

const GOLD: f64 = 1.618034;

/// SciPy's `bracket`: downhill from two points with parabolic
/// extrapolation, growth limited to 110×. `None` if no interior minimum
/// is found within 1000 steps (or on non-finite values).
fn find_bracket(f: &mut ScalarFunction<'_>, given: Option<&[f64]>) -> Result<Option<Bracket>> {
    let (mut xa, mut xb) = match given {
        None => (0.0, 1.0),
        Some([a, b]) => (*a, *b),
        Some([a, b, c]) => {
            let (fa, fb, fc) = (f.value(*a)?, f.value(*b)?, f.value(*c)?);
            if !(fb < fa && fb < fc) || !((a < b && b < c) || (c < b && b < a)) {
                return Err(Error::invalid(
                    "minimize_scalar",
                    format!("the bracket ({a}, {b}, {c}) needs a < b < c (or reversed) and f(b) below f(a) and f(c)"),
                ));
            }
            return Ok(Some((*a, *b, *c, fb)));
        }
        Some(other) => {
            return Err(Error::invalid(
                "minimize_scalar",
                format!("a bracket has 2 or 3 points, got {}", other.len()),
            ))
        }
    };
    let (mut fa, mut fb) = (f.value(xa)?, f.value(xb)?);
    if fa < fb {
        std::mem::swap(&mut xa, &mut xb);
        std::mem::swap(&mut fa, &mut fb);
    }
    let mut xc = xb + GOLD * (xb - xa);
    let mut fc = f.value(xc)?;
    let mut steps = 0;
    while fc < fb {
        if steps > 1000 || !fc.is_finite() {
            return Ok(None);
        }
        steps += 1;
        let tmp1 = (xb - xa) * (fb - fc);
        let tmp2 = (xb - xc) * (fb - fa);
        let val = tmp2 - tmp1;
        let denom = if val.abs() < 1e-21 { 2e-21 } else { 2.0 * val };
        let mut w = xb - ((xb - xc) * tmp2 - (xb - xa) * tmp1) / denom;
        let wlim = xb + 110.0 * (xc - xb);
        let mut fw;
        if (w - xc) * (xb - w) > 0.0 {
            fw = f.value(w)?;
            if fw < fc {
                return Ok(Some((xb, w, xc, fw)));
            } else if fw > fb {
                return Ok(Some((xa, xb, w, fb)));
            }
            w = xc + GOLD * (xc - xb);
            fw = f.value(w)?;
        } else if (w - wlim) * (wlim - xc) >= 0.0 {
            w = wlim;
            fw = f.value(w)?;
        } else if (w - wlim) * (xc - w) > 0.0 {
            fw = f.value(w)?;
            if fw < fc {
                xb = xc;
                xc = w;
                w = xc + GOLD * (xc - xb);
                fb = fc;
                fc = fw;
                fw = f.value(w)?;
            }
        } else {
            w = xc + GOLD * (xc - xb);
            fw = f.value(w)?;
        }
        xa = xb;
        xb = xc;
        xc = w;
        fa = fb;
        fb = fc;
        fc = fw;
    }
    if fb.is_finite() && fb < fa {
        Ok(Some((xa, xb, xc, fb)))
    } else {
        Ok(None)
    }
}

type Minimum = (f64, f64, usize, i32, &'static str);

/// SciPy's `Brent.optimize`.
fn brent(
    f: &mut ScalarFunction<'_>,
    bracket: Bracket,
    tol: f64,
    maxiter: usize,
) -> Result<Minimum> {
    const MINTOL: f64 = 1e-11;
    const CG: f64 = 0.3819660;
    let (xa, xb, xc, fb) = bracket;
    let (mut x, mut w, mut v) = (xb, xb, xb);
    let (mut fx, mut fw, mut fv) = (fb, fb, fb);
    let (mut a, mut b) = if xa < xc { (xa, xc) } else { (xc, xa) };
    let mut deltax: f64 = 0.0;
    let mut rat: f64 = 0.0;
    let mut nit = 0;
    while nit < maxiter {
        let tol1 = tol * x.abs() + MINTOL;
        let tol2 = 2.0 * tol1;
        let xmid = 0.5 * (a + b);
        if (x - xmid).abs() < tol2 - 0.5 * (b - a) {
            break;
        }
        if deltax.abs() <= tol1 {
            deltax = if x >= xmid { a - x } else { b - x };
            rat = CG * deltax;
        } else {
            let tmp1 = (x - w) * (fx - fv);
            let mut tmp2 = (x - v) * (fx - fw);
            let mut p = (x - v) * tmp2 - (x - w) * tmp1;
            tmp2 = 2.0 * (tmp2 - tmp1);
            if tmp2 > 0.0 {
                p = -p;
            }
            tmp2 = tmp2.abs();
            let previous = deltax;
            deltax = rat;
            if p > tmp2 * (a - x) && p < tmp2 * (b - x) && p.abs() < (0.5 * tmp2 * previous).abs() {
                rat = p / tmp2;
                let u = x + rat;
                if (u - a) < tol2 || (b - u) < tol2 {
                    rat = if xmid - x >= 0.0 { tol1 } else { -tol1 };
                }
            } else {
                deltax = if x >= xmid { a - x } else { b - x };
                rat = CG * deltax;
            }
        }
        let u = if rat.abs() < tol1 {
            if rat >= 0.0 {
                x + tol1
            } else {
                x - tol1
            }
        } else {
            x + rat
        };
        let fu = f.value(u)?;
        if fu.is_nan() {
            return Ok((u, fu, nit + 1, 2, "NaN result encountered."));
        }
        if fu > fx {
            if u < x {
                a = u;
            } else {
                b = u;
            }
            if fu <= fw || w == x {
                v = w;
                w = u;
                fv = fw;
                fw = fu;
            } else if fu <= fv || v == x || v == w {
                v = u;
                fv = fu;
            }
        } else {
            if u >= x {
                a = x;
            } else {
                b = x;
            }
            v = w;
            w = x;
            x = u;
            fv = fw;
            fw = fx;
            fx = fu;
        }
        nit += 1;
    }
    if nit >= maxiter {
        return Ok((x, fx, nit, 1, "Maximum number of iterations exceeded"));
    }
    Ok((x, fx, nit, 0, "\nOptimization terminated successfully;\nThe returned value satisfies the termination criteria\n(using xtol = 1.48e-08 )"))
}

/// SciPy's golden-section search.
fn golden(
    f: &mut ScalarFunction<'_>,
    bracket: Bracket,
    tol: f64,
    maxiter: usize,
) -> Result<Minimum> {
    const R: f64 = 0.61803399;
    const C: f64 = 1.0 - R;
    let (xa, xb, xc, _) = bracket;
    let (mut x0, mut x3) = (xa, xc);
    let (mut x1, mut x2) = if (xc - xb).abs() > (xb - xa).abs() {
        (xb, xb + C * (xc - xb))
    } else {
        (xb - C * (xb - xa), xb)
    };
    let (mut f1, mut f2) = (f.value(x1)?, f.value(x2)?);
    let mut nit = 0;
    while nit < maxiter {
        if (x3 - x0).abs() <= tol * (x1.abs() + x2.abs()) {
            break;
        }
        if f2 < f1 {
            x0 = x1;
            x1 = x2;
            x2 = R * x1 + C * x3;
            f1 = f2;
            f2 = f.value(x2)?;
        } else {
            x3 = x2;
            x2 = x1;
            x1 = R * x2 + C * x0;
            f2 = f1;
            f1 = f.value(x1)?;
        }
        if f1.is_nan() || f2.is_nan() {
            return Ok((x1, f64::NAN, nit + 1, 2, "NaN result encountered."));
        }
        nit += 1;
    }
    let (x, fun) = if f1 < f2 { (x1, f1) } else { (x2, f2) };
    if nit >= maxiter {
        return Ok((x, fun, nit, 1, "Maximum number of iterations exceeded"));
    }
    Ok((x, fun, nit, 0, "\nOptimization terminated successfully;\nThe returned value satisfies the termination criteria\n(using xtol = 1.4901161193847656e-08 )"))
}

/// SciPy's `fminbound` (Brent's method on an interval).
fn bounded(
    f: &mut ScalarFunction<'_>,
    lower: f64,
    upper: f64,
    xatol: f64,
    maxfun: usize,
) -> Result<Minimum> {
    let sqrt_eps = 2.2e-16f64.sqrt();
    let golden_mean = 0.5 * (3.0 - 5.0f64.sqrt());
    let (mut a, mut b) = (lower, upper);
    let mut fulc = a + golden_mean * (b - a);
    let (mut nfc, mut xf) = (fulc, fulc);
    let (mut rat, mut e): (f64, f64) = (0.0, 0.0);
    let mut fx = f.value(xf)?;
    let mut calls = 1;
    let (mut ffulc, mut fnfc) = (fx, fx);
    let mut xm = 0.5 * (a + b);
    let mut tol1 = sqrt_eps * xf.abs() + xatol / 3.0;
    let mut tol2 = 2.0 * tol1;
    let mut status = 0;
    while (xf - xm).abs() > tol2 - 0.5 * (b - a) {
        let mut golden = true;
        if e.abs() > tol1 {
            golden = false;
            let mut r = (xf - nfc) * (fx - ffulc);
            let mut q = (xf - fulc) * (fx - fnfc);
            let mut p = (xf - fulc) * q - (xf - nfc) * r;
            q = 2.0 * (q - r);
            if q > 0.0 {
                p = -p;
            }
            q = q.abs();
            r = e;
            e = rat;
            if p.abs() < (0.5 * q * r).abs() && p > q * (a - xf) && p < q * (b - xf) {
                rat = p / q;
                let x = xf + rat;
                if (x - a) < tol2 || (b - x) < tol2 {
                    let si = if xm - xf >= 0.0 { 1.0 } else { -1.0 };
                    rat = tol1 * si;
                }
            } else {
                golden = true;
            }
        }
        if golden {
            e = if xf >= xm { a - xf } else { b - xf };
            rat = golden_mean * e;
        }
        let si = if rat >= 0.0 { 1.0 } else { -1.0 };
        let x = xf + si * rat.abs().max(tol1);
        let fu = f.value(x)?;
        calls += 1;
        if fu.is_nan() {
            return Ok((x, fu, calls, 2, "NaN result encountered."));
        }
        if fu <= fx {
            if x >= xf {
                a = xf;
            } else {
                b = xf;
            }
            fulc = nfc;
            ffulc = fnfc;
            nfc = xf;
            fnfc = fx;
            xf = x;
            fx = fu;
        } else {
            if x < xf {
                a = x;
            } else {
                b = x;
            }
            if fu <= fnfc || nfc == xf {
                fulc = nfc;
                ffulc = fnfc;
                nfc = x;
                fnfc = fu;
            } else if fu <= ffulc || fulc == xf || fulc == nfc {
                fulc = x;
                ffulc = fu;
            }
        }
        xm = 0.5 * (a + b);
        tol1 = sqrt_eps * xf.abs() + xatol / 3.0;
        tol2 = 2.0 * tol1;
        if calls >= maxfun {
            status = 1;
            break;
        }
    }
    let message = if status == 1 {
        "Maximum number of function calls reached."
    } else {
        "Solution found."
    };
    Ok((xf, fx, calls, status, message))
}
