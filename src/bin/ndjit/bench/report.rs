//! What `ndjit bench` measured, as an aligned table or as one JSON object.
//!
//! The JSON is written by hand: it is one flat object of numbers and a few
//! strings, which does not justify a serialization dependency.

use super::timing::{human, Timing};
use ndjit_ir::TensorType;
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
    fn gigabytes_per_second(&self, timing: &Timing) -> f64 {
        self.bytes as f64 / timing.median.as_secs_f64() / 1e9
    }

    /// How many times faster fused JIT is than eager, at the medians.
    fn speedup(&self) -> f64 {
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

    /// One JSON object; times in seconds, bandwidths in GB/s. A value that
    /// could not be measured (or is not finite) is `null`.
    pub fn json(&self) -> String {
        let inputs: Vec<String> = (self.inputs.iter())
            .map(|(name, ty)| format!("{{\"name\": {}, {}}}", string(name), type_fields(ty)))
            .collect();
        let timing = |timing: &Timing| {
            format!(
                "{{\"median_s\": {}, \"min_s\": {}, \"max_s\": {}, \"gb_per_s\": {}}}",
                number(timing.median.as_secs_f64()),
                number(timing.min.as_secs_f64()),
                number(timing.max.as_secs_f64()),
                number(self.gigabytes_per_second(timing))
            )
        };
        let overhead = match &self.cache_hit_overhead {
            Ok(overhead) => number(overhead.as_secs_f64()),
            Err(_) => "null".to_string(),
        };
        format!(
            "{{\"expression\": {}, \"inputs\": [{}], \"result\": {{{}}}, \"bytes\": {}, \
             \"threads\": {}, \"repeats\": {}, \"eager\": {}, \"jit\": {}, \"speedup\": {}, \
             \"compile_time_s\": {}, \"kernels_compiled\": {}, \"cache_hit_overhead_s\": {}}}\n",
            string(&self.expression),
            inputs.join(", "),
            type_fields(&self.result),
            self.bytes,
            self.threads,
            self.repeats,
            timing(&self.eager),
            timing(&self.jit),
            number(self.speedup()),
            number(self.compile_time.as_secs_f64()),
            self.kernels_compiled,
            overhead
        )
    }
}

/// A byte count in decimal units: `32.0 kB`, `320.0 MB`.
fn human_bytes(bytes: usize) -> String {
    let bytes = bytes as f64;
    if bytes < 1e3 {
        format!("{bytes} B")
    } else if bytes < 1e6 {
        format!("{:.1} kB", bytes / 1e3)
    } else if bytes < 1e9 {
        format!("{:.1} MB", bytes / 1e6)
    } else {
        format!("{:.2} GB", bytes / 1e9)
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// `"dtype": "f64", "shape": [2, 3]`.
fn type_fields(ty: &TensorType) -> String {
    let dims: Vec<String> = ty.shape.dims().iter().map(|d| d.to_string()).collect();
    format!(
        "\"dtype\": {}, \"shape\": [{}]",
        string(&ty.dtype.to_string()),
        dims.join(", ")
    )
}

/// A JSON number (Rust never prints an exponent for `f64`), or `null`.
fn number(value: f64) -> String {
    if value.is_finite() {
        value.to_string()
    } else {
        "null".to_string()
    }
}

/// A JSON string literal.
fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndjit::DType;

    fn report() -> Report {
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

    #[test]
    fn json_escapes_strings_and_writes_null_for_missing_values() {
        let json = report().json();
        assert!(json.starts_with("{\"expression\": \"a*\\\"b\\\"\", \"inputs\": [{\"name\": \"a\", \"dtype\": \"f64\", \"shape\": [1000]}]"), "{json}");
        assert!(json.contains("\"speedup\": 4, "), "{json}");
        assert!(json.contains("\"cache_hit_overhead_s\": null}"), "{json}");
        assert_eq!(string("\u{1}\n\\"), "\"\\u0001\\n\\\\\"");
    }
}
