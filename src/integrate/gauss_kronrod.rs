//! Gauss–Kronrod rules with QUADPACK's error estimate: the 21-point rule
//! on a finite interval (QK21) and the 15-point rule on `(0, 1]` after
//! mapping an infinite range onto it (QK15I).
//!
//! Nodes are laid out centre first, then the pairs `centre ∓ h·x_j` for
//! each abscissa `x_j` from the outermost in, so the values of one batch
//! call line up with the weights below.

// The constants are QUADPACK's, to the 33 digits it publishes them with.
#![allow(clippy::excessive_precision)]

#[cfg(test)]
use super::integrand::Integrand;
use super::oscillatory::Oscillation;
#[cfg(test)]
use crate::error::Result;

/// Abscissae of the 21-point Kronrod rule on `[-1, 1]` (positive half,
/// outermost first; odd positions are the 10-point Gauss nodes; the last
/// is the centre).
pub(crate) const X21: [f64; 11] = [
    0.995657163025808080735527280689003,
    0.973906528517171720077964012084452,
    0.930157491355708226001207180059508,
    0.865063366688984510732096688423493,
    0.780817726586416897063717578345042,
    0.679409568299024406234327365114874,
    0.562757134668604683339000099272694,
    0.433395394129247190799265943165784,
    0.294392862701460198131126603103866,
    0.148874338981631210884826001129720,
    0.0,
];
/// Weights of the 21-point Kronrod rule, matching [`X21`].
pub(crate) const W21: [f64; 11] = [
    0.011694638867371874278064396062192,
    0.032558162307964727478818972459390,
    0.054755896574351996031381300244580,
    0.075039674810919952767043140916190,
    0.093125454583697605535065465083366,
    0.109387158802297641899210590325805,
    0.123491976262065851077982877821290,
    0.134709217311473325928054001771707,
    0.142775938577060080797094273138717,
    0.147739104901338491374841515972068,
    0.149445554002916905664936468389821,
];
/// Weights of the embedded 10-point Gauss rule (nodes `X21[1]`, `X21[3]`, ...).
pub(crate) const G10: [f64; 5] = [
    0.066671344308688137593568809893332,
    0.149451349150580593145776339657697,
    0.219086362515982043995534934228163,
    0.269266719309996355091226921569469,
    0.295524224714752870173892994651338,
];
/// Abscissae of the 15-point Kronrod rule (odd positions and the centre are
/// the 7-point Gauss nodes).
const X15: [f64; 8] = [
    0.991455371120812639206854697526329,
    0.949107912342758524526189684047851,
    0.864864423359769072789712788640926,
    0.741531185599394439863864773280788,
    0.586087235467691130294144845693013,
    0.405845151377397166906606412076961,
    0.207784955007898467600689403773245,
    0.0,
];
/// Weights of the 15-point Kronrod rule, matching [`X15`].
const W15: [f64; 8] = [
    0.022935322010529224963732008058970,
    0.063092092629978553290700663189204,
    0.104790010322250183839876322541518,
    0.140653259715525918745189590510238,
    0.169004726639267902826583426598550,
    0.190350578064785409913256402421014,
    0.204432940075298892414161999234649,
    0.209482141084727828012999174891714,
];
/// Weights of the embedded 7-point Gauss rule (nodes `X15[1]`, `X15[3]`,
/// `X15[5]` and the centre).
const G7: [f64; 4] = [
    0.129484966168869693270611432679082,
    0.279705391489276667901467771423780,
    0.381830050505118944950369775488975,
    0.417959183673469387755102040816327,
];

/// One rule applied to one interval, with QUADPACK's by-products.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Estimate {
    /// The Kronrod approximation of the integral.
    pub value: f64,
    /// The error estimate (QUADPACK's scaled Gauss–Kronrod difference).
    pub error: f64,
    /// The rule applied to `|f|`.
    pub abs_value: f64,
    /// The rule applied to `|f - mean(f)|`.
    pub deviation: f64,
}

/// Where an infinite range is mapped onto `(0, 1]`: `x = bound + s·(1-t)/t`.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Infinite {
    /// `[bound, ∞)`.
    Upper(f64),
    /// `(-∞, bound]`.
    Lower(f64),
    /// `(-∞, ∞)`, folded: `f(x) + f(-x)` over `[0, ∞)`.
    Both,
}

/// The rule an adaptive driver applies to each interval.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Rule {
    /// 21-point Gauss–Kronrod on the interval itself (QK21).
    Kronrod21,
    /// 15-point Gauss–Kronrod on the interval itself (QK15; with weighted
    /// values, QK15W).
    Kronrod15,
    /// 15-point Gauss–Kronrod on a sub-interval of `(0, 1]` of a mapped
    /// infinite range (QK15I).
    Kronrod15Infinite(Infinite),
    /// `f(x)·cos(ωx)` or `f(x)·sin(ωx)`: weighted 15-point Gauss–Kronrod
    /// on intervals of few oscillations, else Chebyshev interpolation of
    /// `f` integrated exactly against the weight (QAWO's QC25F).
    Oscillatory(Oscillation),
}

impl Rule {
    fn abscissae(self) -> &'static [f64] {
        match self {
            Rule::Kronrod21 => &X21,
            Rule::Kronrod15 | Rule::Kronrod15Infinite(_) | Rule::Oscillatory(_) => &X15,
        }
    }

    /// Rule nodes on `[a, b]`: centre first, then `centre ∓ h·x_j`.
    fn nodes(self, a: f64, b: f64, out: &mut Vec<f64>) {
        let centre = 0.5 * (a + b);
        let half = 0.5 * (b - a);
        let abscissae = self.abscissae();
        let (outer, _) = abscissae.split_at(abscissae.len() - 1);
        out.push(centre);
        for &x in outer {
            out.push(centre - half * x);
            out.push(centre + half * x);
        }
    }

    /// Appends the points where the integrand is evaluated for `[a, b]`.
    pub(crate) fn points(self, a: f64, b: f64, out: &mut Vec<f64>) {
        match self {
            Rule::Kronrod21 | Rule::Kronrod15 => self.nodes(a, b, out),
            Rule::Oscillatory(w) => {
                if w.interpolates(a, b) {
                    w.points(a, b, out);
                } else {
                    self.nodes(a, b, out);
                }
            }
            Rule::Kronrod15Infinite(range) => {
                let mut t = Vec::with_capacity(15);
                self.nodes(a, b, &mut t);
                let start = out.len();
                for &t in &t {
                    let s = (1.0 - t) / t;
                    match range {
                        Infinite::Upper(bound) => out.push(bound + s),
                        Infinite::Lower(bound) => out.push(bound - s),
                        Infinite::Both => out.push(s),
                    }
                }
                if let Infinite::Both = range {
                    for k in start..start + t.len() {
                        out.push(-out[k]);
                    }
                }
            }
        }
    }

    /// The estimate for `[a, b]` from the integrand at [`Rule::points`].
    pub(crate) fn estimate(self, a: f64, b: f64, values: &[f64]) -> Estimate {
        match self {
            Rule::Kronrod21 => kronrod(a, b, values, &W21, &G10, None),
            Rule::Kronrod15 => kronrod(a, b, values, &W15, &G7[..3], Some(G7[3])),
            Rule::Oscillatory(w) => {
                if w.interpolates(a, b) {
                    w.estimate(a, b, values)
                } else {
                    let mut x = Vec::with_capacity(15);
                    self.nodes(a, b, &mut x);
                    let weighted: Vec<f64> = values
                        .iter()
                        .zip(&x)
                        .map(|(f, &x)| f * w.weight(x))
                        .collect();
                    Rule::Kronrod15.estimate(a, b, &weighted)
                }
            }
            Rule::Kronrod15Infinite(range) => {
                let mut t = Vec::with_capacity(15);
                self.nodes(a, b, &mut t);
                let mut mapped = [0.0; 15];
                for (k, (&t, slot)) in t.iter().zip(&mut mapped).enumerate() {
                    let mut f = values[k];
                    if let Infinite::Both = range {
                        f += values[15 + k];
                    }
                    // |dx/dt| = 1/t²; both maps keep the orientation of
                    // the range once (0, 1] is walked upwards.
                    *slot = f / t / t;
                }
                kronrod(a, b, &mapped, &W15, &G7[..3], Some(G7[3]))
            }
        }
    }

    /// Estimates `[a, b]` by evaluating the integrand there.
    #[cfg(test)]
    pub(crate) fn apply(self, f: &mut Integrand, a: f64, b: f64) -> Result<Estimate> {
        let mut points = Vec::new();
        self.points(a, b, &mut points);
        let values = f.values(&points)?;
        Ok(self.estimate(a, b, &values))
    }
}

/// The Kronrod sum over values laid out as [`Rule::nodes`], its embedded
/// Gauss sum (Gauss nodes at odd positions, plus the centre when
/// `gauss_centre` has its weight), and QUADPACK's error estimate.
fn kronrod(
    a: f64,
    b: f64,
    values: &[f64],
    weights: &[f64],
    gauss: &[f64],
    gauss_centre: Option<f64>,
) -> Estimate {
    let half = 0.5 * (b - a);
    let centre_weight = weights[weights.len() - 1];
    let fc = values[0];
    let mut kronrod = centre_weight * fc;
    let mut gauss_sum = gauss_centre.map_or(0.0, |w| w * fc);
    let mut abs_sum = kronrod.abs();
    for (j, &w) in weights[..weights.len() - 1].iter().enumerate() {
        let (f1, f2) = (values[1 + 2 * j], values[2 + 2 * j]);
        kronrod += w * (f1 + f2);
        abs_sum += w * (f1.abs() + f2.abs());
        if j % 2 == 1 {
            gauss_sum += gauss[j / 2] * (f1 + f2);
        }
    }
    let mean = 0.5 * kronrod;
    let mut deviation = centre_weight * (fc - mean).abs();
    for (j, &w) in weights[..weights.len() - 1].iter().enumerate() {
        deviation += w * ((values[1 + 2 * j] - mean).abs() + (values[2 + 2 * j] - mean).abs());
    }
    let value = kronrod * half;
    let abs_value = abs_sum * half.abs();
    let deviation = deviation * half.abs();
    let mut error = ((kronrod - gauss_sum) * half).abs();
    // QUADPACK's scaling: the raw difference is pessimistic for smooth
    // integrands (error ~ (200·diff/dev)^1.5·dev), and never below what
    // rounding in the sum itself can cause.
    if deviation != 0.0 && error != 0.0 {
        error = deviation * (200.0 * error / deviation).powf(1.5).min(1.0);
    }
    if abs_value > f64::MIN_POSITIVE / (50.0 * f64::EPSILON) {
        error = error.max(50.0 * f64::EPSILON * abs_value);
    }
    Estimate {
        value,
        error,
        abs_value,
        deviation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integrate::integrand::IntoIntegrand;

    /// Kronrod rules of n points are exact for polynomials of degree 3n/2+1.
    #[test]
    fn kronrod_rules_integrate_polynomials_exactly() {
        for degree in 0..=31 {
            let mut f = (move |x: f64| x.powi(degree)).into_integrand();
            let est = Rule::Kronrod21.apply(&mut f, 0.0, 1.0).unwrap();
            let exact = 1.0 / f64::from(degree + 1);
            assert!(
                (est.value - exact).abs() < 1e-15,
                "degree {degree}: {}",
                est.value
            );
        }
    }

    #[test]
    fn the_infinite_rule_maps_the_range() {
        // ∫_0^∞ e^{-x} dx = 1 and ∫_{-∞}^{∞} e^{-x²} dx = √π on (0, 1]
        // with one rule application: a rough but sane estimate.
        let mut f = (|x: f64| (-x).exp()).into_integrand();
        let est = Rule::Kronrod15Infinite(Infinite::Upper(0.0))
            .apply(&mut f, 0.0, 1.0)
            .unwrap();
        assert!((est.value - 1.0).abs() < 1e-3 && est.error >= (est.value - 1.0).abs());
        let mut g = (|x: f64| (-x * x).exp()).into_integrand();
        let est = Rule::Kronrod15Infinite(Infinite::Both)
            .apply(&mut g, 0.0, 1.0)
            .unwrap();
        let exact = std::f64::consts::PI.sqrt();
        assert!((est.value - exact).abs() <= est.error, "{est:?}");
        let est = Rule::Kronrod15Infinite(Infinite::Lower(0.0))
            .apply(&mut g, 0.0, 1.0)
            .unwrap();
        assert!((est.value - exact / 2.0).abs() <= est.error, "{est:?}");
    }
}
