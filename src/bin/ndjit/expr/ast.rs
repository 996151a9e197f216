//! The syntax tree of an expression.

use crate::source_error::Span;
use std::fmt;

/// Trees deeper than this are rejected by the parser, so that the
/// recursive walks over a tree (building, printing, dropping) stay far from
/// the stack limit. Only genuine nesting counts: parentheses, calls,
/// indexing, unary signs and `**`; a chain such as `a + b + c` is one node
/// however long (see [`ExprKind::Binary`]).
pub const MAX_DEPTH: usize = 200;

/// One node of the syntax tree, with the span of source text it covers.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What the node is.
    pub kind: ExprKind,
    /// Where it is in the source.
    pub span: Span,
    depth: usize,
}

/// The kinds of syntax-tree nodes.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// An integer literal: a weak integer scalar, as a Python `int` is to NumPy.
    Int(i64),
    /// A float literal: a weak float scalar.
    Float(f64),
    /// `None`: a new axis in an index, all axes as `axis=None`.
    NoneLiteral,
    /// A variable (an input array).
    Variable(String),
    /// `-x`, `+x`.
    Unary {
        /// Which operator.
        op: UnaryOperator,
        /// Its operand.
        operand: Box<Expr>,
    },
    /// `a + b - c`, `a < b`, `a ** b`: operators of one precedence level
    /// applied left to right, `((first op1 e1) op2 e2) ...`. A chain is one
    /// node however long, so that `x + x + ... + x` is not a deep tree.
    /// (`**` is right-associative: `a ** b ** c` is `a ** (b ** c)`, a
    /// chain of one whose operand is a chain.)
    Binary {
        /// The leftmost operand.
        first: Box<Expr>,
        /// Each operator with its right operand, in source order.
        rest: Vec<(BinaryOperator, Expr)>,
    },
    /// `name(args, keyword=value)`.
    Call {
        /// The function's name.
        function: String,
        /// The span of the name.
        function_span: Span,
        /// Positional arguments.
        args: Vec<Expr>,
        /// Keyword arguments, in source order.
        keywords: Vec<Keyword>,
    },
    /// `value.name` (only `.T` has a meaning).
    Attribute {
        /// The object.
        value: Box<Expr>,
        /// The attribute's name.
        name: String,
    },
    /// `value[items]`: NumPy basic indexing.
    Index {
        /// The indexed array.
        value: Box<Expr>,
        /// One item per comma-separated entry.
        items: Vec<IndexItem>,
    },
    /// `(a, b)`, `(a,)`, `()`: shapes and axis lists.
    Tuple(Vec<Expr>),
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOperator {
    /// `-x`.
    Neg,
    /// `+x`.
    Plus,
}

/// Infix operators, with Python's meaning and precedence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOperator {
    /// `a + b`.
    Add,
    /// `a - b`.
    Sub,
    /// `a * b`.
    Mul,
    /// `a / b` (true division).
    Div,
    /// `a // b` (floor division).
    FloorDiv,
    /// `a % b` (remainder with the sign of `b`).
    Rem,
    /// `a ** b`.
    Pow,
    /// `a < b`.
    Lt,
    /// `a <= b`.
    Le,
    /// `a > b`.
    Gt,
    /// `a >= b`.
    Ge,
    /// `a == b`.
    Eq,
    /// `a != b`.
    Ne,
    /// `a & b` (logical and of truth values).
    And,
    /// `a | b` (logical or of truth values).
    Or,
}

/// One entry of an index.
#[derive(Clone, Debug, PartialEq)]
pub enum IndexItem {
    /// A single index (removes the axis), or `None` (adds one).
    Single(Expr),
    /// `start:stop:step`, each part optional.
    Slice {
        /// First index.
        start: Option<Box<Expr>>,
        /// One past the last index.
        stop: Option<Box<Expr>>,
        /// Step.
        step: Option<Box<Expr>>,
        /// The whole slice in the source.
        span: Span,
    },
}

/// `name=value` in a call.
#[derive(Clone, Debug, PartialEq)]
pub struct Keyword {
    /// The argument's name.
    pub name: String,
    /// The span of the name.
    pub name_span: Span,
    /// Its value.
    pub value: Expr,
}

impl Expr {
    /// A node over `span`; its depth is one more than its deepest child's.
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        let depth = 1 + kind.children().map(|child| child.depth).max().unwrap_or(0);
        Expr { kind, span, depth }
    }

    /// Height of the tree under this node (1 for a leaf).
    pub fn depth(&self) -> usize {
        self.depth
    }
}

impl ExprKind {
    /// The direct sub-expressions.
    fn children(&self) -> impl Iterator<Item = &Expr> {
        let children: Vec<&Expr> = match self {
            ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::NoneLiteral
            | ExprKind::Variable(_) => Vec::new(),
            ExprKind::Unary { operand, .. } => vec![operand],
            ExprKind::Binary { first, rest } => std::iter::once(&**first)
                .chain(rest.iter().map(|(_, operand)| operand))
                .collect(),
            ExprKind::Call { args, keywords, .. } => args
                .iter()
                .chain(keywords.iter().map(|k| &k.value))
                .collect(),
            ExprKind::Attribute { value, .. } => vec![value],
            ExprKind::Index { value, items } => std::iter::once(&**value)
                .chain(items.iter().flat_map(|item| {
                    match item {
                        IndexItem::Single(e) => vec![e],
                        IndexItem::Slice {
                            start, stop, step, ..
                        } => [start, stop, step]
                            .into_iter()
                            .flatten()
                            .map(|e| &**e)
                            .collect(),
                    }
                }))
                .collect(),
            ExprKind::Tuple(items) => items.iter().collect(),
        };
        children.into_iter()
    }
}

impl UnaryOperator {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOperator::Neg => "-",
            UnaryOperator::Plus => "+",
        }
    }
}

impl BinaryOperator {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        use BinaryOperator::*;
        match self {
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            FloorDiv => "//",
            Rem => "%",
            Pow => "**",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Eq => "==",
            Ne => "!=",
            And => "&",
            Or => "|",
        }
    }
}

impl fmt::Display for Expr {
    /// The expression with every operation parenthesized, which shows how
    /// it was parsed: `-x**2` prints as `(-(x ** 2))`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Int(v) => write!(f, "{v}"),
            ExprKind::Float(v) => write!(f, "{v:?}"),
            ExprKind::NoneLiteral => f.write_str("None"),
            ExprKind::Variable(name) => f.write_str(name),
            ExprKind::Unary { op, operand } => write!(f, "({}{operand})", op.symbol()),
            ExprKind::Binary { first, rest } => {
                write!(f, "{}{first}", "(".repeat(rest.len()))?;
                for (op, operand) in rest {
                    write!(f, " {} {operand})", op.symbol())?;
                }
                Ok(())
            }
            ExprKind::Call {
                function,
                args,
                keywords,
                ..
            } => {
                let args = args
                    .iter()
                    .map(|a| a.to_string())
                    .chain(keywords.iter().map(|k| format!("{}={}", k.name, k.value)));
                write!(f, "{function}({})", args.collect::<Vec<_>>().join(", "))
            }
            ExprKind::Attribute { value, name } => write!(f, "{value}.{name}"),
            ExprKind::Index { value, items } => {
                let items: Vec<String> = items.iter().map(|item| item.to_string()).collect();
                write!(f, "{value}[{}]", items.join(", "))
            }
            ExprKind::Tuple(items) => match items.as_slice() {
                [single] => write!(f, "({single},)"),
                _ => {
                    let items: Vec<String> = items.iter().map(|i| i.to_string()).collect();
                    write!(f, "({})", items.join(", "))
                }
            },
        }
    }
}

impl fmt::Display for IndexItem {
    /// `1`, `None`, `1:3`, `::-1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexItem::Single(expr) => write!(f, "{expr}"),
            IndexItem::Slice {
                start, stop, step, ..
            } => {
                let part =
                    |e: &Option<Box<Expr>>| e.as_ref().map_or(String::new(), |e| e.to_string());
                write!(f, "{}:{}", part(start), part(stop))?;
                match step {
                    Some(step) => write!(f, ":{step}"),
                    None => Ok(()),
                }
            }
        }
    }
}
