//! NumPy's float formatting for array printing (`FloatingFormat` with the
//! default options: `floatmode='maxprec'`, `precision=8`, no suppression).
//!
//! Every element is first written in its shortest form that reads back
//! exactly, cut to at most [`PRECISION`] fractional digits. The elements then
//! share one layout: positional with the integer parts right-aligned and the
//! fractions left-aligned (`[ 1. ,  2.5]`), or scientific with a common
//! number of mantissa digits and exponent digits (`[1.0e-05, 1.5e+00]`).

use std::fmt::{Display, LowerExp};
use std::ops::{Div, Neg};

/// At most this many digits after the point (NumPy's default precision).
const PRECISION: usize = 8;

/// How NumPy spells the non-finite values.
const NAN: &str = "nan";
const INF: &str = "inf";

/// The float element types: `f32` and `f64`. Their `Display` and `LowerExp`
/// give the shortest form that reads back exactly in that type, as NumPy's
/// Dragon4 does.
pub(super) trait Float:
    Copy + PartialOrd + Display + LowerExp + Div<Output = Self> + Neg<Output = Self>
{
    /// The value as `f64` (exact for both types).
    fn to_f64(self) -> f64;
    /// `value` rounded to this type.
    fn from_f64(value: f64) -> Self;
}

impl Float for f32 {
    fn to_f64(self) -> f64 {
        self as f64
    }
    fn from_f64(value: f64) -> f32 {
        value as f32
    }
}

impl Float for f64 {
    fn to_f64(self) -> f64 {
        self
    }
    fn from_f64(value: f64) -> f64 {
        value
    }
}

/// The common layout of the floats of one array.
#[derive(Debug)]
pub(super) struct FloatFormat {
    /// Scientific (`1.5e+00`) rather than positional (`1.5`) notation.
    scientific: bool,
    /// Width of the integer part, sign included (right-aligned).
    pad_left: usize,
    /// Positional: width of the fraction (left-aligned, space-padded).
    /// Scientific: width of everything after the point.
    pad_right: usize,
    /// Scientific: digits after the point, zero-padded.
    mantissa_digits: usize,
    /// Scientific: minimum exponent digits, zero-padded.
    exponent_digits: usize,
}

/// One finite value, written shortest and cut to [`PRECISION`] digits.
struct Digits {
    /// Integer part with its sign (`-1`, `0`, `-0`).
    integer: String,
    /// Fractional digits, without trailing zeros.
    fraction: String,
    /// The power of ten (scientific notation only).
    exponent: i32,
}

impl FloatFormat {
    /// The layout for the given values (the elements that will be shown).
    pub(super) fn new<T: Float>(values: &[T]) -> FloatFormat {
        let finite: Vec<T> = values
            .iter()
            .copied()
            .filter(|v| v.to_f64().is_finite())
            .collect();
        let scientific = uses_scientific(&finite);
        let digits: Vec<Digits> = finite
            .iter()
            .map(|&v| {
                if scientific {
                    scientific_digits(v)
                } else {
                    positional_digits(v)
                }
            })
            .collect();
        let widest = |part: fn(&Digits) -> usize| digits.iter().map(part).max().unwrap_or(0);
        let pad_left = widest(|d| d.integer.len());
        let fraction = widest(|d| d.fraction.len());
        let mut format = if scientific {
            let exponent_digits = widest(|d| d.exponent.unsigned_abs().to_string().len()).max(2);
            FloatFormat {
                scientific,
                pad_left,
                pad_right: fraction + 2 + exponent_digits,
                mantissa_digits: fraction,
                exponent_digits,
            }
        } else {
            FloatFormat {
                scientific,
                pad_left,
                pad_right: fraction,
                mantissa_digits: 0,
                exponent_digits: 0,
            }
        };
        if finite.len() != values.len() {
            // Room for `nan`, `inf` and `-inf` within the common width.
            let negative_infinity = values
                .iter()
                .any(|v| v.to_f64().is_infinite() && v.to_f64() < 0.0);
            let after_integer = format.pad_right + 1;
            format.pad_left = format
                .pad_left
                .max(NAN.len().saturating_sub(after_integer))
                .max((INF.len() + negative_infinity as usize).saturating_sub(after_integer));
        }
        format
    }

    /// One element in this layout.
    pub(super) fn format<T: Float>(&self, value: T) -> String {
        let v = value.to_f64();
        let width = self.pad_left + self.pad_right + 1;
        if v.is_nan() {
            return format!("{NAN:>width$}");
        }
        if v.is_infinite() {
            let text = if v < 0.0 {
                format!("-{INF}")
            } else {
                INF.into()
            };
            return format!("{text:>width$}");
        }
        let (pad_left, pad_right) = (self.pad_left, self.pad_right);
        if self.scientific {
            let d = scientific_digits(value);
            let sign = if d.exponent < 0 { '-' } else { '+' };
            format!(
                "{:>pad_left$}.{:0<mantissa$}e{sign}{:0>exponent$}",
                d.integer,
                d.fraction,
                d.exponent.unsigned_abs(),
                mantissa = self.mantissa_digits,
                exponent = self.exponent_digits,
            )
        } else {
            let d = positional_digits(value);
            format!("{:>pad_left$}.{:<pad_right$}", d.integer, d.fraction)
        }
    }
}

/// NumPy switches to scientific notation when the finite non-zero
/// magnitudes reach 1e8, go below 1e-4, or span more than three decades.
/// The comparisons are made in the element type, as NumPy makes them.
fn uses_scientific<T: Float>(finite: &[T]) -> bool {
    let zero = T::from_f64(0.0);
    let magnitudes = finite
        .iter()
        .filter(|v| v.to_f64() != 0.0)
        .map(|&v| if v < zero { -v } else { v });
    let mut range: Option<(T, T)> = None;
    for m in magnitudes {
        range = Some(match range {
            None => (m, m),
            Some((low, high)) => (
                if m < low { m } else { low },
                if m > high { m } else { high },
            ),
        });
    }
    let Some((low, high)) = range else {
        return false;
    };
    high >= T::from_f64(1e8) || low < T::from_f64(1e-4) || high / low > T::from_f64(1e3)
}

/// `value` positional: shortest round-trip digits, or rounded to
/// [`PRECISION`] fractional digits when those are more.
fn positional_digits<T: Float>(value: T) -> Digits {
    let shortest = value.to_string();
    let text = match shortest.split_once('.') {
        Some((_, fraction)) if fraction.len() > PRECISION => format!("{value:.PRECISION$}"),
        _ => shortest,
    };
    let (integer, fraction) = text.split_once('.').unwrap_or((&text, ""));
    Digits {
        integer: integer.to_string(),
        fraction: fraction.trim_end_matches('0').to_string(),
        exponent: 0,
    }
}

/// `value` scientific: shortest round-trip mantissa, or rounded to
/// [`PRECISION`] digits after the point when that is more.
fn scientific_digits<T: Float>(value: T) -> Digits {
    let shortest = format!("{value:e}");
    let too_long = shortest
        .split_once('e')
        .and_then(|(mantissa, _)| mantissa.split_once('.'))
        .is_some_and(|(_, fraction)| fraction.len() > PRECISION);
    let text = if too_long {
        format!("{value:.PRECISION$e}")
    } else {
        shortest
    };
    let (mantissa, exponent) = text
        .split_once('e')
        .expect("`{:e}` always writes an exponent");
    let (integer, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    Digits {
        integer: integer.to_string(),
        fraction: fraction.trim_end_matches('0').to_string(),
        exponent: exponent
            .parse()
            .expect("`{:e}` writes the exponent as an integer"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all<T: Float>(values: &[T]) -> Vec<String> {
        let format = FloatFormat::new(values);
        values.iter().map(|&v| format.format(v)).collect()
    }

    #[test]
    fn positional_shares_integer_and_fraction_widths() {
        assert_eq!(all(&[1.0, 2.5, -10.0]), ["  1. ", "  2.5", "-10. "]);
        assert_eq!(all(&[0.1 + 0.2]), ["0.3"]);
        assert_eq!(all(&[std::f64::consts::PI]), ["3.14159265"]);
        // An exact tie at the 9th digit rounds to even, as Dragon4 does.
        assert_eq!(all(&[0.001953125, 1.0]), ["0.00195312", "1.        "]);
        assert_eq!(all(&[-0.0]), ["-0."]);
        assert_eq!(all(&[0.1f32]), ["0.1"]);
    }

    #[test]
    fn scientific_for_wide_or_extreme_magnitudes() {
        assert_eq!(all(&[1e-5, 1.5]), ["1.0e-05", "1.5e+00"]);
        assert_eq!(all(&[0.0, 1e-5]), ["0.e+00", "1.e-05"]);
        assert_eq!(all(&[1e8]), ["1.e+08"]);
        assert_eq!(all(&[1.0, 1000.0]), ["   1.", "1000."]);
        assert_eq!(all(&[1.0, 1001.0]), ["1.000e+00", "1.001e+03"]);
        assert_eq!(all(&[1e-5, 1e100]), ["1.e-005", "1.e+100"]);
        assert_eq!(all(&[-1.0, 1e10]), ["-1.e+00", " 1.e+10"]);
    }

    #[test]
    fn non_finite_values_fit_the_common_width() {
        let values = [1.0, 2.5, f64::NAN, f64::NEG_INFINITY];
        assert_eq!(all(&values), [" 1. ", " 2.5", " nan", "-inf"]);
        assert_eq!(all(&[f64::NAN, f64::INFINITY]), ["nan", "inf"]);
        assert_eq!(all(&[f64::NAN, f64::NEG_INFINITY]), [" nan", "-inf"]);
        assert_eq!(all(&[f64::NAN, 1.0]), ["nan", " 1."]);
    }
}
