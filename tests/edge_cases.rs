//! Degenerate shapes and wrong inputs never panic (DESIGN.md, "Errors").
//!
//! - Every op kind on zero-size arrays (kernels of zero points, reductions
//!   over empty axes that still have outputs, pads and concats of nothing)
//!   and on 0-d arrays (0-d kernels), through the JIT, agreeing with the
//!   interpreter.
//! - `runtime::evaluate` with the wrong number of inputs, or an input of
//!   the wrong dtype, shape or buffer length, is an `Err` on both backends.
//! - Array operations that NumPy rejects on empty arrays are errors.

use ndjit::ir::{
    ArgReduceOp, BinaryOp, Buffer, DType, Graph, IrError, NodeId, Op, PadAxis, ReduceOp, Scalar,
    Shape, SliceAxis, Tensor, TensorType, UnaryOp,
};
use ndjit::runtime::{evaluate, evaluate_with, Backend};
use ndjit::{Array, Error};

const DTYPES: [DType; 5] = [DType::Bool, DType::I32, DType::I64, DType::F32, DType::F64];

/// A graph of three inputs (`x`, `y` of `ty`; a bool condition of its
/// shape) whose outputs apply every op kind, in every form the type rules
/// accept for `ty`, and some fused combinations.
fn every_op(ty: &TensorType) -> Graph {
    let mut g = Graph::new();
    let x = g.input(ty.clone());
    let y = g.input(ty.clone());
    let condition = g.input(TensorType::new(ty.shape.clone(), DType::Bool));
    let dims = ty.shape.dims().to_vec();
    let rank = dims.len();
    let mut outputs = Vec::new();

    for &op in UnaryOp::ALL {
        add(&mut g, &mut outputs, Op::Unary(op), &[x]);
    }
    for &op in BinaryOp::ALL {
        add(&mut g, &mut outputs, Op::Binary(op), &[x, y]);
    }
    add(&mut g, &mut outputs, Op::Select, &[condition, x, y]);
    for dtype in DTYPES {
        add(&mut g, &mut outputs, Op::Cast(dtype), &[x]);
    }

    // Views, alone and under an elementwise op (fused into its loads).
    let numel = ty.shape.numel();
    let mut views = vec![
        Op::Reshape(Shape(vec![numel])),
        Op::Reshape(Shape(vec![1, numel, 1])),
        Op::Permute((0..rank).rev().collect()),
        Op::Broadcast(Shape([2].iter().chain(&dims).copied().collect())),
        Op::Broadcast(Shape([0].iter().chain(&dims).copied().collect())),
        Op::Slice(
            dims.iter()
                .map(|&d| SliceAxis {
                    start: 0,
                    step: 1,
                    len: d,
                })
                .collect(),
        ),
        Op::Slice(
            dims.iter()
                .map(|&d| SliceAxis {
                    start: d.saturating_sub(1),
                    step: -1,
                    len: d,
                })
                .collect(),
        ),
        Op::Slice(
            dims.iter()
                .map(|&d| SliceAxis {
                    start: 0,
                    step: 2,
                    len: d.div_ceil(2),
                })
                .collect(),
        ),
        Op::Pad(
            dims.iter()
                .map(|_| PadAxis {
                    low: 1,
                    high: 2,
                    interior: 1,
                })
                .collect(),
        ),
    ];
    if numel == 0 && rank > 0 {
        views.push(Op::Reshape(Shape(vec![0, 7])));
    }
    for view in views {
        if let Some(v) = add(&mut g, &mut outputs, view, &[x]) {
            let w = g
                .add(Op::Unary(UnaryOp::IsNan), &[v])
                .expect("isnan takes any dtype");
            outputs.push(w);
        }
    }

    // Concats along each axis, alone and under an elementwise op, and an
    // elementwise op of two shifted pads (both split into boxes by the
    // optimizer, each box a kernel, some of zero points).
    for axis in 0..rank {
        let joined = add(&mut g, &mut outputs, Op::Concat { axis }, &[x, y, x]);
        let other = g.add(Op::Concat { axis }, &[y, x, y]).ok();
        if let (Some(a), Some(b)) = (joined, other) {
            add(&mut g, &mut outputs, Op::Binary(BinaryOp::Maximum), &[a, b]);
        }
    }
    let shifted = |low: usize, high: usize| {
        Op::Pad(
            dims.iter()
                .map(|_| PadAxis {
                    low,
                    high,
                    interior: 0,
                })
                .collect(),
        )
    };
    if let (Ok(a), Ok(b)) = (g.add(shifted(1, 0), &[x]), g.add(shifted(0, 1), &[y])) {
        add(&mut g, &mut outputs, Op::Binary(BinaryOp::Maximum), &[a, b]);
    }

    // Reductions over each axis, all axes and no axis, of `x` and of a
    // fused product; arg reductions along each axis.
    let product = g.add(Op::Binary(BinaryOp::Mul), &[x, y]).ok();
    let mut axis_sets: Vec<Vec<usize>> = (0..rank).map(|a| vec![a]).collect();
    axis_sets.push((0..rank).collect());
    axis_sets.push(Vec::new());
    for axes in &axis_sets {
        for &op in ReduceOp::ALL {
            let reduce = || Op::Reduce {
                op,
                axes: axes.clone(),
            };
            add(&mut g, &mut outputs, reduce(), &[x]);
            if let Some(product) = product {
                add(&mut g, &mut outputs, reduce(), &[product]);
            }
        }
    }
    for axis in 0..rank {
        for &op in ArgReduceOp::ALL {
            add(&mut g, &mut outputs, Op::ArgReduce { op, axis }, &[x]);
        }
    }
    // A reduce-then-broadcast (softmax-like) and an expensive node used twice.
    if let (Some(sum), true) = (
        g.add(
            Op::Reduce {
                op: ReduceOp::Sum,
                axes: vec![rank.saturating_sub(1)],
            },
            &[x],
        )
        .ok()
        .filter(|_| rank > 0),
        ty.dtype == DType::F64,
    ) {
        let back = g.add(Op::Broadcast(ty.shape.clone()), &[sum]).unwrap();
        let e = g.add(Op::Unary(UnaryOp::Exp), &[x]).unwrap();
        let ratio = g.add(Op::Binary(BinaryOp::Div), &[e, back]).unwrap();
        let twice = g.add(Op::Binary(BinaryOp::Add), &[e, ratio]).unwrap();
        outputs.push(twice);
    }
    // A constant output and an input returned as it is.
    outputs.push(g.constant(Scalar::from_f64(2.5, ty.dtype)));
    outputs.push(x);
    g.set_outputs(outputs);
    g
}

/// Adds `op(args)` as an output, if the type rules accept it.
fn add(g: &mut Graph, outputs: &mut Vec<NodeId>, op: Op, args: &[NodeId]) -> Option<NodeId> {
    let id = g.add(op, args).ok()?;
    outputs.push(id);
    Some(id)
}

/// A value of `dtype` for a 0-d input.
fn value(dtype: DType, which: usize) -> Scalar {
    let values = [1.5, -2.25, 3.0];
    Scalar::from_f64(values[which % values.len()], dtype)
}

fn inputs(ty: &TensorType) -> Vec<Tensor> {
    let n = ty.shape.numel();
    let filled = |value: Scalar| Tensor::new(ty.shape.clone(), Buffer::filled(value, n)).unwrap();
    vec![
        filled(value(ty.dtype, 0)),
        filled(value(ty.dtype, 1)),
        filled(Scalar::Bool(true)),
    ]
}

fn same_elements(a: &Tensor, b: &Tensor) -> bool {
    a.buffer().len() == b.buffer().len()
        && (0..a.buffer().len()).all(|i| {
            let (x, y) = (a.buffer().get(i).to_f64(), b.buffer().get(i).to_f64());
            x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
        })
}

#[test]
fn every_op_on_zero_size_and_0d_arrays() {
    let shapes: [&[usize]; 7] = [&[], &[0], &[3, 0], &[0, 4], &[2, 0, 3], &[1], &[1, 1]];
    for dtype in DTYPES {
        for dims in shapes {
            let ty = TensorType::new(dims.to_vec(), dtype);
            let graph = every_op(&ty);
            assert!(graph.outputs().len() > 40, "{ty}: {graph}");
            let inputs = inputs(&ty);
            let jit = evaluate_with(Backend::Jit, &graph, &inputs)
                .unwrap_or_else(|e| panic!("{ty}: the JIT failed: {e}\n{graph}"));
            let eager = evaluate_with(Backend::Interpreter, &graph, &inputs)
                .unwrap_or_else(|e| panic!("{ty}: the interpreter failed: {e}"));
            assert_eq!(jit.len(), graph.outputs().len());
            for (k, ((a, b), &id)) in jit.iter().zip(&eager).zip(graph.outputs()).enumerate() {
                let node = graph.node(id);
                let context = || format!("{ty}: output {k} ({} : {})", node.op.name(), node.ty);
                assert_eq!(a.shape(), &node.ty.shape, "{}", context());
                assert_eq!(a.dtype(), node.ty.dtype, "{}", context());
                assert_eq!(a.buffer().len(), node.ty.shape.numel(), "{}", context());
                assert!(
                    same_elements(a, b),
                    "{}: JIT {:?} vs interpreter {:?}",
                    context(),
                    a.buffer(),
                    b.buffer()
                );
            }
        }
    }
}

#[test]
fn zero_size_arrays_through_the_array_api() {
    let build = || {
        let x = Array::zeros([3, 0], DType::F64);
        let i = Array::zeros([0], DType::I64);
        vec![
            (x.exp() * 2.0 + 1.0).sum(1),
            x.prod(1),
            x.sum(..),
            x.max(0),
            x.t().mean(0),
            (&i + 1).sum(..),
            x.gt(0.0).any(1),
            x.gt(0.0).all(..),
            x.reshape([0, 5]).broadcast_to([2, 0, 5]),
            Array::scalar(4.0).broadcast_to([0, 2]) - 1.0,
            Array::scalar(4.0).sqrt(),
            Array::scalar(7i64) % 3,
        ]
    };
    let (jit, eager) = (build(), build());
    ndjit::eval_many_with(&jit, Backend::Jit).unwrap();
    ndjit::eval_many_with(&eager, Backend::Interpreter).unwrap();
    for (a, b) in jit.iter().zip(&eager) {
        assert_eq!(a.shape(), b.shape());
        let (x, y) = (
            a.astype(DType::F64).to_vec::<f64>().unwrap(),
            b.astype(DType::F64).to_vec::<f64>().unwrap(),
        );
        assert_eq!(x.len(), y.len());
        for (x, y) in x.iter().zip(&y) {
            assert!(x == y || (x.is_nan() && y.is_nan()), "{a} vs {b}");
        }
    }
    // The mean of nothing is NaN, as NumPy's (with a warning there).
    assert!(jit[4].to_vec::<f64>().unwrap().iter().all(|m| m.is_nan()));
    assert_eq!(jit[0].to_vec::<f64>().unwrap(), vec![0.0; 3]);
    assert_eq!(jit[1].to_vec::<f64>().unwrap(), vec![1.0; 3]);
    assert_eq!(jit[3].shape(), &[0]);
    assert!(jit[7].item::<bool>().unwrap());
    assert_eq!(jit[10].item::<f64>().unwrap(), 2.0);
    assert_eq!(jit[11].item::<i64>().unwrap(), 1);
}

#[test]
fn operations_numpy_rejects_on_empty_arrays_are_errors() {
    let x = Array::zeros([3, 0], DType::F64);
    for invalid in [
        x.max(1),
        x.min(..),
        x.argmax(1),
        x.argmin(..),
        x.reshape([2, 1]),
        x.broadcast_to([3, 2]),
        &x + Array::zeros([2], DType::F64),
    ] {
        assert!(invalid.error().is_some(), "{invalid:?}");
        assert!(invalid.eval().is_err());
        assert!(invalid.to_vec::<f64>().is_err());
    }
    assert!(x.item::<f64>().is_err());
    assert!(x.to_vec::<i64>().is_err());
}

#[test]
fn results_too_big_for_memory_are_errors() {
    // Zero-size arrays whose other extents multiply past isize: NumPy's
    // "array is too big". A reduction over the zero-size axis would
    // allocate the product (2^62 f64s: its size in bytes wrapped to 0).
    type Build = fn() -> Array;
    let cases: Vec<(&str, Build)> = vec![
        ("sum over the empty axis", || {
            Array::zeros([0, 1 << 62], DType::F64).sum(0)
        }),
        ("prod over the empty axis", || {
            Array::zeros([1 << 61, 0], DType::I64).prod(1)
        }),
        ("strides past isize", || {
            Array::zeros([0, 1 << 40, 1 << 40], DType::F64) + 1.0
        }),
        ("transposed", || {
            Array::zeros([1 << 40, 0, 1 << 40], DType::F64).t().exp()
        }),
        ("reshaped", || {
            Array::zeros([0], DType::F32).reshape([1 << 40, 0, 1 << 40])
        }),
        ("broadcast", || {
            Array::scalar(1.0).broadcast_to([usize::MAX, 0]).mean(1)
        }),
    ];
    for (what, build) in cases {
        // The type rules reject them as they are built.
        assert!(build().validate().is_err(), "{what} was built");
        for backend in [Backend::Jit, Backend::Interpreter] {
            let array = build();
            let result = ndjit::eval_many_with(std::slice::from_ref(&array), backend);
            assert!(result.is_err(), "{what} on {backend:?}");
        }
    }
}

/// `y = x * 2 + cast(i)`, with `x: f64[2, 3]` and `i: i64[3]`.
fn two_input_graph() -> Graph {
    let mut g = Graph::new();
    let x = g.input(TensorType::new([2, 3], DType::F64));
    let i = g.input(TensorType::new([3], DType::I64));
    let two = g.constant(Scalar::F64(2.0));
    let two = g.add(Op::Broadcast(Shape(vec![2, 3])), &[two]).unwrap();
    let doubled = g.add(Op::Binary(BinaryOp::Mul), &[x, two]).unwrap();
    let cast = g.add(Op::Cast(DType::F64), &[i]).unwrap();
    let cast = g.add(Op::Broadcast(Shape(vec![2, 3])), &[cast]).unwrap();
    let y = g.add(Op::Binary(BinaryOp::Add), &[doubled, cast]).unwrap();
    g.set_outputs(vec![y]);
    g
}

#[test]
fn wrong_inputs_are_errors_on_both_backends() {
    let graph = two_input_graph();
    let x = Tensor::from_slice([2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
    let i = Tensor::from_slice([3], &[10i64, 20, 30]).unwrap();
    // Right inputs work (and compile the program, so the wrong ones below
    // also meet a cached program).
    for backend in [Backend::Jit, Backend::Interpreter] {
        let y = evaluate_with(backend, &graph, &[x.clone(), i.clone()]).unwrap();
        assert_eq!(
            y[0].as_slice::<f64>(),
            &[12.0, 24.0, 36.0, 18.0, 30.0, 42.0]
        );
    }
    let tensor = |shape: &[usize], buffer: Buffer| Tensor::new(shape, buffer).unwrap();
    // A buffer that disagrees with its shape cannot even be made a tensor.
    for (shape, len) in [(&[2usize, 3][..], 5), (&[3], 4), (&[3], 0)] {
        assert!(Tensor::new(shape, Buffer::zeros(DType::F64, len)).is_none());
    }
    let wrong: Vec<(&str, Vec<Tensor>)> = vec![
        ("no inputs", vec![]),
        ("one input", vec![x.clone()]),
        ("three inputs", vec![x.clone(), i.clone(), i.clone()]),
        ("swapped", vec![i.clone(), x.clone()]),
        (
            "x as f32",
            vec![tensor(&[2, 3], Buffer::zeros(DType::F32, 6)), i.clone()],
        ),
        (
            "i as i32",
            vec![x.clone(), tensor(&[3], Buffer::zeros(DType::I32, 3))],
        ),
        (
            "x transposed",
            vec![tensor(&[3, 2], Buffer::zeros(DType::F64, 6)), i.clone()],
        ),
        (
            "x flat",
            vec![tensor(&[6], Buffer::zeros(DType::F64, 6)), i.clone()],
        ),
        (
            "x 0-d",
            vec![tensor(&[], Buffer::zeros(DType::F64, 1)), i.clone()],
        ),
    ];
    for (what, inputs) in &wrong {
        for backend in [Backend::Jit, Backend::Interpreter] {
            match evaluate_with(backend, &graph, inputs) {
                Err(Error::Ir(IrError::Input { .. })) => {}
                other => panic!("{what} on {backend:?}: {other:?}"),
            }
        }
        assert!(evaluate(&graph, inputs).is_err(), "{what}");
    }
}

#[test]
fn graphs_without_work() {
    // No outputs; an output that is an input; the same output twice; a
    // constant output.
    let mut g = Graph::new();
    let x = g.input(TensorType::new([2], DType::I32));
    let c = g.constant(Scalar::I32(-4));
    let x_tensor = Tensor::from_slice([2], &[5i32, 6]).unwrap();
    for outputs in [vec![], vec![x], vec![x, x], vec![c, x, c]] {
        g.set_outputs(outputs.clone());
        let jit = evaluate_with(Backend::Jit, &g, std::slice::from_ref(&x_tensor)).unwrap();
        let eager =
            evaluate_with(Backend::Interpreter, &g, std::slice::from_ref(&x_tensor)).unwrap();
        assert_eq!(jit.len(), outputs.len());
        for (a, b) in jit.iter().zip(&eager) {
            assert_eq!(a.shape(), b.shape());
            assert_eq!(a.as_slice::<i32>(), b.as_slice::<i32>());
        }
    }
}
