//! The command line shared by the commands that take an expression
//! (`ir`, `bench`): one expression, `--shape` declarations, `--dtype`, and
//! the command's own options.

use super::variables::{unknown_dtype, Variable};
use super::CliError;
use ndjit::DType;

/// What every expression command reads.
#[derive(Clone, Debug, PartialEq)]
pub struct ExpressionArguments {
    /// The expression.
    pub expression: String,
    /// The declared inputs, in command-line order.
    pub variables: Vec<Variable>,
    /// The dtype of inputs declared without one.
    pub dtype: DType,
}

/// Reads the arguments after `command`. Options are `--name value` or
/// `--name=value`; the one argument that is not an option (it may start
/// with a single `-`, as in `-x**2`) is the expression; `--` ends the
/// options. `--shape` and `--dtype` are read here; every other option goes
/// to `option(name, value)`, which returns whether it knows the option and
/// calls `value` for the option's value if it takes one.
pub fn parse_arguments(
    command: &str,
    args: &[String],
    mut option: impl FnMut(&str, &mut dyn FnMut() -> Result<String, CliError>) -> Result<bool, CliError>,
) -> Result<ExpressionArguments, CliError> {
    let mut expression = None;
    let mut variables: Vec<Variable> = Vec::new();
    let mut dtype = DType::F64;
    let mut rest = args.iter();
    let mut options_ended = false;
    while let Some(arg) = rest.next() {
        if options_ended || !arg.starts_with("--") {
            if expression.replace(arg.clone()).is_some() {
                return Err(CliError::Usage(format!(
                    "`{command}` takes one expression; `{arg}` is a second one (quote the expression)"
                )));
            }
            continue;
        }
        let (name, inline_value) = match arg.split_once('=') {
            Some((name, value)) => (name, Some(value.to_string())),
            None => (arg.as_str(), None),
        };
        let mut value = || {
            inline_value
                .clone()
                .or_else(|| rest.next().cloned())
                .ok_or_else(|| CliError::Usage(format!("{name} needs a value")))
        };
        match name {
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
                let text = value()?;
                dtype = DType::parse(&text).ok_or_else(|| CliError::Usage(unknown_dtype(&text)))?;
            }
            _ => {
                if !option(name, &mut value)? {
                    return Err(CliError::Usage(format!(
                        "unknown option `{name}` for `{command}`"
                    )));
                }
            }
        }
    }
    let expression = expression.ok_or_else(|| {
        CliError::Usage(format!(
            "`{command}` needs an expression, e.g. ndjit {command} \"exp(x) + 1\" --shape x=8"
        ))
    })?;
    Ok(ExpressionArguments {
        expression,
        variables,
        dtype,
    })
}

/// Reads a positive integer option value.
pub fn positive_integer(name: &str, text: &str) -> Result<usize, CliError> {
    text.parse::<usize>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| CliError::Usage(format!("{name} needs a positive integer, not `{text}`")))
}
