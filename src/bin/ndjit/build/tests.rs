//! Building arrays from expressions, checked by shape, dtype and the
//! traced graph (nothing here evaluates).

use super::build;
use crate::expr::parse;
use ndjit::ir::{BinaryOp, Op, UnaryOp};
use ndjit::{Array, DType};
use std::collections::HashMap;

fn variables() -> HashMap<String, Array> {
    let mut variables = HashMap::new();
    for name in ["x", "y", "z"] {
        variables.insert(name.into(), Array::from_vec(vec![0.0; 8], [8]));
    }
    variables.insert("m".into(), Array::from_vec(vec![0.0; 20], [4, 5]));
    variables.insert("h".into(), Array::from_vec(vec![0.0f32; 3], [3]));
    variables.insert("i".into(), Array::from_vec(vec![0i64; 3], [3]));
    variables
}

fn built(source: &str) -> Array {
    let expr = parse(source).unwrap_or_else(|e| panic!("{}", e.render(source)));
    build(&expr, &variables()).unwrap_or_else(|e| panic!("{}", e.render(source)))
}

fn error(source: &str) -> String {
    let expr = parse(source).unwrap_or_else(|e| panic!("{}", e.render(source)));
    build(&expr, &variables())
        .expect_err("the expression is invalid")
        .render(source)
}

fn ops(array: &Array) -> Vec<Op> {
    ndjit::trace(&[array])
        .expect("a valid array")
        .nodes()
        .iter()
        .map(|node| node.op.clone())
        .collect()
}

#[test]
fn elementwise_expressions() {
    let a = built("exp(-x*x)*sin(y)+cos(z)");
    assert_eq!((a.shape(), a.dtype()), (&[8][..], DType::F64));
    let ops = ops(&a);
    for op in [UnaryOp::Exp, UnaryOp::Neg, UnaryOp::Sin, UnaryOp::Cos] {
        assert!(ops.contains(&Op::Unary(op)), "{op:?} in {ops:?}");
    }
    assert_eq!(built("m + x[:5]").shape(), &[4, 5]);
    assert_eq!(built("where(m > 0, m, 0)").dtype(), DType::F64);
    assert_eq!(built("(x > 0) & (y < 1) | (z == 2)").dtype(), DType::Bool);
    assert_eq!(built("maximum(x, 0.5) + atan2(y, 2)").shape(), &[8]);
}

#[test]
fn literals_are_weak_scalars() {
    assert_eq!(built("h * 2.0 + 1").dtype(), DType::F32);
    assert_eq!(built("i * 2").dtype(), DType::I64);
    assert_eq!(built("i / 2").dtype(), DType::F64);
    assert_eq!(built("h ** -1").dtype(), DType::F32);
    let constant = built("1 + 2");
    assert_eq!((constant.shape(), constant.dtype()), (&[][..], DType::I64));
    assert_eq!(built("exp(1.0)").shape(), &[] as &[usize]);
}

#[test]
fn minus_applies_after_power() {
    let ops = ops(&built("-x**2"));
    let neg = ops.iter().position(|op| *op == Op::Unary(UnaryOp::Neg));
    let pow = ops.iter().position(|op| *op == Op::Binary(BinaryOp::Pow));
    assert!(pow < neg, "{ops:?}");
}

#[test]
fn reductions_and_keyword_arguments() {
    assert_eq!(built("sum(m, axis=1)").shape(), &[4]);
    assert_eq!(built("sum(m, 0)").shape(), &[5]);
    assert_eq!(built("mean(m, axis=(0, 1))").shape(), &[] as &[usize]);
    assert_eq!(built("max(m, axis=None)").shape(), &[] as &[usize]);
    assert_eq!(built("std(m, axis=0, ddof=1)").shape(), &[5]);
    assert_eq!(built("var(m)").shape(), &[] as &[usize]);
    let argmax = built("argmax(m, axis=-1)");
    assert_eq!((argmax.shape(), argmax.dtype()), (&[4][..], DType::I64));
    assert_eq!(built("any(m > 0, axis=0)").dtype(), DType::Bool);
}

#[test]
fn long_operator_chains_build() {
    let chain = vec!["x"; 10_000].join(" + ");
    let expr = parse(&chain).unwrap_or_else(|e| panic!("{}", e.render(&chain)));
    let ones = HashMap::from([("x".to_string(), Array::from_vec(vec![1.0; 3], [3]))]);
    let sum = build(&expr, &ones).unwrap_or_else(|e| panic!("{}", e.render(&chain)));
    assert_eq!(sum.to_vec::<f64>().unwrap(), [10_000.0; 3]);
    // An error inside a chain points at the chain up to the failing operand.
    let message = error("x + x + m");
    assert!(
        message.contains("column 1: add: operands could not be broadcast"),
        "{message}"
    );
    assert!(message.ends_with("\n  ^^^^^^^^^"), "{message}");
}

#[test]
fn views() {
    assert_eq!(built("m[1:3, ::-1]").shape(), &[2, 5]);
    assert_eq!(built("m[0]").shape(), &[5]);
    assert_eq!(built("m[-1, 1:]").shape(), &[4]);
    assert_eq!(built("x[:, None]").shape(), &[8, 1]);
    assert_eq!(built("m.T").shape(), &[5, 4]);
    assert_eq!(built("transpose(m)").shape(), &[5, 4]);
    assert_eq!(built("transpose(m, (1, 0))").shape(), &[5, 4]);
    assert_eq!(built("reshape(m, (2, -1))").shape(), &[2, 10]);
    assert_eq!(built("reshape(x, 8)").shape(), &[8]);
    let softmax = built("exp(m - max(m, axis=1)[:, None]) / sum(exp(m), axis=1)[:, None]");
    assert_eq!(softmax.shape(), &[4, 5]);
}

#[test]
fn errors_point_at_the_expression_at_fault() {
    assert_eq!(
        error("x + foo(y)"),
        "error at column 5: unknown function `foo` (`ndjit ir --help` lists them)\n  \
         x + foo(y)\n      ^^^"
    );
    assert!(error("x + w").contains("column 5: unknown variable `w`; declare it with --shape"));
    let mismatch = error("exp(x) + m");
    assert!(
        mismatch.contains(
            "column 1: add: operands could not be broadcast together with shapes [8] and [4, 5]"
        ),
        "{mismatch}"
    );
    assert!(mismatch.ends_with("\n  ^^^^^^^^^^"), "{mismatch}");
    assert!(error("sum(m, axis=2)").contains("out of bounds"));
    assert!(error("sum(m, axis=x)").contains("an axis must be an integer"));
    assert!(error("reshape(m, (3, -1))").contains("cannot reshape an array of size 20"));
    assert!(error("reshape(m, (3, 3))").contains("reshape"));
    assert!(error("m[5]").contains("out of bounds"));
    assert!(error("m[::0]").contains("step cannot be zero"));
    assert!(error("sum()").contains("sum() is missing `x`"));
    assert!(error("exp(x, y)").contains("takes at most 1 positional"));
    assert!(error("sum(x, axes=0)").contains("has no parameter `axes`"));
    assert!(error("std(m, ddof=-1)").contains("ddof must not be negative"));
    assert!(error("x.shape").contains("unknown attribute `shape`"));
    assert!(error("-(x > 0)").contains("neg: not defined for dtype bool"));
    assert!(error("(1, 2)").contains("a tuple is only meaningful"));
    let argmax = error("argmax(m, axis=(0,))");
    assert!(
        argmax.contains("column 16: argmax() takes one axis (an integer) or None, not a tuple"),
        "{argmax}"
    );
    assert!(error("argmin(m, (0, 1))").contains("argmin() takes one axis"));
}
