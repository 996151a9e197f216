//! Kernels large enough to be split across threads (DESIGN.md: axis 0 is
//! split when there are >= 128K points per thread; accumulating stores
//! that sum over axis 0 get private partial buffers). Each program is run
//! by the JIT on one thread, by the JIT on every thread, and by the
//! reference interpreter, and the three must agree:
//!
//! - exactly for elementwise ops, integers, bools, max/min, argmax, and for
//!   `f64` sums of inputs that are multiples of 1/256 (every partial sum is
//!   then exact, so no summation order can change it);
//! - within a relative `1e-12` (`f64`) or `1e-5` (`f32`) for other float
//!   sums and what is computed from them (mean, softmax, a gradient).
//!
//! `set_max_threads` is process-wide, so every comparison runs inside the
//! one `#[test]` below.

mod common;

use common::program::dyadic;
use common::{agree, values, Agreement};
use ndjit::autodiff::vjp;
use ndjit::runtime::{set_max_threads, thread_count, Backend};
use ndjit::{s, where_, Array, DType};

/// A program: built afresh for each run (evaluating realizes its arrays),
/// from inputs shared by all runs.
struct Case {
    name: &'static str,
    build: Box<dyn Fn() -> Vec<Array>>,
    agreement: Agreement,
}

fn case(
    name: &'static str,
    agreement: Agreement,
    build: impl Fn() -> Vec<Array> + 'static,
) -> Case {
    Case {
        name,
        build: Box::new(build),
        agreement,
    }
}

/// Multiples of 1/256 in [-4, 4] (see [`dyadic`]).
fn input(shape: &[usize], seed: u64) -> Array {
    let n = shape.iter().product();
    Array::from_vec(dyadic(n, seed), shape.to_vec())
        .eval()
        .unwrap()
}

/// Only 1 and -1, so products over a million of them stay exact.
fn signs(shape: &[usize], seed: u64) -> Array {
    let n = shape.iter().product();
    let values = dyadic(n, seed)
        .into_iter()
        .map(|v| if v < -3.5 { -1.0 } else { 1.0 })
        .collect();
    Array::from_vec(values, shape.to_vec()).eval().unwrap()
}

const MILLION: usize = 1 << 20;
const ODD: usize = 3_000_007;

fn cases() -> Vec<Case> {
    use Agreement::{Exact, Relative};
    let long = input(&[ODD], 1);
    let long2 = input(&[ODD], 2);
    let wide = input(&[2, MILLION], 3);
    let tall = input(&[MILLION, 3], 4);
    let square = input(&[1000, 1000], 5);
    let rows = input(&[512, 2048], 6);
    let tall_signs = signs(&[MILLION, 3], 7);
    // A NaN in the last row (on the last thread's side of the split) and a
    // column whose maximum and minimum sit in the last row.
    let tall_nan = {
        let mut values = dyadic(MILLION * 3, 8);
        values[(MILLION - 1) * 3] = f64::NAN;
        values[(MILLION - 1) * 3 + 1] = 100.0;
        values[(MILLION - 1) * 3 + 2] = -100.0;
        Array::from_vec(values, [MILLION, 3]).eval().unwrap()
    };

    let mut cases = Vec::new();
    {
        let (x, y) = (long.clone(), long2.clone());
        cases.push(case("elementwise f64 chain", Exact, move || {
            let z = (&x * 1.5 + &y) - x.square() * 0.25;
            vec![
                where_(z.gt(0.0), &z, &y).maximum(x.abs()).floor() / 4.0,
                (&x - &y).sin() * &y,
            ]
        }));
    }
    {
        let x = long.clone();
        cases.push(case("elementwise integer chain", Exact, move || {
            let i = (&x * 256.0).astype(DType::I64);
            let j = (&x * 64.0).astype(DType::I32);
            vec![
                (&i * 3 + 7) % 11 - i.floor_div(5),
                (&j * &j).maximum(17) - j.gt(0).astype(DType::I32),
                i.lt(0).logical_xor(j.ge(3)),
            ]
        }));
    }
    {
        let x = wide.clone();
        cases.push(case("f32 elementwise [2, 2^20]", Exact, move || {
            let f = x.astype(DType::F32);
            vec![(&f * 3.0 - 1.0).exp() / (f.square() + 1.0)]
        }));
    }
    for (name, x) in [
        ("sum of all: odd length", long.clone()),
        ("sum of all: [2, 2^20]", wide.clone()),
        ("sum of all: [2^20, 3]", tall.clone()),
        ("sum of all: [1000, 1000]", square.clone()),
    ] {
        cases.push(case(name, Exact, move || {
            vec![
                x.sum(..),
                (&x * &x).sum(..),
                (&x * 256.0).astype(DType::I64).sum(..),
                (&x * 256.0).astype(DType::I32).sum(..),
                x.gt(3.99).any(..),
                x.lt(4.0).all(..),
                x.max(..),
                x.min(..),
            ]
        }));
    }
    for (name, x) in [
        ("f32 sum of all: odd length", long.clone()),
        ("f32 sum of all: [1000, 1000]", square.clone()),
    ] {
        cases.push(case(name, Relative(1e-5), move || {
            let f = (&x + 4.5).astype(DType::F32);
            vec![f.sum(..), f.mean(..)]
        }));
    }
    for (name, x) in [
        ("f32 sums over axis 0 [2^20, 3]", tall.clone()),
        ("f32 sums over axis 1 of [3, 2^20] transposed", tall.t()),
    ] {
        // Over an outer axis each row is added into the result in turn:
        // summed naively, a million f32 rows would be off by ~1e-3.
        cases.push(case(name, Relative(1e-5), move || {
            let f = (&x + 4.5).astype(DType::F32);
            let axis = if x.shape()[0] == 3 { 1 } else { 0 };
            vec![f.sum(axis), f.mean(axis), (&f * 0.1).sum(..)]
        }));
    }
    {
        let x = long.clone();
        cases.push(case("inexact f64 sums", Relative(1e-12), move || {
            let e = x.exp();
            vec![e.sum(..), e.mean(..), x.slice(s![..;-1]).sin().sum(..)]
        }));
    }
    for (name, x) in [
        ("axis reductions [2^20, 3]", tall.clone()),
        ("axis reductions [2, 2^20]", wide.clone()),
        ("axis reductions [1000, 1000]", square.clone()),
        ("axis reductions [1000, 1000] transposed", square.t()),
        (
            "axis reductions of a strided view",
            square.slice(s![1..;1, ..;2]),
        ),
    ] {
        cases.push(case(name, Exact, move || {
            let i = (&x * 256.0).astype(DType::I64);
            vec![
                x.sum(0),
                x.sum(-1),
                x.max(0),
                x.max(-1),
                x.min(0),
                x.min(-1),
                i.sum(0),
                i.sum(-1),
                i.max(0),
                i.min(-1),
                x.gt(3.9).any(0),
                x.gt(-3.9).all(0),
                x.gt(3.9).max(0),
                x.gt(-3.9).min(-1),
                (&x * 64.0).astype(DType::I32).max(0),
                (&x * 64.0).astype(DType::I32).min(-1),
                x.astype(DType::F32).max(0),
                x.astype(DType::F32).min(-1),
                x.argmax(0),
                x.argmin(-1),
                // Reduce, broadcast back, reduce again (still exact).
                (&x - x.max_keepdims(0)).square().sum(0),
            ]
        }));
    }
    for (name, x) in [
        ("means [2^20, 3]", tall.clone()),
        ("means [1000, 1000] transposed", square.t()),
    ] {
        cases.push(case(name, Relative(1e-12), move || {
            vec![
                x.mean(0),
                x.mean(-1),
                x.mean(..),
                x.var(0, 1),
                x.var(-1, 1),
                x.var(.., 0),
            ]
        }));
    }
    {
        let (s, i) = (tall_signs.clone(), (&tall * 2.0).astype(DType::I64));
        let i = i.eval().unwrap();
        cases.push(case("products [2^20, 3]", Exact, move || {
            vec![
                s.prod(0),
                s.prod(-1),
                s.prod(..),
                (&i + 1).prod(0),
                (&i + 1).prod(-1),
                i.astype(DType::I32).prod(0),
            ]
        }));
    }
    {
        let x = tall_nan.clone();
        cases.push(case(
            "NaN-propagating max/min over axis 0",
            Exact,
            move || {
                vec![
                    x.max(0),
                    x.min(0),
                    x.astype(DType::F32).max(0),
                    x.astype(DType::F32).min(0),
                    x.max(..),
                    x.argmax(0),
                    x.argmin(0),
                    x.isnan().any(0),
                ]
            },
        ));
    }
    for (name, x) in [
        ("softmax [512, 2048]", rows.clone()),
        ("softmax [2^20, 3]", tall.clone()),
    ] {
        cases.push(case(name, Relative(1e-12), move || {
            let shifted = &x - x.max_keepdims(-1);
            let e = shifted.exp();
            let softmax = &e / e.sum_keepdims(-1);
            vec![softmax.clone(), softmax.sum(-1)]
        }));
    }
    {
        let x = long.clone();
        cases.push(case("value and gradient", Relative(1e-12), move || {
            let (value, pullback) = vjp(|x| (x * x.sin()).sum(..), &x);
            let gradient = pullback(&Array::scalar(1.0));
            vec![value, gradient]
        }));
    }
    {
        let x = rows.clone();
        cases.push(case(
            "multi-output sharing a loop",
            Relative(1e-12),
            move || {
                let e = (&x * 0.5).tanh();
                vec![e.clone(), e.sum(..), e.sum(0), (&e * &x).sum(-1)]
            },
        ));
    }
    cases
}

fn run(case: &Case, backend: Backend, threads: usize) -> Vec<Array> {
    set_max_threads(threads);
    let outputs = (case.build)();
    ndjit::eval_many_with(&outputs, backend)
        .unwrap_or_else(|e| panic!("{}: {backend:?} with {threads} threads: {e}", case.name));
    set_max_threads(0);
    outputs
}

fn assert_agree(case: &Case, what: &str, output: usize, got: &Array, expected: &Array) {
    assert_eq!(
        got.shape(),
        expected.shape(),
        "{}: output {output}",
        case.name
    );
    assert_eq!(
        got.dtype(),
        expected.dtype(),
        "{}: output {output}",
        case.name
    );
    let (got, expected) = (values(got), values(expected));
    let agreement = case.agreement;
    for (index, (&a, &b)) in got.iter().zip(&expected).enumerate() {
        assert!(
            agree(a, b, agreement),
            "{}: output {output}, element {index}: {what} gives {a}, the interpreter {b}",
            case.name
        );
    }
}

#[test]
fn threaded_kernels_agree_with_one_thread_and_the_interpreter() {
    // Four workers whatever the machine (unless NDJIT_THREADS says
    // otherwise), so that uneven splits and several private partials are
    // exercised even on one or two cores. The pool reads this when it is
    // first used, which is below: this file has no other test.
    if std::env::var_os("NDJIT_THREADS").is_none() {
        std::env::set_var("NDJIT_THREADS", "4");
    }
    let all = thread_count();
    if all == 1 {
        eprintln!("warning: one thread (NDJIT_THREADS=1): the threaded path is not tested");
    }
    for case in cases() {
        let eager = run(&case, Backend::Interpreter, 0);
        let one = run(&case, Backend::Jit, 1);
        let many = run(&case, Backend::Jit, all);
        assert_eq!(one.len(), eager.len());
        for (k, expected) in eager.iter().enumerate() {
            assert_agree(&case, "JIT on 1 thread", k, &one[k], expected);
            assert_agree(
                &case,
                &format!("JIT on {all} threads"),
                k,
                &many[k],
                expected,
            );
        }
    }
}
