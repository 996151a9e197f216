//! Row blocks (DESIGN.md, fusion rule 5): row-wise reduce-then-broadcast
//! programs (softmax, layer normalization, ...) run their kernels one block
//! of rows at a time, the rows split among threads. Each program below is
//! run by the JIT on one thread, by the JIT on every thread, and by the
//! reference interpreter:
//!
//! - the JIT on one thread and on every thread agree bit for bit: a row is
//!   computed by the same code whichever thread and block runs it;
//! - a softmax agrees bit for bit with its three kernels run one after the
//!   other over all rows (as separate programs: the schedule without row
//!   blocks);
//! - the JIT agrees with the interpreter exactly for integers, and within
//!   a relative `1e-12` (`f64`) or `1e-5` (`f32`) for float sums and what is
//!   computed from them.
//!
//! The shapes cover one row, many blocks whose last one is partial (a
//! `[997, 1000]` `f64` softmax touches ~24 KB per row: about 10 rows a
//! block), rows of one element, zero sizes and 3-d arrays.
//!
//! `set_max_threads` is process-wide, so every comparison runs inside the
//! one `#[test]` below.

mod common;

use common::program::dyadic;
use common::{agree, values, Agreement};
use ndjit::ir::schedule::{schedule, Step};
use ndjit::runtime::{set_max_threads, thread_count, Backend};
use ndjit::{Array, DType};

/// A program over one input.
struct Case {
    name: String,
    input: Array,
    build: fn(&Array) -> Vec<Array>,
    agreement: Agreement,
    /// Whether its schedule has a row-blocks step (`None`: either way).
    row_blocks: Option<bool>,
    /// The same program computed one kernel at a time over all rows, when
    /// the test knows its kernels: the row blocks must match it bit for bit.
    one_kernel_at_a_time: Option<fn(&Array) -> Array>,
}

/// Deterministic values in [-4, 4], multiples of 1/256, with a NaN and an
/// infinity in two rows when there are enough elements.
fn input(shape: &[usize], seed: u64) -> Array {
    let n: usize = shape.iter().product();
    let mut values = dyadic(n, seed);
    if n > 100 {
        values[n / 3] = f64::NAN;
        values[2 * n / 3] = f64::INFINITY;
    }
    Array::from_vec(values, shape.to_vec()).eval().unwrap()
}

fn softmax(x: &Array) -> Vec<Array> {
    let e = (x - x.max_keepdims(-1)).exp();
    vec![&e / e.sum_keepdims(-1)]
}

/// Softmax as the three kernels of its schedule, each run over all rows
/// as a program of its own.
fn softmax_one_kernel_at_a_time(x: &Array) -> Array {
    let max = x.max_keepdims(-1).eval().unwrap();
    let e = (x - &max).exp();
    let sum = e.sum_keepdims(-1);
    ndjit::eval_many(&[e.clone(), sum.clone()]).unwrap();
    (&e / &sum).eval().unwrap()
}

fn cases() -> Vec<Case> {
    use Agreement::{Exact, Relative};
    let mut cases = Vec::new();
    for (shape, row_blocks) in [
        (&[997, 1000][..], Some(true)),
        (&[512, 2048], Some(true)),
        (&[1 << 14, 7], Some(true)),
        (&[3, 50, 400], Some(true)),
        (&[2, 3], Some(true)),
        (&[1, 1000], Some(false)),
        (&[1000, 1], None),
        (&[0, 7], Some(false)),
    ] {
        cases.push(Case {
            name: format!("softmax {shape:?}"),
            input: input(shape, shape.iter().sum::<usize>() as u64),
            build: softmax,
            agreement: Relative(1e-12),
            row_blocks,
            one_kernel_at_a_time: Some(softmax_one_kernel_at_a_time),
        });
    }
    cases.push(Case {
        name: "f32 softmax [300, 1000]".into(),
        input: input(&[300, 1000], 1).astype(DType::F32).eval().unwrap(),
        build: softmax,
        agreement: Relative(1e-5),
        row_blocks: Some(true),
        one_kernel_at_a_time: Some(softmax_one_kernel_at_a_time),
    });
    for shape in [&[997, 1000][..], &[3, 50, 400], &[1, 64], &[64, 1]] {
        cases.push(Case {
            name: format!("layer norm {shape:?}"),
            input: input(shape, 2),
            build: |x| {
                let centered = x - x.mean_keepdims(-1);
                vec![centered / (x.var_keepdims(-1, 0) + 1e-5).sqrt()]
            },
            agreement: Relative(1e-12),
            row_blocks: (shape[1] > 1).then_some(shape[0] > 1),
            one_kernel_at_a_time: None,
        });
    }
    // NumPy has no maximum of an empty row, but sums of them are 0.
    for (shape, row_blocks) in [
        (&[7, 0][..], None),
        (&[0, 7], Some(false)),
        (&[997, 1000], Some(true)),
    ] {
        cases.push(Case {
            name: format!("divided by row sums {shape:?}"),
            input: input(shape, 6),
            build: |x| vec![x / x.sum_keepdims(-1)],
            agreement: Relative(1e-12),
            row_blocks,
            one_kernel_at_a_time: None,
        });
    }
    cases.push(Case {
        name: "log-softmax with its row sums kept [600, 700]".into(),
        input: input(&[600, 700], 3),
        build: |x| {
            let shifted = x - x.max_keepdims(-1);
            let sums = shifted.exp().sum_keepdims(-1);
            vec![&shifted - sums.log(), sums]
        },
        agreement: Relative(1e-12),
        row_blocks: Some(true),
        one_kernel_at_a_time: None,
    });
    cases.push(Case {
        name: "max over the middle axis [20, 300, 40]".into(),
        input: input(&[20, 300, 40], 4),
        build: |x| vec![(x - x.max_keepdims(1)).exp()],
        agreement: Relative(1e-12),
        row_blocks: Some(true),
        one_kernel_at_a_time: None,
    });
    cases.push(Case {
        name: "integers [900, 1100]".into(),
        input: input(&[900, 1100], 5),
        build: |x| {
            let i = (x.where_finite() * 256.0).astype(DType::I64);
            vec![(&i - i.min_keepdims(-1)) * i.sum_keepdims(-1)]
        },
        agreement: Exact,
        row_blocks: Some(true),
        one_kernel_at_a_time: None,
    });
    cases
}

/// `x` with NaNs and infinities replaced by 0 (casts of those to integers
/// are undefined in NumPy).
trait WhereFinite {
    fn where_finite(&self) -> Array;
}

impl WhereFinite for Array {
    fn where_finite(&self) -> Array {
        ndjit::where_(self.isfinite(), self, 0.0)
    }
}

/// Whether evaluating `outputs` runs a row-blocks step.
fn has_row_blocks(outputs: &[Array]) -> bool {
    let outputs: Vec<&Array> = outputs.iter().collect();
    let graph = ndjit::trace(&outputs).unwrap();
    let optimized = ndjit::ir::passes::optimize(&graph, &Default::default());
    schedule(&optimized)
        .steps
        .iter()
        .any(|step| matches!(step, Step::RowBlocks(_)))
}

fn run(case: &Case, backend: Backend, threads: usize) -> Vec<Array> {
    set_max_threads(threads);
    let outputs = (case.build)(&case.input);
    ndjit::eval_many_with(&outputs, backend)
        .unwrap_or_else(|e| panic!("{}: {backend:?} with {threads} threads: {e}", case.name));
    set_max_threads(0);
    outputs
}

fn assert_agree(name: &str, what: &str, got: &Array, expected: &Array, agreement: Agreement) {
    assert_eq!(got.shape(), expected.shape(), "{name}: {what}");
    assert_eq!(got.dtype(), expected.dtype(), "{name}: {what}");
    let (got, expected) = (values(got), values(expected));
    for (index, (&a, &b)) in got.iter().zip(&expected).enumerate() {
        assert!(
            agree(a, b, agreement),
            "{name}: element {index}: {what}: {a} instead of {b}"
        );
    }
}

#[test]
fn row_blocks_agree_with_whole_passes_and_the_interpreter() {
    // Four workers whatever the machine (unless NDJIT_THREADS says
    // otherwise), so that uneven splits of the rows are exercised even on
    // one or two cores. The pool reads this when it is first used, which is
    // below: this file has no other test.
    if std::env::var_os("NDJIT_THREADS").is_none() {
        std::env::set_var("NDJIT_THREADS", "4");
    }
    let all = thread_count();
    if all == 1 {
        eprintln!("warning: one thread (NDJIT_THREADS=1): the threaded path is not tested");
    }
    for case in cases() {
        if let Some(expected) = case.row_blocks {
            let outputs = (case.build)(&case.input);
            assert_eq!(has_row_blocks(&outputs), expected, "{}", case.name);
        }
        let eager = run(&case, Backend::Interpreter, 0);
        let one = run(&case, Backend::Jit, 1);
        let many = run(&case, Backend::Jit, all);
        assert_eq!(one.len(), eager.len());
        for (k, expected) in eager.iter().enumerate() {
            let name = format!("{} (output {k})", case.name);
            assert_agree(
                &name,
                "the JIT on 1 thread",
                &one[k],
                expected,
                case.agreement,
            );
            let what = format!("the JIT on {all} threads vs 1");
            assert_agree(&name, &what, &many[k], &one[k], Agreement::Exact);
        }
        if let Some(one_kernel_at_a_time) = case.one_kernel_at_a_time {
            for threads in [1, all] {
                set_max_threads(threads);
                let whole = one_kernel_at_a_time(&case.input);
                set_max_threads(0);
                let what = format!("row blocks vs one kernel at a time, {threads} threads");
                assert_agree(&case.name, &what, &one[0], &whole, Agreement::Exact);
            }
        }
    }
    assert_scratch_is_not_whole();
}

/// Block scratch replaces whole temporaries: a `[999, 1000]` softmax
/// allocates its result and a few blocks of rows per thread, less than the
/// result plus the whole exponentials of separate passes (see `ndjit::stats`).
fn assert_scratch_is_not_whole() {
    let x = input(&[999, 1000], 7);
    let output_bytes = 999 * 1000 * 8;
    let before = ndjit::stats();
    softmax(&x)[0].eval().unwrap();
    let after = ndjit::stats();
    assert_eq!(after.kernels_compiled - before.kernels_compiled, 3);
    let allocated = after.bytes_allocated - before.bytes_allocated;
    assert!(
        allocated >= output_bytes && allocated < 2 * output_bytes,
        "{allocated} bytes allocated for a result of {output_bytes}"
    );
}
