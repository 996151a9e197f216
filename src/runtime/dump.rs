//! `NDJIT_DUMP=<dir>`: every compiled program's stages, written to files.

use ndjit_ir::schedule::{Schedule, Step};
use ndjit_ir::Graph;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `programNNNN.{traced,optimized,schedule,clif}` into `dir`.
/// Dumping is a debugging aid: a failure to write is reported on stderr and
/// never fails the evaluation.
pub(crate) fn write(dir: &Path, traced: &Graph, optimized: &Graph, schedule: &Schedule) {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut clif = String::new();
    for kernel in schedule.steps.iter().flat_map(Step::kernels) {
        match crate::codegen::cranelift_ir(kernel) {
            Ok(text) => clif.push_str(&text),
            Err(error) => clif.push_str(&format!("; {error}\n")),
        }
        clif.push('\n');
    }
    let files = [
        ("traced", traced.dump()),
        ("optimized", optimized.dump()),
        ("schedule", schedule.dump()),
        ("clif", clif),
    ];
    let result = std::fs::create_dir_all(dir).and_then(|()| {
        files.iter().try_for_each(|(stage, text)| {
            std::fs::write(dir.join(format!("program{n:04}.{stage}")), text)
        })
    });
    if let Err(error) = result {
        eprintln!(
            "ndjit: NDJIT_DUMP: cannot write to {}: {error}",
            dir.display()
        );
    }
}
