//! Sizes no machine can hold are errors, never aborts or panics (issue 15):
//! NumPy raises `ValueError` ("array is too big") or `MemoryError` for
//! them, and ndjit returns an [`Error`] naming the op (and, for an
//! allocation the machine refused, the bytes asked for).

use ndjit::{Array, DType, Error};

/// Asserts that `array` is invalid with an error of `op` whose message
/// contains `needle`.
#[track_caller]
fn rejected(array: Array, op: &str, needle: &str) {
    match array.validate() {
        Err(Error::InvalidOp {
            op: got, message, ..
        }) => {
            assert_eq!(got, op, "{message}");
            assert!(message.contains(needle), "{op}: {message}");
        }
        other => panic!("{op}: expected an error containing {needle:?}, got {other:?}"),
    }
}

#[test]
fn creation_of_impossible_sizes_is_an_error() {
    rejected(Array::eye(1 << 32, DType::F64), "eye", "too big");
    rejected(Array::eye(3_037_000_500, DType::F64), "eye", "too big");
    // 32 TB: representable, but no machine's allocator grants it.
    rejected(
        Array::eye(2_000_000, DType::F64),
        "eye",
        "cannot allocate 32000000000000 bytes",
    );
    rejected(
        Array::linspace(0.0, 1.0, usize::MAX, true),
        "linspace",
        "too big",
    );
    rejected(Array::arange(0.0, 1.0, 1e-20), "arange", "too many");
    rejected(Array::arange(0i64, i64::MAX, 1), "arange", "too many");
    rejected(Array::arange(1f32, 1e30, 1e-30), "arange", "too many");
}

#[test]
fn creation_at_the_edges_still_works() {
    assert_eq!(Array::eye(0, DType::F64).shape(), &[0, 0]);
    assert_eq!(Array::linspace(0.0, 1.0, 0, true).shape(), &[0]);
    assert_eq!(
        Array::arange(i64::MAX - 2, i64::MAX, 1)
            .to_vec::<i64>()
            .unwrap(),
        vec![i64::MAX - 2, i64::MAX - 1]
    );
    assert_eq!(
        Array::arange(i32::MIN, i32::MAX, i32::MAX)
            .to_vec::<i32>()
            .unwrap(),
        vec![i32::MIN, -1, i32::MAX - 1]
    );
}

#[test]
fn shapes_whose_element_count_overflows_are_rejected() {
    rejected(
        Array::from_vec(vec![4.0], [usize::MAX, usize::MAX]),
        "array",
        "more elements than a usize can count",
    );
    // 2^64 elements wrap to 0 in usize arithmetic.
    rejected(
        Array::from_vec(Vec::<f64>::new(), [1 << 32, 1 << 32]),
        "array",
        "more elements than a usize can count",
    );
    // Zero elements, but strides past isize: NumPy's "array is too big".
    rejected(
        Array::from_vec(Vec::<f64>::new(), [usize::MAX, 0]),
        "array",
        "too big",
    );
    assert_eq!(
        Array::from_vec(Vec::<f64>::new(), [1 << 20, 0]).shape(),
        &[1 << 20, 0]
    );
}

#[test]
fn an_output_the_machine_cannot_hold_is_an_error() {
    // 8 TB of f64: the kernel's output buffer cannot be allocated.
    let big = Array::full([1 << 40], 1.0) + 2.0;
    match big.eval() {
        Err(error) => {
            let message = error.to_string();
            assert!(
                message.contains("cannot allocate 8796093022208 bytes"),
                "{message}"
            );
        }
        Ok(_) => panic!("an 8 TB result was computed"),
    }
}
