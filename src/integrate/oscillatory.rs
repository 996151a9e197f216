//! The interval rule of QAWO: `∫_a^b f(x)·cos(ωx) dx` or `·sin(ωx)`.
//!
//! On an interval holding more than a few oscillations (`|ω·h| > 2`, `h`
//! the half-width, QUADPACK's threshold), `f` is interpolated at 25
//! Chebyshev points and the interpolant integrated exactly against the
//! weight; the 13-point interpolant gives the error estimate. The weight's
//! Chebyshev moments `∫_{-1}^{1} T_k(t)·e^{ipt} dt` come from the
//! Chebyshev expansion of `e^{ipt}` (Bessel coefficients, by Miller's
//! backward recurrence) and the closed form of `∫ T_k T_n` — stable for
//! every `p`, where QUADPACK combines a forward recurrence with a
//! tridiagonal solve. Shorter intervals use the weighted 15-point
//! Gauss–Kronrod rule.

use super::gauss_kronrod::Estimate;
use super::weighted::{chebyshev_coefficients, chebyshev_points};

/// The oscillating weight: `cos(ωx)` or `sin(ωx)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Oscillation {
    pub omega: f64,
    pub sine: bool,
}

impl Oscillation {
    /// The weight at `x`.
    pub(crate) fn weight(self, x: f64) -> f64 {
        if self.sine {
            (self.omega * x).sin()
        } else {
            (self.omega * x).cos()
        }
    }

    /// Whether `[a, b]` is integrated by interpolation (enough
    /// oscillations for the moments to pay off).
    pub(crate) fn interpolates(self, a: f64, b: f64) -> bool {
        (self.omega * 0.5 * (b - a)).abs() > 2.0
    }

    /// The 25 Chebyshev points of `[a, b]`.
    pub(crate) fn points(self, a: f64, b: f64, out: &mut Vec<f64>) {
        let (centre, half) = (0.5 * (a + b), 0.5 * (b - a));
        out.extend(chebyshev_points().iter().map(|x| centre + half * x));
    }

    /// The estimate from `f` at [`Oscillation::points`].
    pub(crate) fn estimate(self, a: f64, b: f64, values: &[f64]) -> Estimate {
        let fval: [f64; 25] = std::array::from_fn(|k| values[k]);
        let cheb12 = chebyshev_coefficients(&fval, 12);
        let cheb24 = chebyshev_coefficients(&fval, 24);
        let (centre, half) = (0.5 * (a + b), 0.5 * (b - a));
        let (cos_moments, sin_moments) = moments(self.omega * half, 24);
        let (wc, ws) = ((self.omega * centre).cos(), (self.omega * centre).sin());
        let integral = |cheb: &[f64]| {
            let ic: f64 = cheb.iter().zip(&cos_moments).map(|(c, m)| c * m).sum();
            let is: f64 = cheb.iter().zip(&sin_moments).map(|(c, m)| c * m).sum();
            let value = if self.sine {
                ws * ic + wc * is
            } else {
                wc * ic - ws * is
            };
            half * value
        };
        let (res12, res24) = (integral(&cheb12), integral(&cheb24));
        // Rounding in the moment sums: never claim less than that.
        let rounding = 50.0
            * f64::EPSILON
            * half.abs()
            * cheb24
                .iter()
                .zip(cos_moments.iter().zip(&sin_moments))
                .map(|(c, (mc, ms))| c.abs() * (mc.abs() + ms.abs()))
                .sum::<f64>();
        // |f|·|w| ≤ |f|: the interpolant's absolute sum bounds the integral
        // of |f·w| the driver's roundoff and divergence tests use.
        let abs_value = half.abs() * cheb24.iter().map(|c| c.abs()).sum::<f64>() * 2.0;
        Estimate {
            value: res24,
            error: (res24 - res12).abs().max(rounding),
            abs_value,
            deviation: abs_value,
        }
    }
}

/// `(C_k, S_k)` for `k = 0..=degree`: `∫_{-1}^{1} T_k(t)·cos(pt) dt` and
/// `∫ T_k(t)·sin(pt) dt`.
fn moments(p: f64, degree: usize) -> (Vec<f64>, Vec<f64>) {
    let sign = p.signum();
    let p = p.abs();
    // e^{ipt} = J_0(p) + 2 Σ_{n≥1} iⁿ J_n(p) T_n(t); J_n(p) is negligible
    // once n passes p by a few times p^(1/2).
    let terms = (p + 60.0 + 4.0 * p.sqrt()).ceil() as usize + degree;
    let bessel = bessel_j(p, terms);
    let integral_t = |m: usize| {
        if m % 2 == 1 {
            0.0
        } else {
            let m = m as f64;
            2.0 / (1.0 - m * m)
        }
    };
    let mut cos_m = vec![0.0; degree + 1];
    let mut sin_m = vec![0.0; degree + 1];
    for k in 0..=degree {
        let (mut re, mut im) = (0.0, 0.0);
        for (n, &j) in bessel.iter().enumerate() {
            let product = 0.5 * (integral_t(k + n) + integral_t(k.abs_diff(n)));
            let a = if n == 0 { j } else { 2.0 * j };
            match n % 4 {
                0 => re += a * product,
                1 => im += a * product,
                2 => re -= a * product,
                _ => im -= a * product,
            }
        }
        cos_m[k] = re;
        sin_m[k] = sign * im;
    }
    (cos_m, sin_m)
}

/// `J_0(p) ... J_{n-1}(p)` for `p >= 0` by Miller's backward recurrence,
/// normalized by `J_0 + 2 Σ J_{2k} = 1`.
fn bessel_j(p: f64, n: usize) -> Vec<f64> {
    let mut j = vec![0.0; n];
    if p == 0.0 {
        j[0] = 1.0;
        return j;
    }
    // Start well above n; the recurrence downwards is stable.
    let start = n + 20 + (n % 2);
    let (mut above, mut current) = (0.0f64, 1e-300f64);
    for m in (0..start).rev() {
        // J_m = (2(m+1)/p)·J_{m+1} - J_{m+2}
        let next = 2.0 * (m as f64 + 1.0) / p * current - above;
        above = current;
        current = next;
        if m < n {
            j[m] = current;
        }
        if current.abs() > 1e250 {
            // Rescale everything computed so far.
            current *= 1e-250;
            above *= 1e-250;
            for v in j.iter_mut().skip(m) {
                *v *= 1e-250;
            }
        }
    }
    let norm = j[0] + 2.0 * j.iter().skip(2).step_by(2).sum::<f64>();
    for v in &mut j {
        *v /= norm;
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bessel_values() {
        // J_0(1), J_1(1), J_5(10) (Abramowitz & Stegun).
        let j = bessel_j(1.0, 30);
        assert!((j[0] - 0.765_197_686_557_966_6).abs() < 1e-15);
        assert!((j[1] - 0.440_050_585_744_933_5).abs() < 1e-15);
        let j = bessel_j(10.0, 60);
        assert!((j[5] + 0.234_061_528_186_793_6).abs() < 1e-14);
    }

    #[test]
    fn moments_match_closed_forms() {
        for p in [2.5, 30.0, 500.0, 700.0, -4.0, 1e4] {
            let (c, s) = moments(p, 24);
            // ∫cos(pt) = 2 sin p / p; ∫ t·sin(pt) = 2(sin p - p cos p)/p².
            assert!(
                (c[0] - 2.0 * p.sin() / p).abs() < 1e-14,
                "p = {p}: {}",
                c[0]
            );
            let t_sin = 2.0 * (p.sin() - p * p.cos()) / (p * p);
            assert!((s[1] - t_sin).abs() < 1e-14, "p = {p}: {}", s[1]);
            assert_eq!(s[0], 0.0);
        }
    }
}
