//! The `ndjit` command-line tool: `ndjit ir`, `ndjit bench`, `ndjit tour`,
//! `ndjit help` (the command line is read by clap, from the types below).
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

use clap::{Parser, Subcommand};
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

/// The command line: `ndjit [COMMAND]`.
#[derive(Parser, Debug)]
#[command(
    name = "ndjit",
    version,
    about = help::ABOUT,
    after_help = help::EXAMPLES,
    subcommand_value_name = "COMMAND"
)]
struct Cli {
    /// What to do (the tour if none)
    #[command(subcommand)]
    command: Option<Command>,
}

/// The commands.
#[derive(Subcommand, Debug)]
enum Command {
    /// Build, print and evaluate a few array expressions (the default)
    Tour,
    /// Print each compiler stage for a NumPy-like expression
    ///
    /// The stages: the traced graph, the optimized graph, the kernel
    /// schedule and the Cranelift IR of each kernel.
    #[command(after_help = help::EXPRESSIONS_SHORT, after_long_help = help::expressions())]
    Ir(ir::IrCommand),
    /// Time an expression on random data: eager interpreter vs fused JIT
    ///
    /// Inputs are random: floats uniform in [0, 1), integers in 1..=100,
    /// bools fair coin flips. Each backend runs once to warm up, then
    /// --repeats times.
    #[command(after_help = help::EXPRESSIONS_SHORT, after_long_help = help::expressions())]
    Bench(bench::BenchCommand),
}

/// Why a command did not succeed.
#[derive(Debug)]
pub enum CliError {
    /// The command line is malformed (unknown command or option, a bad or
    /// missing value): exit code 2.
    Usage(clap::Error),
    /// The command ran and failed (a bad expression, an evaluation error,
    /// output that could not be written), with the complete message: exit code 1.
    Failed(String),
}

impl CliError {
    /// A usage error that clap's parsing cannot see (one option's value
    /// against another's), worded as clap's own.
    pub fn usage(message: impl fmt::Display) -> CliError {
        CliError::Usage(clap::Error::raw(
            clap::error::ErrorKind::ValueValidation,
            format!("{message}\n\nFor more information, try '--help'.\n"),
        ))
    }

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
            CliError::Usage(error) => write!(f, "{}", error.render()),
            CliError::Failed(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for CliError {}

/// Runs the command given by `args` (without the program name), writing
/// its output (and `--help`, `--version`) to `out`.
pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let cli = match Cli::try_parse_from(
        std::iter::once("ndjit").chain(args.iter().map(String::as_str)),
    ) {
        Ok(cli) => cli,
        // `--help` and `--version` are "errors" that go to standard output.
        Err(error) if !error.use_stderr() => {
            return write!(out, "{}", error.render()).map_err(CliError::output)
        }
        Err(error) => return Err(CliError::Usage(error)),
    };
    match cli.command {
        None | Some(Command::Tour) => tour::run(out),
        Some(Command::Ir(command)) => command.run(out),
        Some(Command::Bench(command)) => command.run(out),
    }
}
