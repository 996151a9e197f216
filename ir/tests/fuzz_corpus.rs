//! Replays the IR text fuzz corpus (`fuzz/corpus/ir_text`, see
//! `fuzz/fuzz_targets/ir_text.rs`) with the fuzz target's checks: the
//! parser returns a graph or an error, never panics, and a graph it
//! accepts prints and reads back to the same text.

use ndjit_ir::text::parse;

#[test]
fn fuzz_corpus_replays() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/corpus/ir_text");
    let mut replayed = 0;
    for entry in std::fs::read_dir(dir).expect("the corpus is committed") {
        let path = entry.expect("a readable directory").path();
        let data = std::fs::read(&path).expect("a readable file");
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        if let Ok(graph) = parse(text) {
            let printed = graph.dump();
            let again = parse(&printed).unwrap_or_else(|error| {
                panic!(
                    "{}: the printed graph does not parse: {error}\n{printed}",
                    path.display()
                )
            });
            assert_eq!(again.dump(), printed, "{}", path.display());
        }
        replayed += 1;
    }
    assert!(replayed >= 40, "only {replayed} inputs in {dir}");
}
