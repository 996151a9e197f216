//! ns/element of ndjit's vector math routines, at every dispatch level this
//! CPU has, against the C library's per-element functions (through Rust
//! `std`; erf declared directly, `std` lacks it), on 4096-element arrays
//! (in L1/L2, as the JIT's chunks). `vector_math_numpy.py`, beside this
//! file, measures NumPy on the same points.
//!
//! The `E3` group times the fused expression `exp(-a*a)*sin(b) + cos(c)`
//! (inputs uniform in [0, 1), 10^6 f64 elements, one thread, the
//! expression built and evaluated each time as in `benches/fusion.rs`).
//!
//! `cargo bench --bench vector_math` (a filter such as `-- sin/` runs
//! some). Times are the benchmark thread's CPU time, not wall time, so a
//! busy shared machine preempting the thread does not count (cache and
//! memory-bandwidth contention still do); the "thrpt" line is ns/element.

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ndjit::runtime::set_max_threads;
use ndjit::Array;
use ndjit_ir::math::{is_vector_math, DispatchLevel};
use ndjit_ir::{BinaryOp, DType, UnaryOp};

const N: usize = 4096;

/// `struct timespec` on 64-bit Linux.
#[repr(C)]
struct Timespec {
    seconds: i64,
    nanoseconds: i64,
}

unsafe extern "C" {
    fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    // The C library's erf, which Rust links on the platforms it has libm.
    safe fn erf(x: f64) -> f64;
    safe fn erff(x: f32) -> f32;
}

/// Linux's clock of the calling thread's CPU time.
const CLOCK_THREAD_CPUTIME_ID: i32 = 3;

/// CPU time consumed by this thread, in ns.
fn thread_cpu_ns() -> u64 {
    let mut time = Timespec {
        seconds: 0,
        nanoseconds: 0,
    };
    // SAFETY: `time` is a valid, writable timespec.
    let status = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    time.seconds as u64 * 1_000_000_000 + time.nanoseconds as u64
}

/// Criterion measurement: the thread's CPU time.
struct CpuTime;

impl Measurement for CpuTime {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns() - start
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuTimeFormatter
    }
}

/// Shows CPU ns per iteration, and per element as the throughput.
struct CpuTimeFormatter;

impl ValueFormatter for CpuTimeFormatter {
    fn scale_values(&self, _typical: f64, _values: &mut [f64]) -> &'static str {
        "ns (cpu)"
    }
    fn scale_throughputs(
        &self,
        _typical: f64,
        throughput: &Throughput,
        values: &mut [f64],
    ) -> &'static str {
        let per = match *throughput {
            Throughput::Elements(n) | Throughput::Bytes(n) | Throughput::BytesDecimal(n) => n,
        };
        for v in values {
            *v /= per as f64;
        }
        "ns/elem"
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

/// A representative argument range per routine (`vector_math_numpy.py`
/// uses the same).
fn domain(op: UnaryOp) -> (f64, f64) {
    match op {
        UnaryOp::Exp | UnaryOp::Expm1 | UnaryOp::Sinh | UnaryOp::Cosh => (-20.0, 20.0),
        UnaryOp::Exp2 => (-30.0, 30.0),
        UnaryOp::Log | UnaryOp::Log2 => (1e-3, 1e6),
        UnaryOp::Log1p => (-0.5, 100.0),
        UnaryOp::Sin | UnaryOp::Cos | UnaryOp::Tan => (-100.0, 100.0),
        UnaryOp::Asin | UnaryOp::Acos => (-1.0, 1.0),
        _ => (-5.0, 5.0),
    }
}

/// A routine's per-element `std` functions for f64 and f32.
type StdPair = (fn(f64) -> f64, fn(f32) -> f32);

/// The per-element `std` functions for a routine (libm's for erf).
fn std_unary(op: UnaryOp) -> Option<StdPair> {
    Some(match op {
        UnaryOp::Exp => (f64::exp, f32::exp),
        UnaryOp::Expm1 => (f64::exp_m1, f32::exp_m1),
        UnaryOp::Exp2 => (f64::exp2, f32::exp2),
        UnaryOp::Log => (f64::ln, f32::ln),
        UnaryOp::Log1p => (f64::ln_1p, f32::ln_1p),
        UnaryOp::Log2 => (f64::log2, f32::log2),
        UnaryOp::Sin => (f64::sin, f32::sin),
        UnaryOp::Cos => (f64::cos, f32::cos),
        UnaryOp::Tan => (f64::tan, f32::tan),
        UnaryOp::Tanh => (f64::tanh, f32::tanh),
        UnaryOp::Sinh => (f64::sinh, f32::sinh),
        UnaryOp::Cosh => (f64::cosh, f32::cosh),
        UnaryOp::Atan => (f64::atan, f32::atan),
        UnaryOp::Asin => (f64::asin, f32::asin),
        UnaryOp::Acos => (f64::acos, f32::acos),
        UnaryOp::Erf => (|x| erf(x), |x| erff(x)),
        _ => return None,
    })
}

/// A binary routine with its `std` counterparts for f64 and f32.
type BinaryCase = (BinaryOp, fn(f64, f64) -> f64, fn(f32, f32) -> f32);

/// Evenly spread points of [lo, hi].
fn points(lo: f64, hi: f64) -> Vec<f64> {
    (0..N)
        .map(|i| lo + (hi - lo) * (i as f64 + 0.5) / N as f64)
        .collect()
}

/// The label of an ndjit entry at a level.
fn label(level: DispatchLevel) -> String {
    format!("ndjit-{level:?}").to_lowercase()
}

fn unary(c: &mut Criterion<CpuTime>) {
    for &op in UnaryOp::ALL.iter().filter(|&&op| is_vector_math(op)) {
        let Some((f, f32_std)) = std_unary(op) else {
            continue;
        };
        let (lo, hi) = domain(op);
        let x = points(lo, hi);
        let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
        let mut group = c.benchmark_group(op.name());
        group.throughput(Throughput::Elements(N as u64));
        let mut out = vec![0.0; N];
        let mut out32 = vec![0.0f32; N];
        for level in DispatchLevel::supported() {
            let entry64 = level.unary(op, DType::F64).expect("every level has it");
            let entry32 = level.unary(op, DType::F32).expect("every level has it");
            group.bench_function(BenchmarkId::new(label(level), "f64"), |b| {
                // SAFETY: both buffers hold N f64s.
                b.iter(|| unsafe {
                    entry64(black_box(&x).as_ptr().cast(), out.as_mut_ptr().cast(), N)
                })
            });
            group.bench_function(BenchmarkId::new(label(level), "f32"), |b| {
                // SAFETY: both buffers hold N f32s.
                b.iter(|| unsafe {
                    entry32(
                        black_box(&x32).as_ptr().cast(),
                        out32.as_mut_ptr().cast(),
                        N,
                    )
                })
            });
        }
        group.bench_function(BenchmarkId::new("libm", "f64"), |b| {
            b.iter(|| {
                for (o, &v) in out.iter_mut().zip(black_box(&x)) {
                    *o = f(v);
                }
            })
        });
        group.bench_function(BenchmarkId::new("libm", "f32"), |b| {
            b.iter(|| {
                for (o, &v) in out32.iter_mut().zip(black_box(&x32)) {
                    *o = f32_std(v);
                }
            })
        });
        group.finish();
    }
}

fn binary(c: &mut Criterion<CpuTime>) {
    let cases: [BinaryCase; 2] = [
        (BinaryOp::Pow, f64::powf, f32::powf),
        (BinaryOp::Atan2, f64::atan2, f32::atan2),
    ];
    for (op, f, f32_std) in cases {
        if !is_vector_math(op) {
            continue;
        }
        let a = points(0.01, 10.0);
        let mut b_values = points(-20.0, 20.0);
        b_values.reverse();
        let a32: Vec<f32> = a.iter().map(|&v| v as f32).collect();
        let b32: Vec<f32> = b_values.iter().map(|&v| v as f32).collect();
        let mut out = vec![0.0; N];
        let mut out32 = vec![0.0f32; N];
        let mut group = c.benchmark_group(op.name());
        group.throughput(Throughput::Elements(N as u64));
        for level in DispatchLevel::supported() {
            let entry64 = level.binary(op, DType::F64).expect("every level has it");
            let entry32 = level.binary(op, DType::F32).expect("every level has it");
            group.bench_function(BenchmarkId::new(label(level), "f64"), |bench| {
                // SAFETY: all three buffers hold N f64s.
                bench.iter(|| unsafe {
                    entry64(
                        black_box(&a).as_ptr().cast(),
                        b_values.as_ptr().cast(),
                        out.as_mut_ptr().cast(),
                        N,
                    )
                })
            });
            group.bench_function(BenchmarkId::new(label(level), "f32"), |bench| {
                // SAFETY: all three buffers hold N f32s.
                bench.iter(|| unsafe {
                    entry32(
                        black_box(&a32).as_ptr().cast(),
                        b32.as_ptr().cast(),
                        out32.as_mut_ptr().cast(),
                        N,
                    )
                })
            });
        }
        group.bench_function(BenchmarkId::new("libm", "f64"), |bench| {
            bench.iter(|| {
                for ((o, &u), &v) in out.iter_mut().zip(black_box(&a)).zip(&b_values) {
                    *o = f(u, v);
                }
            })
        });
        group.bench_function(BenchmarkId::new("libm", "f32"), |bench| {
            bench.iter(|| {
                for ((o, &u), &v) in out32.iter_mut().zip(black_box(&a32)).zip(&b32) {
                    *o = f32_std(u, v);
                }
            })
        });
        group.finish();
    }
}

/// E3 on one thread: ns/element including the pass through memory.
fn e3(c: &mut Criterion<CpuTime>) {
    const ELEMENTS: usize = 1_000_000;
    let inputs: Vec<Array> = (0..3u64)
        .map(|k| {
            // Deterministic values in [0, 1).
            let mut state = k.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
            let values = (0..ELEMENTS)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 11) as f64 / (1u64 << 53) as f64
                })
                .collect();
            Array::from_vec(values, [ELEMENTS])
                .eval()
                .expect("inputs evaluate")
        })
        .collect();
    let mut group = c.benchmark_group("E3");
    group.throughput(Throughput::Elements(ELEMENTS as u64));
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("fused-1thread", "f64"), |b| {
        set_max_threads(1);
        b.iter(|| {
            let [a, x, y] = [&inputs[0], &inputs[1], &inputs[2]];
            ((-(a * a)).exp() * x.sin() + y.cos())
                .eval()
                .expect("evaluates")
        });
        set_max_threads(0);
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .with_measurement(CpuTime)
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(200))
        .measurement_time(std::time::Duration::from_millis(500));
    targets = unary, binary, e3
}
criterion_main!(benches);
