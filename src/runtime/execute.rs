//! Running a compiled program on input tensors.

use super::parallel;
use super::program::{Program, Runner};
use super::row_blocks;
use super::stats::COUNTERS;
use crate::error::Result;
use ndjit_ir::schedule::{reduce_init, BufferRole, Kernel, Schedule, Step, Store};
use ndjit_ir::{Buffer, IrError, Tensor, TensorType};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Runs `program` on `inputs` (which must match the traced graph's inputs)
/// and returns its outputs.
pub(crate) fn execute(program: &Program, inputs: &[Tensor]) -> Result<Vec<Tensor>> {
    let schedule = &program.schedule;
    super::bounds::check_input_buffers(schedule, inputs)?;
    let mut slots: Vec<Option<Arc<Buffer>>> = schedule
        .buffers
        .iter()
        .map(|decl| match decl.role {
            BufferRole::Input(k) => inputs.get(k).map(|t| t.buffer().clone()),
            _ => None,
        })
        .collect();
    for (i, (step, runner)) in schedule.steps.iter().zip(&program.runners).enumerate() {
        match (step, runner) {
            (Step::Kernel(kernel), Runner::Kernel(compiled)) => {
                let mut outputs = store_buffers(kernel, schedule, &mut slots)?;
                let loads: Vec<*const u8> = kernel
                    .loads
                    .iter()
                    .map(|load| {
                        let buffer = slots[load.buffer.0 as usize]
                            .as_ref()
                            .expect("loads read earlier steps' buffers");
                        offset_pointer(buffer.as_ptr(), load.map.offset, load.dtype.size_bytes())
                    })
                    .collect();
                parallel::run_kernel(kernel, compiled, &loads, &mut outputs);
                for (store, buffer) in kernel.stores.iter().zip(outputs) {
                    slots[store.buffer.0 as usize] = Some(Arc::new(buffer));
                }
            }
            (Step::RowBlocks(blocks), Runner::RowBlocks(compiled)) => {
                for (buffer, whole) in row_blocks::run(blocks, compiled, schedule, &slots)? {
                    slots[buffer.0 as usize] = Some(Arc::new(whole));
                }
            }
            (Step::Library { args, output, .. }, Runner::Library(graph)) => {
                let arg_tensors: Vec<Tensor> = args
                    .iter()
                    .map(|(b, ty)| tensor(ty, slots[b.0 as usize].clone().expect("ready")))
                    .collect::<Result<_>>()?;
                let mut value = ndjit_ir::interp::evaluate(graph, &arg_tensors)?;
                slots[output.0 .0 as usize] = Some(value.remove(0).into_buffer());
            }
            _ => unreachable!("each step has the runner of its kind"),
        }
        // Free temporaries nobody reads any more.
        for (b, decl) in schedule.buffers.iter().enumerate() {
            if decl.role == BufferRole::Temporary && program.last_read[b] == Some(i) {
                slots[b] = None;
            }
        }
    }
    schedule
        .outputs
        .iter()
        .map(|(b, ty)| {
            tensor(
                ty,
                slots[b.0 as usize].clone().expect("outputs are computed"),
            )
        })
        .collect()
}

/// A schedule buffer viewed as a tensor of its declared type. The schedule
/// sizes every buffer for its type, so a mismatch is a bug of ndjit: it is
/// reported as an error rather than handed on as an inconsistent tensor.
fn tensor(ty: &TensorType, buffer: Arc<Buffer>) -> Result<Tensor> {
    let len = buffer.len();
    Tensor::from_shared(ty.shape.clone(), buffer).ok_or_else(|| {
        IrError::Type {
            op: "execute",
            message: format!("a buffer of {len} elements holds a value of type {ty}"),
        }
        .into()
    })
}

/// The buffer of each of a kernel's stores (the scheduler gives every store
/// its own): the one an earlier kernel started, for a concat written window
/// by window, else a fresh one (see [`allocate_store`]).
fn store_buffers(
    kernel: &Kernel,
    schedule: &Schedule,
    slots: &mut [Option<Arc<Buffer>>],
) -> Result<Vec<Buffer>> {
    kernel
        .stores
        .iter()
        .map(|store| match slots[store.buffer.0 as usize].take() {
            Some(started) => Ok(Arc::try_unwrap(started)
                .unwrap_or_else(|_| unreachable!("nothing reads a buffer before it is complete"))),
            None => allocate_store(store, schedule),
        })
        .collect()
}

/// A fresh buffer for a store, pre-filled with the starting value of an
/// accumulating store, or with zeros where the schedule asks for them. An
/// error naming the value and its size if the memory cannot be had.
pub(super) fn allocate_store(store: &Store, schedule: &Schedule) -> Result<Buffer> {
    let decl = &schedule.buffers[store.buffer.0 as usize];
    let buffer = match store.combine {
        Some(op) => Buffer::try_filled(reduce_init(op, decl.dtype), decl.len),
        None if decl.zeroed => Buffer::try_zeros(decl.dtype, decl.len),
        // SAFETY: the kernels that write the buffer (this one, or for a
        // concat this and the ones after it, whose windows tile it) write
        // every element before anything reads it.
        None => unsafe { Buffer::for_overwrite(decl.dtype, decl.len) },
    }
    .map_err(|e| e.for_op(format!("evaluate (a {}[{}] result)", decl.dtype, decl.len)))?;
    COUNTERS.bytes_allocated.fetch_add(
        (decl.len * decl.dtype.size_bytes()) as u64,
        Ordering::Relaxed,
    );
    Ok(buffer)
}

/// `base` moved by `offset` elements of `size` bytes.
pub(crate) fn offset_pointer(base: *const u8, offset: isize, size: usize) -> *const u8 {
    base.wrapping_offset(offset * size as isize)
}
