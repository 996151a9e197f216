//! The bounds check between a schedule and the compiled code that runs it.
//!
//! Kernels read and write buffers through raw pointers and index maps, with
//! no check per element. Before a program is first run, every map of every
//! plain kernel step is checked to stay inside its buffer's declared length
//! (and each run checks the input buffers against those lengths), so a
//! scheduler bug is an error, never an out-of-bounds access.

use crate::error::Result;
use ndjit_ir::schedule::{BufferRole, IndexMap, Schedule, Step};
use ndjit_ir::{Buffer, IrError, Tensor};

/// Checks every load and store of the schedule's kernel steps against the
/// length and dtype of the buffer it addresses.
pub(crate) fn check_schedule(schedule: &Schedule) -> Result<()> {
    for step in &schedule.steps {
        let Step::Kernel(kernel) = step else { continue };
        let accesses = kernel
            .loads
            .iter()
            .map(|l| (l.buffer, l.dtype, &l.map))
            .chain(kernel.stores.iter().map(|s| (s.buffer, s.dtype, &s.map)));
        for (buffer, dtype, map) in accesses {
            let decl = &schedule.buffers[buffer.0 as usize];
            if decl.dtype != dtype || !map_fits(&kernel.shape, map, decl.len) {
                return Err(IrError::Type {
                    op: "schedule",
                    message: format!(
                        "a kernel over {:?} addresses buffer {} ({} × {}) through {map:?} as {dtype}",
                        kernel.shape, buffer.0, decl.len, decl.dtype
                    ),
                }
                .into());
            }
        }
    }
    Ok(())
}

/// Checks that each input buffer has the length and dtype the schedule
/// declares for it.
pub(crate) fn check_input_buffers(schedule: &Schedule, inputs: &[Tensor]) -> Result<()> {
    for decl in &schedule.buffers {
        if let BufferRole::Input(k) = decl.role {
            let fits = inputs
                .get(k)
                .map(|t| &**t.buffer())
                .is_some_and(|b: &Buffer| b.len() == decl.len && b.dtype() == decl.dtype);
            if !fits {
                return Err(IrError::Input {
                    index: k,
                    message: format!("the program reads {} elements of {}", decl.len, decl.dtype),
                }
                .into());
            }
        }
    }
    Ok(())
}

/// Whether every point of the iteration space `shape` maps into
/// `[0, len)`. An empty space touches nothing.
fn map_fits(shape: &[usize], map: &IndexMap, len: usize) -> bool {
    if map.strides.len() != shape.len() {
        return false;
    }
    if shape.contains(&0) {
        return true;
    }
    // i128: extents and strides are each below 2^63, so no product or sum
    // of a handful of them overflows.
    let (mut low, mut high) = (map.offset as i128, map.offset as i128);
    for (&extent, &stride) in shape.iter().zip(&map.strides) {
        let reach = (extent as i128 - 1) * stride as i128;
        if reach < 0 {
            low += reach;
        } else {
            high += reach;
        }
    }
    low >= 0 && high < len as i128
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(offset: isize, strides: &[isize]) -> IndexMap {
        IndexMap {
            offset,
            strides: strides.to_vec(),
        }
    }

    #[test]
    fn maps_are_checked_against_the_buffer_length() {
        assert!(map_fits(&[2, 3], &map(0, &[3, 1]), 6));
        assert!(!map_fits(&[2, 3], &map(0, &[3, 1]), 5));
        assert!(!map_fits(&[2, 3], &map(1, &[3, 1]), 6));
        // A reversed slice starts at the end and walks back.
        assert!(map_fits(&[4], &map(3, &[-1]), 4));
        assert!(!map_fits(&[4], &map(2, &[-1]), 4));
        // Broadcasts read one element many times.
        assert!(map_fits(&[1000, 1000], &map(0, &[0, 0]), 1));
        assert!(map_fits(&[0, 5], &map(100, &[1, 1]), 1));
        assert!(!map_fits(&[5], &map(0, &[1, 1]), 5));
        assert!(!map_fits(&[usize::MAX >> 1], &map(0, &[isize::MAX]), 10));
    }
}
