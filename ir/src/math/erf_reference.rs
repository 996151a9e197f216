//! erf in double-double arithmetic (about 2^-90 relative), the reference
//! the erf routine's accuracy is measured against: `std` has no erf, and the
//! C library's is itself only within an ulp or so.
//!
//! |x| <= 3: the Taylor series `2/√π·Σ (-1)^n x^(2n+1) / (n!(2n+1))` (its
//! largest term is below 2^8 there, so cancellation costs under 8 of 106
//! bits); 3 < |x| < 9: `1 - erfc(x)` with erfc from Laplace's continued
//! fraction; from 9 on erf is 1 to 2^-110. A test checks it against values
//! mpmath printed (`erf_reference_values.py`).

use super::lane::{fast_two_sum, two_sum};
use std::f64::consts;

/// An unevaluated sum `hi + lo` with |lo| <= ulp(hi)/2.
#[derive(Clone, Copy, Debug)]
pub(super) struct DoubleDouble {
    pub(super) hi: f64,
    pub(super) lo: f64,
}

impl DoubleDouble {
    /// `hi + lo`, which must already be normalized.
    pub(super) const fn new(hi: f64, lo: f64) -> Self {
        DoubleDouble { hi, lo }
    }

    /// `x` exactly.
    fn from(x: f64) -> Self {
        DoubleDouble { hi: x, lo: 0.0 }
    }

    /// `hi + lo` renormalized, for |hi| >= |lo|.
    fn normalized(hi: f64, lo: f64) -> Self {
        let (hi, lo) = fast_two_sum(hi, lo);
        DoubleDouble { hi, lo }
    }

    /// The sum, to about 2^-104 relative to the larger operand.
    fn add(self, other: Self) -> Self {
        let (s, e) = two_sum(self.hi, other.hi);
        let (t, f) = two_sum(self.lo, other.lo);
        let n = Self::normalized(s, e + t);
        Self::normalized(n.hi, n.lo + f)
    }

    /// `-self`.
    fn neg(self) -> Self {
        DoubleDouble {
            hi: -self.hi,
            lo: -self.lo,
        }
    }

    /// The product, to about 2^-104 relative.
    pub(super) fn mul(self, other: Self) -> Self {
        let p = self.hi * other.hi;
        let e = self.hi.mul_add(other.hi, -p);
        Self::normalized(p, e + (self.hi * other.lo + self.lo * other.hi))
    }

    /// The quotient, by three steps of long division.
    fn div(self, other: Self) -> Self {
        let q1 = self.hi / other.hi;
        let r = self.add(other.mul(Self::from(-q1)));
        let q2 = r.hi / other.hi;
        let r = r.add(other.mul(Self::from(-q2)));
        let q3 = r.hi / other.hi;
        Self::normalized(q1, q2).add(Self::from(q3))
    }
}

/// 2/√π (the low part printed by mpmath).
pub(super) const TWO_OVER_SQRT_PI: DoubleDouble =
    DoubleDouble::new(consts::FRAC_2_SQRT_PI, 1.533545961316588e-17);
/// 1/√π, half of 2/√π.
const ONE_OVER_SQRT_PI: DoubleDouble =
    DoubleDouble::new(TWO_OVER_SQRT_PI.hi / 2.0, TWO_OVER_SQRT_PI.lo / 2.0);
/// ln 2.
const LN2: DoubleDouble = DoubleDouble::new(consts::LN_2, super::exp::LN2_LO);

/// e^x for -90 <= x <= 0.
fn exp(x: DoubleDouble) -> DoubleDouble {
    // x = k·ln2 + r, |r| <= ln2/2; e^r = (e^(r/1024))^1024, the inner one
    // by its Taylor series (terms below 2^-120 after 12).
    let k = (x.hi / LN2.hi).round();
    let r = x.add(LN2.mul(DoubleDouble::from(-k)));
    let r = DoubleDouble::new(r.hi / 1024.0, r.lo / 1024.0);
    let mut sum = DoubleDouble::from(1.0);
    for n in (1..=12).rev() {
        sum = DoubleDouble::from(1.0).add(r.mul(sum).div(DoubleDouble::from(n as f64)));
    }
    for _ in 0..10 {
        sum = sum.mul(sum);
    }
    let scale = 2f64.powi(k as i32);
    DoubleDouble::new(sum.hi * scale, sum.lo * scale)
}

/// erf(x) for |x| >= 2^-60 (below, erf(x) = 2x/√π to 2^-120, but
/// `x·TWO_OVER_SQRT_PI` loses its low part to underflow); NaN for NaN.
pub(super) fn erf(x: f64) -> DoubleDouble {
    let a = x.abs();
    let magnitude = if a.is_nan() {
        DoubleDouble::from(f64::NAN)
    } else if a <= 3.0 {
        taylor(a)
    } else if a < 9.0 {
        DoubleDouble::from(1.0).add(erfc_continued_fraction(a).neg())
    } else {
        DoubleDouble::from(1.0)
    };
    if x < 0.0 {
        magnitude.neg()
    } else {
        magnitude
    }
}

/// erf(a) by its Taylor series, 0 < a <= 3.
fn taylor(a: f64) -> DoubleDouble {
    let a2 = DoubleDouble::from(a).mul(DoubleDouble::from(a));
    // power = a^(2n+1) / n!
    let mut power = DoubleDouble::from(a);
    let mut sum = power;
    for n in 1..200 {
        power = power.mul(a2).div(DoubleDouble::from(n as f64));
        let term = power.div(DoubleDouble::from((2 * n + 1) as f64));
        sum = sum.add(if n % 2 == 1 { term.neg() } else { term });
        if term.hi.abs() < sum.hi.abs() * 1e-34 {
            break;
        }
    }
    sum.mul(TWO_OVER_SQRT_PI)
}

/// erfc(a) for 3 < a < 9: `e^(-a²)/√π / (a + (1/2)/(a + 1/(a + (3/2)/(a + ...))))`,
/// evaluated from 150 levels down (truncation error below 2^-130 for a >= 3).
fn erfc_continued_fraction(a: f64) -> DoubleDouble {
    let x = DoubleDouble::from(a);
    let mut denominator = x;
    for n in (1..=150).rev() {
        denominator = x.add(DoubleDouble::from(n as f64 / 2.0).div(denominator));
    }
    let square = x.mul(x);
    exp(square.neg()).mul(ONE_OVER_SQRT_PI).div(denominator)
}

#[cfg(test)]
mod tests {
    use super::erf;

    #[test]
    fn agrees_with_mpmath() {
        for (x, hi, lo) in MPMATH_ERF {
            let got = erf(x);
            let difference = (got.hi - hi) + (got.lo - lo);
            assert!(
                difference.abs() <= hi.abs() * 2f64.powi(-90),
                "erf({x}): {got:?}, mpmath {hi:e} + {lo:e}"
            );
        }
    }

    // Printed by `python3 ir/src/math/erf_reference_values.py`.
    const MPMATH_ERF: [(f64, f64, f64); 102] = [
        (0.125, 0.1403162048013338, 1.2596103827036942e-17),
        (0.25, 0.27632639016823696, -2.4227076221184163e-17),
        (0.375, 0.4041169094348223, -1.5094497806256517e-17),
        (0.5, 0.5204998778130465, 1.900077467916287e-17),
        (0.625, 0.623240882188418, -2.7016816836135297e-17),
        (0.75, 0.7111556336535151, 4.69744077164289e-17),
        (0.875, 0.7840750610598597, -3.204544978890348e-17),
        (1.0, 0.8427007929497149, -2.4801011789118602e-17),
        (1.125, 0.8883882317017078, -1.158643993739769e-17),
        (1.25, 0.9229001282564583, -5.51775442986392e-17),
        (1.375, 0.9481700727820903, 1.071691533519912e-17),
        (1.5, 0.9661051464753108, -3.3867031441680696e-17),
        (1.625, 0.9784437332399837, -1.7028513178925588e-17),
        (1.75, 0.9866716712191824, 2.1431190289565338e-17),
        (1.875, 0.9919900576701199, 3.0126779045582727e-17),
        (2.0, 0.9953222650189527, 2.20719858329765e-17),
        (2.125, 0.9973459706405177, -6.548583264315741e-18),
        (2.25, 0.9985372834133188, 2.6956405885413457e-17),
        (2.375, 0.9992170617821089, -1.4349117332555682e-17),
        (2.5, 0.999593047982555, 4.6925151097042234e-17),
        (2.625, 0.9997946242638588, -6.2556665556923804e-18),
        (2.75, 0.9998993780778803, 4.451378916214761e-17),
        (2.875, 0.9999521451602562, 1.4933598125858e-17),
        (3.0, 0.9999779095030014, 5.363397058636269e-17),
        (3.125, 0.9999901032653747, 1.3132336543493276e-17),
        (3.25, 0.9999956972205363, 5.224680575187069e-17),
        (3.375, 0.9999981847185726, -4.284756581330801e-17),
        (3.5, 0.9999992569016276, 4.9647279187212204e-17),
        (3.625, 0.9999997048598075, -3.8108336724873686e-18),
        (3.75, 0.9999998862727434, 4.2276182391829615e-17),
        (3.875, 0.999999957486056, -5.0616648789558536e-17),
        (4.0, 0.9999999845827421, 1.44826531920025e-17),
        (4.125, 0.9999999945765992, 3.99675667392096e-17),
        (4.25, 0.9999999981494259, 9.86675034192752e-19),
        (4.375, 0.9999999993875167, -9.046130618729546e-18),
        (4.5, 0.9999999998033839, 1.2614727975054947e-17),
        (4.625, 0.9999999999387839, 3.813525439388226e-17),
        (4.75, 0.9999999999815149, 5.461622108299497e-17),
        (4.875, 0.9999999999945866, 4.1001774321813545e-17),
        (5.0, 0.9999999999984626, -2.294992711807301e-17),
        (5.125, 0.9999999999995766, -1.727604158766289e-17),
        (5.25, 0.9999999999998869, 2.859354043191264e-17),
        (5.375, 0.9999999999999707, 1.5002305232589177e-17),
        (5.5, 0.9999999999999927, -3.03759554483649e-17),
        (5.625, 0.9999999999999982, -1.5663166250755952e-17),
        (5.75, 0.9999999999999996, 2.0875548107488853e-17),
        (5.875, 0.9999999999999999, 1.4106746009743903e-17),
        (6.0, 1.0, -2.1519736712498913e-17),
        (6.125, 1.0, -4.6332221552992656e-18),
        (6.25, 1.0, -9.672204131876253e-19),
        (6.375, 1.0, -1.9577523042806317e-19),
        (6.5, 1.0, -3.8421483271206475e-20),
        (6.625, 1.0, -7.310869685530323e-21),
        (6.75, 1.0, -1.34876788936113e-21),
        (6.875, 1.0, -2.412535134375822e-22),
        (7.0, 1.0, -4.183825607779414e-23),
        (7.125, 1.0, -7.034487747459961e-24),
        (7.25, 1.0, -1.1466900814815012e-24),
        (7.375, 1.0, -1.8122170524396203e-25),
        (7.5, 1.0, -2.776649386030569e-26),
        (7.625, 1.0, -4.124533420209177e-27),
        (7.75, 1.0, -5.939747859517146e-28),
        (7.875, 1.0, -8.292723782930443e-29),
        (8.0, 1.0, -1.1224297172982926e-29),
        (8.125, 1.0, -1.47282375446827e-30),
        (8.25, 1.0, -1.8735664705504997e-31),
        (8.375, 1.0, -2.3105283125593975e-32),
        (8.5, 1.0, -2.7623240713337716e-33),
        (8.625, 1.0, -3.2015220669706386e-34),
        (8.75, 1.0, -3.597115728647072e-35),
        (8.875, 1.0, -3.9180138101720904e-36),
        (9.0, 1.0, -4.1370317465138135e-37),
        (9.125, 1.0, -4.2346826791392765e-38),
        (9.25, 1.0, -4.202037214919659e-39),
        (9.375, 1.0, -4.042070423951887e-40),
        (9.5, 1.0, -3.7692144856217194e-41),
        (9.625, 1.0, -3.407210220783895e-42),
        (9.75, 1.0, -2.9857008358371568e-43),
        (9.875, 1.0, -2.5362448333154e-44),
        (10.0, 1.0, -2.0884876534072013e-45),
        (0.1, 0.1124629160182849, 9.255497413884101e-19),
        (0.01, 0.011283415555849618, -6.832062095663143e-19),
        (0.001, 0.0011283787909692365, -7.88735357945236e-20),
        (1e-05, 1.1283791670579e-05, -3.369136869444807e-23),
        (1e-08, 1.1283791670955126e-08, -5.879607832080608e-25),
        (1e-12, 1.1283791670955126e-12, -1.514248621423209e-29),
        (1e-17, 1.1283791670955127e-17, -5.844814554686654e-34),
        (0.11, 0.12362289619947431, 2.3121211535138964e-18),
        (0.81, 0.7480032805977896, -5.3303687789389895e-17),
        (1.51, 0.9672767481287117, -3.50424323413304e-17),
        (2.21, 0.9982244379759344, -4.032834220409439e-17),
        (2.91, 0.9999613426877595, 1.1227067408496168e-17),
        (3.61, 0.9999996697490109, 2.784841245184899e-17),
        (4.31, 0.9999999989074059, 1.2875768102633636e-17),
        (5.01, 0.9999999999986117, -2.737014787676293e-18),
        (5.71, 0.9999999999999993, -7.751515816499016e-18),
        (3.999, 0.9999999844552505, -3.377909337425113e-18),
        (4.001, 0.9999999847092178, 2.272706239215815e-17),
        (5.921, 0.9999999999999999, 5.511839031879007e-17),
        (-0.3, -0.3286267594591274, -2.2908254446982777e-17),
        (-1.7, -0.9837904585907745, -4.16538078253101e-17),
        (-4.5, -0.9999999998033839, -1.2614727975054947e-17),
    ];
}
