//! The command line shared by the commands that take an expression
//! (`ir`, `bench`): one expression, `--shape` declarations and `--dtype`.

use super::variables::{unknown_dtype, Variable};
use super::CliError;
use clap::Args;
use ndjit::DType;

/// What every expression command reads.
#[derive(Args, Clone, Debug, PartialEq)]
pub struct ExpressionArguments {
    /// The expression: NumPy code without `np.`, e.g. "exp(-x*x) + 1"
    /// (it may start with `-`, as in -x**2)
    #[arg(value_name = "EXPR", allow_hyphen_values = true)]
    pub expression: String,
    /// Declare the input NAME with these extents (and dtype); repeat for
    /// each input. `NAME=` declares a 0-d input
    #[arg(long = "shape", value_name = "NAME=D1,D2,...[:DTYPE]", value_parser = Variable::parse)]
    pub variables: Vec<Variable>,
    /// The dtype of inputs declared without one: f64, f32, i64, i32, bool
    #[arg(long, value_name = "DTYPE", default_value = "f64", value_parser = dtype)]
    pub dtype: DType,
}

impl ExpressionArguments {
    /// Checks what one option's value cannot show: that no variable is
    /// declared twice.
    pub fn validate(&self) -> Result<(), CliError> {
        for (k, variable) in self.variables.iter().enumerate() {
            if self.variables[..k].iter().any(|v| v.name == variable.name) {
                return Err(CliError::usage(format!(
                    "variable `{}` is declared twice",
                    variable.name
                )));
            }
        }
        Ok(())
    }
}

/// Reads a dtype name.
fn dtype(text: &str) -> Result<DType, String> {
    DType::parse(text).ok_or_else(|| unknown_dtype(text))
}

/// Reads a positive integer option value.
pub fn positive_integer(text: &str) -> Result<usize, String> {
    text.parse::<usize>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("a positive integer is needed, not `{text}`"))
}
