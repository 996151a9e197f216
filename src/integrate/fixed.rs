//! `fixed_quad`: Gauss–Legendre quadrature of fixed order.

use super::integrand::IntoIntegrand;
use crate::error::{Error, Result};

/// Nodes and weights of the `n`-point Gauss–Legendre rule on `[-1, 1]`
/// (Newton's method on the Legendre polynomial from Tricomi's initial
/// guesses; ascending nodes).
pub(crate) fn gauss_legendre(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut nodes = vec![0.0; n];
    let mut weights = vec![0.0; n];
    let nf = n as f64;
    for i in 0..n.div_ceil(2) {
        let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / (nf + 0.5)).cos();
        let mut derivative = 1.0;
        for _ in 0..100 {
            // P_n(x) and P_n'(x) by the three-term recurrence.
            let (mut p0, mut p1) = (1.0, x);
            for k in 2..=n {
                let k = k as f64;
                let p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            let (p, p_previous) = if n == 0 {
                (1.0, 0.0)
            } else if n == 1 {
                (x, 1.0)
            } else {
                (p1, p0)
            };
            derivative = nf * (x * p - p_previous) / (x * x - 1.0);
            let dx = p / derivative;
            x -= dx;
            if dx.abs() <= 1e-16 * x.abs().max(1.0) {
                break;
            }
        }
        let w = 2.0 / ((1.0 - x * x) * derivative * derivative);
        nodes[i] = -x;
        nodes[n - 1 - i] = x;
        weights[i] = w;
        weights[n - 1 - i] = w;
    }
    if n % 2 == 1 {
        nodes[n / 2] = 0.0;
    }
    (nodes, weights)
}

/// `∫_a^b f(x) dx` with the `n`-point Gauss–Legendre rule
/// (`scipy.integrate.fixed_quad`): exact for polynomials of degree
/// `2n - 1`. One call of `f` on all `n` nodes.
///
/// ```
/// use ndjit::integrate::fixed_quad;
/// use ndjit::Array;
/// let v = fixed_quad(|x: &Array| x.pow(9.0), 0.0, 1.0, 5)?;   // degree 9 = 2·5 - 1
/// assert!((v - 0.1).abs() < 1e-15);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn fixed_quad<'f, M>(f: impl IntoIntegrand<'f, M>, a: f64, b: f64, n: usize) -> Result<f64> {
    if !(a.is_finite() && b.is_finite()) || n == 0 {
        return Err(Error::invalid(
            "fixed_quad",
            format!("needs finite limits and n >= 1 (a = {a}, b = {b}, n = {n})"),
        ));
    }
    let (nodes, weights) = gauss_legendre(n);
    let (centre, half) = (0.5 * (a + b), 0.5 * (b - a));
    let x: Vec<f64> = nodes.iter().map(|t| centre + half * t).collect();
    let values = f.into_integrand().values(&x)?;
    Ok(half * weights.iter().zip(&values).map(|(w, v)| w * v).sum::<f64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_and_weights_are_legendre_gauss() {
        // numpy.polynomial.legendre.leggauss(3): ±sqrt(3/5), 0; 5/9, 8/9.
        let (x, w) = gauss_legendre(3);
        assert!((x[0] + 0.6f64.sqrt()).abs() < 1e-15 && x[1] == 0.0);
        assert!((w[0] - 5.0 / 9.0).abs() < 1e-15 && (w[1] - 8.0 / 9.0).abs() < 1e-15);
        for n in [1, 2, 7, 20, 64] {
            let (x, w) = gauss_legendre(n);
            assert!((w.iter().sum::<f64>() - 2.0).abs() < 1e-13, "n = {n}");
            assert!(x.windows(2).all(|p| p[0] < p[1]), "n = {n}");
            // Exact for x^(2n-2) (even degree: nonzero integral).
            let degree = 2 * n as i32 - 2;
            let sum: f64 = x.iter().zip(&w).map(|(x, w)| w * x.powi(degree)).sum();
            assert!((sum - 2.0 / f64::from(degree + 1)).abs() < 1e-13, "n = {n}");
        }
    }
}
