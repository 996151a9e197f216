//! Every rule against central finite differences, in f64 at random points
//! away from non-differentiable ones, for both modes, plus the consistency
//! of the two modes (`wᵀ(J u) = (Jᵀ w)ᵀ u`).

use super::{jvp, vjp};
use crate::buffer::Tensor;
use crate::dtype::DType;
use crate::graph::{Graph, NodeId};
use crate::interp::evaluate;
use crate::op::{ArgReduceOp, BinaryOp, Op, PadAxis, ReduceOp, SliceAxis, TensorType, UnaryOp};
use crate::scalar::Scalar;
use crate::shape::Shape;
use proptest::prelude::*;

/// A small deterministic generator (xorshift), so one proptest seed fixes a case.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn shape(&mut self, max_rank: usize) -> Shape {
        let rank = self.below(max_rank + 1);
        Shape((0..rank).map(|_| 1 + self.below(3)).collect())
    }
    fn values(&mut self, shape: &Shape, lo: f64, hi: f64) -> Vec<f64> {
        (0..shape.numel()).map(|_| self.uniform(lo, hi)).collect()
    }
}

/// One test case: a graph whose float inputs are differentiated, its input
/// values, and the node whose derivative is checked.
struct Case {
    graph: Graph,
    inputs: Vec<Tensor>,
    output: NodeId,
}

impl Case {
    fn new() -> Case {
        Case {
            graph: Graph::new(),
            inputs: Vec::new(),
            output: NodeId(0),
        }
    }

    fn input(&mut self, shape: Shape, values: Vec<f64>) -> NodeId {
        self.inputs
            .push(Tensor::from_slice(shape.clone(), &values).unwrap());
        self.graph.input(TensorType::new(shape, DType::F64))
    }

    fn bool_input(&mut self, shape: Shape, values: Vec<bool>) -> NodeId {
        self.inputs
            .push(Tensor::from_slice(shape.clone(), &values).unwrap());
        self.graph.input(TensorType::new(shape, DType::Bool))
    }

    fn op(&mut self, op: Op, args: &[NodeId]) -> NodeId {
        self.output = self.graph.add(op, args).unwrap();
        self.output
    }
}

/// The value of `case.output` at `inputs`.
fn value(case: &Case, inputs: &[Tensor]) -> Vec<f64> {
    let mut g = case.graph.clone();
    g.set_outputs(vec![case.output]);
    evaluate(&g, inputs).unwrap()[0].as_slice::<f64>().to_vec()
}

fn with_element(inputs: &[Tensor], input: usize, element: usize, delta: f64) -> Vec<Tensor> {
    let mut inputs = inputs.to_vec();
    let t = &inputs[input];
    let mut values = t.as_slice::<f64>().to_vec();
    values[element] += delta;
    inputs[input] = Tensor::from_slice(t.shape().clone(), &values).unwrap();
    inputs
}

fn with_direction(inputs: &[Tensor], directions: &[(usize, Vec<f64>)], scale: f64) -> Vec<Tensor> {
    let mut inputs = inputs.to_vec();
    for (input, direction) in directions {
        let t = &inputs[*input];
        let values: Vec<f64> = t
            .as_slice::<f64>()
            .iter()
            .zip(direction)
            .map(|(x, d)| x + scale * d)
            .collect();
        inputs[*input] = Tensor::from_slice(t.shape().clone(), &values).unwrap();
    }
    inputs
}

fn close(got: f64, want: f64, what: &str, dump: &str) {
    let tolerance = 1e-5 * (1.0 + want.abs());
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: got {got}, finite differences give {want}\n{dump}"
    );
}

/// Checks both modes of `case` against central differences, and against
/// each other.
fn check(case: Case, rng: &mut Rng) {
    let h = 1e-6;
    let dump = case.graph.dump();
    let y_ty = case.graph.ty(case.output).clone();
    let float_inputs: Vec<usize> = (0..case.inputs.len())
        .filter(|&k| case.inputs[k].dtype() == DType::F64)
        .collect();

    // The derivative graph: cotangent w and tangents u as extra inputs.
    let mut g = case.graph.clone();
    let w_values = rng.values(&y_ty.shape, -1.0, 1.0);
    let w = g.input(y_ty.clone());
    let wrt: Vec<NodeId> = float_inputs.iter().map(|&k| g.inputs()[k]).collect();
    let mut tangents = Vec::new();
    let mut directions = Vec::new();
    for &k in &float_inputs {
        let ty = case.graph.ty(case.graph.inputs()[k]).clone();
        directions.push((k, rng.values(&ty.shape, -1.0, 1.0)));
        tangents.push(g.input(ty));
    }
    let adjoints = vjp(&mut g, &[case.output], &[w], &wrt).unwrap();
    let tangent = jvp(&mut g, &[case.output], &wrt, &tangents).unwrap();
    let mut outputs = adjoints.clone();
    outputs.extend(tangent);
    g.set_outputs(outputs);
    let mut inputs = case.inputs.clone();
    inputs.push(Tensor::from_slice(y_ty.shape.clone(), &w_values).unwrap());
    for (k, direction) in &directions {
        inputs.push(Tensor::from_slice(case.inputs[*k].shape().clone(), direction).unwrap());
    }
    let results = evaluate(&g, &inputs).unwrap();
    let derived = g.dump();

    // Reverse mode, element by element.
    let f = |inputs: &[Tensor]| -> f64 {
        value(&case, inputs)
            .iter()
            .zip(&w_values)
            .map(|(y, w)| y * w)
            .sum()
    };
    for (slot, &k) in float_inputs.iter().enumerate() {
        let grad = results[slot].as_slice::<f64>();
        for (j, &got) in grad.iter().enumerate() {
            let plus = f(&with_element(&case.inputs, k, j, h));
            let minus = f(&with_element(&case.inputs, k, j, -h));
            close(
                got,
                (plus - minus) / (2.0 * h),
                &format!("vjp input {k} element {j}"),
                &derived,
            );
        }
    }

    // Forward mode, along the random direction.
    let ju = results[float_inputs.len()].as_slice::<f64>();
    let plus = value(&case, &with_direction(&case.inputs, &directions, h));
    let minus = value(&case, &with_direction(&case.inputs, &directions, -h));
    for (j, &got) in ju.iter().enumerate() {
        close(
            got,
            (plus[j] - minus[j]) / (2.0 * h),
            &format!("jvp element {j}"),
            &dump,
        );
    }

    // wᵀ(J u) = (Jᵀ w)ᵀ u.
    let forward: f64 = ju.iter().zip(&w_values).map(|(a, b)| a * b).sum();
    let reverse: f64 = directions
        .iter()
        .enumerate()
        .map(|(slot, (_, u))| {
            results[slot]
                .as_slice::<f64>()
                .iter()
                .zip(u)
                .map(|(a, b)| a * b)
                .sum::<f64>()
        })
        .sum();
    assert!(
        (forward - reverse).abs() <= 1e-9 * (1.0 + forward.abs()),
        "wᵀJu = {forward} but (Jᵀw)ᵀu = {reverse}\n{derived}"
    );
}

/// Points away from a function's singular or non-differentiable points.
fn unary_domain(op: UnaryOp) -> (f64, f64) {
    use UnaryOp::*;
    match op {
        Sqrt | Log | Log2 | Recip => (0.3, 2.0),
        Log1p => (-0.5, 2.0),
        Asin | Acos => (-0.9, 0.9),
        Tan => (-1.2, 1.2),
        // Away from integers and half-integers, where FD would straddle a step.
        Floor | Ceil | Round => (0.1, 0.4),
        _ => (-2.0, 2.0),
    }
}

fn unary_case(op: UnaryOp, rng: &mut Rng) -> Case {
    let mut case = Case::new();
    let shape = rng.shape(3);
    let (lo, hi) = unary_domain(op);
    let mut values = rng.values(&shape, lo, hi);
    if matches!(op, UnaryOp::Abs | UnaryOp::Sign) {
        // Away from 0.
        values.iter_mut().for_each(|v| *v += v.signum() * 0.1);
    }
    let x = case.input(shape, values);
    case.op(Op::Unary(op), &[x]);
    case
}

fn binary_case(op: BinaryOp, rng: &mut Rng) -> Case {
    use BinaryOp::*;
    let mut case = Case::new();
    let shape = rng.shape(3);
    let n = shape.numel();
    let (a, b): (Vec<f64>, Vec<f64>) = match op {
        Div => (rng.values(&shape, -2.0, 2.0), rng.values(&shape, 0.5, 2.0)),
        Pow => (rng.values(&shape, 0.5, 2.0), rng.values(&shape, -2.0, 2.0)),
        // a/b between integers: a = b * (k + frac), frac in [0.2, 0.8].
        Rem | FloorDiv => {
            let b = rng.values(&shape, 0.5, 2.0);
            let a = (0..n)
                .map(|i| b[i] * (rng.below(5) as f64 - 2.0 + rng.uniform(0.2, 0.8)))
                .collect();
            (a, b)
        }
        // Operands apart, so the larger one is clear.
        Maximum | Minimum => {
            let a = rng.values(&shape, -2.0, 2.0);
            let b = a
                .iter()
                .map(|&x| x + if rng.below(2) == 0 { 0.5 } else { -0.5 })
                .collect();
            (a, b)
        }
        _ => (rng.values(&shape, -2.0, 2.0), rng.values(&shape, 0.5, 2.0)),
    };
    let a = case.input(shape.clone(), a);
    let b = case.input(shape, b);
    case.op(Op::Binary(op), &[a, b]);
    case
}

/// The differentiable binary ops (comparisons and logical ops produce
/// bools: their cases below check they carry no gradient).
const BINARY: &[BinaryOp] = &[
    BinaryOp::Add,
    BinaryOp::Sub,
    BinaryOp::Mul,
    BinaryOp::Div,
    BinaryOp::FloorDiv,
    BinaryOp::Rem,
    BinaryOp::Pow,
    BinaryOp::Maximum,
    BinaryOp::Minimum,
    BinaryOp::Atan2,
];

fn select_case(rng: &mut Rng) -> Case {
    let mut case = Case::new();
    let shape = rng.shape(3);
    let cond = (0..shape.numel()).map(|_| rng.below(2) == 0).collect();
    let c = case.bool_input(shape.clone(), cond);
    let a = case.input(shape.clone(), rng.values(&shape, -2.0, 2.0));
    let b = case.input(shape.clone(), rng.values(&shape, -2.0, 2.0));
    // A nonlinearity after the select, so the cotangent is not constant.
    let s = case.op(Op::Select, &[c, a, b]);
    case.op(Op::Unary(UnaryOp::Sin), &[s]);
    case
}

fn mul_add_case(rng: &mut Rng) -> Case {
    let mut case = Case::new();
    let shape = rng.shape(3);
    let [a, b, c] = [0, 1, 2].map(|_| case.input(shape.clone(), rng.values(&shape, -2.0, 2.0)));
    let f = case.op(Op::MulAdd, &[a, b, c]);
    case.op(Op::Unary(UnaryOp::Sin), &[f]);
    case
}

/// A random view of a random input, followed by `sin` (so the cotangent
/// reaching the view depends on the point).
fn view_case(rng: &mut Rng) -> Case {
    let mut case = Case::new();
    let shape = rng.shape(3);
    let x = case.input(shape.clone(), rng.values(&shape, -2.0, 2.0));
    let rank = shape.rank();
    let op = match rng.below(5) {
        0 => {
            let mut dims = vec![shape.numel()];
            if shape.numel().is_multiple_of(2) {
                dims = vec![2, shape.numel() / 2];
            }
            Op::Reshape(Shape(dims))
        }
        1 => {
            let mut perm: Vec<usize> = (0..rank).collect();
            for i in (1..rank).rev() {
                perm.swap(i, rng.below(i + 1));
            }
            Op::Permute(perm)
        }
        2 => {
            // Stretch the extent-1 axes and add up to two leading axes.
            let mut dims: Vec<usize> = (0..rng.below(3)).map(|_| 1 + rng.below(3)).collect();
            dims.extend(
                shape
                    .0
                    .iter()
                    .map(|&d| if d == 1 { 1 + rng.below(3) } else { d }),
            );
            Op::Broadcast(Shape(dims))
        }
        3 => Op::Slice(
            shape
                .0
                .iter()
                .map(|&d| {
                    let step = (1 + rng.below(2)) as isize * if rng.below(2) == 0 { 1 } else { -1 };
                    let start = rng.below(d);
                    let room = if step > 0 { d - start - 1 } else { start };
                    let len = 1 + rng.below(room / step.unsigned_abs() + 1);
                    SliceAxis { start, step, len }
                })
                .collect(),
        ),
        _ => Op::Pad(
            (0..rank)
                .map(|_| PadAxis {
                    low: rng.below(3),
                    high: rng.below(3),
                    interior: rng.below(3),
                })
                .collect(),
        ),
    };
    let v = case.op(op, &[x]);
    case.op(Op::Unary(UnaryOp::Sin), &[v]);
    case
}

fn reduce_case(op: ReduceOp, rng: &mut Rng) -> Case {
    let mut case = Case::new();
    let shape = rng.shape(3);
    let (lo, hi) = if op == ReduceOp::Prod {
        (0.5, 1.5)
    } else {
        (-2.0, 2.0)
    };
    let x = case.input(shape.clone(), rng.values(&shape, lo, hi));
    let axes = (0..shape.rank()).filter(|_| rng.below(2) == 0).collect();
    let r = case.op(Op::Reduce { op, axes }, &[x]);
    case.op(Op::Unary(UnaryOp::Sin), &[r]);
    case
}

/// Two to three inputs joined along a random axis (one of them possibly
/// an integer cast, which carries no derivative), followed by `sin`.
fn concat_case(rng: &mut Rng) -> Case {
    let mut case = Case::new();
    let mut shape = rng.shape(3);
    if shape.rank() == 0 {
        shape = Shape(vec![1 + rng.below(3)]);
    }
    let axis = rng.below(shape.rank());
    let mut parts = Vec::new();
    for _ in 0..2 + rng.below(2) {
        let mut dims = shape.clone();
        dims.0[axis] = rng.below(3);
        let x = case.input(dims.clone(), rng.values(&dims, -2.0, 2.0));
        parts.push(if rng.below(4) == 0 {
            let integer = case.op(Op::Cast(DType::I64), &[x]);
            case.op(Op::Cast(DType::F64), &[integer])
        } else {
            x
        });
    }
    let joined = case.op(Op::Concat { axis }, &parts);
    case.op(Op::Unary(UnaryOp::Sin), &[joined]);
    case
}

fn random_case(kind: usize, rng: &mut Rng) -> Case {
    let unary: Vec<UnaryOp> = UnaryOp::ALL
        .iter()
        .copied()
        .filter(|op| !matches!(op, UnaryOp::Not | UnaryOp::IsNan | UnaryOp::IsFinite))
        .collect();
    let reductions = [ReduceOp::Sum, ReduceOp::Prod, ReduceOp::Max, ReduceOp::Min];
    match kind % 7 {
        0 => unary_case(unary[rng.below(unary.len())], rng),
        1 => binary_case(BINARY[rng.below(BINARY.len())], rng),
        2 => select_case(rng),
        3 => view_case(rng),
        4 => mul_add_case(rng),
        5 => concat_case(rng),
        _ => reduce_case(reductions[rng.below(reductions.len())], rng),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn rules_match_finite_differences(kind in 0usize..7, seed in 1u64..u64::MAX) {
        let mut rng = Rng(seed);
        let case = random_case(kind, &mut rng);
        check(case, &mut rng);
    }
}

#[test]
fn every_unary_and_binary_op_matches_finite_differences() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for &op in UnaryOp::ALL {
        if !matches!(op, UnaryOp::Not | UnaryOp::IsNan | UnaryOp::IsFinite) {
            check(unary_case(op, &mut rng), &mut rng);
        }
    }
    for &op in BINARY {
        check(binary_case(op, &mut rng), &mut rng);
    }
    for op in [ReduceOp::Sum, ReduceOp::Prod, ReduceOp::Max, ReduceOp::Min] {
        check(reduce_case(op, &mut rng), &mut rng);
    }
}

/// Builds `x: f64[shape]`, applies `build`, and returns the VJP with a
/// cotangent of ones, evaluated at `values`.
fn gradient(
    shape: &[usize],
    values: &[f64],
    build: impl Fn(&mut Graph, NodeId) -> NodeId,
) -> Vec<f64> {
    let mut g = Graph::new();
    let ty = TensorType::new(shape.to_vec(), DType::F64);
    let x = g.input(ty);
    let y = build(&mut g, x);
    let one = g.constant(Scalar::F64(1.0));
    let y_ty = g.ty(y).clone();
    let seed = if y_ty.shape.rank() == 0 {
        one
    } else {
        g.add(Op::Broadcast(y_ty.shape), &[one]).unwrap()
    };
    let dx = vjp(&mut g, &[y], &[seed], &[x]).unwrap();
    g.set_outputs(dx);
    let input = Tensor::from_slice(shape.to_vec(), values).unwrap();
    evaluate(&g, &[input]).unwrap()[0]
        .as_slice::<f64>()
        .to_vec()
}

#[test]
fn ties_split_the_gradient_equally() {
    let max_all = |g: &mut Graph, x| {
        g.add(
            Op::Reduce {
                op: ReduceOp::Max,
                axes: vec![0],
            },
            &[x],
        )
        .unwrap()
    };
    assert_eq!(
        gradient(&[4], &[1.0, 3.0, 3.0, 3.0], max_all),
        vec![0.0, 1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0]
    );
    let maximum_self = |g: &mut Graph, x| g.add(Op::Binary(BinaryOp::Maximum), &[x, x]).unwrap();
    // Both operands are x: ½ + ½.
    assert_eq!(gradient(&[2], &[1.0, -1.0], maximum_self), vec![1.0, 1.0]);
}

#[test]
fn non_differentiable_points_follow_the_documented_conventions() {
    let unary = |op| move |g: &mut Graph, x| g.add(Op::Unary(op), &[x]).unwrap();
    assert_eq!(
        gradient(&[3], &[-2.0, 0.0, 2.0], unary(UnaryOp::Abs)),
        vec![-1.0, 0.0, 1.0]
    );
    assert_eq!(
        gradient(&[2], &[0.0, 1.5], unary(UnaryOp::Sign)),
        vec![0.0, 0.0]
    );
    assert_eq!(
        gradient(&[2], &[0.5, 1.0], unary(UnaryOp::Round)),
        vec![0.0, 0.0]
    );
    // pow(x, 0) at x = 0: d/dx is 0, not 0 * inf.
    let pow = |exponent: f64| {
        move |g: &mut Graph, x: NodeId| {
            let c = g.constant(Scalar::F64(exponent));
            let ty = g.ty(x).shape.clone();
            let b = g.add(Op::Broadcast(ty), &[c]).unwrap();
            g.add(Op::Binary(BinaryOp::Pow), &[x, b]).unwrap()
        }
    };
    assert_eq!(gradient(&[2], &[0.0, 2.0], pow(0.0)), vec![0.0, 0.0]);
    assert_eq!(gradient(&[2], &[0.0, 2.0], pow(2.0)), vec![0.0, 4.0]);
    // d/dy of x^y at x = 0 is 0.
    let base_zero = |g: &mut Graph, y: NodeId| {
        let c = g.constant(Scalar::F64(0.0));
        let shape = g.ty(y).shape.clone();
        let x = g.add(Op::Broadcast(shape), &[c]).unwrap();
        g.add(Op::Binary(BinaryOp::Pow), &[x, y]).unwrap()
    };
    assert_eq!(gradient(&[2], &[0.0, 2.0], base_zero), vec![0.0, 0.0]);
    // Products with zeros: the exact first derivative.
    let prod = |g: &mut Graph, x| {
        g.add(
            Op::Reduce {
                op: ReduceOp::Prod,
                axes: vec![0],
            },
            &[x],
        )
        .unwrap()
    };
    assert_eq!(gradient(&[3], &[2.0, 0.0, 5.0], prod), vec![0.0, 10.0, 0.0]);
    assert_eq!(gradient(&[3], &[0.0, 0.0, 5.0], prod), vec![0.0, 0.0, 0.0]);
    assert_eq!(
        gradient(&[3], &[2.0, 3.0, 5.0], prod),
        vec![15.0, 10.0, 6.0]
    );
}

#[test]
fn integer_and_bool_paths_carry_no_gradient() {
    // argmax, comparisons and casts to integers cut the gradient; the
    // adjoint of an input reached only through them is zeros.
    let through_ints = |g: &mut Graph, x: NodeId| {
        let i = g
            .add(
                Op::ArgReduce {
                    op: ArgReduceOp::ArgMax,
                    axis: 0,
                },
                &[x],
            )
            .unwrap();
        let f = g.add(Op::Cast(DType::F64), &[i]).unwrap();
        let gt = g.add(Op::Binary(BinaryOp::Gt), &[x, x]).unwrap();
        let fg = g.add(Op::Cast(DType::F64), &[gt]).unwrap();
        let fg = g
            .add(
                Op::Reduce {
                    op: ReduceOp::Sum,
                    axes: vec![0],
                },
                &[fg],
            )
            .unwrap();
        g.add(Op::Binary(BinaryOp::Add), &[f, fg]).unwrap()
    };
    assert_eq!(gradient(&[3], &[1.0, 3.0, 2.0], through_ints), vec![0.0; 3]);
}

#[test]
fn seeds_of_the_wrong_type_are_errors() {
    let mut g = Graph::new();
    let x = g.input(TensorType::new([3], DType::F64));
    let y = g.add(Op::Unary(UnaryOp::Sin), &[x]).unwrap();
    let one = g.constant(Scalar::F64(1.0));
    assert!(vjp(&mut g, &[y], &[one], &[x]).is_err());
    assert!(vjp(&mut g, &[y], &[], &[x]).is_err());
    assert!(jvp(&mut g, &[y], &[x], &[one]).is_err());
    assert!(vjp(&mut g, &[y], &[y], &[NodeId(99)]).is_err());
}
