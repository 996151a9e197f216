//! The stages of the compiler that `ndjit ir` and the tour print, in
//! pipeline order: the traced graph, the optimized graph, the kernel
//! schedule and the Cranelift IR of each kernel.

use super::CliError;
use ndjit::ir::passes::{optimize, OptimizeOptions};
use ndjit::ir::schedule::{schedule, Schedule, Step};
use ndjit::ir::Graph;

/// How graphs are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The IR text form (or each stage's own text).
    Text,
    /// Graphviz's DOT language (only the graph stages have it).
    Graphviz,
}

impl Format {
    /// What starts a comment line in this format.
    pub fn comment(self) -> &'static str {
        match self {
            Format::Text => ";",
            Format::Graphviz => "//",
        }
    }
}

/// One pipeline stage; `--stage` takes its name in lower case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Stage {
    /// The graph as the array operations recorded it.
    Traced,
    /// The graph after the optimizer's passes.
    Optimized,
    /// The optimized graph cut into fused kernels and library calls.
    Schedule,
    /// The Cranelift IR generated for each kernel.
    Clif,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 4] = [
        Stage::Traced,
        Stage::Optimized,
        Stage::Schedule,
        Stage::Clif,
    ];

    /// The heading printed above the stage.
    pub fn title(self) -> &'static str {
        match self {
            Stage::Traced => "traced graph",
            Stage::Optimized => "optimized graph",
            Stage::Schedule => "kernel schedule",
            Stage::Clif => "Cranelift IR",
        }
    }
}

/// A traced graph taken through the pipeline: what every stage prints.
pub struct Pipeline {
    traced: Graph,
    optimized: Graph,
    schedule: Schedule,
}

impl Pipeline {
    /// Optimizes and schedules `traced`.
    pub fn new(traced: Graph, options: &OptimizeOptions) -> Pipeline {
        let optimized = optimize(&traced, options);
        let schedule = schedule(&optimized);
        Pipeline {
            traced,
            optimized,
            schedule,
        }
    }

    /// The stage's output in `format`: a usage error for a stage that has
    /// no such form, a failure if code generation fails (a bug of ndjit).
    pub fn render(&self, stage: Stage, format: Format) -> Result<String, CliError> {
        match (stage, format) {
            (Stage::Traced, Format::Text) => Ok(self.traced.dump()),
            (Stage::Traced, Format::Graphviz) => Ok(self.traced.to_graphviz()),
            (Stage::Optimized, Format::Text) => Ok(self.optimized.dump()),
            (Stage::Optimized, Format::Graphviz) => Ok(self.optimized.to_graphviz()),
            (Stage::Schedule, Format::Text) => Ok(self.schedule.dump()),
            (Stage::Clif, Format::Text) => self
                .cranelift_ir()
                .map_err(|error| CliError::Failed(format!("error: {error}"))),
            (Stage::Schedule | Stage::Clif, Format::Graphviz) => Err(CliError::usage(format!(
                "the {} has no Graphviz form (--graphviz prints the traced or optimized graph)",
                stage.title()
            ))),
        }
    }

    /// The Cranelift IR of each kernel, in schedule order, each under a
    /// comment naming its step; library calls have none.
    fn cranelift_ir(&self) -> ndjit::Result<String> {
        let mut text = String::new();
        for (index, step) in self.schedule.steps.iter().enumerate() {
            match step {
                Step::Kernel(kernel) => {
                    let dims: Vec<String> = kernel.shape.iter().map(|d| d.to_string()).collect();
                    text += &format!("; step {index}: kernel [{}]\n", dims.join(", "));
                    text += &ndjit::codegen::cranelift_ir(kernel)?;
                }
                Step::RowBlocks(blocks) => {
                    for (k, kernel) in blocks.kernels.iter().enumerate() {
                        let dims: Vec<String> =
                            kernel.shape.iter().map(|d| d.to_string()).collect();
                        text += &format!(
                            "; step {index}: row blocks over {} rows, kernel {k} [{}]\n",
                            blocks.rows,
                            dims.join(", ")
                        );
                        text += &ndjit::codegen::cranelift_ir(kernel)?;
                    }
                }
                Step::Library { op, .. } => {
                    text += &format!("; step {index}: library {op:?} (no generated code)\n");
                }
            }
        }
        if self.schedule.steps.is_empty() {
            text += "; no kernels: the result is an input or a constant\n";
        }
        Ok(text)
    }
}
