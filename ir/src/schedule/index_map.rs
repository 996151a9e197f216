//! How a kernel's iteration point reaches each node's elements: an affine
//! map from iteration indices to node coordinates, pushed through views.

use crate::op::Op;
use crate::schedule::IndexMap;
use crate::shape::Shape;

/// Node coordinate `k` at iteration point `i` is
/// `offset[k] + Σ_j coef[k][j] * i[j]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct AxisMap {
    offset: Vec<isize>,
    coef: Vec<Vec<isize>>,
    /// Number of iteration axes (the length of each `coef` row), kept
    /// explicitly because a 0-d node's map has no rows.
    rank: usize,
}

impl AxisMap {
    /// Node coordinates equal to iteration indices (a node of the
    /// iteration space's own shape).
    pub(crate) fn identity(rank: usize) -> AxisMap {
        let coef = (0..rank)
            .map(|k| (0..rank).map(|j| (j == k) as isize).collect())
            .collect();
        AxisMap {
            offset: vec![0; rank],
            coef,
            rank,
        }
    }

    /// An empty map (no node axes yet) over `rank` iteration axes.
    fn empty(rank: usize) -> AxisMap {
        AxisMap {
            offset: Vec::new(),
            coef: Vec::new(),
            rank,
        }
    }

    fn iteration_rank(&self) -> usize {
        self.rank
    }

    /// The address map into a row-major buffer of `shape` (whose
    /// coordinates this map gives).
    pub(crate) fn to_buffer(&self, shape: &Shape, iteration_rank: usize) -> IndexMap {
        let element_strides = shape.contiguous_strides();
        let mut strides = vec![0isize; iteration_rank];
        let mut offset = 0;
        for (k, &s) in element_strides.iter().enumerate() {
            offset += self.offset[k] * s;
            for (j, stride) in strides.iter_mut().enumerate() {
                *stride += self.coef[k][j] * s;
            }
        }
        IndexMap { offset, strides }
    }

    /// The map of a view's operand, given the view's own map; `None` when it
    /// is not affine (a reshape merging axes, or a pad).
    pub(crate) fn through_view(&self, op: &Op, operand: &Shape, result: &Shape) -> Option<AxisMap> {
        let rank = self.iteration_rank();
        match op {
            Op::Broadcast(_) => {
                let lead = result.rank() - operand.rank();
                let mut map = AxisMap::empty(rank);
                for (k, &dim) in operand.0.iter().enumerate() {
                    if dim == 1 && result.0[lead + k] != 1 {
                        map.offset.push(0);
                        map.coef.push(vec![0; rank]);
                    } else {
                        map.offset.push(self.offset[lead + k]);
                        map.coef.push(self.coef[lead + k].clone());
                    }
                }
                Some(map)
            }
            Op::Permute(perm) => {
                let mut map = AxisMap {
                    offset: vec![0; perm.len()],
                    coef: vec![Vec::new(); perm.len()],
                    rank,
                };
                for (out_axis, &in_axis) in perm.iter().enumerate() {
                    map.offset[in_axis] = self.offset[out_axis];
                    map.coef[in_axis] = self.coef[out_axis].clone();
                }
                Some(map)
            }
            Op::Slice(axes) => {
                let mut map = self.clone();
                for (k, s) in axes.iter().enumerate() {
                    map.offset[k] = s.start as isize + s.step * map.offset[k];
                    for c in &mut map.coef[k] {
                        *c *= s.step;
                    }
                }
                Some(map)
            }
            Op::Reshape(_) => self.through_reshape(operand, result),
            _ => None,
        }
    }

    /// A reshape is affine when it only splits operand axes into several
    /// result axes (and adds or drops extent-1 axes): each operand
    /// coordinate is then a weighted sum of result coordinates.
    fn through_reshape(&self, operand: &Shape, result: &Shape) -> Option<AxisMap> {
        let rank = self.iteration_rank();
        let mut map = AxisMap::empty(rank);
        let mut r = 0; // next result axis
        for &dim in &operand.0 {
            let mut offset = 0;
            let mut coef = vec![0isize; rank];
            if dim == 1 {
                // Extent-1 result axes matched to it carry coordinate 0.
                map.offset.push(0);
                map.coef.push(coef);
                continue;
            }
            // Consume result axes whose extents multiply to `dim`, skipping
            // leading extent-1 axes (their coordinate is always 0).
            while r < result.rank() && result.0[r] == 1 {
                r += 1;
            }
            let mut product = 1;
            let group_start = r;
            while product < dim && r < result.rank() {
                product *= result.0[r];
                r += 1;
            }
            if product != dim {
                return None; // the reshape merges operand axes
            }
            let mut weight = 1isize;
            for axis in (group_start..r).rev() {
                offset += self.offset[axis] * weight;
                for (j, c) in coef.iter_mut().enumerate() {
                    *c += self.coef[axis][j] * weight;
                }
                weight *= result.0[axis] as isize;
            }
            map.offset.push(offset);
            map.coef.push(coef);
        }
        Some(map)
    }
}

/// Whether a reshape from `operand` to `result` can be folded into index
/// maps without materializing its operand.
pub(crate) fn reshape_is_affine(operand: &Shape, result: &Shape) -> bool {
    let rank = result.rank();
    AxisMap::identity(rank)
        .through_reshape(operand, result)
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reshape_splits_fold_and_merges_do_not() {
        let s = |d: &[usize]| Shape(d.to_vec());
        assert!(reshape_is_affine(&s(&[6]), &s(&[2, 3])));
        assert!(reshape_is_affine(&s(&[2, 3]), &s(&[2, 1, 3])));
        assert!(reshape_is_affine(&s(&[2, 1, 3]), &s(&[2, 3])));
        assert!(!reshape_is_affine(&s(&[2, 3]), &s(&[6])));
        assert!(reshape_is_affine(&s(&[]), &s(&[1, 1])));
    }

    #[test]
    fn split_reshape_maps_coordinates() {
        // result [2, 3] of operand [6]: operand coordinate = 3*i0 + i1.
        let map = AxisMap::identity(2)
            .through_reshape(&Shape(vec![6]), &Shape(vec![2, 3]))
            .unwrap();
        assert_eq!(map.coef, vec![vec![3, 1]]);
        let buffer = map.to_buffer(&Shape(vec![6]), 2);
        assert_eq!(buffer.strides, vec![3, 1]);
    }

    #[test]
    fn views_compose_into_strides() {
        // x: [4, 5]; view = transpose then slice [::-1, 1:3] ; iteration [5 -> len 5, 2]
        let x = Shape(vec![4, 5]);
        let t = Shape(vec![5, 4]);
        let sliced = AxisMap::identity(2);
        let axes = vec![
            crate::op::SliceAxis {
                start: 4,
                step: -1,
                len: 5,
            },
            crate::op::SliceAxis {
                start: 1,
                step: 1,
                len: 2,
            },
        ];
        let through_slice = sliced
            .through_view(&Op::Slice(axes), &t, &Shape(vec![5, 2]))
            .unwrap();
        let through_permute = through_slice
            .through_view(&Op::Permute(vec![1, 0]), &x, &t)
            .unwrap();
        let buffer = through_permute.to_buffer(&x, 2);
        // element (i, j) of the view is x[1 + j, 4 - i] at address 5*(1+j) + 4 - i.
        assert_eq!(buffer.offset, 9);
        assert_eq!(buffer.strides, vec![-1, 5]);
    }
}
