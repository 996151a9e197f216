//! A statistic over a `.npy` file through a memory mapping, against
//! loading the file whole.
//!
//! ```sh
//! cargo run --release --example out_of_core -- 2048   # file size in MiB (default 2048)
//! ```
//!
//! Writes a file of `f64` values chunk by chunk (never holding it whole),
//! then computes its variance, `((x - mean(x))**2).mean()`, twice:
//!
//! 1. `io::memmap`: the array is a lazy input over the file's pages; the
//!    two fused reductions read the mapping, and no array-sized buffer is
//!    allocated (anonymous memory stays flat; the file's pages are page
//!    cache, which the kernel can evict).
//! 2. `io::load`: the whole file is read into memory first.
//!
//! It prints time, GB/s (file bytes per second of each phase) and memory
//! from /proc/self/status: peak resident (VmHWM, which counts mapped file
//! pages too) and anonymous resident (RssAnon, the memory the process
//! itself allocated).

use ndjit::io::{self, MmapMode, NpyHeader};
use ndjit::DType;
use std::io::Write;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mib: usize = match std::env::args().nth(1) {
        Some(text) => text
            .parse()
            .map_err(|_| format!("size in MiB, not {text:?}"))?,
        None => 2048,
    };
    let n = mib * (1 << 20) / 8;
    let path = std::env::temp_dir().join(format!("ndjit_out_of_core_{}.npy", std::process::id()));

    let started = Instant::now();
    write_file(&path, n)?;
    let seconds = started.elapsed().as_secs_f64();
    let bytes = (n * 8) as f64;
    println!(
        "wrote {} ({mib} MiB, {n} f64) in {seconds:.2} s",
        path.display()
    );
    report("after writing");

    let started = Instant::now();
    let mapped = io::memmap(&path, MmapMode::ReadOnly)?;
    let x = mapped.array();
    let mean = x.mean(..).eval()?;
    let variance = (&x - &mean).square().mean(..).item::<f64>()?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "memmap: variance {variance:.6} in {seconds:.3} s, {:.2} GB/s (2 passes over the file)",
        2.0 * bytes / seconds / 1e9
    );
    report("after memmap");
    drop((x, mapped));

    let started = Instant::now();
    let x = io::load(&path)?;
    let loaded = started.elapsed().as_secs_f64();
    let mean = x.mean(..).eval()?;
    let variance_loaded = (&x - &mean).square().mean(..).item::<f64>()?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "load whole: variance {variance_loaded:.6} in {seconds:.3} s ({loaded:.3} s reading, {:.2} GB/s for the read)",
        bytes / loaded / 1e9
    );
    report("after load");
    std::fs::remove_file(&path)?;
    assert_eq!(variance, variance_loaded, "both compute the same kernels");
    Ok(())
}

/// A `.npy` file of `n` f64 values written 1 MiB at a time.
fn write_file(path: &std::path::Path, n: usize) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    out.write_all(&NpyHeader::new(DType::F64, &[n]).to_bytes())?;
    let mut chunk = Vec::with_capacity(1 << 20);
    for i in 0..n {
        chunk.extend_from_slice(&((i % 1000) as f64 * 0.001).to_le_bytes());
        if chunk.len() == chunk.capacity() {
            out.write_all(&chunk)?;
            chunk.clear();
        }
    }
    out.write_all(&chunk)?;
    out.flush()
}

/// Prints peak and anonymous resident memory from /proc/self/status.
fn report(when: &str) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    println!(
        "  {when}: peak resident (VmHWM) {:.0} MiB, anonymous resident (RssAnon) {:.0} MiB, file pages resident (RssFile) {:.0} MiB",
        field("VmHWM:"),
        field("RssAnon:"),
        field("RssFile:")
    );
}
