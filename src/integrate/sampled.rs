//! Integrals of sampled data along an axis: `trapezoid`, `simpson`,
//! `romb`, `cumulative_trapezoid` (SciPy's names and rules).
//!
//! The first three are lazy array expressions (strided slices, products,
//! a sum), so they fuse with whatever produced the samples and run as one
//! compiled kernel. `cumulative_trapezoid` is a running sum, which the
//! graph has no op for: it evaluates its input and computes the sums in
//! Rust.

use crate::error::{Error, Result};
use crate::{Array, DType, SliceItem};

/// The spacing of the samples: a constant step (`dx`) or their abscissae
/// (`x`, one-dimensional along the axis, or of `y`'s shape).
#[derive(Clone, Debug)]
pub enum Spacing {
    /// Equally spaced samples, `dx` apart.
    Dx(f64),
    /// The sample points.
    X(Array),
}

impl From<f64> for Spacing {
    fn from(dx: f64) -> Spacing {
        Spacing::Dx(dx)
    }
}

impl From<&Array> for Spacing {
    fn from(x: &Array) -> Spacing {
        Spacing::X(x.clone())
    }
}

impl From<Array> for Spacing {
    fn from(x: Array) -> Spacing {
        Spacing::X(x)
    }
}

/// `y` checked, with its axis resolved (negative counts from the end).
fn resolve_axis(op: &str, y: &Array, axis: isize) -> Result<usize> {
    let ndim = y.ndim() as isize;
    let resolved = if axis < 0 { axis + ndim } else { axis };
    if resolved < 0 || resolved >= ndim {
        return Err(Error::invalid(
            op,
            format!(
                "axis {axis} is out of bounds for an array of shape {:?}",
                y.shape()
            ),
        ));
    }
    Ok(resolved as usize)
}

/// `a[..., start:stop:step, ...]` on `axis`.
fn along(a: &Array, axis: usize, start: isize, stop: Option<isize>, step: isize) -> Array {
    let mut items = vec![
        SliceItem::Range {
            start: None,
            stop: None,
            step: 1
        };
        a.ndim()
    ];
    items[axis] = SliceItem::Range {
        start: Some(start),
        stop,
        step,
    };
    a.slice(items)
}

/// The abscissae as an array that broadcasts against `y` along `axis`, or
/// `None` for a constant step.
fn abscissae(op: &str, y: &Array, spacing: &Spacing, axis: usize) -> Result<Option<Array>> {
    let Spacing::X(x) = spacing else {
        return Ok(None);
    };
    let x = x.clone().validate()?.astype(DType::F64);
    let n = y.shape()[axis];
    if x.ndim() == 1 {
        if x.shape()[0] != n {
            return Err(Error::invalid(
                op,
                format!("x has {} points, y has {n} along axis {axis}", x.shape()[0]),
            ));
        }
        let mut shape = vec![1; y.ndim()];
        shape[axis] = n;
        return Ok(Some(x.reshape(shape)));
    }
    if x.shape() != y.shape() {
        return Err(Error::invalid(
            op,
            format!(
                "x must be 1-d or of y's shape {:?}, got {:?}",
                y.shape(),
                x.shape()
            ),
        ));
    }
    Ok(Some(x))
}

/// `y` as a float array, its resolved axis and its extent there.
fn prepare(op: &str, y: &Array, axis: isize) -> Result<(Array, usize, usize)> {
    let y = y.clone().validate()?;
    let y = if y.dtype().is_float() {
        y
    } else {
        y.astype(DType::F64)
    };
    let axis = resolve_axis(op, &y, axis)?;
    let n = y.shape()[axis];
    Ok((y, axis, n))
}

/// The trapezoidal rule along `axis` (`scipy.integrate.trapezoid`),
/// lazily: the result fuses with the expression producing `y`.
///
/// ```
/// use ndjit::integrate::trapezoid;
/// use ndjit::Array;
/// let x = Array::linspace(0.0, 1.0, 101, true);
/// let area = trapezoid(&(&x * &x), &x, -1)?;            // ≈ 1/3
/// assert!((area.item::<f64>()? - 1.0 / 3.0).abs() < 2e-5);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn trapezoid(y: &Array, spacing: impl Into<Spacing>, axis: isize) -> Result<Array> {
    let spacing = spacing.into();
    let (y, axis, n) = prepare("trapezoid", y, axis)?;
    let x = abscissae("trapezoid", &y, &spacing, axis)?;
    if n < 2 {
        return Ok((along(&y, axis, 0, Some(0), 1)).sum(axis as isize));
    }
    let sums = along(&y, axis, 1, None, 1) + along(&y, axis, 0, Some(-1), 1);
    let terms = match (&x, &spacing) {
        (Some(x), _) => (along(x, axis, 1, None, 1) - along(x, axis, 0, Some(-1), 1)) * sums,
        (None, Spacing::Dx(dx)) => sums * *dx,
        (None, Spacing::X(_)) => unreachable!("abscissae are Some for Spacing::X"),
    };
    (terms.sum(axis as isize) * 0.5).validate()
}

/// Composite Simpson's rule along `axis` (`scipy.integrate.simpson`):
/// for an even number of samples, Simpson on all but the last interval
/// and Cartwright's three-point correction for it, as SciPy ≥ 1.11.
pub fn simpson(y: &Array, spacing: impl Into<Spacing>, axis: isize) -> Result<Array> {
    let spacing = spacing.into();
    let (y, axis, n) = prepare("simpson", y, axis)?;
    let x = abscissae("simpson", &y, &spacing, axis)?;
    let dx = match spacing {
        Spacing::Dx(dx) => dx,
        Spacing::X(_) => 1.0,
    };
    let ax = axis as isize;
    if n == 2 {
        return trapezoid(&y, spacing_of(&x, dx), ax);
    }
    let odd_end = if n % 2 == 1 { n } else { n - 1 };
    let mut result = basic_simpson(&y, x.as_ref(), dx, axis, odd_end);
    if n % 2 == 0 && n > 2 {
        let (h0, h1) = match &x {
            Some(x) => {
                let last = along(x, axis, -1, None, 1);
                let second = along(x, axis, -2, Some(-1), 1);
                let third = along(x, axis, -3, Some(-2), 1);
                (&second - &third, &last - &second)
            }
            None => (Array::scalar(dx), Array::scalar(dx)),
        };
        let alpha = (&h1 * &h1 * 2.0 + &h0 * &h1 * 3.0) / ((&h1 + &h0) * 6.0);
        let beta = (&h1 * &h1 + &h0 * &h1 * 3.0) / (&h0 * 6.0);
        let eta = &h1 * &h1 * &h1 / (&h0 * (&h0 + &h1) * 6.0);
        let correction = alpha * along(&y, axis, -1, None, 1)
            + beta * along(&y, axis, -2, Some(-1), 1)
            - eta * along(&y, axis, -3, Some(-2), 1);
        result = result + correction.squeeze_axis(ax);
    }
    result.validate()
}

fn spacing_of(x: &Option<Array>, dx: f64) -> Spacing {
    match x {
        Some(x) => Spacing::X(x.clone()),
        None => Spacing::Dx(dx),
    }
}

/// Simpson's rule over the first `end` samples (`end` odd).
fn basic_simpson(y: &Array, x: Option<&Array>, dx: f64, axis: usize, end: usize) -> Array {
    let stop = |k: usize| Some((end as isize - 2 + k as isize).min(end as isize));
    let y0 = along(y, axis, 0, stop(0), 2);
    let y1 = along(y, axis, 1, stop(1), 2);
    let y2 = along(y, axis, 2, stop(2), 2);
    let ax = axis as isize;
    match x {
        None => (y0 + y1 * 4.0 + y2).sum(ax) * (dx / 3.0),
        Some(x) => {
            let x0 = along(x, axis, 0, stop(0), 2);
            let x1 = along(x, axis, 1, stop(1), 2);
            let x2 = along(x, axis, 2, stop(2), 2);
            let h0 = &x1 - &x0;
            let h1 = &x2 - &x1;
            let hsum = &h0 + &h1;
            let ratio = &h0 / &h1;
            let terms = &hsum / 6.0
                * (y0 * (2.0 - ratio.recip())
                    + y1 * (&hsum * &hsum / (&h0 * &h1))
                    + y2 * (2.0 - &ratio));
            terms.sum(ax)
        }
    }
}

/// Romberg integration of `2^k + 1` equally spaced samples along `axis`
/// (`scipy.integrate.romb`): trapezoid sums on every `2^j`-th sample,
/// combined by Richardson extrapolation. Lazy.
pub fn romb(y: &Array, dx: f64, axis: isize) -> Result<Array> {
    let (y, axis, n) = prepare("romb", y, axis)?;
    let intervals = n.saturating_sub(1);
    if n < 2 || !intervals.is_power_of_two() {
        return Err(Error::invalid(
            "romb",
            format!("the number of samples must be one plus a power of 2, got {n}"),
        ));
    }
    let levels = intervals.trailing_zeros() as usize;
    let ax = axis as isize;
    let ends = along(&y, axis, 0, None, intervals as isize).sum(ax);
    // R[j][0]: the trapezoid rule with step h_j = dx·2^(levels-j).
    let mut h = dx * intervals as f64;
    let mut previous = vec![&ends * (h / 2.0)];
    for j in 1..=levels {
        let stride = (intervals >> j) as isize;
        let new_points = along(&y, axis, stride, None, 2 * stride).sum(ax);
        let mut row = vec![&previous[0] * 0.5 + new_points * (h / 2.0)];
        h /= 2.0;
        for k in 1..=j {
            let factor = 4f64.powi(k as i32);
            let refined = &row[k - 1] + (&row[k - 1] - &previous[k - 1]) / (factor - 1.0);
            row.push(refined);
        }
        previous = row;
    }
    previous.pop().unwrap_or(ends).validate()
}

/// The running trapezoidal integral along `axis`
/// (`scipy.integrate.cumulative_trapezoid`): one fewer element than `y`
/// along the axis, or as many when `initial` is given (it is prepended).
/// Evaluates `y` (a running sum is not a fused expression).
pub fn cumulative_trapezoid(
    y: &Array,
    spacing: impl Into<Spacing>,
    axis: isize,
    initial: Option<f64>,
) -> Result<Array> {
    let spacing = spacing.into();
    let (y, axis, n) = prepare("cumulative_trapezoid", y, axis)?;
    let x = abscissae("cumulative_trapezoid", &y, &spacing, axis)?;
    // Move the axis last, so each lane is contiguous.
    let mut order: Vec<usize> = (0..y.ndim()).filter(|&k| k != axis).collect();
    order.push(axis);
    let lanes_y = y
        .astype(DType::F64)
        .permute(&order)
        .eval()?
        .to_vec::<f64>()?;
    let lanes_x = match &x {
        Some(x) => {
            let full = x.broadcast_to(y.shape().to_vec());
            Some(full.permute(&order).eval()?.to_vec::<f64>()?)
        }
        None => None,
    };
    let dx = match spacing {
        Spacing::Dx(dx) => dx,
        Spacing::X(_) => 1.0,
    };
    let out_len = if initial.is_some() {
        n
    } else {
        n.saturating_sub(1)
    };
    let lanes = lanes_y.len().checked_div(n).unwrap_or(0);
    let mut out = Vec::with_capacity(lanes * out_len);
    for lane in 0..lanes {
        let ys = &lanes_y[lane * n..(lane + 1) * n];
        if let Some(start) = initial {
            out.push(start);
        }
        let mut total = initial.unwrap_or(0.0);
        for k in 1..n {
            let h = match &lanes_x {
                Some(xs) => xs[lane * n + k] - xs[lane * n + k - 1],
                None => dx,
            };
            total += 0.5 * h * (ys[k] + ys[k - 1]);
            out.push(total);
        }
    }
    let mut permuted_shape: Vec<usize> = order.iter().map(|&k| y.shape()[k]).collect();
    *permuted_shape.last_mut().expect("y has at least one axis") = out_len;
    // Undo the permutation.
    let mut inverse = vec![0; order.len()];
    for (position, &k) in order.iter().enumerate() {
        inverse[k] = position;
    }
    Array::from_vec(out, permuted_shape)
        .permute(&inverse)
        .validate()
}
