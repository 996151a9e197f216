//! Splitting an expression into tokens.

use crate::source_error::{SourceError, Span};

/// One token of the expression language.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Token {
    /// An integer literal (`3`).
    Int(i64),
    /// A float literal (`3.`, `.5`, `1e-3`).
    Float(f64),
    /// A name: a variable, a function, a keyword argument, `None`, `T`.
    Name(String),
    /// An operator or punctuation: `+ - * ** / // % < <= > >= == != & | ( ) [ ] , : . =`.
    Symbol(&'static str),
    /// The end of the text.
    End,
}

impl Token {
    /// How the token reads in an error message.
    pub(super) fn describe(&self) -> String {
        match self {
            Token::Int(v) => format!("`{v}`"),
            Token::Float(v) => format!("`{v}`"),
            Token::Name(name) => format!("`{name}`"),
            Token::Symbol(symbol) => format!("`{symbol}`"),
            Token::End => "the end of the expression".into(),
        }
    }
}

/// Symbols, longest first so that `**` is not read as two `*`.
const SYMBOLS: &[&str] = &[
    "**", "//", "<=", ">=", "==", "!=", "+", "-", "*", "/", "%", "<", ">", "&", "|", "(", ")", "[",
    "]", ",", ":", ".", "=",
];

/// The tokens of `source` with their spans, ending with [`Token::End`].
pub(super) fn tokenize(source: &str) -> Result<Vec<(Token, Span)>, SourceError> {
    let mut tokens = Vec::new();
    let mut rest = source.char_indices().peekable();
    while let Some(&(start, c)) = rest.peek() {
        if c.is_whitespace() {
            rest.next();
        } else if c.is_ascii_digit()
            || (c == '.' && source[start + 1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            let length = number_length(&source[start..]);
            let span = start..start + length;
            tokens.push((number(&source[span.clone()], span.clone())?, span));
            while rest.peek().is_some_and(|&(i, _)| i < start + length) {
                rest.next();
            }
        } else if c.is_alphabetic() || c == '_' {
            let mut end = start;
            while let Some(&(i, d)) = rest.peek() {
                if !(d.is_alphanumeric() || d == '_') {
                    break;
                }
                end = i + d.len_utf8();
                rest.next();
            }
            tokens.push((Token::Name(source[start..end].to_string()), start..end));
        } else if let Some(symbol) = SYMBOLS.iter().find(|s| source[start..].starts_with(**s)) {
            for _ in 0..symbol.len() {
                rest.next();
            }
            tokens.push((Token::Symbol(symbol), start..start + symbol.len()));
        } else {
            return Err(SourceError::new(
                format!("unexpected character `{c}`"),
                start..start + c.len_utf8(),
            ));
        }
    }
    tokens.push((Token::End, source.len()..source.len()));
    Ok(tokens)
}

/// Length in bytes of the number at the start of `text`: digits, an
/// optional fraction, an optional exponent (`1.5e-3`).
fn number_length(text: &str) -> usize {
    let bytes = text.as_bytes();
    let digits = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut end = digits(0);
    if end < bytes.len() && bytes[end] == b'.' {
        end = digits(end + 1);
    }
    if end < bytes.len() && (bytes[end] == b'e' || bytes[end] == b'E') {
        let sign = usize::from(end + 1 < bytes.len() && matches!(bytes[end + 1], b'+' | b'-'));
        let exponent_end = digits(end + 1 + sign);
        if exponent_end > end + 1 + sign {
            end = exponent_end;
        }
    }
    end
}

/// The literal `text`: an integer when it has neither point nor exponent.
fn number(text: &str, span: Span) -> Result<Token, SourceError> {
    if text.contains(['.', 'e', 'E']) {
        text.parse()
            .map(Token::Float)
            .map_err(|_| SourceError::new(format!("invalid number `{text}`"), span))
    } else {
        text.parse().map(Token::Int).map_err(|_| {
            SourceError::new(
                format!("integer `{text}` does not fit in 64 bits; write it as a float"),
                span,
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(source: &str) -> Vec<Token> {
        tokenize(source)
            .unwrap()
            .into_iter()
            .map(|(t, _)| t)
            .collect()
    }

    #[test]
    fn numbers_names_and_symbols() {
        assert_eq!(
            tokens("x**2 // 1.5e-3"),
            [
                Token::Name("x".into()),
                Token::Symbol("**"),
                Token::Int(2),
                Token::Symbol("//"),
                Token::Float(1.5e-3),
                Token::End
            ]
        );
        assert_eq!(
            tokens(".5 3. x.T"),
            [
                Token::Float(0.5),
                Token::Float(3.0),
                Token::Name("x".into()),
                Token::Symbol("."),
                Token::Name("T".into()),
                Token::End
            ]
        );
        assert_eq!(
            tokens("2e"),
            [Token::Int(2), Token::Name("e".into()), Token::End]
        );
    }

    #[test]
    fn errors_point_at_the_character() {
        let error = tokenize("x $ y").unwrap_err();
        assert_eq!(error.span, 2..3);
        let error = tokenize("99999999999999999999").unwrap_err();
        assert!(error.message.contains("64 bits"), "{}", error.message);
    }
}
