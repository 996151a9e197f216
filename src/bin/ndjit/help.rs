//! The prose of `--help` that is not one option's line: what the tool is,
//! the expression language and examples. Each option's help is the doc
//! comment of its field (see `arguments.rs`, `ir.rs`, `bench/mod.rs`).

use crate::build::function_list;

/// Shown under `ndjit --help`.
pub const ABOUT: &str = "ndjit: NumPy and SciPy for Rust, built as a compiler.\n\n\
    Without a command, ndjit prints a short tour (the same as `ndjit tour`).";

/// Shown after the options of `ndjit --help`.
pub const EXAMPLES: &str = "\
Examples:
  ndjit ir \"exp(-x*x)*sin(y)+cos(z)\" --shape x=1000 --shape y=1000 --shape z=1000
  ndjit ir \"sum(x**2)\" --shape x=8 --grad x --stage optimized
  ndjit bench \"a*b+c\" --shape a=10000000 --shape b=10000000 --shape c=10000000

`ndjit ir --help` and `ndjit bench --help` describe the expression language.";

/// Shown after the options of `ndjit ir --help` and `ndjit bench --help`:
/// the expression language, with the functions of
/// [`FUNCTIONS`](crate::build) listed from that table.
pub fn expressions() -> String {
    let mut functions = String::new();
    for (k, line) in function_list().iter().enumerate() {
        let label = if k == 0 { "functions" } else { "" };
        functions += &wrap(&format!("  {label:<16}"), line);
    }
    format!(
        "\
Expressions are NumPy code without `np.` (quote them for the shell):
  literals        2  2.5  1e-3  None (as a new axis in an index, or axis=None)
  operators       + - * / // % **, unary -, < <= > >= == != (not chained),
                  & | (logical and/or), with Python's precedence: -x**2 is -(x**2)
  indexing        x[1:3, ::-1]  x[0]  x[:, None]  x.T
{functions}  axes            an axis is an integer or a tuple of integers; argmax and
                  argmin take one axis or None (the flattened array)

Examples:
  ndjit ir \"exp(-x*x)*sin(y)+cos(z)\" --shape x=1000 --shape y=1000 --shape z=1000
  ndjit bench \"a*b+c\" --shape a=10000000 --shape b=10000000 --shape c=10000000
"
    )
}

/// `text` after `first` (an indented label), wrapped to 80 columns with
/// continuation lines indented as far as `first` is long.
fn wrap(first: &str, text: &str) -> String {
    const WIDTH: usize = 80;
    let indent = " ".repeat(first.len());
    let mut out = String::new();
    let mut line = first.to_string();
    for word in text.split(' ') {
        if line.len() > indent.len() && line.len() + 1 + word.len() > WIDTH {
            out += line.trim_end();
            out.push('\n');
            line = indent.clone();
        } else if line.len() > indent.len() {
            line.push(' ');
        }
        line += word;
    }
    out + &line + "\n"
}

/// Shown after the options of `ndjit ir -h` and `ndjit bench -h`.
pub const EXPRESSIONS_SHORT: &str =
    "Expressions are NumPy code without `np.`; --help lists the operators and functions.";
