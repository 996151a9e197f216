//! `ndjit ir EXPR [--shape NAME=D1,D2,...[:DTYPE]]... [--dtype DTYPE] [--dot]`:
//! prints every pipeline stage for an expression.

use super::build::build;
use super::expr::parse;
use super::stages::{Format, STAGES};
use super::variables::{unknown_dtype, Variable};
use super::CliError;
use crate::array::eval::trace;
use crate::{Array, DType};
use std::collections::HashMap;
use std::io::Write;

/// The parsed command line of `ndjit ir`.
#[derive(Clone, Debug, PartialEq)]
pub struct IrCommand {
    /// The expression.
    pub expression: String,
    /// The declared inputs.
    pub variables: Vec<Variable>,
    /// The dtype of inputs declared without one.
    pub dtype: DType,
    /// Text form or Graphviz.
    pub format: Format,
}

impl IrCommand {
    /// Reads the arguments after `ir`. Options are `--name value` or
    /// `--name=value`; the one argument that is not an option (it may start
    /// with a single `-`, as in `-x**2`) is the expression; `--` ends the options.
    pub fn from_args(args: &[String]) -> Result<IrCommand, CliError> {
        let mut expression = None;
        let mut variables: Vec<Variable> = Vec::new();
        let mut dtype = DType::F64;
        let mut format = Format::Text;
        let mut rest = args.iter();
        let mut options_ended = false;
        while let Some(arg) = rest.next() {
            if options_ended || !arg.starts_with("--") {
                if expression.replace(arg.clone()).is_some() {
                    return Err(CliError::Usage(format!(
                        "`ir` takes one expression; `{arg}` is a second one (quote the expression)"
                    )));
                }
                continue;
            }
            let (option, inline_value) = match arg.split_once('=') {
                Some((option, value)) => (option, Some(value.to_string())),
                None => (arg.as_str(), None),
            };
            let mut value = || {
                inline_value
                    .clone()
                    .or_else(|| rest.next().cloned())
                    .ok_or_else(|| CliError::Usage(format!("{option} needs a value")))
            };
            match option {
                "--" => options_ended = true,
                "--shape" => {
                    let variable = Variable::parse(&value()?).map_err(CliError::Usage)?;
                    if variables.iter().any(|v| v.name == variable.name) {
                        return Err(CliError::Usage(format!(
                            "variable `{}` is declared twice",
                            variable.name
                        )));
                    }
                    variables.push(variable);
                }
                "--dtype" => {
                    let name = value()?;
                    dtype =
                        DType::parse(&name).ok_or_else(|| CliError::Usage(unknown_dtype(&name)))?;
                }
                "--dot" => format = Format::Dot,
                _ => {
                    return Err(CliError::Usage(format!(
                        "unknown option `{option}` for `ir`"
                    )))
                }
            }
        }
        let expression = expression.ok_or_else(|| {
            CliError::Usage(
                "`ir` needs an expression, e.g. ndjit ir \"exp(x) + 1\" --shape x=8".into(),
            )
        })?;
        Ok(IrCommand {
            expression,
            variables,
            dtype,
            format,
        })
    }

    /// Builds the expression over placeholder inputs and prints each stage.
    pub fn run(&self, out: &mut dyn Write) -> Result<(), CliError> {
        let source = &self.expression;
        let expr = parse(source).map_err(|error| CliError::Failed(error.render(source)))?;
        // Variables are placeholders: typed inputs with no data behind them.
        let mut arrays = HashMap::new();
        let mut placeholders = Vec::new();
        for variable in &self.variables {
            let ty = variable.tensor_type(self.dtype).map_err(CliError::Failed)?;
            let placeholder = Array::placeholder(ty);
            arrays.insert(variable.name.clone(), placeholder.clone());
            placeholders.push(placeholder);
        }
        let result =
            build(&expr, &arrays).map_err(|error| CliError::Failed(error.render(source)))?;
        let boundaries: Vec<&Array> = placeholders.iter().collect();
        let traced = trace(&[&result], &boundaries);
        let comment = self.format.comment();
        // Variable k is graph input k.
        let inputs: Vec<String> = self
            .variables
            .iter()
            .zip(traced.graph.inputs())
            .map(|(variable, id)| format!("{} = {id}", variable.name))
            .collect();
        let mut text = format!("{comment} expression: {source}\n");
        if !inputs.is_empty() {
            text += &format!("{comment} inputs: {}\n", inputs.join(", "));
        }
        let result_type = traced.graph.ty(traced.graph.outputs()[0]);
        text += &format!("{comment} result: {result_type}\n");
        for stage in STAGES {
            let rendered = (stage.render)(&traced.graph, self.format)
                .map_err(|e| CliError::Failed(format!("error: {e}")))?;
            text += &format!("\n{comment} {}\n{rendered}", stage.name);
        }
        out.write_all(text.as_bytes()).map_err(CliError::output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_options_in_any_order() {
        let command = IrCommand::from_args(&args(&[
            "--dtype",
            "f32",
            "-x**2",
            "--shape",
            "x=8",
            "--shape=y=2,3:f64",
            "--dot",
        ]))
        .unwrap();
        assert_eq!(command.expression, "-x**2");
        assert_eq!(command.dtype, DType::F32);
        assert_eq!(command.format, Format::Dot);
        assert_eq!(command.variables.len(), 2);
        assert_eq!(command.variables[1].dtype, Some(DType::F64));
        let after_dashes = IrCommand::from_args(&args(&["--", "--x"])).unwrap();
        assert_eq!(after_dashes.expression, "--x");
    }

    #[test]
    fn rejects_malformed_command_lines() {
        let usage = |list: &[&str]| match IrCommand::from_args(&args(list)) {
            Err(CliError::Usage(message)) => message,
            other => panic!("expected a usage error, got {other:?}"),
        };
        assert!(usage(&[]).contains("needs an expression"));
        assert!(usage(&["x", "y"]).contains("second one"));
        assert!(usage(&["x", "--shape"]).contains("--shape needs a value"));
        assert!(usage(&["x", "--frobnicate"]).contains("unknown option"));
        assert!(usage(&["x", "--dtype", "f16"]).contains("unknown dtype"));
        assert!(usage(&["x", "--shape", "x=1", "--shape", "x=2"]).contains("declared twice"));
    }

    #[test]
    fn prints_the_header_and_the_traced_graph() {
        let command = IrCommand::from_args(&args(&[
            "sin(y) * x",
            "--shape",
            "x=8",
            "--shape",
            "y=8",
            "--shape",
            "z=3",
        ]))
        .unwrap();
        let mut out = Vec::new();
        command.run(&mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(
            out.starts_with("; expression: sin(y) * x\n; inputs: "),
            "{out}"
        );
        assert!(out.contains("; inputs: x = %0, y = %1, z = %2\n"), "{out}");
        assert!(
            out.contains("; result: f64[8]\n\n; traced graph\ngraph(%"),
            "{out}"
        );
        assert!(
            out.contains(" = sin %") && out.contains(" = mul %"),
            "{out}"
        );
    }
}
