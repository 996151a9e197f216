//! Realizing arrays: trace the pending graph, evaluate it, store the values.

use super::node::{ArrayNode, State};
use super::Array;
use crate::error::Result;
use ndjit_ir::{Graph, NodeId, Op, Tensor};
use std::collections::HashMap;
use std::sync::atomic::Ordering;

impl Array {
    /// Computes the array's value (once; later calls cost nothing) and
    /// returns the same, now realized, handle.
    ///
    /// ```
    /// use ndjit::Array;
    /// let a = Array::from_vec(vec![1.0, 2.0, 3.0], [3]);
    /// let b = (&a * &a + 1.0).eval()?;
    /// assert_eq!(b.to_vec::<f64>()?, vec![2.0, 5.0, 10.0]);
    /// # Ok::<(), ndjit::Error>(())
    /// ```
    pub fn eval(&self) -> Result<Array> {
        eval_many(std::slice::from_ref(self))?;
        Ok(self.clone())
    }

    /// The realized value of this array, evaluating it first if needed.
    pub(crate) fn value(&self) -> Result<Tensor> {
        self.eval()?;
        match &*self.0 {
            ArrayNode::Valid { state, .. } => match &*ArrayNode::lock(state) {
                State::Realized(tensor) => Ok(tensor.clone()),
                State::Pending { .. } => unreachable!("eval realizes the array or fails"),
            },
            ArrayNode::Invalid(error) => Err(error.clone()),
        }
    }
}

/// Evaluates several arrays together, so that the parts of the graph they
/// share are computed once.
pub fn eval_many(arrays: &[Array]) -> Result<()> {
    for array in arrays {
        array.checked_type()?;
    }
    let pending: Vec<&Array> = arrays.iter().filter(|a| !a.is_realized()).collect();
    if pending.is_empty() {
        return Ok(());
    }
    let traced = trace(&pending);
    let outputs = ndjit_ir::interp::evaluate(&traced.graph, &traced.inputs)?;
    for (array, value) in pending.into_iter().zip(outputs) {
        realize(array, value);
    }
    Ok(())
}

/// The pending graph behind some arrays, as an IR graph whose inputs are
/// the realized arrays it reads.
pub(crate) struct Traced {
    /// The graph; its outputs are the traced arrays, in order.
    pub graph: Graph,
    /// The value of each graph input.
    pub inputs: Vec<Tensor>,
}

/// What a node looked like when the trace first saw it (another thread may
/// realize it meanwhile; the snapshot keeps the trace consistent).
enum Snapshot {
    Pending { op: Op, args: Vec<Array> },
    Realized(Tensor),
}

/// Traces the arrays' pending graph into an IR graph, iteratively (user
/// chains can be far deeper than the stack). All arrays must be valid.
pub(crate) fn trace(roots: &[&Array]) -> Traced {
    let mut graph = Graph::new();
    let mut inputs = Vec::new();
    let mut ids: HashMap<*const ArrayNode, NodeId> = HashMap::new();
    // (array, snapshot once its operands are done)
    let mut stack: Vec<(Array, Option<Snapshot>)> =
        roots.iter().map(|&a| (a.clone(), None)).collect();
    while let Some((array, snapshot)) = stack.pop() {
        let key = std::sync::Arc::as_ptr(&array.0);
        if ids.contains_key(&key) {
            continue;
        }
        let ArrayNode::Valid { ty, state, .. } = &*array.0 else {
            unreachable!(
                "trace is only called on valid arrays, and valid arrays have valid operands"
            )
        };
        let snapshot = match snapshot {
            Some(snapshot) => snapshot,
            None => {
                let snapshot = match &*ArrayNode::lock(state) {
                    State::Pending { op, args } => Snapshot::Pending {
                        op: op.clone(),
                        args: args.clone(),
                    },
                    State::Realized(tensor) => Snapshot::Realized(tensor.clone()),
                };
                if let Snapshot::Pending { args, .. } = &snapshot {
                    let missing: Vec<Array> = args
                        .iter()
                        .filter(|a| !ids.contains_key(&std::sync::Arc::as_ptr(&a.0)))
                        .cloned()
                        .collect();
                    if !missing.is_empty() {
                        stack.push((array.clone(), Some(snapshot)));
                        stack.extend(missing.into_iter().map(|a| (a, None)));
                        continue;
                    }
                }
                snapshot
            }
        };
        let id = match snapshot {
            Snapshot::Realized(tensor) => {
                inputs.push(tensor);
                graph.input(ty.clone())
            }
            Snapshot::Pending { op, args } => {
                let arg_ids: Vec<NodeId> = args
                    .iter()
                    .map(|a| ids[&std::sync::Arc::as_ptr(&a.0)])
                    .collect();
                graph
                    .add(op, &arg_ids)
                    .expect("the op type-checked when the array was built")
            }
        };
        ids.insert(key, id);
    }
    let outputs = roots
        .iter()
        .map(|a| ids[&std::sync::Arc::as_ptr(&a.0)])
        .collect();
    graph.set_outputs(outputs);
    Traced { graph, inputs }
}

/// Stores a computed value in a node and drops its operands.
fn realize(array: &Array, value: Tensor) {
    if let ArrayNode::Valid { state, depth, .. } = &*array.0 {
        let old = std::mem::replace(&mut *ArrayNode::lock(state), State::Realized(value));
        depth.store(0, Ordering::Relaxed);
        // The operands (possibly a long chain) drop here, outside the lock.
        drop(old);
    }
}
