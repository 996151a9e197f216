//! `ndjit ir --grad NAME`: the graph of a gradient.

use super::CliError;
use ndjit::ir::{autodiff, Graph, Scalar};
use ndjit::{trace_with_inputs, Array};

/// The gradient graph of `result` with respect to `inputs[wrt]`, whose
/// only output is the gradient, and a line saying what is differentiated.
/// A result that is not 0-d is summed first (as `jax.grad` demands a
/// scalar, this picks the usual one). `inputs` are the graph's inputs, in
/// order; `name` is how the user calls `inputs[wrt]`.
pub fn gradient_graph(
    result: &Array,
    inputs: &[Array],
    wrt: usize,
    name: &str,
) -> Result<(Graph, String), CliError> {
    let fail = |message: String| CliError::Failed(format!("error: {message}"));
    if !result.dtype().is_float() {
        return Err(fail(format!(
            "the expression is {}; only float expressions have gradients",
            result.dtype()
        )));
    }
    if !inputs[wrt].dtype().is_float() {
        return Err(fail(format!(
            "`{name}` is {}; only float variables have gradients",
            inputs[wrt].dtype()
        )));
    }
    let (objective, what) = if result.ndim() == 0 {
        (result.clone(), "the expression".to_string())
    } else {
        let shape: Vec<String> = result.shape().iter().map(|d| d.to_string()).collect();
        (
            result.sum(..),
            format!(
                "the sum of the expression (it is {}[{}], not 0-d)",
                result.dtype(),
                shape.join(", ")
            ),
        )
    };
    let boundaries: Vec<&Array> = inputs.iter().collect();
    let mut graph =
        trace_with_inputs(&[&objective], &boundaries).map_err(|error| fail(error.to_string()))?;
    let value = graph.outputs()[0];
    let seed = graph.constant(Scalar::one(objective.dtype()));
    let input = graph.inputs()[wrt];
    let gradient = autodiff::vjp(&mut graph, &[value], &[seed], &[input])
        .map_err(|error| fail(error.to_string()))?;
    graph.set_outputs(gradient);
    Ok((graph, format!("gradient of {what} with respect to {name}")))
}
