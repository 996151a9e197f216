//! The program and kernel caches (DESIGN.md, "Runtime"): the same
//! structure never compiles twice, a changing scalar constant never
//! recompiles, and the kernel cache is bounded, its evicted code freed, so
//! a process compiling without end runs in bounded memory.
//!
//! The checks compare `ndjit::stats()` before and after, which count for
//! the whole process: this file holds one test, so nothing else runs
//! meanwhile.

use ndjit::{s, Array, DType, Stats};

/// Kernels the runtime keeps compiled (`KERNEL_CACHE_CAPACITY`).
const KERNEL_CACHE_CAPACITY: u64 = 1024;

fn delta(before: &Stats) -> Stats {
    let now = ndjit::stats();
    Stats {
        kernels_compiled: now.kernels_compiled - before.kernels_compiled,
        kernel_cache_hits: now.kernel_cache_hits - before.kernel_cache_hits,
        programs_compiled: now.programs_compiled - before.programs_compiled,
        program_cache_hits: now.program_cache_hits - before.program_cache_hits,
        kernels_evicted: now.kernels_evicted - before.kernels_evicted,
        compile_time: now.compile_time - before.compile_time,
        bytes_allocated: now.bytes_allocated - before.bytes_allocated,
    }
}

/// Resident memory of this process, in bytes.
fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("Linux /proc");
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|field| field.parse().ok())
        .expect("statm's second field is the resident page count");
    pages * 4096
}

/// `0, 1/256, 2/256, ...`: sums of these are exact in any order.
fn ramp(n: usize) -> Array {
    Array::from_vec((0..n).map(|i| i as f64 / 256.0).collect::<Vec<_>>(), [n])
}

fn same_structure_compiles_once() {
    let x = ramp(777).eval().unwrap();
    let build = |x: &Array| ((x * 1.75).sin() + x.square()).sum(..);
    let first = build(&x).item::<f64>().unwrap();

    // The same graph again: a program cache hit, nothing compiled.
    let before = ndjit::stats();
    assert_eq!(build(&x).item::<f64>().unwrap(), first);
    let d = delta(&before);
    assert_eq!((d.programs_compiled, d.kernels_compiled), (0, 0), "{d:?}");
    assert_eq!(d.program_cache_hits, 1, "{d:?}");

    // New data of the same type: the same program.
    let other = (ramp(777) + 1.0).eval().unwrap();
    let before = ndjit::stats();
    build(&other).item::<f64>().unwrap();
    let d = delta(&before);
    assert_eq!((d.programs_compiled, d.kernels_compiled), (0, 0), "{d:?}");

    // A realized array evaluates to itself: no program at all.
    let y = build(&x).eval().unwrap();
    let before = ndjit::stats();
    assert_eq!(y.eval().unwrap().item::<f64>().unwrap(), first);
    let d = delta(&before);
    assert_eq!((d.programs_compiled, d.program_cache_hits), (0, 0), "{d:?}");
}

fn changing_constants_compile_once() {
    let x = ramp(1000).eval().unwrap();
    let i = Array::arange(0i64, 1000, 1).eval().unwrap();
    // Some constants coincide with another constant of the expression
    // (2.5, 3, 7): still the same kernels.
    let floats = [0.3, 1.7, 2.5, -2.5, 4.25, 2.5e-3, 1e10];
    let integers = [2i64, 3, 7, -7, 11, 1 << 40];
    let before = ndjit::stats();
    let mut compiled_by_first = None;
    for (k, &c) in floats.iter().enumerate() {
        let y = (&x * c + 2.5).maximum(-c).sum(..);
        let expected: f64 = (0..1000)
            .map(|j| (j as f64 / 256.0 * c + 2.5).max(-c))
            .sum();
        let got = y.item::<f64>().unwrap();
        assert!(
            (got - expected).abs() <= 1e-12 * expected.abs(),
            "c = {c}: {got} != {expected}"
        );
        let d = delta(&before);
        match compiled_by_first {
            None => compiled_by_first = Some(d.kernels_compiled),
            Some(n) => assert_eq!(d.kernels_compiled, n, "constant #{k} = {c} recompiled"),
        }
    }
    let before = ndjit::stats();
    let mut compiled_by_first = None;
    for (k, &c) in integers.iter().enumerate() {
        let y = (&i * c + 3) % 7;
        let expected: Vec<i64> = (0..1000i64)
            .map(|j| (j.wrapping_mul(c) + 3).rem_euclid(7))
            .collect();
        assert_eq!(y.to_vec::<i64>().unwrap(), expected, "c = {c}");
        let f32_sum = (i.astype(DType::F32) * c as f32).sum(..);
        f32_sum.item::<f32>().unwrap();
        let d = delta(&before);
        match compiled_by_first {
            None => compiled_by_first = Some(d.kernels_compiled),
            Some(n) => assert_eq!(d.kernels_compiled, n, "constant #{k} = {c} recompiled"),
        }
    }
}

/// Evaluates `x[..n] * 2 + 1`: a kernel of its own for every `n`.
fn distinct_kernel(x: &Array, n: usize) {
    let y = (x.slice(s![..n as isize]) * 2.0 + 1.0)
        .to_vec::<f64>()
        .unwrap();
    assert_eq!(y.len(), n);
    assert_eq!(y[n - 1], (n - 1) as f64 / 128.0 + 1.0);
}

fn kernel_cache_is_bounded_and_frees_code() {
    const EXPRESSIONS: usize = 10_000;
    const WARM_UP: usize = 2_000;
    let x = ramp(EXPRESSIONS).eval().unwrap();
    let before = ndjit::stats();
    for n in 1..=WARM_UP {
        distinct_kernel(&x, n);
    }
    // The caches are full now: from here on every compile evicts.
    let resident = resident_bytes();
    for n in WARM_UP + 1..=EXPRESSIONS {
        distinct_kernel(&x, n);
    }
    let growth = resident_bytes().saturating_sub(resident);
    let d = delta(&before);
    assert!(d.kernels_compiled >= EXPRESSIONS as u64, "{d:?}");
    assert!(
        d.kernels_evicted >= d.kernels_compiled - KERNEL_CACHE_CAPACITY,
        "{d:?}"
    );
    // Compiled code that was not freed would cost at least a page per
    // kernel: 8,000 kernels, 31 MiB.
    assert!(
        growth < 16 << 20,
        "resident memory grew by {} MiB over {} kernels",
        growth >> 20,
        EXPRESSIONS - WARM_UP
    );
    // Evicted kernels compile again, and run right.
    for n in [1, 2, 777] {
        distinct_kernel(&x, n);
    }
}

#[test]
fn caches() {
    same_structure_compiles_once();
    changing_constants_compile_once();
    kernel_cache_is_bounded_and_frees_code();
}
