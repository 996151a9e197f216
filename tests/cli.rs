//! The `ndjit` binary, run as a user would run it.

use std::process::{Command, Output};

fn ndjit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ndjit"))
        .args(args)
        .output()
        .expect("the ndjit binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("UTF-8 output")
}

#[test]
fn ir_prints_the_traced_graph() {
    let output = ndjit(&[
        "ir",
        "exp(-x*x)*sin(y)+cos(z)",
        "--shape",
        "x=8",
        "--shape",
        "y=8",
        "--shape",
        "z=8",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.starts_with("; expression: exp(-x*x)*sin(y)+cos(z)\n"),
        "{text}"
    );
    for name in ["x", "y", "z"] {
        assert!(text.contains(&format!("{name} = %")), "{text}");
    }
    assert!(text.contains("; result: f64[8]\n"), "{text}");
    assert!(text.contains("\n; traced graph\ngraph(%"), "{text}");
    for op in ["neg", "mul", "exp", "sin", "cos", "add"] {
        assert!(text.contains(&format!(" = {op} %")), "{op} in {text}");
    }
    assert!(text.contains(": f64[8]\n  return %"), "{text}");
}

#[test]
fn ir_prints_graphviz() {
    for flag in ["--graphviz", "--dot"] {
        let output = ndjit(&[
            "ir",
            "sum(x, axis=0)",
            "--shape",
            "x=4,3",
            "--dtype",
            "f32",
            flag,
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        let text = stdout(&output);
        assert!(text.contains("// result: f32[3]"), "{text}");
        assert!(
            text.contains("digraph {") && text.contains("0 -> 1"),
            "{text}"
        );
    }
}

#[test]
fn parse_errors_show_a_caret_and_fail() {
    let output = ndjit(&["ir", "exp(x) * (y +", "--shape", "x=8", "--shape", "y=8"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    assert_eq!(
        stderr(&output),
        "error at column 14: expected an expression, found the end of the expression\n  \
         exp(x) * (y +\n               ^\n"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let output = ndjit(&["ir"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("<EXPR>"), "{}", stderr(&output));
    let output = ndjit(&["frobnicate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unrecognized subcommand 'frobnicate'"));
    // Typos get a suggestion.
    let output = ndjit(&["bnech"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("a similar subcommand exists: 'bench'"),
        "{}",
        stderr(&output)
    );
    let output = ndjit(&["bench", "x", "--shape", "x=3", "--repeat", "3"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("a similar argument exists: '--repeats'"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn help_lists_the_commands() {
    for args in [&["help"][..], &["--help"], &["-h"]] {
        let output = ndjit(args);
        assert!(output.status.success());
        let text = stdout(&output);
        assert!(text.contains("Usage: ndjit [COMMAND]"), "{text}");
        for command in ["tour", "ir", "bench"] {
            assert!(
                text.contains(&format!("\n  {command} ")),
                "{command} in {text}"
            );
        }
    }
    let output = ndjit(&["--version"]);
    assert!(output.status.success());
    assert_eq!(
        stdout(&output),
        format!("ndjit {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn every_command_has_help() {
    for args in [
        &["bench", "--help"][..],
        &["help", "bench"],
        &["ir", "--help"],
        &["help", "ir"],
    ] {
        let output = ndjit(args);
        assert!(output.status.success(), "{}", stderr(&output));
        let text = stdout(&output);
        let usage = format!(
            "Usage: ndjit {} [OPTIONS] <EXPR>",
            args[1].replace("--help", args[0])
        );
        assert!(text.contains(&usage), "{usage} in {text}");
        assert!(text.contains("--shape <NAME=D1,D2,...[:DTYPE]>"), "{text}");
        // The expression language, with the function table.
        assert!(text.contains("mul_add fma (x, y, z)"), "{text}");
    }
    let output = ndjit(&["bench", "-h"]);
    assert!(stdout(&output).contains("--repeats <K>"));
}

/// Needs the reference interpreter (evaluation), which is being written on
/// another branch: on this branch evaluation panics.
#[test]
fn tour_builds_prints_and_evaluates() {
    for args in [&[][..], &["tour"][..]] {
        let output = ndjit(args);
        assert!(output.status.success(), "{}", stderr(&output));
        let text = stdout(&output);
        assert!(text.contains("; traced graph\ngraph(%0: f64[6])"), "{text}");
        assert!(
            text.contains(" = reshape %0 to [2, 3] : f64[2, 3]"),
            "{text}"
        );
        assert!(text.contains(" = exp %"), "{text}");
        assert!(
            text.contains(
                "array([[ 0. ,  2.5,  5. ,  7.5, 10. ],\n       \
                 [ 1. ,  3.5,  6. ,  8.5, 11. ],\n       \
                 [ 2. ,  4.5,  7. ,  9.5, 12. ]])"
            ),
            "{text}"
        );
        assert!(text.contains("array([25., 30., 35.])"), "{text}");
        assert!(text.contains("array([1. , 0.5, 0. ])"), "{text}");
        assert!(
            text.contains("array([0.  , 0.  , 0.  , 0.75, 1.  ])"),
            "{text}"
        );
        assert!(
            text.contains(
                "array([[0.09003057, 0.24472847, 0.66524096],\n       \
                 [0.09003057, 0.24472847, 0.66524096]])"
            ),
            "{text}"
        );
    }
}

fn ir_of_exp_sin_cos(extra: &[&str]) -> String {
    let mut args = vec![
        "ir",
        "exp(-x*x)*sin(y)+cos(z)",
        "--shape",
        "x=8",
        "--shape",
        "y=8",
        "--shape",
        "z=8",
    ];
    args.extend(extra);
    let output = ndjit(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn ir_prints_every_stage() {
    let text = ir_of_exp_sin_cos(&[]);
    let headers = [
        "\n; traced graph\n",
        "\n; optimized graph\n",
        "\n; kernel schedule\n",
        "\n; Cranelift IR\n",
    ];
    let positions: Vec<usize> = headers
        .iter()
        .map(|h| text.find(h).unwrap_or_else(|| panic!("{h:?} in {text}")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(text.contains("kernel [8] {"), "{text}");
}

#[test]
fn ir_prints_one_stage() {
    let text = ir_of_exp_sin_cos(&["--stage", "clif"]);
    assert!(text.contains("\n; Cranelift IR\n"), "{text}");
    assert!(text.contains("function "), "{text}");
    assert!(!text.contains("; traced graph"), "{text}");
    let output = ndjit(&["ir", "x", "--shape", "x=8", "--stage", "lowered"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("invalid value 'lowered' for '--stage <STAGE>'"));
}

#[test]
fn ir_prints_gradients() {
    let text = ir_of_exp_sin_cos(&["--grad", "x"]);
    assert!(
        text.contains(
            "; gradient of the sum of the expression (it is f64[8], not 0-d) with respect to x\n"
        ),
        "{text}"
    );
    assert!(text.contains("\n; Cranelift IR\n"), "{text}");
    let output = ndjit(&["ir", "x", "--shape", "x=8", "--grad", "w"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not a declared variable"));
}

fn bench_args(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = vec![
        "bench",
        "a*b+c",
        "--shape",
        "a=1000",
        "--shape",
        "b=1000",
        "--shape",
        "c=1000",
        "--repeats",
        "3",
    ];
    args.extend(extra);
    args
}

#[test]
fn bench_prints_a_table() {
    let output = ndjit(&bench_args(&["--threads", "1"]));
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("ndjit bench: a*b+c\n"), "{text}");
    for row in [
        "median",
        "eager ",
        "fused JIT ",
        "speedup ",
        "compile time ",
        "cache-hit overhead ",
    ] {
        assert!(text.contains(row), "{row} in {text}");
    }
    assert!(text.contains("up to 1 thread;"), "{text}");
}

#[test]
fn bench_prints_json() {
    let output = ndjit(&bench_args(&["--json"]));
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 1, "{text}");
    let report: serde_json::Value = serde_json::from_str(&text).expect("one JSON object");
    for key in [
        "expression",
        "inputs",
        "result",
        "bytes",
        "threads",
        "repeats",
        "eager",
        "jit",
        "speedup",
        "compile_time_s",
        "kernels_compiled",
        "cache_hit_overhead_s",
    ] {
        assert!(report.get(key).is_some(), "{key} in {text}");
    }
    for backend in ["eager", "jit"] {
        for key in ["median_s", "min_s", "max_s", "gb_per_s"] {
            assert!(
                report[backend][key].as_f64().is_some(),
                "{backend}.{key} in {text}"
            );
        }
    }
    assert_eq!(report["bytes"], 32000, "{text}");
    assert_eq!(report["repeats"], 3, "{text}");
    assert_eq!(report["inputs"][2]["name"], "c", "{text}");
    assert_eq!(report["result"]["shape"][0], 1000, "{text}");
}

#[test]
fn bench_reports_bad_input() {
    let output = ndjit(&["bench", "a*b", "--shape", "a=3", "--shape", "b=4"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("error"), "{}", stderr(&output));
    let output = ndjit(&["bench", "a", "--shape", "a=3", "--repeats", "0"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("positive integer"),
        "{}",
        stderr(&output)
    );
}

/// A row softmax: its kernels run as one row-blocks step (DESIGN.md,
/// fusion rule 5).
const SOFTMAX: &str = "exp(x - max(x, 1)[:, None]) / sum(exp(x - max(x, 1)[:, None]), 1)[:, None]";

#[test]
fn ir_prints_row_blocks() {
    let output = ndjit(&["ir", SOFTMAX, "--shape", "x=4,8", "--stage", "schedule"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains(
            "\nrow blocks over 4 rows of 208 bytes, scratch b1, b2, b3 {\n  kernel [4, 8] {\n"
        ),
        "{text}"
    );
    let output = ndjit(&["ir", SOFTMAX, "--shape", "x=4,8", "--stage", "clif"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    for k in 0..3 {
        let header = format!("; step 0: row blocks over 4 rows, kernel {k} [4, 8]\n");
        assert!(text.contains(&header), "{header} in {text}");
    }
    assert_eq!(text.matches("\nfunction ").count(), 3, "{text}");
}

#[test]
fn dump_writes_row_blocks() {
    let dir = std::env::temp_dir().join(format!("ndjit-cli-dump-{}", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_ndjit"))
        .args(["bench", SOFTMAX, "--shape", "x=4,8", "--repeats", "1"])
        .env("NDJIT_DUMP", &dir)
        .output()
        .expect("the ndjit binary runs");
    assert!(output.status.success(), "{}", stderr(&output));
    let dumped = |path: std::path::PathBuf| std::fs::read_to_string(path).unwrap_or_default();
    let with_row_blocks: Vec<_> = std::fs::read_dir(&dir)
        .expect("NDJIT_DUMP wrote its directory")
        .map(|entry| entry.expect("readable directory").path())
        .filter(|path| path.extension().is_some_and(|e| e == "schedule"))
        .filter(|path| dumped(path.clone()).contains("row blocks over 4 rows"))
        .collect();
    assert!(
        !with_row_blocks.is_empty(),
        "no row blocks in {}",
        dir.display()
    );
    for schedule in with_row_blocks {
        let clif = dumped(schedule.with_extension("clif"));
        assert_eq!(clif.matches("function ").count(), 3, "{clif}");
    }
    std::fs::remove_dir_all(&dir).expect("the dump directory is removable");
}

#[test]
fn expressions_join_arrays_as_numpy() {
    // Each operand is computed into its window of one buffer.
    let output = ndjit(&[
        "ir",
        "concatenate((x[1:] - x[:-1], 2*x), 0)",
        "--shape",
        "x=5",
        "--stage",
        "schedule",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("; result: f64[9]"), "{text}");
    assert!(
        text.contains("store v2 -> b1 offset 4 strides [1]"),
        "{text}"
    );
    let output = ndjit(&[
        "ir",
        "stack((x, y), axis=-1)",
        "--shape",
        "x=3",
        "--shape",
        "y=3",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("; result: f64[3, 2]"));
    // Errors name the problem and point at it.
    let output = ndjit(&["ir", "concatenate(x, 0)", "--shape", "x=3"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("takes a tuple of arrays"),
        "{}",
        stderr(&output)
    );
    let output = ndjit(&["ir", "stack((x, y))", "--shape", "x=3", "--shape", "y=4"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("same shape"),
        "{}",
        stderr(&output)
    );
}

/// Issue 15: impossible sizes and counts are errors, not aborts.
#[test]
fn bench_rejects_impossible_sizes() {
    let failed = |args: &[&str], code: i32, message: &str| {
        let output = ndjit(args);
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {text}");
        assert!(text.contains(message), "{message} in {text}");
    };
    // 8 TB of input (and as much result): more than any machine here has.
    failed(
        &["bench", "a", "--shape", "a=1000000000000", "--repeats", "1"],
        1,
        "error: the inputs and the result (f64[1000000000000]) need 16.00 TB",
    );
    failed(
        &["bench", "a", "--shape", "a=1152921504606846975"],
        1,
        "need more bytes than memory can address",
    );
    failed(
        &["bench", "a", "--shape", "a=3", "--repeats", "100000000000"],
        2,
        "at most 1000000 runs",
    );
    // The result counts too: an outer product of two small inputs.
    failed(
        &[
            "bench",
            "a[:, None] * b",
            "--shape",
            "a=10000000",
            "--shape",
            "b=10000000",
        ],
        1,
        "(f64[10000000, 10000000]) need",
    );
}

/// Issue 15: a long chain of operators is not nesting.
#[test]
fn long_operator_chains_parse() {
    let chain = vec!["x"; 201].join("+");
    let output = ndjit(&["ir", &chain, "--shape", "x=4", "--stage", "traced"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output).matches(" = add ").count(), 200);
    let nested = "(".repeat(201) + "x" + &")".repeat(201);
    let output = ndjit(&["ir", &nested, "--shape", "x=4"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("nested more than 200 levels deep"));
}

/// Issue 15: argmax and argmin take one axis.
#[test]
fn argmax_takes_one_axis() {
    let output = ndjit(&["ir", "argmax(x, axis=(0,))", "--shape", "x=3"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("argmax() takes one axis (an integer) or None, not a tuple"),
        "{}",
        stderr(&output)
    );
    let output = ndjit(&[
        "ir",
        "argmax(x, axis=0)",
        "--shape",
        "x=3",
        "--stage",
        "traced",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
}
