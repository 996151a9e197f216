//! Python's `%` formatting of one number (`%.18e`, `%10.3f`, `%g`, `%d`),
//! which `savetxt`'s `fmt` is written in.

/// One conversion specifier with the literal text around it.
#[derive(Clone, Debug, PartialEq)]
pub struct Format {
    prefix: String,
    suffix: String,
    left: bool,
    plus: bool,
    space: bool,
    zero: bool,
    alternate: bool,
    width: usize,
    precision: Option<usize>,
    kind: char,
}

impl Format {
    /// Parses a format holding exactly one specifier (`%%` is a literal
    /// percent sign).
    pub fn parse(fmt: &str) -> Result<Format, String> {
        let mut prefix = String::new();
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                prefix.push(c);
                continue;
            }
            if chars.peek() == Some(&'%') {
                chars.next();
                prefix.push('%');
                continue;
            }
            let mut format = Format {
                prefix,
                suffix: String::new(),
                left: false,
                plus: false,
                space: false,
                zero: false,
                alternate: false,
                width: 0,
                precision: None,
                kind: 'e',
            };
            while let Some(&flag) = chars.peek() {
                match flag {
                    '-' => format.left = true,
                    '+' => format.plus = true,
                    ' ' => format.space = true,
                    '0' => format.zero = true,
                    '#' => format.alternate = true,
                    _ => break,
                }
                chars.next();
            }
            format.width = number(&mut chars);
            if chars.peek() == Some(&'.') {
                chars.next();
                format.precision = Some(number(&mut chars));
            }
            format.kind = match chars.next() {
                Some(k @ ('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'd' | 'i')) => k,
                other => {
                    return Err(format!(
                    "format {fmt:?}: unsupported conversion {:?} (savetxt writes %e, %f, %g, %d)",
                    other.map(String::from).unwrap_or_default()
                ))
                }
            };
            while let Some(c) = chars.next() {
                if c == '%' && chars.next() != Some('%') {
                    return Err(format!(
                        "format {fmt:?} has more than one conversion; give one for all columns"
                    ));
                }
                format.suffix.push(c);
            }
            return Ok(format);
        }
        Err(format!("format {fmt:?} has no conversion such as %.18e"))
    }

    /// `value` formatted as Python's `fmt % value`.
    pub fn apply(&self, value: f64) -> String {
        let upper = self.kind.is_ascii_uppercase();
        let body = if !value.is_finite() && !matches!(self.kind, 'd' | 'i') || value.is_nan() {
            let text = if value.is_nan() { "nan" } else { "inf" };
            if upper {
                text.to_uppercase()
            } else {
                text.to_string()
            }
        } else {
            let magnitude = value.abs();
            match self.kind.to_ascii_lowercase() {
                'e' => exponential(magnitude, self.precision.unwrap_or(6), self.alternate),
                'f' => fixed(magnitude, self.precision.unwrap_or(6), self.alternate),
                'g' => general(magnitude, self.precision.unwrap_or(6), self.alternate),
                _ => format!("{}", magnitude.trunc()),
            }
        };
        let body = if upper { body.to_uppercase() } else { body };
        let negative = value.is_sign_negative()
            && !(matches!(self.kind, 'd' | 'i') && value.trunc() == 0.0)
            && !value.is_nan();
        let sign = if negative {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        };
        let len = sign.len() + body.len();
        let padded = if len >= self.width {
            format!("{sign}{body}")
        } else if self.left {
            format!("{sign}{body}{}", " ".repeat(self.width - len))
        } else if self.zero && value.is_finite() {
            format!("{sign}{}{body}", "0".repeat(self.width - len))
        } else {
            format!("{}{sign}{body}", " ".repeat(self.width - len))
        };
        format!("{}{padded}{}", self.prefix, self.suffix)
    }
}

fn number(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> usize {
    let mut n = 0usize;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        n = n.saturating_mul(10).saturating_add(d as usize);
        chars.next();
    }
    n
}

/// `%.{p}e` of a non-negative finite value: `1.500000e+00`.
fn exponential(value: f64, precision: usize, alternate: bool) -> String {
    let text = format!("{value:.precision$e}");
    let (mantissa, exponent) = text.split_once('e').expect("{:e} writes an exponent");
    let exponent: i32 = exponent.parse().expect("{:e} writes an integer exponent");
    let point = if alternate && precision == 0 { "." } else { "" };
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}{point}e{sign}{:02}", exponent.abs())
}

/// `%.{p}f` of a non-negative finite value.
fn fixed(value: f64, precision: usize, alternate: bool) -> String {
    let point = if alternate && precision == 0 { "." } else { "" };
    format!("{value:.precision$}{point}")
}

/// `%.{p}g`: `%e` or `%f` by the exponent, trailing zeros removed unless `#`.
fn general(value: f64, precision: usize, alternate: bool) -> String {
    let precision = precision.max(1);
    let exponent: i32 = if value == 0.0 {
        0
    } else {
        let text = format!("{value:.*e}", precision - 1);
        text.split_once('e')
            .expect("exponent")
            .1
            .parse()
            .expect("integer exponent")
    };
    let text = if exponent < -4 || exponent >= precision as i32 {
        exponential(value, precision - 1, alternate)
    } else {
        fixed(value, (precision as i32 - 1 - exponent) as usize, alternate)
    };
    if alternate {
        return text;
    }
    let (mantissa, exponent) = match text.split_once('e') {
        Some((m, e)) => (m.to_string(), format!("e{e}")),
        None => (text, String::new()),
    };
    let mantissa = if mantissa.contains('.') {
        mantissa
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    } else {
        mantissa
    };
    format!("{mantissa}{exponent}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(fmt: &str, value: f64) -> String {
        Format::parse(fmt).unwrap().apply(value)
    }

    #[test]
    fn matches_python_percent_formatting() {
        // Each expectation is Python's `fmt % value`.
        assert_eq!(f("%.18e", 1.0), "1.000000000000000000e+00");
        assert_eq!(f("%.18e", -0.1), "-1.000000000000000056e-01");
        assert_eq!(f("%.3e", 1.5e-300), "1.500e-300");
        assert_eq!(f("%.2f", 2.675), "2.67");
        assert_eq!(f("%8.3f", -1.23456), "  -1.235");
        assert_eq!(f("%-8.1f|", 2.0), "2.0     |");
        assert_eq!(f("%08.2f", -1.5), "-0001.50");
        assert_eq!(f("%+.1e", 12345.0), "+1.2e+04");
        assert_eq!(f("%g", 0.0001), "0.0001");
        assert_eq!(f("%g", 0.00001), "1e-05");
        assert_eq!(f("%g", 123456789.0), "1.23457e+08");
        assert_eq!(f("%g", 100000.0), "100000");
        assert_eq!(f("%.3g", 2.5), "2.5");
        assert_eq!(f("%#.3g", 2.5), "2.50");
        assert_eq!(f("%G", 1e-10), "1E-10");
        assert_eq!(f("%d", -7.9), "-7");
        assert_eq!(f("%5d", 42.0), "   42");
        assert_eq!(f("%d", -0.5), "0");
        assert_eq!(f("%.3f", f64::NAN), "nan");
        assert_eq!(f("%e", f64::NEG_INFINITY), "-inf");
        assert_eq!(f("%E", f64::INFINITY), "INF");
        assert_eq!(f("%.1f%%", 50.0), "50.0%");
        assert_eq!(f("x=%.1f;", 0.25), "x=0.2;");
    }

    #[test]
    fn refuses_formats_it_cannot_apply() {
        assert!(Format::parse("%s")
            .unwrap_err()
            .contains("unsupported conversion"));
        assert!(Format::parse("%f,%f")
            .unwrap_err()
            .contains("more than one"));
        assert!(Format::parse("abc").unwrap_err().contains("no conversion"));
    }
}
