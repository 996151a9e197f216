//! Stand-in for the IR text form (`Graph::dump`) and the Graphviz export
//! (`Graph::to_dot`), which are being written on another branch and print
//! the same text form as this.
//!
//! Once they are merged, the inherent methods take precedence over this
//! trait's, the `use` of it in `stages.rs` is reported as unused, and this
//! file is to be deleted.

use ndjit_ir::{Graph, Op};
use std::fmt::Write;

/// `dump` and `to_dot` for [`Graph`] until the real ones are merged.
pub(crate) trait TextFormShim {
    /// The graph in the text form.
    fn dump(&self) -> String;
    /// The graph in Graphviz DOT.
    fn to_dot(&self) -> String;
}

impl TextFormShim for Graph {
    fn dump(&self) -> String {
        let inputs: Vec<String> = self
            .inputs()
            .iter()
            .map(|&id| format!("{id}: {}", self.ty(id)))
            .collect();
        let mut text = format!("graph({}) {{\n", inputs.join(", "));
        for id in self.ids() {
            if !matches!(self.node(id).op, Op::Input(_)) {
                writeln!(text, "  {id} = {}", node_text(self, id)).expect("writing to a String");
            }
        }
        let outputs: Vec<String> = self.outputs().iter().map(|id| id.to_string()).collect();
        text + &format!("  return {}\n}}\n", outputs.join(", "))
    }

    fn to_dot(&self) -> String {
        let mut text = String::from("digraph {\n");
        for id in self.ids() {
            let label = format!("{id} = {}", node_text(self, id)).replace(" : ", "\\n");
            writeln!(
                text,
                "    {} [ label = \"{label}\" shape = box ]",
                id.index()
            )
            .expect("writing to a String");
            for arg in &self.node(id).args {
                writeln!(text, "    {} -> {}", arg.index(), id.index())
                    .expect("writing to a String");
            }
        }
        text + "}\n"
    }
}

/// `mul %1, %2 : f64[8]`: op, operands, attributes and type.
fn node_text(graph: &Graph, id: ndjit_ir::NodeId) -> String {
    let node = graph.node(id);
    let args: Vec<String> = node.args.iter().map(|a| a.to_string()).collect();
    let mut text = node.op.name().to_string();
    if !args.is_empty() {
        text += &format!(" {}", args.join(", "));
    }
    match &node.op {
        Op::Input(index) => text += &format!(" {index}"),
        Op::Const(value) => text += &format!(" {value}"),
        Op::Cast(dtype) => text += &format!(" to {dtype}"),
        Op::Reshape(shape) | Op::Broadcast(shape) => text += &format!(" to {shape}"),
        Op::Permute(perm) => text += &format!(" perm {perm:?}"),
        Op::Slice(axes) => {
            let axes: Vec<String> = axes
                .iter()
                .map(|a| format!("start={} step={} len={}", a.start, a.step, a.len))
                .collect();
            text += &format!(" [{}]", axes.join(", "));
        }
        Op::Pad(axes) => {
            let axes: Vec<String> = axes
                .iter()
                .map(|a| format!("low={} high={} interior={}", a.low, a.high, a.interior))
                .collect();
            text += &format!(" [{}]", axes.join(", "));
        }
        Op::Reduce { axes, .. } => text += &format!(" axes {axes:?}"),
        Op::ArgReduce { axis, .. } => text += &format!(" axis {axis}"),
        Op::Unary(_) | Op::Binary(_) | Op::Select => {}
    }
    text + &format!(" : {}", node.ty)
}
