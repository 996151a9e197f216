//! Parser tests: each expression is printed back fully parenthesized.

use super::{parse, ExprKind};

fn parsed(source: &str) -> String {
    match parse(source) {
        Ok(expr) => expr.to_string(),
        Err(error) => panic!("{}", error.render(source)),
    }
}

fn error(source: &str) -> String {
    parse(source)
        .expect_err("the expression is invalid")
        .render(source)
}

#[test]
fn precedence_follows_python() {
    assert_eq!(parsed("a + b * c"), "(a + (b * c))");
    assert_eq!(parsed("a - b - c"), "((a - b) - c)");
    assert_eq!(parsed("a / b // c % d"), "(((a / b) // c) % d)");
    assert_eq!(parsed("a ** b ** c"), "(a ** (b ** c))");
    assert_eq!(parsed("(a + b) * c"), "((a + b) * c)");
    assert_eq!(parsed("a < b + 1"), "(a < (b + 1))");
    assert_eq!(parsed("a > 0 | b"), "(a > (0 | b))");
    assert_eq!(
        parsed("(a > 0) & (b <= 1) | c"),
        "(((a > 0) & (b <= 1)) | c)"
    );
    assert_eq!(
        parsed("exp(-x*x)*sin(y)+cos(z)"),
        "((exp(((-x) * x)) * sin(y)) + cos(z))"
    );
}

#[test]
fn unary_minus_binds_looser_than_power() {
    assert_eq!(parsed("-x**2"), "(-(x ** 2))");
    assert_eq!(parsed("2**-x"), "(2 ** (-x))");
    assert_eq!(parsed("-x * y"), "((-x) * y)");
    assert_eq!(parsed("- -x"), "(-(-x))");
    assert_eq!(parsed("+x"), "(+x)");
}

#[test]
fn indexing_and_attributes() {
    assert_eq!(parsed("x[1:3, ::-1]"), "x[1:3, ::(-1)]");
    assert_eq!(parsed("x[0]"), "x[0]");
    assert_eq!(parsed("x[:, None]"), "x[:, None]");
    assert_eq!(parsed("x[-1, 2:]"), "x[(-1), 2:]");
    assert_eq!(parsed("x[::2,]"), "x[::2]");
    assert_eq!(parsed("x.T[0] ** 2"), "(x.T[0] ** 2)");
    assert_eq!(parsed("exp(x)[1]"), "exp(x)[1]");
}

#[test]
fn calls_with_keyword_arguments_and_tuples() {
    assert_eq!(parsed("sum(x, axis=1)"), "sum(x, axis=1)");
    assert_eq!(parsed("sum(x, axis=(0, 1))"), "sum(x, axis=(0, 1))");
    assert_eq!(parsed("std(x, axis=0, ddof=1)"), "std(x, axis=0, ddof=1)");
    assert_eq!(parsed("reshape(x, (2, 3))"), "reshape(x, (2, 3))");
    assert_eq!(parsed("reshape(x, (6,))"), "reshape(x, (6,))");
    assert_eq!(parsed("reshape(x, ())"), "reshape(x, ())");
    assert_eq!(parsed("maximum(a, b,)"), "maximum(a, b)");
    assert_eq!(parsed("f()"), "f()");
    assert!(matches!(
        parse("where(c, a, b)").unwrap().kind,
        ExprKind::Call { ref args, .. } if args.len() == 3
    ));
}

#[test]
fn literals() {
    assert_eq!(parsed("1 + 2.5 + .5 + 1e3"), "(((1 + 2.5) + 0.5) + 1000.0)");
}

#[test]
fn errors_point_at_the_problem() {
    assert_eq!(
        error("exp(x) +"),
        "error at column 9: expected an expression, found the end of the expression\n  \
         exp(x) +\n          ^"
    );
    assert_eq!(
        error("(x + y"),
        "error at column 7: expected `)` to close the parenthesis, found the end of the \
         expression\n  (x + y\n        ^"
    );
    assert!(error("a < b < c").contains("chained comparisons"));
    assert!(error("x y").contains("column 3: unexpected `y`"));
    assert!(error("sum(axis=1, x)").contains("positional argument after keyword"));
    assert!(error("sum(x, axis=1, axis=2)").contains("given twice"));
    assert!(error("x.sum(axis=0)").contains("method calls are not supported"));
    assert!(error("x ? y").contains("unexpected character `?`"));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let parentheses = "(".repeat(100_000) + "x" + &")".repeat(100_000);
    let message = error(&parentheses);
    assert!(
        message.contains("nested more than 200 levels deep"),
        "{message}"
    );
    assert!(
        message.contains("chains such as a + b + c do not"),
        "{message}"
    );
    let minus = "-".repeat(100_000) + "x";
    assert!(error(&minus).contains("nested more than"));
    let calls = "exp(".repeat(201) + "x" + &")".repeat(201);
    assert!(error(&calls).contains("nested more than"));
    assert!(parse(&("exp(".repeat(150) + "x" + &")".repeat(150))).is_ok());
}

#[test]
fn operator_chains_have_no_length_limit() {
    // One node however long: not nesting.
    for terms in [201, 100_000] {
        let chain = vec!["x"; terms].join(" + ");
        let expr = parse(&chain).unwrap_or_else(|e| panic!("{}", e.render(&chain)));
        assert_eq!(expr.depth(), 2);
    }
    let mixed = vec!["a * b - c / d"; 10_000].join(" + ");
    assert_eq!(parse(&mixed).unwrap().depth(), 3);
    assert_eq!(parsed("a - b + c - d"), "(((a - b) + c) - d)");
}

/// Every input of the fuzz corpus (`fuzz/corpus/cli_expression`, see
/// `fuzz/fuzz_targets/cli_expression.rs`) with the fuzz target's checks:
/// a tree or an error, never a panic, and a printed tree reads back as
/// itself.
#[test]
fn fuzz_corpus_replays() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/cli_expression");
    let mut replayed = 0;
    for entry in std::fs::read_dir(dir).expect("the corpus is committed") {
        let path = entry.expect("a readable directory").path();
        let data = std::fs::read(&path).expect("a readable file");
        let Ok(source) = std::str::from_utf8(&data) else {
            continue;
        };
        match parse(source) {
            Ok(tree) => {
                let printed = tree.to_string();
                if let Ok(again) = parse(&printed) {
                    assert_eq!(again.to_string(), printed, "{}", path.display());
                }
            }
            Err(error) => {
                error.render(source);
            }
        }
        replayed += 1;
    }
    assert!(replayed >= 15, "only {replayed} inputs in {dir}");
}
