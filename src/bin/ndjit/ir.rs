//! `ndjit ir EXPR [--shape NAME=D1,D2,...[:DTYPE]]... [--dtype DTYPE]
//! [--stage NAME] [--fast-math] [--grad NAME] [--graphviz]`: prints every
//! pipeline stage for an expression (or for its gradient).

use super::arguments::ExpressionArguments;
use super::build::build;
use super::expr::parse;
use super::gradient::gradient_graph;
use super::stages::{Format, Pipeline, Stage};
use super::CliError;
use clap::Args;
use ndjit::ir::passes::OptimizeOptions;
use ndjit::{trace_with_inputs, Array};
use std::collections::HashMap;
use std::io::Write;

/// The command line of `ndjit ir`.
#[derive(Args, Clone, Debug, PartialEq)]
pub struct IrCommand {
    /// The expression and its inputs.
    #[command(flatten)]
    pub arguments: ExpressionArguments,
    /// Print only this stage
    #[arg(long, value_enum, value_name = "STAGE")]
    pub stage: Option<Stage>,
    /// Let the optimizer reassociate and assume no NaN or infinity
    #[arg(long)]
    pub fast_math: bool,
    /// Print the gradient with respect to input NAME instead (of the
    /// expression's sum, if it is not 0-d)
    #[arg(long, value_name = "NAME")]
    pub grad: Option<String>,
    /// Print the optimized graph (or the --stage traced graph) in
    /// Graphviz's DOT language
    #[arg(long, visible_alias = "dot")]
    pub graphviz: bool,
}

impl IrCommand {
    /// Text form or Graphviz.
    fn format(&self) -> Format {
        if self.graphviz {
            Format::Graphviz
        } else {
            Format::Text
        }
    }

    /// The stages to print: the one asked for; else, for Graphviz, the
    /// optimized graph; else all of them.
    fn stages(&self) -> Vec<Stage> {
        match (self.stage, self.format()) {
            (Some(stage), _) => vec![stage],
            (None, Format::Graphviz) => vec![Stage::Optimized],
            (None, Format::Text) => Stage::ALL.to_vec(),
        }
    }

    /// Builds the expression over placeholder inputs and prints the stages.
    pub fn run(&self, out: &mut dyn Write) -> Result<(), CliError> {
        self.arguments.validate()?;
        let source = &self.arguments.expression;
        let expr = parse(source).map_err(|error| CliError::Failed(error.render(source)))?;
        // Variables are placeholders: typed inputs with no data behind them.
        let mut arrays = HashMap::new();
        let mut placeholders = Vec::new();
        for variable in &self.arguments.variables {
            let ty = variable
                .tensor_type(self.arguments.dtype)
                .map_err(CliError::Failed)?;
            let placeholder = Array::placeholder(ty);
            arrays.insert(variable.name.clone(), placeholder.clone());
            placeholders.push(placeholder);
        }
        let result =
            build(&expr, &arrays).map_err(|error| CliError::Failed(error.render(source)))?;
        let comment = self.format().comment();
        let mut text = format!("{comment} expression: {source}\n");
        let graph = match &self.grad {
            Some(name) => {
                let wrt = (self.arguments.variables.iter())
                    .position(|v| &v.name == name)
                    .ok_or_else(|| {
                        CliError::usage(format!(
                            "--grad {name}: `{name}` is not a declared variable (declare it with --shape)"
                        ))
                    })?;
                let (graph, what) = gradient_graph(&result, &placeholders, wrt, name)?;
                text += &format!("{comment} {what}\n");
                graph
            }
            None => {
                let boundaries: Vec<&Array> = placeholders.iter().collect();
                trace_with_inputs(&[&result], &boundaries)
                    .map_err(|error| CliError::Failed(format!("error: {error}")))?
            }
        };
        // Variable k is graph input k.
        let inputs: Vec<String> = (self.arguments.variables.iter())
            .zip(graph.inputs())
            .map(|(variable, id)| format!("{} = {id}", variable.name))
            .collect();
        if !inputs.is_empty() {
            text += &format!("{comment} inputs: {}\n", inputs.join(", "));
        }
        text += &format!("{comment} result: {}\n", graph.ty(graph.outputs()[0]));
        let options = OptimizeOptions {
            fast_math: self.fast_math,
        };
        let pipeline = Pipeline::new(graph, &options);
        for stage in self.stages() {
            let rendered = pipeline.render(stage, self.format())?;
            text += &format!("\n{comment} {}\n{rendered}", stage.title());
        }
        out.write_all(text.as_bytes()).map_err(CliError::output)
    }
}

#[cfg(test)]
mod tests;
