//! Turning a syntax tree into lazy [`Array`]s.
//!
//! Functions have NumPy's names and parameters (positional or keyword);
//! [`FUNCTIONS`] lists them. `axis` is an integer, a tuple of integers or
//! `None` (all axes); argmax and argmin take one axis or `None` (the
//! flattened array); one extent of `reshape` may be `-1`.

use super::expr::{BinaryOperator, Expr, ExprKind, IndexItem, Keyword, UnaryOperator};
use super::source_error::{SourceError, Span};
use ndjit::ir::{BinaryOp, Scalar, Shape};
use ndjit::{binary, where_, Array, Axes, Error, Operand, SliceItem};
use std::collections::HashMap;

/// Builds the array an expression denotes, reading variables from
/// `variables`. A literal result is a 0-d array.
pub fn build(expr: &Expr, variables: &HashMap<String, Array>) -> Result<Array, SourceError> {
    match (Builder { variables }).value(expr)? {
        Operand::Array(array) => Ok(array),
        Operand::Scalar(value, _) => Ok(scalar_array(value)),
    }
}

/// What a function does with its bound arguments.
#[derive(Clone, Copy)]
enum Function {
    Unary(fn(&Array) -> Array),
    Binary(BinaryOp),
    Where,
    MulAdd,
    Reduce(fn(&Array, Axes) -> Array),
    ArgReduce(fn(&Array, Axes) -> Array),
    Moment(fn(&Array, Axes, usize) -> Array),
    Reshape,
    Transpose,
    /// `concatenate` or `stack` of a tuple of arrays along an axis.
    Join(fn(&[Array], isize) -> Array),
}

/// Every function of the expression language, by name, in the order
/// `--help` lists them (aliases are entries of their own). This table is
/// the one place a function is added.
const FUNCTIONS: &[(&str, Function)] = {
    use Function::*;
    &[
        ("exp", Unary(Array::exp)),
        ("log", Unary(Array::log)),
        ("sin", Unary(Array::sin)),
        ("cos", Unary(Array::cos)),
        ("tan", Unary(Array::tan)),
        ("tanh", Unary(Array::tanh)),
        ("sqrt", Unary(Array::sqrt)),
        ("abs", Unary(Array::abs)),
        ("sinh", Unary(Array::sinh)),
        ("cosh", Unary(Array::cosh)),
        ("asin", Unary(Array::asin)),
        ("arcsin", Unary(Array::asin)),
        ("acos", Unary(Array::acos)),
        ("arccos", Unary(Array::acos)),
        ("atan", Unary(Array::atan)),
        ("arctan", Unary(Array::atan)),
        ("erf", Unary(Array::erf)),
        ("expm1", Unary(Array::expm1)),
        ("log1p", Unary(Array::log1p)),
        ("exp2", Unary(Array::exp2)),
        ("log2", Unary(Array::log2)),
        ("floor", Unary(Array::floor)),
        ("ceil", Unary(Array::ceil)),
        ("round", Unary(Array::round)),
        ("trunc", Unary(Array::trunc)),
        ("sign", Unary(Array::sign)),
        ("square", Unary(Array::square)),
        ("maximum", Binary(BinaryOp::Maximum)),
        ("minimum", Binary(BinaryOp::Minimum)),
        ("atan2", Binary(BinaryOp::Atan2)),
        ("arctan2", Binary(BinaryOp::Atan2)),
        ("fmod", Binary(BinaryOp::Fmod)),
        ("fmax", Binary(BinaryOp::Fmax)),
        ("fmin", Binary(BinaryOp::Fmin)),
        ("copysign", Binary(BinaryOp::CopySign)),
        ("where", Where),
        ("mul_add", MulAdd),
        ("fma", MulAdd),
        ("sum", Reduce(|x, axes| x.sum(axes))),
        ("prod", Reduce(|x, axes| x.prod(axes))),
        ("max", Reduce(|x, axes| x.max(axes))),
        ("min", Reduce(|x, axes| x.min(axes))),
        ("mean", Reduce(|x, axes| x.mean(axes))),
        ("any", Reduce(|x, axes| x.any(axes))),
        ("all", Reduce(|x, axes| x.all(axes))),
        ("argmax", ArgReduce(|x, axis| x.argmax(axis))),
        ("argmin", ArgReduce(|x, axis| x.argmin(axis))),
        ("var", Moment(|x, axes, ddof| x.var(axes, ddof))),
        ("std", Moment(|x, axes, ddof| x.std(axes, ddof))),
        ("reshape", Reshape),
        ("transpose", Transpose),
        (
            "concatenate",
            Join(|arrays, axis| ndjit::concatenate(arrays, axis)),
        ),
        ("stack", Join(|arrays, axis| ndjit::stack(arrays, axis))),
    ]
};

impl Function {
    /// The function called `name`, if there is one.
    fn lookup(name: &str) -> Option<Function> {
        FUNCTIONS
            .iter()
            .find(|(known, _)| *known == name)
            .map(|&(_, function)| function)
    }

    /// The parameters, as `--help` shows them: the required ones by name,
    /// the optional ones as `name=default`.
    fn parameters(self) -> &'static [&'static str] {
        match self {
            Function::Unary(_) => &["x"],
            Function::Binary(_) => &["x1", "x2"],
            Function::Where => &["condition", "x", "y"],
            Function::MulAdd => &["x", "y", "z"],
            Function::Reduce(_) | Function::ArgReduce(_) => &["x", "axis=None"],
            Function::Moment(_) => &["x", "axis=None", "ddof=0"],
            Function::Reshape => &["x", "shape"],
            Function::Transpose => &["x", "axes=None"],
            Function::Join(_) => &["arrays", "axis=0"],
        }
    }
}

/// The functions for `--help`: the names that take the same parameters on
/// one line each, `exp log ... (x)`.
pub fn function_list() -> Vec<String> {
    let mut lines: Vec<(&[&str], Vec<&str>)> = Vec::new();
    for &(name, function) in FUNCTIONS {
        let parameters = function.parameters();
        match lines.iter_mut().find(|(p, _)| *p == parameters) {
            Some((_, names)) => names.push(name),
            None => lines.push((parameters, vec![name])),
        }
    }
    lines
        .into_iter()
        .map(|(parameters, names)| format!("{} ({})", names.join(" "), parameters.join(", ")))
        .collect()
}

struct Builder<'a> {
    variables: &'a HashMap<String, Array>,
}

impl Builder<'_> {
    /// The value of `expr`: an array, or a literal scalar (which stays
    /// weak, taking the dtype of the array it meets). Recursion is bounded
    /// by the parser's depth limit.
    fn value(&self, expr: &Expr) -> Result<Operand, SourceError> {
        let span = expr.span.clone();
        match &expr.kind {
            ExprKind::Int(v) => Ok(Operand::from(*v)),
            ExprKind::Float(v) => Ok(Operand::from(*v)),
            ExprKind::NoneLiteral => Err(SourceError::new(
                "`None` is only meaningful in an index or as `axis=None`",
                span,
            )),
            ExprKind::Tuple(_) => Err(SourceError::new(
                "a tuple is only meaningful as a shape or an axis list",
                span,
            )),
            ExprKind::Variable(name) => match self.variables.get(name) {
                Some(array) => Ok(Operand::Array(array.clone())),
                None => Err(SourceError::new(
                    format!("unknown variable `{name}`; declare it with --shape {name}=D1,D2,..."),
                    span,
                )),
            },
            ExprKind::Unary { op, operand } => {
                let operand = self.value(operand)?;
                match op {
                    UnaryOperator::Plus => Ok(operand),
                    UnaryOperator::Neg => negate(operand, span),
                }
            }
            ExprKind::Binary { first, rest } => {
                // Left to right, each step's error pointing at the chain
                // so far: `a + b` of `a + b + c`.
                let mut value = self.value(first)?;
                for (op, operand) in rest {
                    let rhs = self.value(operand)?;
                    let span = first.span.start..operand.span.end;
                    value = Operand::Array(checked(binary(ir_operator(*op), value, rhs), span)?);
                }
                Ok(value)
            }
            ExprKind::Call {
                function,
                function_span,
                args,
                keywords,
            } => self
                .call(function, function_span, args, keywords, span)
                .map(Operand::Array),
            ExprKind::Attribute { value, name } if name == "T" => {
                checked(self.array(value)?.t(), span).map(Operand::Array)
            }
            ExprKind::Attribute { name, .. } => Err(SourceError::new(
                format!("unknown attribute `{name}` (only `.T` is supported)"),
                span,
            )),
            ExprKind::Index { value, items } => {
                let items = items
                    .iter()
                    .map(slice_item)
                    .collect::<Result<Vec<_>, _>>()?;
                checked(self.array(value)?.slice(items), span).map(Operand::Array)
            }
        }
    }

    /// The value of `expr` as an array (a literal becomes a 0-d array).
    fn array(&self, expr: &Expr) -> Result<Array, SourceError> {
        match self.value(expr)? {
            Operand::Array(array) => Ok(array),
            Operand::Scalar(value, _) => Ok(scalar_array(value)),
        }
    }

    fn call(
        &self,
        name: &str,
        name_span: &Span,
        args: &[Expr],
        keywords: &[Keyword],
        span: Span,
    ) -> Result<Array, SourceError> {
        let function = Function::lookup(name).ok_or_else(|| {
            SourceError::new(
                format!("unknown function `{name}` (`ndjit ir --help` lists them)"),
                name_span.clone(),
            )
        })?;
        let bound = bind(name, function.parameters(), args, keywords, &span)?;
        let x = bound[0].expect("the first parameter is required");
        let result = match function {
            Function::Unary(apply) => apply(&self.array(x)?),
            Function::Binary(op) => {
                let x2 = bound[1].expect("required");
                binary(op, self.value(x)?, self.value(x2)?)
            }
            Function::Where => {
                let (a, b) = (bound[1].expect("required"), bound[2].expect("required"));
                where_(self.value(x)?, self.value(a)?, self.value(b)?)
            }
            Function::MulAdd => {
                let (y, z) = (bound[1].expect("required"), bound[2].expect("required"));
                self.array(x)?.mul_add(self.value(y)?, self.value(z)?)
            }
            Function::Reduce(apply) => apply(&self.array(x)?, axes(bound[1])?),
            Function::ArgReduce(apply) => apply(&self.array(x)?, one_axis(name, bound[1])?),
            Function::Moment(apply) => {
                let ddof = match bound[2] {
                    None => 0,
                    Some(e) => usize::try_from(integer(e, "ddof")?).map_err(|_| {
                        SourceError::new("ddof must not be negative", e.span.clone())
                    })?,
                };
                apply(&self.array(x)?, axes(bound[1])?, ddof)
            }
            Function::Reshape => {
                let array = self.array(x)?;
                let shape = bound[1].expect("required");
                let dims = reshape_dims(shape, array.size())?;
                array.reshape(dims)
            }
            Function::Transpose => {
                let array = self.array(x)?;
                match bound[1] {
                    None => array.t(),
                    Some(axes) => array.permute(&permutation(axes, array.ndim())?),
                }
            }
            Function::Join(join) => {
                let ExprKind::Tuple(items) = &x.kind else {
                    return Err(SourceError::new(
                        format!("{name}() takes a tuple of arrays, e.g. (a, b)"),
                        x.span.clone(),
                    ));
                };
                let arrays = items
                    .iter()
                    .map(|item| self.array(item))
                    .collect::<Result<Vec<_>, _>>()?;
                let axis = bound[1].map_or(Ok(0), |e| integer(e, "axis"))?;
                join(&arrays, axis as isize)
            }
        };
        checked(result, span)
    }
}

/// Matches the arguments of a call to `parameters` (all positional or
/// keyword; those written `name=default` optional), as Python does.
fn bind<'e>(
    function: &str,
    parameters: &[&str],
    args: &'e [Expr],
    keywords: &'e [Keyword],
    span: &Span,
) -> Result<Vec<Option<&'e Expr>>, SourceError> {
    let names: Vec<&str> = (parameters.iter())
        .map(|p| p.split_once('=').map_or(*p, |(name, _)| name))
        .collect();
    let required = parameters.iter().filter(|p| !p.contains('=')).count();
    let mut bound: Vec<Option<&Expr>> = vec![None; parameters.len()];
    if let Some(extra) = args.get(parameters.len()) {
        return Err(SourceError::new(
            format!(
                "{function}() takes at most {} positional arguments ({})",
                parameters.len(),
                parameters.join(", ")
            ),
            extra.span.clone(),
        ));
    }
    for (slot, arg) in bound.iter_mut().zip(args) {
        *slot = Some(arg);
    }
    for keyword in keywords {
        let Some(index) = names.iter().position(|p| *p == keyword.name) else {
            return Err(SourceError::new(
                format!(
                    "{function}() has no parameter `{}` (it takes {})",
                    keyword.name,
                    parameters.join(", ")
                ),
                keyword.name_span.clone(),
            ));
        };
        if bound[index].is_some() {
            return Err(SourceError::new(
                format!("{function}() got `{}` twice", keyword.name),
                keyword.name_span.clone(),
            ));
        }
        bound[index] = Some(&keyword.value);
    }
    if let Some(missing) = (0..required).find(|&i| bound[i].is_none()) {
        return Err(SourceError::new(
            format!("{function}() is missing `{}`", names[missing]),
            span.clone(),
        ));
    }
    Ok(bound)
}

/// `-operand`: literals are negated in place, so `-1` stays a weak scalar.
fn negate(operand: Operand, span: Span) -> Result<Operand, SourceError> {
    match operand {
        Operand::Scalar(Scalar::I64(v), kind) => Ok(Operand::Scalar(Scalar::I64(-v), kind)),
        Operand::Scalar(Scalar::F64(v), kind) => Ok(Operand::Scalar(Scalar::F64(-v), kind)),
        Operand::Scalar(value, _) => checked(-scalar_array(value), span).map(Operand::Array),
        Operand::Array(array) => checked(-array, span).map(Operand::Array),
    }
}

/// `array`, or its error located at `span`.
fn checked(array: Array, span: Span) -> Result<Array, SourceError> {
    match array.error() {
        None => Ok(array),
        Some(Error::InvalidOp { op, message, .. }) => {
            // The Rust source location in the error is ndjit's own, of no
            // use to someone typing an expression; the span replaces it.
            Err(SourceError::new(format!("{op}: {message}"), span))
        }
        Some(other) => Err(SourceError::new(other.to_string(), span)),
    }
}

/// A 0-d constant array holding `value`.
fn scalar_array(value: Scalar) -> Array {
    match value {
        Scalar::Bool(v) => Array::full(Shape::scalar(), v),
        Scalar::I32(v) => Array::full(Shape::scalar(), v),
        Scalar::I64(v) => Array::full(Shape::scalar(), v),
        Scalar::F32(v) => Array::full(Shape::scalar(), v),
        Scalar::F64(v) => Array::full(Shape::scalar(), v),
    }
}

fn ir_operator(op: BinaryOperator) -> BinaryOp {
    match op {
        BinaryOperator::Add => BinaryOp::Add,
        BinaryOperator::Sub => BinaryOp::Sub,
        BinaryOperator::Mul => BinaryOp::Mul,
        BinaryOperator::Div => BinaryOp::Div,
        BinaryOperator::FloorDiv => BinaryOp::FloorDiv,
        BinaryOperator::Rem => BinaryOp::Rem,
        BinaryOperator::Pow => BinaryOp::Pow,
        BinaryOperator::Lt => BinaryOp::Lt,
        BinaryOperator::Le => BinaryOp::Le,
        BinaryOperator::Gt => BinaryOp::Gt,
        BinaryOperator::Ge => BinaryOp::Ge,
        BinaryOperator::Eq => BinaryOp::Eq,
        BinaryOperator::Ne => BinaryOp::Ne,
        BinaryOperator::And => BinaryOp::And,
        BinaryOperator::Or => BinaryOp::Or,
    }
}

/// An integer literal, possibly signed (`3`, `-1`).
fn integer(expr: &Expr, what: &str) -> Result<i64, SourceError> {
    let not_integer = || SourceError::new(format!("{what} must be an integer"), expr.span.clone());
    match &expr.kind {
        ExprKind::Int(v) => Ok(*v),
        ExprKind::Unary { op, operand } => {
            let v = integer(operand, what).map_err(|_| not_integer())?;
            match op {
                UnaryOperator::Plus => Ok(v),
                UnaryOperator::Neg => v.checked_neg().ok_or_else(not_integer),
            }
        }
        _ => Err(not_integer()),
    }
}

/// An integer, or the integers of a tuple (`3`, `(0, 1)`).
fn integers(expr: &Expr, what: &str) -> Result<Vec<i64>, SourceError> {
    match &expr.kind {
        ExprKind::Tuple(items) => items.iter().map(|item| integer(item, what)).collect(),
        _ => Ok(vec![integer(expr, what)?]),
    }
}

/// `axis=`: `None` (or absent) for all axes, an integer, or a tuple.
fn axes(expr: Option<&Expr>) -> Result<Axes, SourceError> {
    let Some(expr) = expr.filter(|e| e.kind != ExprKind::NoneLiteral) else {
        return Ok(Axes::from(..));
    };
    let axes = integers(expr, "an axis")?;
    let axes: Vec<isize> = axes
        .into_iter()
        .map(|a| {
            isize::try_from(a).map_err(|_| SourceError::new("axis out of range", expr.span.clone()))
        })
        .collect::<Result<_, _>>()?;
    Ok(Axes::from(axes))
}

/// `axis=` of argmax and argmin: `None` (or absent) for the flattened
/// array, or one integer; a tuple is an error, as in NumPy.
fn one_axis(function: &str, expr: Option<&Expr>) -> Result<Axes, SourceError> {
    if let Some(e) = expr.filter(|e| matches!(e.kind, ExprKind::Tuple(_))) {
        return Err(SourceError::new(
            format!("{function}() takes one axis (an integer) or None, not a tuple"),
            e.span.clone(),
        ));
    }
    axes(expr)
}

/// The extents of `reshape(x, shape)` for an array of `size` elements;
/// one extent may be `-1`, meaning whatever makes the sizes agree.
fn reshape_dims(shape: &Expr, size: usize) -> Result<Vec<usize>, SourceError> {
    let error = |message: String| SourceError::new(message, shape.span.clone());
    let extents = integers(shape, "an extent")?;
    let mut unknown = None;
    let mut known: usize = 1;
    for (i, &extent) in extents.iter().enumerate() {
        match extent {
            -1 if unknown.is_none() => unknown = Some(i),
            -1 => return Err(error("only one extent can be -1".into())),
            e if e < 0 => return Err(error(format!("negative extent {e}"))),
            e => {
                known = usize::try_from(e)
                    .ok()
                    .and_then(|e| known.checked_mul(e))
                    .ok_or_else(|| error("shape is too large".into()))?
            }
        }
    }
    let mut dims: Vec<usize> = extents.iter().map(|&e| e.max(0) as usize).collect();
    if let Some(i) = unknown {
        if known == 0 || !size.is_multiple_of(known) {
            let extents: Vec<String> = extents.iter().map(|e| e.to_string()).collect();
            return Err(error(format!(
                "cannot reshape an array of size {size} into shape ({})",
                extents.join(", ")
            )));
        }
        dims[i] = size / known;
    }
    Ok(dims)
}

/// `transpose(x, axes)`: a permutation, negative axes counting from the end.
fn permutation(expr: &Expr, rank: usize) -> Result<Vec<usize>, SourceError> {
    let shape = Shape(vec![0; rank]);
    integers(expr, "an axis")?
        .into_iter()
        .map(|axis| {
            isize::try_from(axis)
                .ok()
                .and_then(|a| shape.normalize_axis(a))
                .ok_or_else(|| {
                    SourceError::new(
                        format!("axis {axis} is out of bounds for an array of rank {rank}"),
                        expr.span.clone(),
                    )
                })
        })
        .collect()
}

/// One index entry: an integer, `None` (new axis) or a slice.
fn slice_item(item: &IndexItem) -> Result<SliceItem, SourceError> {
    let bound = |part: &Option<Box<Expr>>| -> Result<Option<isize>, SourceError> {
        part.as_ref()
            .map(|e| {
                let v = integer(e, "a slice bound")?;
                isize::try_from(v)
                    .map_err(|_| SourceError::new("slice bound out of range", e.span.clone()))
            })
            .transpose()
    };
    match item {
        IndexItem::Single(expr) if expr.kind == ExprKind::NoneLiteral => Ok(SliceItem::NewAxis),
        IndexItem::Single(expr) => {
            let index = integer(expr, "an index")?;
            isize::try_from(index)
                .map(SliceItem::Index)
                .map_err(|_| SourceError::new("index out of range", expr.span.clone()))
        }
        IndexItem::Slice {
            start, stop, step, ..
        } => Ok(SliceItem::Range {
            start: bound(start)?,
            stop: bound(stop)?,
            step: bound(step)?.unwrap_or(1),
        }),
    }
}

#[cfg(test)]
mod tests;
