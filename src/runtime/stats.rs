//! Process-wide counters of what the compiler and runtime did.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A snapshot of the counters, from [`stats`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Kernels compiled to machine code.
    pub kernels_compiled: u64,
    /// Kernel look-ups answered by the kernel cache.
    pub kernel_cache_hits: u64,
    /// Programs (whole traced graphs) compiled: optimized and scheduled.
    pub programs_compiled: u64,
    /// Evaluations answered by the program cache (no pass, no schedule).
    pub program_cache_hits: u64,
    /// Kernels evicted from the kernel cache (their code freed once unused).
    pub kernels_evicted: u64,
    /// Time spent optimizing, scheduling and compiling.
    pub compile_time: Duration,
    /// Bytes of buffers allocated by the runtime.
    pub bytes_allocated: u64,
}

pub(crate) struct Counters {
    pub kernels_compiled: AtomicU64,
    pub kernel_cache_hits: AtomicU64,
    pub programs_compiled: AtomicU64,
    pub program_cache_hits: AtomicU64,
    pub kernels_evicted: AtomicU64,
    pub compile_nanos: AtomicU64,
    pub bytes_allocated: AtomicU64,
}

pub(crate) static COUNTERS: Counters = Counters {
    kernels_compiled: AtomicU64::new(0),
    kernel_cache_hits: AtomicU64::new(0),
    programs_compiled: AtomicU64::new(0),
    program_cache_hits: AtomicU64::new(0),
    kernels_evicted: AtomicU64::new(0),
    compile_nanos: AtomicU64::new(0),
    bytes_allocated: AtomicU64::new(0),
};

/// Adds one to a counter.
pub(crate) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// What ndjit has compiled, cached and allocated so far in this process.
///
/// ```
/// let before = ndjit::stats();
/// let a = ndjit::Array::from_vec(vec![1.0, 2.0], [2]);
/// (&a * 2.0).eval()?;
/// assert!(ndjit::stats().programs_compiled + ndjit::stats().program_cache_hits
///     > before.programs_compiled + before.program_cache_hits);
/// # Ok::<(), ndjit::Error>(())
/// ```
pub fn stats() -> Stats {
    let c = &COUNTERS;
    let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
    Stats {
        kernels_compiled: load(&c.kernels_compiled),
        kernel_cache_hits: load(&c.kernel_cache_hits),
        programs_compiled: load(&c.programs_compiled),
        program_cache_hits: load(&c.program_cache_hits),
        kernels_evicted: load(&c.kernels_evicted),
        compile_time: Duration::from_nanos(load(&c.compile_nanos)),
        bytes_allocated: load(&c.bytes_allocated),
    }
}
