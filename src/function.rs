//! Compiled functions: a closure traced once, then run on new data with no
//! graph building.

use crate::array::eval::{run_graph, trace};
use crate::array::node::Tracing;
use crate::error::{Error, Result};
use crate::runtime::{Backend, Program};
use crate::Array;
use ndjit_ir::{Graph, Op, Tensor, TensorType};
use std::sync::Arc;

/// A closure over arrays, traced once into a graph and then called on new
/// data: the hot path of optimizers and ODE solvers, where the same
/// objective, gradient or right-hand side runs thousands of times.
///
/// [`Function::new`] calls the closure once on placeholder arrays of the
/// given types and keeps the graph it builds; arrays the closure captures
/// (realized data) are stored with it. [`Function::call`] checks the
/// inputs' types and runs the graph, which is compiled once and cached.
/// Derivatives trace like anything else, so a gradient can be a `Function`.
///
/// ```
/// use ndjit::autodiff::grad;
/// use ndjit::{Array, DType, Function, TensorType};
/// let f = |x: &Array| (x.sin() * x).sum(..);
/// let ty = TensorType::new([3], DType::F64);
/// let df = Function::new(&[ty], |x| vec![f(&x[0]), grad(f)(&x[0])])?;
/// for start in [0.0, 1.0] {
///     let x = Array::from_vec(vec![start, start + 0.5, start + 1.0], [3]);
///     let out = df.call(&[x])?;
///     assert_eq!(out[1].shape(), &[3]);
/// }
/// assert!(df.call(&[Array::zeros([4], DType::F64)]).is_err());
/// # Ok::<(), ndjit::Error>(())
/// ```
pub struct Function {
    /// The traced graph: inputs are the arguments, then the captured arrays.
    graph: Graph,
    /// The type of each argument.
    input_types: Vec<TensorType>,
    /// The values of the captured arrays, in graph input order.
    captured: Vec<Tensor>,
    /// The compiled program (kernels included), so a call goes straight to
    /// execution: no graph hashing, no cache look-up.
    program: Arc<Program>,
}

impl Function {
    /// Traces `f` over placeholders of `input_types`.
    ///
    /// An error if `f` returns an invalid array (the error of the operation
    /// that failed), or reads an array that has no value (a placeholder of
    /// another `Function` being traced).
    pub fn new(
        input_types: &[TensorType],
        f: impl FnOnce(&[Array]) -> Vec<Array>,
    ) -> Result<Function> {
        let placeholders: Vec<Array> = input_types
            .iter()
            .cloned()
            .map(Array::placeholder)
            .collect();
        let outputs = {
            let _tracing = Tracing::start();
            f(&placeholders)
        };
        for output in &outputs {
            output.checked_type()?;
        }
        let roots: Vec<&Array> = outputs.iter().collect();
        let boundaries: Vec<&Array> = placeholders.iter().collect();
        let traced = trace(&roots, &boundaries);
        let captured = traced.leaves[placeholders.len()..]
            .iter()
            .map(Array::value)
            .collect::<Result<Vec<_>>>()?;
        let program = crate::runtime::compile(&traced.graph)?;
        Ok(Function {
            graph: traced.graph,
            input_types: input_types.to_vec(),
            captured,
            program,
        })
    }

    /// Runs the function on `inputs` (one per input type, evaluated first if
    /// pending) and returns its outputs, realized. A wrong number of inputs,
    /// or an input of another shape or dtype, is an error.
    ///
    /// Called while another closure is traced (inside [`Function::new`] or
    /// a derivative such as `grad`), the function's graph is inlined into
    /// that trace instead: the outputs are lazy arrays over `inputs`.
    #[track_caller]
    pub fn call(&self, inputs: &[Array]) -> Result<Vec<Array>> {
        if inputs.len() != self.input_types.len() {
            return Err(Error::invalid(
                "Function::call",
                format!(
                    "the function takes {} inputs, {} were given",
                    self.input_types.len(),
                    inputs.len()
                ),
            ));
        }
        for (k, (input, expected)) in inputs.iter().zip(&self.input_types).enumerate() {
            let ty = input.checked_type()?;
            if ty != expected {
                return Err(Error::invalid(
                    "Function::call",
                    format!("input {k} must be {expected}, got {ty}"),
                ));
            }
        }
        if Tracing::active() {
            return Ok(self.inline(inputs));
        }
        let mut values = crate::array::eval::values(inputs)?;
        values.extend(self.captured.iter().cloned());
        let outputs = match crate::runtime::backend() {
            Backend::Jit => crate::runtime::run(&self.program, &self.graph, &values)?,
            Backend::Interpreter => run_graph(&self.graph, &values, Backend::Interpreter)?,
        };
        Ok(outputs.into_iter().map(Array::from_tensor).collect())
    }

    /// The function's graph rebuilt as lazy arrays over `inputs` (already
    /// checked against the input types): how a call inside another trace
    /// (a `Function` being built, or a closure being differentiated)
    /// becomes part of that trace, so the functions compose and
    /// differentiate through each other.
    #[track_caller]
    fn inline(&self, inputs: &[Array]) -> Vec<Array> {
        let mut arrays: Vec<Array> = Vec::with_capacity(self.graph.len());
        for node in self.graph.nodes() {
            let array = match node.op {
                Op::Input(k) if k < inputs.len() => inputs[k].clone(),
                Op::Input(k) => Array::from_tensor(self.captured[k - inputs.len()].clone()),
                ref op => {
                    let args: Vec<&Array> = node.args.iter().map(|a| &arrays[a.index()]).collect();
                    Array::apply(op.clone(), &args)
                }
            };
            arrays.push(array);
        }
        self.graph
            .outputs()
            .iter()
            .map(|output| arrays[output.index()].clone())
            .collect()
    }

    /// The traced graph (inputs: the arguments, then the captured arrays).
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// The type of each argument.
    pub fn input_types(&self) -> &[TensorType] {
        &self.input_types
    }
}
