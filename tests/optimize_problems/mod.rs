//! Classic unconstrained test functions (Moré, Garbow and Hillstrom
//! 1981) as closures over arrays, shared by the optimize tests.

use ndjit::{s, where_, Array};

/// SciPy's `rosen`: Σ 100 (x[i+1] − x[i]²)² + (1 − x[i])².
pub fn rosen(x: &Array) -> Array {
    let (head, tail) = (x.slice(s![..-1]), x.slice(s![1..]));
    (100.0 * (&tail - head.square()).square() + (1.0 - &head).square()).sum(..)
}

/// SciPy's starting point (−1.2, 1, −1.2, 1, ...).
pub fn rosen_x0(n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| if i % 2 == 0 { -1.2 } else { 1.0 })
        .collect()
}

fn component(x: &Array, i: isize) -> Array {
    x.slice(s![i])
}

/// Beale, minimum 0 at (3, 0.5); x0 = (1, 1).
pub fn beale(x: &Array) -> Array {
    let (a, b) = (component(x, 0), component(x, 1));
    let ab = &a * &b;
    let ab2 = &ab * &b;
    let ab3 = &ab2 * &b;
    ((1.5 - &a + &ab).square() + (2.25 - &a + &ab2).square() + (2.625 - &a + &ab3).square()).sum(..)
}

/// Powell's singular function, minimum 0 at 0; x0 = (3, −1, 0, 1).
pub fn powell_singular(x: &Array) -> Array {
    let v: Vec<Array> = (0..4).map(|i| component(x, i)).collect();
    ((&v[0] + 10.0 * &v[1]).square()
        + 5.0 * (&v[2] - &v[3]).square()
        + (&v[1] - 2.0 * &v[2]).square().square()
        + 10.0 * (&v[0] - &v[3]).square().square())
    .sum(..)
}

/// Wood's function, minimum 0 at (1, 1, 1, 1); x0 = (−3, −1, −3, −1).
pub fn wood(x: &Array) -> Array {
    let v: Vec<Array> = (0..4).map(|i| component(x, i)).collect();
    (100.0 * (&v[1] - v[0].square()).square()
        + (1.0 - &v[0]).square()
        + 90.0 * (&v[3] - v[2].square()).square()
        + (1.0 - &v[2]).square()
        + 10.1 * ((&v[1] - 1.0).square() + (&v[3] - 1.0).square())
        + 19.8 * (&v[1] - 1.0) * (&v[3] - 1.0))
        .sum(..)
}

/// Fletcher and Powell's helical valley, minimum 0 at (1, 0, 0);
/// x0 = (−1, 0, 0). θ = atan(x₂/x₁)/2π, plus ½ where x₁ < 0.
pub fn helical_valley(x: &Array) -> Array {
    let (a, b, c) = (component(x, 0), component(x, 1), component(x, 2));
    let theta = (&b / &a).atan() / (2.0 * std::f64::consts::PI) + where_(a.lt(0.0), 0.5, 0.0);
    (100.0 * ((&c - 10.0 * theta).square() + ((a.square() + b.square()).sqrt() - 1.0).square())
        + c.square())
    .sum(..)
}
