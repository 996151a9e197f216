//! Round-trip, golden and error tests of the text form.

use super::parse;
use crate::dtype::DType;
use crate::error::IrError;
use crate::graph::{Graph, NodeId};
use crate::op::{ArgReduceOp, BinaryOp, Op, PadAxis, ReduceOp, SliceAxis, TensorType, UnaryOp};
use crate::random_graph::arbitrary_graph;
use crate::scalar::Scalar;
use proptest::prelude::*;
use std::collections::BTreeSet;

/// Checks that `g` prints, reads back and prints again to the same text,
/// and that the parsed graph has the very same nodes.
fn assert_round_trips(g: &Graph) {
    let text = g.dump();
    let parsed = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(parsed.dump(), text);
    assert_eq!(parsed.nodes(), g.nodes());
    assert_eq!(parsed.inputs(), g.inputs());
    assert_eq!(parsed.outputs(), g.outputs());
}

fn special_constants() -> Vec<Scalar> {
    let mut constants = vec![
        Scalar::Bool(false),
        Scalar::Bool(true),
        Scalar::I32(i32::MIN),
        Scalar::I32(-1),
        Scalar::I32(i32::MAX),
        Scalar::I64(i64::MIN),
        Scalar::I64(0),
        Scalar::I64(i64::MAX),
    ];
    let f64s = [
        0.0,
        -0.0,
        2.0,
        0.1,
        -1.5e-300,
        5e-324,
        1e16,
        123456789.123,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
        f64::from_bits(0x7ff8_0000_0000_0001),
        f64::from_bits(0x7ff0_0000_0000_0001),
    ];
    let f32s = [
        0.0,
        -0.0,
        0.1,
        1e-45,
        3.4e38,
        f32::MAX,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -f32::NAN,
        f32::from_bits(0x7fc0_0001),
    ];
    constants.extend(f64s.map(Scalar::F64));
    constants.extend(f32s.map(Scalar::F32));
    constants
}

#[test]
fn every_op_and_dtype_round_trips() {
    let mut g = Graph::new();
    let inputs = DType::ALL.map(|dtype| g.input(TensorType::new([2, 3], dtype)));
    let condition = inputs[0];
    let mut outputs = Vec::new();
    for x in inputs {
        let mut ops: Vec<(Op, Vec<NodeId>)> = Vec::new();
        ops.extend(UnaryOp::ALL.iter().map(|&u| (Op::Unary(u), vec![x])));
        ops.extend(BinaryOp::ALL.iter().map(|&b| (Op::Binary(b), vec![x, x])));
        for &op in ReduceOp::ALL {
            for axes in [vec![], vec![1], vec![0, 1]] {
                ops.push((Op::Reduce { op, axes }, vec![x]));
            }
        }
        for &op in ArgReduceOp::ALL {
            ops.push((Op::ArgReduce { op, axis: 1 }, vec![x]));
        }
        ops.extend(DType::ALL.map(|dtype| (Op::Cast(dtype), vec![x])));
        let views = [
            Op::Reshape([3, 2].into()),
            Op::Reshape([6].into()),
            Op::Permute(vec![1, 0]),
            Op::Broadcast([4, 2, 3].into()),
            Op::Slice(vec![
                SliceAxis {
                    start: 1,
                    step: -1,
                    len: 2,
                },
                SliceAxis {
                    start: 0,
                    step: 2,
                    len: 2,
                },
            ]),
            Op::Pad(vec![
                PadAxis {
                    low: 1,
                    high: 0,
                    interior: 0,
                },
                PadAxis {
                    low: 0,
                    high: 2,
                    interior: 1,
                },
            ]),
        ];
        ops.extend(views.map(|op| (op, vec![x])));
        ops.push((Op::Select, vec![condition, x, x]));
        ops.push((Op::Concat { axis: 1 }, vec![x, x, x]));
        ops.push((Op::Concat { axis: 0 }, vec![x]));
        for (op, args) in ops {
            if let Ok(y) = g.add(op, &args) {
                outputs.push(y);
            }
        }
    }
    for value in special_constants() {
        let c = g.constant(value);
        outputs.push(c);
        let scalar = g.add(Op::Reshape([1, 1].into()), &[c]).unwrap();
        outputs.push(g.add(Op::Broadcast([2, 3].into()), &[scalar]).unwrap());
    }
    g.set_outputs(outputs);

    let printed: BTreeSet<&str> = g.nodes().iter().map(|n| n.op.name()).collect();
    let mut expected: BTreeSet<&str> = [
        "input",
        "const",
        "select",
        "cast",
        "reshape",
        "permute",
        "broadcast",
        "slice",
        "pad",
        "concat",
    ]
    .into();
    expected.extend(UnaryOp::ALL.iter().map(|u| u.name()));
    expected.extend(BinaryOp::ALL.iter().map(|b| b.name()));
    expected.extend(ReduceOp::ALL.iter().map(|r| r.name()));
    expected.extend(ArgReduceOp::ALL.iter().map(|a| a.name()));
    assert_eq!(printed, expected, "the test must cover every op");
    assert_round_trips(&g);
}

#[test]
fn prints_the_documented_form() {
    let mut g = Graph::new();
    let x = g.input(TensorType::new([8], DType::F64));
    g.input(TensorType::new([8], DType::F64));
    let two = g.constant(Scalar::F64(2.0));
    let twos = g.add(Op::Broadcast([8].into()), &[two]).unwrap();
    let product = g.add(Op::Binary(BinaryOp::Mul), &[x, twos]).unwrap();
    let sum = g
        .add(
            Op::Reduce {
                op: ReduceOp::Sum,
                axes: vec![0],
            },
            &[product],
        )
        .unwrap();
    g.set_outputs(vec![sum]);
    let expected = "\
graph(%0: f64[8], %1: f64[8]) {
  %2 = const 2.0 : f64[]
  %3 = broadcast %2 to [8] : f64[8]
  %4 = mul %0, %3 : f64[8]
  %5 = sum %4 axes [0] : f64[1]
  return %5
}
";
    assert_eq!(g.dump(), expected);
    assert_eq!(g.to_string(), expected);
}

#[test]
fn attributes_read_back_as_written() {
    let text = "\
graph(%0: f32[4, 3], %1: bool[4, 1]) {
  %2 = slice %0 [start=3 step=-1 len=4, start=0 step=2 len=2] : f32[4, 2]
  %3 = pad %2 [low=1 high=0 interior=0, low=0 high=2 interior=1] : f32[5, 5]
  %4 = permute %3 perm [1, 0] : f32[5, 5]
  %5 = reshape %4 to [25] : f32[25]
  %6 = argmax %0 axis 1 : i64[4, 1]
  %7 = cast %6 to f32 : f32[4, 1]
  %8 = const -0.5 : f32[]
  %9 = broadcast %8 to [4, 1] : f32[4, 1]
  %10 = select %1, %7, %9 : f32[4, 1]
  %11 = const 0x7fc00001 : f32[]
  %12 = const nan : f64[]
  %13 = const -inf : f64[]
  %14 = const true : bool[]
  %15 = const -7 : i32[]
  %16 = max %0 axes [0, 1] : f32[1, 1]
  %17 = concat %10, %7, %10 axis 1 : f32[4, 3]
  return %5, %10, %16, %0, %17
}
";
    assert_eq!(parse(text).unwrap().dump(), text);
}

#[test]
fn inputs_keep_their_place_among_other_nodes() {
    let mut g = Graph::new();
    let one = g.constant(Scalar::I64(1));
    let x = g.input(TensorType::new([], DType::I64));
    let y = g.add(Op::Binary(BinaryOp::Add), &[one, x]).unwrap();
    g.add(Op::Unary(UnaryOp::Neg), &[x]).unwrap(); // dead, still printed
    let z = g.input(TensorType::new([], DType::I64));
    g.set_outputs(vec![z, y, y]);
    assert!(g.dump().starts_with("graph(%1: i64[], %4: i64[]) {\n"));
    assert_round_trips(&g);
    assert_round_trips(&Graph::new());
}

#[test]
fn hand_written_text_is_renumbered() {
    let text = "
; a comment line
graph(%0: f64[3],   // x
      %10: f64[3]) {

  %20 = add %0, %10 : f64[3] ; the sum
  %21 = add %0, %10 : f64[3] ; the same node again
  return %20, %21
}
";
    let g = parse(text).unwrap();
    assert_eq!(
        g.dump(),
        "graph(%0: f64[3], %1: f64[3]) {\n  %2 = add %0, %1 : f64[3]\n  return %2, %2\n}\n"
    );
    // An input used before the ids that follow it is added where it is used.
    let g = Graph::parse("graph(%5: f64[3]) { %1 = exp %5 : f64[3] return %1 }").unwrap();
    assert_eq!(
        g.dump(),
        "graph(%0: f64[3]) {\n  %1 = exp %0 : f64[3]\n  return %1\n}\n"
    );
}

/// Parses `text`, expecting an error on `line` whose message contains `needle`.
fn assert_parse_error(text: &str, line: usize, needle: &str) {
    match parse(text) {
        Err(IrError::Parse { line: l, message }) => {
            assert_eq!(l, line, "wrong line for {message:?} in\n{text}");
            assert!(
                message.contains(needle),
                "{message:?} does not contain {needle:?}"
            );
        }
        other => panic!("expected a parse error, got {other:?} for\n{text}"),
    }
}

#[test]
fn errors_name_the_line_and_the_problem() {
    let header = "graph(%0: f64[3], %1: f64[2]) {\n";
    let case = |body: &str| format!("{header}{body}");
    let cases = [
        (
            case("  %2 = frobnicate %0 : f64[3]\n"),
            2,
            "unknown op `frobnicate`",
        ),
        (
            case("  %2 = exp %0 : f64[3]\n  %3 = add %0, %7 : f64[3]\n"),
            3,
            "unknown operand %7",
        ),
        (
            case("  %2 = exp %0 : f32[3]\n"),
            2,
            "%2 is annotated f32[3] but its type is f64[3]",
        ),
        (
            case("  %2 = const 1.2.3 : f64[]\n"),
            2,
            "malformed f64 constant `1.2.3`",
        ),
        (
            case("  %2 = const 3000000000 : i32[]\n"),
            2,
            "malformed i32 constant `3000000000`",
        ),
        (case("  %2 = const 1 : f64[2]\n"), 2, "annotated f64[2]"),
        (
            case("\n  %2 = reshape %0 to [3x] : f64[3]\n"),
            3,
            "malformed integer `3x`",
        ),
        (
            case("  %2 = add %0, %1 : f64[3]\n"),
            2,
            "add: operand shapes differ: [3] and [2]",
        ),
        (
            case("  %2 = exp %0 : f64[3]\n  %2 = sin %0 : f64[3]\n"),
            3,
            "%2 is defined twice",
        ),
        (case("  %1 = exp %0 : f64[3]\n"), 2, "%1 is defined twice"),
        (
            case("  %2 = exp %0 : f64[3] @\n"),
            2,
            "unexpected character `@`",
        ),
        (
            case("  %2 = input 0 : f64[3]\n"),
            2,
            "declared in the graph header",
        ),
        (
            case("  %x = exp %0 : f64[3]\n"),
            2,
            "malformed value id `%x`",
        ),
        (
            case("  %2 = exp %0\n  return %2\n}\n"),
            3,
            "expected `:`, found `return`",
        ),
        (
            case("  %2 = sum %0 [0] : f64[1]\n"),
            2,
            "expected `axes`, found `[`",
        ),
        (case("  return %0\n"), 2, "expected `}`, found end of input"),
        (
            case("  return %0\n}\n}\n"),
            4,
            "unexpected `}` after the end of the graph",
        ),
        (
            case("  %2 = exp %0 : f64[3]\n  3\n"),
            3,
            "expected a node `%N = ...` or `return`",
        ),
        ("".into(), 1, "expected `graph`, found end of input"),
        (
            "graph(%1: f64[], %0: f64[]) {".into(),
            1,
            "input ids must ascend",
        ),
        ("graph(%0: f65[]) {".into(), 1, "unknown dtype `f65`"),
        (
            "graph(%0: f64[4294967296, 4294967296]) {".into(),
            1,
            "is too big for memory",
        ),
        (
            case("  %2 = slice %0 [start=0 step=9223372036854775807 len=3] : f64[3]\n"),
            2,
            "slice: index arithmetic overflows",
        ),
        (
            case("  %2 = pad %0 [low=0 high=0 interior=18446744073709551615] : f64[3]\n"),
            2,
            "pad: index arithmetic overflows",
        ),
        (
            case("  %2 = pad %0 [low=0 high=0 interior=4611686018427387904] : f64[3]\n"),
            2,
            "is too big",
        ),
    ];
    for (text, line, needle) in cases {
        assert_parse_error(&text, line, needle);
    }
}

proptest! {
    #[test]
    fn random_graphs_round_trip(g in arbitrary_graph()) {
        assert_round_trips(&g);
    }

    /// Damaged text gives an error (or, rarely, another valid graph),
    /// never a panic, and errors point inside the text.
    #[test]
    fn damaged_text_never_panics(
        g in arbitrary_graph(),
        at in any::<prop::sample::Index>(),
        insert in "[ -~\n]{0,3}",
        delete in 0..4usize,
    ) {
        let text = g.dump();
        let chars: Vec<char> = text.chars().collect();
        let at = at.index(chars.len() + 1);
        let end = (at + delete).min(chars.len());
        let damaged: String = chars[..at]
            .iter()
            .chain(insert.chars().collect::<Vec<_>>().iter())
            .chain(&chars[end..])
            .collect();
        if let Err(e) = parse(&damaged) {
            let IrError::Parse { line, .. } = e else { panic!("{e:?}") };
            prop_assert!((1..=damaged.lines().count().max(1)).contains(&line));
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = parse(&text);
    }
}
