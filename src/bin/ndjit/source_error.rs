//! Errors that point into a line of source text with a caret.

use std::fmt;
use std::ops::Range;

/// A byte range of the source text (always on character boundaries).
pub type Span = Range<usize>;

/// An error located in the source text: a message and the span it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceError {
    /// What is wrong.
    pub message: String,
    /// Where, as a byte range of the source.
    pub span: Span,
}

impl SourceError {
    /// An error about `span`.
    pub fn new(message: impl Into<String>, span: Span) -> SourceError {
        SourceError {
            message: message.into(),
            span,
        }
    }

    /// The 1-based column (in characters) where the span starts.
    pub fn column(&self, source: &str) -> usize {
        source[..self.span.start.min(source.len())].chars().count() + 1
    }

    /// The error with the source line and a caret under the span:
    ///
    /// ```text
    /// error at column 5: unknown function `foo`
    ///   1 + foo(x)
    ///       ^^^
    /// ```
    pub fn render(&self, source: &str) -> String {
        let start = self.span.start.min(source.len());
        let end = self.span.end.clamp(start, source.len());
        let width = source[start..end].chars().count().max(1);
        format!(
            "error at column {}: {}\n  {}\n  {}{}",
            self.column(source),
            self.message,
            source,
            " ".repeat(self.column(source) - 1),
            "^".repeat(width)
        )
    }
}

impl fmt::Display for SourceError {
    /// The message and byte offset, for when the source is not at hand.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.span.start)
    }
}

impl std::error::Error for SourceError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_marks_the_span() {
        let error = SourceError::new("unknown function `foo`", 4..7);
        assert_eq!(
            error.render("1 + foo(x)"),
            "error at column 5: unknown function `foo`\n  1 + foo(x)\n      ^^^"
        );
        let at_end = SourceError::new("expected an expression", 3..3);
        assert_eq!(
            at_end.render("1 +"),
            "error at column 4: expected an expression\n  1 +\n     ^"
        );
    }
}
