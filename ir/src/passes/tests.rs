//! Tests of the passes together: property tests of [`optimize`] over random
//! graphs, and folds checked against the interpreter on special values.
//! (What each pass writes is tested by the golden files of
//! `tests/filetests/pass/`.)

use crate::graph::Graph;
use crate::text::parse;

use crate::random_graph as random;

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
