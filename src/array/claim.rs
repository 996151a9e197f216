//! One computation per pending array, however many threads ask for it.
//!
//! `Array` is `Send + Sync`, so several threads may evaluate the same
//! pending array at once. The first to get there *claims* it and computes
//! it; the others wait for its value instead of computing it again.
//!
//! A thread never waits while it holds claims: it first computes (and
//! stores) everything it claimed, releases those claims, and only then
//! waits for the arrays other threads claimed. So a wait always ends: each
//! claimer either stores a value or, if its evaluation failed, releases the
//! claim and the waiter computes the array itself.
//!
//! Only the requested arrays are claimed. Pending nodes inside their graphs
//! are not: two threads evaluating different arrays over a shared pending
//! operand may both compute that operand (the values are identical).

use super::node::ArrayNode;
use super::Array;
use std::sync::atomic::Ordering;
use std::sync::{Condvar, Mutex};

/// Wakes threads waiting for claimed arrays. One pair for the whole
/// process: waits are rare and short, and a waiter rechecks its own array.
static RELEASED: (Mutex<()>, Condvar) = (Mutex::new(()), Condvar::new());

/// The arrays this thread has claimed; dropping it releases them (after
/// their values were stored, or after a failure) and wakes the waiters.
pub(crate) struct Claims(Vec<Array>);

impl Claims {
    /// Claims each of `arrays` that no other thread is computing. Returns
    /// the claims, and the arrays some other thread is computing.
    pub(crate) fn take(arrays: &[&Array]) -> (Claims, Vec<Array>) {
        let mut claimed = Vec::new();
        let mut busy = Vec::new();
        for &array in arrays {
            let flag = in_flight(array);
            let won = flag
                .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
                .is_ok();
            if won {
                claimed.push(array.clone());
            } else {
                busy.push(array.clone());
            }
        }
        (Claims(claimed), busy)
    }

    /// The claimed arrays.
    pub(crate) fn arrays(&self) -> &[Array] {
        &self.0
    }
}

impl Drop for Claims {
    fn drop(&mut self) {
        if self.0.is_empty() {
            return;
        }
        for array in &self.0 {
            in_flight(array).store(false, Ordering::Release);
        }
        // Taking the lock orders this release after any waiter's check, so
        // no waiter sleeps through it.
        let _lock = RELEASED.0.lock().unwrap_or_else(|p| p.into_inner());
        RELEASED.1.notify_all();
    }
}

/// Blocks until no thread is computing `array`.
pub(crate) fn wait_for(array: &Array) {
    let flag = in_flight(array);
    let mut lock = RELEASED.0.lock().unwrap_or_else(|p| p.into_inner());
    while flag.load(Ordering::Acquire) {
        lock = RELEASED.1.wait(lock).unwrap_or_else(|p| p.into_inner());
    }
}

fn in_flight(array: &Array) -> &std::sync::atomic::AtomicBool {
    match &*array.0 {
        ArrayNode::Valid { in_flight, .. } => in_flight,
        ArrayNode::Invalid(_) => unreachable!("only valid arrays are evaluated"),
    }
}
