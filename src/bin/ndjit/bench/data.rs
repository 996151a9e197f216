//! Deterministic random input data for `ndjit bench`.

use ndjit::ir::{Buffer, Tensor, TensorType};
use ndjit::DType;

/// A tensor of `ty` filled with pseudo-random values that depend only on
/// `seed`: floats uniform in [0, 1), integers uniform in 1..=100 (never 0,
/// so that division and remainder are defined), bools fair coin flips.
pub fn random_tensor(ty: &TensorType, seed: u64) -> Tensor {
    let len = ty.shape.numel();
    let mut random = SplitMix64(seed);
    let mut buffer = Buffer::zeros(ty.dtype, len);
    match ty.dtype {
        DType::F64 => fill(buffer.as_mut_slice::<f64>(), || random.unit_f64()),
        DType::F32 => fill(buffer.as_mut_slice::<f32>(), || random.unit_f32()),
        DType::I64 => fill(buffer.as_mut_slice::<i64>(), || random.one_to_100() as i64),
        DType::I32 => fill(buffer.as_mut_slice::<i32>(), || random.one_to_100() as i32),
        DType::Bool => fill(buffer.as_mut_slice::<bool>(), || random.next() & 1 == 1),
    }
    Tensor::new(ty.shape.clone(), buffer).expect("the buffer has one element per point")
}

fn fill<T>(slice: &mut [T], mut next: impl FnMut() -> T) {
    for value in slice {
        *value = next();
    }
}

/// splitmix64: tiny, fast, and good enough for benchmark inputs.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1): the top 53 bits as a fraction.
    fn unit_f64(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [0, 1): the top 24 bits as a fraction.
    fn unit_f32(&mut self) -> f32 {
        (self.next() >> 40) as f32 * (1.0 / (1u32 << 24) as f32)
    }

    fn one_to_100(&mut self) -> u64 {
        1 + self.next() % 100
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_in_range_and_reproducible() {
        let ty = TensorType::new([1000], DType::F32);
        let a = random_tensor(&ty, 7);
        assert_eq!(a, random_tensor(&ty, 7));
        assert_ne!(a, random_tensor(&ty, 8));
        assert!(a.as_slice::<f32>().iter().all(|&v| (0.0..1.0).contains(&v)));
        let ints = random_tensor(&TensorType::new([1000], DType::I32), 1);
        assert!(ints
            .as_slice::<i32>()
            .iter()
            .all(|&v| (1..=100).contains(&v)));
        let bools = random_tensor(&TensorType::new([1000], DType::Bool), 1);
        let trues = bools.as_slice::<bool>().iter().filter(|&&b| b).count();
        assert!((400..600).contains(&trues), "{trues}");
    }
}
