//! `.npz` archives: NumPy's fixtures, round trips, and zip bombs refused.

use ndjit::{io, Array, DType, Error};
use std::io::{Cursor, Write};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/npy")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ndjit_io_npz_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn message(error: Error) -> String {
    match error {
        Error::File { path, message } => format!("{path}: {message}"),
        other => panic!("expected a file error, got {other}"),
    }
}

/// generate.py's `values("f8")`: (i - 5) / 4 for i in 0..24, shape (2, 3, 4).
fn values_f8() -> Vec<f64> {
    (0..24).map(|i| (i as f64 - 5.0) * 0.25).collect()
}

#[test]
fn reads_numpy_archives_stored_deflated_and_positional() {
    let stored = io::load_npz(fixture("stored.npz")).unwrap();
    assert_eq!(stored.keys().collect::<Vec<_>>(), ["flags", "n", "x"]);
    assert_eq!(stored["x"].shape(), &[2, 3, 4]);
    assert_eq!(stored["x"].to_vec::<f64>().unwrap(), values_f8());
    assert_eq!(stored["flags"].dtype(), DType::Bool);
    assert_eq!(stored["n"].item::<i64>().unwrap(), 7);
    let deflated = io::load_npz(fixture("deflated.npz")).unwrap();
    assert_eq!(deflated["x"].to_vec::<f64>().unwrap(), values_f8());
    // `ids` was written transposed (Fortran order): shape (4, 3, 2).
    let ids = &deflated["ids"];
    assert_eq!(ids.shape(), &[4, 3, 2]);
    let first_column: Vec<i32> = ids.to_vec::<i32>().unwrap()[..2].to_vec();
    assert_eq!(first_column, vec![-5 * 100003, 7 * 100003]);
    let positional = io::load_npz(fixture("positional.npz")).unwrap();
    assert_eq!(positional.keys().collect::<Vec<_>>(), ["arr_0", "arr_1"]);
    assert_eq!(positional["arr_1"].dtype(), DType::F32);
}

#[test]
fn savez_and_savez_compressed_round_trip() {
    let x = Array::linspace(0.0, 1.0, 1000, true).reshape([10, 100]);
    let flags = x.gt(0.5);
    let n = Array::scalar(3i32);
    for (name, compressed) in [("plain.npz", false), ("small.npz", true)] {
        let path = scratch(name);
        let arrays = [("x", &x), ("flags", &flags), ("n", &n)];
        if compressed {
            io::savez_compressed(&path, &arrays).unwrap();
        } else {
            io::savez(&path, &arrays).unwrap();
        }
        let back = io::load_npz(&path).unwrap();
        assert_eq!(
            back["x"].to_vec::<f64>().unwrap(),
            x.to_vec::<f64>().unwrap()
        );
        assert_eq!(
            back["flags"].to_vec::<bool>().unwrap(),
            flags.to_vec::<bool>().unwrap()
        );
        assert_eq!(back["n"].item::<i32>().unwrap(), 3);
    }
    let plain = std::fs::metadata(scratch("plain.npz")).unwrap().len();
    let small = std::fs::metadata(scratch("small.npz")).unwrap().len();
    assert!(small < plain, "deflated {small} bytes, stored {plain}");
    let duplicate = io::savez(scratch("dup.npz"), &[("x", &x), ("x", &n)]).unwrap_err();
    assert!(message(duplicate).contains("distinct and non-empty: \"x\""));
}

/// A deflated archive of one member: a header saying `shape` of f64, then
/// `data_bytes` zeros (which compress ~1000:1).
fn bomb(shape: &str, data_bytes: usize) -> Vec<u8> {
    let mut cursor = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut cursor);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("big.npy", options).unwrap();
    let dict = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}");
    let mut header = b"\x93NUMPY\x01\x00".to_vec();
    header.extend_from_slice(&(dict.len() as u16 + 1).to_le_bytes());
    header.extend_from_slice(dict.as_bytes());
    header.push(b'\n');
    zip.write_all(&header).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for start in (0..data_bytes).step_by(zeros.len()) {
        zip.write_all(&zeros[..zeros.len().min(data_bytes - start)])
            .unwrap();
    }
    zip.finish().unwrap();
    cursor.into_inner()
}

#[test]
fn zip_bombs_stop_at_the_limit() {
    // 256 MiB of zeros, ~256 KiB compressed: refused under a 64 MiB limit
    // before anything is decompressed past the header.
    let archive = bomb("(33554432,)", 256 << 20);
    assert!(archive.len() < 1 << 20, "{} bytes", archive.len());
    let error = message(io::read_npz(Cursor::new(&archive), 64 << 20).unwrap_err());
    assert!(
        error.starts_with("<archive>/big.npy: its 268435456 bytes of data would pass"),
        "{error}"
    );
    // A header claiming more than the member holds is refused too.
    let liar = bomb("(1000000000000,)", 1 << 20);
    let error = message(io::read_npz(Cursor::new(&liar), u64::MAX).unwrap_err());
    assert!(error.contains("the data is truncated"), "{error}");
    // Within the limit it reads.
    let fine = bomb("(1024,)", 8192);
    assert_eq!(
        io::read_npz(Cursor::new(&fine), 1 << 20).unwrap()["big"].size(),
        1024
    );
}

#[test]
fn broken_archives_are_errors_naming_the_file() {
    let path = scratch("broken.npz");
    std::fs::write(&path, b"PK\x03\x04 this is not really a zip").unwrap();
    let error = message(io::load_npz(&path).unwrap_err());
    assert!(
        error.contains("broken.npz: not a readable zip archive"),
        "{error}"
    );
    let stored = std::fs::read(fixture("stored.npz")).unwrap();
    for cut in [10, stored.len() / 2, stored.len() - 10] {
        assert!(
            io::read_npz(Cursor::new(&stored[..cut]), 1 << 20).is_err(),
            "cut at {cut}"
        );
    }
    let mut text = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut text);
    zip.start_file("notes.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"hello").unwrap();
    zip.finish().unwrap();
    let error = message(io::read_npz(Cursor::new(text.into_inner()), 1 << 20).unwrap_err());
    assert_eq!(
        error,
        "<archive>/notes.txt: not a .npy member (ndjit reads arrays only)"
    );
}
