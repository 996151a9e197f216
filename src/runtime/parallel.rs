//! Running one kernel, split across threads when the work is large.

use super::execute::offset_pointer;
use crate::codegen::CompiledKernel;
use ndjit_ir::schedule::Kernel;
use ndjit_ir::{Buffer, DType, ReduceOp};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Below this many iteration points per thread, threading costs more than
/// it saves (DESIGN.md: order of 128K elements per thread).
pub(super) const MIN_POINTS_PER_THREAD: usize = 128 * 1024;

/// Rows of axis 0 a float sum over that axis adds one after the other
/// before its partial joins the others pairwise (see [`run_rows`]).
const BLOCK_ROWS: usize = 1024;

/// The most threads one kernel uses: [`set_max_threads`], else
/// `NDJIT_THREADS`, else all cores.
pub fn thread_count() -> usize {
    match MAX_THREADS.load(Ordering::Relaxed) {
        0 => pool().current_num_threads(),
        n => n.min(pool().current_num_threads()),
    }
}

static MAX_THREADS: AtomicUsize = AtomicUsize::new(0);

/// Limits how many threads a kernel may use (at most the pool's size, set
/// by `NDJIT_THREADS`); `0` lifts the limit. Benchmarks use it to compare
/// one thread with all.
pub fn set_max_threads(threads: usize) {
    MAX_THREADS.store(threads, Ordering::Relaxed);
}

/// The most worker threads `NDJIT_THREADS` can ask for: far more than any
/// machine's cores, and few enough for the OS to start.
const MAX_POOL_THREADS: usize = 1024;

/// The worker threads, created on first use: `NDJIT_THREADS` of them (at
/// most [`MAX_POOL_THREADS`]), else one per core. If the OS refuses to
/// start that many, one per core, else one.
pub(super) fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let requested = requested_threads(std::env::var("NDJIT_THREADS").ok().as_deref());
        let build = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .thread_name(|i| format!("ndjit-worker-{i}"))
                .build()
        };
        build(requested.unwrap_or(cores))
            .or_else(|_| build(cores))
            .or_else(|_| build(1))
            .unwrap_or_else(|e| panic!("ndjit cannot start even one worker thread: {e}"))
    })
}

/// The pool size `NDJIT_THREADS` asks for, capped at [`MAX_POOL_THREADS`];
/// `None` when unset, not a number, or 0.
fn requested_threads(value: Option<&str>) -> Option<usize> {
    value
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .map(|n| n.min(MAX_POOL_THREADS))
}

/// Raw pointers handed to worker threads.
#[derive(Clone)]
struct Pointers(Vec<*mut u8>);

// SAFETY: the pointers address buffers that outlive the parallel scope
// (owned by the caller), and each thread writes a disjoint part of them:
// rows [begin, end) of axis 0 for plain stores, or its own private buffer
// for accumulating stores that combine over axis 0 (for blocked float sums,
// buffers `run_rows` allocates on that thread).
unsafe impl Send for Pointers {}
// SAFETY: see `Send`; the workers only copy the pointer values.
unsafe impl Sync for Pointers {}

/// Runs `kernel` over its whole iteration space; `loads` are its loads'
/// (offset) base pointers, `outputs` its stores' buffers.
pub(crate) fn run_kernel(
    kernel: &Kernel,
    compiled: &CompiledKernel,
    loads: &[*const u8],
    outputs: &mut [Buffer],
) {
    if kernel.is_empty() {
        return;
    }
    let scalars: Vec<u64> = kernel.scalars.iter().map(|s| s.bits()).collect();
    let rows = kernel.shape.first().copied().unwrap_or(1);
    let threads = thread_count()
        .min(kernel.len() / MIN_POINTS_PER_THREAD)
        .min(rows);
    // Float sums over axis 0 when it is an outer axis: the generated code
    // adds each row into the result in turn (pairwise summation is along
    // the innermost axis), so over n rows they would round like a naive
    // sum of n terms, and differently for each thread count. They are
    // summed per block of rows instead, the blocks pairwise.
    let blocked: Vec<usize> = if kernel.shape.len() >= 2 && rows > BLOCK_ROWS {
        kernel
            .stores
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.combine == Some(ReduceOp::Sum)
                    && s.dtype.is_float()
                    && s.map.strides.first() == Some(&0)
            })
            .map(|(i, _)| i)
            .collect()
    } else {
        Vec::new()
    };
    let layouts: Vec<(DType, usize)> = blocked
        .iter()
        .map(|&i| (outputs[i].dtype(), outputs[i].len()))
        .collect();
    let blocks = Blocks {
        stores: &blocked,
        layouts: &layouts,
    };
    if threads <= 1 {
        let pointers = pointers(kernel, loads, outputs);
        // SAFETY: the pointers address live buffers laid out as the
        // kernel's index maps expect (the scheduler built both).
        let totals = unsafe { run_rows(kernel, compiled, &pointers.0, &scalars, 0, rows, blocks) };
        add_totals(outputs, &blocked, &totals);
        return;
    }
    // Accumulating stores that do not move along axis 0 would be written by
    // every thread: each thread but the first gets a private copy (blocked
    // stores have a private total in every thread already).
    let private: Vec<usize> = kernel
        .stores
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            s.combine.is_some() && s.map.strides.first() == Some(&0) && !blocked.contains(i)
        })
        .map(|(i, _)| i)
        .collect();
    let mut partials: Vec<Vec<Buffer>> = (1..threads)
        .map(|_| private.iter().map(|&i| outputs[i].clone()).collect())
        .collect();
    let shared = pointers(kernel, loads, outputs);
    let per_thread: Vec<Pointers> = std::iter::once(shared.clone())
        .chain(partials.iter_mut().map(|buffers| {
            let mut p = shared.clone();
            for (slot, buffer) in private.iter().zip(buffers.iter_mut()) {
                let store = &kernel.stores[*slot];
                p.0[loads.len() + slot] = offset_pointer(
                    buffer.as_mut_ptr(),
                    store.map.offset,
                    store.dtype.size_bytes(),
                ) as *mut u8;
            }
            p
        }))
        .collect();
    let mut totals: Vec<Vec<Buffer>> = (0..threads).map(|_| Vec::new()).collect();
    pool().scope(|scope| {
        for ((t, pointers), total) in per_thread.iter().enumerate().zip(&mut totals) {
            let (begin, end) = (rows * t / threads, rows * (t + 1) / threads);
            let scalars = &scalars;
            scope.spawn(move |_| {
                // SAFETY: as in the single-threaded case; threads write
                // disjoint rows or private buffers (see `Pointers`).
                *total =
                    unsafe { run_rows(kernel, compiled, &pointers.0, scalars, begin, end, blocks) };
            });
        }
    });
    for buffers in &partials {
        for (&slot, partial) in private.iter().zip(buffers) {
            let op = kernel.stores[slot]
                .combine
                .expect("private stores accumulate");
            combine_into(&mut outputs[slot], partial, op);
        }
    }
    for total in &totals {
        add_totals(outputs, &blocked, total);
    }
}

/// The stores [`run_rows`] sums per block of rows, and the dtype and
/// length of each one's buffer.
#[derive(Clone, Copy)]
struct Blocks<'a> {
    stores: &'a [usize],
    layouts: &'a [(DType, usize)],
}

/// Runs rows `[begin, end)` of axis 0. The stores in `blocks` do not write
/// their buffers: each block of [`BLOCK_ROWS`] rows sums into fresh zeroed
/// buffers, blocks are added pairwise (a binary counter of partials, so at
/// most log2 of the block count are alive), and the totals are returned,
/// one per blocked store (none when there are no blocked stores).
///
/// # Safety
///
/// As [`CompiledKernel::run`] for `pointers` and these rows.
unsafe fn run_rows(
    kernel: &Kernel,
    compiled: &CompiledKernel,
    pointers: &[*mut u8],
    scalars: &[u64],
    begin: usize,
    end: usize,
    blocks: Blocks,
) -> Vec<Buffer> {
    let fresh = || -> Vec<Buffer> {
        blocks
            .layouts
            .iter()
            .map(|&(dtype, len)| Buffer::zeros(dtype, len))
            .collect()
    };
    if blocks.stores.is_empty() {
        // SAFETY: the caller's contract.
        unsafe { compiled.run(pointers, scalars, begin, end) };
        return Vec::new();
    }
    let mut pointers = pointers.to_vec();
    let mut pending: Vec<(u32, Vec<Buffer>)> = Vec::new();
    let mut start = begin;
    while start < end {
        let stop = end.min(start + BLOCK_ROWS);
        let mut block = fresh();
        for (&slot, buffer) in blocks.stores.iter().zip(&mut block) {
            let store = &kernel.stores[slot];
            pointers[kernel.loads.len() + slot] = offset_pointer(
                buffer.as_mut_ptr(),
                store.map.offset,
                store.dtype.size_bytes(),
            ) as *mut u8;
        }
        // SAFETY: the caller's contract, with the blocked stores moved to
        // zeroed buffers of their buffers' dtype and length.
        unsafe { compiled.run(&pointers, scalars, start, stop) };
        let mut level = 0;
        while let Some((_, mut earlier)) = pending.pop_if(|(l, _)| *l == level) {
            add_each(&mut earlier, &block);
            block = earlier;
            level += 1;
        }
        pending.push((level, block));
        start = stop;
    }
    let mut total = match pending.pop() {
        Some((_, total)) => total,
        None => return fresh(),
    };
    while let Some((_, mut earlier)) = pending.pop() {
        add_each(&mut earlier, &total);
        total = earlier;
    }
    total
}

/// Adds `totals[k]` into `outputs[slots[k]]`, elementwise.
fn add_totals(outputs: &mut [Buffer], slots: &[usize], totals: &[Buffer]) {
    for (&slot, total) in slots.iter().zip(totals) {
        combine_into(&mut outputs[slot], total, ReduceOp::Sum);
    }
}

/// Adds `from[k]` into `into[k]`, elementwise, for every `k`.
fn add_each(into: &mut [Buffer], from: &[Buffer]) {
    for (into, from) in into.iter_mut().zip(from) {
        combine_into(into, from, ReduceOp::Sum);
    }
}

fn pointers(kernel: &Kernel, loads: &[*const u8], outputs: &mut [Buffer]) -> Pointers {
    let mut pointers: Vec<*mut u8> = loads.iter().map(|&p| p as *mut u8).collect();
    for (store, buffer) in kernel.stores.iter().zip(outputs.iter_mut()) {
        pointers.push(offset_pointer(
            buffer.as_mut_ptr(),
            store.map.offset,
            store.dtype.size_bytes(),
        ) as *mut u8);
    }
    Pointers(pointers)
}

/// `into[i] = op(into[i], from[i])`, with the interpreter's element
/// semantics (NumPy's NaN-propagating max/min and their ties).
fn combine_into(into: &mut Buffer, from: &Buffer, op: ReduceOp) {
    *into = ndjit_ir::interp::combine_partials(op, into, from)
        .expect("partials of one reduction share a dtype and length");
}

#[cfg(test)]
mod tests {
    use super::requested_threads;

    #[test]
    fn thread_requests_are_capped() {
        assert_eq!(requested_threads(Some("4")), Some(4));
        assert_eq!(requested_threads(Some("20000")), Some(1024));
        assert_eq!(requested_threads(Some("0")), None);
        assert_eq!(requested_threads(Some("many")), None);
        assert_eq!(requested_threads(None), None);
    }
}
