//! The one random-program generator of the integration suites: random
//! arrays, and random programs over them built through the Array API, as
//! a user writes them. The differential suite (JIT against interpreter)
//! draws from [`Domain::Everything`]; the finite-difference suite (every
//! derivative against central differences) from [`Domain::Smooth`]; the
//! thread suites take their inputs from [`dyadic`].
//!
//! Everything is drawn from a seed by [`Rng`], so a failing case is
//! replayed from its seed alone. A step that does not type-check (an
//! integer `sin`, shapes that do not broadcast, ...) is skipped, so the
//! programs are whatever the op tables allow, on every dtype.

use ndjit::{concatenate, s, stack, where_, Array, DType, SliceItem};
use proptest::test_runner::{Config, RngSeed};

/// `cases` cases from a fixed seed, so CI is reproducible (a float result
/// may legitimately differ near a rounding or a kink, and a fixed seed
/// does not wander into one); `PROPTEST_RNG_SEED` / `PROPTEST_CASES`
/// explore further.
pub fn fixed_seed_config(cases: u32) -> Config {
    // `Config::default()` reads the environment; `with_cases` would
    // override PROPTEST_CASES.
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(20_261_126);
    }
    config
}

/// A tiny deterministic generator (a linear congruential one: any seed,
/// zero included, starts a good sequence), so a seed reproduces a case
/// exactly.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
    /// A multiple of 1/256 in [-4, 4]: sums of these are exact in any
    /// order (until 2^44 of them).
    pub fn dyadic(&mut self) -> f64 {
        (self.next() % 2049) as f64 / 256.0 - 4.0
    }
    /// Uniform in [low, high).
    pub fn uniform(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * (self.next() as f64 / (1u64 << 31) as f64)
    }
}

/// `n` values from [`Rng::dyadic`], from `seed`.
pub fn dyadic(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = Rng(seed);
    (0..n).map(|_| rng.dyadic()).collect()
}

/// What programs are drawn for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Domain {
    /// Every op of the Array API on every dtype, inputs with special
    /// values (±0, ±inf, NaN, subnormals): for comparing backends, which
    /// must agree on everything.
    Everything,
    /// `f64` programs that are differentiable almost everywhere and whose
    /// values stay finite: logarithms, roots, quotients, powers and
    /// inverse trigonometric functions are applied to operands kept inside
    /// their domains (`log(x² + 1)`, `asin(0.9 tanh x)`, ...). For
    /// derivatives checked against finite differences.
    Smooth,
}

/// Every dtype.
pub const DTYPES: [DType; 5] = [DType::F64, DType::F32, DType::I64, DType::I32, DType::Bool];

/// A shape of rank 0 to 3: each extent 0 with `zero_percent` chance,
/// else one of `extents`.
pub fn random_shape(rng: &mut Rng, extents: &[usize], zero_percent: u64) -> Vec<usize> {
    let rank = rng.below(4);
    (0..rank)
        .map(|_| {
            if rng.chance(zero_percent) {
                0
            } else {
                rng.pick(extents)
            }
        })
        .collect()
}

/// A shape that broadcasts with `shape`: some extents set to 1, some
/// leading axes dropped.
pub fn compatible_shape(rng: &mut Rng, shape: &[usize]) -> Vec<usize> {
    let drop = rng
        .below(shape.len() + 1)
        .min(if rng.chance(50) { 0 } else { shape.len() });
    shape[drop..]
        .iter()
        .map(|&d| if rng.chance(30) { 1 } else { d })
        .collect()
}

/// An evaluated array of `dtype`: multiples of 1/256 in [-4, 4] (exact in
/// any summation order), and 3% special values (±0, ±inf, NaN, a
/// subnormal; integers get 0 for the non-finite ones).
pub fn random_array(rng: &mut Rng, shape: &[usize], dtype: DType) -> Array {
    let n: usize = shape.iter().product();
    let floats: Vec<f64> = (0..n)
        .map(|_| {
            if rng.chance(3) {
                rng.pick(&[
                    0.0,
                    -0.0,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::NAN,
                    1e-310,
                ])
            } else {
                rng.dyadic()
            }
        })
        .collect();
    let base = Array::from_vec(floats, shape.to_vec());
    let base = if dtype.is_float() {
        base
    } else {
        where_(base.isfinite(), &base, 0.0)
    };
    base.astype(dtype).eval().expect("inputs evaluate")
}

/// A random program for comparing backends: one to three inputs of random
/// dtypes whose shapes broadcast together, then 2 to 8 steps of
/// [`grow`] over [`Domain::Everything`]. Returns the last one or two
/// values (all valid arrays).
pub fn random_program(rng: &mut Rng) -> Vec<Array> {
    // Zero sizes sometimes; primes and powers of two around the vector
    // width (2 lanes of f64, 4 of f32).
    let shape = random_shape(rng, &[1, 2, 3, 5, 8, 17], 4);
    let mut values: Vec<Array> = Vec::new();
    for _ in 0..1 + rng.below(3) {
        let s = if values.is_empty() {
            shape.clone()
        } else {
            compatible_shape(rng, &shape)
        };
        let dtype = rng.pick(&DTYPES);
        values.push(random_array(rng, &s, dtype));
    }
    let inputs = values.len();
    let steps = 2 + rng.below(7);
    grow(rng, &mut values, steps, Domain::Everything);
    let count = 1 + rng.below(2).min(values.len() - inputs);
    values[values.len() - count..].to_vec()
}

/// A random smooth scalar function of `x`, with `b` captured (any shape
/// that broadcasts with `x`'s): 2 to 7 steps of [`grow`] over
/// [`Domain::Smooth`] from `[x, b]`, then the sum of the means of every
/// value computed, each with its own weight (so every step counts). The
/// same seed gives the same function of every `x` of one shape.
pub fn smooth_function(seed: u64, b: Array) -> impl Fn(&Array) -> Array {
    move |x: &Array| {
        let mut rng = Rng(seed);
        let mut values = vec![x.clone(), b.clone()];
        let steps = 2 + rng.below(6);
        grow(&mut rng, &mut values, steps, Domain::Smooth);
        let mut total = Array::scalar(0.0);
        for (k, value) in values.iter().enumerate().skip(2) {
            total = total + value.mean(..) * (0.5 + 0.25 * k as f64);
        }
        total
    }
}

/// Appends up to `steps` random ops of `domain` over `values` (each step
/// picks its operands among them, the last ones more often). A step whose
/// result is an error (or, in [`Domain::Smooth`], empty) is skipped.
pub fn grow(rng: &mut Rng, values: &mut Vec<Array>, steps: usize, domain: Domain) {
    for _ in 0..steps {
        let operand = |rng: &mut Rng, values: &[Array]| {
            let recent = rng.below(values.len().min(4));
            let index = if rng.chance(60) {
                values.len() - 1 - recent
            } else {
                rng.below(values.len())
            };
            values[index].clone()
        };
        let a = operand(rng, values);
        let b = operand(rng, values);
        let candidate = match (rng.below(12), domain) {
            (0..=2, Domain::Everything) => EVERY_UNARY[rng.below(EVERY_UNARY.len())](&a),
            (0..=2, Domain::Smooth) => SMOOTH_UNARY[rng.below(SMOOTH_UNARY.len())](&a),
            (3..=5, Domain::Everything) if rng.chance(20) => {
                EVERY_BINARY[rng.below(EVERY_BINARY.len())](&a, &Array::scalar(1.5))
            }
            (3..=5, Domain::Everything) => EVERY_BINARY[rng.below(EVERY_BINARY.len())](&a, &b),
            (3..=5, Domain::Smooth) => SMOOTH_BINARY[rng.below(SMOOTH_BINARY.len())](&a, &b),
            (6, Domain::Everything) => a.astype(rng.pick(&DTYPES)),
            (6 | 7, _) => random_view(rng, &a),
            (8, _) => random_join(rng, &a, &b),
            (_, Domain::Everything) => everything_reduction(rng, &a),
            (_, Domain::Smooth) => smooth_reduction(rng, &a),
        };
        // Smooth programs keep no empty arrays: a mean over an empty axis
        // is NaN, which has no derivative to check.
        let empty_in_smooth = domain == Domain::Smooth && candidate.size() == 0;
        if candidate.error().is_none() && !empty_in_smooth {
            values.push(candidate);
        }
    }
}

/// Every unary function of the Array API.
const EVERY_UNARY: [fn(&Array) -> Array; 30] = [
    |a| -a,
    |a| a.abs(),
    |a| a.sign(),
    |a| a.sqrt(),
    |a| a.exp(),
    |a| a.expm1(),
    |a| a.exp2(),
    |a| a.log(),
    |a| a.log1p(),
    |a| a.log2(),
    |a| a.sin(),
    |a| a.cos(),
    |a| a.tan(),
    |a| a.tanh(),
    |a| a.asin(),
    |a| a.acos(),
    |a| a.atan(),
    |a| a.sinh(),
    |a| a.cosh(),
    |a| a.erf(),
    |a| a.floor(),
    |a| a.ceil(),
    |a| a.round(),
    |a| a.trunc(),
    |a| a.recip(),
    |a| a.square(),
    |a| a.logical_not(),
    |a| a.isnan(),
    |a| a.isfinite(),
    |a| a.clip(-0.5, 0.5),
];

/// Every binary function of the Array API, `where` and `mul_add`.
const EVERY_BINARY: [fn(&Array, &Array) -> Array; 25] = [
    |a, b| a + b,
    |a, b| a - b,
    |a, b| a * b,
    |a, b| a / b,
    |a, b| a.floor_div(b),
    |a, b| a % b,
    |a, b| a.pow(b),
    |a, b| a.maximum(b),
    |a, b| a.minimum(b),
    |a, b| a.atan2(b),
    |a, b| a.fmod(b),
    |a, b| a.fmax(b),
    |a, b| a.fmin(b),
    |a, b| a.copysign(b),
    |a, b| a.lt(b),
    |a, b| a.le(b),
    |a, b| a.gt(b),
    |a, b| a.ge(b),
    |a, b| a.equal(b),
    |a, b| a.not_equal(b),
    |a, b| a.logical_and(b),
    |a, b| a.logical_or(b),
    |a, b| a.logical_xor(b),
    |a, b| where_(a.gt(b), a, b),
    |a, b| a.mul_add(b, a),
];

/// Unary functions differentiable almost everywhere, each op applied
/// inside its domain. `abs`, `clip`, `floor`, `round` and `sign` have
/// kinks or steps, which random operands miss.
const SMOOTH_UNARY: [fn(&Array) -> Array; 27] = [
    |a| -a,
    |a| a.abs(),
    |a| a.sign() * a,
    |a| (a.square() + 1.0).sqrt(),
    |a| a.tanh().exp(),
    |a| a.tanh().expm1(),
    |a| a.tanh().exp2(),
    |a| (a.square() + 1.0).log(),
    |a| a.square().log1p(),
    |a| (a.square() + 1.0).log2(),
    |a| a.sin(),
    |a| a.cos(),
    |a| a.tanh().tan(),
    |a| a.tanh(),
    |a| (a.tanh() * 0.9).asin(),
    |a| (a.tanh() * 0.9).acos(),
    |a| a.atan(),
    |a| a.tanh().sinh(),
    |a| a.tanh().cosh(),
    |a| a.erf(),
    |a| a.floor() + a,
    |a| a.round() * 0.5 - a,
    |a| a.trunc() - a,
    |a| (a.square() + 1.0).recip(),
    |a| a.square(),
    |a| a.clip(-0.5, 0.5),
    |a| a * 1.5 - 0.25,
];

/// Binary functions differentiable almost everywhere, each op applied
/// inside its domain (divisors and pow's base kept positive, atan2's x
/// positive, rem's divisor away from zero).
const SMOOTH_BINARY: [fn(&Array, &Array) -> Array; 16] = [
    |a, b| a + b,
    |a, b| a - b,
    |a, b| a * b,
    |a, b| a / (b.square() + 1.0),
    |a, b| a % (b.square() + 1.5),
    |a, b| (a.square() + 0.5).pow(b.tanh()),
    |a, b| a.maximum(b),
    |a, b| a.minimum(b),
    |a, b| a.atan2(b.square() + 1.0),
    |a, b| a.fmod(b.square() + 1.5),
    |a, b| a.fmax(b),
    |a, b| a.fmin(b),
    |a, b| a.copysign(b.square() + 0.5) * a,
    |a, b| where_(a.gt(b), a, b),
    |a, b| where_(a.le(b).logical_or(a.gt(1.0)), a * b, a),
    |a, b| a.mul_add(b, a),
];

fn random_axis(rng: &mut Rng, a: &Array) -> isize {
    rng.below(a.ndim().max(1)) as isize
}

/// A view of `a`: transposed, reversed, sliced with a step, broadcast,
/// flattened, reshaped, permuted, or given and then rid of an axis.
fn random_view(rng: &mut Rng, a: &Array) -> Array {
    match rng.below(8) {
        0 => a.t(),
        1 => a.slice(s![..;-1]),
        2 if a.ndim() >= 1 => {
            let step = rng.pick(&[-3, -2, -1, 1, 2, 3]);
            a.slice([SliceItem::Range {
                start: Some(rng.below(3) as isize - 1),
                stop: None,
                step,
            }])
        }
        3 => a.broadcast_to([2].iter().chain(a.shape()).copied().collect::<Vec<_>>()),
        4 => a.flatten(),
        5 if a.size().is_multiple_of(2) => a.reshape([2, a.size() / 2]),
        6 => {
            let mut axes: Vec<usize> = (0..a.ndim()).collect();
            axes.rotate_left(rng.below(a.ndim().max(1)));
            a.permute(&axes)
        }
        _ => a.expand_dims(0).squeeze(),
    }
}

/// `a` joined with pieces of itself (a slice along the axis, possibly
/// empty, or reversed) and with `b` when `b` fits, by `concatenate` or
/// `stack`. Later steps apply elementwise ops to the result, which the
/// optimizer splits at the pieces' boundaries.
fn random_join(rng: &mut Rng, a: &Array, b: &Array) -> Array {
    let ndim = a.ndim();
    if ndim == 0 || rng.chance(25) {
        let other = if b.shape() == a.shape() {
            b.clone()
        } else {
            -a
        };
        let axis =
            rng.below(ndim + 1) as isize - if rng.chance(50) { ndim as isize + 1 } else { 0 };
        return stack(&[a.clone(), other], axis);
    }
    let axis = rng.below(ndim);
    let mut pieces = vec![a.clone()];
    for _ in 0..1 + rng.below(3) {
        let mut index = vec![SliceItem::from(..); axis];
        let piece = match rng.below(3) {
            0 => {
                index.push(SliceItem::from(rng.below(3) as isize..));
                a.slice(index)
            }
            1 => {
                index.push(SliceItem::from(..).step_by(-1));
                a.slice(index)
            }
            _ => b.clone(),
        };
        pieces.push(piece);
    }
    let start = rng.below(pieces.len());
    pieces.rotate_left(start);
    let axis = axis as isize - if rng.chance(50) { ndim as isize } else { 0 };
    concatenate(&pieces, axis)
}

/// Every reduction of the Array API, of `a` with huge values replaced by
/// 0.
fn everything_reduction(rng: &mut Rng, a: &Array) -> Array {
    let axis = random_axis(rng, a);
    // Sums of huge values of both signs depend on the summation order
    // (which the compiler is free to choose); keep them out of sums.
    let moderate = a.astype(DType::F64).abs().le(1e6).logical_or(a.isnan());
    let a = &where_(&moderate, a, 0).astype(a.dtype());
    match rng.below(13) {
        0 => a.sum(axis),
        1 => a.sum(..),
        2 => a.prod(axis),
        3 => a.max_keepdims(axis),
        4 => a.min(..),
        5 => a.any(axis),
        6 => a.all(..),
        7 => a.argmax(axis),
        8 => a.argmin(axis),
        9 => a.mean(axis),
        10 => a.var(axis, 0),
        11 => a.std_keepdims(axis, 1),
        _ => a.sum_keepdims(axis) - a,
    }
}

/// Reductions differentiable almost everywhere (a max or min has a kink
/// where two elements tie, which random operands miss).
fn smooth_reduction(rng: &mut Rng, a: &Array) -> Array {
    let axis = random_axis(rng, a);
    match rng.below(8) {
        0 => a.sum(axis),
        1 => a.sum(..),
        2 => a.tanh().prod(axis),
        3 => a.max_keepdims(axis),
        4 => a.min(..),
        5 => a.mean(axis),
        6 => a.var(axis, 0),
        _ => {
            let shifted = a - a.max_keepdims(axis);
            shifted.exp().sum(axis).log()
        }
    }
}
