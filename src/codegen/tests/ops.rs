//! Every unary and binary op on every dtype it accepts, and every cast,
//! against the reference interpreter's element functions (the one
//! definition of NumPy's semantics): bit-exact (any NaN equals any NaN)
//! for everything but the transcendentals, which are checked to a few ulps. Each kernel runs in the vector body and the
//! scalar tail (float kernels), or the scalar loop (others); comparisons
//! and bool ops also run as lane masks in float kernels.

use super::{assert_same, run, same, Builder, Data};
use ndjit_ir::interp::evaluate_scalar;
use ndjit_ir::{BinaryOp, DType, Elementwise, Op, Scalar, TensorType, UnaryOp};

fn special_values(dtype: DType) -> Vec<Scalar> {
    let floats = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        3.7,
        -3.7,
        0.1,
        2.0,
        10.0,
        100.5,
        -7.0,
        3.0,
        0.75,
        1e300,
        -1e300,
        1e-310,
        3e9,
        -3e9,
        1e20,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        f64::MIN_POSITIVE,
    ];
    let ints: [i64; 15] = [
        0,
        1,
        -1,
        2,
        -2,
        3,
        -7,
        7,
        100,
        31,
        5,
        i32::MIN as i64,
        i32::MAX as i64,
        i64::MIN,
        i64::MAX,
    ];
    match dtype {
        DType::Bool => vec![Scalar::Bool(false), Scalar::Bool(true)],
        DType::F32 | DType::F64 => floats.iter().map(|&x| Scalar::from_f64(x, dtype)).collect(),
        DType::I32 | DType::I64 => ints.iter().map(|&x| Scalar::from_i64(x, dtype)).collect(),
    }
}

/// Values within a transcendental's usual domain, plus the edge cases.
fn math_values(dtype: DType) -> Vec<Scalar> {
    let mut values: Vec<f64> = (-40..=40).map(|i| i as f64 * 0.173).collect();
    values.extend([0.0, -0.0, 0.999, -0.999, 700.0, -700.0, 1e-8, f64::INFINITY]);
    values.extend([f64::NEG_INFINITY, f64::NAN]);
    values.iter().map(|&x| Scalar::from_f64(x, dtype)).collect()
}

fn is_transcendental(op: UnaryOp) -> bool {
    ndjit_ir::math::is_vector_math(op)
}

/// Whether the op's type rule accepts operands of `dtype`.
fn accepts(op: Op, arity: usize, dtype: DType) -> bool {
    let operand = TensorType::new([], dtype);
    op.infer(&vec![&operand; arity]).is_ok()
}

fn accepts_unary(op: UnaryOp, dtype: DType) -> bool {
    accepts(Op::Unary(op), 1, dtype)
}

fn accepts_binary(op: BinaryOp, dtype: DType) -> bool {
    accepts(Op::Binary(op), 2, dtype)
}

/// The interpreter's value of `op(x)`: the one definition of NumPy's
/// semantics (its own tests check it against NumPy).
pub(super) fn reference_unary(op: UnaryOp, x: Scalar) -> Scalar {
    evaluate_scalar(Elementwise::Unary(op), &[x]).expect("an accepted dtype")
}

/// The interpreter's value of `op(a, b)`.
pub(super) fn reference_binary(op: BinaryOp, a: Scalar, b: Scalar) -> Scalar {
    evaluate_scalar(Elementwise::Binary(op), &[a, b]).expect("an accepted dtype")
}

/// Whether a transcendental's result is within a few ulps of the reference.
fn close(got: Scalar, expected: Scalar) -> bool {
    if same(got, expected) {
        return true;
    }
    let (g, e) = (got.to_f64(), expected.to_f64());
    let tolerance = if got.dtype() == DType::F32 {
        4e-7
    } else {
        1e-15
    };
    (g - e).abs() <= tolerance * e.abs().max(f64::MIN_POSITIVE)
}

/// Runs `op` elementwise on `values` (as one array) and compares.
fn check_unary(op: UnaryOp, dtype: DType, values: &[Scalar]) {
    let n = values.len();
    let mut k = Builder::new(&[n]);
    let x = k.input(dtype);
    let r = k.unary(op, x);
    k.output(r);
    let out = op.result_dtype(dtype);
    let mut buffers = [Data::from_scalars(dtype, values), Data::zeros(out, n)];
    run(&k.kernel, &mut buffers);
    let got = buffers[1].scalars();
    for (&x, &g) in values.iter().zip(&got) {
        let e = reference_unary(op, x);
        let ok = if is_transcendental(op) {
            close(g, e)
        } else {
            same(g, e)
        };
        assert!(
            ok,
            "{}({x:?}) on {dtype}: got {g:?}, expected {e:?}",
            op.name()
        );
    }
}

#[test]
fn unary_ops_match_numpy_on_every_dtype() {
    for &op in UnaryOp::ALL {
        for dtype in DType::ALL {
            if !accepts_unary(op, dtype) {
                continue;
            }
            let values = if is_transcendental(op) {
                math_values(dtype)
            } else {
                special_values(dtype)
            };
            // Repeated so that float kernels run their vector body and tail.
            let values: Vec<Scalar> = values
                .iter()
                .cycle()
                .take(values.len() * 3 + 5)
                .copied()
                .collect();
            check_unary(op, dtype, &values);
        }
    }
}

/// Every pair of `values`, as two arrays.
fn pairs(values: &[Scalar]) -> (Vec<Scalar>, Vec<Scalar>) {
    let mut a = Vec::new();
    let mut b = Vec::new();
    for &x in values {
        for &y in values {
            a.push(x);
            b.push(y);
        }
    }
    (a, b)
}

#[test]
fn binary_ops_match_numpy_on_every_dtype() {
    for &op in BinaryOp::ALL {
        for dtype in DType::ALL {
            if !accepts_binary(op, dtype) {
                continue;
            }
            let (a, b) = pairs(&special_values(dtype));
            let n = a.len();
            let mut k = Builder::new(&[n]);
            let (x, y) = (k.input(dtype), k.input(dtype));
            let r = k.binary(op, x, y);
            k.output(r);
            let out = op.result_dtype(dtype);
            let mut buffers = [
                Data::from_scalars(dtype, &a),
                Data::from_scalars(dtype, &b),
                Data::zeros(out, n),
            ];
            run(&k.kernel, &mut buffers);
            let got = buffers[2].scalars();
            for i in 0..n {
                let e = reference_binary(op, a[i], b[i]);
                let ok = if matches!(op, BinaryOp::Pow | BinaryOp::Atan2) && dtype.is_float() {
                    close(got[i], e)
                } else {
                    same(got[i], e)
                };
                assert!(
                    ok,
                    "{}({:?}, {:?}): got {:?}, expected {e:?}",
                    op.name(),
                    a[i],
                    b[i],
                    got[i]
                );
            }
        }
    }
}

/// `mul_add` rounds once: on triples where `a*b + c` rounds twice to
/// another value (and on the special values), the kernel gives what
/// `f64::mul_add` gives, in the vector loop and in the scalar tail.
#[test]
fn mul_add_rounds_once() {
    for dtype in [DType::F32, DType::F64] {
        let mut triples: Vec<[Scalar; 3]> = Vec::new();
        // (1 + e)(1 - e) - 1 = -e², which the unfused form loses to 0.
        let e = if dtype == DType::F64 {
            f64::EPSILON
        } else {
            f32::EPSILON as f64
        };
        let number = |v: f64| Scalar::from_f64(v, dtype);
        triples.push([number(1.0 + e), number(1.0 - e), number(-1.0)]);
        let specials = special_values(dtype);
        for (i, &a) in specials.iter().enumerate() {
            for &b in &specials {
                triples.push([a, b, specials[(i * 7 + 3) % specials.len()]]);
            }
        }
        let n = triples.len();
        let mut k = Builder::new(&[n]);
        let (a, b, c) = (k.input(dtype), k.input(dtype), k.input(dtype));
        let r = k.mul_add(a, b, c);
        k.output(r);
        let column = |j: usize| triples.iter().map(|t| t[j]).collect::<Vec<_>>();
        let mut buffers = [
            Data::from_scalars(dtype, &column(0)),
            Data::from_scalars(dtype, &column(1)),
            Data::from_scalars(dtype, &column(2)),
            Data::zeros(dtype, n),
        ];
        run(&k.kernel, &mut buffers);
        let got = buffers[3].scalars();
        for (t, &g) in triples.iter().zip(&got) {
            let expected = match *t {
                [Scalar::F64(x), Scalar::F64(y), Scalar::F64(z)] => Scalar::F64(x.mul_add(y, z)),
                [Scalar::F32(x), Scalar::F32(y), Scalar::F32(z)] => Scalar::F32(x.mul_add(y, z)),
                _ => unreachable!(),
            };
            assert!(
                same(g, expected),
                "mul_add{t:?}: got {g:?}, expected {expected:?}"
            );
        }
        let fused = got[0].to_f64();
        assert_eq!(fused, -e * e, "{dtype}: the product was rounded");
    }
}

/// Comparisons and bool ops as lane masks: in a float kernel whose bools
/// are never loaded or stored, `cast(x > y as f) + cast(not(...) as f)`.
#[test]
fn bool_lane_masks_match_scalar_bools() {
    use BinaryOp::*;
    for dtype in [DType::F64, DType::F32] {
        let (a, b) = pairs(&special_values(dtype));
        let n = a.len();
        for op in [Eq, Ne, Lt, Le, Gt, Ge] {
            for logic in [And, Or, Xor, Eq, Ne, Maximum, Minimum] {
                let mut k = Builder::new(&[n]);
                let (x, y) = (k.input(dtype), k.input(dtype));
                let compared = k.binary(op, x, y);
                let nan = k.unary(UnaryOp::IsNan, x);
                let finite = k.unary(UnaryOp::IsFinite, y);
                let either = k.binary(logic, nan, finite);
                let not = k.unary(UnaryOp::Not, compared);
                let both = k.binary(logic, either, not);
                let flag = k.scalar(Scalar::Bool(true));
                let mixed = k.binary(Xor, both, flag);
                let to_float = k.cast(mixed, dtype);
                let truthy = k.cast(x, DType::Bool);
                let picked = k.select(truthy, to_float, y);
                k.output(picked);
                let mut buffers = [
                    Data::from_scalars(dtype, &a),
                    Data::from_scalars(dtype, &b),
                    Data::zeros(dtype, n),
                ];
                run(&k.kernel, &mut buffers);
                let expected: Vec<Scalar> = (0..n)
                    .map(|i| {
                        let compared = reference_binary(op, a[i], b[i]);
                        let nan = reference_unary(UnaryOp::IsNan, a[i]);
                        let finite = reference_unary(UnaryOp::IsFinite, b[i]);
                        let either = reference_binary(logic, nan, finite);
                        let not = reference_unary(UnaryOp::Not, compared);
                        let both = reference_binary(logic, either, not);
                        let mixed = reference_binary(Xor, both, Scalar::Bool(true));
                        if a[i].cast(DType::Bool) == Scalar::Bool(true) {
                            mixed.cast(dtype)
                        } else {
                            b[i]
                        }
                    })
                    .collect();
                assert_same(
                    &buffers[2],
                    &expected,
                    &format!("{} / {} on {dtype}", op.name(), logic.name()),
                );
            }
        }
    }
}

/// Every cast, as `Scalar::cast` (NumPy's `astype`, with Rust's saturating
/// float-to-int conversion and NaN to 0).
#[test]
fn casts_match_astype() {
    for from in DType::ALL {
        for to in DType::ALL {
            let values: Vec<Scalar> = special_values(from)
                .iter()
                .cycle()
                .take(45)
                .copied()
                .collect();
            let n = values.len();
            let mut k = Builder::new(&[n]);
            let x = k.input(from);
            let r = k.cast(x, to);
            k.output(r);
            let mut buffers = [Data::from_scalars(from, &values), Data::zeros(to, n)];
            run(&k.kernel, &mut buffers);
            let expected: Vec<Scalar> = values.iter().map(|v| v.cast(to)).collect();
            assert_same(&buffers[1], &expected, &format!("{from} -> {to}"));
        }
    }
}

/// Chains mixing routines and inline ops: values cross passes through
/// scratch, routine operands are read in place or from scratch.
#[test]
fn routines_and_inline_ops_chain_across_passes() {
    let n = 1300;
    let mut k = Builder::new(&[n]);
    let x = k.input(DType::F64);
    let broadcast = k.load(DType::F64, &[0]);
    let half = k.scalar(Scalar::F64(0.5));
    let scaled = k.binary(BinaryOp::Mul, x, half);
    let positive = k.binary(BinaryOp::Gt, x, broadcast);
    let e = k.unary(UnaryOp::Exp, scaled);
    let s = k.unary(UnaryOp::Sin, x);
    let sum = k.binary(BinaryOp::Add, e, scaled);
    let t = k.unary(UnaryOp::Tanh, sum);
    let p = k.binary(BinaryOp::Pow, broadcast, s);
    let r = k.select(positive, t, p);
    k.output(r);
    k.output(scaled);
    let xs: Vec<f64> = (0..n).map(|i| (i as f64 - 650.0) / 100.0).collect();
    let mut buffers = [
        Data::F64(xs.clone()),
        Data::F64(vec![1.25]),
        Data::zeros(DType::F64, n),
        Data::zeros(DType::F64, n),
    ];
    run(&k.kernel, &mut buffers);
    let expected: Vec<Scalar> = xs
        .iter()
        .map(|&x| {
            let scaled = x * 0.5;
            let r = if x > 1.25 {
                (scaled.exp() + scaled).tanh()
            } else {
                1.25f64.powf(x.sin())
            };
            Scalar::F64(r)
        })
        .collect();
    let got = buffers[2].scalars();
    for i in 0..n {
        assert!(
            close(got[i], expected[i]),
            "element {i}: {:?} vs {:?}",
            got[i],
            expected[i]
        );
    }
    let halves: Vec<Scalar> = xs.iter().map(|&x| Scalar::F64(x * 0.5)).collect();
    assert_same(&buffers[3], &halves, "scaled");
}

/// Many values crossing routine calls: the chunk shrinks to bound the
/// scratch frame, and results do not change.
#[test]
fn many_routine_values_use_shorter_chunks() {
    let n = 1000;
    let mut k = Builder::new(&[n]);
    let x = k.input(DType::F64);
    let mut total = k.scalar(Scalar::F64(0.0));
    for i in 0..80 {
        let shift = k.scalar(Scalar::F64(i as f64));
        let shifted = k.binary(BinaryOp::Add, x, shift);
        let s = k.unary(UnaryOp::Sin, shifted);
        total = k.binary(BinaryOp::Add, total, s);
    }
    k.output(total);
    let plan = super::super::plan::Plan::new(&k.kernel, crate::codegen::host_has_fma());
    assert!(plan.chunk < 512, "chunk {}", plan.chunk);
    let xs: Vec<f64> = (0..n).map(|i| i as f64 * 0.01).collect();
    // sin is ndjit's vector routine: the reference sums its values, in the
    // kernel's order, so the results agree exactly.
    let mut total = vec![0.0; n];
    let mut sines = vec![0.0; n];
    for i in 0..80 {
        let shifted: Vec<f64> = xs.iter().map(|&x| x + i as f64).collect();
        ndjit_ir::math::unary_f64(UnaryOp::Sin, &shifted, &mut sines);
        for (t, s) in total.iter_mut().zip(&sines) {
            *t += s;
        }
    }
    let expected: Vec<Scalar> = total.into_iter().map(Scalar::F64).collect();
    let mut buffers = [Data::F64(xs), Data::zeros(DType::F64, n)];
    run(&k.kernel, &mut buffers);
    let got = buffers[1].scalars();
    for i in 0..n {
        assert!(
            close(got[i], expected[i]),
            "element {i}: {:?} vs {:?}",
            got[i],
            expected[i]
        );
    }
}
