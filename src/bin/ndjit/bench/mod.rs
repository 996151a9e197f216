//! `ndjit bench EXPR --shape NAME=D1,... [--dtype DTYPE] [--threads N]
//! [--repeats K] [--json]`: times an expression on random data, eager
//! (the reference interpreter) against fused JIT kernels.
//!
//! Every timed run builds the expression afresh from the parsed syntax
//! tree over the same input arrays and evaluates it, as a user's program
//! would: the JIT time includes tracing and the program cache look-up.

mod data;
mod json;
mod memory;
mod report;
mod timing;

pub use report::Report;

use super::arguments::{positive_integer, ExpressionArguments};
use super::build::build;
use super::expr::{parse, Expr};
use super::CliError;
use clap::Args;
use ndjit::ir::TensorType;
use ndjit::runtime::{set_max_threads, thread_count, Backend};
use ndjit::{eval_many_with, stats, Array};
use report::OVERHEAD_REPEATS;
use std::collections::HashMap;
use std::io::Write;
use timing::time_runs;

/// The command line of `ndjit bench`.
#[derive(Args, Clone, Debug, PartialEq)]
pub struct BenchCommand {
    /// The expression and its inputs.
    #[command(flatten)]
    pub arguments: ExpressionArguments,
    /// Use at most N threads per kernel [default: all cores]
    #[arg(long, value_name = "N", value_parser = positive_integer)]
    pub threads: Option<usize>,
    /// Timed runs per backend, after one warm-up
    #[arg(long, value_name = "K", default_value_t = 10, value_parser = repeat_count)]
    pub repeats: usize,
    /// Print one JSON object instead of a table
    #[arg(long)]
    pub json: bool,
}

/// The most timed runs per backend: each run's time is kept to take the
/// median, and a million runs is far past any use.
const MAX_REPEATS: usize = 1_000_000;

/// Reads `--repeats`: a positive integer up to [`MAX_REPEATS`].
fn repeat_count(text: &str) -> Result<usize, String> {
    let repeats = positive_integer(text)?;
    if repeats > MAX_REPEATS {
        return Err(format!(
            "at most {MAX_REPEATS} runs (each run's time is kept for the median), not {repeats}"
        ));
    }
    Ok(repeats)
}

impl BenchCommand {
    /// Measures and prints the report.
    pub fn run(&self, out: &mut dyn Write) -> Result<(), CliError> {
        self.arguments.validate()?;
        let report = self.measure()?;
        let text = if self.json {
            report.json() + "\n"
        } else {
            report.table()
        };
        out.write_all(text.as_bytes()).map_err(CliError::output)
    }

    /// Runs the benchmark.
    pub fn measure(&self) -> Result<Report, CliError> {
        let source = &self.arguments.expression;
        let expr = parse(source).map_err(|error| CliError::Failed(error.render(source)))?;
        let types = (self.arguments.variables.iter())
            .map(|variable| variable.tensor_type(self.arguments.dtype))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|message| CliError::Failed(format!("error: {message}")))?;
        if let Some(threads) = self.threads {
            set_max_threads(threads);
        }
        // The result's type, from placeholders: nothing is allocated
        // until the memory it needs is known to be there.
        let placeholders = (self.arguments.variables.iter().zip(&types))
            .map(|(variable, ty)| (variable.name.clone(), Array::placeholder(ty.clone())))
            .collect();
        let probe = Inputs(placeholders).build(&expr, source)?;
        let result = TensorType::new(probe.shape(), probe.dtype());
        let bytes = memory::bytes_needed(&types, &result)
            .map_err(|message| CliError::Failed(format!("error: {message}")))?;
        let full = Inputs::random(&self.arguments, &types);

        // The first JIT evaluation compiles (and is the JIT warm-up).
        let before = stats();
        full.evaluate(&expr, source, Backend::Jit)?;
        let after = stats();
        let jit = time_runs(self.repeats, || full.evaluate(&expr, source, Backend::Jit))?;
        full.evaluate(&expr, source, Backend::Interpreter)?;
        let eager = time_runs(self.repeats, || {
            full.evaluate(&expr, source, Backend::Interpreter)
        })?;

        let tiny_types: Vec<TensorType> = (types.iter())
            .map(|ty| {
                let dims = ty
                    .shape
                    .dims()
                    .iter()
                    .map(|&d| d.min(2))
                    .collect::<Vec<_>>();
                TensorType::new(dims, ty.dtype)
            })
            .collect();
        let tiny = Inputs::random(&self.arguments, &tiny_types);
        let cache_hit_overhead = match tiny.build(&expr, source) {
            Err(_) => Err("the expression does not build on inputs of at most 2 per axis".into()),
            Ok(_) => {
                tiny.evaluate(&expr, source, Backend::Jit)?;
                let overhead = time_runs(OVERHEAD_REPEATS, || {
                    tiny.evaluate(&expr, source, Backend::Jit)
                })?;
                Ok(overhead.median)
            }
        };

        Ok(Report {
            expression: source.clone(),
            inputs: (self.arguments.variables.iter())
                .map(|v| v.name.clone())
                .zip(types)
                .collect(),
            result,
            bytes,
            threads: thread_count(),
            repeats: self.repeats,
            eager,
            jit,
            compile_time: after.compile_time.saturating_sub(before.compile_time),
            kernels_compiled: after.kernels_compiled - before.kernels_compiled,
            cache_hit_overhead,
        })
    }
}

/// Realized input arrays with random data, by variable name.
struct Inputs(HashMap<String, Array>);

impl Inputs {
    /// One array of type `types[k]` for variable `k`, seeded by `k`.
    fn random(arguments: &ExpressionArguments, types: &[TensorType]) -> Inputs {
        let arrays = (arguments.variables.iter().zip(types).enumerate())
            .map(|(k, (variable, ty))| {
                let tensor = data::random_tensor(ty, k as u64);
                (variable.name.clone(), Array::from_tensor(tensor))
            })
            .collect();
        Inputs(arrays)
    }

    /// The expression over these inputs (lazy: nothing is computed).
    fn build(&self, expr: &Expr, source: &str) -> Result<Array, CliError> {
        build(expr, &self.0).map_err(|error| CliError::Failed(error.render(source)))
    }

    /// Builds the expression and evaluates it with `backend`; returns the
    /// value, so that the caller decides when its memory is freed.
    fn evaluate(&self, expr: &Expr, source: &str, backend: Backend) -> Result<Array, CliError> {
        let array = self.build(expr, source)?;
        eval_many_with(std::slice::from_ref(&array), backend)
            .map_err(|error| CliError::Failed(format!("error: {error}")))?;
        Ok(array)
    }
}
