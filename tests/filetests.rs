//! Golden IR tests: every `tests/filetests/<stage>/*.ir` file is one case,
//! in the folder of the stage it tests (`pass`, `optimize`, `schedule`,
//! `grad`, `codegen`).
//!
//! # Format
//!
//! ```text
//! ; Comment lines (`;` or `//`) say what the case shows.
//! test pass dce
//! graph(%0: f64[4]) {
//!   ...
//!   return %3
//! }
//! ; expect:
//! graph(%0: f64[4]) {
//!   ...
//! }
//! ```
//!
//! - The first line that is neither blank nor a comment names the stage,
//!   whose name is also the file's folder:
//!   - `test pass <name>`: the graph after one run of the one pass
//!     [`passes::by_name`] finds (`test pass dce`), so the case shows that
//!     pass and nothing else; the pass must also report truly whether it
//!     changed the graph;
//!   - `test optimize`: the graph after [`optimize`], the whole pipeline
//!     to its fixed point, with default options; `test optimize fast_math`
//!     with [`OptimizeOptions::fast_math`];
//!   - `test schedule`: the [`schedule`] of the graph exactly as written,
//!     so a case shows the scheduler's decisions on the nodes it names;
//!   - `test grad`: the graph after [`autodiff::value_and_grad`] (the first
//!     output's gradient with respect to every float input, as the rules
//!     emit it, unoptimized);
//!   - `test codegen`: the Cranelift IR of each kernel of the graph's
//!     schedule, before Cranelift's own optimizations, for the target the
//!     next line names as Cranelift's filetests do: `target x86_64
//!     has_fma=true` (an architecture, then ISA flags, `name=value` or a
//!     bare `name`; flags not named are Cranelift's baseline). The host
//!     plays no part, so a case means the same on every machine.
//! - Then the input program in the text form (comments allowed).
//! - Then the separator line `; expect:`, and after it the expected output
//!   verbatim: `Graph::dump`, `Schedule::dump` or Cranelift's text.
//!   Trailing whitespace and blank lines at the end are ignored;
//!   everything else must match.
//!
//! A failing case prints the expected and actual text. With
//! `NDJIT_BLESS=1 cargo test --test filetests`, every file's expectation is
//! rewritten from the actual output instead (everything up to and
//! including the separator is kept byte for byte), so an optimizer change
//! is reviewed as `git diff tests/filetests`.

use ndjit::ir::autodiff;
use ndjit::ir::passes::{self, optimize, OptimizeOptions};
use ndjit::ir::schedule::schedule;
use ndjit::ir::schedule::Step;
use ndjit::ir::Graph;
use std::fs;
use std::path::{Path, PathBuf};

const SEPARATOR: &str = "; expect:";

/// What a case's header asks for.
enum Stage {
    Pass(passes::Pass),
    Optimize(OptimizeOptions),
    Schedule,
    Grad,
    /// With the target description of the `target` line.
    Codegen(String),
}

fn is_comment_or_blank(line: &str) -> bool {
    let line = line.trim();
    line.is_empty() || line.starts_with(';') || line.starts_with("//")
}

/// The stage a header names, and the name of its folder.
fn stage(header: &str) -> Result<(Stage, &'static str), String> {
    match header.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["test", "pass", name] => passes::by_name(name)
            .map(|pass| (Stage::Pass(pass), "pass"))
            .ok_or_else(|| format!("no pass is called `{name}`")),
        ["test", "optimize"] => Ok((Stage::Optimize(OptimizeOptions::default()), "optimize")),
        ["test", "optimize", "fast_math"] => Ok((
            Stage::Optimize(OptimizeOptions { fast_math: true }),
            "optimize",
        )),
        ["test", "schedule"] => Ok((Stage::Schedule, "schedule")),
        ["test", "grad"] => Ok((Stage::Grad, "grad")),
        ["test", "codegen"] => Ok((Stage::Codegen(String::new()), "codegen")),
        _ => Err(format!(
            "unknown header `{header}` (expected `test pass <name>`, `test optimize [fast_math]`, `test schedule`, `test grad` or `test codegen`)"
        )),
    }
}

/// Runs one case of the stage folder `folder`: returns the text before the
/// expectation (kept when blessing), the expected text and the actual
/// output.
fn run(folder: &str, text: &str) -> Result<(String, String, String), String> {
    let (before, expected) = match text.split_once(&format!("\n{SEPARATOR}")) {
        Some((before, rest)) => {
            let expected = rest.split_once('\n').map_or("", |(_, e)| e);
            (format!("{before}\n{SEPARATOR}\n"), expected.to_string())
        }
        None => (format!("{}\n{SEPARATOR}\n", text.trim_end()), String::new()),
    };
    let mut lines = before.lines().skip_while(|l| is_comment_or_blank(l));
    let header = lines.next().ok_or("no `test` header")?;
    let (mut stage, stage_folder) = stage(header)?;
    if stage_folder != folder {
        return Err(format!(
            "`{header}` belongs in tests/filetests/{stage_folder}/"
        ));
    }
    let mut lines = lines.skip_while(|l| is_comment_or_blank(l)).peekable();
    let target = lines
        .next_if(|line| line.split_whitespace().next() == Some("target"))
        .map(|line| line.trim_start()["target".len()..].trim().to_string());
    match (&mut stage, target) {
        (Stage::Codegen(description), Some(target)) => *description = target,
        (Stage::Codegen(_), None) => {
            return Err(
                "`test codegen` needs a `target` line (e.g. `target x86_64 has_fma=true`)".into(),
            )
        }
        (_, Some(_)) => return Err("only `test codegen` takes a `target` line".into()),
        (_, None) => {}
    }
    let input: Vec<&str> = lines.collect();
    let graph = Graph::parse(&input.join("\n")).map_err(|e| format!("input: {e}"))?;
    let actual = match stage {
        Stage::Pass(pass) => {
            let mut graph = graph;
            let before = graph.dump();
            let changed = pass(&mut graph);
            let after = graph.dump();
            if changed != (after != before) {
                return Err(format!(
                    "the pass reported changed = {changed}, but the graph {}",
                    if after == before {
                        "is the same"
                    } else {
                        "changed"
                    }
                ));
            }
            after
        }
        Stage::Optimize(options) => optimize(&graph, &options).dump(),
        Stage::Schedule => schedule(&graph).dump(),
        Stage::Grad => autodiff::value_and_grad(&graph)
            .map_err(|e| format!("grad: {e}"))?
            .dump(),
        Stage::Codegen(target) => {
            let mut text = String::new();
            for kernel in schedule(&graph).steps.iter().flat_map(Step::kernels) {
                text += &ndjit::codegen::cranelift_ir_for_target(kernel, &target)
                    .map_err(|e| format!("codegen: {e}"))?;
            }
            text
        }
    };
    Ok((before, expected, actual))
}

/// The text as compared: no trailing whitespace on lines or at the end.
fn normalized(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim_end().to_string()
}

/// Every `.ir` file under `directory`, as (stage folder, path), sorted;
/// and the `.ir` files that are not in a stage folder.
fn cases(directory: &Path) -> (Vec<(String, PathBuf)>, Vec<PathBuf>) {
    let is_case = |path: &Path| path.extension().is_some_and(|e| e == "ir");
    let entries = |directory: &Path| -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = fs::read_dir(directory)
            .unwrap_or_else(|e| panic!("{}: {e}", directory.display()))
            .map(|entry| entry.expect("readable directory").path())
            .collect();
        paths.sort();
        paths
    };
    let mut cases = Vec::new();
    let mut misplaced = Vec::new();
    for path in entries(directory) {
        if path.is_dir() {
            let folder = path.file_name().unwrap().to_string_lossy().into_owned();
            for file in entries(&path) {
                if is_case(&file) {
                    cases.push((folder.clone(), file));
                } else if file.is_dir() {
                    misplaced.push(file);
                }
            }
        } else if is_case(&path) {
            misplaced.push(path);
        }
    }
    (cases, misplaced)
}

#[test]
fn filetests() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/filetests");
    let bless = std::env::var_os("NDJIT_BLESS").is_some_and(|v| v == "1");
    let (cases, misplaced) = cases(&directory);
    assert!(!cases.is_empty(), "no .ir files in {}", directory.display());
    let mut failures: Vec<String> = misplaced
        .iter()
        .map(|path| {
            format!(
                "{}: not in a stage folder (pass, optimize, schedule, grad, codegen)",
                path.display()
            )
        })
        .collect();
    for (folder, path) in &cases {
        let name = format!("{folder}/{}", path.file_name().unwrap().to_string_lossy());
        let text = fs::read_to_string(path).expect("readable file");
        match run(folder, &text) {
            Err(message) => failures.push(format!("{name}: {message}")),
            Ok((_, expected, actual)) if normalized(&expected) == normalized(&actual) => {}
            Ok((before, _, actual)) if bless => {
                fs::write(path, format!("{before}{actual}")).expect("writable file");
                eprintln!("blessed {name}");
            }
            Ok((_, expected, actual)) => failures.push(format!(
                "{name}: output differs\n--- expected\n{expected}\n--- actual\n{actual}"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} filetests failed (NDJIT_BLESS=1 rewrites expectations):\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// A target line that names no ISA Cranelift has, or a flag it does not
/// know, is an error naming it, not a silent fall-back to the host.
#[test]
fn unknown_targets_and_flags_are_errors() {
    let graph = Graph::parse(
        "graph(%0: f64[8]) {
           %1 = exp %0 : f64[8]
           return %1
         }",
    )
    .expect("valid graph");
    let schedule = schedule(&graph);
    let kernel = schedule
        .steps
        .iter()
        .flat_map(Step::kernels)
        .next()
        .expect("one kernel");
    for (target, needle) in [
        ("sparc64", "sparc64"),
        ("x86_64 has_warp_drive", "has_warp_drive"),
        ("x86_64 has_fma=maybe", "has_fma=maybe"),
        ("", "empty target"),
    ] {
        let error = ndjit::codegen::cranelift_ir_for_target(kernel, target)
            .expect_err(target)
            .to_string();
        assert!(error.contains(needle), "{target}: {error}");
    }
    assert!(ndjit::codegen::cranelift_ir_for_target(kernel, "x86_64 has_avx has_fma").is_ok());
}
