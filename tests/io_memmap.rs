//! Memory-mapped `.npy` files: arrays over the mapping, the three modes,
//! refusals, and no copy on open (anonymous memory measured from /proc).

use ndjit::io::{self, MmapMode};
use ndjit::{Array, DType, Error};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/npy")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ndjit_io_memmap_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn message(result: ndjit::Result<impl Sized>) -> String {
    match result {
        Err(Error::File { path, message }) => format!("{path}: {message}"),
        Err(other) => panic!("expected a file error, got {other}"),
        Ok(_) => panic!("expected an error"),
    }
}

#[test]
fn mapped_arrays_equal_loaded_ones_in_every_layout() {
    for name in [
        "f8_little_C_v1.npy",
        "f8_little_F_v3.npy",
        "i4_little_F_v2.npy",
        "b1_little_C_v1.npy",
        "empty_f8_F.npy",
        "scalar_f8.npy",
    ] {
        let mapped = io::memmap(fixture(name), MmapMode::ReadOnly).unwrap();
        let (x, loaded) = (mapped.array(), io::load(fixture(name)).unwrap());
        assert_eq!(
            (x.dtype(), x.shape()),
            (loaded.dtype(), loaded.shape()),
            "{name}"
        );
        assert_eq!(
            format!("{}", x.eval().unwrap()),
            format!("{}", loaded.eval().unwrap()),
            "{name}"
        );
    }
    let x = io::memmap(fixture("f8_little_F_v1.npy"), MmapMode::ReadOnly)
        .unwrap()
        .array();
    let fused = ((&x - 1.0).square() * 2.0).sum(..).item::<f64>().unwrap();
    let values = io::load(fixture("f8_little_F_v1.npy"))
        .unwrap()
        .to_vec::<f64>()
        .unwrap();
    let expected: f64 = values.iter().map(|v| (v - 1.0) * (v - 1.0) * 2.0).sum();
    assert_eq!(fused, expected);
}

#[test]
fn modes_read_only_copy_on_write_and_read_write() {
    let path = scratch("modes.npy");
    io::save(&path, &Array::from_vec(vec![1.0, 2.0, 3.0], [3])).unwrap();
    let mut read_only = io::memmap(&path, MmapMode::ReadOnly).unwrap();
    assert!(message(read_only.as_mut_slice::<f64>()).contains("mapped read-only"));

    let mut private = io::memmap(&path, MmapMode::CopyOnWrite).unwrap();
    assert!(message(private.as_mut_slice::<i64>())
        .contains("as_mut_slice::<i64>() on a file of dtype f64"));
    let alive = private.array();
    assert!(message(private.as_mut_slice::<f64>()).contains("arrays over this mapping are alive"));
    drop(alive);
    private.as_mut_slice::<f64>().unwrap()[0] = 10.0;
    assert_eq!(
        private.array().to_vec::<f64>().unwrap(),
        vec![10.0, 2.0, 3.0]
    );
    assert_eq!(
        io::load(&path).unwrap().to_vec::<f64>().unwrap(),
        vec![1.0, 2.0, 3.0]
    );

    let mut shared = io::memmap(&path, MmapMode::ReadWrite).unwrap();
    shared.as_mut_slice::<f64>().unwrap()[2] = -3.0;
    shared.flush().unwrap();
    assert_eq!(
        io::load(&path).unwrap().to_vec::<f64>().unwrap(),
        vec![1.0, 2.0, -3.0]
    );
    // A realized result does not hold the mapping: writing is allowed again.
    let doubled = (shared.array() * 2.0).eval().unwrap();
    shared.as_mut_slice::<f64>().unwrap()[0] = 0.0;
    assert_eq!(doubled.to_vec::<f64>().unwrap(), vec![2.0, 4.0, -6.0]);
}

#[test]
fn files_that_cannot_be_mapped_are_errors() {
    let big = message(io::memmap(fixture("f8_big_C_v1.npy"), MmapMode::ReadOnly));
    assert!(
        big.contains("memmap needs the machine's byte order, the file is '>f8'"),
        "{big}"
    );
    let mut bytes = std::fs::read(fixture("b1_little_C_v1.npy")).unwrap();
    let last = bytes.len() - 1;
    bytes[last] = 2;
    let path = scratch("bad_bool.npy");
    std::fs::write(&path, &bytes).unwrap();
    let error = message(io::memmap(&path, MmapMode::ReadOnly));
    assert!(error.contains("bool element 23 holds byte 2"), "{error}");
    let truncated = scratch("short.npy");
    let good = std::fs::read(fixture("i8_little_C_v1.npy")).unwrap();
    std::fs::write(&truncated, &good[..good.len() - 8]).unwrap();
    assert!(message(io::memmap(&truncated, MmapMode::ReadOnly)).contains("the data is truncated"));
}

/// This process's anonymous resident memory, in bytes (RssAnon).
fn anonymous_resident() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("RssAnon:")).unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<usize>()
        .unwrap()
        * 1024
}

#[test]
fn mapping_copies_nothing() {
    let n = 8 << 20; // 64 MiB of f64
    let path = scratch("large.npy");
    io::save(&path, &Array::arange(0.0, n as f64, 1.0)).unwrap();
    let before = anonymous_resident();
    let mapped = io::memmap(&path, MmapMode::ReadOnly).unwrap();
    let x = mapped.array();
    let sum = (&x * 0.5).sum(..).item::<f64>().unwrap();
    let grown = anonymous_resident().saturating_sub(before);
    assert_eq!(sum, 0.5 * (n as f64) * (n as f64 - 1.0) / 2.0);
    assert!(
        grown < 16 << 20,
        "anonymous memory grew by {grown} bytes for a 64 MiB file"
    );
    assert_eq!(x.dtype(), DType::F64);
}
