//! The `.npz` reader on arbitrary bytes, with a 16 MiB decompression
//! limit: an error or the arrays, never a panic or an unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = ndjit::io::read_npz(std::io::Cursor::new(data), 16 << 20);
});
