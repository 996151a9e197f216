//! Replays the fuzz corpus (fuzz/corpus, found by `cargo fuzz` on the
//! targets in fuzz/fuzz_targets) through the `.npy` and `.npz` readers, and
//! mutates the NumPy fixtures at random: every input gives an array or an
//! error, never a panic.

use ndjit::io;
use proptest::prelude::*;
use std::io::Cursor;
use std::path::PathBuf;

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
        .collect();
    inputs.sort();
    inputs
}

/// What the fuzz target checks: an array read writes back and reads again
/// to the same dtype and shape.
fn read_npy_like_the_fuzzer(data: &[u8]) -> bool {
    let _ = io::NpyHeader::read(&mut &data[..]);
    match io::read_npy(data) {
        Ok(array) => {
            let mut written = Vec::new();
            io::write_npy(&mut written, &array).unwrap();
            let again = io::read_npy(&written).unwrap();
            assert_eq!(
                (again.dtype(), again.shape()),
                (array.dtype(), array.shape())
            );
            true
        }
        Err(_) => false,
    }
}

#[test]
fn npy_corpus_replays_without_panics() {
    let inputs = corpus("npy");
    assert!(inputs.len() >= 60, "{} inputs", inputs.len());
    let read = inputs
        .iter()
        .filter(|data| read_npy_like_the_fuzzer(data))
        .count();
    // The NumPy fixtures among them (all but the unsupported dtypes) read.
    assert!(read >= 57, "{read} of {} read", inputs.len());
}

#[test]
fn npz_corpus_replays_without_panics() {
    let inputs = corpus("npz");
    let read = inputs
        .iter()
        .filter(|data| io::read_npz(Cursor::new(&data[..]), 16 << 20).is_ok())
        .count();
    assert!(read >= 3, "{read} of {} read", inputs.len());
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/npy")
            .join(name),
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn mutated_npy_files_are_arrays_or_errors(
        edits in prop::collection::vec((0usize..400, any::<u8>()), 1..8),
        cut in 0usize..400,
    ) {
        let mut data = fixture("i4_big_F_v2.npy");
        for (at, byte) in edits {
            let at = at % data.len();
            data[at] = byte;
        }
        data.truncate(cut.max(1));
        read_npy_like_the_fuzzer(&data);
    }

    #[test]
    fn mutated_npz_archives_are_arrays_or_errors(
        edits in prop::collection::vec((0usize..2000, any::<u8>()), 1..6),
    ) {
        let mut data = fixture("deflated.npz");
        for (at, byte) in edits {
            let at = at % data.len();
            data[at] = byte;
        }
        let _ = io::read_npz(Cursor::new(&data), 16 << 20);
    }
}
