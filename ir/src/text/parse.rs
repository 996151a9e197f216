//! Reading the text form back into a graph.

use crate::dtype::DType;
use crate::error::{IrError, Result};
use crate::graph::{Graph, NodeId};
use crate::op::{ArgReduceOp, BinaryOp, Op, PadAxis, ReduceOp, SliceAxis, TensorType, UnaryOp};
use crate::scalar::Scalar;
use crate::shape::Shape;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::str::FromStr;

/// Reads a graph in the text form (grammar in [`crate::text`]).
///
/// Value ids are names: they need not be dense, and the parsed graph
/// numbers its nodes afresh in order of definition. Each header input is
/// created just before the first node with a larger id (or that uses it),
/// so a graph printed by [`Graph::dump`] reads back with the same ids.
/// Identical node lines collapse into one node, as in every graph.
///
/// Every malformed input gives an [`IrError::Parse`] naming the line.
///
/// ```
/// let g = ndjit_ir::text::parse(
///     "graph(%0: f64[2]) {\n  %5 = exp %0 : f64[2]  ; renumbered to %1\n  return %5\n}",
/// )
/// .unwrap();
/// assert_eq!(g.dump(), "graph(%0: f64[2]) {\n  %1 = exp %0 : f64[2]\n  return %1\n}\n");
/// ```
pub fn parse(text: &str) -> Result<Graph> {
    let mut parser = Parser {
        tokens: tokenize(text)?,
        position: 0,
        last_line: text.lines().count().max(1),
        graph: Graph::new(),
        names: HashMap::new(),
        pending_inputs: VecDeque::new(),
    };
    parser.header()?;
    parser.body()?;
    Ok(parser.graph)
}

/// One lexical token.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind<'a> {
    /// `%7`.
    Value(u32),
    /// A run of letters, digits and `_ . + -`: a keyword, op name, dtype or number.
    Word(&'a str),
    /// One of `( ) [ ] { } , : =`.
    Punct(char),
}

impl fmt::Display for Kind<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::Value(name) => write!(f, "`%{name}`"),
            Kind::Word(word) => write!(f, "`{word}`"),
            Kind::Punct(c) => write!(f, "`{c}`"),
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    kind: Kind<'a>,
    line: usize,
}

fn error(line: usize, message: impl Into<String>) -> IrError {
    IrError::Parse {
        line,
        message: message.into(),
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '+' | '-')
}

fn tokenize(text: &str) -> Result<Vec<Token<'_>>> {
    let mut tokens = Vec::new();
    for (index, full_line) in text.lines().enumerate() {
        let line = index + 1;
        let comment = [full_line.find(';'), full_line.find("//")];
        let end = comment
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(full_line.len());
        let mut rest = full_line[..end].trim_start();
        while let Some(c) = rest.chars().next() {
            let word_len = rest.find(|c| !is_word_char(c)).unwrap_or(rest.len());
            let (kind, len) = if "()[]{},:=".contains(c) {
                (Kind::Punct(c), 1)
            } else if c == '%' {
                let digits = &rest[1..];
                let len = digits.find(|c| !is_word_char(c)).unwrap_or(digits.len());
                let digits = &digits[..len];
                match digits.parse() {
                    Ok(name) if digits.bytes().all(|b| b.is_ascii_digit()) => {
                        (Kind::Value(name), 1 + len)
                    }
                    _ => return Err(error(line, format!("malformed value id `%{digits}`"))),
                }
            } else if word_len > 0 {
                (Kind::Word(&rest[..word_len]), word_len)
            } else {
                return Err(error(line, format!("unexpected character `{c}`")));
            };
            tokens.push(Token { kind, line });
            rest = rest[len..].trim_start();
        }
    }
    Ok(tokens)
}

/// A recursive-descent parser over the token list; it builds the graph as
/// it goes.
struct Parser<'a> {
    tokens: Vec<Token<'a>>,
    position: usize,
    /// The line reported for errors at the end of the input.
    last_line: usize,
    graph: Graph,
    /// Each defined value id, and the node it names.
    names: HashMap<u32, NodeId>,
    /// Header inputs not yet added to the graph, in header order.
    pending_inputs: VecDeque<(u32, TensorType)>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Token<'a>> {
        self.tokens.get(self.position).copied()
    }

    /// The next token, or an error saying what was `expected` instead of
    /// the end of the input.
    fn next(&mut self, expected: &str) -> Result<Token<'a>> {
        let token = self.peek().ok_or_else(|| {
            error(
                self.last_line,
                format!("expected {expected}, found end of input"),
            )
        })?;
        self.position += 1;
        Ok(token)
    }

    fn unexpected(token: Token<'_>, expected: &str) -> IrError {
        error(
            token.line,
            format!("expected {expected}, found {}", token.kind),
        )
    }

    fn punct(&mut self, c: char) -> Result<()> {
        let expected = format!("`{c}`");
        let token = self.next(&expected)?;
        match token.kind {
            Kind::Punct(found) if found == c => Ok(()),
            _ => Err(Self::unexpected(token, &expected)),
        }
    }

    /// Consumes `c` if it is next.
    fn eat_punct(&mut self, c: char) -> bool {
        let found = matches!(self.peek(), Some(Token { kind: Kind::Punct(p), .. }) if p == c);
        self.position += found as usize;
        found
    }

    fn word(&mut self, expected: &str) -> Result<(&'a str, usize)> {
        let token = self.next(expected)?;
        match token.kind {
            Kind::Word(word) => Ok((word, token.line)),
            _ => Err(Self::unexpected(token, expected)),
        }
    }

    fn keyword(&mut self, keyword: &str) -> Result<()> {
        let expected = format!("`{keyword}`");
        let token = self.next(&expected)?;
        match token.kind {
            Kind::Word(word) if word == keyword => Ok(()),
            _ => Err(Self::unexpected(token, &expected)),
        }
    }

    fn value(&mut self) -> Result<(u32, usize)> {
        let token = self.next("a value `%N`")?;
        match token.kind {
            Kind::Value(name) => Ok((name, token.line)),
            _ => Err(Self::unexpected(token, "a value `%N`")),
        }
    }

    /// Values separated by commas, possibly none.
    fn values(&mut self) -> Result<Vec<(u32, usize)>> {
        let mut values = Vec::new();
        if let Some(Token {
            kind: Kind::Value(_),
            ..
        }) = self.peek()
        {
            values.push(self.value()?);
            while self.eat_punct(',') {
                values.push(self.value()?);
            }
        }
        Ok(values)
    }

    fn integer<T: FromStr>(&mut self, what: &str) -> Result<T> {
        let (word, line) = self.word(&format!("an integer ({what})"))?;
        word.parse()
            .map_err(|_| error(line, format!("malformed integer `{word}` for {what}")))
    }

    /// `[item, item, ...]`.
    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Result<T>) -> Result<Vec<T>> {
        self.punct('[')?;
        let mut items = Vec::new();
        if !self.eat_punct(']') {
            items.push(item(self)?);
            while self.eat_punct(',') {
                items.push(item(self)?);
            }
            self.punct(']')?;
        }
        Ok(items)
    }

    /// `key=integer`.
    fn field<T: FromStr>(&mut self, key: &str) -> Result<T> {
        self.keyword(key)?;
        self.punct('=')?;
        self.integer(key)
    }

    fn dtype(&mut self) -> Result<DType> {
        let (word, line) = self.word("a dtype")?;
        DType::parse(word).ok_or_else(|| error(line, format!("unknown dtype `{word}`")))
    }

    fn shape(&mut self) -> Result<Shape> {
        Ok(Shape(self.list(|p| p.integer("an extent"))?))
    }

    /// A stated type (an input's, or a node's annotation); results are
    /// checked by the type rules.
    fn ty(&mut self) -> Result<TensorType> {
        let dtype = self.dtype()?;
        let line = self.peek().map_or(self.last_line, |t| t.line);
        let ty = TensorType::new(self.shape()?, dtype);
        if !ty.fits_in_memory() {
            return Err(error(line, format!("{ty} is too big for memory")));
        }
        Ok(ty)
    }

    /// `graph(%0: f64[8], ...) {`
    fn header(&mut self) -> Result<()> {
        self.keyword("graph")?;
        self.punct('(')?;
        if !self.eat_punct(')') {
            loop {
                let (name, line) = self.value()?;
                self.punct(':')?;
                let ty = self.ty()?;
                if self
                    .pending_inputs
                    .back()
                    .is_some_and(|&(last, _)| last >= name)
                {
                    return Err(error(line, format!("input ids must ascend: %{name}")));
                }
                self.pending_inputs.push_back((name, ty));
                if !self.eat_punct(',') {
                    break;
                }
            }
            self.punct(')')?;
        }
        self.punct('{')
    }

    /// The node lines, `return` and the closing `}`.
    fn body(&mut self) -> Result<()> {
        const EXPECTED: &str = "a node `%N = ...` or `return`";
        loop {
            let token = self.next(EXPECTED)?;
            match token.kind {
                Kind::Value(name) => self.node(name, token.line)?,
                Kind::Word("return") => break,
                _ => return Err(Self::unexpected(token, EXPECTED)),
            }
        }
        self.add_inputs_while(|_| true);
        let outputs = self.values()?;
        let outputs = outputs
            .into_iter()
            .map(|(name, line)| self.resolve(name, line))
            .collect::<Result<Vec<_>>>()?;
        self.graph.set_outputs(outputs);
        self.punct('}')?;
        match self.peek() {
            Some(token) => Err(error(
                token.line,
                format!("unexpected {} after the end of the graph", token.kind),
            )),
            None => Ok(()),
        }
    }

    /// Adds pending header inputs from the front while `pred` holds for
    /// their id.
    fn add_inputs_while(&mut self, pred: impl Fn(u32) -> bool) {
        while let Some((name, ty)) = self.pending_inputs.pop_front() {
            if !pred(name) {
                self.pending_inputs.push_front((name, ty));
                break;
            }
            let id = self.graph.input(ty);
            self.names.insert(name, id);
        }
    }

    /// The node a value id names, adding header inputs up to it if needed.
    fn resolve(&mut self, name: u32, line: usize) -> Result<NodeId> {
        if self.pending_inputs.iter().any(|&(input, _)| input == name) {
            self.add_inputs_while(|input| input <= name);
        }
        self.names
            .get(&name)
            .copied()
            .ok_or_else(|| error(line, format!("unknown operand %{name}")))
    }

    /// `= op operands attributes : type`, after the value id `name`.
    fn node(&mut self, name: u32, line: usize) -> Result<()> {
        self.punct('=')?;
        let (op_name, op_line) = self.word("an op name")?;
        let operands = self.values()?;
        let (op, annotated) = if op_name == "const" {
            let (literal, literal_line) = self.word("a constant")?;
            self.punct(':')?;
            let annotated = self.ty()?;
            let value = constant(literal, annotated.dtype).ok_or_else(|| {
                error(
                    literal_line,
                    format!("malformed {} constant `{literal}`", annotated.dtype),
                )
            })?;
            (Op::Const(value), annotated)
        } else {
            let op = self.attributes(op_name, op_line)?;
            self.punct(':')?;
            (op, self.ty()?)
        };
        let defined_twice = self.names.contains_key(&name)
            || self.pending_inputs.iter().any(|&(input, _)| input == name);
        if defined_twice {
            return Err(error(line, format!("%{name} is defined twice")));
        }
        self.add_inputs_while(|input| input < name);
        let args = operands
            .into_iter()
            .map(|(operand, line)| self.resolve(operand, line))
            .collect::<Result<Vec<_>>>()?;
        check_index_arithmetic(&op, &args, &self.graph).map_err(|m| error(op_line, m))?;
        let id = self
            .graph
            .add(op, &args)
            .map_err(|e| error(op_line, e.to_string()))?;
        let inferred = self.graph.ty(id);
        if *inferred != annotated {
            return Err(error(
                line,
                format!("%{name} is annotated {annotated} but its type is {inferred}"),
            ));
        }
        self.names.insert(name, id);
        Ok(())
    }

    /// The op named `name`, with the attributes that follow its operands.
    fn attributes(&mut self, name: &str, line: usize) -> Result<Op> {
        Ok(match name {
            "select" => Op::Select,
            "mul_add" => Op::MulAdd,
            "cast" => {
                self.keyword("to")?;
                Op::Cast(self.dtype()?)
            }
            "reshape" => {
                self.keyword("to")?;
                Op::Reshape(self.shape()?)
            }
            "broadcast" => {
                self.keyword("to")?;
                Op::Broadcast(self.shape()?)
            }
            "permute" => {
                self.keyword("perm")?;
                Op::Permute(self.list(|p| p.integer("an axis"))?)
            }
            "slice" => Op::Slice(self.list(|p| {
                Ok(SliceAxis {
                    start: p.field("start")?,
                    step: p.field("step")?,
                    len: p.field("len")?,
                })
            })?),
            "pad" => Op::Pad(self.list(|p| {
                Ok(PadAxis {
                    low: p.field("low")?,
                    high: p.field("high")?,
                    interior: p.field("interior")?,
                })
            })?),
            "concat" => {
                self.keyword("axis")?;
                Op::Concat {
                    axis: self.integer("an axis")?,
                }
            }
            "input" => {
                return Err(error(line, "inputs are declared in the graph header"));
            }
            _ => {
                if let Some(op) = UnaryOp::parse(name) {
                    Op::Unary(op)
                } else if let Some(op) = BinaryOp::parse(name) {
                    Op::Binary(op)
                } else if let Some(op) = ReduceOp::parse(name) {
                    self.keyword("axes")?;
                    let axes = self.list(|p| p.integer("an axis"))?;
                    Op::Reduce { op, axes }
                } else if let Some(op) = ArgReduceOp::parse(name) {
                    self.keyword("axis")?;
                    let axis = self.integer("an axis")?;
                    Op::ArgReduce { op, axis }
                } else {
                    return Err(error(line, format!("unknown op `{name}`")));
                }
            }
        })
    }
}

/// Reads a constant of `dtype`: `true`/`false`; a decimal integer; a float
/// in Rust's syntax (`inf`, `-inf` and `nan` included) or as its IEEE bits
/// in hex (`0x7ff8000000000001`).
fn constant(literal: &str, dtype: DType) -> Option<Scalar> {
    let hex = literal.strip_prefix("0x");
    Some(match dtype {
        DType::Bool => Scalar::Bool(literal.parse().ok()?),
        DType::I32 => Scalar::I32(literal.parse().ok()?),
        DType::I64 => Scalar::I64(literal.parse().ok()?),
        DType::F32 => Scalar::F32(match (literal, hex) {
            ("nan", _) => f32::NAN,
            (_, Some(hex)) => f32::from_bits(u32::from_str_radix(hex, 16).ok()?),
            _ => literal.parse().ok()?,
        }),
        DType::F64 => Scalar::F64(match (literal, hex) {
            ("nan", _) => f64::NAN,
            (_, Some(hex)) => f64::from_bits(u64::from_str_radix(hex, 16).ok()?),
            _ => literal.parse().ok()?,
        }),
    })
}

/// Rejects slice and pad attributes whose index arithmetic would overflow
/// in the shape rule, which text can state but no real array needs.
fn check_index_arithmetic(
    op: &Op,
    args: &[NodeId],
    graph: &Graph,
) -> std::result::Result<(), String> {
    let overflows = match op {
        Op::Slice(axes) => axes.iter().any(|a| {
            let start = isize::try_from(a.start).ok();
            let last_offset = isize::try_from(a.len)
                .ok()
                .and_then(|len| (len - 1).checked_mul(a.step));
            a.len > 0
                && start
                    .zip(last_offset)
                    .and_then(|(s, o)| s.checked_add(o))
                    .is_none()
        }),
        Op::Pad(axes) => {
            let dims = args.first().map_or(&[][..], |&x| graph.ty(x).shape.dims());
            axes.iter().zip(dims).any(|(a, &d)| {
                d.saturating_sub(1)
                    .checked_mul(a.interior)
                    .and_then(|n| n.checked_add(d))
                    .and_then(|n| n.checked_add(a.low))
                    .and_then(|n| n.checked_add(a.high))
                    .is_none()
            })
        }
        _ => false,
    };
    if overflows {
        Err(format!("{}: index arithmetic overflows", op.name()))
    } else {
        Ok(())
    }
}
