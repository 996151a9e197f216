//! Expected strings are what NumPy 2.4 prints for the same arrays
//! (`repr(np.array(...))`).

use super::array_repr;
use ndjit_ir::{Element, Shape, Tensor};

fn repr<T: Element>(dims: &[usize], values: &[T]) -> String {
    array_repr(&Tensor::from_slice(Shape(dims.to_vec()), values).expect("matching length"))
}

fn range(n: usize) -> Vec<f64> {
    (0..n).map(|i| i as f64).collect()
}

#[test]
fn small_arrays_of_each_dtype() {
    assert_eq!(repr(&[3], &[1.0, 2.0, 3.0]), "array([1., 2., 3.])");
    assert_eq!(
        repr(&[2, 2], &[1i64, 2, 3, 4]),
        "array([[1, 2],\n       [3, 4]])"
    );
    assert_eq!(repr(&[2], &[true, false]), "array([ True, False])");
    assert_eq!(repr(&[2], &[1.0f32, 2.0]), "array([1., 2.], dtype=float32)");
    assert_eq!(repr(&[2], &[1i32, 2]), "array([1, 2], dtype=int32)");
    assert_eq!(
        repr(&[2, 2], &[-1.25, 2.0, 3.0, -400.0]),
        "array([[  -1.25,    2.  ],\n       [   3.  , -400.  ]])"
    );
    assert_eq!(
        repr(&[2, 2, 2], &range(8)),
        "array([[[0., 1.],\n        [2., 3.]],\n\n       [[4., 5.],\n        [6., 7.]]])"
    );
}

#[test]
fn zero_dimensional_arrays() {
    assert_eq!(repr(&[], &[3.5]), "array(3.5)");
    assert_eq!(repr(&[], &[true]), "array(True)");
    assert_eq!(repr(&[], &[1e-5]), "array(1.e-05)");
}

#[test]
fn empty_arrays_name_their_dtype_and_shape() {
    assert_eq!(repr::<f64>(&[0], &[]), "array([], dtype=float64)");
    assert_eq!(
        repr::<f64>(&[0, 3], &[]),
        "array([], shape=(0, 3), dtype=float64)"
    );
    assert_eq!(
        repr::<i32>(&[2, 0], &[]),
        "array([], shape=(2, 0), dtype=int32)"
    );
}

#[test]
fn floats_share_one_precision() {
    let linspace: Vec<f64> = (0..7).map(|i| i as f64 / 6.0).collect();
    assert_eq!(
        repr(&[7], &linspace),
        "array([0.        , 0.16666667, 0.33333333, 0.5       , 0.66666667,\n       \
         0.83333333, 1.        ])"
    );
    assert_eq!(
        repr(&[4], &[1e-5, 1.5, f64::NAN, f64::NEG_INFINITY]),
        "array([1.0e-05, 1.5e+00,     nan,    -inf])"
    );
    assert_eq!(repr(&[1], &[0.0001f32]), "array([0.0001], dtype=float32)");
    assert_eq!(
        repr(&[2], &[std::f32::consts::PI, 1.0]),
        "array([3.1415927, 1.       ], dtype=float32)"
    );
}

#[test]
fn long_rows_wrap_at_75_columns() {
    let values: Vec<f64> = (0..30).map(|i| i as f64 * 1.5).collect();
    assert_eq!(
        repr(&[30], &values),
        "array([ 0. ,  1.5,  3. ,  4.5,  6. ,  7.5,  9. , 10.5, 12. , 13.5, 15. ,\n       \
         16.5, 18. , 19.5, 21. , 22.5, 24. , 25.5, 27. , 28.5, 30. , 31.5,\n       \
         33. , 34.5, 36. , 37.5, 39. , 40.5, 42. , 43.5])"
    );
    let values: Vec<f32> = (0..12).map(|i| i as f32 / 11.0).collect();
    assert_eq!(
        repr(&[12], &values),
        "array([0.        , 0.09090909, 0.18181819, 0.27272728, 0.36363637,\n       \
         0.45454547, 0.54545456, 0.6363636 , 0.72727275, 0.8181818 ,\n       \
         0.90909094, 1.        ], dtype=float32)"
    );
}

#[test]
fn large_arrays_are_summarized() {
    assert_eq!(
        repr(&[2000], &range(2000)),
        "array([0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, 1.998e+03,\n       \
         1.999e+03], shape=(2000,))"
    );
    let ints: Vec<i64> = (0..3000).collect();
    assert_eq!(
        repr(&[3, 1000], &ints),
        "array([[   0,    1,    2, ...,  997,  998,  999],\n       \
         [1000, 1001, 1002, ..., 1997, 1998, 1999],\n       \
         [2000, 2001, 2002, ..., 2997, 2998, 2999]], shape=(3, 1000))"
    );
    let ints: Vec<i64> = (0..4004).collect();
    assert_eq!(
        repr(&[1001, 4], &ints),
        "array([[   0,    1,    2,    3],\n       [   4,    5,    6,    7],\n       \
         [   8,    9,   10,   11],\n       ...,\n       [3992, 3993, 3994, 3995],\n       \
         [3996, 3997, 3998, 3999],\n       [4000, 4001, 4002, 4003]], shape=(1001, 4))"
    );
    let ints: Vec<i64> = (0..1200).map(|i| i % 7).collect();
    assert_eq!(
        repr(&[2, 3, 200], &ints),
        "array([[[0, 1, 2, ..., 1, 2, 3],\n        [4, 5, 6, ..., 5, 6, 0],\n        \
         [1, 2, 3, ..., 2, 3, 4]],\n\n       [[5, 6, 0, ..., 6, 0, 1],\n        \
         [2, 3, 4, ..., 3, 4, 5],\n        [6, 0, 1, ..., 0, 1, 2]]], shape=(2, 3, 200))"
    );
}
