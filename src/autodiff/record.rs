//! Recording a closure as an IR graph, and lifting a transformed graph back
//! into lazy arrays.

use crate::array::eval::trace;
use crate::array::node::Tracing;
use crate::error::{Error, Result};
use crate::Array;
use ndjit_ir::{Graph, IrError, NodeId, Op};
use std::panic::Location;

/// Where the user called a transformation (`grad`, `jacobian`, ...):
/// errors the transformation itself raises name this line, as every other
/// error of ndjit names the caller's line.
pub(super) type Caller = &'static Location<'static>;

/// An [`Error::InvalidOp`] of `op` at the user's `caller` line.
pub(super) fn invalid_at(caller: Caller, op: &str, message: String) -> Error {
    Error::InvalidOp {
        op: op.into(),
        message,
        location: caller,
    }
}

/// A graph-layer error raised while transforming, placed at `caller`.
pub(super) fn ir_at(caller: Caller) -> impl Fn(IrError) -> Error {
    move |error| match error {
        IrError::Type { op, message } => invalid_at(caller, op, message),
        other => Error::Ir(other),
    }
}

/// A closure's outputs traced back to its arguments, ready for an IR
/// transformation (`vjp`, `jvp`) whose result is [`Recording::lift`]ed.
pub(super) struct Recording {
    /// The traced graph; inputs `0..n` are the `n` arguments. Seeds added
    /// later with [`Recording::seed`] are further inputs.
    pub graph: Graph,
    /// The array behind each traced node: lifting reuses them, so the
    /// derivative shares the closure's own (lazy) intermediates.
    arrays: Vec<Array>,
    /// How many inputs the traced graph had before seeds were added.
    traced_inputs: usize,
    /// The node of each argument.
    pub args: Vec<NodeId>,
    /// The node of each output.
    pub outputs: Vec<NodeId>,
    /// The closure's outputs.
    pub output_arrays: Vec<Array>,
}

impl Recording {
    /// Calls `f` on stand-ins of `args` and traces its outputs back to them.
    ///
    /// Each stand-in is a fresh pending node (an identity reshape) over its
    /// argument: a distinct graph input even when the same array is passed
    /// twice, and a node the closure's arrays depend on lazily, so the
    /// derivative stays a function of the argument (differentiable again).
    /// Nothing is realized while `f` runs (see [`Tracing`]).
    pub(super) fn new(f: impl FnOnce(&[Array]) -> Vec<Array>, args: &[Array]) -> Result<Recording> {
        for arg in args {
            arg.checked_type()?;
        }
        let (stand_ins, output_arrays) = {
            let _tracing = Tracing::start();
            let stand_ins: Vec<Array> = args
                .iter()
                .map(|arg| Array::apply(Op::Reshape(arg.valid_type().shape.clone()), &[arg]))
                .collect();
            let outputs = f(&stand_ins);
            (stand_ins, outputs)
        };
        for output in &output_arrays {
            output.checked_type()?;
        }
        let roots: Vec<&Array> = output_arrays.iter().collect();
        let boundaries: Vec<&Array> = stand_ins.iter().collect();
        let traced = trace(&roots, &boundaries);
        let args = traced.graph.inputs()[..args.len()].to_vec();
        let outputs = traced.graph.outputs().to_vec();
        Ok(Recording {
            traced_inputs: traced.graph.inputs().len(),
            graph: traced.graph,
            arrays: traced.arrays,
            args,
            outputs,
            output_arrays,
        })
    }

    /// Adds an input of the same type as `like` (a cotangent or tangent,
    /// given as an array when lifting).
    pub(super) fn seed(&mut self, like: NodeId) -> NodeId {
        let ty = self.graph.ty(like).clone();
        self.graph.input(ty)
    }

    /// Lazy arrays for the nodes `results`: traced nodes are the closure's
    /// own arrays, new nodes are rebuilt with [`Array::apply`], and seed
    /// input `k` is `seeds[k]`. Nothing is realized meanwhile: the new
    /// nodes read the closure's pending intermediates, which may lie deeper
    /// than the automatic realization depth, and realizing each new node on
    /// its own would evaluate that chain again and again.
    pub(super) fn lift(&self, results: &[NodeId], seeds: &[Array]) -> Vec<Array> {
        let _tracing = Tracing::start();
        let mut live = vec![false; self.graph.len()];
        for r in results {
            live[r.index()] = true;
        }
        for index in (self.arrays.len()..self.graph.len()).rev() {
            if live[index] {
                for arg in &self.graph.nodes()[index].args {
                    live[arg.index()] = true;
                }
            }
        }
        let mut lifted: Vec<Option<Array>> = self.arrays.iter().cloned().map(Some).collect();
        lifted.resize(self.graph.len(), None);
        for index in self.arrays.len()..self.graph.len() {
            if !live[index] {
                continue;
            }
            let node = &self.graph.nodes()[index];
            let array = match node.op {
                Op::Input(k) => seeds[k - self.traced_inputs].clone(),
                _ => {
                    let args: Vec<&Array> = node
                        .args
                        .iter()
                        .map(|a| lifted[a.index()].as_ref().expect("operands are live"))
                        .collect();
                    Array::apply(node.op.clone(), &args)
                }
            };
            lifted[index] = Some(array);
        }
        results
            .iter()
            .map(|r| lifted[r.index()].clone().expect("results are live"))
            .collect()
    }
}

/// Checks that each seed array has the type of its node.
pub(super) fn check_seeds(
    caller: Caller,
    what: &str,
    graph: &Graph,
    nodes: &[NodeId],
    seeds: &[Array],
) -> Result<()> {
    if nodes.len() != seeds.len() {
        return Err(invalid_at(
            caller,
            what,
            format!("{} arrays expected, {} given", nodes.len(), seeds.len()),
        ));
    }
    for (k, (&node, seed)) in nodes.iter().zip(seeds).enumerate() {
        let ty = seed.checked_type()?;
        if ty != graph.ty(node) {
            return Err(invalid_at(
                caller,
                what,
                format!("array {k} must have type {}, got {ty}", graph.ty(node)),
            ));
        }
    }
    Ok(())
}

/// `n` invalid arrays carrying `error`.
pub(super) fn failed(error: Error, n: usize) -> Vec<Array> {
    vec![Array::invalid(error); n]
}
