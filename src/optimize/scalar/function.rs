//! A scalar function f: ℝ → ℝ with its first two derivatives, exact by
//! autodiff when f is a closure over arrays.

use crate::autodiff::grad;
use crate::error::{Error, Result};
use crate::{Array, DType, Function, Shape, TensorType};

type Real<'a> = Box<dyn FnMut(f64) -> f64 + 'a>;

/// A function of one variable for [`root_scalar`](super::root_scalar) and
/// [`minimize_scalar`](super::minimize_scalar).
///
/// From a closure over a 0-d [`Array`] ([`ScalarFunction::traced`], what
/// passing such a closure does), f, f′ and f″ are traced and compiled,
/// each only when the method asks for it. From a plain closure
/// ([`ScalarFunction::new`]) the derivatives are the user's
/// ([`ScalarFunction::fprime`], [`ScalarFunction::fprime2`]), as SciPy's.
///
/// ```
/// use ndjit::optimize::{root_scalar, RootMethod, RootOptions, ScalarFunction};
/// let f = ScalarFunction::new(|x| x * x - 2.0).fprime(|x| 2.0 * x);
/// let r = root_scalar(f, RootMethod::Newton, RootOptions::default().x0(1.0))?;
/// assert!(r.converged && (r.root - 2f64.sqrt()).abs() < 1e-12);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub struct ScalarFunction<'a> {
    form: Form<'a>,
    /// Evaluations of f, f′ and f″, each counted (SciPy's `function_calls`).
    pub(crate) calls: usize,
}

enum Form<'a> {
    Traced {
        f: Box<dyn Fn(&Array) -> Array + 'a>,
        /// Compiled on first use: [f], [f, f′], [f, f′, f″].
        compiled: [Option<Box<Function>>; 3],
    },
    Closure {
        f: Real<'a>,
        fprime: Option<Real<'a>>,
        fprime2: Option<Real<'a>>,
    },
}

/// Turns what the user passes into a [`ScalarFunction`]: one, or a
/// closure over a 0-d `&Array`.
pub trait IntoScalarFunction<'a> {
    /// The function.
    fn into_scalar_function(self) -> ScalarFunction<'a>;
}

impl<'a> IntoScalarFunction<'a> for ScalarFunction<'a> {
    fn into_scalar_function(self) -> ScalarFunction<'a> {
        self
    }
}

impl<'a, F: Fn(&Array) -> Array + 'a> IntoScalarFunction<'a> for F {
    fn into_scalar_function(self) -> ScalarFunction<'a> {
        ScalarFunction::traced(self)
    }
}

impl<'a> ScalarFunction<'a> {
    /// A function over 0-d f64 arrays; derivatives by autodiff.
    pub fn traced(f: impl Fn(&Array) -> Array + 'a) -> ScalarFunction<'a> {
        ScalarFunction {
            form: Form::Traced {
                f: Box::new(f),
                compiled: [None, None, None],
            },
            calls: 0,
        }
    }

    /// A plain closure.
    pub fn new(f: impl FnMut(f64) -> f64 + 'a) -> ScalarFunction<'a> {
        ScalarFunction {
            form: Form::Closure {
                f: Box::new(f),
                fprime: None,
                fprime2: None,
            },
            calls: 0,
        }
    }

    /// The first derivative of a plain closure (ignored when traced).
    pub fn fprime(mut self, fprime: impl FnMut(f64) -> f64 + 'a) -> ScalarFunction<'a> {
        if let Form::Closure { fprime: slot, .. } = &mut self.form {
            *slot = Some(Box::new(fprime));
        }
        self
    }

    /// The second derivative of a plain closure (ignored when traced).
    pub fn fprime2(mut self, fprime2: impl FnMut(f64) -> f64 + 'a) -> ScalarFunction<'a> {
        if let Form::Closure { fprime2: slot, .. } = &mut self.form {
            *slot = Some(Box::new(fprime2));
        }
        self
    }

    /// f(x).
    pub(crate) fn value(&mut self, x: f64) -> Result<f64> {
        let mut out = [0.0];
        self.derivatives(x, &mut out)?;
        Ok(out[0])
    }

    /// f, f′, ... up to `out.len()` (1 to 3) values at x. A plain closure
    /// without the derivative asked for is an error naming it.
    pub(crate) fn derivatives(&mut self, x: f64, out: &mut [f64]) -> Result<()> {
        // SciPy counts f, f′ and f″ calls separately.
        self.calls += out.len();
        let order = out.len();
        match &mut self.form {
            Form::Traced { f, compiled } => {
                let slot = &mut compiled[order - 1];
                let function = match slot {
                    Some(function) => function,
                    None => slot.insert(Box::new(compile(f, order)?)),
                };
                let outputs = function.call(&[Array::scalar(x)])?;
                for (o, array) in out.iter_mut().zip(&outputs) {
                    *o = array.item::<f64>()?;
                }
                Ok(())
            }
            Form::Closure { f, fprime, fprime2 } => {
                out[0] = f(x);
                let derivatives = [fprime, fprime2];
                for k in 1..order {
                    match derivatives[k - 1] {
                        Some(d) => out[k] = d(x),
                        None => {
                            return Err(Error::invalid(
                                "root_scalar",
                                format!(
                                    "the method needs {}; give it with ScalarFunction::{}",
                                    ["f'", "f''"][k - 1],
                                    ["fprime", "fprime2"][k - 1]
                                ),
                            ))
                        }
                    }
                }
                Ok(())
            }
        }
    }
}

/// Traces f and its first `order − 1` derivatives over a 0-d f64.
fn compile(f: &dyn Fn(&Array) -> Array, order: usize) -> Result<Function> {
    let ty = TensorType::new(Shape::scalar(), DType::F64);
    Function::new(&[ty], |a| {
        let value = |x: &Array| as_scalar(f(x));
        let mut outputs = vec![value(&a[0])];
        if order >= 2 {
            outputs.push(grad(value)(&a[0]));
        }
        if order >= 3 {
            outputs.push(grad(grad(value))(&a[0]));
        }
        outputs
    })
}

/// f's output as a 0-d f64, or an error array if it is not one value.
fn as_scalar(output: Array) -> Array {
    if output.size() != 1 {
        return Array::invalid(Error::invalid(
            "root_scalar",
            format!(
                "the function must return one value, it returned shape {:?}",
                output.shape()
            ),
        ));
    }
    let scalar = output.reshape(Shape::scalar());
    if scalar.dtype() == DType::F64 {
        scalar
    } else {
        scalar.astype(DType::F64)
    }
}
