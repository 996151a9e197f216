//! Realizing arrays: trace the pending graph, evaluate it, store the values.

use super::claim::{wait_for, Claims};
use super::node::{ArrayNode, State, Tracing};
use super::Array;
use crate::error::{Error, Result};
use ndjit_ir::{Graph, NodeId, Op, Tensor};
use rustc_hash::FxHashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

impl Array {
    /// Computes the array's value (once; later calls cost nothing) and
    /// returns the same, now realized, handle.
    ///
    /// Inside a closure being differentiated or traced into a
    /// [`crate::Function`], the value is computed but not stored, so the
    /// array stays connected to the closure's arguments.
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

    /// The value of this array, evaluating it first if needed.
    pub(crate) fn value(&self) -> Result<Tensor> {
        Ok(values(std::slice::from_ref(self))?.remove(0))
    }

    /// The stored value of a realized array.
    fn stored_value(&self) -> Option<Tensor> {
        match &*self.lock_state() {
            State::Realized(tensor) => Some(tensor.clone()),
            State::Pending { .. } | State::Placeholder => None,
        }
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
/// share are computed once (and the compiler can fuse them: a value and
/// its gradient share kernels).
pub fn eval_many(arrays: &[Array]) -> Result<()> {
    eval_many_with(arrays, crate::runtime::backend())
}

/// [`eval_many`] with a given backend, whatever the process-wide choice:
/// for comparing the compiler with the interpreter.
pub fn eval_many_with(arrays: &[Array], backend: crate::runtime::Backend) -> Result<()> {
    values_with(arrays, backend).map(drop)
}

/// The values of `arrays` (see [`values_with`]) with the selected backend.
pub(crate) fn values(arrays: &[Array]) -> Result<Vec<Tensor>> {
    values_with(arrays, crate::runtime::backend())
}

/// The values of `arrays`, the pending ones computed together in one
/// graph and stored in their nodes, unless a closure is being traced
/// (see [`Tracing`]). A pending array another thread is computing at the
/// same time is waited for, not computed again (see [`super::claim`]).
fn values_with(arrays: &[Array], backend: crate::runtime::Backend) -> Result<Vec<Tensor>> {
    for array in arrays {
        array.checked_type()?;
    }
    if Tracing::active() {
        // Nothing is stored while tracing, so there is nothing to share.
        let mut values: Vec<Option<Tensor>> = arrays.iter().map(Array::stored_value).collect();
        let pending: Vec<&Array> = arrays
            .iter()
            .zip(&values)
            .filter(|(_, value)| value.is_none())
            .map(|(array, _)| array)
            .collect();
        let mut computed = compute(&pending, backend)?.into_iter();
        for slot in values.iter_mut().filter(|slot| slot.is_none()) {
            *slot = computed.next();
        }
        return Ok(values.into_iter().flatten().collect());
    }
    loop {
        let pending: Vec<&Array> = arrays.iter().filter(|a| !a.is_realized()).collect();
        if pending.is_empty() {
            break;
        }
        let (claims, busy) = Claims::take(&pending);
        // Another thread may have stored one between the check and the claim.
        let mine: Vec<&Array> = claims
            .arrays()
            .iter()
            .filter(|a| !a.is_realized())
            .collect();
        for (array, value) in mine.iter().zip(compute(&mine, backend)?) {
            realize(array, value);
        }
        drop(claims);
        for array in &busy {
            wait_for(array);
        }
        // Stored now, unless their claimer failed: then the next round
        // claims and computes them here.
    }
    Ok(arrays
        .iter()
        .map(|a| a.stored_value().expect("every array was realized"))
        .collect())
}

/// Computes pending arrays together, in one graph, without storing them.
fn compute(arrays: &[&Array], backend: crate::runtime::Backend) -> Result<Vec<Tensor>> {
    if arrays.is_empty() {
        return Ok(Vec::new());
    }
    let traced = trace(arrays, &[]);
    run_graph(&traced.graph, &traced.input_values()?, backend)
}

/// Runs a traced graph on its input values: the one place where arrays
/// meet the backend that computes them (compiled programs are cached, so
/// running the same graph again compiles nothing).
pub(crate) fn run_graph(
    graph: &Graph,
    inputs: &[Tensor],
    backend: crate::runtime::Backend,
) -> Result<Vec<Tensor>> {
    crate::runtime::evaluate_with(backend, graph, inputs)
}

/// The IR graph that evaluating `arrays` would run, before optimization:
/// its inputs are the realized arrays and placeholders it reads, its outputs
/// the arrays. For inspecting what the compiler is given
/// (`graph.dump()`, `graph.to_graphviz()`).
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

/// The IR graph of `outputs` whose first inputs are `inputs`, in order
/// (then any other realized array it reads): what a tool that names its
/// inputs prints, or differentiates with respect to an input. An input the
/// outputs do not read is still an input of the graph. Tracing stops at
/// the inputs, even pending ones.
///
/// ```
/// use ndjit::{Array, DType, TensorType};
/// let ty = TensorType::new([3], DType::F64);
/// let (x, y) = (Array::placeholder(ty.clone()), Array::placeholder(ty));
/// let graph = ndjit::trace_with_inputs(&[&(y.sin() * 2.0)], &[&x, &y])?;
/// assert_eq!(graph.inputs().len(), 2);
/// assert!(graph.dump().contains("sin %1"));
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn trace_with_inputs(outputs: &[&Array], inputs: &[&Array]) -> Result<Graph> {
    for array in outputs.iter().chain(inputs) {
        array.checked_type()?;
    }
    Ok(trace(outputs, inputs).graph)
}

/// The pending graph behind some arrays, as an IR graph. Its inputs are
/// the arrays where tracing stopped: the requested boundaries first, then
/// every realized array it reads.
pub(crate) struct Traced {
    /// The graph; its outputs are the traced arrays, in order.
    pub graph: Graph,
    /// The array behind each graph input.
    pub leaves: Vec<Array>,
    /// The array behind each node (the first one traced, where several
    /// identical arrays share a node).
    pub arrays: Vec<Array>,
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
    let mut arrays = Vec::new();
    let mut ids: FxHashMap<*const ArrayNode, NodeId> = FxHashMap::default();
    for &boundary in boundaries {
        let key = Arc::as_ptr(&boundary.0);
        if let std::collections::hash_map::Entry::Vacant(slot) = ids.entry(key) {
            slot.insert(graph.input(boundary.valid_type().clone()));
            leaves.push(boundary.clone());
            arrays.push(boundary.clone());
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
                // The op's rule ran when the array was built.
                graph.add_with_type(op, &arg_ids, array.valid_type().clone())
            }
        };
        if id.index() == arrays.len() {
            arrays.push(array.clone());
        }
        ids.insert(key, id);
    }
    let outputs = roots.iter().map(|a| ids[&Arc::as_ptr(&a.0)]).collect();
    graph.set_outputs(outputs);
    Traced {
        graph,
        leaves,
        arrays,
    }
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
