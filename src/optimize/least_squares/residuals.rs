//! Residuals r(x) and their Jacobian, traced once into one compiled
//! `Function`.

use crate::autodiff::jacobian;
use crate::error::{Error, Result};
use crate::{Array, DType, Function, TensorType};

/// A traced residual function: one call gives r (m) and J (m × n).
pub(super) struct Residuals {
    function: Function,
    n: usize,
    pub m: usize,
}

impl Residuals {
    /// Traces `f` over a vector of length n; it must return a 1-d f64
    /// array (of any length m ≥ 1).
    pub fn trace(f: &dyn Fn(&Array) -> Array, n: usize) -> Result<Residuals> {
        let ty = TensorType::new([n], DType::F64);
        let function = Function::new(&[ty], |a| {
            let value = |x: &Array| as_vector(f(x));
            vec![value(&a[0]), jacobian(value)(&a[0])]
        })?;
        let m = function_output_len(&function, n)?;
        Ok(Residuals { function, n, m })
    }

    /// r(x) into `r`, J(x) (row-major m × n) into `jac`.
    pub fn evaluate(&self, x: &[f64], r: &mut [f64], jac: &mut [f64]) -> Result<()> {
        let outputs = self.function.call(&[Array::from_slice(x, [self.n])])?;
        r.copy_from_slice(&outputs[0].to_vec::<f64>()?);
        jac.copy_from_slice(&outputs[1].to_vec::<f64>()?);
        Ok(())
    }
}

fn function_output_len(function: &Function, n: usize) -> Result<usize> {
    let outputs = function.call(&[Array::zeros([n], DType::F64)])?;
    let m = outputs[0].size();
    if m == 0 {
        return Err(Error::invalid(
            "least_squares",
            "the residual function returned no values",
        ));
    }
    Ok(m)
}

/// The residuals as a 1-d f64 array (a 0-d one becomes length 1).
fn as_vector(output: Array) -> Array {
    let flat = output.flatten();
    if flat.dtype() == DType::F64 {
        flat
    } else {
        flat.astype(DType::F64)
    }
}
