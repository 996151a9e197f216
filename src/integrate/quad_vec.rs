//! `quad_vec`: adaptive quadrature of a vector-valued function
//! (SciPy's `quad_vec`): global bisection of the interval with the largest
//! error, 21-point Gauss–Kronrod on each, the error measured in a norm
//! over the components. An array integrand gets all nodes of a batch at
//! once, as a column `f64[k, 1]`, and returns the `f64[k, m]` values.

use super::gauss_kronrod::{G10, W21, X21};
use crate::error::{Error, Result};
use crate::{Array, DType, Function, TensorType};
use std::cell::Cell;
use std::collections::BinaryHeap;

/// How the error of a vector is measured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Norm {
    /// Euclidean (SciPy's default, `'2'`).
    #[default]
    Two,
    /// Largest component (`'max'`).
    Max,
}

impl Norm {
    fn of(self, v: &[f64]) -> f64 {
        match self {
            Norm::Two => v.iter().map(|x| x * x).sum::<f64>().sqrt(),
            Norm::Max => v.iter().fold(0.0, |m, x| m.max(x.abs())),
        }
    }
}

/// Options of [`quad_vec`], with SciPy's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct QuadVecOptions {
    /// Absolute tolerance (default 1e-200).
    pub epsabs: f64,
    /// Relative tolerance (default 1e-8).
    pub epsrel: f64,
    /// The norm of the error (default Euclidean).
    pub norm: Norm,
    /// Largest number of subintervals (default 10000).
    pub limit: usize,
    /// Break points inside a finite range.
    pub points: Vec<f64>,
}

impl Default for QuadVecOptions {
    fn default() -> Self {
        QuadVecOptions {
            epsabs: 1e-200,
            epsrel: 1e-8,
            norm: Norm::Two,
            limit: 10000,
            points: Vec::new(),
        }
    }
}

/// How [`quad_vec`] ended (SciPy's `status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuadVecStatus {
    /// 0: converged.
    Converged,
    /// 1: the subinterval limit was reached.
    SubdivisionLimit,
    /// 2: the error is dominated by rounding; the tolerance cannot be met.
    Roundoff,
    /// 3: the integrand returned a non-finite value.
    NonFinite,
}

/// The result of [`quad_vec`].
#[derive(Clone, Debug, PartialEq)]
pub struct QuadVecResult {
    /// The integral, one value per component.
    pub value: Vec<f64>,
    /// The error estimate, in the chosen norm.
    pub abserr: f64,
    /// Evaluations of the integrand (nodes).
    pub neval: usize,
    /// Number of subintervals.
    pub intervals: usize,
    /// How it ended.
    pub status: QuadVecStatus,
    /// What the status means.
    pub message: String,
}

impl QuadVecResult {
    /// Whether the tolerance was met.
    pub fn success(&self) -> bool {
        self.status == QuadVecStatus::Converged
    }
}

/// Evaluates a batch of nodes: values row-major, `k × m`.
type VectorBatch<'f> = Box<dyn FnMut(&[f64]) -> Result<(Vec<f64>, usize)> + 'f>;

/// Marker for vector integrands written as `Fn(f64) -> Vec<f64>`.
pub struct PlainVector;
/// Marker for vector integrands written as `Fn(&Array) -> Array`.
pub struct ArrayVector;

/// Conversion of a closure into a batch evaluator for [`quad_vec`].
pub trait IntoVectorIntegrand<'f, M> {
    /// The evaluator.
    #[doc(hidden)]
    fn into_batch(self) -> VectorIntegrand<'f>;
}

/// A vector integrand, as [`quad_vec`] calls it.
pub struct VectorIntegrand<'f>(VectorBatch<'f>);

impl<'f, F: Fn(f64) -> Vec<f64> + 'f> IntoVectorIntegrand<'f, PlainVector> for F {
    fn into_batch(self) -> VectorIntegrand<'f> {
        VectorIntegrand(Box::new(move |x| {
            let mut out = Vec::new();
            let mut m = 0;
            for &node in x {
                let v = self(node);
                m = v.len();
                out.extend(v);
            }
            if out.len() != m * x.len() {
                return Err(Error::invalid(
                    "quad_vec",
                    "the integrand's length changes between nodes",
                ));
            }
            Ok((out, m))
        }))
    }
}

impl<'f, F: Fn(&Array) -> Array + 'f> IntoVectorIntegrand<'f, ArrayVector> for F {
    fn into_batch(self) -> VectorIntegrand<'f> {
        let mut compiled: Vec<(usize, Function, usize)> = Vec::new();
        VectorIntegrand(Box::new(move |x| {
            let k = x.len();
            if !compiled.iter().any(|(len, ..)| *len == k) {
                let m = Cell::new(1);
                let function = Function::new(&[TensorType::new([k, 1], DType::F64)], |a| {
                    let out = self(&a[0]).astype(DType::F64);
                    m.set(out.shape().last().copied().unwrap_or(1));
                    vec![out.broadcast_to([k, m.get()])]
                })
                .map_err(|e| {
                    Error::invalid(
                        "quad_vec",
                        format!("the integrand cannot be traced on f64[{k}, 1]: {e}"),
                    )
                })?;
                compiled.push((k, function, m.get()));
            }
            let (_, function, m) = compiled
                .iter()
                .find(|(len, ..)| *len == k)
                .expect("compiled above");
            let out = function.call(&[Array::from_slice(x, [k, 1])])?;
            Ok((out[0].to_vec::<f64>()?, *m))
        }))
    }
}

/// The map of the range onto a finite one: `x(t)` and `dx/dt`.
#[derive(Clone, Copy)]
enum Map {
    Identity,
    /// `[a, ∞)`: `x = a + t/(1-t)`, `t ∈ [0, 1)`.
    Upper(f64),
    /// `(-∞, b]`: `x = b - t/(1-t)`, `t ∈ [0, 1)`, orientation reversed.
    Lower(f64),
    /// `(-∞, ∞)`: `x = t/(1-t²)`, `t ∈ (-1, 1)`.
    Both,
}

impl Map {
    fn apply(self, t: f64) -> (f64, f64) {
        match self {
            Map::Identity => (t, 1.0),
            Map::Upper(a) => (a + t / (1.0 - t), 1.0 / ((1.0 - t) * (1.0 - t))),
            Map::Lower(b) => (b - t / (1.0 - t), 1.0 / ((1.0 - t) * (1.0 - t))),
            Map::Both => {
                let d = 1.0 - t * t;
                (t / d, (1.0 + t * t) / (d * d))
            }
        }
    }
}

/// One interval's estimate.
struct Piece {
    a: f64,
    b: f64,
    value: Vec<f64>,
    error: f64,
    rounding: f64,
}

impl PartialEq for Piece {
    fn eq(&self, other: &Self) -> bool {
        self.error.total_cmp(&other.error).is_eq()
    }
}
impl Eq for Piece {}
impl PartialOrd for Piece {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Piece {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.error.total_cmp(&other.error)
    }
}

/// GK21 estimates of the intervals `pieces` (in t), from one batch call.
fn estimate(
    f: &mut VectorIntegrand,
    map: Map,
    norm: Norm,
    pieces: &[(f64, f64)],
    neval: &mut usize,
) -> Result<Vec<Piece>> {
    let mut nodes = Vec::with_capacity(21 * pieces.len());
    let mut jacobians = Vec::with_capacity(21 * pieces.len());
    for &(a, b) in pieces {
        let (c, h) = (0.5 * (a + b), 0.5 * (b - a));
        let mut push = |t: f64| {
            let (x, dx) = map.apply(t);
            nodes.push(x);
            jacobians.push(dx);
        };
        push(c);
        for &x in &X21[..10] {
            push(c - h * x);
            push(c + h * x);
        }
    }
    *neval += nodes.len();
    let (values, m) = (f.0)(&nodes)?;
    let mut out = Vec::with_capacity(pieces.len());
    for (p, &(a, b)) in pieces.iter().enumerate() {
        let h = 0.5 * (b - a);
        let v = |node: usize, i: usize| values[(21 * p + node) * m + i] * jacobians[21 * p + node];
        let mut kronrod = vec![0.0; m];
        let mut gauss = vec![0.0; m];
        let mut abs_sum = vec![0.0; m];
        for i in 0..m {
            kronrod[i] = W21[10] * v(0, i);
            abs_sum[i] = (W21[10] * v(0, i)).abs();
            for j in 0..10 {
                let (f1, f2) = (v(1 + 2 * j, i), v(2 + 2 * j, i));
                kronrod[i] += W21[j] * (f1 + f2);
                abs_sum[i] += W21[j] * (f1.abs() + f2.abs());
                if j % 2 == 1 {
                    gauss[i] += G10[j / 2] * (f1 + f2);
                }
            }
        }
        let mut deviation = vec![0.0; m];
        for i in 0..m {
            let mean = 0.5 * kronrod[i];
            deviation[i] = W21[10] * (v(0, i) - mean).abs();
            for (j, w) in W21[..10].iter().enumerate() {
                deviation[i] +=
                    w * ((v(1 + 2 * j, i) - mean).abs() + (v(2 + 2 * j, i) - mean).abs());
            }
        }
        let difference: Vec<f64> = (0..m).map(|i| (kronrod[i] - gauss[i]) * h).collect();
        let mut error = norm.of(&difference);
        let spread = norm.of(&deviation.iter().map(|d| d * h).collect::<Vec<_>>());
        if spread != 0.0 && error != 0.0 {
            error = spread * (200.0 * error / spread).powf(1.5).min(1.0);
        }
        let rounding = norm.of(&abs_sum
            .iter()
            .map(|s| 50.0 * f64::EPSILON * h * s)
            .collect::<Vec<_>>());
        if rounding > f64::MIN_POSITIVE {
            error = error.max(rounding);
        }
        out.push(Piece {
            a,
            b,
            value: kronrod.iter().map(|k| k * h).collect(),
            error,
            rounding,
        });
    }
    Ok(out)
}

/// `∫_a^b f(x) dx` for a vector-valued `f` (`scipy.integrate.quad_vec`).
///
/// ```
/// use ndjit::integrate::{quad_vec, QuadVecOptions};
/// use ndjit::Array;
/// // ∫_0^1 x^k dx = 1/(k+1) for k = 0..4, all in one integrand.
/// let k = Array::arange(0.0, 5.0, 1.0);
/// let r = quad_vec(move |x: &Array| x.pow(&k), 0.0, 1.0, &QuadVecOptions::default())?;
/// assert!((r.value[4] - 0.2).abs() < 1e-10);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn quad_vec<'f, M>(
    f: impl IntoVectorIntegrand<'f, M>,
    a: f64,
    b: f64,
    options: &QuadVecOptions,
) -> Result<QuadVecResult> {
    if a.is_nan() || b.is_nan() {
        return Err(Error::invalid("quad_vec", "the limits must not be NaN"));
    }
    let mut f = f.into_batch();
    let (sign, lo, hi) = if b < a { (-1.0, b, a) } else { (1.0, a, b) };
    let (map, t_lo, t_hi) = match (lo == f64::NEG_INFINITY, hi == f64::INFINITY) {
        (false, false) => (Map::Identity, lo, hi),
        (false, true) => (Map::Upper(lo), 0.0, 1.0),
        (true, false) => (Map::Lower(hi), 0.0, 1.0),
        (true, true) => (Map::Both, -1.0, 1.0),
    };
    let mut breaks = vec![t_lo];
    if !options.points.is_empty() {
        if !matches!(map, Map::Identity) {
            return Err(Error::invalid(
                "quad_vec",
                "break points cannot be used with an infinite range",
            ));
        }
        let mut inside: Vec<f64> = options
            .points
            .iter()
            .copied()
            .filter(|&p| lo < p && p < hi)
            .collect();
        inside.sort_by(f64::total_cmp);
        inside.dedup();
        breaks.extend(inside);
    }
    breaks.push(t_hi);
    let pieces: Vec<(f64, f64)> = breaks.windows(2).map(|w| (w[0], w[1])).collect();
    let mut neval = 0;
    let mut heap: BinaryHeap<Piece> = estimate(&mut f, map, options.norm, &pieces, &mut neval)?
        .into_iter()
        .collect();
    let m = heap.peek().map_or(0, |p| p.value.len());
    let status = loop {
        let mut total = vec![0.0; m];
        let (mut error, mut rounding) = (0.0, 0.0);
        for piece in heap.iter() {
            for (t, v) in total.iter_mut().zip(&piece.value) {
                *t += v;
            }
            error += piece.error;
            rounding += piece.rounding;
        }
        if !error.is_finite() || total.iter().any(|v| !v.is_finite()) {
            break QuadVecStatus::NonFinite;
        }
        let tolerance = options.epsabs.max(options.epsrel * options.norm.of(&total));
        if error <= tolerance {
            break QuadVecStatus::Converged;
        }
        if rounding >= 0.5 * error && rounding > tolerance {
            break QuadVecStatus::Roundoff;
        }
        if heap.len() >= options.limit {
            break QuadVecStatus::SubdivisionLimit;
        }
        let worst = heap.pop().expect("at least one interval");
        let middle = 0.5 * (worst.a + worst.b);
        if middle <= worst.a || middle >= worst.b {
            heap.push(worst);
            break QuadVecStatus::Roundoff;
        }
        for piece in estimate(
            &mut f,
            map,
            options.norm,
            &[(worst.a, middle), (middle, worst.b)],
            &mut neval,
        )? {
            heap.push(piece);
        }
    };
    let mut value = vec![0.0; m];
    let mut abserr = 0.0;
    for piece in heap.iter() {
        for (t, v) in value.iter_mut().zip(&piece.value) {
            *t += sign * v;
        }
        abserr += piece.error;
    }
    let message = match status {
        QuadVecStatus::Converged => "Target precision reached.",
        QuadVecStatus::SubdivisionLimit => "Maximum number of subdivisions reached.",
        QuadVecStatus::Roundoff => "Roundoff error detected; the tolerance cannot be met.",
        QuadVecStatus::NonFinite => "Non-finite values encountered.",
    };
    Ok(QuadVecResult {
        value,
        abserr,
        neval,
        intervals: heap.len(),
        status,
        message: message.to_string(),
    })
}
