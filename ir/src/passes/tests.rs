//! Tests of the passes together: the shared test helper, and property tests
//! of [`optimize`] over random graphs.

use crate::graph::Graph;
use crate::text::parse;

/// Runs `pass` on the graph `input` (text form) and checks the result
/// against `expected`, both normalized by a parse and dump.
pub(crate) fn assert_pass(pass: fn(&mut Graph) -> bool, input: &str, expected: &str) {
    let mut graph = parse(input).unwrap_or_else(|e| panic!("input: {e}"));
    let expected = parse(expected)
        .unwrap_or_else(|e| panic!("expected: {e}"))
        .dump();
    let before = graph.dump();
    let changed = pass(&mut graph);
    assert_eq!(graph.dump(), expected, "\ninput:\n{before}");
    assert_eq!(
        changed,
        before != expected,
        "the pass misreported whether it changed the graph"
    );
}
