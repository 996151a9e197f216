//! Checking that a benchmark's data fits in memory before allocating it:
//! `--shape a=1000000000000` is an error message, not an abort.
//!
//! The library's allocation is not fallible yet (a failed allocation
//! aborts the process), so the tool checks first: the inputs and the
//! result must fit in the memory the system reports available. The eager
//! interpreter also materializes intermediates; those are not counted.

use super::report::human_bytes;
use ndjit::TensorType;

/// The bytes the inputs `types` and the `result` hold together; an error
/// if that is more than the system has available (where it says, as Linux
/// does in `/proc/meminfo`) or than an address space holds.
pub fn bytes_needed(types: &[TensorType], result: &TensorType) -> Result<usize, String> {
    let needed = (types.iter().chain([result]))
        .try_fold(0usize, |total, ty| {
            let bytes = ty
                .shape
                .checked_numel()?
                .checked_mul(ty.dtype.size_bytes())?;
            total.checked_add(bytes)
        })
        .filter(|&bytes| bytes <= isize::MAX as usize)
        .ok_or_else(|| {
            format!("the inputs and the result ({result}) need more bytes than memory can address")
        })?;
    match available_memory() {
        Some(available) if needed > available => Err(format!(
            "the inputs and the result ({result}) need {}; the system has {} available",
            human_bytes(needed),
            human_bytes(available)
        )),
        _ => Ok(needed),
    }
}

/// The memory available to a new allocation, in bytes, as the system
/// reports it (`MemAvailable` in `/proc/meminfo` on Linux); `None` where
/// it does not say.
fn available_memory() -> Option<usize> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kilobytes: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    kilobytes.checked_mul(1024)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndjit::DType;

    #[test]
    fn counts_inputs_and_result() {
        let ty = TensorType::new([1000], DType::F64);
        let result = TensorType::new([1000], DType::F32);
        assert_eq!(bytes_needed(&[ty.clone(), ty], &result), Ok(20_000));
    }

    #[test]
    fn impossible_sizes_are_errors() {
        let huge = TensorType::new([1_000_000_000_000], DType::F64);
        let message = bytes_needed(std::slice::from_ref(&huge), &huge).unwrap_err();
        if available_memory().is_some() {
            assert!(
                message.contains("need 16.00 TB; the system has"),
                "{message}"
            );
        }
        let unaddressable = TensorType::new([1 << 60], DType::F64);
        let message =
            bytes_needed(std::slice::from_ref(&unaddressable), &unaddressable).unwrap_err();
        assert!(
            message.contains("more bytes than memory can address"),
            "{message}"
        );
    }
}
