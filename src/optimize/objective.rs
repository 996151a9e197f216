//! The function being minimized, in whichever form the user has it: a
//! closure over `Array`s (traced once, exact compiled derivatives), or a
//! plain Rust closure with or without a gradient (finite differences).

use super::options::FiniteDifference;
use crate::autodiff::{hvp, value_and_grad};
use crate::error::{Error, Result};
use crate::{Array, DType, Function, TensorType};

type ValueFn<'a> = Box<dyn FnMut(&[f64]) -> f64 + 'a>;
type GradientFn<'a> = Box<dyn FnMut(&[f64], &mut [f64]) + 'a>;
type HesspFn<'a> = Box<dyn FnMut(&[f64], &[f64], &mut [f64]) + 'a>;

/// A scalar objective `f: ℝⁿ → ℝ` for [`minimize`](super::minimize).
///
/// Built from a closure over [`Array`]s with [`Objective::traced`] (what
/// passing such a closure to `minimize` does): it is traced once into
/// compiled [`Function`]s — value and gradient together by reverse-mode
/// autodiff, and for Newton methods a Hessian-vector product — and each
/// iteration only calls them. Built from plain Rust closures with
/// [`Objective::new`], optionally with [`Objective::gradient`] and
/// [`Objective::hessp`] (SciPy's `jac=` and `hessp=` callables); without
/// a gradient, finite differences stand in (SciPy's `"2-point"` /
/// `"3-point"`, chosen in [`Options`](super::Options)).
///
/// ```
/// use ndjit::optimize::{minimize, Method, Objective, Options};
/// let f = Objective::new(|x: &[f64]| (x[0] - 3.0).powi(2) + x[1].powi(2))
///     .gradient(|x: &[f64], g: &mut [f64]| {
///         g[0] = 2.0 * (x[0] - 3.0);
///         g[1] = 2.0 * x[1];
///     });
/// let result = minimize(f, &[0.0, 1.0], Method::Bfgs, Options::default())?;
/// assert!(result.success && (result.x[0] - 3.0).abs() < 1e-6);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub struct Objective<'a> {
    form: Form<'a>,
    counts: Counts,
    scheme: FiniteDifference,
    /// Scratch for finite differences and their shifted points.
    scratch: Vec<f64>,
}

enum Form<'a> {
    Traced {
        f: Box<dyn Fn(&Array) -> Array + 'a>,
        /// Value only; traced at first use.
        value: Option<Box<Function>>,
        /// Value and gradient in one program.
        value_and_grad: Option<Box<Function>>,
        /// Hessian-vector product, inputs (x, v).
        hessp: Option<Box<Function>>,
    },
    Closure {
        f: ValueFn<'a>,
        gradient: Option<GradientFn<'a>>,
        hessp: Option<HesspFn<'a>>,
    },
}

/// Evaluation counters, SciPy's nfev / njev / nhev.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Counts {
    pub nfev: usize,
    pub njev: usize,
    pub nhev: usize,
}

/// Turns what the user passes to `minimize` into an [`Objective`]: an
/// `Objective`, or a closure over `&Array` returning a scalar `Array`.
pub trait IntoObjective<'a> {
    /// The objective.
    fn into_objective(self) -> Objective<'a>;
}

impl<'a> IntoObjective<'a> for Objective<'a> {
    fn into_objective(self) -> Objective<'a> {
        self
    }
}

impl<'a, F: Fn(&Array) -> Array + 'a> IntoObjective<'a> for F {
    fn into_objective(self) -> Objective<'a> {
        Objective::traced(self)
    }
}

impl<'a> Objective<'a> {
    /// An objective over arrays: `f` maps a 1-d f64 array of the size of
    /// x0 to a one-element array. Traced and compiled once per run.
    pub fn traced(f: impl Fn(&Array) -> Array + 'a) -> Objective<'a> {
        Objective::from_form(Form::Traced {
            f: Box::new(f),
            value: None,
            value_and_grad: None,
            hessp: None,
        })
    }

    /// An objective from a plain Rust closure (its gradient by finite
    /// differences unless [`Objective::gradient`] gives one).
    pub fn new(f: impl FnMut(&[f64]) -> f64 + 'a) -> Objective<'a> {
        Objective::from_form(Form::Closure {
            f: Box::new(f),
            gradient: None,
            hessp: None,
        })
    }

    /// The gradient of a closure objective, written into its second
    /// argument (SciPy's `jac=callable`). Ignored for traced objectives,
    /// whose gradient is exact already.
    pub fn gradient(mut self, gradient: impl FnMut(&[f64], &mut [f64]) + 'a) -> Objective<'a> {
        if let Form::Closure { gradient: slot, .. } = &mut self.form {
            *slot = Some(Box::new(gradient));
        }
        self
    }

    /// The Hessian-vector product `(x, v, out) ↦ out = H(x) v` of a
    /// closure objective (SciPy's `hessp=`). Without it Newton-CG takes
    /// finite differences of the gradient.
    pub fn hessp(mut self, hessp: impl FnMut(&[f64], &[f64], &mut [f64]) + 'a) -> Objective<'a> {
        if let Form::Closure { hessp: slot, .. } = &mut self.form {
            *slot = Some(Box::new(hessp));
        }
        self
    }

    fn from_form(form: Form<'a>) -> Objective<'a> {
        Objective {
            form,
            counts: Counts::default(),
            scheme: FiniteDifference::TwoPoint,
            scratch: Vec::new(),
        }
    }

    pub(crate) fn counts(&self) -> Counts {
        self.counts
    }

    pub(crate) fn set_scheme(&mut self, scheme: FiniteDifference) {
        self.scheme = scheme;
    }

    /// f(x).
    pub(crate) fn value(&mut self, x: &[f64]) -> Result<f64> {
        self.counts.nfev += 1;
        match &mut self.form {
            Form::Traced { f, value, .. } => {
                let function = match value {
                    Some(function) => function,
                    None => value.insert(Box::new(trace(x.len(), |a| vec![scalar_of(f(&a[0]))])?)),
                };
                let outputs = function.call(&[Array::from_slice(x, [x.len()])])?;
                outputs[0].item::<f64>()
            }
            Form::Closure { f, .. } => Ok(f(x)),
        }
    }

    /// f(x), with ∇f(x) written into `gradient`.
    pub(crate) fn value_and_grad(&mut self, x: &[f64], gradient: &mut [f64]) -> Result<f64> {
        match &mut self.form {
            Form::Traced {
                f,
                value_and_grad: slot,
                ..
            } => {
                self.counts.nfev += 1;
                self.counts.njev += 1;
                let function = match slot {
                    Some(function) => function,
                    None => slot.insert(Box::new(trace(x.len(), |a| {
                        let (v, g) = value_and_grad(|x: &Array| scalar_of(f(x)))(&a[0]);
                        vec![v, g]
                    })?)),
                };
                let outputs = function.call(&[Array::from_slice(x, [x.len()])])?;
                let g = outputs[1].value()?;
                gradient.copy_from_slice(g.as_slice::<f64>());
                outputs[0].item::<f64>()
            }
            Form::Closure {
                f,
                gradient: Some(user_gradient),
                ..
            } => {
                self.counts.nfev += 1;
                self.counts.njev += 1;
                user_gradient(x, gradient);
                Ok(f(x))
            }
            Form::Closure { gradient: None, .. } => {
                let value = self.value(x)?;
                self.counts.njev += 1;
                self.finite_difference_gradient(x, value, gradient)?;
                Ok(value)
            }
        }
    }

    /// `out = ∇²f(x) v`.
    pub(crate) fn hessian_vector(&mut self, x: &[f64], v: &[f64], out: &mut [f64]) -> Result<()> {
        self.counts.nhev += 1;
        match &mut self.form {
            Form::Traced { f, hessp: slot, .. } => {
                let n = x.len();
                let function = match slot {
                    Some(function) => function,
                    None => {
                        let ty = TensorType::new([n], DType::F64);
                        slot.insert(Box::new(Function::new(&[ty.clone(), ty], |a| {
                            vec![hvp(|x: &Array| scalar_of(f(x)), &a[0], &a[1])]
                        })?))
                    }
                };
                let outputs =
                    function.call(&[Array::from_slice(x, [n]), Array::from_slice(v, [n])])?;
                out.copy_from_slice(outputs[0].value()?.as_slice::<f64>());
                Ok(())
            }
            Form::Closure { hessp: Some(h), .. } => {
                h(x, v, out);
                Ok(())
            }
            Form::Closure { hessp: None, .. } => {
                // Forward difference of the gradient along v, with the
                // step SciPy's `hessp` approximation uses.
                let n = x.len();
                let norm = crate::linalg::dense::norm2(v);
                if norm == 0.0 {
                    out.iter_mut().for_each(|o| *o = 0.0);
                    return Ok(());
                }
                let step = f64::EPSILON.sqrt() * (1.0 + crate::linalg::dense::norm2(x)) / norm;
                let mut g0 = vec![0.0; n];
                self.value_and_grad(x, &mut g0)?;
                let shifted: Vec<f64> = x.iter().zip(v).map(|(a, b)| a + step * b).collect();
                self.value_and_grad(&shifted, out)?;
                for (o, g) in out.iter_mut().zip(&g0) {
                    *o = (*o - g) / step;
                }
                Ok(())
            }
        }
    }

    /// SciPy's `approx_derivative` steps: `h = rel · max(1, |x_i|)` with
    /// the sign of x_i, rel = √ε (2-point) or ε^(1/3) (3-point).
    fn finite_difference_gradient(
        &mut self,
        x: &[f64],
        value: f64,
        gradient: &mut [f64],
    ) -> Result<()> {
        let mut point = std::mem::take(&mut self.scratch);
        point.clear();
        point.extend_from_slice(x);
        let result = (|| {
            for i in 0..x.len() {
                let sign = if x[i] >= 0.0 { 1.0 } else { -1.0 };
                match self.scheme {
                    FiniteDifference::TwoPoint => {
                        let h = f64::EPSILON.sqrt() * sign * x[i].abs().max(1.0);
                        point[i] = x[i] + h;
                        let h = point[i] - x[i];
                        let forward = self.value(&point)?;
                        gradient[i] = (forward - value) / h;
                    }
                    FiniteDifference::ThreePoint => {
                        let h = f64::EPSILON.cbrt() * sign * x[i].abs().max(1.0);
                        point[i] = x[i] + h;
                        let forward = self.value(&point)?;
                        point[i] = x[i] - h;
                        let backward = self.value(&point)?;
                        gradient[i] = (forward - backward) / (2.0 * h);
                    }
                }
                point[i] = x[i];
            }
            Ok(())
        })();
        self.scratch = point;
        result
    }
}

/// Traces `f` over one f64 vector of length n.
fn trace(n: usize, f: impl FnOnce(&[Array]) -> Vec<Array>) -> Result<Function> {
    Function::new(&[TensorType::new([n], DType::F64)], f)
}

/// The objective's output as an f64 scalar: a one-element array of any
/// float dtype is accepted; anything else becomes an error array.
fn scalar_of(output: Array) -> Array {
    if output.size() != 1 {
        return Array::invalid(Error::invalid(
            "minimize",
            format!(
                "the objective must return one value, it returned shape {:?}",
                output.shape()
            ),
        ));
    }
    let scalar = output.reshape(crate::Shape::scalar());
    if scalar.dtype() == DType::F64 {
        scalar
    } else {
        scalar.astype(DType::F64)
    }
}
