//! What `ndjit bench` measured, and the aligned table that prints it (the
//! JSON form is in `json.rs`).

use super::timing::{human, Timing};
use ndjit::ir::TensorType;
use std::fmt::Write;
use std::time::Duration;

/// The measurements of one `ndjit bench` run.
#[derive(Clone, Debug)]
pub struct Report {
    /// The expression.
    pub expression: String,
    /// Each input's name and type.
    pub inputs: Vec<(String, TensorType)>,
    /// The result's type.
    pub result: TensorType,
    /// Bytes of the inputs and the result: what one evaluation must move.
    pub bytes: usize,
    /// The most threads a kernel used.
    pub threads: usize,
    /// Timed runs per backend (after one warm-up).
    pub repeats: usize,
    /// The reference interpreter, one op at a time.
    pub eager: Timing,
    /// Fused JIT kernels (a program cache hit; compiled by the warm-up).
    pub jit: Timing,
    /// Time the first JIT evaluation spent optimizing, scheduling and compiling.
    pub compile_time: Duration,
    /// Kernels the first JIT evaluation compiled.
    pub kernels_compiled: u64,
    /// The median JIT evaluation time on 2-element inputs (building,
    /// tracing, cache look-up and dispatch), or why it was not measured.
    pub cache_hit_overhead: Result<Duration, String>,
}

/// Timed runs of the cache-hit overhead (each takes microseconds).
pub const OVERHEAD_REPEATS: usize = 100;

impl Report {
    /// Effective bandwidth in GB/s at the median time.
    pub(super) fn gigabytes_per_second(&self, timing: &Timing) -> f64 {
        self.bytes as f64 / timing.median.as_secs_f64() / 1e9
    }

    /// How many times faster fused JIT is than eager, at the medians.
    pub(super) fn speedup(&self) -> f64 {
        self.eager.median.as_secs_f64() / self.jit.median.as_secs_f64()
    }

    /// The human-readable table.
    pub fn table(&self) -> String {
        let inputs: Vec<String> = (self.inputs.iter())
            .map(|(name, ty)| format!("{name}: {ty}"))
            .collect();
        let mut text = format!("ndjit bench: {}\n", self.expression);
        let _ = writeln!(text, "inputs    {}", inputs.join(", "));
        let _ = writeln!(text, "result    {}", self.result);
        let _ = writeln!(
            text,
            "traffic   {} (inputs + result); up to {} thread{}; median of {} run{} after a warm-up\n",
            human_bytes(self.bytes),
            self.threads,
            plural(self.threads),
            self.repeats,
            plural(self.repeats),
        );
        let _ = writeln!(
            text,
            "{:<10}{:>11}{:>11}{:>11}{:>9}",
            "", "median", "min", "max", "GB/s"
        );
        for (name, timing) in [("eager", &self.eager), ("fused JIT", &self.jit)] {
            let _ = writeln!(
                text,
                "{name:<10}{:>11}{:>11}{:>11}{:>9.2}",
                human(timing.median),
                human(timing.min),
                human(timing.max),
                self.gigabytes_per_second(timing)
            );
        }
        let _ = writeln!(text, "{:<10}{:>10.2}x\n", "speedup", self.speedup());
        let _ = writeln!(
            text,
            "compile time         {} ({} kernel{} compiled)",
            human(self.compile_time),
            self.kernels_compiled,
            plural(self.kernels_compiled as usize)
        );
        let _ = match &self.cache_hit_overhead {
            Ok(overhead) => writeln!(
                text,
                "cache-hit overhead   {} (2-element inputs, median of {OVERHEAD_REPEATS} runs)",
                human(*overhead)
            ),
            Err(why) => writeln!(text, "cache-hit overhead   n/a ({why})"),
        };
        text
    }
}

/// A byte count in decimal units: `32.0 kB`, `320.0 MB`, `8.00 TB`.
pub(super) fn human_bytes(bytes: usize) -> String {
    let bytes = bytes as f64;
    if bytes < 1e3 {
        format!("{bytes} B")
    } else if bytes < 1e6 {
        format!("{:.1} kB", bytes / 1e3)
    } else if bytes < 1e9 {
        format!("{:.1} MB", bytes / 1e6)
    } else if bytes < 1e12 {
        format!("{:.2} GB", bytes / 1e9)
    } else {
        format!("{:.2} TB", bytes / 1e12)
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use ndjit::DType;

    /// A report of made-up measurements.
    pub fn report() -> Report {
        let ms = Duration::from_millis;
        let ty = TensorType::new([1000], DType::F64);
        Report {
            expression: "a*\"b\"".into(),
            inputs: vec![("a".into(), ty.clone())],
            result: ty,
            bytes: 16_000,
            threads: 2,
            repeats: 3,
            eager: Timing {
                median: ms(4),
                min: ms(3),
                max: ms(5),
            },
            jit: Timing {
                median: ms(1),
                min: ms(1),
                max: ms(2),
            },
            compile_time: ms(2),
            kernels_compiled: 1,
            cache_hit_overhead: Err("the expression needs larger inputs".into()),
        }
    }

    #[test]
    fn table_lines_up() {
        let table = report().table();
        assert!(
            table.contains("\n               median        min        max     GB/s\n"),
            "{table}"
        );
        assert!(
            table.contains("\neager         4.00 ms    3.00 ms    5.00 ms     0.00\n"),
            "{table}"
        );
        assert!(table.contains("\nspeedup         4.00x\n"), "{table}");
        assert!(
            table
                .contains("traffic   16.0 kB (inputs + result); up to 2 threads; median of 3 runs"),
            "{table}"
        );
        assert!(
            table.contains("cache-hit overhead   n/a (the expression needs larger inputs)"),
            "{table}"
        );
    }
}
