//! Many threads using ndjit at once: compiling new kernels and hitting the
//! program and kernel caches concurrently, evaluating graphs that share
//! pending nodes, and realizing one lazy `Array` from several threads
//! (`Array` is `Send + Sync`). Every result is checked against values
//! computed independently (plain Rust, or the interpreter).

use ndjit::runtime::Backend;
use ndjit::{Array, DType};
use std::sync::{Barrier, Mutex};

const THREADS: usize = 8;

/// Tests here compare `ndjit::stats()` deltas, which count what every
/// thread of the process does: they take turns.
static STATS: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    STATS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// `0, 1/256, 2/256, ...` shifted: exact in any summation order.
fn dyadic(n: usize, shift: f64) -> Vec<f64> {
    (0..n).map(|i| (i % 1000) as f64 / 256.0 - shift).collect()
}

/// Work of thread `t`: expressions every thread builds identically (one
/// program, compiled by whoever comes first, then cache hits), and
/// expressions of shapes no other thread uses (compiled concurrently).
fn work(t: usize, shared: &Array, shared_values: &[f64]) {
    let expected_shared: f64 = shared_values.iter().map(|v| (v * 2.0 + 1.0).max(0.0)).sum();
    for i in 0..12 {
        // The same program in every thread.
        let y = (shared * 2.0 + 1.0).maximum(0.0).sum(..);
        assert_eq!(y.item::<f64>().unwrap(), expected_shared, "thread {t}");

        // A structure of its own: a length no other thread or iteration uses.
        let n = 1 + 97 * t + 7 * i;
        let values = dyadic(n, t as f64);
        let a = Array::from_vec(values.clone(), [n]);
        let b = (&a * 0.5 + t as f64).square() - i as f64;
        let expected: Vec<f64> = values
            .iter()
            .map(|v| (v * 0.5 + t as f64).powi(2) - i as f64)
            .collect();
        assert_eq!(b.to_vec::<f64>().unwrap(), expected, "thread {t}, n = {n}");

        // Integers and a reduction over axis 0 of a [n, 3] array.
        let m = Array::arange(0i64, 3 * n as i64, 1).reshape([n, 3]);
        let column_sums = (&m * (t as i64 + 1) % 1000).sum(0);
        let mut expected = [0i64; 3];
        for k in 0..3 * n as i64 {
            expected[(k % 3) as usize] += k * (t as i64 + 1) % 1000;
        }
        assert_eq!(column_sums.to_vec::<i64>().unwrap(), expected, "thread {t}");

        // A transcendental, checked against the interpreter.
        let build = || (Array::from_vec(dyadic(n, 1.0), [n]).sin() * 3.0).tanh();
        let (jit, eager) = (build(), build());
        ndjit::eval_many_with(std::slice::from_ref(&jit), Backend::Jit).unwrap();
        ndjit::eval_many_with(std::slice::from_ref(&eager), Backend::Interpreter).unwrap();
        assert_eq!(
            jit.to_vec::<f64>().unwrap(),
            eager.to_vec::<f64>().unwrap(),
            "thread {t}"
        );
    }
}

#[test]
fn threads_compile_and_hit_the_caches_at_once() {
    let _turn = serial();
    let values = dyadic(10_000, 2.0);
    let shared = Array::from_vec(values.clone(), [100, 100]).eval().unwrap();
    let start = Barrier::new(THREADS);
    std::thread::scope(|scope| {
        for t in 0..THREADS {
            let (shared, values, start) = (&shared, &values, &start);
            scope.spawn(move || {
                start.wait();
                work(t, shared, values);
            });
        }
    });
}

#[test]
fn one_lazy_array_realized_from_many_threads() {
    let _turn = serial();
    let (rows, columns) = (2000, 60);
    let values = dyadic(rows * columns, 1.0);
    let x = Array::from_vec(values.clone(), [rows, columns])
        .eval()
        .unwrap();
    let mut expected = vec![0.0; columns];
    for (k, v) in values.iter().enumerate() {
        expected[k % columns] += (v * 3.0 - 1.0).abs();
    }
    // Pending, shared by every thread; each also builds its own array on
    // top of the same pending node.
    // Threads reaching it through their own array compute it inside their
    // own graph (only requested arrays are shared, not their operands);
    // what must hold is that every thread sees the same, correct values.
    let y = (&x * 3.0 - 1.0).abs().sum(0);
    assert!(!y.is_realized());
    let start = Barrier::new(THREADS);
    let results: Vec<(Vec<f64>, Vec<f64>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (y, start) = (&y, &start);
                scope.spawn(move || {
                    let own = y * (t as f64 + 1.0);
                    start.wait();
                    // Half the threads reach the shared node through their own array.
                    if t % 2 == 1 {
                        own.eval().unwrap();
                    }
                    (y.to_vec::<f64>().unwrap(), own.to_vec::<f64>().unwrap())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(y.is_realized());
    let stored = y.to_vec::<f64>().unwrap();
    assert_eq!(stored, expected);
    for (t, (value, own)) in results.iter().enumerate() {
        assert_eq!(value, &stored, "thread {t} saw another value");
        let scaled: Vec<f64> = stored.iter().map(|v| v * (t as f64 + 1.0)).collect();
        assert_eq!(own, &scaled, "thread {t}");
    }
    // Once realized, evaluating again from any thread computes nothing.
    let before = ndjit::stats();
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| assert_eq!(y.eval().unwrap().to_vec::<f64>().unwrap(), stored));
        }
    });
    let after = ndjit::stats();
    assert_eq!(
        after.programs_compiled + after.program_cache_hits,
        before.programs_compiled + before.program_cache_hits,
        "a realized array was evaluated again"
    );
}

#[test]
fn one_pending_array_is_computed_once_however_many_threads_ask() {
    let _turn = serial();
    let values = dyadic(300_000, 1.0);
    let x = Array::from_vec(values.clone(), [300_000]).eval().unwrap();
    let expected: f64 = values.iter().map(|v| (v * 0.5).exp()).sum();
    let y = (&x * 0.5).exp().sum(..);
    let start = Barrier::new(THREADS);
    let before = ndjit::stats();
    std::thread::scope(|scope| {
        for t in 0..THREADS {
            let (y, start) = (&y, &start);
            scope.spawn(move || {
                start.wait();
                let value = y.item::<f64>().unwrap();
                assert!((value - expected).abs() <= 1e-9 * expected, "thread {t}");
            });
        }
    });
    let after = ndjit::stats();
    assert_eq!(
        after.programs_compiled + after.program_cache_hits,
        before.programs_compiled + before.program_cache_hits + 1,
        "threads that asked at once computed the array more than once"
    );
}

#[test]
fn threads_build_long_chains_at_once() {
    let _turn = serial();
    // Each thread's chain passes the auto-realize depth several times, so
    // threads realize (and drop) long chains while others do the same.
    let start = Array::from_vec(dyadic(4096, 0.0), [4096]).eval().unwrap();
    std::thread::scope(|scope| {
        for t in 0..THREADS {
            let start = &start;
            scope.spawn(move || {
                let mut v = start.clone();
                for _ in 0..5000 {
                    v = v + 0.5;
                }
                let v = (v * t as f64).astype(DType::F64);
                let expected: Vec<f64> = dyadic(4096, 0.0)
                    .iter()
                    .map(|x| (x + 2500.0) * t as f64)
                    .collect();
                assert_eq!(v.to_vec::<f64>().unwrap(), expected, "thread {t}");
            });
        }
    });
}

#[test]
fn threads_share_the_kernel_thread_pool() {
    let _turn = serial();
    // Kernels large enough to be split across the pool, run from several
    // threads at once: their pieces share the workers.
    let rows = 1 << 19;
    let values = dyadic(rows * 2, 1.0);
    let x = Array::from_vec(values.clone(), [rows, 2]).eval().unwrap();
    let mut columns = [0.0; 2];
    for (k, v) in values.iter().enumerate() {
        columns[k % 2] += v * 2.0;
    }
    let total = columns[0] + columns[1];
    let row_max: Vec<f64> = values
        .chunks(2)
        .map(|row| row[0].max(row[1]) * 2.0)
        .collect();
    std::thread::scope(|scope| {
        for t in 0..THREADS {
            let (x, row_max) = (&x, &row_max);
            scope.spawn(move || {
                for _ in 0..3 {
                    let scaled = x * 2.0;
                    let (sums, all, last) = (scaled.sum(0), scaled.sum(..), scaled.max(-1));
                    ndjit::eval_many(&[sums.clone(), all.clone(), last.clone()]).unwrap();
                    assert_eq!(sums.to_vec::<f64>().unwrap(), columns, "thread {t}");
                    assert_eq!(all.item::<f64>().unwrap(), total, "thread {t}");
                    assert_eq!(&last.to_vec::<f64>().unwrap(), row_max, "thread {t}");
                }
            });
        }
    });
}
