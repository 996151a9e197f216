//! Splitting elementwise ops at the windows of padded and concatenated
//! operands, so that no pad or concat is materialized only to be read once.
//!
//! The adjoint of a slice is a pad, so the gradient of `f(x[1:], x[:-1])`
//! is `pad(dA, low=1) + pad(dB, high=1)`: scheduled as written, each pad
//! fills a zeroed buffer and a third kernel adds them. Here that sum
//! becomes a concatenation of boxes, `concat(0 + dB[:1], dA[:-1] + dB[1:],
//! dA[-1:] + 0)`, which the scheduler computes straight into the windows of
//! one buffer: one pass over memory, plus two one-element kernels.
//!
//! # The rule
//!
//! An elementwise node (unary, binary, select, mul_add, cast) with an
//! operand that is a `pad` with no interior padding, or a `concat`, is cut
//! into boxes (one index range per axis) such that in each box every such
//! operand is entirely zeros (outside the pad's window) or entirely a slice
//! of one operand of the pad or concat. Boxes are found by cutting the node's
//! index space at those window boundaries, one axis at a time: a box is cut
//! along the first axis on which some operand is still partly inside its
//! window, at every boundary of such operands on that axis, and the pieces
//! are cut further only where they need to be. In each box the node is
//! applied to the box of each operand: the zeros as a splat, the window as
//! a slice of the pad's (or concat's) operand, any other operand sliced to
//! the box. The node becomes the concat of its boxes along the axis cut
//! (nested concats for several axes).
//!
//! Pads and concats nested in each other are looked through, so a box
//! reads the innermost operand directly.
//!
//! # Exactness and limits
//!
//! Each box computes the same operation on the same operand values as the
//! whole node did at those indices, including `op(0, y)` where a pad held
//! zeros: `0 + y` is not `y` when `y` is `-0.0`, so it is never simplified
//! away. Pads with interior padding are left alone (their zeros interleave
//! with the elements), and a node is left whole when it would need more
//! than [`MAX_BOXES`] boxes (each box is a kernel to compile and launch).
//!
//! No pass turns a concat back into pads, and the boxes have no padded or
//! concatenated operands left, so [`optimize`](super::optimize) reaches a
//! fixed point.

use super::rewrite::{build, rewrite, splat};
use crate::graph::{Graph, Node, NodeId};
use crate::op::{Op, SliceAxis};
use crate::scalar::Scalar;
use crate::shape::Shape;
use std::ops::Range;

/// The most boxes one node is split into.
const MAX_BOXES: usize = 8;

/// Splits elementwise ops over padded and concatenated operands into
/// concatenations of boxes (see the module documentation); returns whether
/// the graph changed.
pub fn split_windows(graph: &mut Graph) -> bool {
    rewrite(graph, split)
}

/// A box of a node's index space: one half-open range per axis.
type Region = Vec<Range<usize>>;

/// How a node's index space is cut.
enum Plan {
    /// One box, computed as a whole.
    Leaf(Region),
    /// Pieces joined along `axis`, in order.
    Cut { axis: usize, pieces: Vec<Plan> },
}

fn split(graph: &mut Graph, node: &Node) -> Option<NodeId> {
    if !node.op.is_elementwise()
        || node.ty.shape.numel() == 0
        || !node.args.iter().any(|&a| is_window(graph, a))
    {
        return None;
    }
    let whole: Region = node.ty.shape.0.iter().map(|&d| 0..d).collect();
    let mut boxes = 0;
    let plan = plan(graph, &node.args, whole, &mut boxes)?;
    Some(emit(graph, node, &plan))
}

/// Whether a node is a pad without interior padding or a concat: an
/// operand the rule looks through.
fn is_window(graph: &Graph, id: NodeId) -> bool {
    match &graph.node(id).op {
        Op::Pad(axes) => axes.iter().all(|a| a.interior == 0),
        Op::Concat { .. } => true,
        _ => false,
    }
}

/// How `region` is cut for `operands`, counting boxes in `boxes`; `None`
/// past [`MAX_BOXES`].
fn plan(graph: &Graph, operands: &[NodeId], region: Region, boxes: &mut usize) -> Option<Plan> {
    let cuts: Vec<(usize, Vec<usize>)> = operands
        .iter()
        .filter_map(|&x| cuts(graph, x, &region))
        .collect();
    let Some(axis) = cuts.iter().map(|&(axis, _)| axis).min() else {
        *boxes += 1;
        return (*boxes <= MAX_BOXES).then_some(Plan::Leaf(region));
    };
    let mut points: Vec<usize> = cuts
        .into_iter()
        .filter(|(a, _)| *a == axis)
        .flat_map(|(_, points)| points)
        .collect();
    points.sort_unstable();
    points.dedup();
    let range = region[axis].clone();
    let bounds: Vec<usize> = std::iter::once(range.start)
        .chain(points)
        .chain(std::iter::once(range.end))
        .collect();
    let pieces = bounds
        .windows(2)
        .map(|w| {
            let mut piece = region.clone();
            piece[axis] = w[0]..w[1];
            plan(graph, operands, piece, boxes)
        })
        .collect::<Option<Vec<_>>>()?;
    Some(Plan::Cut { axis, pieces })
}

/// Where operand `x` must be cut within `region` (of the node's index
/// space) so that each piece is all zeros or all one slice: the first axis
/// on which it is partly inside a window, and the window boundaries
/// strictly inside the region there. `None` when it needs no cut.
fn cuts(graph: &Graph, mut x: NodeId, region: &Region) -> Option<(usize, Vec<usize>)> {
    // `region` in `x`'s own indices is `local`; node index = local + shift.
    let mut local = region.clone();
    let mut shift = vec![0usize; region.len()];
    loop {
        match windows(graph, x, &local) {
            Windows::Zero | Windows::Other => return None,
            Windows::Inside { operand, offset } => {
                for (a, &o) in offset.iter().enumerate() {
                    local[a] = local[a].start - o..local[a].end - o;
                    shift[a] += o;
                }
                x = operand;
            }
            Windows::Partial { axis, boundaries } => {
                let points = boundaries
                    .into_iter()
                    .filter(|&b| local[axis].start < b && b < local[axis].end)
                    .map(|b| b + shift[axis])
                    .collect();
                return Some((axis, points));
            }
        }
    }
}

/// What a box of an operand holds.
enum Windows {
    /// Not a window the rule looks through.
    Other,
    /// Only padding zeros.
    Zero,
    /// Elements of `operand`, at the box's indices minus `offset`.
    Inside { operand: NodeId, offset: Vec<usize> },
    /// Some of each: the first axis where the box leaves a window, and the
    /// windows' boundaries along it.
    Partial { axis: usize, boundaries: Vec<usize> },
}

/// What the box `local` (in `x`'s indices) of `x` holds, when `x` is a pad
/// without interior padding or a concat.
fn windows(graph: &Graph, x: NodeId, local: &Region) -> Windows {
    let node = graph.node(x);
    match &node.op {
        Op::Pad(axes) if axes.iter().all(|a| a.interior == 0) => {
            let dims = &graph.ty(node.args[0]).shape.0;
            let window = |a: usize| axes[a].low..axes[a].low + dims[a];
            let rank = local.len();
            let disjoint = |a: usize| {
                let w = window(a);
                w.is_empty() || local[a].end <= w.start || w.end <= local[a].start
            };
            if (0..rank).any(disjoint) {
                return Windows::Zero;
            }
            let leaves =
                |&a: &usize| local[a].start < window(a).start || window(a).end < local[a].end;
            match (0..rank).find(leaves) {
                None => Windows::Inside {
                    operand: node.args[0],
                    offset: axes.iter().map(|a| a.low).collect(),
                },
                Some(axis) => Windows::Partial {
                    axis,
                    boundaries: vec![window(axis).start, window(axis).end],
                },
            }
        }
        Op::Concat { axis } => {
            let axis = *axis;
            let mut begin = 0;
            let mut starts = Vec::with_capacity(node.args.len());
            for &part in &node.args {
                let end = begin + graph.ty(part).shape.0[axis];
                if begin <= local[axis].start && local[axis].end <= end {
                    let mut offset = vec![0; local.len()];
                    offset[axis] = begin;
                    return Windows::Inside {
                        operand: part,
                        offset,
                    };
                }
                starts.push(begin);
                begin = end;
            }
            Windows::Partial {
                axis,
                boundaries: starts,
            }
        }
        _ => Windows::Other,
    }
}

/// Builds the node's replacement from its plan.
fn emit(graph: &mut Graph, node: &Node, plan: &Plan) -> NodeId {
    match plan {
        Plan::Leaf(region) => {
            let args: Vec<NodeId> = node
                .args
                .iter()
                .map(|&x| operand_box(graph, x, region))
                .collect();
            build(graph, node.op.clone(), &args)
        }
        Plan::Cut { axis, pieces } => {
            let parts: Vec<NodeId> = pieces.iter().map(|p| emit(graph, node, p)).collect();
            build(graph, Op::Concat { axis: *axis }, &parts)
        }
    }
}

/// The values of operand `x` in `region`, a box that needs no cut: zeros,
/// or a slice of what a window holds there, or a slice of `x` itself.
fn operand_box(graph: &mut Graph, mut x: NodeId, region: &Region) -> NodeId {
    let mut local = region.clone();
    loop {
        match windows(graph, x, &local) {
            Windows::Zero => {
                let zero = Scalar::zero(graph.ty(x).dtype);
                let shape = Shape(local.iter().map(|r| r.len()).collect());
                return splat(graph, zero, &shape);
            }
            Windows::Inside { operand, offset } => {
                for (a, &o) in offset.iter().enumerate() {
                    local[a] = local[a].start - o..local[a].end - o;
                }
                x = operand;
            }
            Windows::Other => return slice(graph, x, &local),
            Windows::Partial { .. } => unreachable!("a leaf box needs no cut"),
        }
    }
}

/// `x[region]`, or `x` itself when the region is all of it.
fn slice(graph: &mut Graph, x: NodeId, region: &Region) -> NodeId {
    let dims = &graph.ty(x).shape.0;
    if region
        .iter()
        .zip(dims)
        .all(|(r, &d)| r.start == 0 && r.end == d)
    {
        return x;
    }
    let axes = region
        .iter()
        .map(|r| SliceAxis {
            start: r.start,
            step: 1,
            len: r.len(),
        })
        .collect();
    build(graph, Op::Slice(axes), &[x])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::Tensor;
    use crate::dtype::DType;
    use crate::interp::evaluate;
    use crate::op::{BinaryOp, PadAxis, TensorType};

    /// `x` padded to extent `n` starting at `low`.
    fn pad(g: &mut Graph, x: NodeId, low: usize, n: usize) -> NodeId {
        let len = g.ty(x).shape.0[0];
        let axes = vec![PadAxis {
            low,
            high: n - low - len,
            interior: 0,
        }];
        g.add(Op::Pad(axes), &[x]).unwrap()
    }

    #[test]
    fn boxes_compute_the_same_bits_signed_zeros_included() {
        // 0 + y where the pad holds zeros: +0.0 for y = -0.0, not y.
        let mut g = Graph::new();
        let x = g.input(TensorType::new([2], DType::F64));
        let y = g.input(TensorType::new([4], DType::F64));
        let padded = pad(&mut g, x, 1, 4);
        let sum = g.add(Op::Binary(BinaryOp::Add), &[padded, y]).unwrap();
        let product = g.add(Op::Binary(BinaryOp::Mul), &[y, padded]).unwrap();
        g.set_outputs(vec![sum, product]);
        let mut split_graph = g.clone();
        assert!(split_windows(&mut split_graph));
        assert!(split_graph
            .nodes()
            .iter()
            .all(|n| !matches!(n.op, Op::Pad(_))));
        let inputs = [
            Tensor::from_slice([2], &[-0.0, f64::INFINITY]).unwrap(),
            Tensor::from_slice([4], &[-0.0, -0.0, 2.0, f64::NEG_INFINITY]).unwrap(),
        ];
        let expected = evaluate(&g, &inputs).unwrap();
        let actual = evaluate(&split_graph, &inputs).unwrap();
        for (e, a) in expected.iter().zip(&actual) {
            let bits = |t: &Tensor| -> Vec<u64> {
                t.as_slice::<f64>().iter().map(|v| v.to_bits()).collect()
            };
            assert_eq!(bits(e), bits(a), "{split_graph}");
        }
        // The zero box of the sum is +0.0 (from 0.0 + -0.0); of the
        // product, -0.0 * 0.0 and NaN from -inf * 0.
        assert!(expected[0].as_slice::<f64>()[0].is_sign_positive());
        assert!(expected[1].as_slice::<f64>()[3].is_nan());
    }

    #[test]
    fn a_node_needing_too_many_boxes_stays_whole() {
        // Five one-element pads at 0, 2, 4, 6, 8 of a [10] summed in turn:
        // each partial sum has two more boxes than the one before, until
        // the last would need 10.
        let mut g = Graph::new();
        let x = g.input(TensorType::new([1], DType::F64));
        let mut sum = pad(&mut g, x, 0, 10);
        for low in [2, 4, 6, 8] {
            let p = pad(&mut g, x, low, 10);
            sum = g.add(Op::Binary(BinaryOp::Add), &[sum, p]).unwrap();
        }
        g.set_outputs(vec![sum]);
        while split_windows(&mut g) {}
        let root = g.node(g.outputs()[0]);
        assert_eq!(root.op, Op::Binary(BinaryOp::Add), "{g}");
        let operands: Vec<&Op> = root.args.iter().map(|&a| &g.node(a).op).collect();
        assert!(
            matches!(operands[..], [Op::Concat { .. }, Op::Pad(_)]),
            "{g}"
        );
        assert_eq!(g.node(root.args[0]).args.len(), MAX_BOXES, "{g}");
    }
}
