use super::*;
use crate::{Cli, Command};
use clap::Parser;
use ndjit::DType;

/// `ndjit ir` with these arguments, as clap reads them.
fn parsed(list: &[&str]) -> Result<IrCommand, clap::Error> {
    match Cli::try_parse_from(["ndjit", "ir"].iter().chain(list))?.command {
        Some(Command::Ir(command)) => Ok(command),
        other => panic!("expected `ir`, got {other:?}"),
    }
}

/// The output of `ndjit ir` with these arguments.
fn run(list: &[&str]) -> Result<String, CliError> {
    let mut out = Vec::new();
    let args: Vec<String> = ["ir"].iter().chain(list).map(|s| s.to_string()).collect();
    crate::run(&args, &mut out)?;
    Ok(String::from_utf8(out).unwrap())
}

#[test]
fn reads_options_in_any_order() {
    let command = parsed(&[
        "--dtype",
        "f32",
        "-x**2",
        "--shape",
        "x=8",
        "--shape=y=2,3:f64",
        "--dot",
        "--stage=traced",
        "--fast-math",
        "--grad",
        "x",
    ])
    .unwrap();
    assert_eq!(command.arguments.expression, "-x**2");
    assert_eq!(command.arguments.dtype, DType::F32);
    assert_eq!(command.format(), Format::Graphviz);
    assert_eq!(command.stage, Some(Stage::Traced));
    assert!(command.fast_math);
    assert_eq!(command.grad.as_deref(), Some("x"));
    assert_eq!(command.arguments.variables.len(), 2);
    assert_eq!(command.arguments.variables[1].dtype, Some(DType::F64));
    let after_dashes = parsed(&["--", "--x"]).unwrap();
    assert_eq!(after_dashes.arguments.expression, "--x");
}

#[test]
fn rejects_malformed_command_lines() {
    let usage = |list: &[&str]| match run(list) {
        Err(error @ CliError::Usage(_)) => error.to_string(),
        other => panic!("expected a usage error, got {other:?}"),
    };
    assert!(usage(&[]).contains("<EXPR>"));
    assert!(usage(&["x", "y"]).contains("unexpected argument 'y'"));
    assert!(usage(&["x", "--shape"]).contains("a value is required for '--shape"));
    let typo = usage(&["x", "--fast-maths"]);
    assert!(
        typo.contains("tip: a similar argument exists: '--fast-math'"),
        "{typo}"
    );
    assert!(usage(&["x", "--dtype", "f16"]).contains("unknown dtype `f16`"));
    let twice = usage(&["x", "--shape", "x=1", "--shape", "x=2"]);
    assert!(
        twice.starts_with("error: variable `x` is declared twice"),
        "{twice}"
    );
    let stage = usage(&["x", "--stage", "lowered"]);
    assert!(
        stage.contains("invalid value 'lowered' for '--stage <STAGE>'"),
        "{stage}"
    );
    assert!(
        stage.contains("[possible values: traced, optimized, schedule, clif]"),
        "{stage}"
    );
}

#[test]
fn help_follows_the_command() {
    for list in [&["ir", "--help"][..], &["help", "ir"], &["ir", "-h"]] {
        let mut out = Vec::new();
        let args: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        crate::run(&args, &mut out).unwrap();
        let help = String::from_utf8(out).unwrap();
        assert!(help.contains("Usage: ndjit ir [OPTIONS] <EXPR>"), "{help}");
        assert!(help.contains("--shape <NAME=D1,D2,...[:DTYPE]>"), "{help}");
        assert!(help.contains("--graphviz"), "{help}");
    }
}

#[test]
fn prints_the_header_and_every_stage() {
    let out = run(&[
        "sin(y) * x",
        "--shape",
        "x=8",
        "--shape",
        "y=8",
        "--shape",
        "z=3",
    ])
    .unwrap();
    assert!(
        out.starts_with("; expression: sin(y) * x\n; inputs: "),
        "{out}"
    );
    assert!(out.contains("; inputs: x = %0, y = %1, z = %2\n"), "{out}");
    assert!(
        out.contains("; result: f64[8]\n\n; traced graph\ngraph(%"),
        "{out}"
    );
    assert!(
        out.contains(" = sin %") && out.contains(" = mul %"),
        "{out}"
    );
    for title in ["optimized graph", "kernel schedule", "Cranelift IR"] {
        assert!(out.contains(&format!("\n; {title}\n")), "{title} in {out}");
    }
    assert!(out.contains("kernel [8] {"), "{out}");
}

#[test]
fn fast_math_enables_inexact_rewrites() {
    let exact = run(&["x - x", "--shape", "x=4", "--stage", "optimized"]).unwrap();
    assert!(exact.contains(" = sub %0, %0"), "{exact}");
    let fast = run(&[
        "x - x",
        "--shape",
        "x=4",
        "--stage",
        "optimized",
        "--fast-math",
    ])
    .unwrap();
    assert!(!fast.contains(" = sub "), "{fast}");
}

#[test]
fn gradients_of_non_scalar_expressions_differentiate_the_sum() {
    let out = run(&[
        "x * x", "--shape", "x=4", "--grad", "x", "--stage", "traced",
    ])
    .unwrap();
    assert!(
        out.contains(
            "; gradient of the sum of the expression (it is f64[4], not 0-d) with respect to x\n"
        ),
        "{out}"
    );
    assert!(out.contains("; result: f64[4]\n"), "{out}");
    let scalar = run(&["sum(sin(x))", "--shape", "x=4", "--grad=x"]).unwrap();
    assert!(
        scalar.contains("; gradient of the expression with respect to x\n"),
        "{scalar}"
    );
    assert!(scalar.contains(" = cos %0"), "{scalar}");
}

#[test]
fn reports_errors_instead_of_panicking() {
    let failed = |list: &[&str]| match run(list) {
        Err(error) => error.to_string(),
        Ok(out) => panic!("expected an error, got {out}"),
    };
    assert!(failed(&["x", "--shape", "x=4", "--grad", "y"]).contains("not a declared variable"));
    assert!(failed(&["x > 0", "--shape", "x=4", "--grad", "x"]).contains("only float expressions"));
    assert!(
        failed(&["x * 1.0", "--shape", "x=4:i64", "--grad", "x"]).contains("only float variables")
    );
    assert!(
        failed(&["x", "--shape", "x=4", "--dot", "--stage", "clif"]).contains("no Graphviz form")
    );
}
