//! What `minimize` is asked to do: the method, SciPy's options, bounds.

use std::fmt;
use std::ops::ControlFlow;

/// The algorithm [`minimize`](super::minimize) runs (SciPy's `method=`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Quasi-Newton with a dense inverse-Hessian approximation (`"BFGS"`).
    Bfgs,
    /// Limited-memory BFGS with bounds (`"L-BFGS-B"`): generalized Cauchy
    /// point and subspace minimization of Byrd, Lu, Nocedal and Zhu.
    LBfgsB,
    /// Nonlinear conjugate gradients, Polak–Ribière+ (`"CG"`).
    Cg,
    /// Truncated Newton with Hessian-vector products (`"Newton-CG"`).
    NewtonCg,
    /// Downhill simplex, derivative free (`"Nelder-Mead"`).
    NelderMead,
}

impl Method {
    /// SciPy's name for the method.
    pub fn name(self) -> &'static str {
        match self {
            Method::Bfgs => "BFGS",
            Method::LBfgsB => "L-BFGS-B",
            Method::Cg => "CG",
            Method::NewtonCg => "Newton-CG",
            Method::NelderMead => "Nelder-Mead",
        }
    }

    /// Whether the method reads the gradient.
    pub(crate) fn uses_gradient(self) -> bool {
        !matches!(self, Method::NelderMead)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Finite-difference schemes for gradients of objectives given without one
/// (SciPy's `jac="2-point"` and `jac="3-point"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FiniteDifference {
    /// Forward differences, step `√ε·max(1, |x_i|)`: n extra evaluations.
    #[default]
    TwoPoint,
    /// Central differences, step `ε^(1/3)·max(1, |x_i|)`: 2n evaluations,
    /// about twice the correct digits.
    ThreePoint,
}

/// Box bounds `lower ≤ x ≤ upper`; an infinite side is unbounded.
#[derive(Clone, Debug, PartialEq)]
pub struct Bounds {
    /// Lower bounds (`f64::NEG_INFINITY` for none).
    pub lower: Vec<f64>,
    /// Upper bounds (`f64::INFINITY` for none).
    pub upper: Vec<f64>,
}

impl Bounds {
    /// Bounds from the two sides (checked against x0 by `minimize`).
    pub fn new(lower: Vec<f64>, upper: Vec<f64>) -> Bounds {
        Bounds { lower, upper }
    }

    /// The same interval `[lower, upper]` for each of `n` variables.
    pub fn uniform(n: usize, lower: f64, upper: f64) -> Bounds {
        Bounds::new(vec![lower; n], vec![upper; n])
    }
}

/// What the callback sees after each iteration (SciPy's
/// `intermediate_result`).
#[derive(Debug)]
pub struct Iterate<'a> {
    /// The iteration just completed (1 after the first).
    pub nit: usize,
    /// The current point.
    pub x: &'a [f64],
    /// The objective there.
    pub fun: f64,
}

/// The callback type: return `ControlFlow::Break(())` to stop the run.
pub type Callback<'a> = Box<dyn FnMut(&Iterate<'_>) -> ControlFlow<()> + 'a>;

/// SciPy's `options=` (and `bounds=`, `callback=`), with SciPy's names.
/// `None` means the method's own SciPy default, listed on each field.
///
/// ```
/// use ndjit::optimize::Options;
/// let options = Options::default().gtol(1e-8).maxiter(500);
/// assert_eq!(options.gtol, Some(1e-8));
/// ```
#[derive(Default)]
pub struct Options<'a> {
    /// Gradient tolerance: stop when `‖g‖∞ ≤ gtol` (BFGS, CG: 1e-5;
    /// L-BFGS-B's `pgtol` on the projected gradient: 1e-5).
    pub gtol: Option<f64>,
    /// L-BFGS-B: stop when the relative reduction of f is below ftol
    /// (`factr · ε` = 2.22e-9).
    pub ftol: Option<f64>,
    /// Newton-CG: stop when the mean |step| is below xtol (1e-5);
    /// Nelder-Mead: `xatol` (1e-4).
    pub xtol: Option<f64>,
    /// Nelder-Mead: `fatol`, the spread of f over the simplex (1e-4).
    pub fatol: Option<f64>,
    /// Iteration limit (200·n; L-BFGS-B 15000).
    pub maxiter: Option<usize>,
    /// Limit on function evaluations (Nelder-Mead 200·n; L-BFGS-B 15000).
    pub maxfun: Option<usize>,
    /// L-BFGS-B: number of correction pairs kept (10).
    pub maxcor: Option<usize>,
    /// L-BFGS-B: function evaluations per line search (20).
    pub maxls: Option<usize>,
    /// Wolfe sufficient-decrease constant (1e-4).
    pub c1: Option<f64>,
    /// Wolfe curvature constant (0.9; CG 0.4).
    pub c2: Option<f64>,
    /// Print a progress line per iteration (iteration, f, ‖g‖∞).
    pub disp: bool,
    /// Box bounds (L-BFGS-B and Nelder-Mead).
    pub bounds: Option<Bounds>,
    /// The finite-difference scheme for objectives with no gradient.
    pub finite_difference: FiniteDifference,
    /// Called after each iteration; `Break` stops the run (status 99).
    pub callback: Option<Callback<'a>>,
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty),* $(,)?) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, value: $ty) -> Self {
                self.$name = Some(value);
                self
            }
        )*
    };
}

impl<'a> Options<'a> {
    setters! {
        /// Sets [`Options::gtol`].
        gtol: f64,
        /// Sets [`Options::ftol`].
        ftol: f64,
        /// Sets [`Options::xtol`].
        xtol: f64,
        /// Sets [`Options::fatol`].
        fatol: f64,
        /// Sets [`Options::maxiter`].
        maxiter: usize,
        /// Sets [`Options::maxfun`].
        maxfun: usize,
        /// Sets [`Options::maxcor`].
        maxcor: usize,
        /// Sets [`Options::maxls`].
        maxls: usize,
        /// Sets [`Options::c1`].
        c1: f64,
        /// Sets [`Options::c2`].
        c2: f64,
        /// Sets [`Options::bounds`].
        bounds: Bounds,
    }

    /// Sets [`Options::disp`].
    pub fn disp(mut self, disp: bool) -> Self {
        self.disp = disp;
        self
    }

    /// Sets [`Options::finite_difference`].
    pub fn finite_difference(mut self, scheme: FiniteDifference) -> Self {
        self.finite_difference = scheme;
        self
    }

    /// Sets [`Options::callback`].
    pub fn callback(mut self, callback: impl FnMut(&Iterate<'_>) -> ControlFlow<()> + 'a) -> Self {
        self.callback = Some(Box::new(callback));
        self
    }
}

/// Calls the callback and prints progress; one per run.
pub(crate) struct Monitor<'a> {
    disp: bool,
    callback: Option<Callback<'a>>,
}

impl<'a> Monitor<'a> {
    pub(crate) fn new(disp: bool, callback: Option<Callback<'a>>) -> Monitor<'a> {
        if disp {
            println!("{:>9} {:>24} {:>12}", "iteration", "f", "|g|inf");
        }
        Monitor { disp, callback }
    }

    /// Reports an iteration; true if the callback asks to stop.
    pub(crate) fn iteration(
        &mut self,
        nit: usize,
        x: &[f64],
        fun: f64,
        gradient_norm: f64,
    ) -> bool {
        if self.disp {
            println!("{nit:>9} {fun:>24.16e} {gradient_norm:>12.4e}");
        }
        match &mut self.callback {
            Some(callback) => callback(&Iterate { nit, x, fun }).is_break(),
            None => false,
        }
    }
}
