//! The one random-graph generator of this crate's property tests (the
//! optimizer's, the text form's). The integration suites of `ndjit` have
//! their own, over the Array API (`tests/common/program.rs`): this crate
//! cannot see them, and they test what users write.
//!
//! Graphs are built from random choices, every op kind on every dtype,
//! keeping only the steps that type-check. They are rich in the patterns
//! the passes rewrite (splats of the constants rules look for, operands
//! reused against themselves, chains of views with negative-step slices,
//! broadcasts of broadcasts, pads and concats of pieces of a node) and in
//! what the text form must spell exactly (NaN payloads, subnormals,
//! integer extremes, 0-d constants of every dtype, empty shapes).

use crate::buffer::{Buffer, Tensor};
use crate::dtype::DType;
use crate::graph::{Graph, NodeId};
use crate::op::{ArgReduceOp, BinaryOp, Op, PadAxis, ReduceOp, SliceAxis, TensorType, UnaryOp};
use crate::scalar::Scalar;
use crate::shape::Shape;
use proptest::prelude::*;

/// Float values rules and printers care about.
const SPECIAL_FLOATS: [f64; 18] = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    2.0,
    0.5,
    3.0,
    -2.5,
    0.1,
    1e16,
    -1.5e-300,
    5e-324,
    f64::MAX,
    f64::MIN_POSITIVE,
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    -f64::NAN,
];

/// Integer values rules and printers care about (wrapped to the dtype).
const SPECIAL_INTEGERS: [i64; 8] = [
    0,
    1,
    -1,
    2,
    i32::MIN as i64,
    i32::MAX as i64,
    i64::MIN,
    i64::MAX,
];

/// A constant of `dtype`: three times in four a special value, else random
/// bits (NaN payloads included).
pub(crate) fn constant(dtype: DType, bits: u64) -> Scalar {
    let index = (bits >> 2) as usize;
    match bits % 4 {
        0 => match dtype {
            DType::Bool => Scalar::Bool(bits >> 8 & 1 == 1),
            DType::I32 => Scalar::I32((bits >> 8) as i32),
            DType::I64 => Scalar::I64((bits >> 8) as i64),
            DType::F32 => Scalar::F32(f32::from_bits((bits >> 8) as u32)),
            DType::F64 => Scalar::F64(f64::from_bits(bits.rotate_left(17))),
        },
        1 if dtype.is_int() => {
            Scalar::from_i64(SPECIAL_INTEGERS[index % SPECIAL_INTEGERS.len()], dtype)
        }
        _ => Scalar::from_f64(SPECIAL_FLOATS[index % SPECIAL_FLOATS.len()], dtype),
    }
}

/// A slice of an axis of extent `dim`: often the whole axis, else a
/// random start, a step of ±1 or ±2 and a length up to one past the room.
fn slice_axis(dim: usize, bits: u64) -> SliceAxis {
    if dim == 0 || bits.is_multiple_of(4) {
        return SliceAxis {
            start: 0,
            step: 1,
            len: dim,
        };
    }
    let start = (bits >> 2) as usize % dim;
    let stride = 1 + (bits >> 8) as usize % 2;
    let (step, room) = if bits >> 12 & 1 == 0 {
        (stride as isize, dim - 1 - start)
    } else {
        (-(stride as isize), start)
    };
    let len = (bits >> 16) as usize % (room / stride + 2);
    SliceAxis { start, step, len }
}

/// Nodes of exactly this type.
fn of_type(g: &Graph, ty: &TensorType) -> Vec<NodeId> {
    g.ids().filter(|&id| g.ty(id) == ty).collect()
}

/// A splat of an interesting constant of `ty`.
fn splat(g: &mut Graph, ty: &TensorType, bits: u64) -> NodeId {
    let c = g.constant(constant(ty.dtype, bits));
    g.add(Op::Broadcast(ty.shape.clone()), &[c])
        .expect("a 0-d constant broadcasts anywhere")
}

/// An operand of type `ty`: mostly an existing node (a recent one or any),
/// sometimes a splat.
fn operand(g: &mut Graph, ty: &TensorType, bits: u64) -> NodeId {
    let same = of_type(g, ty);
    if same.is_empty() || bits.is_multiple_of(5) {
        splat(g, ty, bits >> 3)
    } else if bits >> 3 & 1 == 0 {
        same[same.len() - 1 - (bits >> 4) as usize % same.len().min(3)]
    } else {
        same[(bits >> 4) as usize % same.len()]
    }
}

/// Builds a graph with `inputs` (dtype index, dims) from random `steps`
/// (kind, bits, bits). Outputs are every third or fourth node, and the
/// last.
pub(crate) fn graph(inputs: Vec<(usize, Vec<usize>)>, steps: Vec<(u8, u64, u64)>) -> Graph {
    let mut g = Graph::new();
    for (dtype, dims) in inputs {
        g.input(TensorType::new(dims, DType::ALL[dtype]));
    }
    let period = 3 + steps.len() as u32 % 2;
    for (kind, a, b) in steps {
        // Half the time a recent node, so chains grow deep; else any.
        let n = g.len() as u64;
        let x = if a >> 32 & 1 == 0 {
            NodeId((n - 1 - a % n.min(6)) as u32)
        } else {
            NodeId((a % n) as u32)
        };
        let ty = g.ty(x).clone();
        let dims = ty.shape.dims().to_vec();
        let rank = dims.len();
        let pick = |n: usize| (b % n.max(1) as u64) as usize;
        let (op, args) = match kind % 19 {
            0 => {
                splat(&mut g, &ty, b);
                continue;
            }
            1 => {
                let dtype = DType::ALL[pick(DType::ALL.len())];
                (Op::Const(constant(dtype, b >> 3)), vec![])
            }
            2 | 3 => (Op::Unary(UnaryOp::ALL[pick(UnaryOp::ALL.len())]), vec![x]),
            4..=6 => {
                let op = BinaryOp::ALL[pick(BinaryOp::ALL.len())];
                let y = if b >> 20 & 3 == 0 {
                    x
                } else {
                    operand(&mut g, &ty, b >> 22)
                };
                let (x, y) = if b >> 40 & 1 == 0 { (x, y) } else { (y, x) };
                (Op::Binary(op), vec![x, y])
            }
            7 => {
                let condition = operand(&mut g, &TensorType::new(ty.shape.clone(), DType::Bool), b);
                let y = operand(&mut g, &ty, b >> 20);
                (Op::Select, vec![condition, x, y])
            }
            8 => {
                let y = operand(&mut g, &ty, b);
                let z = operand(&mut g, &ty, b >> 20);
                (Op::MulAdd, vec![x, y, z])
            }
            9 => (Op::Cast(DType::ALL[pick(5)]), vec![x]),
            10 => {
                let shape = match b % 3 {
                    0 => dims.iter().rev().copied().collect(),
                    1 => vec![ty.shape.numel()],
                    _ => {
                        let mut d = dims.clone();
                        d.insert((b >> 4) as usize % (rank + 1), 1);
                        d
                    }
                };
                (Op::Reshape(Shape(shape)), vec![x])
            }
            11 => {
                let perm = (0..rank).map(|i| (i + pick(rank)) % rank);
                let perm = if b >> 10 & 1 == 0 {
                    perm.collect()
                } else {
                    perm.rev().collect()
                };
                (Op::Permute(perm), vec![x])
            }
            12 | 13 => {
                let mut shape = if b >> 6 & 1 == 0 {
                    vec![]
                } else {
                    vec![1 + pick(3)]
                };
                shape.extend(dims.iter().map(
                    |&d| {
                        if d == 1 {
                            1 + (b >> 8) as usize % 4
                        } else {
                            d
                        }
                    },
                ));
                (Op::Broadcast(Shape(shape)), vec![x])
            }
            14 => {
                let axes = dims
                    .iter()
                    .enumerate()
                    .map(|(i, &d)| slice_axis(d, b.rotate_left(11 * i as u32)));
                (Op::Slice(axes.collect()), vec![x])
            }
            15 => {
                let axes = (0..rank).map(|i| {
                    let bits = b >> (6 * i);
                    PadAxis {
                        low: bits as usize % 3,
                        high: (bits >> 2) as usize % 3,
                        interior: (bits >> 4) as usize % 2,
                    }
                });
                (Op::Pad(axes.collect()), vec![x])
            }
            16 if rank > 0 => {
                let axis = pick(rank);
                let args = if b >> 30 & 1 == 0 {
                    // `x` joined with itself, a splat of a part of it, or
                    // another node of its type (a recent one: often a pad).
                    let mut part = ty.clone();
                    part.shape.0[axis] = (b >> 8) as usize % 3;
                    let other = match b >> 12 & 3 {
                        0 => x,
                        1 => splat(&mut g, &part, b >> 16),
                        _ => operand(&mut g, &ty, b >> 16),
                    };
                    if b >> 14 & 1 == 0 {
                        vec![x, other]
                    } else {
                        vec![other, x, other]
                    }
                } else {
                    // `x` and some of the nodes agreeing with it except
                    // along the axis.
                    let mut args = vec![x];
                    args.extend(g.ids().filter(|&y| {
                        let other = g.ty(y);
                        other.dtype == ty.dtype
                            && other.shape.rank() == rank
                            && (0..rank).all(|a| a == axis || other.shape.0[a] == dims[a])
                            && (y.0 as u64 + b).is_multiple_of(3)
                    }));
                    args
                };
                (Op::Concat { axis }, args)
            }
            17 => {
                let axes = (0..rank).filter(|i| (b >> (8 + i)) & 1 == 1).collect();
                (
                    Op::Reduce {
                        op: ReduceOp::ALL[pick(ReduceOp::ALL.len())],
                        axes,
                    },
                    vec![x],
                )
            }
            _ => (
                Op::ArgReduce {
                    op: ArgReduceOp::ALL[(b >> 8) as usize % 2],
                    axis: pick(rank),
                },
                vec![x],
            ),
        };
        // Ill-typed choices (an integer `sin`, a `max` over an empty
        // axis, ...) are simply skipped.
        let _ = g.add(op, &args);
    }
    let last = NodeId(g.len() as u32 - 1);
    let mut outputs: Vec<NodeId> = g.ids().filter(|id| id.0 % period == 0).collect();
    outputs.push(last);
    g.set_outputs(outputs);
    g
}

/// Graphs of one to three inputs (extents mostly 1 to 3, sometimes 0) and
/// up to 40 steps.
pub(crate) fn arbitrary_graph() -> impl Strategy<Value = Graph> {
    let input = (
        0..DType::ALL.len(),
        prop::collection::vec(prop_oneof![4 => 1..4usize, 1 => 0..1usize], 0..4),
    );
    let step = (any::<u8>(), any::<u64>(), any::<u64>());
    (
        prop::collection::vec(input, 1..4),
        prop::collection::vec(step, 0..40),
    )
        .prop_map(|(i, s)| graph(i, s))
}

/// Input data for a graph: special values (±0, ±inf, NaN, integer
/// extremes, small integers) mixed with random bits.
pub(crate) fn inputs(g: &Graph, seed: u64) -> Vec<Tensor> {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    g.inputs()
        .iter()
        .map(|&id| {
            let ty = g.ty(id);
            let mut buffer = Buffer::zeros(ty.dtype, ty.shape.numel());
            for i in 0..buffer.len() {
                let bits = next();
                let value = match bits % 3 {
                    // A special value (an integer one for integers half the time).
                    0 => constant(ty.dtype, bits >> 2 << 2 | (1 + (bits >> 40 & 1))),
                    1 => Scalar::from_f64(((bits >> 2) % 41) as f64 / 4.0 - 5.0, ty.dtype),
                    _ => constant(ty.dtype, bits >> 2 << 2),
                };
                buffer.set(i, value);
            }
            Tensor::new(ty.shape.clone(), buffer).expect("sized to the shape")
        })
        .collect()
}
