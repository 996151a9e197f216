//! Dropping compiled kernels frees their code.

use super::super::compile;
use super::{Builder, HEAVY_MEMORY};
use ndjit_ir::{BinaryOp, DType, UnaryOp};

/// Resident memory of this process, in bytes.
fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("Linux /proc");
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("statm");
    pages * 4096
}

#[test]
fn dropped_kernels_free_their_code() {
    let _heavy = HEAVY_MEMORY.lock().unwrap_or_else(|p| p.into_inner());
    let mut k = Builder::new(&[100, 100]);
    let a = k.input(DType::F64);
    let b = k.input(DType::F64);
    let e = k.unary(UnaryOp::Exp, a);
    let r = k.binary(BinaryOp::Add, e, b);
    k.output(r);
    let compile_many = |count: usize| {
        for _ in 0..count {
            drop(compile(&k.kernel).expect("compiles"));
        }
    };
    compile_many(200);
    let before = resident_bytes();
    compile_many(2000);
    let growth = resident_bytes().saturating_sub(before);
    // Leaked code costs at least a page per kernel: 8 MB here.
    assert!(growth < 2 << 20, "resident memory grew by {growth} bytes");
}

#[test]
fn compiled_kernels_are_shared_across_threads() {
    fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<super::super::CompiledKernel>();
}
