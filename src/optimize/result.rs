//! `OptimizeResult`: SciPy's fields, names and printout.

use crate::linalg::dense::dot;
use std::fmt;

/// The inverse-Hessian approximation a quasi-Newton method ends with
/// (SciPy's `hess_inv`).
#[derive(Clone, Debug, PartialEq)]
pub enum HessInv {
    /// BFGS: the dense n × n matrix, row-major.
    Dense(Vec<f64>),
    /// L-BFGS-B: the correction pairs, oldest first (SciPy's
    /// `LbfgsInvHessProduct`); apply it with [`HessInv::matvec`].
    Lbfgs {
        /// The steps s_k = x_{k+1} − x_k.
        s: Vec<Vec<f64>>,
        /// The gradient changes y_k = g_{k+1} − g_k.
        y: Vec<Vec<f64>>,
    },
}

impl HessInv {
    /// `H v`.
    pub fn matvec(&self, v: &[f64]) -> Vec<f64> {
        match self {
            HessInv::Dense(h) => {
                let n = v.len();
                h.chunks_exact(n.max(1)).map(|row| dot(row, v)).collect()
            }
            HessInv::Lbfgs { s, y } => {
                // The two-loop recursion, starting from H0 = I (as SciPy's).
                let mut q = v.to_vec();
                let rho: Vec<f64> = s.iter().zip(y).map(|(s, y)| 1.0 / dot(s, y)).collect();
                let mut alpha = vec![0.0; s.len()];
                for k in (0..s.len()).rev() {
                    alpha[k] = rho[k] * dot(&s[k], &q);
                    crate::linalg::dense::axpy(-alpha[k], &y[k], &mut q);
                }
                for k in 0..s.len() {
                    let beta = rho[k] * dot(&y[k], &q);
                    crate::linalg::dense::axpy(alpha[k] - beta, &s[k], &mut q);
                }
                q
            }
        }
    }

    /// The dense matrix (for L-BFGS-B, built column by column).
    pub fn todense(&self, n: usize) -> Vec<f64> {
        match self {
            HessInv::Dense(h) => h.clone(),
            HessInv::Lbfgs { .. } => {
                let mut dense = vec![0.0; n * n];
                let mut unit = vec![0.0; n];
                for j in 0..n {
                    unit[j] = 1.0;
                    for (i, v) in self.matvec(&unit).into_iter().enumerate() {
                        dense[i * n + j] = v;
                    }
                    unit[j] = 0.0;
                }
                dense
            }
        }
    }
}

/// The outcome of a minimization, with SciPy's fields.
///
/// `status` is 0 on success; 1 when an iteration or evaluation limit was
/// reached; 2 when the line search could not make progress (precision
/// loss, or L-BFGS-B's "ABNORMAL"); 3 on a NaN objective; 99 when the
/// callback stopped the run.
#[derive(Clone, Debug, PartialEq)]
pub struct OptimizeResult {
    /// The solution (the best point found).
    pub x: Vec<f64>,
    /// The objective at `x`.
    pub fun: f64,
    /// The gradient at `x` (methods that use one).
    pub jac: Option<Vec<f64>>,
    /// The inverse-Hessian approximation (BFGS, L-BFGS-B).
    pub hess_inv: Option<HessInv>,
    /// Iterations performed.
    pub nit: usize,
    /// Objective evaluations (finite-difference ones included).
    pub nfev: usize,
    /// Gradient evaluations.
    pub njev: usize,
    /// Hessian(-vector product) evaluations.
    pub nhev: usize,
    /// Whether the method's convergence test passed.
    pub success: bool,
    /// SciPy's status code (see the type's doc).
    pub status: i32,
    /// Why the run stopped, in SciPy's words.
    pub message: String,
}

/// NumPy's scientific form of one element, `1.000e+00` / `-2.500e-03`.
fn scientific(value: f64) -> String {
    if !value.is_finite() {
        let word = if value.is_nan() {
            "nan"
        } else if value > 0.0 {
            "inf"
        } else {
            "-inf"
        };
        return format!("{word:>10}");
    }
    let text = format!("{value:.3e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if exponent < 0 { '-' } else { '+' };
    let padded = format!("{mantissa}e{sign}{:02}", exponent.abs());
    if value.is_sign_negative() {
        padded
    } else {
        format!(" {padded}")
    }
}

/// The width of the name column ("hess_inv" right-aligned to 9) plus
/// ": [" before a dense inverse Hessian's rows.
const HESS_INV_INDENT: usize = 12;

/// A float as Python's `repr` prints it: the shortest round-trip digits,
/// positional from 1e-4 to 1e16, else `d.ddde-XX`.
fn python_float(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let magnitude = value.abs();
    if magnitude == 0.0 || (1e-4..1e16).contains(&magnitude) {
        let text = format!("{value}");
        return if text.contains('.') {
            text
        } else {
            format!("{text}.0")
        };
    }
    let text = format!("{value:e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.abs())
}

/// A vector as NumPy prints it, eliding the middle past 6 elements.
fn vector(values: &[f64]) -> String {
    let shown: Vec<String> = if values.len() > 6 {
        let mut parts: Vec<String> = values[..3].iter().map(|v| scientific(*v)).collect();
        parts.push("...".to_string());
        parts.extend(values[values.len() - 3..].iter().map(|v| scientific(*v)));
        parts
    } else {
        values.iter().map(|v| scientific(*v)).collect()
    };
    format!("[{}]", shown.join(" "))
}

impl fmt::Display for OptimizeResult {
    /// Prints like SciPy's `OptimizeResult` repr: one field a line, names
    /// right-aligned, arrays in NumPy's scientific form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let python_bool = |b: bool| if b { "True" } else { "False" };
        let mut rows: Vec<(&str, String)> = vec![
            ("message", self.message.clone()),
            ("success", python_bool(self.success).to_string()),
            ("status", self.status.to_string()),
            ("fun", python_float(self.fun)),
            ("x", vector(&self.x)),
            ("nit", self.nit.to_string()),
        ];
        if let Some(jac) = &self.jac {
            rows.push(("jac", vector(jac)));
        }
        if let Some(hess_inv) = &self.hess_inv {
            let text = match hess_inv {
                HessInv::Dense(h) => {
                    let n = self.x.len().max(1);
                    let lines: Vec<String> = h.chunks_exact(n).map(vector).collect();
                    // Continuation rows line up under the first row's
                    // bracket: the name column, ": " and the outer "[".
                    let indent = " ".repeat(HESS_INV_INDENT);
                    if lines.len() > 6 {
                        let last = &lines[lines.len() - 1];
                        format!("[{}\n{indent}...\n{indent}{last}]", lines[0])
                    } else {
                        format!("[{}]", lines.join(&format!("\n{indent}")))
                    }
                }
                HessInv::Lbfgs { .. } => format!(
                    "<{0}x{0} LbfgsInvHessProduct with dtype=float64>",
                    self.x.len()
                ),
            };
            rows.push(("hess_inv", text));
        }
        rows.push(("nfev", self.nfev.to_string()));
        if self.njev > 0 {
            rows.push(("njev", self.njev.to_string()));
        }
        if self.nhev > 0 {
            rows.push(("nhev", self.nhev.to_string()));
        }
        let width = rows.iter().map(|(name, _)| name.len()).max().unwrap_or(0) + 1;
        for (k, (name, value)) in rows.iter().enumerate() {
            if k > 0 {
                writeln!(f)?;
            }
            write!(f, "{name:>width$}: {value}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_scipy() {
        let result = OptimizeResult {
            x: vec![1.0, 0.99999],
            fun: 2.5e-15,
            jac: Some(vec![-1.2e-7, 3.0e-8]),
            hess_inv: Some(HessInv::Dense(vec![0.5, 1.0, 1.0, 2.0])),
            nit: 32,
            nfev: 39,
            njev: 39,
            nhev: 0,
            success: true,
            status: 0,
            message: "Optimization terminated successfully.".to_string(),
        };
        let text = result.to_string();
        let expected = "  message: Optimization terminated successfully.
  success: True
   status: 0
      fun: 2.5e-15
        x: [ 1.000e+00  1.000e+00]
      nit: 32
      jac: [-1.200e-07  3.000e-08]
 hess_inv: [[ 5.000e-01  1.000e+00]
            [ 1.000e+00  2.000e+00]]
     nfev: 39
     njev: 39";
        assert_eq!(text, expected);
    }

    #[test]
    fn lbfgs_inverse_hessian_satisfies_the_secant_equation() {
        let s = vec![vec![1.0, 0.5], vec![0.2, -0.3]];
        let y = vec![vec![2.0, 0.7], vec![0.1, -0.9]];
        let h = HessInv::Lbfgs {
            s: s.clone(),
            y: y.clone(),
        };
        // The newest pair holds exactly: H y_k = s_k.
        let hy = h.matvec(&y[1]);
        assert!((hy[0] - s[1][0]).abs() < 1e-12 && (hy[1] - s[1][1]).abs() < 1e-12);
        let dense = h.todense(2);
        assert!((dense[1] - dense[2]).abs() < 1e-12, "symmetric");
    }
}
