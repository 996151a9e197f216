//! Property test: random chains of views on random shapes, evaluated by the
//! interpreter, against a direct computation of where each output element
//! comes from.

use super::{tensor, values};
use crate::dtype::DType;
use crate::graph::Graph;
use crate::interp::evaluate;
use crate::op::{Op, PadAxis, SliceAxis, TensorType};
use crate::shape::Shape;
use proptest::prelude::*;

/// Views with more elements than this are skipped, to keep the test fast.
const MAX_ELEMENTS: usize = 256;

/// Builds a view of kind `kind % 5` valid for `shape`, drawing its
/// parameters from `draws` (at least 4 per axis, plus 2).
fn make_view(kind: u8, draws: &[usize], shape: &Shape) -> Op {
    let dims = &shape.0;
    let draw = |i: usize| draws[i % draws.len()];
    match kind % 5 {
        0 => {
            let mut perm: Vec<usize> = (0..dims.len()).collect();
            perm.sort_by_key(|&a| draw(a));
            Op::Permute(perm)
        }
        1 => Op::Slice(
            dims.iter()
                .enumerate()
                .map(|(a, &d)| {
                    if d == 0 {
                        return SliceAxis {
                            start: 0,
                            step: 1,
                            len: 0,
                        };
                    }
                    let magnitude = draw(4 * a) % 3 + 1;
                    let start = draw(4 * a + 1) % d;
                    let (step, most) = if draw(4 * a + 2) % 2 == 0 {
                        (magnitude as isize, (d - 1 - start) / magnitude + 1)
                    } else {
                        (-(magnitude as isize), start / magnitude + 1)
                    };
                    SliceAxis {
                        start,
                        step,
                        len: draw(4 * a + 3) % (most + 1),
                    }
                })
                .collect(),
        ),
        2 => {
            let new_axes = draw(0) % 2;
            let mut out: Vec<usize> = (0..new_axes).map(|i| draw(i + 1) % 3 + 1).collect();
            out.extend(
                dims.iter()
                    .enumerate()
                    .map(|(a, &d)| if d == 1 { draw(a + 3) % 3 + 1 } else { d }),
            );
            Op::Broadcast(Shape(out))
        }
        3 => {
            if draw(0) % 2 == 0 {
                Op::Reshape(Shape(vec![shape.numel()]))
            } else {
                Op::Reshape(Shape(dims.iter().rev().copied().collect()))
            }
        }
        _ => Op::Pad(
            (0..dims.len())
                .map(|a| PadAxis {
                    low: draw(3 * a) % 2,
                    high: draw(3 * a + 1) % 2,
                    interior: draw(3 * a + 2) % 2,
                })
                .collect(),
        ),
    }
}

/// Where output element `out` of `view` (from `input` to `output` shape)
/// reads from in its input, or `None` for a padding zero.
fn source_index(view: &Op, input: &Shape, output: &Shape, out: &[usize]) -> Option<Vec<usize>> {
    Some(match view {
        Op::Permute(perm) => {
            let mut index = vec![0; perm.len()];
            for (i, &p) in perm.iter().enumerate() {
                index[p] = out[i];
            }
            index
        }
        Op::Slice(axes) => axes
            .iter()
            .zip(out)
            .map(|(s, &o)| (s.start as isize + o as isize * s.step) as usize)
            .collect(),
        Op::Broadcast(_) => {
            let new_axes = output.rank() - input.rank();
            input
                .0
                .iter()
                .enumerate()
                .map(|(a, &d)| if d == 1 { 0 } else { out[a + new_axes] })
                .collect()
        }
        Op::Reshape(_) => unravel(ravel(out, output), input),
        Op::Pad(axes) => {
            let mut index = Vec::new();
            for ((p, &o), &d) in axes.iter().zip(out).zip(&input.0) {
                let shifted = o.checked_sub(p.low)?;
                let i = (shifted % (p.interior + 1) == 0).then_some(shifted / (p.interior + 1))?;
                index.push((i < d).then_some(i)?);
            }
            index
        }
        _ => unreachable!("only views are generated"),
    })
}

fn ravel(index: &[usize], shape: &Shape) -> usize {
    index
        .iter()
        .zip(&shape.0)
        .fold(0, |flat, (&i, &d)| flat * d + i)
}

fn unravel(mut flat: usize, shape: &Shape) -> Vec<usize> {
    let mut index = vec![0; shape.rank()];
    for (slot, &d) in index.iter_mut().zip(&shape.0).rev() {
        *slot = flat % d;
        flat /= d;
    }
    index
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn view_chains_match_direct_indexing(
        base in prop::collection::vec(0usize..5, 0..4),
        chain in prop::collection::vec((any::<u8>(), prop::collection::vec(0usize..64, 16)), 1..5),
    ) {
        let base = Shape(base);
        let data: Vec<i64> = (1..=base.numel() as i64).collect();
        let mut g = Graph::new();
        let mut node = g.input(TensorType::new(base.clone(), DType::I64));
        let mut steps = Vec::new();
        for (kind, draws) in &chain {
            let input = g.ty(node).shape.clone();
            let view = make_view(*kind, draws, &input);
            let next = g.add(view.clone(), &[node]).expect("generated views are valid");
            let output = g.ty(next).shape.clone();
            if output.numel() > MAX_ELEMENTS {
                continue;
            }
            steps.push((view, input, output));
            node = next;
        }
        g.set_outputs(vec![node]);
        let out = evaluate(&g, &[tensor(base.clone(), &data)]).unwrap();
        let shape = g.ty(node).shape.clone();
        prop_assert_eq!(out[0].shape(), &shape);

        let expected: Vec<i64> = (0..shape.numel())
            .map(|flat| {
                let mut index = Some(unravel(flat, &shape));
                for (view, input, output) in steps.iter().rev() {
                    index = index.and_then(|i| source_index(view, input, output, &i));
                }
                index.map_or(0, |i| data[ravel(&i, &base)])
            })
            .collect();
        prop_assert_eq!(values::<i64>(&out[0]), expected);
    }
}
