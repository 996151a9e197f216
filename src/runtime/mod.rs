//! Running graphs: the compiled path (program and kernel caches, buffers,
//! threads) and the reference interpreter, selected by [`Backend`].

mod bounds;
mod cache;
mod dump;
mod execute;
mod parallel;
mod program;
mod row_blocks;
mod stats;

pub use parallel::{set_max_threads, thread_count};
pub(crate) use program::Program;
pub use stats::{stats, Stats};

use crate::error::Result;
use ndjit_ir::{Graph, Tensor};
use std::sync::atomic::{AtomicU8, Ordering};

/// How graphs are evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Optimized, fused, JIT-compiled kernels (the default).
    Jit,
    /// The reference interpreter: op by op, every intermediate materialized
    /// (the eager baseline; for debugging and differential testing).
    Interpreter,
}

const UNSET: u8 = 0;
static BACKEND: AtomicU8 = AtomicU8::new(UNSET);

/// The backend in use: the last [`set_backend`], else `NDJIT_BACKEND`
/// (`interp` or `jit`), else [`Backend::Jit`].
pub fn backend() -> Backend {
    match BACKEND.load(Ordering::Relaxed) {
        1 => Backend::Jit,
        2 => Backend::Interpreter,
        _ => {
            let chosen = match std::env::var("NDJIT_BACKEND").as_deref() {
                Ok("interp") | Ok("interpreter") => Backend::Interpreter,
                _ => Backend::Jit,
            };
            set_backend(chosen);
            chosen
        }
    }
}

/// Selects the backend for all later evaluations in this process.
pub fn set_backend(backend: Backend) {
    let code = match backend {
        Backend::Jit => 1,
        Backend::Interpreter => 2,
    };
    BACKEND.store(code, Ordering::Relaxed);
}

/// Evaluates `graph` on `inputs` with the selected backend.
pub fn evaluate(graph: &Graph, inputs: &[Tensor]) -> Result<Vec<Tensor>> {
    evaluate_with(backend(), graph, inputs)
}

/// Evaluates `graph` on `inputs` with a given backend.
pub fn evaluate_with(backend: Backend, graph: &Graph, inputs: &[Tensor]) -> Result<Vec<Tensor>> {
    match backend {
        Backend::Interpreter => {
            check_sizes(graph)?;
            Ok(ndjit_ir::interp::evaluate(graph, inputs)?)
        }
        Backend::Jit => {
            graph.check_inputs(inputs)?;
            // Checked when a program is compiled (see `program_for`).
            execute::execute(&*program::program_for(graph)?, inputs)
        }
    }
}

/// The compiled program for `graph` (from the program cache, or compiled).
pub(crate) fn compile(graph: &Graph) -> Result<std::sync::Arc<Program>> {
    program::program_for(graph)
}

/// Runs a compiled program on inputs, first checked against `graph`, the
/// graph it was compiled from: its kernels read the input buffers through
/// raw pointers sized by the graph's types.
pub(crate) fn run(program: &Program, graph: &Graph, inputs: &[Tensor]) -> Result<Vec<Tensor>> {
    graph.check_inputs(inputs)?;
    execute::execute(program, inputs)
}

/// Rejects a graph with a value too big for memory (see
/// [`TensorType::fits_in_memory`](ndjit_ir::TensorType::fits_in_memory)).
/// The type rules reject such results already; this also covers the types
/// a graph's inputs were declared with.
pub(crate) fn check_sizes(graph: &Graph) -> Result<()> {
    for node in graph.nodes() {
        let ty = &node.ty;
        if !ty.fits_in_memory() {
            return Err(ndjit_ir::IrError::Type {
                op: node.op.name(),
                message: format!(
                    "a result of type {ty} is too big: its size in bytes overflows isize"
                ),
            }
            .into());
        }
    }
    Ok(())
}
