//! Running one kernel, split across threads when the work is large.

use super::execute::offset_pointer;
use crate::codegen::CompiledKernel;
use ndjit_ir::schedule::Kernel;
use ndjit_ir::{Buffer, DType, ReduceOp};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Below this many iteration points per thread, threading costs more than
/// it saves (DESIGN.md: order of 128K elements per thread).
const MIN_POINTS_PER_THREAD: usize = 128 * 1024;

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

fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        let threads = std::env::var("NDJIT_THREADS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("ndjit-worker-{i}"))
            .build()
            .expect("a thread pool with a positive thread count builds")
    })
}

/// Raw pointers handed to worker threads.
#[derive(Clone)]
struct Pointers(Vec<*mut u8>);

// SAFETY: the pointers address buffers that outlive the parallel scope
// (owned by the caller), and each thread writes a disjoint part of them:
// rows [begin, end) of axis 0 for plain stores, or its own private buffer
// for accumulating stores that sum over axis 0.
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
    if threads <= 1 {
        let pointers = pointers(kernel, loads, outputs);
        // SAFETY: the pointers address live buffers laid out as the
        // kernel's index maps expect (the scheduler built both).
        unsafe { compiled.run(&pointers.0, &scalars, 0, rows) };
        return;
    }
    // Accumulating stores that do not move along axis 0 would be written by
    // every thread: each thread but the first gets a private copy.
    let private: Vec<usize> = kernel
        .stores
        .iter()
        .enumerate()
        .filter(|(_, s)| s.combine.is_some() && s.map.strides.first() == Some(&0))
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
    pool().scope(|scope| {
        for (t, pointers) in per_thread.iter().enumerate() {
            let (begin, end) = (rows * t / threads, rows * (t + 1) / threads);
            let scalars = &scalars;
            scope.spawn(move |_| {
                // SAFETY: as in the single-threaded case; threads write
                // disjoint rows or private buffers (see `Pointers`).
                unsafe { compiled.run(&pointers.0, scalars, begin, end) };
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

/// `into[i] = op(into[i], from[i])`, with NumPy's NaN-propagating max/min.
fn combine_into(into: &mut Buffer, from: &Buffer, op: ReduceOp) {
    macro_rules! each {
        ($t:ty, $f:expr) => {{
            let f = $f;
            for (a, &b) in into
                .as_mut_slice::<$t>()
                .iter_mut()
                .zip(from.as_slice::<$t>())
            {
                *a = f(*a, b);
            }
        }};
    }
    macro_rules! numeric {
        ($t:ty, $add:expr, $mul:expr, $max:expr, $min:expr) => {
            match op {
                ReduceOp::Sum => each!($t, $add),
                ReduceOp::Prod => each!($t, $mul),
                ReduceOp::Max => each!($t, $max),
                ReduceOp::Min => each!($t, $min),
                ReduceOp::Any | ReduceOp::All => unreachable!("any/all reduce bools"),
            }
        };
    }
    match into.dtype() {
        DType::Bool => match op {
            ReduceOp::Any | ReduceOp::Max => each!(bool, |a: bool, b: bool| a || b),
            ReduceOp::All | ReduceOp::Min => each!(bool, |a: bool, b: bool| a && b),
            ReduceOp::Sum | ReduceOp::Prod => unreachable!("sum/prod of bools are computed in i64"),
        },
        DType::I32 => numeric!(
            i32,
            i32::wrapping_add,
            i32::wrapping_mul,
            i32::max,
            i32::min
        ),
        DType::I64 => numeric!(
            i64,
            i64::wrapping_add,
            i64::wrapping_mul,
            i64::max,
            i64::min
        ),
        DType::F32 => numeric!(
            f32,
            |a: f32, b: f32| a + b,
            |a: f32, b: f32| a * b,
            nan_max::<f32>,
            nan_min::<f32>
        ),
        DType::F64 => numeric!(
            f64,
            |a: f64, b: f64| a + b,
            |a: f64, b: f64| a * b,
            nan_max::<f64>,
            nan_min::<f64>
        ),
    }
}

fn nan_max<T: num_traits::Float>(a: T, b: T) -> T {
    if a.is_nan() || b.is_nan() {
        T::nan()
    } else {
        a.max(b)
    }
}

fn nan_min<T: num_traits::Float>(a: T, b: T) -> T {
    if a.is_nan() || b.is_nan() {
        T::nan()
    } else {
        a.min(b)
    }
}
