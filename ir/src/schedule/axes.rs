//! Rewriting a kernel's iteration space: reordering its axes to walk
//! memory in order, and merging adjacent axes every map walks as one.

use super::kernel::{IndexMap, Kernel};

/// Reorders the iteration axes of a kernel whose stores all accumulate
/// (nothing it writes fixes an order) so that its loads walk memory
/// outermost-first, as NumPy's iterator orders axes: `x.t().sum(..)` then
/// reads `x` contiguously (one pairwise-summed row) instead of jumping a
/// row per element, and `x.t().sum(0)` becomes a reduction along the
/// innermost axis. An insertion sort moves axis `b` outside its neighbour
/// `a` when every load that moves along both walks `b` with the larger
/// stride; loads that do not move along both, or disagree, keep the order.
pub(super) fn order_axes_by_loads(mut kernel: Kernel) -> Kernel {
    let rank = kernel.shape.len();
    if rank < 2 || kernel.stores.iter().any(|s| s.combine.is_none()) {
        return kernel;
    }
    let outside = |a: usize, b: usize| {
        let mut any = false;
        for load in &kernel.loads {
            let (a, b) = (
                load.map.strides[a].unsigned_abs(),
                load.map.strides[b].unsigned_abs(),
            );
            if a == 0 || b == 0 || a == b {
                continue;
            }
            if a > b {
                return false;
            }
            any = true;
        }
        any
    };
    let mut order: Vec<usize> = (0..rank).collect();
    for i in 1..rank {
        let mut j = i;
        while j > 0 && outside(order[j - 1], order[j]) {
            order.swap(j - 1, j);
            j -= 1;
        }
    }
    if order.iter().enumerate().all(|(i, &a)| i == a) {
        return kernel;
    }
    kernel.shape = order.iter().map(|&a| kernel.shape[a]).collect();
    for map in kernel.maps_mut() {
        map.strides = order.iter().map(|&a| map.strides[a]).collect();
    }
    kernel
}

/// Merges adjacent iteration axes that every load and store walks as one
/// (`stride[j] == stride[j+1] * extent[j+1]`), and drops extent-1 axes, so
/// contiguous kernels of any rank become 1-d loops with equal cache keys.
pub(super) fn merge_contiguous_axes(mut kernel: Kernel) -> Kernel {
    // (The maps are borrowed field by field: the shape is read meanwhile.)
    let mut maps: Vec<&mut IndexMap> = kernel.loads.iter_mut().map(|l| &mut l.map).collect();
    maps.extend(kernel.stores.iter_mut().map(|s| &mut s.map));
    // Drop extent-1 axes (their stride never matters), unless that empties
    // a non-empty space... a 0-d space is fine: codegen runs its one point.
    let keep: Vec<bool> = kernel.shape.iter().map(|&d| d != 1).collect();
    let mut shape: Vec<usize> = kernel.shape.iter().copied().filter(|&d| d != 1).collect();
    for map in maps.iter_mut() {
        map.strides = map
            .strides
            .iter()
            .zip(&keep)
            .filter(|(_, &k)| k)
            .map(|(&s, _)| s)
            .collect();
    }
    let mut j = shape.len();
    while j > 1 {
        j -= 1;
        let mergeable = maps
            .iter()
            .all(|m| m.strides[j - 1] == m.strides[j] * shape[j] as isize);
        if mergeable {
            shape[j - 1] *= shape[j];
            shape.remove(j);
            for map in maps.iter_mut() {
                map.strides.remove(j - 1);
            }
        }
    }
    kernel.shape = shape;
    kernel
}
