//! Golden tests of the derivative graphs: every `tests/filetests/*.ir` file
//! whose header is `test grad`, in the filetest format of
//! `tests/filetests.rs` (comments, the `test grad` header, the input graph,
//! `; expect:`, the expected `Graph::dump`). The output is the input graph
//! after [`ndjit::ir::autodiff::value_and_grad`]: the first output's
//! gradient with respect to every float input, appended as the rules emit
//! it (no optimization), so a rule change shows up in `git diff
//! tests/filetests`. `NDJIT_BLESS=1` rewrites the expectations.
//!
//! When `tests/filetests.rs` (which runs the other stages) is merged, this
//! becomes one `test grad` arm of its stage table.

use ndjit::ir::{autodiff, Graph};
use std::fs;
use std::path::Path;

const SEPARATOR: &str = "; expect:";

fn is_comment_or_blank(line: &str) -> bool {
    let line = line.trim();
    line.is_empty() || line.starts_with(';') || line.starts_with("//")
}

fn normalized(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    lines.join("\n").trim_end().to_string()
}

#[test]
fn grad_filetests() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/filetests");
    let bless = std::env::var_os("NDJIT_BLESS").is_some_and(|v| v == "1");
    let mut paths: Vec<_> = fs::read_dir(&directory)
        .expect("tests/filetests exists")
        .map(|entry| entry.expect("readable directory").path())
        .filter(|path| path.extension().is_some_and(|e| e == "ir"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = fs::read_to_string(path).expect("readable file");
        let (before, expected) = match text.split_once(&format!("\n{SEPARATOR}")) {
            Some((before, rest)) => (
                format!("{before}\n{SEPARATOR}\n"),
                rest.split_once('\n').map_or("", |(_, e)| e).to_string(),
            ),
            None => (format!("{}\n{SEPARATOR}\n", text.trim_end()), String::new()),
        };
        let mut lines = before.lines().skip_while(|l| is_comment_or_blank(l));
        if lines.next().map(str::trim) != Some("test grad") {
            continue;
        }
        count += 1;
        let input: Vec<&str> = lines.collect();
        let actual = match Graph::parse(&input.join("\n")).map(|g| autodiff::value_and_grad(&g)) {
            Ok(Ok(graph)) => graph.dump(),
            Ok(Err(e)) | Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        if normalized(&expected) == normalized(&actual) {
            continue;
        }
        if bless {
            fs::write(path, format!("{before}{actual}")).expect("writable file");
            eprintln!("blessed {name}");
        } else {
            failures.push(format!(
                "{name}: output differs\n--- expected\n{expected}\n--- actual\n{actual}"
            ));
        }
    }
    assert!(count >= 10, "expected the grad_*.ir cases, found {count}");
    assert!(
        failures.is_empty(),
        "{} of {count} grad filetests failed (NDJIT_BLESS=1 rewrites expectations):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
