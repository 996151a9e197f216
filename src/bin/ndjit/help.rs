//! `ndjit help`.

/// The text `ndjit help` prints.
pub const HELP: &str = "\
ndjit: NumPy and SciPy for Rust, built as a compiler

Usage:
  ndjit                     a short tour (the same as `ndjit tour`)
  ndjit tour                build, print and evaluate a few array expressions
  ndjit ir EXPR [OPTIONS]   print each compiler stage for a NumPy-like expression
  ndjit bench EXPR [OPTIONS]
                            time it on random data: eager interpreter vs fused JIT
  ndjit help                this help (also --help, -h)
  ndjit --version           the version

Options of `ndjit ir` and `ndjit bench`:
  --shape NAME=D1,D2,...[:DTYPE]
                  declare the input NAME with these extents (and dtype); repeat
                  for each input. `NAME=` declares a 0-d input.
  --dtype DTYPE   dtype of inputs declared without one: f64 (default), f32,
                  i64, i32, bool

Options of `ndjit ir` (stages: traced graph, optimized graph, kernel
schedule, Cranelift IR of each kernel):
  --stage NAME    print only one stage: traced, optimized, schedule or clif
  --fast-math     let the optimizer reassociate and assume no NaN or infinity
  --grad NAME     print the gradient with respect to input NAME instead (of
                  the expression's sum, if it is not 0-d)
  --dot           print the optimized graph (or the --stage traced graph) as
                  Graphviz DOT

Options of `ndjit bench` (inputs are uniform in [0, 1), integers in 1..=100):
  --repeats K     timed runs per backend after a warm-up (default 10)
  --threads N     use at most N threads per kernel
  --json          print one JSON object instead of a table

Expressions are NumPy code without `np.`:
  literals        2  2.5  1e-3  None (as a new axis in an index, or axis=None)
  operators       + - * / // % **, unary -, < <= > >= == != (not chained),
                  & | (logical and/or), with Python's precedence: -x**2 is -(x**2)
  indexing        x[1:3, ::-1]  x[0]  x[:, None]  x.T
  functions       exp log sin cos tan tanh sqrt abs sinh cosh asin acos atan erf
                  expm1 log1p exp2 log2 floor ceil round sign square (x);
                  maximum minimum atan2 (x1, x2); where(condition, x, y);
                  mul_add(x, y, z) (x*y + z rounded once; also `fma`);
                  sum prod max min mean any all argmax argmin (x, axis=None);
                  var std (x, axis=None, ddof=0); reshape(x, (2, -1));
                  transpose(x, axes=None); concatenate((a, b, ...), axis=0),
                  stack((a, b, ...), axis=0). An axis is an integer or a tuple.

Examples:
  ndjit ir \"exp(-x*x)*sin(y)+cos(z)\" --shape x=1000 --shape y=1000 --shape z=1000
  ndjit bench \"a*b+c\" --shape a=10000000 --shape b=10000000 --shape c=10000000
";
