//! `ndjit tour`: a few array expressions, built, printed and evaluated.

use super::stages::{Format, Pipeline, Stage};
use super::CliError;
use ndjit::ir::passes::OptimizeOptions;
use ndjit::{s, where_, Array};
use std::io::Write;

/// Prints the tour to `out`.
pub fn run(out: &mut dyn Write) -> Result<(), CliError> {
    let x = Array::linspace(0.0, 1.0, 5, true);
    let y = Array::arange(0.0, 3.0, 1.0).reshape([3, 1]);
    let m = Array::arange(0.0, 6.0, 1.0).reshape([2, 3]);
    let grid = &x * 10.0 + &y;
    let e = (&m - m.max_keepdims(1)).exp();
    let softmax = &e / e.sum_keepdims(1);
    let examples: [(&str, &str, &Array); 5] = [
        ("&x * 10.0 + &y", "broadcasting [5] with [3, 1]", &grid),
        ("grid.sum(1)", "a reduction over axis 1", &grid.sum(1)),
        (
            "x.slice(s![..;-2])",
            "a view: every other element, reversed",
            &x.slice(s![..;-2]),
        ),
        (
            "where_(x.gt(0.5), &x, 0.0)",
            "choose elementwise",
            &where_(x.gt(0.5), &x, 0.0),
        ),
        (
            "&e / e.sum_keepdims(1)",
            "softmax over the rows of m",
            &softmax,
        ),
    ];
    let mut text = String::from(
        "ndjit: NumPy and SciPy for Rust, built as a compiler.\n\
         Array operations only record a graph; evaluating an array compiles the\n\
         graph into fused native kernels. `ndjit help` lists the commands.\n\n\
         let x = Array::linspace(0.0, 1.0, 5, true);\n\
         let y = Array::arange(0.0, 3.0, 1.0).reshape([3, 1]);\n\
         let m = Array::arange(0.0, 6.0, 1.0).reshape([2, 3]);\n\
         let grid = &x * 10.0 + &y;\n\
         let e = (&m - m.max_keepdims(1)).exp();\n",
    );
    // The graph is traced before anything is evaluated: evaluation stores
    // the values and drops the graph behind them.
    text += "\nThe softmax as the compiler sees it (`ndjit ir` shows any expression):\n";
    let graph =
        ndjit::trace(&[&softmax]).map_err(|error| CliError::Failed(format!("error: {error}")))?;
    let pipeline = Pipeline::new(graph, &OptimizeOptions::default());
    let traced = pipeline.render(Stage::Traced, Format::Text)?;
    let optimized = pipeline.render(Stage::Optimized, Format::Text)?;
    text += &format!("; traced graph\n{traced}");
    if optimized == traced {
        text += "; optimized graph: the same (nothing to simplify)\n";
    } else {
        text += &format!("; optimized graph\n{optimized}");
    }
    let schedule = pipeline.render(Stage::Schedule, Format::Text)?;
    text += &format!("; kernel schedule: buffers, then each fused loop nest\n{schedule}");
    for (code, what, array) in examples {
        text += &format!("\n{code:<30}// {what}\n{array}\n");
    }
    text += "\nThe same softmax from the command line:\n  \
             ndjit ir \"exp(m - max(m, axis=1)[:, None]) / sum(exp(m - max(m, axis=1)[:, None]), axis=1)[:, None]\" --shape m=2,3\n";
    out.write_all(text.as_bytes()).map_err(CliError::output)
}
