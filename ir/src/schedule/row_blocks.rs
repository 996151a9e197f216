//! Fusion rule 5 (DESIGN.md): consecutive kernels that only combine values
//! within a row run one block of rows at a time ([`Step::RowBlocks`]).
//!
//! A row softmax is scheduled as three kernels (row maxima; the
//! exponentials and their row sums; the quotients), each a full pass over
//! memory. They need not be: row `r` of each kernel reads only row `r` of
//! what the kernels before it wrote. So a run of such kernels executes
//! kernel 1, kernel 2, ... on a block of rows that fits in cache, then on
//! the next block, and the temporaries only the run reads never exist
//! whole (block scratch, see [`RowBlocks::scratch`]).
//!
//! The kernels are the ones the partitioner built, unchanged: each row's
//! values are computed by the same code in the same order, so the results
//! do not change. A kernel whose axes were merged into one (an elementwise
//! kernel) still joins: its axis 0 runs `m` points per row.

use super::kernel::{
    BufferDecl, BufferId, BufferRole, IndexMap, Kernel, RowBlocks, Schedule, Step,
};
use std::collections::HashMap;

/// Replaces each longest run of two or more consecutive kernels that are
/// row-local over a shared axis 0 with one [`Step::RowBlocks`].
pub(super) fn form_row_blocks(schedule: &mut Schedule) {
    let last_read = last_reads(&schedule.steps, schedule.buffers.len());
    let mut runs: Vec<(usize, usize, Vec<Kernel>)> = Vec::new();
    let mut start = 0;
    while start < schedule.steps.len() {
        match longest_run(&schedule.steps[start..], &schedule.buffers) {
            Some((rows, kernels)) => {
                let len = kernels.len();
                runs.push((start, rows, kernels));
                start += len;
            }
            None => start += 1,
        }
    }
    let mut steps = std::mem::take(&mut schedule.steps).into_iter();
    let mut next = 0; // the index of the next step of `steps`
    for (start, rows, kernels) in runs {
        schedule.steps.extend(steps.by_ref().take(start - next));
        // The run's own steps: `kernels` holds their kernels.
        steps.by_ref().take(kernels.len()).for_each(drop);
        next = start + kernels.len();
        let scratch = scratch(&kernels, &schedule.buffers, |b| {
            last_read[b.0 as usize].is_none_or(|last| last < next)
        });
        let bytes_per_row = bytes_per_row(&kernels, rows);
        schedule.steps.push(Step::RowBlocks(RowBlocks {
            rows,
            kernels,
            scratch,
            bytes_per_row,
        }));
    }
    schedule.steps.extend(steps);
}

/// For each buffer, the index of the last step that reads it.
fn last_reads(steps: &[Step], buffers: usize) -> Vec<Option<usize>> {
    let mut last = vec![None; buffers];
    for (index, step) in steps.iter().enumerate() {
        for buffer in step.reads() {
            last[buffer.0 as usize] = Some(index);
        }
    }
    last
}

/// The longest row-local run of kernels at the start of `steps`, with its
/// row count and its kernels, if it has two or more.
///
/// The row count is the extent of axis 0 of the first or the second
/// kernel: a first kernel whose axes were all merged into one (an
/// elementwise kernel) can join a run whose rows the second one fixes.
fn longest_run(steps: &[Step], buffers: &[BufferDecl]) -> Option<(usize, Vec<Kernel>)> {
    let mut candidates: Vec<usize> = steps
        .iter()
        .take(2)
        .map_while(|step| match step {
            Step::Kernel(kernel) => kernel.shape.first().copied(),
            _ => None,
        })
        .filter(|&rows| rows > 1)
        .collect();
    candidates.dedup();
    let mut best: Option<(usize, Vec<Kernel>)> = None;
    for rows in candidates {
        let kernels = run_over_rows(steps, rows, buffers);
        if kernels.len() >= 2 && best.as_ref().is_none_or(|(_, b)| kernels.len() > b.len()) {
            best = Some((rows, kernels));
        }
    }
    best
}

/// The kernels at the start of `steps` that form a run over `rows` rows.
fn run_over_rows(steps: &[Step], rows: usize, buffers: &[BufferDecl]) -> Vec<Kernel> {
    // The axis-0 stride (elements per row) of each buffer the run writes.
    let mut row_length: HashMap<BufferId, isize> = HashMap::new();
    let mut kernels = Vec::new();
    for step in steps {
        let Step::Kernel(kernel) = step else { break };
        let Some(split) = with_rows(kernel, rows) else {
            break;
        };
        let reads_own_rows = split.loads.iter().all(|load| {
            row_length
                .get(&load.buffer)
                .is_none_or(|&length| in_row(&load.map, &split.shape, length))
        });
        let Some(written) = rows_written(&split, rows, buffers) else {
            break;
        };
        if !reads_own_rows {
            break;
        }
        row_length.extend(written);
        kernels.push(kernel.clone());
    }
    kernels
}

/// `kernel` seen with axis 0 over exactly `rows`: itself, or with axis 0
/// (extent `m * rows`) split into `[rows, m]`. Every map walks the two
/// axes as it walked the one (stride `s` becomes `[s * m, s]`), so each
/// point reads and writes the same elements: row `r` is the points
/// `[r * m, (r + 1) * m)` of the kernel's axis 0.
fn with_rows(kernel: &Kernel, rows: usize) -> Option<Kernel> {
    let extent = *kernel.shape.first()?;
    if extent == rows {
        return Some(kernel.clone());
    }
    if rows == 0 || extent < rows || extent % rows != 0 {
        return None;
    }
    let within = extent / rows;
    let mut kernel = kernel.clone();
    kernel.shape[0] = rows;
    kernel.shape.insert(1, within);
    for map in kernel.maps_mut() {
        let stride = map.strides[0];
        map.strides[0] = stride * within as isize;
        map.strides.insert(1, stride);
    }
    Some(kernel)
}

/// For each store of `kernel` (axis 0 over `rows`), its buffer and row
/// length, if every store writes, for row `r`, only elements
/// `[r * length, (r + 1) * length)` of a buffer of `rows * length`
/// elements, and all of them (plain stores that cover their buffer; a
/// reduction's buffer is filled with its starting value first). `None`
/// for anything else: a store that combines over axis 0, or writes a
/// window of its buffer (a pad).
fn rows_written(
    kernel: &Kernel,
    rows: usize,
    buffers: &[BufferDecl],
) -> Option<Vec<(BufferId, isize)>> {
    kernel
        .stores
        .iter()
        .map(|store| {
            let decl = &buffers[store.buffer.0 as usize];
            let length = store.map.strides[0];
            let covered = store.combine.is_some() || decl.len == kernel.len();
            let rows_tile = length > 0 && rows.checked_mul(length as usize) == Some(decl.len);
            (covered && rows_tile && in_row(&store.map, &kernel.shape, length))
                .then_some((store.buffer, length))
        })
        .collect()
}

/// Whether `map`, over `shape`, reaches from each row's start only the
/// `length` elements of that row: no offset, axis-0 stride `length`, and
/// the other axes within `[0, length)`.
fn in_row(map: &IndexMap, shape: &[usize], length: isize) -> bool {
    if map.offset != 0 || map.strides[0] != length {
        return false;
    }
    if shape[1..].contains(&0) {
        return true; // no point reads or writes anything
    }
    let (mut lowest, mut highest) = (0isize, 0isize);
    for (&extent, &stride) in shape[1..].iter().zip(&map.strides[1..]) {
        let far = (extent as isize - 1) * stride;
        lowest += far.min(0);
        highest += far.max(0);
    }
    lowest >= 0 && highest < length
}

/// The buffers the run writes that only its own kernels read: temporaries
/// with no reader after the run (`read_only_inside`).
fn scratch(
    kernels: &[Kernel],
    buffers: &[BufferDecl],
    read_only_inside: impl Fn(BufferId) -> bool,
) -> Vec<BufferId> {
    kernels
        .iter()
        .flat_map(|k| &k.stores)
        .map(|s| s.buffer)
        .filter(|&b| buffers[b.0 as usize].role == BufferRole::Temporary && read_only_inside(b))
        .collect()
}

/// The bytes of one row of every buffer the kernels touch (the most any
/// one map reaches, per buffer). A map with axis-0 stride 0 reads the same
/// elements for every row: those stay in cache for the whole step and
/// count nothing. At least 1.
fn bytes_per_row(kernels: &[Kernel], rows: usize) -> usize {
    let mut per_buffer: HashMap<BufferId, usize> = HashMap::new();
    for kernel in kernels {
        let kernel = with_rows(kernel, rows).expect("the run's kernels split into its rows");
        let maps = kernel
            .loads
            .iter()
            .map(|l| (l.buffer, l.dtype, &l.map))
            .chain(kernel.stores.iter().map(|s| (s.buffer, s.dtype, &s.map)));
        for (buffer, dtype, map) in maps {
            if map.strides[0] == 0 {
                continue;
            }
            let elements: usize = kernel.shape[1..]
                .iter()
                .zip(&map.strides[1..])
                .filter(|(_, &stride)| stride != 0)
                .map(|(&extent, _)| extent)
                .product();
            let bytes = per_buffer.entry(buffer).or_default();
            *bytes = (*bytes).max(elements * dtype.size_bytes());
        }
    }
    per_buffer.values().sum::<usize>().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dtype::DType;
    use crate::schedule::{Expr, Instr, Load, Store, ValueId};

    fn map(strides: &[isize]) -> IndexMap {
        IndexMap {
            offset: 0,
            strides: strides.to_vec(),
        }
    }

    /// `store (load b0) -> b1` over `shape`, both through `strides`.
    fn copy(shape: &[usize], strides: &[isize]) -> Kernel {
        Kernel {
            shape: shape.to_vec(),
            loads: vec![Load {
                buffer: BufferId(0),
                dtype: DType::F64,
                map: map(strides),
            }],
            scalars: Vec::new(),
            body: vec![Instr {
                expr: Expr::Load(0),
                dtype: DType::F64,
            }],
            stores: vec![Store {
                value: ValueId(0),
                buffer: BufferId(1),
                dtype: DType::F64,
                map: map(strides),
                combine: None,
            }],
        }
    }

    #[test]
    fn a_merged_axis_splits_into_rows_reaching_the_same_elements() {
        let split = with_rows(&copy(&[12], &[2]), 3).unwrap();
        assert_eq!(split.shape, vec![3, 4]);
        assert_eq!(split.loads[0].map.strides, vec![8, 2]);
        assert_eq!(split.stores[0].map.strides, vec![8, 2]);
        assert!(with_rows(&copy(&[12], &[1]), 5).is_none());
        assert!(with_rows(&copy(&[2], &[1]), 4).is_none());
        assert!(with_rows(&copy(&[], &[]), 4).is_none());
    }

    #[test]
    fn in_row_bounds_every_axis_but_the_first() {
        assert!(in_row(&map(&[8, 1]), &[4, 8], 8));
        assert!(in_row(&map(&[1, 0]), &[4, 8], 1));
        // Rows read backwards from their start, or past their end, are not.
        assert!(!in_row(&map(&[8, -1]), &[4, 8], 8));
        assert!(!in_row(&map(&[8, 1]), &[4, 9], 8));
        assert!(!in_row(&map(&[16, 1]), &[4, 8], 8));
        assert!(in_row(&map(&[8, 1]), &[4, 0], 8));
    }
}
