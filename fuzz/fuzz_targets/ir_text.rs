//! The IR text parser on arbitrary text: it must return a graph or an
//! error, never panic; and a graph it accepts must print and read back to
//! the same text (the round trip `ndjit_ir::text` promises).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(graph) = ndjit_ir::text::parse(text) {
        let printed = graph.dump();
        let again = ndjit_ir::text::parse(&printed)
            .unwrap_or_else(|error| panic!("a printed graph does not parse: {error}\n{printed}"));
        assert_eq!(again.dump(), printed, "from {text:?}");
    }
});
