//! Recycling of large buffer allocations.
//!
//! Fresh memory from the OS costs a page fault per 4 KiB on first write: an
//! 80 MB output takes ~20,000 faults, which on this kind of VM cost more
//! than computing it (and transparent huge pages are not granted here). A
//! program evaluated in a loop frees and reallocates the same sizes, so
//! large freed allocations are kept, up to [`RETAINED_BYTES`] in all, and
//! handed out again for the same size.

use std::collections::HashMap;
use std::ptr::NonNull;
use std::sync::Mutex;

/// Allocations at least this large are recycled.
pub(crate) const MIN_POOLED_BYTES: usize = 1 << 20;
/// The most memory the pool keeps while nobody uses it.
const RETAINED_BYTES: usize = 512 << 20;

/// Freed allocations by exact byte size.
struct Pool {
    free: HashMap<usize, Vec<Allocation>>,
    retained: usize,
}

/// A freed allocation owned by the pool.
struct Allocation(NonNull<u8>);

// SAFETY: the pool owns the allocations it holds exclusively; nothing else
// points into them until `take` hands one out.
unsafe impl Send for Allocation {}

static POOL: Mutex<Option<Pool>> = Mutex::new(None);

fn with_pool<T>(f: impl FnOnce(&mut Pool) -> T) -> T {
    let mut guard = POOL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    f(guard.get_or_insert_with(|| Pool {
        free: HashMap::new(),
        retained: 0,
    }))
}

/// A recycled allocation of exactly `bytes` bytes (with stale contents),
/// if the pool has one.
pub(crate) fn take(bytes: usize) -> Option<NonNull<u8>> {
    if bytes < MIN_POOLED_BYTES {
        return None;
    }
    with_pool(|pool| {
        let allocation = pool.free.get_mut(&bytes)?.pop()?;
        pool.retained -= bytes;
        Some(allocation.0)
    })
}

/// Offers an allocation of `bytes` bytes back; returns `false` (the caller
/// frees it) when it is too small to pool or the pool is full.
pub(crate) fn give(ptr: NonNull<u8>, bytes: usize) -> bool {
    if bytes < MIN_POOLED_BYTES {
        return false;
    }
    with_pool(|pool| {
        if pool.retained + bytes > RETAINED_BYTES {
            return false;
        }
        pool.retained += bytes;
        pool.free.entry(bytes).or_default().push(Allocation(ptr));
        true
    })
}
