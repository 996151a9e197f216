//! The shared node behind every [`Array`] handle, and its iterative drop.

use super::Array;
use crate::error::Error;
use ndjit_ir::{Op, Tensor, TensorType};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU32};
use std::sync::{Mutex, MutexGuard};

/// Pending graphs deeper than this are realized as they are built, so that
/// user loops like `x = x + 1.0` run in bounded memory and never build a
/// graph too deep to compile (except while a closure is traced: see
/// [`Tracing`]).
pub(crate) const AUTO_REALIZE_DEPTH: u32 = 2048;

thread_local! {
    /// How many closures this thread is tracing right now (they nest: the
    /// closure of `grad(grad(f))` runs inside the outer one's).
    static TRACING: Cell<usize> = const { Cell::new(0) };
}

/// While one of these is alive, the thread is tracing a closure for
/// differentiation or for a [`crate::Function`], and no array is realized:
/// neither automatically by depth, nor by an explicit `eval` (which then
/// computes the value without storing it). Realizing a node drops its
/// operands, which would cut the graph between the closure's arguments and
/// its outputs: a derivative would see a constant where the argument was,
/// and a `Function` would bake in one call's data. Arrays built on other
/// threads meanwhile are not covered.
pub(crate) struct Tracing(());

impl Tracing {
    /// Starts tracing on this thread until the guard drops.
    pub(crate) fn start() -> Tracing {
        TRACING.with(|t| t.set(t.get() + 1));
        Tracing(())
    }

    /// Whether this thread is tracing a closure.
    pub(crate) fn active() -> bool {
        TRACING.with(|t| t.get() > 0)
    }
}

impl Drop for Tracing {
    fn drop(&mut self) {
        TRACING.with(|t| t.set(t.get() - 1));
    }
}

/// What an array handle points at.
pub(crate) enum ArrayNode {
    /// A well-formed array: its static type and its evaluation state.
    Valid {
        /// Shape and dtype, known when the node is built.
        ty: TensorType,
        /// Length of the longest chain of pending nodes ending here (0 once realized).
        depth: AtomicU32,
        /// Pending operation or realized value.
        state: Mutex<State>,
        /// Whether a thread has claimed this pending array and is computing
        /// it (see [`super::claim`]).
        in_flight: AtomicBool,
    },
    /// The result of an invalid operation: the error is reported when the
    /// array is validated or evaluated, and by every array built from it.
    Invalid(Error),
}

/// The evaluation state of a valid node.
pub(crate) enum State {
    /// Not computed yet: an op and its operands.
    Pending { op: Op, args: Vec<Array> },
    /// Computed: the value. The operands were dropped, so the graph behind
    /// a realized array is freed.
    Realized(Tensor),
    /// A stand-in for a [`crate::Function`]'s argument while its closure is
    /// traced: it has a type but never a value.
    Placeholder,
}

impl ArrayNode {
    /// A valid node in the given state, not claimed by any thread.
    pub(crate) fn valid(ty: TensorType, depth: u32, state: State) -> ArrayNode {
        ArrayNode::Valid {
            ty,
            depth: AtomicU32::new(depth),
            state: Mutex::new(state),
            in_flight: AtomicBool::new(false),
        }
    }

    /// Locks the state. A poisoned lock means a panic elsewhere while the
    /// state was held; the state itself is always consistent (it is only
    /// ever replaced whole), so the poison is ignored.
    pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
        state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Drop for ArrayNode {
    /// Drops the operands of a pending chain iteratively: the default
    /// recursive drop of nested `Arc`s overflows the stack on the
    /// million-node chains user loops can build.
    fn drop(&mut self) {
        let mut stack = match self {
            ArrayNode::Valid { state, .. } => {
                take_args(state.get_mut().unwrap_or_else(|p| p.into_inner()))
            }
            ArrayNode::Invalid(_) => return,
        };
        while let Some(array) = stack.pop() {
            // Not collapsible into one pattern: `ArrayNode` has a `Drop`,
            // so its fields cannot be moved out by destructuring.
            #[allow(clippy::collapsible_match)]
            if let Ok(mut node) = std::sync::Arc::try_unwrap(array.0) {
                if let ArrayNode::Valid { state, .. } = &mut node {
                    stack.extend(take_args(
                        state.get_mut().unwrap_or_else(|p| p.into_inner()),
                    ));
                }
                // `node` drops here with no operands left: no recursion.
            }
        }
    }
}

fn take_args(state: &mut State) -> Vec<Array> {
    match state {
        State::Pending { args, .. } => std::mem::take(args),
        State::Realized(_) | State::Placeholder => Vec::new(),
    }
}
