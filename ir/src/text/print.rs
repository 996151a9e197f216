//! Printing a graph in the text form.

use crate::graph::Graph;
use crate::op::Op;
use crate::scalar::Scalar;
use std::fmt::{self, Display, Write};

impl Graph {
    /// The graph in the text form (see [`crate::text`]), one node a line in
    /// arena order, each id its arena index. [`Graph::parse`] reads it back
    /// into an identical graph.
    ///
    /// ```
    /// use ndjit_ir::{BinaryOp, DType, Graph, Op, TensorType};
    ///
    /// let mut g = Graph::new();
    /// let x = g.input(TensorType::new([3], DType::F32));
    /// let y = g.add(Op::Binary(BinaryOp::Mul), &[x, x]).unwrap();
    /// g.set_outputs(vec![y]);
    /// assert_eq!(
    ///     g.dump(),
    ///     "graph(%0: f32[3]) {\n  %1 = mul %0, %0 : f32[3]\n  return %1\n}\n"
    /// );
    /// ```
    pub fn dump(&self) -> String {
        self.to_string()
    }
}

impl Display for Graph {
    /// The text form; the same as [`Graph::dump`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("graph(")?;
        for (k, &id) in self.inputs().iter().enumerate() {
            let separator = if k == 0 { "" } else { ", " };
            write!(f, "{separator}{id}: {}", self.ty(id))?;
        }
        f.write_str(") {\n")?;
        for id in self.ids() {
            let node = self.node(id);
            if let Op::Input(_) = node.op {
                continue;
            }
            write!(f, "  {id} = {}", node.op.name())?;
            write_values(f, &node.args)?;
            write_attributes(f, &node.op)?;
            writeln!(f, " : {}", node.ty)?;
        }
        f.write_str("  return")?;
        write_values(f, self.outputs())?;
        f.write_str("\n}\n")
    }
}

/// ` %1, %2`: a space, then the values separated by commas.
fn write_values(f: &mut impl Write, values: &[impl Display]) -> fmt::Result {
    for (i, value) in values.iter().enumerate() {
        let separator = if i == 0 { " " } else { ", " };
        write!(f, "{separator}{value}")?;
    }
    Ok(())
}

/// The op's static attributes as they follow its operands, with a leading
/// space (nothing for an op without attributes).
pub(crate) fn write_attributes(f: &mut impl Write, op: &Op) -> fmt::Result {
    match op {
        Op::Input(index) => write!(f, " {index}"),
        Op::Const(value) => {
            f.write_char(' ')?;
            write_constant(f, *value)
        }
        Op::Unary(_) | Op::Binary(_) | Op::Select | Op::MulAdd => Ok(()),
        Op::Cast(dtype) => write!(f, " to {dtype}"),
        Op::Reshape(shape) | Op::Broadcast(shape) => write!(f, " to {shape}"),
        Op::Permute(perm) => {
            f.write_str(" perm ")?;
            write_list(f, perm)
        }
        Op::Slice(axes) => {
            let axes = axes
                .iter()
                .map(|a| format!("start={} step={} len={}", a.start, a.step, a.len));
            f.write_char(' ')?;
            write_list(f, &axes.collect::<Vec<_>>())
        }
        Op::Pad(axes) => {
            let axes = axes
                .iter()
                .map(|a| format!("low={} high={} interior={}", a.low, a.high, a.interior));
            f.write_char(' ')?;
            write_list(f, &axes.collect::<Vec<_>>())
        }
        Op::Reduce { axes, .. } => {
            f.write_str(" axes ")?;
            write_list(f, axes)
        }
        Op::ArgReduce { axis, .. } | Op::Concat { axis } => write!(f, " axis {axis}"),
    }
}

/// `[a, b, c]`.
fn write_list(f: &mut impl Write, items: &[impl Display]) -> fmt::Result {
    f.write_char('[')?;
    for (i, item) in items.iter().enumerate() {
        let separator = if i == 0 { "" } else { ", " };
        write!(f, "{separator}{item}")?;
    }
    f.write_char(']')
}

/// A constant, exactly: [`Scalar`]'s own form (shortest round-trip floats,
/// `inf`, `-inf`, `nan`), except that a NaN other than the canonical one
/// (`f32::NAN`, `f64::NAN`) prints as its bits in hex, which is the only
/// way to keep its sign and payload.
fn write_constant(f: &mut impl Write, value: Scalar) -> fmt::Result {
    match value {
        Scalar::F32(v) if v.is_nan() && v.to_bits() != f32::NAN.to_bits() => {
            write!(f, "{:#010x}", v.to_bits())
        }
        Scalar::F64(v) if v.is_nan() && v.to_bits() != f64::NAN.to_bits() => {
            write!(f, "{:#018x}", v.to_bits())
        }
        _ => write!(f, "{value}"),
    }
}
