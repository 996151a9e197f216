//! `root_scalar`: SciPy's bracketing (bisect, brentq, brenth, ridder) and
//! open (newton, halley, secant) root finders, derivatives by autodiff.

use super::function::{IntoScalarFunction, ScalarFunction};
use crate::error::{Error, Result};
use std::fmt;

/// SciPy's `root_scalar(method=...)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RootMethod {
    /// Bisection of a bracket.
    Bisect,
    /// Brent's method (inverse quadratic interpolation) on a bracket.
    Brentq,
    /// Brent's method with hyperbolic extrapolation on a bracket.
    Brenth,
    /// Ridders' exponential-fit method on a bracket.
    Ridder,
    /// Newton–Raphson from x0 (f′ by autodiff).
    Newton,
    /// Halley's method from x0 (f′ and f″ by autodiff).
    Halley,
    /// The secant method from x0 (and x1).
    Secant,
}

impl RootMethod {
    fn name(self) -> &'static str {
        match self {
            RootMethod::Bisect => "bisect",
            RootMethod::Brentq => "brentq",
            RootMethod::Brenth => "brenth",
            RootMethod::Ridder => "ridder",
            RootMethod::Newton => "newton",
            RootMethod::Halley => "halley",
            RootMethod::Secant => "secant",
        }
    }
}

/// The bracket or starting points and tolerances, SciPy's names. `None`
/// takes SciPy's default: bracketing methods xtol = 2e-12, rtol = 4ε,
/// maxiter = 100; Newton, Halley and secant xtol = 1.48e-8, rtol = 0,
/// maxiter = 50.
#[derive(Clone, Debug, Default)]
pub struct RootOptions {
    /// `[a, b]` with f(a), f(b) of opposite signs (bracketing methods).
    pub bracket: Option<(f64, f64)>,
    /// The starting point (open methods).
    pub x0: Option<f64>,
    /// The second starting point (secant).
    pub x1: Option<f64>,
    /// Absolute tolerance on the root.
    pub xtol: Option<f64>,
    /// Relative tolerance on the root.
    pub rtol: Option<f64>,
    /// Iteration limit.
    pub maxiter: Option<usize>,
}

impl RootOptions {
    /// Sets the bracket.
    pub fn bracket(mut self, a: f64, b: f64) -> Self {
        self.bracket = Some((a, b));
        self
    }
    /// Sets x0.
    pub fn x0(mut self, x0: f64) -> Self {
        self.x0 = Some(x0);
        self
    }
    /// Sets x1.
    pub fn x1(mut self, x1: f64) -> Self {
        self.x1 = Some(x1);
        self
    }
    /// Sets xtol.
    pub fn xtol(mut self, xtol: f64) -> Self {
        self.xtol = Some(xtol);
        self
    }
    /// Sets rtol.
    pub fn rtol(mut self, rtol: f64) -> Self {
        self.rtol = Some(rtol);
        self
    }
    /// Sets maxiter.
    pub fn maxiter(mut self, maxiter: usize) -> Self {
        self.maxiter = Some(maxiter);
        self
    }
}

/// SciPy's `RootResults`.
#[derive(Clone, Debug, PartialEq)]
pub struct RootResults {
    /// The root found (the last iterate if not converged).
    pub root: f64,
    /// Iterations performed.
    pub iterations: usize,
    /// Calls of f (with its derivatives).
    pub function_calls: usize,
    /// Whether the tolerance test passed.
    pub converged: bool,
    /// Why it stopped: "converged", "convergence error", ...
    pub flag: String,
    /// The method's name.
    pub method: String,
}

impl fmt::Display for RootResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let converged = if self.converged { "True" } else { "False" };
        write!(
            f,
            "      converged: {converged}\n           flag: {}\n function_calls: {}\n     iterations: {}\n           root: {}\n         method: {}",
            self.flag, self.function_calls, self.iterations, self.root, self.method
        )
    }
}

/// Finds a root of a scalar function, as SciPy's
/// `scipy.optimize.root_scalar(f, method=..., bracket=..., x0=...)`.
///
/// A bracket without a sign change, a missing bracket or x0, and
/// non-finite starting values are errors; running out of iterations is a
/// result with `converged = false`.
///
/// ```
/// use ndjit::optimize::{root_scalar, RootMethod, RootOptions};
/// use ndjit::Array;
/// let f = |x: &Array| x.cos() - x;
/// let r = root_scalar(f, RootMethod::Brentq, RootOptions::default().bracket(0.0, 1.0))?;
/// assert!(r.converged && (r.root - 0.7390851332151607).abs() < 1e-12);
/// // Newton with f' by autodiff.
/// let r = root_scalar(f, RootMethod::Newton, RootOptions::default().x0(1.0))?;
/// assert!((r.root - 0.7390851332151607).abs() < 1e-12);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn root_scalar<'a>(
    f: impl IntoScalarFunction<'a>,
    method: RootMethod,
    options: RootOptions,
) -> Result<RootResults> {
    let mut f = f.into_scalar_function();
    let bracketing = matches!(
        method,
        RootMethod::Bisect | RootMethod::Brentq | RootMethod::Brenth | RootMethod::Ridder
    );
    let (xtol, rtol, maxiter) = if bracketing {
        (
            options.xtol.unwrap_or(2e-12),
            options.rtol.unwrap_or(4.0 * f64::EPSILON),
            options.maxiter.unwrap_or(100),
        )
    } else {
        (
            options.xtol.unwrap_or(1.48e-8),
            options.rtol.unwrap_or(0.0),
            options.maxiter.unwrap_or(50),
        )
    };
    if xtol.is_nan() || xtol <= 0.0 || rtol.is_nan() || rtol < 0.0 {
        return Err(Error::invalid(
            "root_scalar",
            format!("xtol ({xtol}) must be > 0 and rtol ({rtol}) >= 0"),
        ));
    }
    let tolerance = Tolerance {
        xtol,
        rtol,
        maxiter,
    };
    let (root, iterations, converged, flag) = if bracketing {
        let (a, b) = options.bracket.ok_or_else(|| {
            Error::invalid(
                "root_scalar",
                format!("method {} needs a bracket", method.name()),
            )
        })?;
        let (fa, fb) = (f.value(a)?, f.value(b)?);
        check_bracket(a, b, fa, fb)?;
        if fa == 0.0 {
            (a, 0, true, "converged")
        } else if fb == 0.0 {
            (b, 0, true, "converged")
        } else {
            let found = match method {
                RootMethod::Bisect => bisect(&mut f, a, b, fa, &tolerance)?,
                RootMethod::Ridder => ridder(&mut f, a, b, fa, fb, &tolerance)?,
                _ => brent(
                    &mut |x| f.value(x),
                    a,
                    b,
                    fa,
                    fb,
                    method == RootMethod::Brenth,
                    &tolerance,
                )?,
            };
            (
                found.0,
                found.1,
                found.2,
                if found.2 {
                    "converged"
                } else {
                    "convergence error"
                },
            )
        }
    } else {
        let x0 = options.x0.ok_or_else(|| {
            Error::invalid("root_scalar", format!("method {} needs x0", method.name()))
        })?;
        if !x0.is_finite() {
            return Err(Error::invalid(
                "root_scalar",
                format!("x0 = {x0} is not finite"),
            ));
        }
        match method {
            RootMethod::Secant => secant(&mut f, x0, options.x1, &tolerance)?,
            _ => newton(&mut f, x0, method == RootMethod::Halley, &tolerance)?,
        }
    };
    Ok(RootResults {
        root,
        iterations,
        function_calls: f.calls,
        converged,
        flag: flag.to_string(),
        method: method.name().to_string(),
    })
}

/// When a root finder stops: within `xtol + rtol·|x|` of the root, or
/// after `maxiter` iterations.
pub(crate) struct Tolerance {
    pub(crate) xtol: f64,
    pub(crate) rtol: f64,
    pub(crate) maxiter: usize,
}

/// The last iterate, the iterations taken, and whether it converged.
pub(crate) type Found = (f64, usize, bool);

fn check_bracket(a: f64, b: f64, fa: f64, fb: f64) -> Result<()> {
    if !(a.is_finite() && b.is_finite() && fa.is_finite() && fb.is_finite()) {
        return Err(Error::invalid(
            "root_scalar",
            format!("the bracket [{a}, {b}] and f there ({fa}, {fb}) must be finite"),
        ));
    }
    if fa * fb > 0.0 {
        return Err(Error::invalid(
            "root_scalar",
            format!("f(a) and f(b) must have different signs: f({a}) = {fa}, f({b}) = {fb}"),
        ));
    }
    Ok(())
}

fn bisect(f: &mut ScalarFunction<'_>, a: f64, b: f64, fa: f64, t: &Tolerance) -> Result<Found> {
    let (mut xa, mut step) = (a, b - a);
    let mut xm = xa;
    for i in 0..t.maxiter {
        step *= 0.5;
        xm = xa + step;
        let fm = f.value(xm)?;
        if fm * fa >= 0.0 {
            xa = xm;
        }
        if fm == 0.0 || step.abs() < t.xtol + t.rtol * xm.abs() {
            return Ok((xm, i + 1, true));
        }
    }
    Ok((xm, t.maxiter, false))
}

/// Brent's method as in SciPy's `zeros.c` (`brentq`, and `brenth` with
/// hyperbolic instead of inverse quadratic extrapolation), on a bracket
/// `[a, b]` with `f(a) = fa`, `f(b) = fb` of opposite signs. A NaN value of
/// `f` stops it unconverged. `solve_ivp` locates events with it too.
pub(crate) fn brent(
    f: &mut impl FnMut(f64) -> Result<f64>,
    a: f64,
    b: f64,
    fa: f64,
    fb: f64,
    hyperbolic: bool,
    t: &Tolerance,
) -> Result<Found> {
    let (mut xpre, mut xcur, mut fpre, mut fcur) = (a, b, fa, fb);
    let (mut xblk, mut fblk, mut spre, mut scur) = (0.0, 0.0, 0.0, 0.0);
    for i in 0..t.maxiter {
        if fpre != 0.0 && fcur != 0.0 && (fpre.is_sign_negative() != fcur.is_sign_negative()) {
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
        let delta = (t.xtol + t.rtol * xcur.abs()) / 2.0;
        let sbis = (xblk - xcur) / 2.0;
        if fcur == 0.0 || sbis.abs() < delta {
            return Ok((xcur, i + 1, true));
        }
        if spre.abs() > delta && fcur.abs() < fpre.abs() {
            let stry = if xpre == xblk {
                -fcur * (xcur - xpre) / (fcur - fpre)
            } else {
                let dpre = (fpre - fcur) / (xpre - xcur);
                let dblk = (fblk - fcur) / (xblk - xcur);
                if hyperbolic {
                    -fcur * (fblk - fpre) / (fblk * dpre - fpre * dblk)
                } else {
                    -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
                }
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
        fcur = f(xcur)?;
        if fcur.is_nan() {
            return Ok((xcur, i + 1, false));
        }
    }
    Ok((xcur, t.maxiter, false))
}

/// Ridders' method as in SciPy's `zeros.c`.
fn ridder(
    f: &mut ScalarFunction<'_>,
    a: f64,
    b: f64,
    fa: f64,
    fb: f64,
    t: &Tolerance,
) -> Result<Found> {
    let (mut xa, mut xb, mut fa, mut fb) = (a, b, fa, fb);
    let mut tol = t.xtol;
    let mut xn = xa;
    for i in 0..t.maxiter {
        let dm = 0.5 * (xb - xa);
        let xm = xa + dm;
        let fm = f.value(xm)?;
        let dn = (fb - fa).signum() * dm * fm / (fm * fm - fa * fb).sqrt();
        xn = xm - dn.signum() * dn.abs().min(dm.abs() - 0.5 * tol);
        let fn_ = f.value(xn)?;
        if fn_ * fm < 0.0 {
            xa = xn;
            fa = fn_;
            xb = xm;
            fb = fm;
        } else if fn_ * fa < 0.0 {
            xb = xn;
            fb = fn_;
        } else {
            xa = xn;
            fa = fn_;
        }
        tol = t.xtol + t.rtol * xn.abs();
        if fn_ == 0.0 || (xb - xa).abs() < tol {
            return Ok((xn, i + 1, true));
        }
        if fn_.is_nan() {
            return Ok((xn, i + 1, false));
        }
    }
    Ok((xn, t.maxiter, false))
}

/// Newton (or Halley) as SciPy's `newton` with `fprime` (and `fprime2`).
fn newton(
    f: &mut ScalarFunction<'_>,
    x0: f64,
    halley: bool,
    t: &Tolerance,
) -> Result<(f64, usize, bool, &'static str)> {
    let mut p0 = x0;
    let mut values = [0.0; 3];
    let order = if halley { 3 } else { 2 };
    for i in 0..t.maxiter {
        f.derivatives(p0, &mut values[..order])?;
        let (value, slope, curvature) = (values[0], values[1], values[2]);
        if value == 0.0 {
            return Ok((p0, i + 1, true, "converged"));
        }
        if slope == 0.0 {
            return Ok((p0, i + 1, false, "convergence error"));
        }
        let mut step = value / slope;
        if halley {
            let adjust = step * curvature / slope / 2.0;
            if adjust.abs() < 1.0 {
                step /= 1.0 - adjust;
            }
        }
        let p = p0 - step;
        if !p.is_finite() {
            return Ok((p, i + 1, false, "convergence error"));
        }
        if (p - p0).abs() <= t.xtol + t.rtol * p.abs() {
            return Ok((p, i + 1, true, "converged"));
        }
        p0 = p;
    }
    Ok((p0, t.maxiter, false, "convergence error"))
}

/// The secant method as SciPy's `newton` without `fprime`.
fn secant(
    f: &mut ScalarFunction<'_>,
    x0: f64,
    x1: Option<f64>,
    t: &Tolerance,
) -> Result<(f64, usize, bool, &'static str)> {
    let mut p0 = x0;
    let mut p1 = x1.unwrap_or_else(|| {
        let eps = 1e-4;
        x0 * (1.0 + eps) + if x0 >= 0.0 { eps } else { -eps }
    });
    let mut q0 = f.value(p0)?;
    let mut q1 = f.value(p1)?;
    if q1.abs() < q0.abs() {
        std::mem::swap(&mut p0, &mut p1);
        std::mem::swap(&mut q0, &mut q1);
    }
    for i in 0..t.maxiter {
        if q1 == q0 {
            let p = (p1 + p0) / 2.0;
            return Ok((
                p,
                i + 1,
                p1 == p0,
                if p1 == p0 {
                    "converged"
                } else {
                    "convergence error"
                },
            ));
        }
        let p = if q1.abs() > q0.abs() {
            (-q0 / q1 * p1 + p0) / (1.0 - q0 / q1)
        } else {
            (-q1 / q0 * p0 + p1) / (1.0 - q1 / q0)
        };
        if !p.is_finite() {
            return Ok((p, i + 1, false, "convergence error"));
        }
        if (p - p1).abs() <= t.xtol + t.rtol * p.abs() {
            return Ok((p, i + 1, true, "converged"));
        }
        p0 = p1;
        q0 = q1;
        p1 = p;
        q1 = f.value(p1)?;
    }
    Ok((p1, t.maxiter, false, "convergence error"))
}
