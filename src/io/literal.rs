//! The Python literals a `.npy` header is written in.
//!
//! NumPy reads the header with `ast.literal_eval`; this parser accepts the
//! part of that grammar headers use: dicts, tuples, lists, strings, integers
//! (with Python 2's `L` suffix, which old files carry), `True`, `False` and
//! `None`. Nesting is bounded, so a hostile header cannot exhaust the stack.

use std::fmt;

/// A parsed Python literal.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `'text'` or `"text"`.
    Str(String),
    /// An integer that fits an `i64`.
    Int(i64),
    /// `True` or `False`.
    Bool(bool),
    /// `None`.
    None,
    /// `(a, b)`.
    Tuple(Vec<Literal>),
    /// `[a, b]`.
    List(Vec<Literal>),
    /// `{key: value}`, in source order.
    Dict(Vec<(Literal, Literal)>),
}

/// Deeper nesting than any header needs (a structured dtype nests a few
/// levels): refused rather than recursed into.
const MAX_DEPTH: usize = 32;

/// Parses `text` as one literal followed only by whitespace; the error
/// says what was found where.
pub fn parse(text: &str) -> Result<Literal, String> {
    let mut parser = Parser { text, at: 0 };
    let value = parser.value(0)?;
    parser.skip_space();
    if parser.at != text.len() {
        return Err(parser.unexpected("the end of the header"));
    }
    Ok(value)
}

struct Parser<'t> {
    text: &'t str,
    at: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    /// An error naming what was expected and what is at the cursor.
    fn unexpected(&self, expected: &str) -> String {
        match self.peek() {
            Some(_) => {
                let found: String = self.rest().chars().take(12).collect();
                format!("expected {expected} at byte {}, found {found:?}", self.at)
            }
            None => format!("expected {expected}, found the end of the header"),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Literal, String> {
        if depth > MAX_DEPTH {
            return Err(format!("literal nested deeper than {MAX_DEPTH} levels"));
        }
        self.skip_space();
        match self.peek() {
            Some('{') => self.dict(depth),
            Some('(') => self.sequence(depth, ')').map(Literal::Tuple),
            Some('[') => self.sequence(depth, ']').map(Literal::List),
            Some('\'' | '"') => self.string().map(Literal::Str),
            Some(c) if c.is_ascii_digit() || c == '-' || c == '+' => self.int(),
            Some(c) if c.is_ascii_alphabetic() => self.word(),
            _ => Err(self.unexpected("a Python literal")),
        }
    }

    /// `{key: value, ...}` with an optional trailing comma.
    fn dict(&mut self, depth: usize) -> Result<Literal, String> {
        self.at += 1;
        let mut entries = Vec::new();
        loop {
            self.skip_space();
            if self.peek() == Some('}') {
                self.at += 1;
                return Ok(Literal::Dict(entries));
            }
            let key = self.value(depth + 1)?;
            self.skip_space();
            if self.peek() != Some(':') {
                return Err(self.unexpected("':'"));
            }
            self.at += 1;
            let value = self.value(depth + 1)?;
            entries.push((key, value));
            self.skip_space();
            match self.peek() {
                Some(',') => self.at += 1,
                Some('}') => {}
                _ => return Err(self.unexpected("',' or '}'")),
            }
        }
    }

    /// Items up to `close`, comma separated, with an optional trailing comma
    /// (which a one-element tuple needs: `(3,)`; `(3)` is the integer 3 in
    /// Python and is read as a one-element tuple here only when it is a
    /// shape, by the header's reader).
    fn sequence(&mut self, depth: usize, close: char) -> Result<Vec<Literal>, String> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.peek() == Some(close) {
                self.at += 1;
                return Ok(items);
            }
            items.push(self.value(depth + 1)?);
            self.skip_space();
            match self.peek() {
                Some(',') => self.at += 1,
                Some(c) if c == close => {}
                _ => return Err(self.unexpected(&format!("',' or '{close}'"))),
            }
        }
    }

    /// A quoted string with Python's simple escapes.
    fn string(&mut self) -> Result<String, String> {
        let quote = self.peek().expect("called on a quote");
        let start = self.at;
        self.at += 1;
        let mut out = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((offset, c)) = chars.next() {
            match c {
                _ if c == quote => {
                    self.at += offset + 1;
                    return Ok(out);
                }
                '\n' => break,
                '\\' => match chars.next() {
                    Some((_, e @ ('\\' | '\'' | '"'))) => out.push(e),
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, other)) => {
                        return Err(format!(
                            "unsupported escape '\\{other}' in the string at byte {start}"
                        ))
                    }
                    None => break,
                },
                _ => out.push(c),
            }
        }
        Err(format!("unterminated string at byte {start}"))
    }

    /// A decimal integer, optionally signed, optionally with Python 2's `L`.
    fn int(&mut self) -> Result<Literal, String> {
        let start = self.at;
        let rest = self.rest();
        let sign = usize::from(rest.starts_with(['-', '+']));
        let digits = rest[sign..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - sign);
        if digits == 0 {
            return Err(self.unexpected("a digit"));
        }
        let text = &rest[..sign + digits];
        let value = text
            .parse::<i64>()
            .map_err(|_| format!("integer {text} at byte {start} is out of range"))?;
        self.at += sign + digits;
        if matches!(self.peek(), Some('L' | 'l')) {
            self.at += 1;
        }
        if self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
        {
            return Err(self.unexpected("an integer"));
        }
        Ok(Literal::Int(value))
    }

    /// `True`, `False` or `None`.
    fn word(&mut self) -> Result<Literal, String> {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(rest.len());
        let value = match &rest[..len] {
            "True" => Literal::Bool(true),
            "False" => Literal::Bool(false),
            "None" => Literal::None,
            _ => return Err(self.unexpected("True, False, None or a literal")),
        };
        self.at += len;
        Ok(value)
    }
}

impl fmt::Display for Literal {
    /// Python's `repr` of the literal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let items = |f: &mut fmt::Formatter<'_>, items: &[Literal]| {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{item}")?;
            }
            Ok(())
        };
        match self {
            Literal::Str(s) => write!(f, "'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            Literal::Int(i) => write!(f, "{i}"),
            Literal::Bool(b) => f.write_str(if *b { "True" } else { "False" }),
            Literal::None => f.write_str("None"),
            Literal::Tuple(t) => {
                f.write_str("(")?;
                items(f, t)?;
                f.write_str(if t.len() == 1 { ",)" } else { ")" })
            }
            Literal::List(l) => {
                f.write_str("[")?;
                items(f, l)?;
                f.write_str("]")
            }
            Literal::Dict(entries) => {
                f.write_str("{")?;
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{key}: {value}")?;
                }
                f.write_str("}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_numpy_header() {
        let text = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }          \n";
        let parsed = parse(text).unwrap();
        assert_eq!(
            parsed,
            Literal::Dict(vec![
                (Literal::Str("descr".into()), Literal::Str("<f8".into())),
                (Literal::Str("fortran_order".into()), Literal::Bool(false)),
                (
                    Literal::Str("shape".into()),
                    Literal::Tuple(vec![Literal::Int(3), Literal::Int(4)])
                ),
            ])
        );
        assert_eq!(
            parsed.to_string(),
            "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4)}"
        );
    }

    #[test]
    fn reads_python2_longs_and_nested_lists() {
        assert_eq!(
            parse("(3L, 4L)").unwrap(),
            Literal::Tuple(vec![Literal::Int(3), Literal::Int(4)])
        );
        assert_eq!(
            parse("[('x', '<f8'), ('id', \"<i4\")]")
                .unwrap()
                .to_string(),
            "[('x', '<f8'), ('id', '<i4')]"
        );
        assert_eq!(
            parse("(5,)").unwrap(),
            Literal::Tuple(vec![Literal::Int(5)])
        );
    }

    #[test]
    fn refuses_what_is_not_a_literal() {
        for (text, message) in [
            ("{'a': os.system('x')}", "expected True, False, None"),
            ("{'a' 1}", "expected ':'"),
            ("{'a': 1", "expected ',' or '}', found the end"),
            ("'open", "unterminated string"),
            ("99999999999999999999", "out of range"),
            ("(1, 2) junk", "expected the end of the header"),
            ("1.5", "expected an integer"),
            ("'\\x41'", "unsupported escape"),
            ("", "expected a Python literal, found the end"),
        ] {
            let error = parse(text).unwrap_err();
            assert!(error.contains(message), "{text}: {error}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = "(".repeat(100_000);
        assert!(parse(&text).unwrap_err().contains("nested deeper"));
    }
}
