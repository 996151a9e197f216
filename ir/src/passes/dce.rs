//! Dead-code elimination.

use super::rewrite::rewrite;
use crate::graph::{Graph, Node, NodeId};

/// Drops every node the outputs do not depend on; inputs always stay, with
/// their indices. Returns whether the graph changed.
///
/// Every pass already skips dead nodes as it rebuilds the graph; this pass
/// is that rebuild alone, for graphs that come straight from a trace.
pub fn dce(graph: &mut Graph) -> bool {
    rewrite(graph, |_: &mut Graph, _: &Node| -> Option<NodeId> { None })
}
