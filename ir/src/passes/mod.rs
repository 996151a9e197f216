//! Graph → graph optimization passes, and [`optimize`], which runs them to
//! a fixed point.
//!
//! Each pass is one file with one entry point, `fn(&mut Graph) -> bool`
//! (whether it changed anything), built on one shared rebuild helper: a
//! [`Graph`] is an append-only, hash-consed arena, so a pass builds the
//! rewritten graph afresh. Every pass keeps the graph's inputs (indices,
//! order and types, used or not) and the types of its outputs, and drops
//! dead nodes.
//!
//! By default every rewrite is exact: the optimized graph computes the same
//! bits as the original for every input (NaN payloads aside), so the
//! reference interpreter gives identical results on both. Only
//! [`fast_math`] relaxes that, and only when [`OptimizeOptions::fast_math`]
//! asks for it.

mod constant_fold;
mod cse;
mod dce;
mod fast_math;
mod push_broadcast;
mod rewrite;
mod simplify;
mod split_windows;
mod view_fold;

pub use constant_fold::constant_fold;
pub use cse::cse;
pub use dce::dce;
pub use fast_math::fast_math;
pub use push_broadcast::push_broadcast;
pub use simplify::simplify;
pub use split_windows::split_windows;
pub use view_fold::view_fold;

use crate::graph::Graph;

/// What [`optimize`] may do beyond exact rewrites.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OptimizeOptions {
    /// Allow the inexact rewrites of [`fast_math`] (reassociation, `x*0 → 0`,
    /// `x-x → 0`, ...), which assume no NaN, no infinity and that the sign
    /// of zero does not matter. Off by default.
    pub fast_math: bool,
}

/// Rounds of all passes before [`optimize`] stops even if the graph still
/// changes. Every rule shrinks the graph, moves broadcasts outward or
/// removes a padded or concatenated operand of an elementwise op, so real
/// graphs settle in two or three rounds.
const MAX_ROUNDS: usize = 16;

/// A pass: rewrites the graph in place and returns whether it changed
/// anything.
pub type Pass = fn(&mut Graph) -> bool;

/// Every pass, in the order [`optimize`] runs them, with its name (the
/// function's name, for [`by_name`]) and whether it is exact. Inexact
/// passes run only when [`OptimizeOptions::fast_math`] allows them.
const PASSES: [(&str, Pass, bool); 8] = [
    ("constant_fold", constant_fold, true),
    ("simplify", simplify, true),
    ("view_fold", view_fold, true),
    ("push_broadcast", push_broadcast, true),
    ("split_windows", split_windows, true),
    ("fast_math", fast_math, false),
    ("cse", cse, true),
    ("dce", dce, true),
];

/// The pass called `name` (its function's name: `"dce"`, `"cse"`,
/// `"constant_fold"`, ...), to run one pass alone, as the golden tests'
/// `test pass <name>` does (each pass's cases are the files
/// `tests/filetests/pass/<name>*.ir`).
///
/// ```
/// use ndjit_ir::passes::by_name;
/// use ndjit_ir::Graph;
///
/// let mut g = Graph::parse(
///     "graph(%0: f64[3]) {
///        %1 = exp %0 : f64[3]
///        return %0
///      }",
/// )?;
/// let dce = by_name("dce").expect("a pass of that name");
/// assert!(dce(&mut g));
/// assert_eq!(g.dump(), "graph(%0: f64[3]) {\n  return %0\n}\n");
/// assert!(by_name("no_such_pass").is_none());
/// # Ok::<(), ndjit_ir::IrError>(())
/// ```
pub fn by_name(name: &str) -> Option<Pass> {
    PASSES
        .iter()
        .find(|(pass_name, _, _)| *pass_name == name)
        .map(|&(_, pass, _)| pass)
}

/// Optimizes a graph: runs constant folding, algebraic simplification, view
/// folding, broadcast lifting, splitting at pad and concat windows, (fast
/// math, if enabled), common-subexpression elimination and dead-code
/// elimination until none changes the graph.
///
/// ```
/// use ndjit_ir::passes::{optimize, OptimizeOptions};
/// use ndjit_ir::Graph;
///
/// let g = Graph::parse(
///     "graph(%0: f64[3]) {
///        %1 = const 1.0 : f64[]
///        %2 = broadcast %1 to [3] : f64[3]
///        %3 = mul %0, %2 : f64[3]
///        %4 = mul %2, %0 : f64[3]
///        %5 = add %3, %4 : f64[3]
///        return %5
///      }",
/// )?;
/// let optimized = optimize(&g, &OptimizeOptions::default());
/// assert_eq!(optimized.dump(), "graph(%0: f64[3]) {\n  %1 = add %0, %0 : f64[3]\n  return %1\n}\n");
/// # Ok::<(), ndjit_ir::IrError>(())
/// ```
pub fn optimize(graph: &Graph, options: &OptimizeOptions) -> Graph {
    let mut graph = graph.clone();
    let passes: Vec<Pass> = PASSES
        .iter()
        .filter(|&&(_, _, exact)| exact || options.fast_math)
        .map(|&(_, pass, _)| pass)
        .collect();
    for _ in 0..MAX_ROUNDS {
        let mut changed = false;
        for pass in &passes {
            changed |= pass(&mut graph);
        }
        if !changed {
            break;
        }
    }
    graph
}

#[cfg(test)]
mod tests;
