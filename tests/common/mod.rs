//! Helpers shared by integration tests that compare results of several
//! runs (backends, thread counts), and the random programs they run
//! ([`program`]).

// Each test binary compiles this module and uses a part of it.
#![allow(dead_code)]

pub mod program;

use ndjit::{Array, DType};

/// How two results must agree.
#[derive(Clone, Copy, Debug)]
pub enum Agreement {
    /// Bit for bit (NaNs equal to NaNs).
    Exact,
    /// Within this relative error.
    Relative(f64),
}

/// The elements as `f64` (exact for every dtype the tests use).
pub fn values(array: &Array) -> Vec<f64> {
    array.astype(DType::F64).to_vec::<f64>().unwrap()
}

/// Whether `a` and `b` agree as `agreement` asks.
pub fn agree(a: f64, b: f64, agreement: Agreement) -> bool {
    match agreement {
        Agreement::Exact => a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
        Agreement::Relative(tolerance) => {
            (a.is_nan() && b.is_nan())
                || a == b
                || (a - b).abs() <= tolerance * a.abs().max(b.abs()).max(1.0)
        }
    }
}
