//! The stages of the compiler that `ndjit ir` prints, in pipeline order.
//!
//! Each stage renders the traced graph as it looks after that stage. A new
//! stage (optimized graph, scheduled kernels, Cranelift IR) is one more
//! entry in [`STAGES`].

use crate::Result;
use ndjit_ir::Graph;

/// How stages are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The IR text form (or each stage's own text).
    Text,
    /// Graphviz DOT.
    Dot,
}

impl Format {
    /// What starts a comment line in this format.
    pub fn comment(self) -> &'static str {
        match self {
            Format::Text => ";",
            Format::Dot => "//",
        }
    }
}

/// One pipeline stage: a title and how to print the graph after it.
pub struct Stage {
    /// Printed above the stage's output.
    pub name: &'static str,
    /// Runs the pipeline up to this stage on the traced graph and prints
    /// the result.
    pub render: fn(&Graph, Format) -> Result<String>,
}

/// Every stage that exists, in pipeline order.
pub const STAGES: &[Stage] = &[Stage {
    name: "traced graph",
    render: traced_graph,
}];

fn traced_graph(graph: &Graph, format: Format) -> Result<String> {
    Ok(match format {
        Format::Text => graph.dump(),
        Format::Dot => graph.to_dot(),
    })
}
