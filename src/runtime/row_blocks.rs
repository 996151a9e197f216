//! Running a [`RowBlocks`] step: its kernels one block of rows at a time
//! (kernel 1 on the block, kernel 2 on the block, ...), the blocks shared
//! among threads when the work is large.

use super::execute::{allocate_store, offset_pointer};
use super::parallel::{pool, thread_count, MIN_POINTS_PER_THREAD};
use super::stats::COUNTERS;
use crate::codegen::CompiledKernel;
use crate::error::Result;
use ndjit_ir::schedule::{reduce_init, BufferId, Kernel, RowBlocks, Schedule};
use ndjit_ir::{Buffer, DType, Scalar};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The bytes of one block's rows of every buffer the kernels touch. A
/// quarter to a half of a core's L2 (1–2 MiB on the machines measured),
/// so that the block's rows one kernel writes or reads are still in cache
/// when the next kernel reads them.
const BLOCK_BYTES: usize = 256 * 1024;

/// Where a kernel's load or store points.
#[derive(Clone, Copy)]
enum Base {
    /// Into a whole buffer (already moved by the map's offset).
    Whole(*mut u8),
    /// Into the running thread's scratch buffer for
    /// [`RowBlocks::scratch`]`[k]` (the scheduler gives these maps no offset).
    Scratch(usize),
}

/// The base of every load then every store, for each kernel.
struct Bases(Vec<Vec<Base>>);

// SAFETY: the `Whole` pointers address buffers that outlive the parallel
// scope (the step's inputs, and the buffers `run` allocates), and each
// thread writes only the rows of the blocks it takes (every store of a
// row-blocks step writes row `r`'s elements only when running row `r`);
// `Scratch` bases are resolved per thread into that thread's own buffers.
unsafe impl Send for Bases {}
// SAFETY: see `Send`; the workers only copy the pointer values.
unsafe impl Sync for Bases {}

/// A scratch buffer: its dtype, elements per row, and starting value (for
/// a reduction's result).
struct ScratchLayout {
    dtype: DType,
    row_length: usize,
    init: Option<Scalar>,
}

/// Runs `blocks` with the kernels' compiled code (in order), reading
/// earlier steps' buffers from `slots`, and returns the buffers it writes
/// that outlive it (everything but its scratch).
pub(super) fn run(
    blocks: &RowBlocks,
    compiled: &[Arc<CompiledKernel>],
    schedule: &Schedule,
    slots: &[Option<Arc<Buffer>>],
) -> Result<Vec<(BufferId, Buffer)>> {
    let mut written: Vec<(BufferId, Buffer)> = blocks
        .kernels
        .iter()
        .flat_map(|kernel| &kernel.stores)
        .filter(|store| !blocks.scratch.contains(&store.buffer))
        .map(|store| Ok((store.buffer, allocate_store(store, schedule)?)))
        .collect::<Result<_>>()?;
    let layouts: Vec<ScratchLayout> = blocks
        .scratch
        .iter()
        .map(|&buffer| {
            let decl = &schedule.buffers[buffer.0 as usize];
            let combine = blocks
                .kernels
                .iter()
                .flat_map(|k| &k.stores)
                .find(|s| s.buffer == buffer)
                .and_then(|s| s.combine);
            ScratchLayout {
                dtype: decl.dtype,
                row_length: decl.len / blocks.rows,
                init: combine.map(|op| reduce_init(op, decl.dtype)),
            }
        })
        .collect();
    let mut base = |buffer: BufferId, offset: isize, dtype: DType| -> Base {
        if let Some(k) = blocks.scratch.iter().position(|&s| s == buffer) {
            debug_assert_eq!(offset, 0, "scratch maps have no offset");
            return Base::Scratch(k);
        }
        let start = match written.iter_mut().find(|(b, _)| *b == buffer) {
            Some((_, whole)) => whole.as_mut_ptr(),
            None => slots[buffer.0 as usize]
                .as_ref()
                .expect("loads read earlier steps' buffers")
                .as_ptr() as *mut u8,
        };
        Base::Whole(offset_pointer(start, offset, dtype.size_bytes()) as *mut u8)
    };
    let bases = Bases(
        blocks
            .kernels
            .iter()
            .map(|kernel| {
                let loads = kernel.loads.iter().map(|l| (l.buffer, &l.map, l.dtype));
                let stores = kernel.stores.iter().map(|s| (s.buffer, &s.map, s.dtype));
                loads
                    .chain(stores)
                    .map(|(buffer, map, dtype)| base(buffer, map.offset, dtype))
                    .collect()
            })
            .collect(),
    );
    let scalars: Vec<Vec<u64>> = blocks
        .kernels
        .iter()
        .map(|k| k.scalars.iter().map(|s| s.bits()).collect())
        .collect();
    let rows = blocks.rows;
    let work = Work {
        kernels: &blocks.kernels,
        compiled,
        bases: &bases,
        scalars: &scalars,
        layouts: &layouts,
        rows,
        block_rows: (BLOCK_BYTES / blocks.bytes_per_row).clamp(1, rows),
        next_block: AtomicUsize::new(0),
    };
    let points: usize = blocks.kernels.iter().map(Kernel::len).sum();
    let threads = thread_count().min(points / MIN_POINTS_PER_THREAD).min(rows);
    // Each thread's scratch, allocated here so that a failure is an error.
    let mut scratch: Vec<Vec<Buffer>> = (0..threads.max(1))
        .map(|_| work.scratch())
        .collect::<Result<_>>()?;
    if threads <= 1 {
        let scratch = scratch.pop().expect("one set of scratch buffers");
        // SAFETY: the bases address live buffers laid out as the kernels'
        // maps expect (the scheduler built both).
        unsafe { work.run_blocks(scratch) };
    } else {
        pool().scope(|scope| {
            for scratch in scratch {
                let work = &work;
                // SAFETY: as above; each block runs on one thread (see `Bases`).
                scope.spawn(move |_| unsafe { work.run_blocks(scratch) });
            }
        });
    }
    Ok(written)
}

/// What every thread of a row-blocks step shares.
struct Work<'a> {
    kernels: &'a [Kernel],
    compiled: &'a [Arc<CompiledKernel>],
    bases: &'a Bases,
    scalars: &'a [Vec<u64>],
    layouts: &'a [ScratchLayout],
    rows: usize,
    block_rows: usize,
    /// The index of the next block of rows no thread has taken yet.
    /// Threads take blocks one at a time rather than a fixed share of the
    /// rows, so a thread slowed down (by another process on its core)
    /// holds the others back by one block at most. A row is computed the
    /// same whichever thread runs it.
    next_block: AtomicUsize,
}

impl Work<'_> {
    /// One thread's scratch buffers, one block of rows each.
    fn scratch(&self) -> Result<Vec<Buffer>> {
        self.layouts
            .iter()
            .map(|layout| {
                let len = self.block_rows * layout.row_length;
                // SAFETY: a kernel reads a scratch buffer only at the rows
                // of the block it runs, which the kernel that writes the
                // buffer has written just before (a plain store covers its
                // rows), or which are filled in `run_blocks` (a reduction's).
                let buffer = unsafe { Buffer::for_overwrite(layout.dtype, len) }
                    .map_err(|e| e.for_op("evaluate (row-block scratch)"))?;
                COUNTERS
                    .bytes_allocated
                    .fetch_add((len * layout.dtype.size_bytes()) as u64, Ordering::Relaxed);
                Ok(buffer)
            })
            .collect()
    }

    /// Runs blocks of rows until none are left, with scratch buffers of
    /// its own (from [`Work::scratch`]).
    ///
    /// # Safety
    ///
    /// As [`CompiledKernel::run`] for each kernel, its `Whole` bases and
    /// every row.
    unsafe fn run_blocks(&self, mut scratch: Vec<Buffer>) {
        let mut pointers: Vec<Vec<*mut u8>> = self
            .bases
            .0
            .iter()
            .map(|b| vec![std::ptr::null_mut(); b.len()])
            .collect();
        loop {
            let block = self.next_block.fetch_add(1, Ordering::Relaxed);
            let start = block.saturating_mul(self.block_rows);
            if start >= self.rows {
                return;
            }
            let stop = self.rows.min(start + self.block_rows);
            for (buffer, layout) in scratch.iter_mut().zip(self.layouts) {
                if let Some(init) = layout.init {
                    buffer.fill(init);
                }
            }
            for (k, kernel) in self.kernels.iter().enumerate() {
                if kernel.is_empty() {
                    continue;
                }
                for (pointer, base) in pointers[k].iter_mut().zip(&self.bases.0[k]) {
                    *pointer = match *base {
                        Base::Whole(pointer) => pointer,
                        // Row `start` at the scratch buffer's start: the
                        // kernel moves its base to its first point, row
                        // `start`. Only the block's rows, inside the
                        // buffer, are addressed.
                        Base::Scratch(j) => {
                            let layout = &self.layouts[j];
                            let skipped = start * layout.row_length * layout.dtype.size_bytes();
                            scratch[j].as_mut_ptr().wrapping_sub(skipped)
                        }
                    };
                }
                // Row `r` is the points `[r * m, (r + 1) * m)` of axis 0.
                let m = kernel.shape[0] / self.rows;
                // SAFETY: the caller's contract for the `Whole` bases; the
                // scratch bases address this block's rows in this thread's
                // buffers, which hold `block_rows` rows.
                unsafe {
                    self.compiled[k].run(&pointers[k], &self.scalars[k], start * m, stop * m)
                };
            }
        }
    }
}
