//! Tests of the passes together: the shared test helper, and property tests
//! of [`optimize`] over random graphs.

use crate::graph::Graph;
use crate::text::parse;

/// Runs `pass` on the graph `input` (text form) and checks the result
/// against `expected`, both normalized by a parse and dump.
pub(crate) fn assert_pass(pass: fn(&mut Graph) -> bool, input: &str, expected: &str) {
    let mut graph = parse(input).unwrap_or_else(|e| panic!("input: {e}"));
    let expected = parse(expected)
        .unwrap_or_else(|e| panic!("expected: {e}"))
        .dump();
    let before = graph.dump();
    let changed = pass(&mut graph);
    assert_eq!(graph.dump(), expected, "\ninput:\n{before}");
    assert_eq!(
        changed,
        before != expected,
        "the pass misreported whether it changed the graph"
    );
}

/// Random graphs rich in the patterns the passes rewrite: splats of the
/// constants rules look for (0, -0.0, ±1, 2, 0.5, NaN, inf), operands
/// reused against themselves, chains of views (negative-step slices
/// included), broadcasts, casts and reductions. Every step that would not
/// type-check is skipped. (The text form's generator draws arbitrary
/// constants and operands, which almost never form such patterns.)
mod random {
    use crate::buffer::{Buffer, Tensor};
    use crate::dtype::DType;
    use crate::graph::{Graph, NodeId};
    use crate::op::{ArgReduceOp, BinaryOp, Op, PadAxis, ReduceOp, SliceAxis, TensorType, UnaryOp};
    use crate::scalar::Scalar;
    use crate::shape::Shape;
    use proptest::prelude::*;

    /// A constant of `dtype` that rules care about, or random bits.
    fn constant(dtype: DType, bits: u64) -> Scalar {
        let special = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            2.0,
            0.5,
            3.0,
            f64::NAN,
            f64::INFINITY,
            -2.5,
        ];
        match bits % 4 {
            0 => match dtype {
                DType::Bool => Scalar::Bool(bits >> 8 & 1 == 1),
                DType::I32 => Scalar::I32((bits >> 8) as i32),
                DType::I64 => Scalar::I64((bits >> 8) as i64),
                DType::F32 => Scalar::F32(f32::from_bits((bits >> 8) as u32)),
                DType::F64 => Scalar::F64(f64::from_bits(bits.rotate_left(17))),
            },
            _ => Scalar::from_f64(special[(bits >> 2) as usize % special.len()], dtype),
        }
    }

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

    /// An operand of type `ty`: mostly an existing node, sometimes a splat.
    fn operand(g: &mut Graph, ty: &TensorType, bits: u64) -> NodeId {
        let same = of_type(g, ty);
        if same.is_empty() || bits.is_multiple_of(5) {
            splat(g, ty, bits >> 3)
        } else {
            same[(bits >> 3) as usize % same.len()]
        }
    }

    pub(super) fn graph(inputs: Vec<(usize, Vec<usize>)>, steps: Vec<(u8, u64, u64)>) -> Graph {
        let mut g = Graph::new();
        for (dtype, dims) in inputs {
            g.input(TensorType::new(dims, DType::ALL[dtype]));
        }
        for (kind, a, b) in steps {
            // Prefer recent nodes, so chains grow deep.
            let n = g.len() as u64;
            let x = NodeId((n - 1 - a % n.min(6)) as u32);
            let ty = g.ty(x).clone();
            let dims = ty.shape.dims().to_vec();
            let rank = dims.len();
            let pick = |n: usize| (b % n.max(1) as u64) as usize;
            let (op, args) = match kind % 17 {
                0 => {
                    splat(&mut g, &ty, b);
                    continue;
                }
                1 | 2 => (Op::Unary(UnaryOp::ALL[pick(UnaryOp::ALL.len())]), vec![x]),
                3..=5 => {
                    let op = BinaryOp::ALL[pick(BinaryOp::ALL.len())];
                    let y = if b >> 20 & 3 == 0 {
                        x
                    } else {
                        operand(&mut g, &ty, b >> 22)
                    };
                    let (x, y) = if b >> 40 & 1 == 0 { (x, y) } else { (y, x) };
                    (Op::Binary(op), vec![x, y])
                }
                6 => {
                    let condition =
                        operand(&mut g, &TensorType::new(ty.shape.clone(), DType::Bool), b);
                    let y = operand(&mut g, &ty, b >> 20);
                    (Op::Select, vec![condition, x, y])
                }
                7 => (Op::Cast(DType::ALL[pick(5)]), vec![x]),
                8 => {
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
                9 => {
                    let perm = (0..rank).map(|i| (i + pick(rank)) % rank);
                    let perm = if b >> 10 & 1 == 0 {
                        perm.collect()
                    } else {
                        perm.rev().collect()
                    };
                    (Op::Permute(perm), vec![x])
                }
                10 | 11 => {
                    let mut shape = if b >> 6 & 1 == 0 {
                        vec![]
                    } else {
                        vec![1 + pick(3)]
                    };
                    shape.extend(dims.iter().map(|&d| {
                        if d == 1 {
                            1 + (b >> 8) as usize % 3
                        } else {
                            d
                        }
                    }));
                    (Op::Broadcast(Shape(shape)), vec![x])
                }
                12 => {
                    let axes = dims
                        .iter()
                        .enumerate()
                        .map(|(i, &d)| slice_axis(d, b.rotate_left(11 * i as u32)));
                    (Op::Slice(axes.collect()), vec![x])
                }
                13 => {
                    let axes = (0..rank).map(|i| {
                        let bits = b >> (5 * i);
                        PadAxis {
                            low: bits as usize % 2,
                            high: (bits >> 1) as usize % 2,
                            interior: (bits >> 2) as usize % 2,
                        }
                    });
                    (Op::Pad(axes.collect()), vec![x])
                }
                15 if rank > 0 => {
                    // `x` joined with itself, a splat of a part of it, or
                    // another node of its type (a recent one: often a pad).
                    let axis = pick(rank);
                    let mut part = ty.clone();
                    part.shape.0[axis] = (b >> 8) as usize % 3;
                    let other = match b >> 12 & 3 {
                        0 => x,
                        1 => splat(&mut g, &part, b >> 16),
                        _ => operand(&mut g, &ty, b >> 16),
                    };
                    let args = if b >> 14 & 1 == 0 {
                        vec![x, other]
                    } else {
                        vec![other, x, other]
                    };
                    (Op::Concat { axis }, args)
                }
                14 => {
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
            let _ = g.add(op, &args);
        }
        let last = NodeId(g.len() as u32 - 1);
        let mut outputs: Vec<NodeId> = g.ids().filter(|id| id.0 % 4 == 3).collect();
        outputs.push(last);
        g.set_outputs(outputs);
        g
    }

    pub(super) fn arbitrary_graph() -> impl Strategy<Value = Graph> {
        let input = (
            0..DType::ALL.len(),
            prop::collection::vec(prop_oneof![4 => 1..4usize, 1 => 0..1usize], 0..4),
        );
        let step = (any::<u8>(), any::<u64>(), any::<u64>());
        (
            prop::collection::vec(input, 1..4),
            prop::collection::vec(step, 1..30),
        )
            .prop_map(|(i, s)| graph(i, s))
    }

    /// Input data for a graph: special values (±0, ±inf, NaN, integer
    /// extremes, small integers) mixed with random bits.
    pub(super) fn inputs(g: &Graph, seed: u64) -> Vec<Tensor> {
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
                    let specials = [
                        0.0,
                        -0.0,
                        1.0,
                        -1.0,
                        2.0,
                        0.5,
                        -3.0,
                        f64::NAN,
                        f64::INFINITY,
                        f64::NEG_INFINITY,
                    ];
                    let value = match bits % 3 {
                        0 => Scalar::from_f64(
                            specials[(bits >> 2) as usize % specials.len()],
                            ty.dtype,
                        ),
                        1 => Scalar::from_f64(((bits >> 2) % 41) as f64 / 4.0 - 5.0, ty.dtype),
                        _ => constant(ty.dtype, bits >> 2 << 2),
                    };
                    buffer.set(i, value);
                }
                Tensor::new(ty.shape.clone(), buffer).expect("sized to the shape")
            })
            .collect()
    }
}

/// Nodes that compute (elementwise ops and reductions); views, constants
/// and inputs are index maps, scalars and buffers, free at run time.
fn compute_nodes(g: &Graph) -> usize {
    g.nodes()
        .iter()
        .filter(|n| n.op.is_elementwise() || n.op.is_reduction())
        .count()
}

/// The elements computed by those nodes: the work of the graph. (Splitting
/// a node into boxes adds nodes, never elements.)
fn computed_elements(g: &Graph) -> usize {
    g.nodes()
        .iter()
        .filter(|n| n.op.is_elementwise() || n.op.is_reduction())
        .map(|n| n.ty.shape.numel())
        .sum()
}

/// Whether two results agree bit for bit, any NaN matching any NaN.
fn same_bits(a: &crate::buffer::Tensor, b: &crate::buffer::Tensor) -> bool {
    a.shape() == b.shape()
        && a.dtype() == b.dtype()
        && (0..a.buffer().len()).all(|i| {
            let (x, y) = (a.buffer().get(i), b.buffer().get(i));
            x == y || (x.to_f64().is_nan() && y.to_f64().is_nan())
        })
}

/// The properties every optimized graph has, exact or fast-math; and the
/// scheduler accepts it.
fn check_structure(g: &Graph, options: &super::OptimizeOptions) -> Graph {
    let optimized = super::optimize(g, options);
    let types = |g: &Graph, ids: &[crate::graph::NodeId]| {
        ids.iter().map(|&i| g.ty(i).clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        types(&optimized, optimized.inputs()),
        types(g, g.inputs()),
        "inputs changed\n{g}"
    );
    assert_eq!(
        types(&optimized, optimized.outputs()),
        types(g, g.outputs()),
        "output types changed\n{g}"
    );
    assert!(
        computed_elements(&optimized) <= computed_elements(g),
        "more computed elements\n{g}\n{optimized}"
    );
    let again = super::optimize(&optimized, options);
    assert_eq!(again.dump(), optimized.dump(), "not idempotent\n{g}");
    assert_eq!(
        parse(&optimized.dump()).expect("dumps parse").dump(),
        optimized.dump()
    );
    optimized
}

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn optimize_keeps_types_shrinks_and_is_idempotent(g in random::arbitrary_graph()) {
        check_structure(&g, &super::OptimizeOptions::default());
        check_structure(&g, &super::OptimizeOptions { fast_math: true });
    }

    /// The exact passes change no bit of any result (NaN payloads aside).
    #[test]
    fn optimize_preserves_every_result(g in random::arbitrary_graph(), seed in any::<u64>()) {
        let optimized = check_structure(&g, &super::OptimizeOptions::default());
        let inputs = random::inputs(&g, seed);
        let expected = crate::interp::evaluate(&g, &inputs);
        let actual = crate::interp::evaluate(&optimized, &inputs);
        match (expected, actual) {
            (Ok(expected), Ok(actual)) => {
                for (k, (e, a)) in expected.iter().zip(&actual).enumerate() {
                    prop_assert!(same_bits(e, a), "output {k}: {e:?} vs {a:?}\n{g}\n{optimized}");
                }
            }
            (expected, actual) => prop_assert_eq!(expected.is_ok(), actual.is_ok()),
        }
    }
}

/// Values on which folding and the identities are most likely to go wrong.
fn special_values(dtype: crate::dtype::DType) -> Vec<crate::scalar::Scalar> {
    use crate::scalar::Scalar;
    let floats = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        2.0,
        0.5,
        -2.5,
        3.5,
        1e300,
        -1e-310,
        0.1,
        7.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        f64::MIN_POSITIVE,
    ];
    let ints = [
        0,
        1,
        -1,
        2,
        -7,
        7,
        3,
        i64::MAX,
        i64::MIN,
        i32::MAX as i64,
        i32::MIN as i64,
    ];
    let mut values: Vec<Scalar> = match dtype {
        d if d.is_float() => floats.iter().map(|&v| Scalar::from_f64(v, d)).collect(),
        d if d.is_int() => ints.iter().map(|&v| Scalar::from_i64(v, d)).collect(),
        _ => vec![Scalar::Bool(false), Scalar::Bool(true)],
    };
    values.dedup();
    values
}

/// Evaluates `g` before and after `optimize` and checks that the results
/// agree bit for bit.
fn assert_same_results(g: &Graph, inputs: &[crate::buffer::Tensor]) {
    let optimized = super::optimize(g, &super::OptimizeOptions::default());
    let expected = crate::interp::evaluate(g, inputs).expect("the graph evaluates");
    let actual =
        crate::interp::evaluate(&optimized, inputs).expect("the optimized graph evaluates");
    for (e, a) in expected.iter().zip(&actual) {
        assert!(same_bits(e, a), "{e:?} vs {a:?}\n{g}\n{optimized}");
    }
}

/// Every fold, and every identity with a constant operand, on every
/// special value of every dtype, against the interpreter.
#[test]
fn folds_and_identities_agree_with_the_interpreter() {
    use crate::buffer::{Buffer, Tensor};
    use crate::dtype::DType;
    use crate::op::{BinaryOp, Op, ReduceOp, TensorType, UnaryOp};
    for dtype in DType::ALL {
        let values = special_values(dtype);
        let len = values.len();
        let mut g = Graph::new();
        let x = g.input(TensorType::new([len], dtype));
        let mut outputs = Vec::new();
        for &op in BinaryOp::ALL {
            outputs.extend(g.add(Op::Binary(op), &[x, x]));
        }
        for &a in &values {
            let c = g.constant(a);
            for &op in UnaryOp::ALL {
                outputs.extend(g.add(Op::Unary(op), &[c]));
            }
            for target in DType::ALL {
                outputs.extend(g.add(Op::Cast(target), &[c]));
            }
            for op in [ReduceOp::Sum, ReduceOp::Prod, ReduceOp::Max] {
                for n in [0, 1, 2, 3, 7, 10] {
                    let many = g.add(Op::Broadcast([n].into()), &[c]).unwrap();
                    outputs.extend(g.add(Op::Reduce { op, axes: vec![0] }, &[many]));
                }
            }
            let splat = g.add(Op::Broadcast([len].into()), &[c]).unwrap();
            for &b in &values {
                let d = g.constant(b);
                for &op in BinaryOp::ALL {
                    outputs.extend(g.add(Op::Binary(op), &[c, d]));
                }
            }
            for &op in BinaryOp::ALL {
                outputs.extend(g.add(Op::Binary(op), &[x, splat]));
                outputs.extend(g.add(Op::Binary(op), &[splat, x]));
            }
        }
        g.set_outputs(outputs);
        let mut buffer = Buffer::zeros(dtype, len);
        for (i, &v) in values.iter().enumerate() {
            buffer.set(i, v);
        }
        assert_same_results(&g, &[Tensor::new([len], buffer).unwrap()]);
    }
}

/// Products with two constants and negated products or quotients with a
/// constant, folded or not, on every special value, against the
/// interpreter: near overflow, at subnormals, zeros, infinities and NaN.
#[test]
fn constant_scalings_agree_with_the_interpreter() {
    use crate::buffer::{Buffer, Tensor};
    use crate::dtype::DType;
    use crate::op::{BinaryOp, Op, TensorType, UnaryOp};
    use crate::scalar::Scalar;
    let constants = [
        2.0,
        4.0,
        -2.0,
        1.0,
        0.5,
        100.0,
        -3.0,
        1e300,
        3e38,
        1e-300,
        f64::INFINITY,
    ];
    for dtype in [DType::F32, DType::F64, DType::I32, DType::I64] {
        let mut values = special_values(dtype);
        values.extend(
            [1e307, 8e306, 3.3e38, 1.7e38, 5e-324, 1e-45].map(|v| Scalar::from_f64(v, dtype)),
        );
        let len = values.len();
        let mut g = Graph::new();
        let x = g.input(TensorType::new([len], dtype));
        let splat = |g: &mut Graph, v: f64| {
            let c = g.constant(Scalar::from_f64(v, dtype));
            g.add(Op::Broadcast([len].into()), &[c]).unwrap()
        };
        let mut outputs = Vec::new();
        for &c1 in &constants {
            let a = splat(&mut g, c1);
            let scaled = g.add(Op::Binary(BinaryOp::Mul), &[x, a]).unwrap();
            for op in [BinaryOp::Mul, BinaryOp::Div] {
                if let Ok(y) = g.add(Op::Binary(op), &[x, a]) {
                    outputs.push(g.add(Op::Unary(UnaryOp::Neg), &[y]).unwrap());
                }
            }
            for &c2 in &constants {
                let b = splat(&mut g, c2);
                outputs.push(g.add(Op::Binary(BinaryOp::Mul), &[scaled, b]).unwrap());
                outputs.push(g.add(Op::Binary(BinaryOp::Mul), &[b, scaled]).unwrap());
            }
        }
        g.set_outputs(outputs);
        let mut buffer = Buffer::zeros(dtype, len);
        for (i, &v) in values.iter().enumerate() {
            buffer.set(i, v);
        }
        assert_same_results(&g, &[Tensor::new([len], buffer).unwrap()]);
    }
}

/// User loops build very deep chains (`x = x + 1.0` in a loop): every pass
/// walks the arena with loops, never recursion over depth.
#[test]
fn optimize_handles_deep_chains() {
    use crate::dtype::DType;
    use crate::op::{BinaryOp, Op, TensorType, UnaryOp};
    use crate::scalar::Scalar;
    let mut g = Graph::new();
    let mut x = g.input(TensorType::new([4], DType::F64));
    let one = g.constant(Scalar::F64(1.0));
    let one = g.add(Op::Broadcast([4].into()), &[one]).unwrap();
    for i in 0..100_000 {
        let op = if i % 2 == 0 {
            Op::Binary(BinaryOp::Add)
        } else {
            Op::Binary(BinaryOp::Mul)
        };
        x = g.add(op, &[x, one]).unwrap();
        x = g.add(Op::Unary(UnaryOp::Neg), &[x]).unwrap();
    }
    g.set_outputs(vec![x]);
    let optimized = super::optimize(&g, &super::OptimizeOptions::default());
    // -(-(x + 1) * 1) is x + 1: only the additions remain.
    assert_eq!(compute_nodes(&optimized), 50_000);
}
