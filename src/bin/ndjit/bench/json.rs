//! `ndjit bench --json`: the report as one JSON object, whose schema is
//! the types below. Times are in seconds, bandwidths in GB/s; a value that
//! could not be measured (or is not finite) is `null`.

use super::report::Report;
use super::timing::Timing;
use ndjit::TensorType;
use serde::Serialize;

/// The JSON object of one run.
#[derive(Serialize)]
struct JsonReport<'a> {
    expression: &'a str,
    inputs: Vec<JsonInput<'a>>,
    result: JsonType,
    /// Bytes of the inputs and the result.
    bytes: usize,
    threads: usize,
    repeats: usize,
    eager: JsonTiming,
    jit: JsonTiming,
    /// Eager median / JIT median.
    speedup: f64,
    compile_time_s: f64,
    kernels_compiled: u64,
    cache_hit_overhead_s: Option<f64>,
}

/// One input: its name and type.
#[derive(Serialize)]
struct JsonInput<'a> {
    name: &'a str,
    #[serde(flatten)]
    ty: JsonType,
}

/// A dtype and a shape.
#[derive(Serialize)]
struct JsonType {
    dtype: String,
    shape: Vec<usize>,
}

/// The summary of one backend's runs.
#[derive(Serialize)]
struct JsonTiming {
    median_s: f64,
    min_s: f64,
    max_s: f64,
    gb_per_s: f64,
}

impl JsonType {
    fn of(ty: &TensorType) -> JsonType {
        JsonType {
            dtype: ty.dtype.to_string(),
            shape: ty.shape.dims().to_vec(),
        }
    }
}

impl JsonTiming {
    fn of(report: &Report, timing: &Timing) -> JsonTiming {
        JsonTiming {
            median_s: timing.median.as_secs_f64(),
            min_s: timing.min.as_secs_f64(),
            max_s: timing.max.as_secs_f64(),
            gb_per_s: report.gigabytes_per_second(timing),
        }
    }
}

impl Report {
    /// The report as one line of JSON (serde_json writes a non-finite
    /// number as `null`).
    pub fn json(&self) -> String {
        let report = JsonReport {
            expression: &self.expression,
            inputs: (self.inputs.iter())
                .map(|(name, ty)| JsonInput {
                    name,
                    ty: JsonType::of(ty),
                })
                .collect(),
            result: JsonType::of(&self.result),
            bytes: self.bytes,
            threads: self.threads,
            repeats: self.repeats,
            eager: JsonTiming::of(self, &self.eager),
            jit: JsonTiming::of(self, &self.jit),
            speedup: self.speedup(),
            compile_time_s: self.compile_time.as_secs_f64(),
            kernels_compiled: self.kernels_compiled,
            cache_hit_overhead_s: self
                .cache_hit_overhead
                .as_ref()
                .ok()
                .map(|d| d.as_secs_f64()),
        };
        serde_json::to_string(&report).expect("the report has only strings, numbers and lists")
    }
}

#[cfg(test)]
mod tests {
    use super::super::report::tests::report;

    #[test]
    fn writes_every_field_and_null_for_missing_values() {
        let json = report().json();
        let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(value["expression"], "a*\"b\"");
        assert_eq!(
            value["inputs"],
            serde_json::json!([{"name": "a", "dtype": "f64", "shape": [1000]}])
        );
        assert_eq!(value["result"]["shape"], serde_json::json!([1000]));
        assert_eq!(value["bytes"], 16_000);
        assert_eq!(value["speedup"], 4.0);
        assert_eq!(value["eager"]["median_s"], 0.004);
        assert_eq!(value["jit"]["gb_per_s"], 0.016);
        assert_eq!(value["kernels_compiled"], 1);
        assert!(value["cache_hit_overhead_s"].is_null());
        assert!(!json.contains('\n'), "{json}");
    }
}
