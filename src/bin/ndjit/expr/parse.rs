//! The recursive-descent parser: tokens → syntax tree.

use super::ast::{BinaryOperator, Expr, ExprKind, IndexItem, Keyword, UnaryOperator, MAX_DEPTH};
use super::lex::{tokenize, Token};
use crate::source_error::{SourceError, Span};

/// Parses one expression (see the [module docs](super) for the grammar).
pub fn parse(source: &str) -> Result<Expr, SourceError> {
    let mut parser = Parser {
        tokens: tokenize(source)?,
        position: 0,
        nesting: 0,
    };
    let expr = parser.expression()?;
    match parser.peek() {
        Token::End => Ok(expr),
        token => Err(parser.error_here(format!(
            "unexpected {} after a complete expression",
            token.describe()
        ))),
    }
}

/// The message for a tree deeper than [`MAX_DEPTH`].
fn too_deep() -> String {
    format!(
        "expression is nested more than {MAX_DEPTH} levels deep (parentheses, calls, \
         indexing, unary signs and ** nest; chains such as a + b + c do not)"
    )
}

struct Parser {
    tokens: Vec<(Token, Span)>,
    position: usize,
    /// How many `expression` and `unary` calls are active: bounded by
    /// [`MAX_DEPTH`] so that `((((...` cannot overflow the stack.
    nesting: usize,
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.position].0
    }

    fn span(&self) -> Span {
        self.tokens[self.position].1.clone()
    }

    fn advance(&mut self) -> (Token, Span) {
        let token = self.tokens[self.position].clone();
        if token.0 != Token::End {
            self.position += 1;
        }
        token
    }

    /// Consumes `symbol` if it is next.
    fn eat(&mut self, symbol: &str) -> bool {
        let found = matches!(self.peek(), Token::Symbol(s) if *s == symbol);
        if found {
            self.advance();
        }
        found
    }

    fn at(&self, symbol: &str) -> bool {
        matches!(self.peek(), Token::Symbol(s) if *s == symbol)
    }

    /// Consumes `symbol`, or fails saying what `context` needed.
    fn expect(&mut self, symbol: &str, context: &str) -> Result<Span, SourceError> {
        if self.at(symbol) {
            Ok(self.advance().1)
        } else {
            Err(self.error_here(format!(
                "expected `{symbol}` {context}, found {}",
                self.peek().describe()
            )))
        }
    }

    fn error_here(&self, message: String) -> SourceError {
        SourceError::new(message, self.span())
    }

    /// A node, rejected if the tree would get deeper than [`MAX_DEPTH`].
    fn node(&self, kind: ExprKind, span: Span) -> Result<Expr, SourceError> {
        let expr = Expr::new(kind, span);
        if expr.depth() > MAX_DEPTH {
            return Err(SourceError::new(too_deep(), expr.span));
        }
        Ok(expr)
    }

    fn enter(&mut self) -> Result<(), SourceError> {
        self.nesting += 1;
        if self.nesting > MAX_DEPTH {
            return Err(self.error_here(too_deep()));
        }
        Ok(())
    }

    /// `lhs op rhs` (a chain of one).
    fn binary(&self, op: BinaryOperator, lhs: Expr, rhs: Expr) -> Result<Expr, SourceError> {
        let span = lhs.span.start..rhs.span.end;
        self.node(
            ExprKind::Binary {
                first: Box::new(lhs),
                rest: vec![(op, rhs)],
            },
            span,
        )
    }

    /// `expression = bit_or [ comparison_operator bit_or ]`. Comparisons
    /// bind more loosely than `|` and `&`, as in Python; chains
    /// (`a < b < c`) are rejected, since on arrays they mean nothing useful.
    fn expression(&mut self) -> Result<Expr, SourceError> {
        self.enter()?;
        let lhs = self.bit_or()?;
        let result = match self.comparison_operator() {
            None => Ok(lhs),
            Some(op) => {
                self.advance();
                let rhs = self.bit_or()?;
                if self.comparison_operator().is_some() {
                    Err(self.error_here(
                        "chained comparisons are not supported; write (a < b) & (b < c)".into(),
                    ))
                } else {
                    self.binary(op, lhs, rhs)
                }
            }
        };
        self.nesting -= 1;
        result
    }

    fn comparison_operator(&self) -> Option<BinaryOperator> {
        let Token::Symbol(symbol) = self.peek() else {
            return None;
        };
        Some(match *symbol {
            "<" => BinaryOperator::Lt,
            "<=" => BinaryOperator::Le,
            ">" => BinaryOperator::Gt,
            ">=" => BinaryOperator::Ge,
            "==" => BinaryOperator::Eq,
            "!=" => BinaryOperator::Ne,
            _ => return None,
        })
    }

    /// A left-associative chain of `operators` over `operand`, read in a
    /// loop into one node: its length is not nesting.
    fn chain(
        &mut self,
        operators: &[(&str, BinaryOperator)],
        operand: fn(&mut Parser) -> Result<Expr, SourceError>,
    ) -> Result<Expr, SourceError> {
        let first = operand(self)?;
        let mut rest = Vec::new();
        while let Some(&(_, op)) = operators.iter().find(|(symbol, _)| self.at(symbol)) {
            self.advance();
            rest.push((op, operand(self)?));
        }
        match rest.last() {
            None => Ok(first),
            Some((_, last)) => {
                let span = first.span.start..last.span.end;
                self.node(
                    ExprKind::Binary {
                        first: Box::new(first),
                        rest,
                    },
                    span,
                )
            }
        }
    }

    fn bit_or(&mut self) -> Result<Expr, SourceError> {
        self.chain(&[("|", BinaryOperator::Or)], Parser::bit_and)
    }

    fn bit_and(&mut self) -> Result<Expr, SourceError> {
        self.chain(&[("&", BinaryOperator::And)], Parser::sum)
    }

    fn sum(&mut self) -> Result<Expr, SourceError> {
        self.chain(
            &[("+", BinaryOperator::Add), ("-", BinaryOperator::Sub)],
            Parser::term,
        )
    }

    fn term(&mut self) -> Result<Expr, SourceError> {
        self.chain(
            &[
                ("*", BinaryOperator::Mul),
                ("/", BinaryOperator::Div),
                ("//", BinaryOperator::FloorDiv),
                ("%", BinaryOperator::Rem),
            ],
            Parser::unary,
        )
    }

    /// `unary = ("-" | "+") unary | power`.
    fn unary(&mut self) -> Result<Expr, SourceError> {
        let op = if self.at("-") {
            UnaryOperator::Neg
        } else if self.at("+") {
            UnaryOperator::Plus
        } else {
            return self.power();
        };
        let start = self.advance().1.start;
        self.enter()?;
        let operand = self.unary()?;
        self.nesting -= 1;
        let span = start..operand.span.end;
        self.node(
            ExprKind::Unary {
                op,
                operand: Box::new(operand),
            },
            span,
        )
    }

    /// `power = postfix [ "**" unary ]`: right-associative, and tighter
    /// than a unary minus on its left (`-x**2` is `-(x**2)`) but not on its
    /// right (`2**-x` is `2**(-x)`).
    fn power(&mut self) -> Result<Expr, SourceError> {
        let base = self.postfix()?;
        if !self.eat("**") {
            return Ok(base);
        }
        let exponent = self.unary()?;
        self.binary(BinaryOperator::Pow, base, exponent)
    }

    /// `postfix = atom { "[" index "]" | "." name }`.
    fn postfix(&mut self) -> Result<Expr, SourceError> {
        let mut expr = self.atom()?;
        loop {
            if self.eat("[") {
                let items = self.index_items()?;
                let end = self.expect("]", "to close the index")?.end;
                let span = expr.span.start..end;
                expr = self.node(
                    ExprKind::Index {
                        value: Box::new(expr),
                        items,
                    },
                    span,
                )?;
            } else if self.eat(".") {
                let (token, name_span) = self.advance();
                let Token::Name(name) = token else {
                    return Err(SourceError::new(
                        format!(
                            "expected an attribute name after `.`, found {}",
                            token.describe()
                        ),
                        name_span,
                    ));
                };
                if self.at("(") {
                    return Err(self.error_here(format!(
                        "method calls are not supported; write {name}(x, ...) instead of x.{name}(...)"
                    )));
                }
                let span = expr.span.start..name_span.end;
                expr = self.node(
                    ExprKind::Attribute {
                        value: Box::new(expr),
                        name,
                    },
                    span,
                )?;
            } else {
                return Ok(expr);
            }
        }
    }

    /// `atom = number | "None" | name | name "(" arguments ")" | "(" expression ")" | tuple`.
    fn atom(&mut self) -> Result<Expr, SourceError> {
        let (token, span) = self.advance();
        match token {
            Token::Int(v) => self.node(ExprKind::Int(v), span),
            Token::Float(v) => self.node(ExprKind::Float(v), span),
            Token::Name(name) if name == "None" => self.node(ExprKind::NoneLiteral, span),
            Token::Name(name) if self.at("(") => self.call(name, span),
            Token::Name(name) => self.node(ExprKind::Variable(name), span),
            Token::Symbol("(") => self.parenthesized(span.start),
            token => Err(SourceError::new(
                format!("expected an expression, found {}", token.describe()),
                span,
            )),
        }
    }

    /// After `(`: a parenthesized expression, or a tuple when there is a
    /// comma (`(a,)`, `(a, b)`) or nothing (`()`).
    fn parenthesized(&mut self, start: usize) -> Result<Expr, SourceError> {
        let mut items = Vec::new();
        let mut is_tuple = true;
        if !self.at(")") {
            items.push(self.expression()?);
            is_tuple = self.at(",");
            while self.eat(",") && !self.at(")") {
                items.push(self.expression()?);
            }
        }
        let end = self.expect(")", "to close the parenthesis")?.end;
        if is_tuple {
            self.node(ExprKind::Tuple(items), start..end)
        } else {
            let mut inner = items.pop().expect("one item was parsed");
            inner.span = start..end;
            Ok(inner)
        }
    }

    /// After a function name: `( [argument {, argument}] [,] )`, where an
    /// argument is an expression or `name=expression` (keywords last).
    fn call(&mut self, function: String, function_span: Span) -> Result<Expr, SourceError> {
        self.expect("(", "to start the arguments")?;
        let mut args = Vec::new();
        let mut keywords: Vec<Keyword> = Vec::new();
        while !self.at(")") {
            let is_keyword = matches!(self.peek(), Token::Name(_))
                && matches!(self.tokens[self.position + 1].0, Token::Symbol("="));
            if is_keyword {
                let (Token::Name(name), name_span) = self.advance() else {
                    unreachable!("checked to be a name")
                };
                self.advance();
                if keywords.iter().any(|k| k.name == name) {
                    return Err(SourceError::new(
                        format!("keyword argument `{name}` given twice"),
                        name_span,
                    ));
                }
                let value = self.expression()?;
                keywords.push(Keyword {
                    name,
                    name_span,
                    value,
                });
            } else {
                let arg = self.expression()?;
                if let Some(keyword) = keywords.last() {
                    return Err(SourceError::new(
                        format!(
                            "positional argument after keyword argument `{}`",
                            keyword.name
                        ),
                        arg.span,
                    ));
                }
                args.push(arg);
            }
            if !self.eat(",") {
                break;
            }
        }
        let end = self.expect(")", "to close the arguments")?.end;
        self.node(
            ExprKind::Call {
                function,
                function_span: function_span.clone(),
                args,
                keywords,
            },
            function_span.start..end,
        )
    }

    /// `index = item { "," item } [","]` with
    /// `item = expression | [expression] ":" [expression] [":" [expression]]`.
    fn index_items(&mut self) -> Result<Vec<IndexItem>, SourceError> {
        let mut items = Vec::new();
        loop {
            let start = self.span().start;
            let first = if self.at(":") {
                None
            } else {
                Some(self.expression()?)
            };
            if self.eat(":") {
                let stop = self.optional_slice_part()?;
                let step = if self.eat(":") {
                    self.optional_slice_part()?
                } else {
                    None
                };
                let end = self.tokens[self.position - 1].1.end;
                items.push(IndexItem::Slice {
                    start: first.map(Box::new),
                    stop,
                    step,
                    span: start..end,
                });
            } else {
                items.push(IndexItem::Single(first.expect("parsed when not at `:`")));
            }
            if !self.eat(",") || self.at("]") {
                return Ok(items);
            }
        }
    }

    /// A slice bound, absent when the next token ends it.
    fn optional_slice_part(&mut self) -> Result<Option<Box<Expr>>, SourceError> {
        if self.at(":") || self.at(",") || self.at("]") {
            Ok(None)
        } else {
            Ok(Some(Box::new(self.expression()?)))
        }
    }
}
