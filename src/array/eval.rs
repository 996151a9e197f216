//! Realizing arrays: trace the pending graph, evaluate it, store the values.

use super::node::{ArrayNode, State};
use super::Array;
use crate::error::{Error, Result};
use ndjit_ir::{Graph, NodeId, Op, Tensor};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

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
        self.realized_value()
    }

    /// The value of a realized array; an error for a placeholder.
    fn realized_value(&self) -> Result<Tensor> {
        match &*self.lock_state() {
            State::Realized(tensor) => Ok(tensor.clone()),
            State::Placeholder => Err(Error::Access(
                "a Function's placeholder input has no value outside the Function".into(),
            )),
            State::Pending { .. } => Err(Error::Access("array is not evaluated".into())),
        }
    }
}

/// Evaluates several arrays together, so that the parts of the graph they
/// share are computed once.
pub fn eval_many(arrays: &[Array]) -> Result<()> {
    eval_many_with(arrays, crate::runtime::backend())
}

/// [`eval_many`] with a given backend, whatever the process-wide choice:
/// for comparing the compiler with the interpreter.
pub fn eval_many_with(arrays: &[Array], backend: crate::runtime::Backend) -> Result<()> {
    for array in arrays {
        array.checked_type()?;
    }
    let pending: Vec<&Array> = arrays.iter().filter(|a| !a.is_realized()).collect();
    if pending.is_empty() {
        return Ok(());
    }
    let traced = trace(&pending, &[]);
    let outputs = crate::runtime::evaluate_with(backend, &traced.graph, &traced.input_values()?)?;
    for (array, value) in pending.into_iter().zip(outputs) {
        realize(array, value);
    }
    Ok(())
}

/// The IR graph that evaluating `arrays` would run, before optimization:
/// its inputs are the realized arrays and placeholders it reads, its outputs
/// the arrays. For inspecting what the compiler is given
/// (`graph.dump()`, `graph.to_dot()`).
///
/// ```
/// use ndjit::Array;
/// let x = Array::from_vec(vec![1.0, 2.0], [2]);
/// let graph = ndjit::trace(&[&(x.sin() * 2.0)])?;
/// assert!(graph.dump().contains("sin %0"));
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn trace_graph(arrays: &[&Array]) -> Result<Graph> {
    for array in arrays {
        array.checked_type()?;
    }
    Ok(trace(arrays, &[]).graph)
}

/// The pending graph behind some arrays, as an IR graph. Its inputs are
/// the arrays where tracing stopped: the requested boundaries first, then
/// every realized array it reads.
pub(crate) struct Traced {
    /// The graph; its outputs are the traced arrays, in order.
    pub graph: Graph,
    /// The array behind each graph input.
    pub leaves: Vec<Array>,
}

impl Traced {
    /// The value of every input; fails if an input is not realized (a
    /// placeholder of a [`crate::Function`] being traced, or a pending boundary).
    pub(crate) fn input_values(&self) -> Result<Vec<Tensor>> {
        self.leaves
            .iter()
            .map(|leaf| leaf.realized_value())
            .collect()
    }
}

/// What a node looked like when the trace first saw it (another thread may
/// realize it meanwhile; the snapshot keeps the trace consistent).
enum Snapshot {
    Pending { op: Op, args: Vec<Array> },
    Leaf,
}

/// Traces the arrays' pending graph into an IR graph, iteratively (user
/// chains can be far deeper than the stack). Tracing stops at realized
/// arrays, placeholders and the given `boundaries` (which become inputs
/// `0..boundaries.len()`, in order, even if pending). All arrays must be valid.
pub(crate) fn trace(roots: &[&Array], boundaries: &[&Array]) -> Traced {
    let mut graph = Graph::new();
    let mut leaves = Vec::new();
    let mut ids: HashMap<*const ArrayNode, NodeId> = HashMap::new();
    for &boundary in boundaries {
        let key = Arc::as_ptr(&boundary.0);
        if !ids.contains_key(&key) {
            ids.insert(key, graph.input(boundary.valid_type().clone()));
            leaves.push(boundary.clone());
        }
    }
    // (array, snapshot once its operands are done)
    let mut stack: Vec<(Array, Option<Snapshot>)> =
        roots.iter().map(|&a| (a.clone(), None)).collect();
    while let Some((array, snapshot)) = stack.pop() {
        let key = Arc::as_ptr(&array.0);
        if ids.contains_key(&key) {
            continue;
        }
        let snapshot = match snapshot {
            Some(snapshot) => snapshot,
            None => {
                let snapshot = match &*array.lock_state() {
                    State::Pending { op, args } => Snapshot::Pending {
                        op: op.clone(),
                        args: args.clone(),
                    },
                    State::Realized(_) | State::Placeholder => Snapshot::Leaf,
                };
                if let Snapshot::Pending { args, .. } = &snapshot {
                    let missing: Vec<Array> = args
                        .iter()
                        .filter(|a| !ids.contains_key(&Arc::as_ptr(&a.0)))
                        .cloned()
                        .collect();
                    if !missing.is_empty() {
                        stack.push((array.clone(), Some(snapshot)));
                        // Reversed, so operands are visited (and inputs numbered) left to right.
                        stack.extend(missing.into_iter().rev().map(|a| (a, None)));
                        continue;
                    }
                }
                snapshot
            }
        };
        let id = match snapshot {
            Snapshot::Leaf => {
                leaves.push(array.clone());
                graph.input(array.valid_type().clone())
            }
            Snapshot::Pending { op, args } => {
                let arg_ids: Vec<NodeId> = args.iter().map(|a| ids[&Arc::as_ptr(&a.0)]).collect();
                graph
                    .add(op, &arg_ids)
                    .expect("the op type-checked when the array was built")
            }
        };
        ids.insert(key, id);
    }
    let outputs = roots.iter().map(|a| ids[&Arc::as_ptr(&a.0)]).collect();
    graph.set_outputs(outputs);
    Traced { graph, leaves }
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
