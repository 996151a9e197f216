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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::tests::assert_pass;

    #[test]
    fn unused_nodes_go_and_inputs_stay() {
        assert_pass(
            dce,
            "graph(%0: f64[2], %1: i32[3]) {
               %2 = exp %0 : f64[2]
               %3 = sin %0 : f64[2]
               %4 = neg %1 : i32[3]
               return %3
             }",
            "graph(%0: f64[2], %1: i32[3]) {
               %2 = sin %0 : f64[2]
               return %2
             }",
        );
    }
}
