//! Multiple integrals by nested `quad`: `nquad`, `dblquad`, `tplquad`.

use super::adaptive::QuadStatus;
use super::integrand::Integrand;
use super::quad::{message, quad, QuadOptions};
use crate::error::Result;
use std::cell::RefCell;

/// Bounds as a function of the outer variables, boxed.
pub type RangeFn<'r> = Box<dyn Fn(&[f64]) -> (f64, f64) + 'r>;

/// The range of one variable of [`nquad`]: fixed, or depending on the
/// variables integrated outside it.
pub enum Range<'r> {
    /// `(a, b)`.
    Fixed(f64, f64),
    /// `(a, b)` as a function of the outer variables (`x_{k+1}, ..., x_n`
    /// for variable `k`, as SciPy's `nquad`).
    Dependent(RangeFn<'r>),
}

impl Range<'_> {
    fn bounds(&self, outer: &[f64]) -> (f64, f64) {
        match self {
            Range::Fixed(a, b) => (*a, *b),
            Range::Dependent(f) => f(outer),
        }
    }
}

/// The result of a multiple integral.
#[derive(Clone, Debug, PartialEq)]
pub struct NquadResult {
    /// The integral.
    pub value: f64,
    /// The error estimate of the outermost integral (as SciPy's).
    pub abserr: f64,
    /// Evaluations of the integrand, over all levels.
    pub neval: usize,
    /// The first failure met at any level, or `Converged`.
    pub status: QuadStatus,
    /// What the status means.
    pub message: String,
}

impl NquadResult {
    /// Whether every inner and outer integral converged.
    pub fn success(&self) -> bool {
        self.status == QuadStatus::Converged
    }
}

/// State shared by the nested integrals.
struct Nest<'a, 'r, F> {
    f: &'a F,
    ranges: &'a [Range<'r>],
    options: &'a QuadOptions,
    neval: RefCell<usize>,
    status: RefCell<QuadStatus>,
}

impl<F: Fn(&[f64]) -> f64> Nest<'_, '_, F> {
    /// `∫ ... ∫ f dx_0 ... dx_k` with `outer = [x_{k+1}, ..., x_n]`.
    fn level(&self, k: usize, outer: &[f64]) -> Result<(f64, f64)> {
        let (a, b) = self.ranges[k].bounds(outer);
        let integrand = Integrand::vectorized(|xs, out| {
            let mut point = Vec::with_capacity(outer.len() + 1);
            for (slot, &x) in out.iter_mut().zip(xs) {
                point.clear();
                point.push(x);
                point.extend_from_slice(outer);
                *slot = if k == 0 {
                    *self.neval.borrow_mut() += 1;
                    (self.f)(&point)
                } else {
                    self.level(k - 1, &point)?.0
                };
            }
            Ok(())
        });
        let r = quad(integrand, a, b, self.options)?;
        if !r.success() {
            let mut status = self.status.borrow_mut();
            if *status == QuadStatus::Converged {
                *status = r.status;
            }
        }
        Ok((r.value, r.abserr))
    }
}

/// `∫...∫ f(x_0, ..., x_n) dx_0 ... dx_n` (`scipy.integrate.nquad`):
/// `ranges[0]` is the innermost variable's. Each level is a [`quad`] with
/// `options`.
///
/// ```
/// use ndjit::integrate::{nquad, QuadOptions, Range};
/// // ∫_0^1 ∫_0^x x·y dy dx = 1/8
/// let ranges = [Range::Dependent(Box::new(|outer: &[f64]| (0.0, outer[0]))), Range::Fixed(0.0, 1.0)];
/// let r = nquad(|v: &[f64]| v[0] * v[1], &ranges, &QuadOptions::default())?;
/// assert!((r.value - 0.125).abs() < 1e-14);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn nquad(
    f: impl Fn(&[f64]) -> f64,
    ranges: &[Range],
    options: &QuadOptions,
) -> Result<NquadResult> {
    if ranges.is_empty() {
        return Err(crate::error::Error::invalid(
            "nquad",
            "needs at least one range",
        ));
    }
    let nest = Nest {
        f: &f,
        ranges,
        options,
        neval: RefCell::new(0),
        status: RefCell::new(QuadStatus::Converged),
    };
    let (value, abserr) = nest.level(ranges.len() - 1, &[])?;
    let status = *nest.status.borrow();
    let neval = *nest.neval.borrow();
    Ok(NquadResult {
        value,
        abserr,
        neval,
        status,
        message: message(status, options.limit),
    })
}

/// `∫_a^b ∫_{g(x)}^{h(x)} f(y, x) dy dx` (`scipy.integrate.dblquad`,
/// same argument order).
pub fn dblquad(
    f: impl Fn(f64, f64) -> f64,
    a: f64,
    b: f64,
    g: impl Fn(f64) -> f64,
    h: impl Fn(f64) -> f64,
    options: &QuadOptions,
) -> Result<NquadResult> {
    let ranges = [
        Range::Dependent(Box::new(|outer: &[f64]| (g(outer[0]), h(outer[0])))),
        Range::Fixed(a, b),
    ];
    nquad(|v| f(v[0], v[1]), &ranges, options)
}

/// `∫_a^b ∫_{g(x)}^{h(x)} ∫_{q(x,y)}^{r(x,y)} f(z, y, x) dz dy dx`
/// (`scipy.integrate.tplquad`, same argument order).
#[allow(clippy::too_many_arguments)]
pub fn tplquad(
    f: impl Fn(f64, f64, f64) -> f64,
    a: f64,
    b: f64,
    g: impl Fn(f64) -> f64,
    h: impl Fn(f64) -> f64,
    q: impl Fn(f64, f64) -> f64,
    r: impl Fn(f64, f64) -> f64,
    options: &QuadOptions,
) -> Result<NquadResult> {
    let ranges = [
        Range::Dependent(Box::new(|outer: &[f64]| {
            (q(outer[1], outer[0]), r(outer[1], outer[0]))
        })),
        Range::Dependent(Box::new(|outer: &[f64]| (g(outer[0]), h(outer[0])))),
        Range::Fixed(a, b),
    ];
    nquad(|v| f(v[0], v[1], v[2]), &ranges, options)
}
