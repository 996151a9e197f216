//! The `ndjit` command-line tool: `ndjit ir`, `ndjit bench`, `ndjit tour`,
//! `ndjit help`.
//!
//! The tool is this binary's own module tree, not part of the library's
//! API: it uses only the library's public surface. One file per job:
//! [`expr`] reads the expression language, [`build`] turns it into arrays,
//! [`arguments`] and [`variables`] read the command line, [`stages`] takes a
//! graph through the pipeline and prints each stage, and each command has
//! its file (`ir`, with [`gradient`]) or folder (`bench`).

mod arguments;
mod bench;
mod build;
mod expr;
mod gradient;
mod help;
mod ir;
mod source_error;
mod stages;
mod tour;
mod variables;

use std::fmt;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = Vec::new();
    for arg in std::env::args_os().skip(1) {
        match arg.into_string() {
            Ok(arg) => args.push(arg),
            Err(arg) => {
                eprintln!("error: argument {arg:?} is not valid UTF-8");
                return ExitCode::from(2);
            }
        }
    }
    let stdout = std::io::stdout();
    match run(&args, &mut stdout.lock()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(error.exit_code())
        }
    }
}

/// Why a command did not succeed.
#[derive(Debug)]
pub enum CliError {
    /// The command line is malformed (unknown command or option, missing
    /// value): exit code 2.
    Usage(String),
    /// The command ran and failed (a bad expression, an evaluation error,
    /// output that could not be written), with the complete message: exit code 1.
    Failed(String),
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Failed(_) => 1,
        }
    }

    /// An error writing the output.
    fn output(error: std::io::Error) -> CliError {
        CliError::Failed(format!("error: cannot write the output: {error}"))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(message) => {
                write!(f, "error: {message}\n(`ndjit help` shows the usage)")
            }
            CliError::Failed(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for CliError {}

/// Runs the command given by `args` (without the program name), writing
/// its output to `out`.
pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let Some((command, rest)) = args.split_first() else {
        return tour::run(out);
    };
    match command.as_str() {
        "tour" if rest.is_empty() => tour::run(out),
        "tour" => Err(CliError::Usage("`tour` takes no arguments".into())),
        "ir" => ir::IrCommand::from_args(rest)?.run(out),
        "bench" => bench::BenchCommand::from_args(rest)?.run(out),
        "help" | "--help" | "-h" => out
            .write_all(help::HELP.as_bytes())
            .map_err(CliError::output),
        "--version" | "-V" => {
            writeln!(out, "ndjit {}", env!("CARGO_PKG_VERSION")).map_err(CliError::output)
        }
        other => Err(CliError::Usage(format!("unknown command `{other}`"))),
    }
}
