//! The `ndjit` tool's expression parser on arbitrary text: it must return
//! a syntax tree or an error, never panic or overflow the stack; and a
//! tree, printed fully parenthesized, must read back as itself (when the
//! parentheses it adds stay within the nesting limit).

#![no_main]

use libfuzzer_sys::fuzz_target;

// The parser is a module of the `ndjit` binary, so it is compiled in here
// from its files; it depends only on `source_error`. The rest of the tool
// is not here, so some of their items go unused.
#[allow(dead_code)]
#[path = "../../src/bin/ndjit/source_error.rs"]
mod source_error;

#[allow(dead_code, unused_imports)]
#[path = "../../src/bin/ndjit/expr/mod.rs"]
mod expr;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    match expr::parse(source) {
        Ok(tree) => {
            let printed = tree.to_string();
            if let Ok(again) = expr::parse(&printed) {
                assert_eq!(again.to_string(), printed, "from {source:?}");
            }
        }
        Err(error) => {
            error.render(source);
        }
    }
});
